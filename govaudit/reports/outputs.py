"""All outputs made from the store in one pass: findings.json, the HTML report pages, scores.xlsx
and, on request, the evidence bundles."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from govaudit.store import Store

log = logging.getLogger("govaudit.reports")


def write_outputs(store: Store, run_id: str, out: Path, rubric: str | Path | None = None,
                  reviews: str | Path | None = None, bundle: bool = False, warc: bool | None = None) -> dict[str, Path]:
    """`rubric`: a rubric file or profile name for the score sheet (default config/rubric.yaml; the
    national profile is always scored beside it). `reviews`: the reviews YAML (default OUT/reviews.yaml).
    `warc`: add a WARC to each bundle (default: when the run's settings say archiving is on)."""
    from govaudit.reports.collect import collect, reviews_path_for
    from govaudit.reports.findings_json import write_findings_json
    from govaudit.reports.fixlist import write_fixlists  # like its neighbours: loaded when outputs are written
    from govaudit.reports.html import write_html
    from govaudit.reports.rubric import load_rubric
    from govaudit.reports.xlsx import write_scores_xlsx

    out.mkdir(parents=True, exist_ok=True)
    primary = load_rubric(rubric)
    rubrics = [primary] + [load_rubric(p) for p in ("standard", "national") if p != primary.profile]
    portfolio = collect(store, run_id, rubrics, reviews_path_for(out, reviews))
    outputs: dict[str, Path] = {"findings": write_findings_json(store, run_id, out / "findings.json")}
    outputs.update(write_html(portfolio, out))
    outputs["scores"] = write_scores_xlsx(portfolio, out / "scores.xlsx")
    outputs.update(write_fixlists(portfolio, out))
    if bundle:
        from govaudit.reports.bundle import write_bundle

        if warc is None:
            warc = _archiving_on(portfolio.run)
        for u in portfolio.units:
            outputs[f"bundle:{u.id}"] = write_bundle(store, portfolio, u, out, warc=warc)
    return outputs


def _archiving_on(run: dict[str, Any]) -> bool:
    import json

    try:
        settings = json.loads(run.get("settings") or "{}")
    except ValueError:
        return False
    crawl = settings.get("crawl") or {}
    return bool(settings.get("archive") or crawl.get("archive") or crawl.get("warc"))
