"""govaudit nightly --units FILE --out DIR — every unit, concurrently, with history and a diff.

One Scrapy process crawls all units (per-host download slots, per-unit concurrency, delay and
budgets), so a slow or dead site neither blocks nor fails the others: its home fetch fails, it is
recorded in `probes` (source='crawl') and its unit is 'unreachable'. Then the checks and reports,
then the diff against each unit's previous complete run (printed and saved to OUT/diff.json),
then retention. Conditional requests reuse the previous run's bodies; --resume restarts a killed
run where it stopped. Everything is logged to OUT/nightly.log as well as the terminal.

Exit codes: 0 the run completed (fail findings are a portfolio's normal state; see diff.json);
2 usage/configuration, or another run still going; 3 no unit could be crawled at all; 130 the crawl
was stopped by a signal (the run is left incomplete for --resume).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any, Callable

from govaudit.commands._common import (WRITE_ERRNOS, UsageError, add_crawl_options, crawl_defaults, load_rules,
                                       parse_today, setup_logging, writes_out)

log = logging.getLogger("govaudit.nightly")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("nightly", help="crawl and check every unit of a units file, with history and a diff")
    p.add_argument("--units", required=True, metavar="FILE", help="units file (see config/units.example.yaml)")
    p.add_argument("--out", default="out/nightly", help="output folder, kept from night to night (default: out/nightly)")
    p.add_argument("--resume", action="store_true",
                   help="continue the last nightly run if it was interrupted (same audit date); else start a new one")
    p.add_argument("--no-incremental", action="store_true", help="no conditional requests (fetch every body again)")
    p.add_argument("--keep-runs", type=int, default=30,
                   help="runs whose bodies and links are kept (older ones keep findings and hashes; default 30)")
    p.add_argument("--log", metavar="FILE", help="log file (default: OUT/nightly.log)")
    p.add_argument("--progress", type=float, default=10.0, help="seconds between progress lines (default 10)")
    add_crawl_options(p)
    p.set_defaults(func=run)


def _resumable(store: Any, today: dt.date) -> dict[str, Any] | None:
    """The latest nightly run, if it did not finish (killed: 'incomplete' or 'running' without a
    process) and audits the same day: yesterday's broken run is not continued tonight."""
    store.mark_abandoned_runs()
    rows = list(store.db.query("SELECT * FROM runs WHERE mode='nightly' ORDER BY started DESC, rowid DESC LIMIT 1"))
    if not rows or rows[0]["status"] != "incomplete":
        return None
    if rows[0]["today"] != today.isoformat():
        log.info("运行 %s 被中断，但它的审计日期是 %s 而非 %s：不继续它", rows[0]["id"], rows[0]["today"], today)
        return None
    return rows[0]


def _previous_crawl(store: Any, run_id: str) -> str | None:
    row = store.conn.execute(
        "SELECT r.id FROM runs r WHERE r.id<>? AND r.status IN ('complete','incomplete') "
        "AND r.id NOT IN (SELECT run_id FROM pruned_runs) AND EXISTS (SELECT 1 FROM pages p WHERE p.run_id=r.id) "
        "ORDER BY r.started DESC, r.rowid DESC LIMIT 1", (run_id,)).fetchone()
    return row[0] if row else None


@writes_out()
def run(args: argparse.Namespace) -> int:
    from govaudit.config import load_units  # start-up cost: a command loads its stages when it runs

    units, file_defaults = load_units(Path(args.units))
    rules_conf = load_rules(args)
    defaults = crawl_defaults(args, rules_conf, file_defaults)
    if args.keep_runs < 1:
        raise UsageError("--keep-runs must be at least 1")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    setup_logging(args.quiet, args.verbose, args.log or str(out / "nightly.log"))
    return nightly(units, out, defaults, rules_conf, parse_today(args.today), resume=args.resume,
                   incremental=not args.no_incremental, keep_runs=args.keep_runs, progress=args.progress)


def nightly(units: list[Any], out: Path, defaults: dict[str, Any], rules_conf: dict[str, Any], today: dt.date,
            resume: bool = False, incremental: bool = True, keep_runs: int = 30, progress: float = 10.0) -> int:
    from govaudit.crawler import incremental as inc  # start-up cost: a command loads its stages when it runs
    from govaudit.crawler.run import crawl  # start-up cost: a command loads its stages when it runs
    from govaudit.store import STORE_NAME, Store  # start-up cost: a command loads its stages when it runs

    store_path = out / STORE_NAME
    store = Store(store_path)
    try:
        store.mark_abandoned_runs()
        busy = store.conn.execute("SELECT id, pid FROM runs WHERE status='running' AND mode IN ('nightly', "
                                  "'distributed')").fetchone()
        if busy:  # cron started tonight's run while last night's is still going: one writer per store
            raise UsageError(f"run {busy[0]} (pid {busy[1]}) is still running in {store_path}")
        run_row = _resumable(store, today) if resume else None
        if run_row is not None:
            run_id = run_row["id"]
            today = dt.date.fromisoformat(run_row["today"])
            store.db["runs"].update(run_id, {"status": "running", "pid": os.getpid(), "finished": None,
                                             "note": "resumed"})
            known = {u["unit_id"]: u for u in store.units(run_id)}
            for u in units:
                if u.id not in known:
                    store.add_unit(run_id, u)
            crawl_done = bool(known) and all(u["status"] != "pending" for u in known.values()) \
                and all(u.id in known for u in units)
            log.info("继续运行 %s（%s）", run_id, "抓取已完成，继续检查" if crawl_done else "继续抓取")
        else:
            if resume:
                log.info("没有被中断的夜间运行可继续：开始新的运行")
            run_id = store.start_run("nightly", {"crawl": defaults}, today=today.isoformat())
            for u in units:
                store.add_unit(run_id, u)
            crawl_done = False
        previous = _previous_crawl(store, run_id) if incremental else None
    finally:
        store.close()

    log.info("夜间运行 %s：%d 个单位，写入 %s%s", run_id, len(units), store_path,
             f"（按运行 {previous} 发条件请求）" if previous else "")
    summary: dict[str, Any] = {}
    if not crawl_done:
        resume_run = run_id if run_row is not None else None

        def configure(settings: Any) -> None:
            inc.configure(settings, previous_run=previous, resume_run=resume_run)

        summary = crawl(units, str(store_path), run_id, defaults, rules_conf["shared"]["attachment_extensions"],
                        progress, configure=configure)
        from govaudit.crawler import unitsdone  # start-up cost: a command loads its stages when it runs

        if unitsdone.last_close_reason not in (None, "finished"):
            return _interrupted(store_path, run_id, unitsdone.last_close_reason)
    return finish_run(store_path, run_id, units, rules_conf, today, out, keep_runs, summary)


def finish_run(store_path: Path, run_id: str, units: list[Any], rules_conf: dict[str, Any], today: dt.date,
               out: Path, keep_runs: int, summary: dict[str, Any] | None = None,
               checker: Callable[..., list[Any]] | None = None) -> int:
    """After the crawl: crawl outcomes into `probes`, checks, the diff (OUT/diff.json), reports,
    retention, and the summary on the terminal. Shared by `nightly` and `collect` (whose `checker`
    may hand units to the workers: commands/_distcheck.py)."""
    from govaudit.checks.run import run_checks  # start-up cost: a command loads its stages when it runs
    from govaudit import history  # start-up cost: a command loads its stages when it runs
    from govaudit.pipeline import summary_line  # start-up cost: a command loads its stages when it runs
    from govaudit.store import Store  # start-up cost: a command loads its stages when it runs

    summary = dict(summary or {})
    store = Store(store_path)
    try:
        history.record_crawl_outcomes(store, run_id)
        if not summary:
            summary = {u["unit_id"]: {"status": u["status"], "pages": u["pages"], "errors": u["errors"]}
                       for u in store.units(run_id)}
    finally:
        store.close()
    for uid, s in sorted(summary.items()):
        state = "首页无法访问" + (f"（{s.get('home_failed')}）" if s.get("home_failed") else "") \
            if s["status"] == "unreachable" else \
            f"部分抓取（{(s.get('coverage') or {}).get('reason_text') or '见报告'}），等级为暂定" \
            if s["status"] == "partial" else "已抓取"
        log.info("%s: %s，%d 个请求，%d 个错误", uid, state, s["pages"], s["errors"])

    store = Store(store_path)
    try:
        findings = (checker or run_checks)(store, run_id, units, rules_conf, today)
        store.finish_run(run_id, "complete")
        outputs, c = _reports(store, run_id, out)  # first: the reports store tonight's scores for the trend
        diff = history.diff_run(store, run_id)
        text = json.dumps(diff, ensure_ascii=False, indent=1)
        _write_atomic(out / "diff.json", text)
        (out / "history").mkdir(exist_ok=True)  # every night's diff kept beside the latest
        (out / "history" / f"{run_id}-diff.json").write_text(text, encoding="utf-8")
        pruned = history.prune(store, keep_runs)
    finally:
        store.close()
    if c is None:  # no report: the machine's outcomes (reviewers' verdicts are applied by the report)
        c = {}
        for f in findings:
            c[f.outcome] = c.get(f.outcome, 0) + 1
    print(f"run {run_id}: {len(units)} 个单位，已抓取 {sum(1 for s in summary.values() if s['status'] != 'unreachable')}，"
          f"首页无法访问 {sum(1 for s in summary.values() if s['status'] == 'unreachable')}")
    print(summary_line(c))
    print(history.format_diff(diff))
    if pruned:
        print(f"retention: bodies and links of {len(pruned)} old run(s) removed (findings kept)")
    for name, path in {**outputs, "diff": out / "diff.json"}.items():
        print(f"{name}: {path}")
    print(f"store: {store_path} (run {run_id})")
    if summary and all(s["status"] == "unreachable" for s in summary.values()):
        return 3
    return 0


def _write_atomic(path: Path, text: str) -> None:
    """A full disk leaves last night's file whole (and no stray part), never half of tonight's."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _reports(store: Any, run_id: str, out: Path) -> tuple[dict[str, Path], dict[str, int] | None]:
    """findings.json and the HTML report, with the counts they show (None when the report failed);
    a broken report must not lose the night's findings and diff (they are in the store and
    diff.json; `govaudit report` renders them again)."""
    from govaudit.pipeline import render  # start-up cost: a command loads its stages when it runs

    try:
        written = render(store, run_id, out)
        return written.outputs, dict(written.counts)
    except Exception as e:  # noqa: BLE001
        if isinstance(e, OSError) and e.errno in WRITE_ERRNOS:
            raise  # OUT cannot be written (disk full): one line and exit 4, not a traceback in the log
        log.exception("reports for run %s could not be written (run `govaudit report --out %s` later)", run_id, out)
        try:
            from govaudit.reports.findings_json import write_findings_json  # start-up cost: a command loads its stages when it runs

            return {"findings": write_findings_json(store, run_id, out / "findings.json")}, None
        except Exception:  # noqa: BLE001
            log.exception("findings.json for run %s could not be written", run_id)
            return {}, None


def _interrupted(store_path: Path, run_id: str, reason: str) -> int:
    """The crawl was stopped (SIGTERM from systemd, Ctrl-C): keep what was stored, check nothing,
    leave the run to `--resume`."""
    from govaudit.store import Store  # start-up cost: a command loads its stages when it runs

    store = Store(store_path)
    try:
        store.conn.execute("UPDATE units SET status='pending' WHERE run_id=?", (run_id,))
        store.finish_run(run_id, "incomplete", f"crawl stopped ({reason})")
    finally:
        store.close()
    log.warning("运行 %s 在抓取完成前停止（%s）：用 `govaudit nightly --resume` 继续",
                run_id, reason)
    return 130
