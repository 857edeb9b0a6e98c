"""The audit end to end: crawl → checks → reports, over one store. Used by `audit`, `demo`, `nightly`."""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govaudit.model import Unit
from govaudit.store import Store

if TYPE_CHECKING:  # the reports layer loads lazily (start-up cost of openpyxl and Jinja2)
    from govaudit.reports.outputs import Written

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
    log.info("run %s: crawling %d unit(s) into %s", run_id, len(units), store_path)
    summary = crawl(units, str(store_path), run_id, crawl_defaults,
                    rules_config["shared"]["attachment_extensions"], progress_interval)
    result = check_and_report(store_path, run_id, units, rules_config, today, out)
    result.summary = summary
    return result


def check_and_report(store_path: Path, run_id: str, units: list[Unit], rules_config: dict[str, Any],
                     today: dt.date, out: Path, rule_patterns: list[str] | None = None) -> AuditResult:
    """Checks, then every output. With `rule_patterns` only those rules run and only their findings
    are replaced: the other rules' stored findings (and so the grade they make) stay."""
    from govaudit.checks.run import check_unit, record, run_checks, select_rules

    rules = select_rules(rule_patterns)
    store = Store(store_path)
    try:
        if rule_patterns:
            ids = [r.id for r in rules]
            record(store, run_id, units, rules)
            for i, unit in enumerate(units, 1):
                found = check_unit(store, run_id, unit, rules_config, today, rules)
                store.replace_findings(run_id, unit.id, found, rules=ids)
                log.info("checked %s (%d/%d): %s", unit.id, i, len(units), ", ".join(ids))
        else:
            run_checks(store, run_id, units, rules_config, today, rules)
        store.mark_abandoned_runs()  # a killed crawl re-checked later stays incomplete, never "complete"
        run = store.run(run_id)
        # only the process that crawled closes its run: a re-check never rewrites the crawl's end time
        if run["status"] == "running" and run["pid"] == os.getpid():
            store.finish_run(run_id, "complete")
        written = render(store, run_id, out)
    finally:
        store.close()
    return AuditResult(run_id, out, store_path, {}, dict(written.counts), written.outputs)


def summary_line(counts: dict[str, int]) -> str:
    """The one count line every command prints: outcomes after reviewers' verdicts, the same
    numbers as the report and the score sheet."""
    return (f"检查结果：不合格 {counts.get('fail', 0)}，待复核 {counts.get('needs_review', 0)}，"
            f"通过 {counts.get('pass', 0)}，未能检测 {counts.get('not_measured', 0)}")


def render(store: Store, run_id: str, out: Path, **options: Any) -> "Written":
    """write_reports, with the counts the outputs show (see reports.outputs.Written)."""
    from govaudit.reports.outputs import write_all

    return write_all(store, run_id, out, **options)


def write_reports(store: Store, run_id: str, out: Path, **options: Any) -> dict[str, Path]:
    """Every output made from the findings in the store (no network): findings.json, report.html
    (+ units/*.html), scores.xlsx, and evidence bundles when options say bundle=True (see
    reports.outputs.write_outputs for rubric=, reviews=, bundle=, warc=)."""
    from govaudit.reports.outputs import write_outputs

    return write_outputs(store, run_id, out, **options)


def units_from_store(store: Store, run_id: str) -> list[Unit]:
    import json

    return [Unit(**json.loads(u["config"])) for u in store.units(run_id)]
