"""request.channel's reader (govaudit/extract/request.py) on the markups real 依申请公开 pages use,
and the three issue-20 rules on partial crawls and on units of other kinds and levels."""
from __future__ import annotations

import datetime as dt

import pytest

from govaudit.checks import coverage as C
from govaudit.cli import main
from govaudit.checks.registry import get_rule
from govaudit.extract.html import parse
from govaudit.extract.linkclass import classify
from govaudit.extract.request import (application_forms, apply_link, contacts, form_download, same_address,
                                      same_phone)
from govaudit.model import Finding, Unit
from tests._english import english_words
from tests.crawlkit import Crawl

# A TRS table form (the 浦东 applyopen field names, labels in the cell before)
TRS_TABLE = """<form name="applyForm" action="/applyopen/save.jsp"><table>
<tr><td>姓名</td><td><input name="pname"></td></tr><tr><td>证件号码</td><td><input name="pcardnum"></td></tr>
<tr><td>所需信息的名称</td><td><input name="infotitle"></td></tr></table><input type="submit" value="提交"></form>"""
# a 集约化 platform form: <label for> beside each field
LABELS = """<form id="ysqForm" action="/ysqgk/submit.do"><div class="form-item"><label for="a">申请人姓名</label>
<input id="a" name="f1"></div><div class="form-item"><label for="b">联系电话</label><input id="b" name="f2"></div>
<div class="form-item"><label for="c">所需信息的内容描述</label><textarea id="c" name="f3"></textarea></div></form>"""
# a Hanweb (大汉) form: <li> rows with the label in a <span>, placeholders
HANWEB = """<form class="ysq" action="/module/ysqgk/add.jsp"><ul>
<li><span>申请人类型</span><select name="sqrlx"><option>公民</option></select></li>
<li><span>姓名</span><input name="xm" placeholder="请输入姓名"></li>
<li><span>身份证号</span><input name="sfz"></li><li><span>申请内容</span><textarea name="sqnr"></textarea></li>
</ul></form>"""
# a node2-CMS (上海 portals) form: <label for> in the first cell, fields without names, hints in title=
NODE2 = """<form id="form_ysqgk" action="index.html?#"><table summary="申请公开表">
<tr><td class="td01"><label for="i1">申请人（个人）签名</label></td><td><input id="i1" type="text" title="请填写个人签名"></td></tr>
<tr><td class="td01"><label for="i2">证件名称</label></td><td><input id="i2" type="text"></td></tr>
<tr><td rowspan="2" class="td01">联系方式</td></tr><tr><td><label for="i3">联系电话：</label><input id="i3" type="text"></td></tr>
<tr><td class="td01">所需的政府信息</td><td><label for="i4">或者其他特征描述</label><textarea id="i4"></textarea></td></tr>
<tr><td class="td01">获取方式</td><td><label for="r1">邮寄</label><input type="radio" id="r1" name="hq"></td></tr>
</table></form>"""
SEARCH = """<form action="/search/"><input name="searchword"><button>搜索</button></form>
<form action="/was5/web/search"><input type="text" name="keyword"><input type="hidden" name="channelid" value="1"></form>"""
LOGIN = """<form action="/login"><input name="username" placeholder="用户名"><input type="password" name="pwd"></form>"""


@pytest.mark.parametrize("markup,kinds", [
    (TRS_TABLE, {"applicant", "identity", "wanted"}),
    (LABELS, {"applicant", "contact", "wanted"}),
    (HANWEB, {"applicant", "identity", "wanted"}),
    (NODE2, {"applicant", "identity", "contact", "wanted"}),
])
def test_application_forms_in_three_markups(markup, kinds):
    forms = application_forms(parse(f"<html><body>{markup}</body></html>"))
    assert len(forms) == 1 and kinds <= set(forms[0].kinds)


def test_search_and_login_boxes_are_no_application_forms():
    assert application_forms(parse(f"<html><body>{SEARCH}{LOGIN}</body></html>")) == []


@pytest.mark.parametrize("text,url,apply,download", [
    ("在线申请", "http://www.qs.gov.cn/xxgk/ysqgk/apply.html", True, False),
    ("网上申请（内蒙古自治区政府信息公开申请平台）", "http://ysqgk.nmg.gov.cn/", True, False),
    ("依申请公开平台", "http://zwgk.example.gov.cn/ysqgk/", True, False),
    ("《政府信息公开申请表》", "http://www.qs.gov.cn/module/download/downfile.jsp?filename=sqb.doc", False, True),
    ("点击下载", "http://www.qs.gov.cn/xxgk/ysqgk/P020240110_sqb.docx", False, True),
    ("政府信息公开申请表.pdf", "http://www.qs.gov.cn/att/1.pdf", False, True),
    # 申请 in the text, ysqgk in the address: an application link (the rule counts it only on another host)
    ("依申请公开", "http://ysqgk.nmg.gov.cn/apply/", True, False),
    ("2024年工作计划.pdf", "http://www.qs.gov.cn/attach/2024-plan.pdf", False, False),
    ("不动产登记申请须知", "http://www.qs.gov.cn/bdc/xz.html", False, False),
])
def test_links_behind_the_entry(text, url, apply, download):
    assert apply_link(text, url) is apply and form_download(text, url) is download


def test_contacts_read_as_the_guide_reads_them():
    c = contacts("受理机构：青山县人民政府办公室 通信地址：青山县人民路1号 邮政编码：015000 "
                 "联系电话：（０４７１）６２３４５６７ 传真：0471-6234568")
    assert c.address == "青山县人民路1号" and len(c.phones) == 1 and same_phone(c.phones[0], "0471-6234567")
    assert not any(same_phone(p, "0471-6234568") for p in c.phones)       # the fax is no phone
    assert contacts("网站地址：www.qs.gov.cn 联系电话：0471-6234567").address is None
    assert same_phone("6234567", "0471-6234567") and not same_phone("0471-6234599", "0471-6234567")
    assert same_address("青山县人民路1号", "青山县 人民路1号三楼") and not same_address("青山县新华街8号", "青山县人民路1号")


PARTIAL = {"status": "partial", "reason": "max_pages", "reason_text": "达到页数上限", "pages": 500,
           "unreached": {"platform": 0, "subcolumn": 3, "interaction": 4, "column": 20, "article": 900}}


@pytest.mark.parametrize("rule_id,outcome", [("request.channel", "fail"), ("request.channel", "needs_review"),
                                             ("catalog.missing", "needs_review"), ("plan.missing", "needs_review")])
def test_absence_on_a_partial_crawl_is_not_measured(rule_id, outcome):
    rule = get_rule(rule_id)
    def f() -> Finding:   # apply() rewrites the finding it is given
        return Finding(rule=rule_id, item=rule.item, outcome=outcome, unit="u", url="http://a/", message="未找到")
    assert C.apply(rule, [f()], PARTIAL)[0].outcome == "not_measured"
    assert C.apply(rule, [f()], {**PARTIAL, "status": "complete"})[0].outcome == outcome


def test_plan_missing_stands_when_only_articles_were_left():
    rule = get_rule("plan.missing")
    f = Finding(rule=rule.id, item=rule.item, outcome="needs_review", unit="u", url="http://a/", message="未找到")
    only_articles = {**PARTIAL, "unreached": {"article": 900, "archive": 40}}
    assert C.apply(rule, [f], only_articles)[0].outcome == "needs_review"


def test_a_level_not_applicable_stays_on_a_partial_crawl():
    rule = get_rule("catalog.missing")
    f = Finding(rule=rule.id, item=rule.item, outcome="not_applicable", unit="u", url="http://a/", message="市级单位不适用")
    assert C.apply(rule, [f], PARTIAL)[0].outcome == "not_applicable"


def _crawl(tmp_path, **unit: object) -> Crawl:
    u = Unit(**{"id": "u", "name": "青山县人民政府", "url": "http://www.qs.gov.cn/", "kind": "government", **unit})
    crawl = Crawl(tmp_path / "t.sqlite", u, today=dt.date(2024, 6, 20))
    crawl.page("/", "<html><body><a href='/xxgk/'>政府信息公开</a></body></html>")
    crawl.page("/xxgk/", "<html><body><a href='/xxgk/zn/'>政府信息公开指南</a></body></html>")
    return crawl


@pytest.mark.parametrize("unit,outcome,words", [
    ({"kind": "department", "name": "青山县教育局"}, "not_applicable", "部门"),
    ({"name": "河北省人民政府"}, "not_applicable", "省级"),
    ({"name": "满洲里市人民政府"}, "not_applicable", "市级"),
    ({"name": "满洲里市人民政府", "level": "county"}, "needs_review", "未找到"),
    ({"name": "www.qs.gov.cn"}, "not_measured", "level"),
])
def test_catalog_missing_by_kind_and_level(tmp_path, unit, outcome, words):
    got = [f for f in _crawl(tmp_path, **unit).run("catalog.missing") if f.rule == "catalog.missing"]
    assert [f.outcome for f in got] == [outcome] and words in got[0].message


def test_plan_missing_reads_link_texts_and_years(tmp_path):
    crawl = _crawl(tmp_path)
    crawl.page("/xxgk/gz/", "<html><body><ul><li><a href='/a/1.doc'>附件：青山县2024年政务公开重点工作任务分工.doc</a></li>"
               "<li><a href='/a/2.html'>青山县召开政务公开重点工作推进会</a></li></ul></body></html>")
    got = [f for f in crawl.run("plan.missing") if f.rule == "plan.missing"]
    assert [f.outcome for f in got] == ["pass"] and "任务分工" in got[0].message
    crawl2 = _crawl(tmp_path / "b")
    crawl2.page("/xxgk/gz/", "<html><body><a href='/a/2.html'>青山县召开政务公开重点工作推进会</a></body></html>")
    assert [f.outcome for f in crawl2.run("plan.missing") if f.rule == "plan.missing"] == ["needs_review"]


def test_inspect_request_shows_what_the_rule_reads(tmp_path, capsys):
    page = tmp_path / "ysqgk.html"
    page.write_text(f"<html><head><title>依申请公开</title></head><body><div class='main'>{LABELS}"
                    "<p>受理机构：青山县人民政府办公室；通信地址：青山县人民路1号；联系电话：0471-6234567</p>"
                    "<a href='/ysqgk/'>依申请公开</a><a href='http://ysqgk.nmg.gov.cn/'>网上申请</a>"
                    "<a href='/att/sqb.docx'>政府信息公开申请表</a></div></body></html>", encoding="utf-8")
    assert main(["inspect", "request", str(page), "--url", "http://www.qs.gov.cn/ysqgk/"]) == 0
    out = capsys.readouterr().out
    assert "在线申请表单（1 项）" in out and "申请人、联系方式、所需信息" in out
    assert "http://ysqgk.nmg.gov.cn/" in out and "http://www.qs.gov.cn/att/sqb.docx" in out
    assert "0471-6234567" in out and "青山县人民路1号" in out
    assert "依申请公开；网址：http://www.qs.gov.cn/ysqgk/" not in out      # the page itself is no application link
    assert not english_words(out)


@pytest.mark.parametrize("text,url,parent,cls", [
    ("在线申请", "http://www.qs.gov.cn/xxgk/ysqgk/apply.html", "subcolumn", "interaction"),
    ("申请表下载", "http://www.qs.gov.cn/xxgk/ysqgk/sqb.html", "subcolumn", "interaction"),
    ("依申请公开须知", "http://www.qs.gov.cn/xxgk/ysqgk/xz.html", "subcolumn", "subcolumn"),
    ("基层政务公开标准目录", "http://www.qs.gov.cn/xxgk/jczwgk/index.html", "platform", "column"),
])
def test_pages_behind_the_request_entry_are_fetched_early(text, url, parent, cls):
    assert classify(text, url, parent) == cls


def test_real_handan_platform_request_entry_not_crawled_is_not_measured(corpus, tmp_path):
    """The real 邯郸 platform links 依申请公开 (/ysqgk/); that page is not in the capture: not_measured."""
    read = lambda n: (corpus / "handan_platform" / n).read_text(encoding="utf-8")  # noqa: E731
    crawl = Crawl(tmp_path / "h.sqlite", Unit(id="hd", name="邯郸市人民政府", url="http://hdzfxxgk.hd.gov.cn/"),
                  today=dt.date(2020, 8, 10))
    crawl.page("/", read("handan_xxgk_index.jsp"))
    crawl.page("/zfxxgkzn/", read("handan_xxgk_gkzn.jsp"))
    [f] = [f for f in crawl.run("request.channel") if f.rule == "request.channel"]
    assert f.outcome == "not_measured" and f.url == "http://hdzfxxgk.hd.gov.cn/ysqgk/"
    [c] = [f for f in crawl.run("catalog.missing") if f.rule == "catalog.missing"]
    assert c.outcome == "not_applicable" and c.data["level"] == "city"
