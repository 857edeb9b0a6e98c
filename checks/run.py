"""Run the registered rules over a stored crawl and store their findings."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from checks.context import CheckContext
from checks.registry import Rule, all_rules
from govaudit.model import Finding, Unit
from govaudit.store import Store

log = logging.getLogger("govaudit.checks")


def select_rules(patterns: list[str] | None = None) -> list[Rule]:
    """All rules, or those whose id equals or starts with one of the patterns ('link.', 'guide')."""
    rules = all_rules()
    if not patterns:
        return rules
    return [r for r in rules if any(r.id == p or r.id.startswith(p.rstrip("*").rstrip(".") + ".") for p in patterns)]


def run_rule(rule: Rule, ctx: CheckContext) -> list[Finding]:
    """One rule on one unit, with the outcome discipline: an unreachable site or a crash is
    `not_measured`, and silence means `pass`."""
    home = ctx.home
    home_ok = bool(home) and not home.get("reason") and (home.get("status") or 0) < 400
    if rule.needs_crawl and not home_ok:
        why = (home or {}).get("reason") or (f"HTTP {home['status']}" if home else "home page not fetched")
        return [ctx.finding(rule, "not_measured", ctx.unit.url, f"未能检测：首页无法访问（{why}）",
                            data={"reason": why})]
    try:
        findings = list(rule.check(ctx))
    except Exception as e:  # a rule bug must not sink the audit of the other rules
        log.exception("rule %s failed on unit %s", rule.id, ctx.unit.id)
        return [ctx.finding(rule, "not_measured", ctx.unit.url, f"未能检测：规则执行出错（{type(e).__name__}: {e}）",
                            data={"error": f"{type(e).__name__}: {e}"})]
    if not findings:
        findings = [ctx.finding(rule, "pass", ctx.unit.url, "未发现问题")]
    return findings


def run_checks(store: Store, run_id: str, units: list[Unit], config: dict[str, Any],
               today: dt.date, rules: list[Rule] | None = None, browser_available: bool = False) -> list[Finding]:
    rules = rules if rules is not None else all_rules()
    out: list[Finding] = []
    for unit in units:
        ctx = CheckContext(store=store, run_id=run_id, unit=unit, config=config, today=today,
                           browser_available=browser_available)
        found: list[Finding] = []
        for rule in rules:
            found.extend(run_rule(rule, ctx))
        store.replace_findings(run_id, unit.id, found)
        out.extend(found)
    return out
