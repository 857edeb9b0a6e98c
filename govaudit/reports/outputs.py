"""All outputs made from the store in one pass: findings.json, the HTML report pages, scores.xlsx
and, on request, the evidence bundles."""
from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.reports.bundle import write_bundle
from govaudit.reports.collect import collect, reviews_path_for, rule_items
from govaudit.reports.findings_json import write_findings_json
from govaudit.reports.fixlist import write_fixlists
from govaudit.reports.html import write_html
from govaudit.reports.rubric import governing_profile, load_rubric
from govaudit.reports.xlsx import write_scores_xlsx
from govaudit.store import Store

log = logging.getLogger("govaudit.reports")


@dataclass
class Written:
    outputs: dict[str, Path]
    # outcomes after reviewers' verdicts, over every unit: the counts the report and the sheet show,
    # so the terminal summary and the exit code read the same numbers
    counts: Counter[str] = field(default_factory=Counter)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)  # unit id → name and the same counts


def write_outputs(store: Store, run_id: str, out: Path, **options: Any) -> dict[str, Path]:
    return write_all(store, run_id, out, **options).outputs


def write_all(store: Store, run_id: str, out: Path, rubric: str | Path | None = None,
              reviews: str | Path | None = None, bundle: bool = False, warc: bool | None = None) -> Written:
    """`rubric`: the grading profile, a rubric file or profile name (default: the one config/grading.yaml
    names; the other shipped profile is scored beside it as a secondary view). `reviews`: the reviews
    YAML (default OUT/reviews.yaml). `warc`: add a WARC to each bundle (default: when the run's
    settings say archiving is on)."""
    out.mkdir(parents=True, exist_ok=True)
    items = rule_items(store, run_id)
    primary = load_rubric(rubric or governing_profile(), items)
    rubrics = [primary] + [load_rubric(p, items) for p in ("standard", "national") if p != primary.profile]
    portfolio = collect(store, run_id, rubrics, reviews_path_for(out, reviews))
    outputs: dict[str, Path] = {"findings": write_findings_json(store, run_id, out / "findings.json", portfolio)}
    outputs.update(write_html(portfolio, out))
    outputs["scores"] = write_scores_xlsx(portfolio, out / "scores.xlsx")
    outputs.update(write_fixlists(portfolio, out))
    if bundle:
        if warc is None:
            warc = _archiving_on(portfolio.run)
        for u in portfolio.units:
            outputs[f"bundle:{u.id}"] = write_bundle(store, portfolio, u, out, warc=warc)
    counts: Counter[str] = Counter()
    for u in portfolio.units:
        counts.update(u.counts)
    units = {u.id: {"name": u.row.get("name"), **u.counts} for u in portfolio.units}
    return Written(outputs, counts, units)


def _archiving_on(run: dict[str, Any]) -> bool:
    try:
        settings = json.loads(run.get("settings") or "{}")
    except ValueError:
        return False
    crawl = settings.get("crawl") or {}
    return bool(settings.get("archive") or crawl.get("archive") or crawl.get("warc"))
