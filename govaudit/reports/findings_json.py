"""findings.json — the stable contract other tools read. Do not change its shape."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from govaudit import __version__
from govaudit.store import Store


def findings_document(store: Store, run_id: str) -> dict[str, Any]:
    run = store.run(run_id)
    units = [{"name": u["name"], "url": u["url"], "kind": u["kind"], "pages": u["pages"], "id": u["unit_id"],
              "coverage": unit_coverage(u)} for u in store.units(run_id)]
    findings = [{
        "rule": f["rule"], "item": f["item"], "outcome": f["outcome"], "unit": f["unit_id"],
        "url": f["url"], "target": f["target"], "message": f["message"], "data": f["data"],
        "evidence": f["evidence"], "fingerprint": f["fingerprint"],
    } for f in store.findings(run_id)]
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


def write_findings_json(store: Store, run_id: str, path: Path) -> Path:
    doc = findings_document(store, run_id)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # never a half-written findings file
    return path
