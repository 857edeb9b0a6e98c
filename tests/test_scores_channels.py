"""Items 8.1.2, 8.2.5 and 8.3.1 are scored from plan.missing, catalog.missing and request.channel
(issue 20): machine evidence, with a reviewer's verdict overriding it."""
from __future__ import annotations

from govaudit.checks.registry import all_rules
from govaudit.model import Finding
from govaudit.reports.reviews import Review
from govaudit.reports.rubric import load_rubric
from govaudit.reports.scoring import score_unit

AT = "2026-12-07T10:00:00+08:00"


def f(rule: str, item: str, outcome: str, key: str = "", **data: object) -> Finding:
    return Finding(rule=rule, item=item, outcome=outcome, unit="a", url="http://www.qs.gov.cn/xxgk/",
                   message="…", data=dict(data), key=key)


def rows(findings: list[Finding]) -> list[dict]:
    return [{"rule": x.rule, "item": x.item, "outcome": x.outcome, "data": x.data, "fingerprint": x.fingerprint,
             "url": x.url, "target": x.target, "message": x.message, "evidence": []} for x in findings]


def item(findings: list[Finding], item_id: str, reviews: dict[str, Review] | None = None):
    s = score_unit(load_rubric("standard", {r.id: r.item for r in all_rules()}), "a", rows(findings), reviews)
    return next(i for i in s.items if i.id == item_id)


def test_the_three_items_are_machine_items_now():
    std = load_rubric("standard")
    by_id = {i.id: i for i in std.items}
    for item_id, rule in (("8.1.2", "plan.missing"), ("8.2.5", "catalog.missing"), ("8.3.1", "request.channel")):
        assert not by_id[item_id].manual and {d.rule for d in by_id[item_id].deduct} == {rule}
    assert by_id["8.3.2"].manual   # the reply procedure is not on the site


def test_plan_missing_deducts_until_a_reviewer_says_otherwise():
    nr = f("plan.missing", "8.1.2", "needs_review")
    assert item([nr], "8.1.2").proposed == 0
    assert item([f("plan.missing", "8.1.2", "pass")], "8.1.2").proposed == 2
    fp = {nr.fingerprint: Review(nr.fingerprint, "false-positive", "张三", AT, "计划发布在县政府信息公开平台")}
    scored = item([nr], "8.1.2", fp)
    assert scored.proposed == 2 and scored.reviewed == 1


def test_catalog_missing_lines():
    assert item([f("catalog.missing", "8.2.5", "needs_review", problem="missing")], "8.2.5").proposed == 2
    entries = [f("catalog.missing", "8.2.5", "fail", key=str(i), problem=kind) for i, kind in
               enumerate(["broken", "blank", "broken", "blank", "broken"])]
    s = item(entries, "8.2.5")
    assert s.proposed == 2 and s.problems == 5            # 1 point each, capped at 3
    assert item([f("catalog.missing", "8.2.5", "not_applicable", level="city")], "8.2.5").proposed == 5
    unmeasured = item([f("catalog.missing", "8.2.5", "not_measured")], "8.2.5")
    assert unmeasured.proposed is None and unmeasured.status == "未能检测"


def test_request_channel_lines():
    assert item([f("request.channel", "8.3.1", "fail", problem="no-entry")], "8.3.1").proposed == 0
    assert item([f("request.channel", "8.3.1", "needs_review", key="channel", problem="channel")], "8.3.1").proposed == 2
    both = [f("request.channel", "8.3.1", "needs_review", key="channel", problem="channel"),
            f("request.channel", "8.3.1", "needs_review", key="contact", problem="contact")]
    assert item(both, "8.3.1").proposed == 1
    contact = both[1]
    fixed = {contact.fingerprint: Review(contact.fingerprint, "fixed", "李四", AT, "已统一为指南中的电话")}
    assert item(both, "8.3.1", fixed).proposed == 2
    assert item([f("request.channel", "8.3.1", "pass", problem=None)], "8.3.1").proposed == 5
