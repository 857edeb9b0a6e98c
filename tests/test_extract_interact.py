"""The interaction reader (govaudit/extract/interact.py) on hand-written pages modelled on real
letter systems: a TRS table list with a header row, a Hanweb (大汉 jpaas) `<li>` list, a 集约化
div-row list with labelled cells, `<dl>` rows; detail pages as label/value table cells, `label：value`
text lines, 问/答 blocks and `<dl>` fields."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govaudit.extract.interact import answered_of, column_kind, field_of, inspect_interact, read_interact

FIX = Path(__file__).parent / "fixtures" / "interact"
TODAY = dt.date(2024, 6, 20)
BASE = "http://www.qs.gov.cn/zmhd/xzxx/index.html"


def read(name: str, url: str = BASE, label: str = ""):
    return read_interact((FIX / name).read_text(encoding="utf-8"), url, label=label, today=TODAY)


def test_trs_table_list_of_22_rows_mixed_answered_and_paged():
    p = read("list_trs_table.html")
    assert p.page_kind == "list" and p.kind == "letter"
    assert len(p.messages) == 22
    answered = [m for m in p.messages if m.answered]
    open_ = [m for m in p.messages if m.answered is False]
    assert (len(answered), len(open_)) == (17, 5)
    first = p.messages[0]
    assert (first.number, first.asked_at, first.answered_at, first.answered_by, first.status) == (
        "XX2024005000", "2024-05-20", "2024-05-22", "县人力资源和社会保障局", "已回复")
    assert first.url == "http://www.qs.gov.cn/zmhd/xzxx/202405/t20240520_100.html"
    fourth = p.messages[3]
    assert fourth.status == "办理中" and fourth.answered_at is None and fourth.answered_by is None
    assert p.next_pages == ["http://www.qs.gov.cn/zmhd/xzxx/index_1.html"]
    assert "http://www.qs.gov.cn/zmhd/xzxx/index_2.html" in p.page_links
    assert p.stats == {"received": 156, "answered": 149, "text": "共收到来信 156 件，已办结 149 件"}
    assert {"asked", "answered", "unit", "status", "number"} <= set(p.fields)


def test_hanweb_li_list_without_header_reads_cells_by_content():
    p = read("list_hanweb_li.html", "http://www.qs.gov.cn/jact/front/maillist.do?sysid=6")
    assert p.page_kind == "list" and p.kind == "letter" and len(p.messages) == 21
    assert sum(1 for m in p.messages if m.answered is False) == 7
    m = p.messages[1]
    assert (m.title, m.number, m.asked_at, m.status, m.answered) == (
        "小区2号楼门前路灯不亮的问题", "202400020018", "2024-04-02", "已回复", True)
    assert m.url == "http://www.qs.gov.cn/jact/front/mailpubdetail.do?transactId=3001&sysid=6"
    assert p.next_pages == ["http://www.qs.gov.cn/jact/front/maillist.do?sysid=6&pageNo=2"]


def test_intensive_platform_div_rows_with_labelled_cells():
    p = read("list_jyh_div.html", "http://www.qs.gov.cn/hdjl/wszx/index.html")
    assert p.kind == "consult" and p.page_kind == "list" and len(p.messages) == 8
    m = p.messages[0]
    assert (m.asked_at, m.answered_at, m.answered_by) == ("2024-06-01", "2024-06-02", "市交通运输局")
    blank = p.messages[5]   # 回复时间/回复单位 labels with nothing after them
    assert blank.answered_at is None and blank.answered_by is None and blank.answered is None
    assert p.next_pages == ["http://www.qs.gov.cn/hdjl/wszx/index_1.html"]


def test_dl_rows():
    p = read("list_dl.html", "http://www.qs.gov.cn/zmhd/lyxx/")
    assert p.kind == "message" and len(p.messages) == 4
    assert [m.answered_at for m in p.messages] == ["2024-02-10", "2024-02-11", None, "2024-02-13"]
    assert p.messages[2].answered_by is None


def test_label_cell_detail_page():
    p = read("detail_hanweb_table.html", "http://www.qs.gov.cn/jact/front/mailpubdetail.do?transactId=1")
    assert p.page_kind == "detail" and p.kind == "letter"
    (m,) = p.messages
    assert (m.title, m.number, m.asked_at, m.answered_at, m.status, m.answered, m.source) == (
        "河道排污问题", "C20240312001", "2024-03-12", "2024-03-19", "已办结", True, "page")
    assert m.answered_by == "市生态环境局" and m.has_reply


def test_text_line_detail_page():
    (m,) = read("detail_trs_text.html").messages
    assert (m.title, m.asked_at, m.answered_at, m.answered_by, m.status) == (
        "关于幼儿园入园报名时间的咨询", "2024-04-08", "2024-04-10", "县教育体育局", "已回复")
    assert m.has_reply and m.answered


def test_question_answer_blocks_detail_page():
    p = read("detail_qa_blocks.html")
    assert p.kind == "letter" and p.kind_text == "12345"
    (m,) = p.messages
    assert (m.title, m.asked_at, m.answered_at, m.answered_by, m.has_reply) == (
        "小区加装电梯补贴如何申请", "2024-01-15", "2024-02-20", "区住房和城乡建设局", True)


def test_detail_page_without_a_reply_is_unanswered():
    (m,) = read("detail_dl_unanswered.html").messages
    assert (m.title, m.asked_at, m.answered_at, m.answered_by) == ("农村道路破损何时修复", "2023-11-02", None, None)
    assert m.answered is False and not m.has_reply


def test_interview_column_is_read_but_kind_says_interview():
    p = read("list_interview.html", "http://www.qs.gov.cn/zmhd/zxft/")
    assert p.kind == "interview" and len(p.messages) == 3


def test_news_list_is_no_message_list():
    p = read("article_not_interact.html", "http://www.qs.gov.cn/a/x.html")
    assert p.messages == [] and p.kind is None


@pytest.mark.parametrize("status,answered", [("已回复", True), ("已办结", True), ("未回复", False), ("办理中", False),
                                             ("待回复", False), ("已受理", False), ("查看", None), ("", None)])
def test_answered_of(status, answered):
    assert answered_of(status) is answered


@pytest.mark.parametrize("label,field", [("留言时间", "asked"), ("来信时间：", "asked"), ("回复时间", "answered"),
                                         ("答复单位", "unit"), ("办理状态", "status"), ("信件编号", "number"),
                                         ("信件标题", "title"), ("发布机构", None), ("时间", "date")])
def test_field_of(label, field):
    assert field_of(label) == field


def test_column_kind_most_specific_first():
    assert column_kind("在线访谈", "政民互动")[0] == "interview"
    assert column_kind("", "首页 > 政民互动 > 领导信箱")[0] == "letter"
    assert column_kind("我要咨询")[0] == "consult"
    assert column_kind("政策文件")[0] is None


def test_inspect_interact_bytes():
    out = inspect_interact((FIX / "detail_trs_text.html").read_bytes(), BASE, "text/html; charset=utf-8")
    assert out["page_kind"] == "详情页" and out["column_kind"] == "咨询" and out["messages"][0]["answered_at"] == "2024-04-10"
    assert out["messages"][0]["reply_state"] == "已答复" and out["messages"][0]["source"] == "详情页"


def test_last_page_of_a_paged_table_with_one_row():
    html = ("<html><body><table><tr><th>信件标题</th><th>来信时间</th><th>办理状态</th></tr>"
            "<tr><td><a href='/x/1.html'>关于河道黑臭问题的反映</a></td><td>2024-01-05</td><td>办理中</td></tr></table>"
            "<div class='page'><a href='index_1.html'>上一页</a></div></body></html>")
    p = read_interact(html, "http://www.qs.gov.cn/x/index_2.html", today=TODAY)
    assert p.page_kind == "list" and [(m.title, m.answered) for m in p.messages] == [("关于河道黑臭问题的反映", False)]
    li = "<html><body><ul><li><a href='/x/1.html'>关于河道黑臭问题的反映</a><span>2024-01-05</span><span>未回复</span></li></ul></body></html>"
    assert read_interact(li, "http://www.qs.gov.cn/x/index_2.html", today=TODAY).messages == []   # one bare row: no list
    assert len(read_interact(li, "http://www.qs.gov.cn/x/index_2.html", today=TODAY, min_rows=1).messages) == 1


def test_thead_with_generic_time_and_accepting_unit():
    # modelled on a CMS 局长信箱 template: 来信主题 | 状态 | 时间 | 受理单位 (a generic 时间 is the letter's)
    rows = "".join(f"<tr><td><a href='mail?mailid={i}'>关于第{i}号路段积水问题的反映</a></td><td>{s}</td>"
                   f"<td>2024-0{i}-1{i}</td><td>市城管局</td></tr>" for i, s in ((1, "已回复"), (2, "未回复"), (3, "已回复")))
    html = ("<html><body><div class='content-hd'>局长信箱－最新回复信件</div><table><thead><tr><th>来信主题</th><th>状态</th>"
            f"<th>时间</th><th>受理单位</th></tr></thead><tbody>{rows}</tbody></table></body></html>")
    p = read_interact(html, "http://www.qs.gov.cn/index.php?m=mail", today=TODAY)
    assert [(m.asked_at, m.answered, m.answered_by, m.answered_at) for m in p.messages] == [
        ("2024-01-11", True, "市城管局", None), ("2024-02-12", False, "市城管局", None), ("2024-03-13", True, "市城管局", None)]
    assert p.messages[0].url == "http://www.qs.gov.cn/mail?mailid=1"


# -- an empty list: "no message published" (a placeholder where the list would be) against "the list
# could not be read" (a JSON API, a script-filled list, a markup the reader misses) --------------------
def test_empty_trs_table_with_its_header_row_and_a_placeholder_row():
    p = read("empty_trs_table.html")
    # the header row is not read as a detail page's label cells (标题 … 办理状态): an empty list
    assert (p.page_kind, p.kind, p.messages) == ("list", "letter", [])
    assert p.empty_placeholder == "暂无信息" and p.list_script is None


def test_placeholder_beside_the_empty_list_slot():
    p = read("empty_jyh_nodata.html", "http://www.qs.gov.cn/hdjl/zxzx/")
    assert p.kind == "consult" and p.messages == [] and p.empty_placeholder == "暂无留言"


def test_script_filled_list_with_placeholders_in_a_side_box_and_an_unmarked_footer_is_unread():
    # the list is <ul id="mailList"> filled from a JSON API; 暂无信息 sits in the 最新回复 box beside it
    # and 暂无数据 in a footer whose only mark is what it says (主办单位, 技术支持)
    p = read("unread_jact_ajax.html", "http://www.qs.gov.cn/jact/front/maillist.do")
    assert p.messages == [] and p.empty_placeholder is None
    assert p.list_script is not None


def test_footer_placeholder_on_a_page_whose_list_has_rows_is_not_empty():
    html = (FIX / "list_hanweb_li.html").read_text(encoding="utf-8").replace(
        "</body>", "<div class='bottom'><p>暂无信息</p></div><div class='footer'>暂无数据</div></body>")
    p = read_interact(html, "http://www.qs.gov.cn/jact/front/maillist.do?sysid=6", today=TODAY)
    assert len(p.messages) == 21 and p.empty_placeholder is None


def _page(body: str, title: str = "县长信箱") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("body,said", [
    # JSP/PHP empty-result rows, as letter systems print them
    ("<table class='list'><tr><th>信件标题</th><th>来信时间</th><th>办理状态</th></tr>"
     "<tr><td colspan='3' align='center' class='null_information'>※没有找到相关数据!</td></tr></table>", "没有找到相关数据"),
    ("<table width='100%'><tr><td><div style='text-align:center'><span>抱歉，没有找到相关数据。</span></div></td></tr></table>",
     "没有找到相关数据"),
    ("<div class='main'><h2>县长信箱</h2><ul class='list'><li>暂无<b>数据</b></li></ul></div>", "暂无数据"),
    ("<div class='messagelist'><div class='col-lg-12'>暂无记录</div></div>", "暂无记录"),
    ("<div class='con'><p>暂无相关信件</p></div>", "暂无相关信件"),
    ("<div class='con'><p>无相关信件</p></div>", "无相关信件"),
])
def test_placeholder_wordings(body, said):
    p = read_interact(_page(body), BASE, today=TODAY)
    assert p.messages == [] and p.empty_placeholder == said


@pytest.mark.parametrize("body", [
    # hidden until a script shows it, or a framework's template: says nothing about the data
    "<table><tbody id='tb'></tbody><tr style='display:none' id='nodata'><td>没有找到相关数据</td></tr></table>"
    "<script>$.ajax({url:'/x.do'})</script>",
    "<div id='app'><ul><li v-for='m in list'>{{m.title}}</li></ul><p v-if='!list.length'>暂无留言</p></div>",
    "<div class='zx-list'><h3>在线咨询</h3><ul class='list'></ul><div class='nodata hide'>暂无信件</div></div>",
    # header, navigation, side box, footer
    "<div class='header'>暂无信息</div><div id='mails'></div>",
    "<div class='con'><div class='side-hot'><h3>热点信件</h3><ul><li>暂无信息</li></ul></div><div id='mails'></div></div>",
    "<div id='mails'></div><div class='copy'><p>版权所有：青山县人民政府</p><p>暂无数据</p></div>",
    # prose that mentions it, and a bare 暂无 (a reply field's value)
    "<div class='con'><p>本栏目用于公开县长信箱来信的办理情况，来信较多时可能暂无信息更新，请耐心等待，也可拨打12345热线咨询。</p></div>",
    "<div class='con'><p>答复：暂无</p></div>",
])
def test_not_a_placeholder(body):
    assert read_interact(_page(body), BASE, today=TODAY).empty_placeholder is None


def test_detail_page_saying_no_reply_has_a_message_not_a_placeholder():
    html = _page("<p>来信时间：2024-01-01</p><p>来信内容：请问如何办理居住证</p><p>答复内容：暂无相关内容</p>", "信件详情")
    p = read_interact(html, BASE, today=TODAY)
    assert p.page_kind == "detail" and p.empty_placeholder is None


def test_a_writing_form_is_noted():
    html = _page("<form action='/x/save.do'><input name='title'><textarea name='content'></textarea></form>", "我要写信")
    p = read_interact(html, "http://www.qs.gov.cn/x/write.html", today=TODAY)
    assert p.messages == [] and p.letter_form and p.empty_placeholder is None


def test_inspect_interact_says_placeholder_and_script():
    out = inspect_interact((FIX / "empty_trs_table.html").read_bytes(), BASE, "text/html; charset=utf-8")
    assert out["page_kind"] == "列表页" and out["placeholder"] == "暂无信息" and out["script_filled"] is None
    out = inspect_interact((FIX / "unread_jact_ajax.html").read_bytes(), BASE, "text/html; charset=utf-8")
    assert out["placeholder"] is None and out["script_filled"]
