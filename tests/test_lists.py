"""List pages: items (title, URL, date) in real and fixture layouts, pagination, placeholders."""
from __future__ import annotations

import datetime as dt

from govaudit.extract.html import parse
import pytest

from govaudit.extract.lists import extract_list, list_from_html, script_filled

D = dt.date


def _corpus(corpus, rel: str) -> str:
    return (corpus / rel).read_text(encoding="utf-8")


def test_shanghai_list_20_items_with_dates(corpus) -> None:
    lp = list_from_html(_corpus(corpus, "shanghai_list/shanghai_wsjkw_yqtb_list_2022-04-27.html"),
                        "https://wsjkw.sh.gov.cn/yqtb/index.html", today=D(2022, 4, 27))
    assert len(lp.items) == 20 and lp.dated == 20
    assert lp.newest == D(2022, 4, 27)
    assert lp.items[0].date == D(2022, 4, 27) and lp.items[-1].date == D(2022, 4, 17)
    # "4月26日（0-24时）" in the title is content, not the item's date
    assert lp.items[0].title.startswith("4月26日") and lp.items[0].date_text == "2022-04-27"
    assert lp.items[2].url == "https://wsjkw.sh.gov.cn/xwfb/20220426/d4d847dcf3f64fcab102cf5a65656891.html"
    # the JS pager is noted with its page count, and no page URL is guessed
    assert lp.js_pager and lp.js_pager["total_pages"] == 54 and lp.total_pages == 54
    assert lp.next_pages == [] and lp.page_links == []


def test_handan_table_list_and_pager(corpus) -> None:
    lp = list_from_html(_corpus(corpus, "handan_platform/handan_xxgk_list.jsp"),
                        "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index.html", today=D(2020, 8, 10))
    assert [(i.title[:8], i.date) for i in lp.items] == [("邯郸市教育局关于", D(2020, 8, 5))]
    assert lp.items[0].url.endswith("/gszbm/auto23716/202008/t20200805_1353179.html")
    assert lp.next_pages == ["http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index_1.html"]
    assert "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index_55.html" in lp.page_links
    assert lp.total_pages == 56


CHROME = """<div class="nav"><ul><li><a href="/zwdt/">政务动态新闻</a></li><li><a href="/tzgg/">通知公告栏目</a></li>
<li><a href="/xxgk/">政府信息公开平台</a></li></ul></div>"""


def test_ul_with_span_dates() -> None:
    html = CHROME + """<ul class="list"><li><a href="a1.html">关于开展安全生产检查的通知</a><span>2024-03-05</span></li>
    <li><a href="a2.html">关于春节放假安排的通知</a><span>2024/2/1</span></li>
    <li><a href="a3.html">全县经济工作会议召开</a><span>2024.01.15</span></li></ul>"""
    lp = extract_list(parse(html), "http://x.gov.cn/tzgg/index.html", D(2024, 3, 10))
    assert [i.date for i in lp.items] == [D(2024, 3, 5), D(2024, 2, 1), D(2024, 1, 15)]
    assert lp.items[0].url == "http://x.gov.cn/tzgg/a1.html" and lp.newest == D(2024, 3, 5)


def test_table_layout_with_chinese_dates_and_full_width() -> None:
    html = CHROME + """<table><tr><th>标题</th><th>日期</th></tr>
    <tr><td><a href="/x/1.html" title="关于印发青山县政务公开工作要点的通知">关于印发青山县政务公开...</a></td><td>２０２４年３月５日</td></tr>
    <tr><td><a href="/x/2.html">青山县2023年政府信息公开工作年度报告</a></td><td>2024年1月20日</td></tr></table>"""
    lp = extract_list(parse(html), "http://x.gov.cn/x/", D(2024, 3, 10))
    assert [i.title for i in lp.items][0] == "关于印发青山县政务公开工作要点的通知"  # title attribute over "..."
    assert [i.date for i in lp.items] == [D(2024, 3, 5), D(2024, 1, 20)]


def test_year_less_dates_cross_the_new_year() -> None:
    html = """<ul class="news"><li>·<a href="1.html">县政府召开常务会议研究部署工作</a> [01-05]</li>
    <li>·<a href="2.html">全县冬季安全生产工作会议召开</a> [12-28]</li>
    <li>·<a href="3.html">青山县开展冬季送温暖活动</a> [11-30]</li></ul>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/", D(2024, 1, 10))
    assert [i.date for i in lp.items] == [D(2024, 1, 5), D(2023, 12, 28), D(2023, 11, 30)]


def test_div_items_and_date_inside_the_link() -> None:
    html = """<div class="newslist"><div class="item"><a href="1.html"><span class="t">青山县召开防汛工作部署会</span>
    <span class="d">2024-06-01</span></a></div><div class="item"><a href="2.html"><span class="t">青山县开展河湖清四乱行动</span>
    <span class="d">2024-05-20</span></a></div></div>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/", D(2024, 6, 10))
    assert [i.date for i in lp.items] == [D(2024, 6, 1), D(2024, 5, 20)]


def test_menu_is_not_a_list_and_placeholder_reported() -> None:
    html = CHROME + '<div class="list-box"><h2>重大建设项目</h2><ul class="list"></ul><p>暂无信息</p></div>'
    lp = extract_list(parse(html), "http://x.gov.cn/zdxm/", D(2024, 6, 10))
    assert lp.items == [] and lp.placeholder == "暂无信息"


def test_js_rendered_list_is_noted() -> None:
    html = """<div class="list" id="list"></div><script>$.ajax({url:'/api/list',success:function(d){render(d)}});</script>
    <div id="pager"></div><script>createPageHTML('pager', 12, 0, 'index', 'html');</script>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/", D(2024, 6, 10))
    assert lp.items == [] and lp.js_list and lp.js_pager["total_pages"] == 12 and lp.next_pages == []


def test_next_page_links() -> None:
    html = """<ul><li><a href="a.html">青山县召开政务公开推进会议</a><span>2024-03-01</span></li></ul>
    <div class="page"><a href="index.html">首页</a> <a href="index_1.html">2</a> <a href="index_1.html">下一页</a>
    <a href="javascript:void(0)">末页</a></div>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/index.html", D(2024, 3, 10))
    assert lp.next_pages == ["http://x.gov.cn/dt/index_1.html"] and lp.page_links == []


def test_inspect_list_cli(corpus) -> None:
    import json

    from tests.conftest import run_cli

    src = corpus / "shanghai_list" / "shanghai_wsjkw_yqtb_list_2022-04-27.html"
    proc = run_cli("inspect", "list", str(src), "--json", "--url", "https://wsjkw.sh.gov.cn/yqtb/index.html", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["count"] == 20 and out["newest"] == "2022-04-27" and out["column_name"] == "疫情通报"


def test_nested_layout_tables_and_page_blocks_are_not_rows() -> None:
    html = """<table class="layout"><tr><td><div class="header"><a href="/">首页</a></div></td></tr>
    <tr><td><table class="list"><tr><td><a href="1.html">青山县召开政务公开推进会议</a></td><td>2024-03-01</td></tr>
    <tr><td><a href="2.html">青山县开展安全生产大检查</a></td><td>2024-02-20</td></tr></table></td></tr>
    <tr><td class="foot"><a href="/lxwm/">联系我们网站</a> 2024-01-01 更新</td></tr></table>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/", D(2024, 3, 10))
    assert [i.title for i in lp.items] == ["青山县召开政务公开推进会议", "青山县开展安全生产大检查"]


def test_date_outside_the_link_wins_over_a_date_span_inside_it() -> None:
    html = """<ul><li><a href="1.html"><span class="k">4月26日</span>本市疫情防控工作情况通报</a><span>2022-04-27</span></li>
    <li><a href="2.html"><span class="k">4月25日</span>本市疫情防控工作情况通报</a><span>2022-04-26</span></li></ul>"""
    lp = extract_list(parse(html), "http://x.gov.cn/yq/", D(2022, 4, 28))
    assert [i.date for i in lp.items] == [D(2022, 4, 27), D(2022, 4, 26)]


def test_definition_list_and_bare_links() -> None:
    html = """<dl class="news"><dt><a href="1.html">青山县召开政务公开推进会议</a></dt><dd>2024-03-01</dd>
    <dt><a href="2.html">青山县开展安全生产大检查</a></dt><dd>2024-02-20</dd></dl>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/", D(2024, 3, 10))
    assert [i.date for i in lp.items] == [D(2024, 3, 1), D(2024, 2, 20)]
    html = """<div class="list"><a href="1.html">青山县召开政务公开推进会议</a> <span>2024-03-01</span><br>
    <a href="2.html">青山县开展安全生产大检查</a> (2024-02-20)<br><a href="3.html">青山县春耕备耕工作会议</a> [02-10]</div>"""
    lp = extract_list(parse(html), "http://x.gov.cn/dt/", D(2024, 3, 10))
    assert [(i.url[-6:], i.date) for i in lp.items] == [("1.html", D(2024, 3, 1)), ("2.html", D(2024, 2, 20)),
                                                       ("3.html", D(2024, 2, 10))]


# -- pages the crawler renders because a script fills their list (extract.lists.script_filled) ---
ARTICLE_TEXT = "<p>" + "为进一步做好政务公开工作，现将有关事项通知如下。" * 30 + "</p>"


@pytest.mark.parametrize("body", [
    '<h2>通知公告</h2><ul id="list"></ul><script>$.ajax({url: "/api/list", success: fill});</script>',
    '<h2>通知公告</h2><div class="content"></div><script src="/js/vue.js"></script>'
    '<div id="app"><li v-for="it in items">{{ it.title }}</li></div>',
    '<h2>通知公告</h2><table id="newsList"><tbody></tbody></table>'
    '<script>fetch("/api/list").then(r => r.json()).then(fill); createPageHTML(12, 0, "index", "html");</script>',
])
def test_script_filled_lists_are_recognised(body: str) -> None:
    assert script_filled(parse(CHROME + body), "http://x.gov.cn/tzgg/index.html")


@pytest.mark.parametrize("body", [
    # a static list with a JS pager (the Shanghai pattern): the HTML already holds the items
    '<ul class="list"><li><a href="a1.html">关于开展安全生产检查的通知</a><span>2024-03-05</span></li>'
    '<li><a href="a2.html">关于春节放假安排的通知</a><span>2024-02-01</span></li></ul>'
    '<script>createPageHTML(5, 0, "index", "html");</script>',
    # an article with a visit counter fetched by AJAX
    '<h1>关于做好政务公开工作的通知</h1>' + ARTICLE_TEXT + '<script>$.get("/count?id=1", show);</script>',
    # a short article that states its publish date
    '<h1>会议通知</h1><p>发布日期：2024-03-05</p><p>定于下周召开会议。</p><script>$.get("/count", show);</script>',
    # a blank column that says so: column.blank judges it without a browser
    '<h2>重大建设项目</h2><ul class="list"></ul><p>暂无信息</p><script>$.getJSON("/api", fill);</script>',
    # a badge printed with document.write on a page without a list container
    '<h2>机构职能</h2><p>县政府办公室</p><script>document.write(unescape("%3Cspan id=conac%3E"));</script>',
    # no script at all: an empty list is column.blank's business, not the browser's
    '<h2>重大建设项目</h2><ul class="list"></ul>',
])
def test_look_alikes_are_not_rendered(body: str) -> None:
    assert script_filled(parse(CHROME + body), "http://x.gov.cn/tzgg/index.html") is None


def test_no_real_corpus_page_needs_rendering(corpus) -> None:
    """The real list, platform and article pages all carry their content in the HTML."""
    from govaudit.extract.page import view_page

    pages = [f for f in corpus.rglob("*") if f.suffix in (".html", ".jsp") and "linkchecker" not in f.parts]
    assert len(pages) >= 6
    for f in pages:
        view = view_page(f.read_bytes(), "http://x.gov.cn/a/index.html")
        assert script_filled(view.root, view.url) is None, f
