"""Issue 17 point 4 — one truth for a rule's appraisal item: the registry (RULE.item) is the source;
`rules`, the rubric, findings.json, the report and the score sheet all say the same item.
link.broken, link.soft-404 and column.blank are 8.6.2 (DB15/T 8.6.2: the site built and run to
DB15/T 2093; 8.6.1 is the supervising department's responsibility, 8.2.5 the disclosure catalogue)."""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from govaudit.checks.registry import all_rules, get_rule
from govaudit.config import ConfigError
from govaudit.reports.rubric import load_rubric
from tests.conftest import ROOT, run_cli

MOVED = {"link.broken": "8.6.2", "link.soft-404": "8.6.2", "column.blank": "8.6.2"}


def test_registry_items_of_the_moved_rules():
    for rule, item in MOVED.items():
        assert get_rule(rule).item == item
    proc = run_cli("rules", "--json", timeout=60)
    listed = {r["id"]: r["item"] for r in json.loads(proc.stdout)}
    assert listed == {r.id: r.item for r in all_rules()}
    explained = run_cli("explain", "column.blank", timeout=60).stdout
    assert "考核项 8.6.2" in explained


def test_the_standard_rubric_deducts_every_rule_under_its_registry_item():
    items = {r.id: r.item for r in all_rules()}
    load_rubric("national", items)  # the shipped profiles name only rules of the registry, each under its item
    rubric = load_rubric("standard", items)
    for pattern, item_ids in rubric.rule_items().items():
        if not pattern.endswith("*"):
            assert set(item_ids) == {items[pattern]}, (pattern, item_ids)


def test_a_rubric_that_puts_a_rule_under_another_item_is_an_error(tmp_path):
    text = (ROOT / "config" / "rubric.yaml").read_text(encoding="utf-8")
    moved = text.replace("          - {rule: site.not-updated, per: once, points: 3}\n",
                         "          - {rule: site.not-updated, per: once, points: 3}\n"
                         "          - {rule: column.blank, per: finding, points: 1}\n", 1)
    assert moved != text
    path = tmp_path / "r.yaml"
    path.write_text(moved, encoding="utf-8")
    registry = {r.id: r.item for r in all_rules()}
    with pytest.raises(ConfigError) as e:
        load_rubric(path, registry)
    assert "column.blank" in str(e.value) and "8.6.2" in str(e.value) and ".rule" in str(e.value)
    path.write_text(text.replace("rule: link.broken, per: finding, points: 0.5", "rule: link.brokn, per: finding, "
                                 "points: 0.5", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_rubric(path, registry)
    assert "link.broken" in str(e.value)   # the closest id


def test_every_output_says_the_same_item(demo_audit, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    db = sqlite3.connect(out / "govaudit.sqlite")   # a store written before the items moved
    db.execute("UPDATE findings SET item='8.6.1' WHERE rule IN ('link.broken', 'link.soft-404')")
    db.execute("UPDATE findings SET item='8.2.5' WHERE rule='column.blank'")
    db.commit()
    db.close()
    assert run_cli("report", "--out", str(out), timeout=180).returncode == 1
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    seen = {f["rule"]: f["item"] for f in doc["findings"] if f["rule"] in MOVED}
    assert seen == MOVED
    ws = openpyxl.load_workbook(out / "scores.xlsx")["问题清单"]
    sheet = {(r[2], r[1]) for r in ws.iter_rows(min_row=2, values_only=True) if r[2] in MOVED}
    assert {rule for rule, _ in sheet} >= {"link.broken", "column.blank"}
    assert all(item == MOVED[rule] for rule, item in sheet), sheet
    page = (out / "units" / "qingshan.html").read_text(encoding="utf-8")
    section = page[page.index('id="item-8.6.2"'):]
    section = section[:section.find('id="item-', 10)]
    for rule in ("link.broken", "column.blank"):
        assert rule in section
    for other in ("8.6.1", "8.2.5"):
        if f'id="item-{other}"' in page:
            part = page[page.index(f'id="item-{other}"'):]
            part = part[:part.find('id="item-', 10)]
            assert "link.broken" not in part and "column.blank" not in part


def test_readme_rule_table_matches_the_registry():
    # the rule catalogue is docs/rules.md, generated from the registry (tests/test_rules_golden.py checks
    # it); a rule row written into README by hand must still agree with the registry
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/rules.md" in readme
    items = {r.id: r.item for r in all_rules()}
    for line in readme.splitlines():
        m = re.match(r"\|\s*`([a-z]+\.[a-z0-9-]+)`\s*\|\s*([0-9.]+)\s*\|", line)
        if m and m[1] in items:
            assert items[m[1]].startswith(m[2]), (m[1], m[2], items[m[1]])
