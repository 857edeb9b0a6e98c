"""Golden tests: every registered rule on small stored crawls described as files.

tests/rules/<rule-id>/<case>/ holds case.yaml (unit, audit date, page purposes and statuses,
renders, probes, config overrides), site/ (the pages) and expected.json (the findings). Each case
is built with tests/crawlkit.py, only that rule runs, through the real runner, and its findings
must equal expected.json. After a deliberate change, rewrite them and review the diff:

    GOVAUDIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_rules_golden.py
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from govaudit.checks.registry import all_rules
from tests.crawlkit import golden, load_case

REPO = Path(__file__).resolve().parent.parent
ROOT = Path(__file__).parent / "rules"
UPDATE = os.environ.get("GOVAUDIT_UPDATE_GOLDEN") == "1"
PROBLEMS = ("fail", "needs_review")
CASES = sorted(p.parent for p in ROOT.glob("*/*/case.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_rule_golden(case: Path, tmp_path: Path) -> None:
    rule_id = case.parent.name
    crawl, spec = load_case(case, tmp_path / "store.sqlite")
    got = golden(crawl.run(rule_id, spec.get("config")))
    assert got, "the runner always returns at least one finding"
    assert {f["rule"] for f in got} == {rule_id}
    expected_file = case / "expected.json"
    if UPDATE or not expected_file.exists():
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{expected_file} did not exist: written, review it and commit it")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got == expected, (f"{rule_id}/{case.name}: findings differ from expected.json; if the change is "
                             "intended, rerun with GOVAUDIT_UPDATE_GOLDEN=1 and review the diff")
    fires = any(f["outcome"] in PROBLEMS for f in got)
    assert fires == spec.get("fires", True), f"case.yaml says fires: {spec.get('fires', True)}"


def test_every_rule_has_a_firing_case_and_a_look_alike() -> None:
    """A rule without a golden folder, or with only one side of it, is not done."""
    missing = []
    for rule in all_rules():
        cases = [c for c in CASES if c.parent.name == rule.id]
        fires = {bool(load_fires(c)) for c in cases}
        if fires != {True, False}:
            missing.append(f"{rule.id} ({len(cases)} case(s))")
    unknown = sorted({c.parent.name for c in CASES} - {r.id for r in all_rules()})
    assert not unknown, f"golden folders for rules that do not exist: {unknown}"
    assert not missing, ("rules need a case that fires and a look-alike that does not "
                         f"(tests/rules/<rule-id>/<case>/): {', '.join(missing)}")


def load_fires(case: Path) -> bool:
    return bool((yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8")) or {}).get("fires", True))


def _gen_docs():
    """scripts/gen_docs.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    gen = _gen_docs()
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == gen.render(), f"docs/rules.md is out of date: regenerate it with `{gen.COMMAND}`"
    for page in gen.marked_pages():  # README.md / docs pages holding the summary table between markers
        assert page.read_text(encoding="utf-8") == gen.with_table(page), \
            f"the rule table in {page.relative_to(REPO)} is out of date: regenerate it with `{gen.COMMAND}`"
    for rule in all_rules():  # every rule documents what, why, how and its limits
        assert set(gen.sections(rule)) >= {"Why", "How", "Limits"}, rule.id
        assert gen.summary(rule), rule.id


def test_config_comments_link_files_that_exist() -> None:
    for path in (REPO / "config").glob("*.yaml"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for ref in re.findall(r"\b((?:docs|config|scripts|deploy)/[\w./-]+\.(?:md|yaml|sh|py))", line):
                assert (REPO / ref).exists(), f"{path.name}:{n} links {ref}, which does not exist"


def test_new_rule_scaffold_is_discovered_documented_and_golden(tmp_path: Path) -> None:
    """scripts/new_rule.py in a copy of the checkout: the registry finds the rule, docs/rules.md
    lists it, and its two golden stubs run (one fires, the look-alike does not)."""
    copy = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for d in ("govaudit", "scripts", "config", "docs"):
        shutil.copytree(REPO / d, copy / d, ignore=ignore)
    (copy / "tests").mkdir()
    for f in ("__init__.py", "crawlkit.py", "test_rules_golden.py"):
        shutil.copy(REPO / "tests" / f, copy / "tests" / f)
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    new = subprocess.run([sys.executable, "scripts/new_rule.py", "demo.sample-rule", "--item", "8.1.1",
                          "--title", "示例规则", "--root", str(copy)], cwd=copy, env=env, capture_output=True, text=True)
    assert new.returncode == 0, new.stderr
    assert (copy / "govaudit/checks/demo/sample_rule.py").is_file()
    found = subprocess.run([sys.executable, "-c", "from govaudit.checks.registry import get_rule; "
                            "r = get_rule('demo.sample-rule'); print(r.module, r.item, r.title)"],
                           cwd=copy, env=env, capture_output=True, text=True)
    assert found.stdout.split() == ["govaudit.checks.demo.sample_rule", "8.1.1", "示例规则"], found.stderr
    assert "| [`demo.sample-rule`](#demosample-rule) | 8.1.1 | 示例规则 |" in (copy / "docs/rules.md").read_text("utf-8")
    again = subprocess.run([sys.executable, "scripts/new_rule.py", "demo.sample-rule", "--item", "8.1.1",
                            "--title", "示例规则", "--root", str(copy)], cwd=copy, env=env, capture_output=True, text=True)
    assert again.returncode != 0 and "已存在" in again.stderr
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_rules_golden.py",
                            "-k", "demo.sample-rule or docs_rules_md"], cwd=copy, capture_output=True, text=True,
                           env={**env, "GOVAUDIT_UPDATE_GOLDEN": "1"}, timeout=240)
    assert "3 passed" in tests.stdout, tests.stdout[-3000:] + tests.stderr[-3000:]
    cases = copy / "tests/rules/demo.sample-rule"
    assert [f["outcome"] for f in json.loads((cases / "fires/expected.json").read_text("utf-8"))] == ["fail"]
    assert [f["outcome"] for f in json.loads((cases / "look-alike/expected.json").read_text("utf-8"))] == ["pass"]
