"""Run the registered rules over a stored crawl and store their findings."""
from __future__ import annotations

import datetime as dt
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from govaudit.checks.analyses.provider import Provider, closure
from govaudit.checks import coverage
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule, all_rules
from govaudit.model import Finding, Unit
from govaudit.store import Store
from govaudit.text import reason as reason_zh

log = logging.getLogger("govaudit.checks")


def select_rules(patterns: list[str] | None = None) -> list[Rule]:
    """All rules, or those whose id equals or starts with one of the patterns ('link.', 'guide')."""
    rules = all_rules()
    if not patterns:
        return rules
    return [r for r in rules if any(r.id == p or r.id.startswith(p.rstrip("*").rstrip(".") + ".") for p in patterns)]


def record(store: Store, run_id: str, units: list[Unit], rules_run: list[Rule]) -> None:
    """What the check stage knew and ran: every registered rule's id, item and title (the reports
    read them from the store) and the rules run on each unit."""
    store.save_rule_catalog(run_id, [(r.id, r.item, r.title) for r in all_rules()])
    store.record_checked(run_id, [u.id for u in units], [r.id for r in rules_run])


def run_rule(rule: Rule, ctx: CheckContext) -> list[Finding]:
    """One rule on one unit, with the outcome discipline: an unreachable site or a crash is
    `not_measured`, and silence means `pass`."""
    home = ctx.home
    home_ok = bool(home) and not home.get("reason") and (home.get("status") or 0) < 400
    if rule.needs_crawl and not home_ok:
        why = (home or {}).get("reason") or (f"HTTP {home['status']}" if home else "home page not fetched")
        return [ctx.finding(rule, "not_measured", ctx.unit.url, f"未能检测：首页无法访问（{reason_zh(why)}）",
                            data={"reason": why})]
    try:
        findings = list(rule.check(ctx))
    except Exception as e:  # a rule bug must not sink the audit of the other rules
        log.exception("rule %s failed on unit %s", rule.id, ctx.unit.id)
        return [ctx.finding(rule, "not_measured", ctx.unit.url, f"未能检测：规则执行出错（{type(e).__name__}: {e}）",
                            data={"error": f"{type(e).__name__}: {e}"})]
    if not findings:
        findings = [ctx.finding(rule, "pass", ctx.unit.url, coverage.SILENT_PASS)]
    return coverage.apply(rule, findings, ctx.coverage)


def run_checks(store: Store, run_id: str, units: list[Unit], config: dict[str, Any],
               today: dt.date, rules: list[Rule] | None = None, only: bool = False) -> list[Finding]:
    """Every rule on every unit; findings stored per unit (this process is the only writer).
    Big runs use several processes (see check_workers); the findings are the same either way.
    `only`: replace just these rules' findings (`check --rule`), the other rules' stored ones stay."""
    rules = rules if rules is not None else all_rules()
    replace = [r.id for r in rules] if only else None
    record(store, run_id, units, rules)
    workers = check_workers(store, run_id)
    tasks = [(u, g) for u in units for g in rule_groups(rules)]
    if workers > 1 and len(tasks) > 1:
        return _run_parallel(store, run_id, units, config, today, rules, min(workers, len(tasks)), replace)
    out: list[Finding] = []
    for i, unit in enumerate(units, 1):
        found, records = _check(store, run_id, unit, config, today, rules)
        _save(store, run_id, unit, found, i, len(units), replace, records)
        out.extend(found)
    return out


PARALLEL_MIN_PAGES = 2000   # below this, starting processes costs more than it saves
MAX_WORKERS = 4


def check_workers(store: Store, run_id: str) -> int:
    """Processes for the check stage: GOVAUDIT_CHECK_WORKERS if set, else one per core (at most
    4) for runs of PARALLEL_MIN_PAGES stored pages or more, else 1."""
    env = os.environ.get("GOVAUDIT_CHECK_WORKERS")
    if env:
        return max(1, int(env))
    pages = store.conn.execute("SELECT count(*) FROM pages WHERE run_id=?", (run_id,)).fetchone()[0]
    return min(os.cpu_count() or 1, MAX_WORKERS) if pages >= PARALLEL_MIN_PAGES else 1


def rule_groups(rules: list[Rule]) -> list[list[Rule]]:
    """The rules in groups that share no analysis (each computed once per unit, in one task): rules
    whose declared analyses (`Rule.uses` and what those need) overlap are in one group, in rule
    order; the rules that use no analysis form the last group."""
    groups: list[tuple[set[type[Provider]], list[Rule]]] = []
    alone: list[Rule] = []
    for rule in rules:
        kinds = set(closure(rule.uses))
        if not kinds:
            alone.append(rule)
            continue
        joined = [g for g in groups if g[0] & kinds]
        merged: tuple[set[type[Provider]], list[Rule]] = (kinds, [rule])
        for g in joined:
            merged[0].update(g[0])
            merged[1][:0] = g[1]
            groups.remove(g)
        groups.append(merged)
    order = {r.id: i for i, r in enumerate(rules)}
    out = [sorted(g[1], key=lambda r: order[r.id]) for g in groups]
    out.sort(key=lambda g: order[g[0].id])
    return out + ([alone] if alone else [])


def check_unit(store: Store, run_id: str, unit: Unit, config: dict[str, Any], today: dt.date,
               rules: list[Rule]) -> list[Finding]:
    return _check(store, run_id, unit, config, today, rules)[0]


Records = dict[str, list[dict[str, Any]]]


def _check(store: Store, run_id: str, unit: Unit, config: dict[str, Any], today: dt.date,
           rules: list[Rule]) -> tuple[list[Finding], Records]:
    """The findings of the rules on one unit, and the rows their analyses derived for the store."""
    ctx = CheckContext(store=store, run_id=run_id, unit=unit, config=config, today=today)
    found: list[Finding] = []
    for rule in rules:
        found.extend(run_rule(rule, ctx))
    return found, ctx.records


def _check_task(store_path: str, run_id: str, unit: Unit, config: dict[str, Any], today: dt.date,
                rule_ids: list[str]) -> tuple[list[Finding], Records]:
    """One unit and one group of rules, in a worker process with its own read-only connection."""
    by_id = {r.id: r for r in all_rules()}
    store = Store(store_path, readonly=True)
    try:
        return _check(store, run_id, unit, config, today, [by_id[i] for i in rule_ids])
    finally:
        store.close()


def _run_parallel(store: Store, run_id: str, units: list[Unit], config: dict[str, Any], today: dt.date,
                  rules: list[Rule], workers: int, replace: list[str] | None = None) -> list[Finding]:
    order = {r.id: i for i, r in enumerate(rules)}
    groups = rule_groups(rules)
    log.info("checking %d unit(s) in %d processes", len(units), workers)
    out: list[Finding] = []
    done = 0
    # spawn, not fork: the parent may hold Twisted's reactor and open SQLite handles
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = [[pool.submit(_check_task, str(store.path), run_id, u, config, today, [r.id for r in g])
                    for g in groups] for u in units]
        try:
            for unit, futs in zip(units, futures):
                results = [fut.result() for fut in futs]
                found = [f for res in results for f in res[0]]
                records: Records = {k: v for res in results for k, v in res[1].items()}
                found.sort(key=lambda f: order.get(f.rule, 0))  # stable: the order of a sequential run
                done += 1
                _save(store, run_id, unit, found, done, len(units), replace, records)
                out.extend(found)
        except BrokenProcessPool:  # a worker died (out of memory, killed): finish here, one at a time
            log.warning("a check process died; checking the remaining %d unit(s) in this process", len(units) - done)
            for i, unit in enumerate(units[done:], done + 1):
                found, records = _check(store, run_id, unit, config, today, rules)
                _save(store, run_id, unit, found, i, len(units), replace, records)
                out.extend(found)
    return out


def _save(store: Store, run_id: str, unit: Unit, found: list[Finding], i: int, n: int,
          rules: list[str] | None = None, records: Records | None = None) -> None:
    store.replace_findings(run_id, unit.id, found, rules=rules)
    if records and "messages" in records:  # only when the interaction analysis ran on this unit
        store.replace_messages(run_id, unit.id, records["messages"])
    problems = sum(1 for f in found if f.outcome in ("fail", "needs_review"))
    log.info("已检查 %s（%d/%d）：%d 条结果，其中 %d 条需处理", unit.id, i, n, len(found), problems)
