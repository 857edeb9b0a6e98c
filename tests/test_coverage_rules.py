"""Issue 17, points 1 and 2 without a crawl: link classes, the coverage record, and the central rule
that turns verdicts about unreached pages into not_measured."""
from __future__ import annotations

import json
import sqlite3

import pytest

from govaudit.checks import coverage as C
from govaudit.checks.registry import get_rule
from govaudit.crawler.coverage import unit_coverage
from govaudit.crawler.scope import UnitState
from govaudit.extract.linkclass import PRIORITY, classify, priority
from govaudit.model import Finding, Unit
from govaudit.store import Store


@pytest.mark.parametrize("text,url,parent,cls", [
    ("政府信息公开", "http://a/xxgk/", "home", "platform"),
    ("政务公开", "http://a/zwgk/index.html", None, "platform"),
    ("政府信息公开指南", "http://a/xxgk/zn/", "platform", "guide"),
    ("法定主动公开内容", "http://a/xxgk/fdzdgknr/", "platform", "subcolumn"),
    ("政府信息公开制度", "http://a/xxgk/zd/", "platform", "subcolumn"),
    ("政府信息公开年报", "http://a/xxgk/nb/", "platform", "annual"),
    ("2023年政府信息公开工作年度报告", "http://a/xxgk/nb/t1.html", "annual", "annual"),
    ("青山县2024年度政府信息公开工作年度报告", "http://a/news/t9.html", "column", "annual"),
    ("政策解读", "http://a/zcjd/", "home", "interp"),
    ("《青山县养老服务补贴实施细则》解读", "http://a/zcjd/i1.html", "interp", "interp"),
    ("一图读懂青山县政府工作报告", "http://a/xw/t3.html", "column", "interp"),
    ("政策文件", "http://a/zcwj/", "home", "policy"),
    ("关于印发青山县促进就业创业实施办法的通知", "http://a/zcwj/d4.html", "policy", "policy"),
    ("原文链接", "http://a/zcwj/d4.html", "interp", "policy"),
    ("领导信箱", "http://a/hdjl/xx/", "home", "interaction"),
    ("依申请公开", "http://a/xxgk/ysqgk/", "platform", "subcolumn"),
    ("通知公告", "http://a/tzgg/", "home", "column"),
    ("部门动态", "http://a/xxgk/bmdt/index.html", "platform", "column"),
    ("关于开展的通知", "http://a/tzgg/202401/t1.html", "column", "article"),
    ("青山县召开全县安全生产工作会议部署近期重点工作", "http://a/xw/t2.html", "home", "article"),
    ("下一页", "http://a/tzgg/index_2.html", "column", "archive"),
    ("3", "http://a/tzgg/index_3.html", "column", "archive"),
    ("下一页", "http://a/zcjd/index_1.html", "interp", "interp"),   # the interp rules read later list pages
    ("", "http://a/list?page=7", "column", "archive"),
])
def test_classify(text, url, parent, cls):
    assert classify(text, url, parent) == cls


def test_priority_orders_classes_before_depth():
    assert priority("home", 0) > priority("platform", 1) > priority("guide", 3) > priority("annual", 2)
    assert priority("interaction", 9) > priority("column", 1) > priority("article", 1) > priority("article", 2)
    assert priority("article", 25) > priority("archive", 1)
    assert list(PRIORITY) == sorted(PRIORITY, key=lambda c: -PRIORITY[c])


def _state(**limits) -> UnitState:
    base = {"max_pages": 100, "max_depth": 25, "max_query_variants": 500, "site_time": 3600}
    return UnitState(Unit(id="u", name="U", url="http://a/"), {**base, **limits})


def test_unit_coverage_complete_and_each_partial_reason():
    st = _state()
    st.reached = {"home": 1, "platform": 1, "column": 5}
    st.page_fetches, st.pages = 7, 7
    cov = unit_coverage(st, "finished", None)
    assert cov["status"] == "complete" and cov["reason"] is None and cov["unreached"] == {}
    assert cov["platform_reached"] and cov["columns_reached"] == 6

    st.pending = {"article": 3, "guide": 1}
    cov = unit_coverage(st, "interrupted", "SIGINT")
    assert cov["status"] == "partial" and cov["reason"] == "interrupted"
    assert cov["unreached"] == {"article": 3, "guide": 1} and "SIGINT" in cov["reason_text"]

    st = _state(site_time=60)
    st.limits_hit = {"site_time": 4}
    st.unreached = {"annual": 2}
    cov = unit_coverage(st, "finished", None)
    assert cov["reasons"] == ["site_time"] and "60 秒" in cov["reason_text"] and cov["unreached"] == {"annual": 2}

    st = _state()
    st.limits_hit = {"max_pages": 9}
    assert unit_coverage(st, "finished", None)["reasons"] == ["max_pages"]

    st = _state()
    st.page_fetches, st.page_failures = 10, 6
    cov = unit_coverage(st, "finished", None)
    assert cov["reasons"] == ["errors"] and "6/10" in cov["reason_text"]
    st.page_failures = 5   # half is not most
    assert unit_coverage(st, "finished", None)["status"] == "complete"

    st = _state()
    st.limits_hit = {"max_depth": 3}   # a depth limit alone does not make a crawl partial
    st.unreached = {"article": 3}
    cov = unit_coverage(st, "finished", None)
    assert cov["status"] == "complete" and cov["unreached"] == {}


def _f(rule: str, outcome: str, message: str = "x", url: str = "http://a/") -> Finding:
    r = get_rule(rule)
    return Finding(rule=r.id, item=r.item, outcome=outcome, unit="u", url=url, message=message)


PARTIAL_ARTICLES = {"status": "partial", "reason": "max_pages", "reason_text": "达到单站页面数上限", "pages": 500,
                    "unreached": {"article": 900, "archive": 40}}
PARTIAL_GUIDE = {"status": "partial", "reason": "interrupted", "reason_text": "抓取被中断（SIGINT）", "pages": 40,
                 "unreached": {"guide": 1, "article": 20}}


def test_absence_verdicts_need_the_pages_they_look_at():
    rule = get_rule("guide.missing")
    out = C.apply(rule, [_f("guide.missing", "fail", "未找到政府信息公开指南")], PARTIAL_GUIDE)
    assert out[0].outcome == "not_measured" and "未抓取" in out[0].message
    assert out[0].data["original_outcome"] == "fail" and out[0].data["coverage"]["unreached_here"] == {"guide": 1}
    # only articles were left: the guide verdict stands
    out = C.apply(rule, [_f("guide.missing", "fail")], PARTIAL_ARTICLES)
    assert out[0].outcome == "fail"
    # a guide that was found stays found
    out = C.apply(rule, [_f("guide.missing", "pass", "找到指南")], PARTIAL_GUIDE)
    assert out[0].outcome == "pass"
    # report.missing with the annual reports unreached; report.late's "nothing to judge" too
    cov = {**PARTIAL_GUIDE, "unreached": {"annual": 2}}
    assert C.apply(get_rule("report.missing"), [_f("report.missing", "fail")], cov)[0].outcome == "not_measured"
    assert C.apply(get_rule("report.late"), [_f("report.late", "not_applicable")], cov)[0].outcome == "not_measured"


def test_problems_on_fetched_pages_stay_and_scans_say_what_they_saw():
    rule = get_rule("link.broken")
    fails = C.apply(rule, [_f("link.broken", "fail", "页面链接失效", "http://a/x.html")], PARTIAL_ARTICLES)
    assert fails[0].outcome == "fail"
    assert fails[0].data["coverage"] == {"status": "partial", "reason": "max_pages", "pages": 500, "unreached": 940}
    silent = C.apply(get_rule("content.illegal-text"), [_f("content.illegal-text", "pass", C.SILENT_PASS)],
                     PARTIAL_ARTICLES)
    assert silent[0].outcome == "not_measured"
    # a complete crawl: verdicts as they are, scans still say how much they read
    done = {"status": "complete", "pages": 120, "unreached": {}}
    out = C.apply(get_rule("content.illegal-text"), [_f("content.illegal-text", "pass", C.SILENT_PASS)], done)
    assert out[0].outcome == "pass" and out[0].data["coverage"]["pages"] == 120
    # site.identifiers looks at the home page only: a partial crawl does not touch it
    assert C.apply(get_rule("site.identifiers"), [_f("site.identifiers", "pass", C.SILENT_PASS)],
                   PARTIAL_GUIDE)[0].outcome == "pass"


def test_stores_without_coverage_are_judged_as_before():
    out = C.apply(get_rule("guide.missing"), [_f("guide.missing", "fail")], None)
    assert out[0].outcome == "fail" and "coverage" not in out[0].data
    # interrupted with nothing recorded as waiting: nothing can be vouched for
    assert C.unseen("guide.missing", {"status": "partial", "reason": "interrupted", "unreached": {}}) == {"unknown": 1}
    assert C.unseen("guide.missing", {"status": "complete"}) == {}


def test_coverage_columns_are_added_to_an_old_store(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT, finished TEXT, status TEXT, today TEXT,"
                       " mode TEXT, tool_version TEXT, settings TEXT, pid INTEGER, note TEXT);"
                       "CREATE TABLE units (run_id TEXT, unit_id TEXT, name TEXT, kind TEXT, level TEXT, url TEXT,"
                       " config TEXT, status TEXT, pages INTEGER DEFAULT 0, errors INTEGER DEFAULT 0, limits_hit TEXT,"
                       " started TEXT, finished TEXT, PRIMARY KEY (run_id, unit_id));"
                       "INSERT INTO units (run_id, unit_id, status) VALUES ('r1', 'u', 'crawled');")
    conn.close()
    store = Store(path)
    store.close()
    store = Store(path)   # twice: idempotent
    assert store.units("r1")[0]["coverage"] is None
    store.update_unit("r1", "u", coverage=json.dumps({"status": "partial"}))
    assert json.loads(store.units("r1")[0]["coverage"])["status"] == "partial"
    cols = {r[1] for r in store.conn.execute("PRAGMA table_info(runs)")}
    assert "coverage" in cols
    store.close()


def test_articles_left_deep_in_the_site_do_not_stop_site_not_updated():
    st = _state()
    st.limits_hit = {"max_pages": 5}
    st.drop("article", 5)
    st.drop("article", 4)
    st.queued("archive", 1, 2)
    st.queued("article", 1, 6)
    cov = unit_coverage(st, "finished", None)
    assert cov["unreached"] == {"archive": 1, "article": 3} and cov["unreached_depth"] == {"archive": 2, "article": 4}
    rule = get_rule("site.not-updated")
    assert C.apply(rule, [_f("site.not-updated", "fail", "首页最新内容已超过14天")], cov)[0].outcome == "fail"
    st.drop("article", 2)   # an article two links from the home page was not fetched: no verdict
    cov = unit_coverage(st, "finished", None)
    assert C.apply(rule, [_f("site.not-updated", "fail")], cov)[0].outcome == "not_measured"
