"""The interpretation extractor: titles, 文号, labelled links, forms — inline pages and the corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.extract import interp as X
from govaudit.extract.html import parse
from govaudit.extract.page import view_page

URL = "http://www.qs.gov.cn/zcjd/202405/t20240510_1.html"


def facts(body: str, title: str = "", head: str = "", url: str = URL) -> X.PageFacts:
    doc = f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    v = view_page(doc.encode("utf-8"), url)
    return X.page_facts(v.root, url, v.meta, v.title)


# -- titles -------------------------------------------------------------------------------------
def test_title_key_ignores_quote_style_whitespace_and_width():
    a = X.title_key("《青山县“十四五”数字政府 建设规划》")
    assert a == X.title_key('青山县"十四五"数字政府建设规划') == X.title_key("青山县「十四五」数字政府建设规划")
    assert a == X.title_key("青山县‘十四五’数字政府建设规划") == X.title_key("青山县＂十四五＂数字政府建设规划")
    assert X.title_key("青山县十四五规划") != X.title_key("青山县十三五规划")


@pytest.mark.parametrize("title, core", [
    ("青山县人民政府关于印发《青山县优化营商环境若干措施》的通知", "青山县优化营商环境若干措施"),
    ("青山县人民政府办公室关于印发青山县优化营商环境若干措施的通知", "青山县优化营商环境若干措施"),
    ("一图读懂《青山县优化营商环境若干措施》", "青山县优化营商环境若干措施"),
    ("【图解】青山县优化营商环境若干措施", "青山县优化营商环境若干措施"),
    ("《青山县优化营商环境若干措施》政策解读", "青山县优化营商环境若干措施"),
    ("关于《青山县优化营商环境若干措施》的解读", "青山县优化营商环境若干措施"),
    ("视频解读：青山县优化营商环境若干措施", "青山县优化营商环境若干措施"),
    ("青山县城乡居民医疗救助办法", "青山县城乡居民医疗救助办法"),
])
def test_core_title(title, core):
    assert X.title_key(X.core_title(title)) == X.title_key(core)


def test_interpretation_titles_and_a_document_about_interpretation():
    assert X.is_interp_title("《青山县优化营商环境若干措施》政策解读")
    assert X.is_interp_title("市发改委负责同志就《若干措施》答记者问")
    assert X.is_interp_title("一图读懂2024年政府工作报告")
    # a document whose quoted title says 解读 is a document, not an interpretation
    assert not X.is_interp_title("青山县人民政府办公室关于印发《青山县政策解读工作办法》的通知")


# -- 文号 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expect", [
    ("青政规〔2024〕1号", "青政规〔2024〕1号"),
    ("青政规[2024]1号", "青政规〔2024〕1号"),
    ("青政规［2024］1号", "青政规〔2024〕1号"),
    ("青政规（2024）1号", "青政规〔2024〕1号"),
    ("青政规【2024】第1号", "青政规〔2024〕1号"),
    ("国办发〔２０２４〕３号", "国办发〔2024〕3号"),
    ("根据青政办发〔2023〕12号文件精神", "青政办发〔2023〕12号"),
])
def test_doc_numbers_in_every_bracket_style(text, expect):
    assert [d.text for d in X.doc_numbers(text)] == [expect]


def test_normative_mark_and_prefix_tolerance():
    assert X.doc_numbers("青政规〔2024〕1号")[0].normative
    assert not X.doc_numbers("青政发〔2024〕5号")[0].normative
    a, b = X.doc_numbers("青政规〔2024〕1号")[0], X.doc_numbers("县政府青政规〔2024〕1号")[0]
    assert a.same(b)
    assert not a.same(X.doc_numbers("青政规〔2024〕2号")[0])
    assert not a.same(X.doc_numbers("赣政规〔2024〕1号")[0])
    assert X.doc_numbers("2024年1号文件") == [] and X.doc_numbers("（2024）") == []


# -- one page -----------------------------------------------------------------------------------
DOC = """<div class="nav"><a href="/zcjd/">政策解读</a><a href="/zcwj/">政策文件</a></div>
<div class="article"><h1>青山县人民政府关于印发《青山县优化营商环境若干措施》的通知</h1>
<div class="info">发布日期：2024-05-08</div>
<div class="TRS_Editor"><p style="text-align:center">青政规〔2024〕1号</p><p>各乡镇人民政府：</p>
<p>现将《青山县优化营商环境若干措施》印发给你们。2023年印发的青政发〔2023〕7号同时废止。</p>
<div class="xgjd"><p>相关解读：</p><p><a href="/zcjd/i1.html">【图解】一图读懂若干措施</a></p>
<p><a href="/zcjd/i2.html">《若干措施》解读</a></p></div></div></div>"""


def test_document_page_facts():
    f = facts(DOC, url="http://www.qs.gov.cn/zcwj/d1.html")
    assert f.doc_numbers == ["青政规〔2024〕1号"] and f.normative
    assert "青政发〔2023〕7号" in f.mentioned_numbers
    assert f.date == "2024-05-08" and not f.interp_title
    assert X.title_key("青山县优化营商环境若干措施") in f.title_keys
    assert [ln.url for ln in f.interp_links] == ["http://www.qs.gov.cn/zcjd/i1.html", "http://www.qs.gov.cn/zcjd/i2.html"]
    assert f.doc_links == []  # the nav's 政策文件 is navigation, not a labelled link


INTERP = """<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zcjd/">政策解读</a></div>
<div class="article"><h1>《青山县优化营商环境若干措施》政策解读</h1><p>发布时间：2024年05月10日</p>
<div class="content"><p>近日，县政府印发了《青山县优化营商环境若干措施》（青政规〔2024〕1号，以下简称《措施》）。</p>
<p>一、出台背景</p><p>为进一步优化营商环境……</p></div>
<div class="xgwj">相关文件：<a href="/zcwj/d1.html">青山县人民政府关于印发青山县优化营商环境若干措施的通知</a>
相关解读：<a href="/zcjd/i1.html">一图读懂若干措施</a></div></div>"""


def test_interpretation_page_facts():
    f = facts(INTERP)
    assert f.interp_title and f.doc_numbers == [] and f.date == "2024-05-10"
    assert "青政规〔2024〕1号" in f.mentioned_numbers
    assert [(ln.url, ln.label) for ln in f.doc_links] == [("http://www.qs.gov.cn/zcwj/d1.html", "相关文件")]
    assert [ln.url for ln in f.interp_links] == ["http://www.qs.gov.cn/zcjd/i1.html"]  # the crumb is skipped
    assert f.named_doc_unlinked is None


def test_label_rendered_by_script_is_named_but_unlinked():
    body = """<div class="article"><h1>关于《青山县养老服务补贴实施细则》的解读</h1><div class="content"><p>正文。</p>
    <p>相关文件：<span id="x"></span></p><script>x.innerHTML='<a href="/zcwj/d9.html">细则</a>'</script></div></div>"""
    f = facts(body)
    assert f.doc_links == [] and f.named_doc_unlinked == "相关文件"
    body2 = body.replace('<span id="x"></span>', '<a href="javascript:void(0)" onclick="go()">青山县养老服务补贴实施细则</a>')
    f2 = facts(body2)
    assert [ln.static for ln in f2.doc_links] == [False] and f2.named_doc_unlinked == "相关文件"


def test_menu_neighbours_of_a_label_are_not_labelled():
    body = '<div class="lanmu"><ul><li><a href="/zcjd/">政策解读</a></li><li><a href="/hd/">政民互动</a></li></ul></div>'
    f = facts(body)
    # neither the menu's 政策解读 column (navigation, issue 19) nor its neighbour is an interpretation link
    assert [ln.text for ln in f.interp_links] == []


def test_stated_reason_for_not_interpreting():
    f = facts('<div class="content"><p>青政发〔2024〕9号</p><p>本文件为内部事务，不予解读。</p></div>')
    assert f.no_interp_reason and "不予解读" in f.no_interp_reason


def test_pair_by_title_across_quote_styles_and_wrapper():
    doc = facts("<h1>青山县人民政府关于印发《青山县“十四五”数字政府建设规划》的通知</h1><div class='content'><p>青政发〔2024〕5号</p></div>")
    interp = facts('<h1>《青山县"十四五"数字政府建设规划》政策解读</h1><div class="content"><p>正文</p></div>')
    assert X.pair_by_title(interp, doc) == "title"
    other = facts('<h1>《青山县"十三五"数字政府建设规划》政策解读</h1><div class="content"><p>正文</p></div>')
    assert X.pair_by_title(other, doc) is None


def test_pair_by_doc_number_only():
    doc = facts("<h1>青山县城市更新实施意见</h1><div class='content'><p>青政发〔2024〕5号</p></div>")
    interp = facts("<h1>城市更新政策问答</h1><div class='content'><p>问：文件编号？</p><p>答：青政发〔2024〕5号。</p></div>")
    assert X.pair_by_title(interp, doc) == "docno"


# -- forms --------------------------------------------------------------------------------------
def form(body: str, title: str = "解读") -> str:
    return X.classify_form(parse(f"<html><body><h1>{title}</h1>{body}</body></html>"), title)[0]


LONG = "<p>" + "为进一步优化营商环境，激发市场主体活力，现就有关政策解读如下。" * 12 + "</p>"


def test_forms():
    assert form('<div class="content"><video src="/v/a.mp4" controls></video></div>') == "video"
    assert form('<div class="content"><p>视频：</p><a href="/v/jd.flv">点击观看</a></div>') == "video"
    assert form('<div class="content"><iframe src="https://v.qq.com/txp/iframe/player.html?vid=x"></iframe></div>') == "video"
    assert form('<div class="content"><script>new ckplayer({video:"/v/a.m3u8"})</script><p>正文</p></div>') == "video"
    assert form('<div class="content"><iframe src="https://h5.example.com/h5/abc/index.html"></iframe></div>') == "h5"
    assert form('<div class="content"><img src="/img/yitu.jpg" width="900"><p>来源：县发改委</p></div>') == "graphic"
    assert form('<div class="content"><p>问：谁可以申请？</p><p>答：本县居民。</p><p>问：去哪里申请？</p><p>答：乡镇政府。</p></div>') == "qa"
    assert form('<div class="content"><p>一、为什么出台？</p><p>' + "因为。" * 30 + "</p><p>二、适用于谁？</p><p>全体。</p><p>三、何时施行？</p><p>即日。</p></div>") == "qa"
    assert form(f'<div class="content">{LONG}</div>') == "text"


def test_form_look_alikes():
    # a long text with a small icon and a share button is text, not 图解
    assert form(f'<div class="content"><img src="/img/icon_share.png"><img src="/i/a.gif" width="16" height="16">{LONG}</div>') == "text"
    # a long text with one photo is text too
    assert form(f'<div class="content"><img src="/img/photo.jpg">{LONG}{LONG}</div>') == "text"
    # one question mark is not a Q/A
    assert form(f'<div class="content"><p>为什么要制定？</p>{LONG}</div>') == "text"
    # 'H5' inside a word is not H5
    assert form(f'<div class="content">{LONG}<p>型号SH500</p></div>', "关于XH50标准的解读") == "text"
    # the title decides when the body shows nothing (the image is loaded by a script)
    assert form(f'<div class="content"><div id="pic"></div></div>', "图解：若干措施") == "graphic"


# -- real pages ---------------------------------------------------------------------------------
def _jsp(path: Path) -> bytes:
    data = path.read_bytes()
    return data[data.lower().find(b"<html"):]


def test_corpus_handan_document_detail(corpus):
    v = view_page(_jsp(corpus / "handan_platform" / "handan_xxgk_details.jsp"), "http://hdzfxxgk.hd.gov.cn/a.html")
    f = X.page_facts(v.root, v.url, v.meta, v.title)
    # 名称：…关于印发《X》的通知 ; 文号：无 — a document with no 文号
    assert f.title.startswith("邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》")
    assert f.doc_numbers == [] and not f.interp_title
    assert X.title_key("全市教育系统安全专项整治三年行动实施方案") in f.title_keys
    assert f.date == "2020-08-02"
    # the platform menu's 政策解读 item is a link to the column; its neighbours are not interpretations
    assert {ln.text for ln in f.interp_links} <= {"政策解读"}


def test_corpus_articles_are_neither(corpus):
    for name in ("shanxi_gov_article_2019-09-18.html", "zj_fgw_article_2016-11-22.html"):
        v = view_page((corpus / "gov_articles" / name).read_bytes(), "http://www.example.gov.cn/a.html")
        f = X.page_facts(v.root, v.url, v.meta, v.title)
        assert not f.interp_title and f.doc_numbers == [] and f.doc_links == []


def test_inspect_interp_cli(tmp_path):
    import json

    from tests.conftest import run_cli

    page = tmp_path / "i.html"
    page.write_text(f"<html><head><title>x</title></head><body>{INTERP}</body></html>", encoding="utf-8")
    proc = run_cli("inspect", "interp", str(page), "--url", URL, "--json", timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["interp_title"] and out["form_label"] == "文字" and out["doc_links"][0]["label"] == "相关文件"


def test_press_conference_qa():
    body = ('<div class="content"><p>记者：出台《措施》的背景是什么？</p><p>答：为了……</p>'
            '<p>记者：有哪些亮点？</p><p>答：一是……</p></div>')
    assert form(body, "县发改委负责同志就《措施》答记者问") == "qa"


def test_doc_number_in_an_info_table_and_in_the_title():
    table = ('<table class="info"><tr><th>索 引 号：</th><td>000014349/2024-00222</td><th>发文字号：</th>'
             '<td>青政规〔2024〕1号</td></tr><tr><th>成文日期：</th><td>2024年05月06日</td><th>发布日期：</th>'
             '<td>2024年05月08日</td></tr></table><h1>青山县优化营商环境若干措施</h1><div class="content"><p>第一条……</p></div>')
    f = facts(table)
    assert f.doc_numbers == ["青政规〔2024〕1号"] and f.normative
    f2 = facts('<h1>青山县人民政府关于做好防汛工作的通知（青政发〔2024〕7号）</h1><div class="content"><p>各乡镇：</p></div>')
    assert f2.doc_numbers == ["青政发〔2024〕7号"]
    # an article that only mentions a 文号 in its prose has none of its own
    f3 = facts('<h1>全县召开营商环境推进会</h1><div class="content"><p>会议传达了青政规〔2024〕1号文件精神，要求各单位认真落实。</p></div>')
    assert f3.doc_numbers == [] and f3.mentioned_numbers == ["青政规〔2024〕1号"]


def test_label_with_plain_text_is_named_not_scripted():
    f = facts('<div class="article"><h1>《青山县若干措施》解读</h1><div class="content"><p>正文。</p>'
              '<p>相关文件：《青山县若干措施》</p></div></div>')
    assert f.named_doc_unlinked is None and f.named_doc_text == "《青山县若干措施》"


def test_corpus_content_element_is_the_article_body(corpus):
    v = view_page((corpus / "gov_articles" / "shanxi_gov_article_2019-09-18.html").read_bytes(), "http://www.shanxi.gov.cn/a.html")
    el = X.content_element(v.root)
    assert el is not None and ("article-body" in (el.get("class") or "") or "TRS_Editor" in (el.get("class") or ""))
    v = view_page((corpus / "gov_articles" / "zj_fgw_article_2016-11-22.html").read_bytes(), "http://fzggw.zj.gov.cn/a.html")
    assert X.content_element(v.root).get("id") == "zoom"
    assert X.classify_form(v.root, v.title)[0] == "text"
