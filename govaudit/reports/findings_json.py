"""findings.json — the stable contract other tools read. Do not change its shape (keys are only added).

Each finding carries the machine's `outcome`, the reviewer's verdict (`review`: verdict, by, at, note;
null when none) and `effective_outcome` (the outcome after the verdict: what the report, the score
sheet and the terminal count). A rule the run did not check for a unit appears as `not_measured`,
so the file never covers fewer rules than the registry without saying so.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govaudit import __version__
from govaudit.reports.collect import Portfolio, unit_findings
from govaudit.reports.reviews import apply, load_reviews
from govaudit.store import Store


def findings_document(store: Store, run_id: str, portfolio: Portfolio | None = None) -> dict[str, Any]:
    run = store.run(run_id)
    if portfolio is not None:
        rows = [u.row for u in portfolio.units]
        applied = [f for u in portfolio.units for f in u.findings]
    else:  # without the collected view (a report that failed): the store's findings and verdicts
        rows = store.units(run_id)
        reviews = load_reviews(store, None)
        applied = [apply(f, reviews) for u in rows for f in unit_findings(store, run_id, u)]
    units = [{"name": u["name"], "url": u["url"], "kind": u["kind"], "pages": u["pages"], "id": u["unit_id"],
              "coverage": unit_coverage(u)} for u in rows]
    findings = [{
        "rule": f["rule"], "item": f["item"], "outcome": f["machine_outcome"], "unit": f["unit_id"],
        "url": f["url"], "target": f["target"], "message": f["message"], "data": f["data"],
        "evidence": f["evidence"], "fingerprint": f["fingerprint"],
        "review": _review(f.get("review")), "effective_outcome": f["effective"],
    } for f in applied]
    return {"tool": "govaudit", "version": __version__,
            "run": {"id": run["id"], "started": run["started"], "finished": run["finished"], "today": run["today"]},
            "units": units, "findings": findings}


def unit_coverage(row: dict[str, Any]) -> dict[str, Any] | None:
    """units[].coverage: what the crawl covered (crawler/coverage.py); `provisional` says the
    unit's grade is provisional because the crawl was partial. None: not recorded (older store)."""
    raw = row.get("coverage")
    if not raw:
        return None
    cov = json.loads(raw)
    keep = ("status", "reason", "reasons", "reason_text", "pages", "reached", "unreached", "unreached_depth",
            "platform_reached", "columns_reached")
    return {**{k: cov.get(k) for k in keep}, "provisional": cov.get("status") == "partial"}


def _review(r: dict[str, Any] | None) -> dict[str, Any] | None:
    return {k: r.get(k) for k in ("verdict", "by", "at", "note")} if r else None


def write_findings_json(store: Store, run_id: str, path: Path, portfolio: Portfolio | None = None) -> Path:
    doc = findings_document(store, run_id, portfolio)
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)  # never a half-written findings file
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk leaves the previous findings.json, and no stray part
        raise
    return path
