"""The rule registry: every module under checks/<family>/ that defines RULE and check().

To add a rule: create checks/<family>/<name>.py with
    RULE = Rule(id="family.name", item="8.x.y", title="…", defaults={…}, uses=(ColumnsAnalysis,))
    def check(ctx: CheckContext) -> Iterable[Finding]: …
and a docstring saying what it checks, why, how and its limits. Nothing else to register. A rule
reads its settings as validated (`ctx.settings(RULE.id)["key"]`: config.validate has merged the
defaults), requests shared analyses by type (`ctx.get(ColumnsAnalysis)`, govaudit/checks/analyses/)
and imports no other rule module.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Iterable

import govaudit.checks
from govaudit.checks.analyses.provider import Provider
from govaudit.text import RULE_ADVICE


@dataclass(frozen=True)
class Rule:
    id: str                      # stable id from requirements.md, never renamed
    item: str                    # appraisal item of the standard, e.g. "8.6.1"
    title: str                   # short Chinese title for reports
    defaults: dict[str, Any] = field(default_factory=dict)  # config/rules.yaml schema + defaults
    uses: tuple[type[Provider], ...] = ()  # the analyses check() requests (ctx.get): parallel grouping
    needs_browser: bool = False  # listed by `govaudit rules --json`
    needs_crawl: bool = True     # False: the rule still speaks when the home page could not be fetched
    # 整改建议 (a template govaudit.reports.fixes fills from the finding) and the Chinese summary for
    # `explain`: from the catalogue govaudit.text.RULE_ADVICE unless the module sets them
    fix: str = ""
    summary: str = ""
    doc: str = ""
    check: Callable[..., Iterable[Any]] | None = None
    module: str = ""


_RULES: dict[str, Rule] | None = None
ANALYSES = "govaudit.checks.analyses."  # shared analyses, not rules


def _discover() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for info in pkgutil.walk_packages(govaudit.checks.__path__, "govaudit.checks."):
        if info.ispkg or info.name.rsplit(".", 1)[-1].startswith("_") or info.name.count(".") < 3 \
                or info.name.startswith(ANALYSES):
            continue
        mod: ModuleType = importlib.import_module(info.name)
        rule = getattr(mod, "RULE", None)
        if not isinstance(rule, Rule):
            continue
        if rule.id in found:
            raise RuntimeError(f"rule id {rule.id} defined twice ({found[rule.id].module}, {info.name})")
        fix, summary = RULE_ADVICE.get(rule.id, ("", ""))
        found[rule.id] = Rule(**{**rule.__dict__, "doc": (mod.__doc__ or "").strip(),
                                 "check": getattr(mod, "check"), "module": info.name,
                                 "fix": rule.fix or fix, "summary": rule.summary or summary})
    return dict(sorted(found.items()))


def all_rules() -> list[Rule]:
    global _RULES
    if _RULES is None:
        _RULES = _discover()
    return list(_RULES.values())


def get_rule(rule_id: str) -> Rule:
    all_rules()
    assert _RULES is not None
    if rule_id not in _RULES:
        raise KeyError(rule_id)
    return _RULES[rule_id]
