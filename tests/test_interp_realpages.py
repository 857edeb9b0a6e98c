"""Interpretations as real sites publish them (issue 19): the policy linked as an attachment,
the site's 解读 navigation, and a script-filled 相关文件 block with empty slots."""
from __future__ import annotations

from govaudit.extract import interp as X
from govaudit.extract.page import view_page

URL = "http://www.qs.gov.cn/art/2019/10/12/art_1229_1.html"
NAV = ('<div class="daohang"><ul><li><a href="/col/col1/index.html">首页</a></li><li><a href="/col/col2/index.html">解读回应</a></li>'
       '<li><a href="/col/col3/index.html">政策解读</a></li><li><a href="/col/col4/index.html">部门文件解读</a></li></ul></div>')


def facts(body: str, title: str) -> X.PageFacts:
    doc = f"<html><head><title>{title}_青山县人民政府</title></head><body>{NAV}{body}</body></html>"
    v = view_page(doc.encode("utf-8"), URL)
    return X.page_facts(v.root, URL, v.meta, v.title)


INTERP = ('<div class="main"><h1>《青山县突发事件总体应急预案》政策解读</h1><div class="info">发布日期：2019-10-12</div>'
          '<div class="zoom"><p>一、制定背景 为提高政府保障公共安全和处置突发事件的能力……</p>'
          '<p>附件：<a href="./W020191012345678901234.docx">青山县突发事件总体应急预案 .docx</a></p></div></div>')


def test_attachment_named_like_the_policy_is_the_link_to_it() -> None:
    f = facts(INTERP, "《青山县突发事件总体应急预案》政策解读")
    assert [(ln.label, ln.url.rsplit("/", 1)[-1]) for ln in f.doc_links] == [("attachment", "W020191012345678901234.docx")]
    doc = X.PageFacts(url="http://www.qs.gov.cn/art/2019/10/10/art_1_2.html", title="青山县突发事件总体应急预案",
                      title_keys=[X.title_key("青山县突发事件总体应急预案")])
    assert X.pair_by_title(f, doc) == "title"


def test_unrelated_attachment_is_not_the_policy() -> None:
    body = INTERP.replace("青山县突发事件总体应急预案 .docx", "申请表.docx")
    assert facts(body, "《青山县突发事件总体应急预案》政策解读").doc_links == []


def test_navigation_is_not_an_interpretation_link() -> None:
    body = ('<div class="main"><h1>青山县人民政府关于印发青山县突发事件总体应急预案的通知</h1>'
            '<div class="zoom"><p>青政发〔2019〕12号</p><p>各乡镇人民政府……</p></div></div>')
    f = facts(body, "青山县人民政府关于印发青山县突发事件总体应急预案的通知")
    assert f.interp_links == [] and f.named_interp_unlinked is None
    assert X.is_nav_text("部门文件解读") and X.is_nav_text("解读回应") and not X.is_nav_text("《应急预案》解读")


def test_script_placeholder_block_is_not_a_link() -> None:
    body = ('<div class="main"><h1>《青山县突发事件总体应急预案》政策解读</h1><div class="zoom"><p>……</p></div>'
            '<div class="xgwj"><h3>相关文件</h3><ul id="xgwj"><li><a href=""></a></li></ul>'
            '<script>var xgwj = [{title: "", url: ""}]; render(xgwj);</script></div></div>')
    f = facts(body, "《青山县突发事件总体应急预案》政策解读")
    assert f.doc_links == [] and f.interp_links == []
