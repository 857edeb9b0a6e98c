"""The floor plan of govaudit/checks/: named analyses declared by the rules that request them,
parallel groups from those declarations, no rule importing another, imports at module top, page
purposes by the enum."""
from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.checks.analyses.provider import Provider, all_providers, closure
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule, all_rules
from govaudit.checks.run import rule_groups, run_rule
from govaudit.config import SHARED_DEFAULTS, validate
from govaudit.pipeline import units_from_store
from govaudit.store import Store
from tests.conftest import ROOT

CHECKS = ROOT / "govaudit" / "checks"
FAMILIES = {p.name for p in CHECKS.iterdir() if p.is_dir() and p.name not in ("analyses", "__pycache__")}


@dataclass
class RecordingContext(CheckContext):
    """A context that notes who requested which analysis: a rule (None) or an analysis computing."""
    requests: dict[type[Provider] | None, set[type[Provider]]] = field(default_factory=dict)
    computing: list[type[Provider]] = field(default_factory=list)

    def get(self, kind: type[Any]) -> Any:
        self.requests.setdefault(self.computing[-1] if self.computing else None, set()).add(kind)
        if kind not in self.analyses:
            self.computing.append(kind)
            try:
                self.analyses[kind] = kind.compute(self)
            finally:
                self.computing.pop()
        return self.analyses[kind]


def test_rules_and_analyses_request_only_what_they_declare(demo_audit: Path, tmp_path: Path) -> None:
    shutil.copy(demo_audit / "govaudit.sqlite", tmp_path / "s.sqlite")
    store = Store(tmp_path / "s.sqlite", readonly=True)
    try:
        run = store.run(None)
        unit = units_from_store(store, run["id"])[0]
        conf = validate({}, {**{r.id: r.defaults for r in all_rules()}, "shared": SHARED_DEFAULTS}, "<defaults>")
        requested: set[type[Provider]] = set()
        for rule in all_rules():
            ctx = RecordingContext(store=store, run_id=run["id"], unit=unit, config=conf,
                                   today=dt.date.fromisoformat(run["today"]))
            found = run_rule(rule, ctx)
            assert not any("规则执行出错" in f.message for f in found), (rule.id, found)
            by_rule = ctx.requests.get(None, set())
            assert by_rule <= closure(rule.uses), f"{rule.id} requests {by_rule - closure(rule.uses)} undeclared"
            for kind, asked in ctx.requests.items():
                if kind is not None:
                    assert asked <= closure(kind.needs), f"{kind.__name__} requests {asked} without `needs`"
            requested |= by_rule
    finally:
        store.close()
    declared = {k for r in all_rules() for k in r.uses}
    assert requested == declared  # every declared analysis is requested by some rule on the demo


def test_provider_registry() -> None:
    providers = all_providers()
    assert [p.__name__ for p in providers] == ["ColumnsAnalysis", "GuideFound", "HygieneScan", "InteractionAnalysis", "InterpPairs",
                                               "ReportsFound", "SiteDocuments", "SitePages"]
    used = {k for r in all_rules() for k in closure(r.uses)}
    for p in providers:
        assert set(p.needs) <= set(providers), p
        assert p in used, f"{p.__name__} is used by no rule"


def test_rule_groups_keep_the_rules_of_an_analysis_together() -> None:
    rules = all_rules()
    groups = rule_groups(rules)
    assert sorted(r.id for g in groups for r in g) == sorted(r.id for r in rules)  # each rule once
    for g in groups:
        assert [r.id for r in g] == sorted(r.id for r in g)  # rule order within a task
    home = {}
    for i, g in enumerate(groups):
        for r in g:
            for kind in closure(r.uses):
                assert home.setdefault(kind, i) == i, f"{kind.__name__} computed in two tasks"
    assert len(groups) >= 3  # the analyses are independent enough to spread over processes


def test_rule_groups_follow_declarations_not_families() -> None:
    class A(Provider):
        pass

    class B(Provider):
        needs = (A,)

    class C(Provider):
        pass

    def rule(rid: str, *uses: type[Provider]) -> Rule:
        return Rule(id=rid, item="x", title="x", uses=uses)

    rules = [rule("a.one", A), rule("b.two", C), rule("c.three"), rule("d.four", B), rule("e.five", C)]
    assert [[r.id for r in g] for g in rule_groups(rules)] == [["a.one", "d.four"], ["b.two", "e.five"], ["c.three"]]


def _modules() -> list[tuple[str, Path, ast.Module]]:
    out = []
    for p in sorted(CHECKS.rglob("*.py")):
        rel = p.relative_to(CHECKS)
        out.append((".".join(("govaudit", "checks", *rel.with_suffix("").parts)), p, ast.parse(p.read_text("utf-8"))))
    return out


def _imports(tree: ast.Module) -> list[tuple[ast.stmt, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node, node.module)] + [(node, f"{node.module}.{a.name}") for a in node.names]
    return found


def test_no_rule_module_imports_another_and_analyses_import_no_rule() -> None:
    bad = []
    for name, _, tree in _modules():
        for _, target in _imports(tree):
            parts = target.split(".")
            if parts[:2] == ["govaudit", "checks"] and len(parts) > 2 and parts[2] in FAMILIES:
                bad.append(f"{name} imports {target}")  # rules are found by the registry, never imported
    assert bad == []


def test_imports_at_module_top_or_commented() -> None:
    bad = []
    for name, path, tree in _modules():
        lines = path.read_text("utf-8").splitlines()
        top = {id(n) for n in tree.body}
        type_checking = {id(s) for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
                         for s in n.body}
        for node, _ in _imports(tree):
            if id(node) in top or id(node) in type_checking:
                continue
            if "#" not in lines[node.lineno - 1]:
                bad.append(f"{name}:{node.lineno}")
    assert sorted(set(bad)) == []


def test_checks_name_page_purposes_by_the_enum_and_keep_no_string_keyed_caches() -> None:
    literal = re.compile(r"purpose\s*(?:=|IN\s*\()\s*'", re.I)
    for _, path, tree in _modules():
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        sql = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and id(n) not in docs]
        assert not any(literal.search(s) for s in sql), path
        text = path.read_text("utf-8")
        assert "ctx.extras" not in text and ".extras[" not in text, path


def test_rule_fields_are_all_read() -> None:
    # the fields a Rule declares, and who reads them (a field nobody reads is removed, not kept)
    assert set(Rule.__dataclass_fields__) == {"id", "item", "title", "defaults", "uses", "needs_browser",
                                              "needs_crawl", "doc", "check", "module", "fix", "summary"}


def test_every_declared_setting_is_read() -> None:
    # a setting in RULE.defaults that no code reads would be a knob that does nothing
    code = "\n".join(path.read_text("utf-8") for _, path, _ in _modules())
    unread = [f"{r.id}.{k}" for r in all_rules() for k in r.defaults
              if not re.search(r'\[\s*"%s"\s*\]' % re.escape(k), code)]
    assert unread == []


def test_rules_read_validated_settings_without_fallbacks() -> None:
    # config.validate merged every default: a fallback literal or a re-merge of RULE.defaults would be
    # a second copy of the default
    fallback = re.compile(r'(?:settings\([^)]*\)|conf|voc)\.get\("|\{\*\*\w+\.defaults')
    for _, path, _ in _modules():
        assert not fallback.search(path.read_text("utf-8")), path
