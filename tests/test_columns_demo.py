"""column.* and guide.* on the demo portal: every planted case found, and nothing else."""
from __future__ import annotations

from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings


def _check(out, prefix: str, at_least: int) -> None:
    expected, got = demo_problems(out, prefix)
    assert len(expected) >= at_least
    missing, unexpected = compare(expected, got)
    assert missing == [], missing
    assert unexpected == [], unexpected


def test_columns_planted_and_nothing_else(demo_audit) -> None:
    _check(demo_audit, "column.", 3)


def test_guide_planted_and_nothing_else(demo_audit) -> None:
    _check(demo_audit, "guide.", 1)


def test_demo_platform_details(demo_audit) -> None:
    found = {f["rule"]: f for f in read_findings(demo_audit) if f["rule"].startswith(("column.", "guide."))
             and f["outcome"] == "pass"}
    subs = found["column.statutory-missing"]["data"]["found"]
    assert subs["guide"]["label"].replace(" ", "") == "信息公开指南"   # the name variant, split by <br>
    assert found["column.platform-missing"]["data"]["on_home"] is True
    assert found["column.content-items"]["data"]["missing"] == []
    incomplete = [f for f in read_findings(demo_audit) if f["rule"] == "guide.incomplete"][0]
    assert sorted(incomplete["data"]["missing"]) == ["arrangement", "hours"]
    assert incomplete["data"]["elements"]["fax"]["found"]            # "传　真" still counts
    stale = {f["url"].rsplit("/xxgk/", 1)[-1]: f["data"] for f in read_findings(demo_audit) if f["rule"] == "column.stale"
             and f["outcome"] == "fail"}
    assert stale["gzdt/index.html"]["age_days"] == 40 and stale["gzdt/index.html"]["threshold_days"] == 14
    assert stale["tzgg/index.html"]["age_days"] == 250
    blank = {f["url"].rsplit("/xxgk/", 1)[-1]: f for f in read_findings(demo_audit) if f["rule"] == "column.blank"}
    assert blank["zdjsxm/index.html"]["outcome"] == "fail" and blank["zdjsxm/index.html"]["data"]["placeholder"] == "暂无信息"
    assert blank["sjgk/index.html"]["outcome"] == "needs_review" and blank["sjgk/index.html"]["data"]["js_list"]
