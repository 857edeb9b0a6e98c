"""column.* and guide.* on the demo portal: every planted case found, and nothing else."""
from __future__ import annotations

import sqlite3

import pytest

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


def test_demo_script_filled_columns_are_rendered(demo_audit) -> None:
    """部门动态 and 公示公告 are filled by fetch(): the crawler renders them and the column rules read
    the browser's DOM (stale / fresh); 双随机一公开's script fails, so it stays empty when rendered."""
    from govaudit.crawler.render import find_browser
    if find_browser() is None:
        pytest.skip("no Chromium installed (tests/test_render_no_browser.py covers that case)")
    col = {(f["rule"], f["url"].rsplit("/xxgk/", 1)[-1]): f for f in read_findings(demo_audit)
           if f["rule"] in ("column.stale", "column.blank") and "/xxgk/" in (f["url"] or "")}
    stale = col[("column.stale", "bmdt/index.html")]
    assert stale["outcome"] == "fail" and stale["data"]["rendered"] and stale["data"]["age_days"] == 60
    assert (demo_audit / stale["evidence"][0]["screenshot"]).is_file()
    assert ("column.stale", "gsgg/index.html") not in col and ("column.blank", "gsgg/index.html") not in col
    sjgk = col[("column.blank", "sjgk/index.html")]
    assert sjgk["data"]["rendered"] and "渲染后仍未见" in sjgk["message"]
    with sqlite3.connect(demo_audit / "govaudit.sqlite") as db:
        rendered = {u.rsplit("/xxgk/", 1)[-1] for (u,) in db.execute("SELECT url FROM pages WHERE purpose='rendered'")}
        crawled = db.execute("SELECT count(*) FROM pages WHERE url LIKE '%/xxgk/bmdt/20%' AND status=200").fetchone()[0]
    assert rendered == {"bmdt/index.html", "gsgg/index.html", "sjgk/index.html", "zcwj/index.html"}  # zcwj: a data array
    assert crawled == 2   # the articles only the script links are crawled from the rendered DOM
