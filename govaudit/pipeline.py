"""The audit end to end: crawl → checks → reports, over one store. Used by `audit`, `demo`, `nightly`."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govaudit.model import Unit
from govaudit.store import STORE_NAME, Store
from govaudit.crawler import incremental
from govaudit.crawler.run import crawl
from govaudit.checks.run import run_checks, select_rules
from govaudit.reports.outputs import write_all
from govaudit.reports.outputs import write_outputs

if TYPE_CHECKING:  # the reports layer loads lazily (start-up cost of openpyxl and Jinja2)
    from govaudit.reports.outputs import Written

log = logging.getLogger("govaudit")


@dataclass
class AuditResult:
    run_id: str
    out: Path
    store_path: Path
    summary: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    grades: dict[str, dict[str, Any]] = field(default_factory=dict)  # unit → provisional score and grade
    units: dict[str, dict[str, Any]] = field(default_factory=dict)   # unit → name and outcome counts (reviewed)

    @property
    def interrupted(self) -> str | None:
        """The signal that stopped the crawl (SIGINT, SIGTERM), or None."""
        return next((s["interrupted"] for s in self.summary.values() if s.get("interrupted")), None)

    @property
    def exit_code(self) -> int:
        """0 no fail findings; 1 fail findings; 3 no unit could be crawled at all; 130 the crawl
        was interrupted (the outputs are written, with provisional grades)."""
        if self.summary and all(s["status"] == "unreachable" for s in self.summary.values()):
            return 3
        if self.interrupted:
            return 130
        return 1 if self.counts.get("fail") else 0


def audit(units: list[Unit], out: Path, crawl_defaults: dict[str, Any], rules_config: dict[str, Any],
          today: dt.date | None = None, mode: str = "audit", progress_interval: float = 5.0,
          resume: bool = False) -> AuditResult:
    """`resume`: continue the latest run of this mode in `out` that Ctrl-C/SIGTERM interrupted (its
    stored pages are kept, what it had found but not fetched is fetched), else start a new run."""

    today = today or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    store_path = out / STORE_NAME
    store = Store(store_path)
    previous = interrupted_run(store, mode) if resume else None
    if previous is not None:
        run_id = previous["id"]
        today = dt.date.fromisoformat(previous["today"])
        store.db["runs"].update(run_id, {"status": "running", "pid": os.getpid(), "finished": None, "note": "resumed"})
        known = {u["unit_id"] for u in store.units(run_id)}
        for u in units:
            if u.id not in known:
                store.add_unit(run_id, u)
        log.info("继续运行 %s 被中断的抓取", run_id)
    else:
        if resume:
            log.info("%s 中没有被中断的抓取可继续：重新开始", store_path)
        run_id = store.start_run(mode, {"crawl": crawl_defaults}, today=today.isoformat())
        for u in units:
            store.add_unit(run_id, u)
    store.close()
    log.info("检查批次 %s：抓取 %d 个单位，写入 %s", run_id, len(units), store_path)
    configure = (lambda s: incremental.configure(s, resume_run=run_id)) if previous is not None else None
    summary = crawl(units, str(store_path), run_id, crawl_defaults,
                    rules_config["shared"]["attachment_extensions"], progress_interval, configure=configure)
    if any(s.get("interrupted") for s in summary.values()):
        log.warning("抓取已中断：检查已抓取的页面并生成暂定报告（再按 Ctrl-C 放弃）")
    result = check_and_report(store_path, run_id, units, rules_config, today, out)
    result.summary = summary
    return result


def check_and_report(store_path: Path, run_id: str, units: list[Unit], rules_config: dict[str, Any],
                     today: dt.date, out: Path, rule_patterns: list[str] | None = None) -> AuditResult:
    """Checks, then every output. With `rule_patterns` only those rules run and only their findings
    are replaced: the other rules' stored findings (and so the grade they make) stay."""

    rules = select_rules(rule_patterns)
    store = Store(store_path)
    try:
        run_checks(store, run_id, units, rules_config, today, rules, only=bool(rule_patterns))
        store.mark_abandoned_runs()  # a killed crawl re-checked later stays incomplete, never "complete"
        run = store.run(run_id)
        # only the process that crawled closes its run: a re-check never rewrites the crawl's end time
        if run["status"] == "running" and run["pid"] == os.getpid():
            store.finish_run(run_id, "complete")
        written = render(store, run_id, out)
        grades = unit_grades(store, run_id)
    finally:
        store.close()
    return AuditResult(run_id, out, store_path, {}, dict(written.counts), written.outputs, grades, written.units)


def summary_line(counts: dict[str, int]) -> str:
    """The one count line every command prints: outcomes after reviewers' verdicts, the same
    numbers as the report and the score sheet."""
    return (f"检查结果：不合格 {counts.get('fail', 0)}，待复核 {counts.get('needs_review', 0)}，"
            f"通过 {counts.get('pass', 0)}，未能检测 {counts.get('not_measured', 0)}")


def render(store: Store, run_id: str, out: Path, **options: Any) -> "Written":
    """write_reports, with the counts the outputs show (see reports.outputs.Written)."""

    return write_all(store, run_id, out, **options)


def interrupted_run(store: Store, mode: str) -> dict[str, Any] | None:
    """The latest run of `mode`, when Ctrl-C/SIGTERM interrupted its crawl (runs.coverage)."""
    store.mark_abandoned_runs()
    rows = list(store.db.query("SELECT * FROM runs WHERE mode=? ORDER BY started DESC, rowid DESC LIMIT 1", [mode]))
    if not rows or rows[0]["status"] == "running":
        return None
    cov = json.loads(rows[0].get("coverage") or "{}")
    return rows[0] if "interrupted" in (cov.get("reasons") or []) else None


def unit_grades(store: Store, run_id: str) -> dict[str, dict[str, Any]]:
    """unit → {score, grade, partial, reason} of the primary profile (reports/scoring.py stores them)."""
    cov = {u["unit_id"]: json.loads(u.get("coverage") or "{}") for u in store.units(run_id)}
    try:
        rows = store.conn.execute(
            "SELECT p.unit_id, p.items FROM profile_scores p JOIN scores s ON s.run_id=p.run_id "
            "AND s.unit_id=p.unit_id AND s.profile=p.profile WHERE p.run_id=?", (run_id,)).fetchall()
    except sqlite3.OperationalError:  # no scores table: nothing was scored
        rows = []
    out: dict[str, dict[str, Any]] = {}
    for uid, detail in rows:
        d = json.loads(detail or "{}")
        c = cov.get(uid) or {}
        out[uid] = {"score": d.get("provisional"), "grade": d.get("provisional_grade"),
                    "partial": c.get("status") == "partial", "reason": c.get("reason_text")}
    return out


def write_reports(store: Store, run_id: str, out: Path, **options: Any) -> dict[str, Path]:
    """Every output made from the findings in the store (no network): findings.json, report.html
    (+ units/*.html), scores.xlsx, and evidence bundles when options say bundle=True (see
    reports.outputs.write_outputs for rubric=, reviews=, bundle=, warc=)."""

    return write_outputs(store, run_id, out, **options)


def units_from_store(store: Store, run_id: str) -> list[Unit]:

    return [Unit(**json.loads(u["config"])) for u in store.units(run_id)]
