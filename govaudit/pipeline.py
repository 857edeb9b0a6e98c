"""The audit end to end: crawl → checks → reports, over one store. Used by `audit`, `demo`, `nightly`."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.model import Unit
from govaudit.store import Store

log = logging.getLogger("govaudit")

STORE_NAME = "govaudit.sqlite"


@dataclass
class AuditResult:
    run_id: str
    out: Path
    store_path: Path
    summary: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 no fail findings; 1 fail findings; 3 no unit could be crawled at all."""
        if self.summary and all(s["status"] == "unreachable" for s in self.summary.values()):
            return 3
        return 1 if self.counts.get("fail") else 0


def audit(units: list[Unit], out: Path, crawl_defaults: dict[str, Any], rules_config: dict[str, Any],
          today: dt.date | None = None, mode: str = "audit", progress_interval: float = 5.0) -> AuditResult:
    from govaudit.crawler.run import crawl

    today = today or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    store_path = out / STORE_NAME
    store = Store(store_path)
    run_id = store.start_run(mode, {"crawl": crawl_defaults}, today=today.isoformat())
    for u in units:
        store.add_unit(run_id, u)
    store.close()
    log.info("检查批次 %s：抓取 %d 个单位，写入 %s", run_id, len(units), store_path)
    summary = crawl(units, str(store_path), run_id, crawl_defaults,
                    rules_config["shared"]["attachment_extensions"], progress_interval)
    result = check_and_report(store_path, run_id, units, rules_config, today, out)
    result.summary = summary
    return result


def check_and_report(store_path: Path, run_id: str, units: list[Unit], rules_config: dict[str, Any],
                     today: dt.date, out: Path, rule_patterns: list[str] | None = None) -> AuditResult:
    from govaudit.checks.run import run_checks, select_rules

    store = Store(store_path)
    try:
        findings = run_checks(store, run_id, units, rules_config, today, select_rules(rule_patterns))
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.outcome] = counts.get(f.outcome, 0) + 1
        outputs = write_reports(store, run_id, out)
        store.mark_abandoned_runs()  # a killed crawl re-checked later stays incomplete, never "complete"
        if store.run(run_id)["status"] not in ("incomplete", "failed"):
            store.finish_run(run_id, "complete")
    finally:
        store.close()
    return AuditResult(run_id, out, store_path, {}, counts, outputs)


def write_reports(store: Store, run_id: str, out: Path, **options: Any) -> dict[str, Path]:
    """Every output made from the findings in the store (no network): findings.json, report.html
    (+ units/*.html), scores.xlsx, and evidence bundles when options say bundle=True (see
    reports.outputs.write_outputs for rubric=, reviews=, bundle=, warc=)."""
    from govaudit.reports.outputs import write_outputs

    return write_outputs(store, run_id, out, **options)


def units_from_store(store: Store, run_id: str) -> list[Unit]:
    import json

    return [Unit(**json.loads(u["config"])) for u in store.units(run_id)]
