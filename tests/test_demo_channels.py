"""request.channel, catalog.missing, plan.missing on the demo portal (sections/channels.py): each plant
found, nothing else, its look-alikes seen, and items 8.1.2, 8.2.5, 8.3.1 prefilled in the score sheet."""
from __future__ import annotations

import openpyxl

from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings

RULES = ("request.channel", "catalog.missing", "plan.missing")


def _mine(out):
    return [f for f in read_findings(out) if f["rule"] in RULES]


def test_every_plant_found_and_nothing_else(demo_audit):
    for rule in RULES:
        expected, got = demo_problems(demo_audit, rule)
        assert expected, rule
        missing, unexpected = compare(expected, got)
        assert missing == [] and unexpected == [], (rule, missing, unexpected)


def test_what_the_rules_saw_behind_the_plants(demo_audit):
    by_rule: dict[str, list[dict]] = {}
    for f in _mine(demo_audit):
        by_rule.setdefault(f["rule"], []).append(f)
    [req] = by_rule["request.channel"]
    assert req["data"]["problem"] == "contact" and req["data"]["application_forms"] and req["data"]["systems"]
    assert [d["what"] for d in req["data"]["differences"]] == ["联系电话"]      # the address agrees
    assert "0471-6234599" in req["message"]
    [cat] = by_rule["catalog.missing"]
    assert cat["outcome"] == "fail" and cat["data"]["entry"] == "救灾" and cat["data"]["problem"] == "broken"
    assert cat["data"]["entries"] == 26 and cat["data"]["judged"] == 26 and len(cat["data"]["domains"]) >= 25
    [plan] = by_rule["plan.missing"]
    assert plan["outcome"] == "needs_review" and len(plan["data"]["found"]) == 2
    assert all(d["year"] < plan["data"]["year"] for d in plan["data"]["found"])


def test_score_sheet_prefills_the_three_items(demo_audit):
    ws = openpyxl.load_workbook(demo_audit / "scores.xlsx")["qingshan"]
    proposed = {ws.cell(r, 1).value: ws.cell(r, 4).value for r in range(7, ws.max_row + 1)}
    assert proposed["8.1.2"] == 0        # plan.missing needs_review counts (2 of 2)
    assert proposed["8.2.5"] == 4        # one broken 领域 entry: −1
    assert proposed["8.3.1"] == 4        # the phone differs from the guide's: −1
    assert proposed["8.3.2"] is None     # still the reviewer's


def test_unit_page_names_the_level(demo_audit):
    page = (demo_audit / "units" / "qingshan.html").read_text(encoding="utf-8")
    assert "层级 县级" in page
