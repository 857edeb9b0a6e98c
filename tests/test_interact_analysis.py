"""InteractionAnalysis over hand-built crawls: a message shown in a hub's 最新来信 and in its own
column belongs to the column; row and detail page merge (the detail's reply wins over a row that
says nothing); per-column statistics."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from govaudit.checks.analyses.interaction import InteractionAnalysis
from govaudit.model import Purpose, Unit
from tests.crawlkit import Crawl

UNIT = Unit(id="qs", name="青山县人民政府", url="http://www.qs.gov.cn/")
TODAY = dt.date(2024, 6, 20)


def _detail(title: str, asked: str, answered: str, unit: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>来信时间：{asked}</p>"
            f"<p>来信内容：请问{title}</p><p>答复单位：{unit}</p><p>答复时间：{answered}</p>"
            f"<p>答复内容：{'已办理。' if answered else ''}</p></body></html>")


def test_hub_rows_belong_to_their_column_and_detail_pages_complete_the_rows(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><div class='nav'><a href='/zmhd/'>政民互动</a></div></body></html>")
    c.page("/zmhd/", "<html><head><title>政民互动</title></head><body><ul class='sub'><li><a href='/zmhd/xx/'>县长信箱</a></li>"
                     "<li><a href='/zmhd/ft/'>在线访谈</a></li></ul><h3>最新来信</h3><ul>"
                     "<li><a href='/zmhd/xx/1.html'>关于小区供暖不热问题的反映</a><span>2024-06-01</span></li>"
                     "<li><a href='/zmhd/xx/2.html'>关于学校周边违停问题的反映</a><span>2024-03-01</span></li></ul></body></html>")
    c.page("/zmhd/xx/", "<html><head><title>县长信箱</title></head><body><ul>"
                        "<li><a href='/zmhd/xx/1.html'>关于小区供暖不热问题的反映</a><span>2024-06-01</span><span>已办结</span></li>"
                        "<li><a href='/zmhd/xx/2.html'>关于学校周边违停问题的反映</a><span>2024-03-01</span><span>办理中</span></li>"
                        "<li><a href='/zmhd/xx/3.html'>关于农贸市场噪音扰民的反映</a><span>2024-05-06</span><span>已办结</span></li>"
                        "</ul></body></html>")
    c.page("/zmhd/xx/1.html", _detail("关于小区供暖不热问题的反映", "2024-06-01", "2024-06-04", "县住建局"))
    c.page("/zmhd/xx/2.html", _detail("关于学校周边违停问题的反映", "2024-03-01", "", ""))
    c.page("/zmhd/ft/", "<html><head><title>在线访谈</title></head><body><ul>"
                        "<li><a href='/zmhd/ft/1.html'>县长谈乡村振兴</a><span>2023-01-01</span><span>未回复</span></li>"
                        "<li><a href='/zmhd/ft/2.html'>局长谈义务教育</a><span>2023-02-01</span><span>未回复</span></li></ul></body></html>")
    a = c.ctx().get(InteractionAnalysis)
    by = {col.label: col for col in a.columns}
    assert set(by) == {"政民互动", "县长信箱", "在线访谈"}
    assert [m.title for m in by["县长信箱"].messages] == ["关于小区供暖不热问题的反映", "关于学校周边违停问题的反映",
                                                      "关于农贸市场噪音扰民的反映"]
    assert by["政民互动"].messages == []                       # its 最新来信 rows are the 县长信箱's letters
    m1, m2, m3 = by["县长信箱"].messages
    assert (m1.answered, m1.answered_at, m1.answered_by, m1.latency, m1.source) == (True, "2024-06-04", "县住建局", 2, "page")   # Saturday → Tuesday
    assert (m2.answered, m2.answered_at, m2.source) == (False, None, "page")
    assert (m3.answered, m3.detail_read, m3.source) == (True, False, "row")   # its detail page was not crawled
    s = by["县长信箱"].summary()
    assert (s["messages"], s["answered"], s["unanswered"], s["latency_max"], s["newest_reply"]) == (3, 2, 1, 2, "2024-06-04")
    assert [m.title for m in a.messages()] == [m.title for m in by["县长信箱"].messages]   # 访谈 not judged
    assert a.excluded()[0]["kind_label"] == "在线访谈" and a.excluded()[0]["messages"] == 2
    # the unanswered letter (2024-03-01, 111 days) is the only finding of interact.unanswered
    found = [f for f in c.run("interact.unanswered") if f.outcome == "fail"]
    assert [f.target for f in found] == ["http://www.qs.gov.cn/zmhd/xx/2.html"] and found[0].data["age_days"] == 111


def test_a_script_filled_letter_list_is_read_from_the_rendered_dom(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/jact/list.do'>局长信箱</a></body></html>")
    c.page("/jact/list.do", "<html><head><title>局长信箱</title></head><body><div id='mails'></div>"
                            "<script>$.ajax({url:'/jact/data.do',success:function(d){$('#mails').html(d)}})</script></body></html>")
    c.page("/jact/list.do", "<html><head><title>局长信箱</title></head><body><div id='mails'><ul>"
                            "<li><a href='/jact/d.do?id=1'>关于供暖问题的反映</a><span>2024-01-02</span><span>未回复</span></li>"
                            "<li><a href='/jact/d.do?id=2'>关于停车问题的反映</a><span>2024-06-02</span><span>已回复</span></li>"
                            "</ul></div></body></html>", purpose=Purpose.RENDERED)
    a = c.ctx().get(InteractionAnalysis)
    (col,) = a.columns
    assert [(m.title, m.answered) for m in col.messages] == [("关于供暖问题的反映", False), ("关于停车问题的反映", True)]
    assert [f.outcome for f in c.run("interact.unanswered")] == ["fail"]


def test_statistics_on_a_page_of_their_own(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a></body></html>")
    c.page("/xx/", "<html><head><title>县长信箱</title></head><body><a href='/xx/tj.html'>来信办理情况统计</a><ul>"
                   "<li><a href='/xx/1.html'>关于供暖问题的反映</a><span>2024-06-02</span><span>已回复</span></li>"
                   "<li><a href='/xx/2.html'>关于停车问题的反映</a><span>2024-06-03</span><span>已回复</span></li></ul></body></html>")
    assert [f.outcome for f in c.run("interact.fields")] == ["needs_review"]      # the page is not crawled yet
    c.page("/xx/tj.html", "<html><body><p>2024年1-5月，县长信箱共收到来信326件，已办结318件，办结率97.5%。</p></body></html>")
    a = c.ctx().get(InteractionAnalysis)
    assert a.stats_pages == [("http://www.qs.gov.cn/xx/tj.html", {"received": 326, "answered": 318,
                                                                  "text": "共收到来信326件，已办结318件"})]
    assert [f.outcome for f in c.run("interact.fields")] == ["pass"]


# -- a column with no message read: published nothing (its list says so) or not read -------------------
EMPTY_TABLE = ("<html><head><title>县长信箱</title></head><body><table class='mail'><tr><th>信件标题</th><th>来信时间</th>"
               "<th>办理状态</th></tr><tr><td colspan='3'>暂无信息</td></tr></table></body></html>")
AJAX_LIST = ("<html><head><title>在线咨询</title></head><body><div class='zx'><h2>在线咨询</h2><ul id='zxList'></ul></div>"
             "<script>$.getJSON('/api/zx/list',function(d){$('#zxList').html(d.html)})</script></body></html>")
RULES = ("interact.unanswered", "interact.late-reply", "interact.stale", "interact.fields")


def test_crawled_column_with_an_unreadable_list_is_not_measured(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/zx/'>在线咨询</a></body></html>")
    c.page("/zx/", AJAX_LIST)
    (col,) = c.ctx().get(InteractionAnalysis).columns
    assert (col.crawled, col.messages, col.placeholder, col.list_state) == (True, [], None, "unread")
    assert col.list_script and "getJSON" in col.list_script
    for rule in RULES:
        (f,) = c.run(rule)
        assert (f.outcome, f.target) == ("not_measured", "http://www.qs.gov.cn/zx/"), rule
        assert "“在线咨询”已抓取但未能读出留言列表（可能由脚本或接口加载）" in f.message and "开启列表渲染" in f.message
        assert [e.url for e in f.evidence] == ["http://www.qs.gov.cn/zx/"]


def test_crawled_column_saying_it_is_empty_is_not_applicable(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a><a href='http://zwfw.nmg.gov.cn/ldxx/'>12345热线</a></body></html>")
    c.page("/xx/", EMPTY_TABLE)
    a = c.ctx().get(InteractionAnalysis)
    assert [(col.label, col.list_state) for col in a.columns] == [("县长信箱", "empty"), ("12345热线", None)]
    for rule in RULES:
        (f,) = c.run(rule)
        assert (f.outcome, f.url) == ("not_applicable", "http://www.qs.gov.cn/xx/"), rule
        assert "县长信箱" in f.message and "暂无信息" in f.message
        assert f.evidence[0].snippet == "暂无信息"


def test_one_empty_column_and_one_unread_column_is_not_measured(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a><a href='/zx/'>在线咨询</a></body></html>")
    c.page("/xx/", EMPTY_TABLE)
    c.page("/zx/", AJAX_LIST)
    (f,) = c.run("interact.unanswered")
    assert (f.outcome, f.target) == ("not_measured", "http://www.qs.gov.cn/zx/") and f.data["unread_columns"] == [
        "http://www.qs.gov.cn/zx/"]


def test_the_rendered_dom_decides_whether_a_script_filled_list_is_empty(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/zx/'>在线咨询</a></body></html>")
    c.page("/zx/", AJAX_LIST)
    c.page("/zx/", AJAX_LIST.replace("<ul id='zxList'></ul>", "<ul id='zxList'><li class='empty'>暂无数据</li></ul>"),
           purpose=Purpose.RENDERED)
    (col,) = c.ctx().get(InteractionAnalysis).columns
    assert (col.list_state, col.placeholder, col.placeholder_rendered) == ("empty", "暂无数据", True)
    (f,) = c.run("interact.unanswered")
    assert f.outcome == "not_applicable" and "浏览器渲染后" in (f.evidence[0].note or "")
    # a render that shows nothing either leaves the list unread
    c2 = Crawl(tmp_path / "s2.sqlite", UNIT, TODAY)
    c2.page("/", "<html><body><a href='/zx/'>在线咨询</a></body></html>")
    c2.page("/zx/", AJAX_LIST)
    c2.page("/zx/", AJAX_LIST, purpose=Purpose.RENDERED)
    assert [f.outcome for f in c2.run("interact.unanswered")] == ["not_measured"]


def test_a_hub_and_a_writing_form_do_not_make_an_empty_column_unread(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/hd/'>政民互动</a></body></html>")
    c.page("/hd/", "<html><head><title>政民互动</title></head><body><a href='/hd/xx/'>县长信箱</a>"
                   "<a href='/hd/xx/write.html'>我要写信</a><p>欢迎您参与政民互动。</p></body></html>")
    c.page("/hd/xx/", EMPTY_TABLE)
    c.page("/hd/xx/write.html", "<html><head><title>我要写信</title></head><body><form><input name='t'>"
                                "<textarea name='c'></textarea></form></body></html>")
    states = {col.label: col.list_state for col in c.ctx().get(InteractionAnalysis).columns}
    assert states == {"政民互动": "hub", "县长信箱": "empty", "我要写信": "form"}
    assert [f.outcome for f in c.run("interact.unanswered")] == ["not_applicable"]


def test_a_hub_whose_channels_are_on_another_host_is_not_measured(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/hd/'>政民互动</a></body></html>")
    c.page("/hd/", "<html><head><title>政民互动</title></head><body><a href='http://zwfw.nmg.gov.cn/ldxx/'>县长信箱</a>"
                   "</body></html>")
    (f,) = c.run("interact.unanswered")
    assert (f.outcome, f.target) == ("not_measured", "http://zwfw.nmg.gov.cn/ldxx/")


def test_a_list_page_whose_side_menu_links_its_sibling_channels_is_no_hub(tmp_path: Path) -> None:
    # 在线咨询's list comes from an API; its side menu links 县长信箱, which is empty: still not measured
    menu = "<div class='sub-menu'><a href='/xx/'>县长信箱</a><a href='/zx/'>在线咨询</a></div>"
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a><a href='/zx/'>在线咨询</a></body></html>")
    c.page("/xx/", EMPTY_TABLE.replace("<body>", "<body>" + menu))
    c.page("/zx/", AJAX_LIST.replace("<body>", "<body>" + menu))
    # and 网上留言 lists rows this reader cannot read as messages (a title and a 2-digit day only)
    c.page("/ly/", "<html><head><title>网上留言</title></head><body>" + menu + "<ul class='ly'>"
           + "".join(f"<li><a href='/ly/{i}.html'>关于第{i}路公交车改线的建议</a><em>0{i}</em></li>" for i in range(1, 4))
           + "</ul></body></html>")
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a><a href='/zx/'>在线咨询</a><a href='/ly/'>网上留言</a></body></html>")
    states = {col.label: col.list_state for col in c.ctx().get(InteractionAnalysis).columns}
    assert states == {"县长信箱": "empty", "在线咨询": "unread", "网上留言": "unread"}, states
    (f,) = c.run("interact.unanswered")
    assert f.outcome == "not_measured" and set(f.data["unread_columns"]) >= {"http://www.qs.gov.cn/zx/"}


def _answered_box(c: Crawl) -> None:
    c.page("/xx/", "<html><head><title>县长信箱</title></head><body><ul>"
                   "<li><a href='/xx/1.html'>关于小区供暖不热问题的反映</a><span>2024-06-01</span><span>已办结</span></li>"
                   "<li><a href='/xx/2.html'>关于农贸市场噪音扰民的反映</a><span>2024-06-03</span><span>已办结</span></li>"
                   "<li><a href='/xx/3.html'>关于学校周边违停问题的反映</a><span>2024-06-05</span><span>已办结</span></li>"
                   "</ul></body></html>")
    c.page("/xx/1.html", _detail("关于小区供暖不热问题的反映", "2024-06-01", "2024-06-04", "县住建局"))
    c.page("/xx/2.html", _detail("关于农贸市场噪音扰民的反映", "2024-06-03", "2024-06-05", "县市场监管局"))
    c.page("/xx/3.html", _detail("关于学校周边违停问题的反映", "2024-06-05", "2024-06-07", "县公安局"))


def test_clean_letters_beside_an_unread_column_are_not_measured(tmp_path: Path) -> None:
    """The letters read were answered in time, but another crawled column's list could not be read:
    its letters are not vouched for, so the clean result is not_measured, not pass."""
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a><a href='/zx/'>在线咨询</a></body></html>")
    _answered_box(c)
    c.page("/zx/", AJAX_LIST)
    for rule in ("interact.unanswered", "interact.late-reply"):
        (f,) = c.run(rule)
        assert (f.outcome, f.target) == ("not_measured", "http://www.qs.gov.cn/zx/"), rule
        assert f.data["original_outcome"] == "pass" and f.data["unread_columns"] == ["http://www.qs.gov.cn/zx/"]
        assert "“在线咨询”已抓取但未能读出留言列表" in f.message and "已读出部分" in f.message


def test_clean_letters_beside_an_empty_column_pass(tmp_path: Path) -> None:
    """Look-alike: the other column says 暂无信息, nothing is left unread: pass."""
    c = Crawl(tmp_path / "s.sqlite", UNIT, TODAY)
    c.page("/", "<html><body><a href='/xx/'>县长信箱</a><a href='/zx/'>在线咨询</a></body></html>")
    _answered_box(c)
    c.page("/zx/", EMPTY_TABLE)
    for rule in ("interact.unanswered", "interact.late-reply"):
        (f,) = c.run(rule)
        assert f.outcome == "pass", (rule, f.message)
