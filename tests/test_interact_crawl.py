"""Crawling interaction columns (issue 20): their pager and their letters inherit the column's class
("message"), fetched before articles, and capped so that a letter system cannot eat the budget."""
from __future__ import annotations

import pytest

from govaudit.checks import coverage as C
from govaudit.crawler.coverage import unit_coverage
from govaudit.crawler.scope import MAX_MESSAGE_PAGES, UnitState
from govaudit.extract.linkclass import WANTED, classify, priority
from govaudit.model import Unit


@pytest.mark.parametrize("text,url,parent,cls", [
    ("领导信箱", "http://a/hdjl/ldxx/", "home", "interaction"),
    ("政民互动", "http://a/zmhd/", "home", "interaction"),
    ("市民来信", "http://a/smlx/", "home", "interaction"),
    ("12345热线", "http://a/12345/", "home", "interaction"),
    ("下一页", "http://a/hdjl/ldxx/index_1.html", "interaction", "message"),
    ("3", "http://a/hdjl/ldxx/index_3.html", "message", "message"),
    ("", "http://a/jact/front/maillist.do?sysid=6&pageNo=2", "interaction", "message"),
    ("关于小区门前路灯不亮问题的反映", "http://a/hdjl/ldxx/202405/t1.html", "interaction", "message"),
    ("关于学位申请的咨询", "http://a/hdjl/ldxx/202405/t2.html", "message", "message"),
    ("在线访谈", "http://a/zmhd/zxft/", "interaction", "interaction"),   # a sibling column keeps its own class
    ("政府信息公开", "http://a/xxgk/", "interaction", "platform"),
    ("下一页", "http://a/tzgg/index_2.html", "column", "archive"),       # other lists: first page only
])
def test_classify_interaction_pages(text, url, parent, cls):
    assert classify(text, url, parent) == cls


def test_messages_come_after_columns_and_before_articles():
    assert "message" in WANTED
    assert priority("column", 5) > priority("message", 1) > priority("article", 1)


def _state(**limits) -> UnitState:
    base = {"max_pages": 10000, "max_depth": 25, "max_query_variants": 500, "site_time": 3600}
    return UnitState(Unit(id="u", name="U", url="http://a/"), {**base, **limits})


def test_letters_are_capped_and_the_cap_is_recorded():
    st = _state(max_message_pages=5)
    admitted = [st.admit(f"http://a/hdjl/{i}.html", 3, True, cls="message") for i in range(8)]
    assert admitted == [True] * 5 + [False] * 3
    assert st.limits_hit["max_message_pages"] == 3 and st.unreached["message"] == 3
    # other classes are not held back by the letters' cap
    assert st.admit("http://a/tzgg/", 1, True, cls="column") and st.admit("http://a/a/1.html", 2, True, cls="article")


def test_default_cap():
    st = _state()
    assert sum(st.admit(f"http://a/m/{i}.html", 3, True, cls="message") for i in range(MAX_MESSAGE_PAGES + 2)) \
        == MAX_MESSAGE_PAGES


def test_the_letters_cap_makes_the_unit_partial_for_the_interaction_rules_only():
    st = _state(max_message_pages=2)
    for i in range(4):
        st.admit(f"http://a/hdjl/{i}.html", 3, True, cls="message")
    cov = unit_coverage(st, "finished", None)
    assert cov["status"] == "partial" and cov["reasons"] == ["max_message_pages"]
    assert "max_message_pages 2" in cov["reason_text"] and cov["unreached"] == {"message": 2}
    assert C.unseen("interact.unanswered", cov) == {"message": 2}
    assert C.unseen("column.stale", cov) == {} and C.unseen("interp.late", cov) == {}
