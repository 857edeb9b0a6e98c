"""Lists as real CMSs lay them out (TRS, 大汉/Hanweb, 集约化 templates), written here as small
fixtures that reproduce their structures: the failure classes of issue 19."""
from __future__ import annotations

import datetime as dt

from govaudit.extract.html import parse
from govaudit.extract.lists import extract_list, js_pager, list_from_html, script_filled

D = dt.date
CRAWL = D(2026, 12, 6)
URL = "http://www.qs.gov.cn/col/col1234/index.html"
HEAD = """<html><head><title>通知公告</title><script src="/js/jquery.min.js"></script></head><body>
<div class="header"><ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/col/col1/">政务公开栏目</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1234/">通知公告</a></div>"""
FOOT = '<div class="footer"><p>主办：青山县人民政府办公室 <a href="/wzdt/">网站地图</a></p></div></body></html>'
TITLES = ["关于开展秋冬季安全生产检查的通知", "青山县人民政府关于调整部分议事协调机构的通知", "关于做好冬季供暖工作的通知",
          "青山县2026年第三季度政府网站检查情况通报", "关于公布行政许可事项清单的公告", "关于开展政务公开培训的通知",
          "青山县防汛抗旱指挥部办公室通知", "关于印发青山县政务公开工作要点的通知", "关于征求意见的公告", "县长信箱办理情况"]


def _page(body: str) -> str:
    return HEAD + f'<div class="main">{body}</div>' + FOOT


def test_dl_with_date_dd_after_title() -> None:
    """大汉-style <dl><dd><a>title</a></dd><dd>date</dd></dl>: ten items, each dated."""
    dds = "".join(f'<dd class="t"><a href="/art/2026/3/{20 - i}/art_{i}.html" target="_blank">{t}</a></dd>'
                  f'<dd class="d">2026-03-{20 - i:02d}</dd>' for i, t in enumerate(TITLES))
    lp = list_from_html(_page(f'<dl class="lb">{dds}</dl>'), URL, CRAWL)
    assert len(lp.items) == 10 and lp.dated == 10
    assert lp.items[0].title == TITLES[0] and lp.items[0].date == D(2026, 3, 20)
    assert lp.items[-1].date == D(2026, 3, 11) and lp.newest == D(2026, 3, 20)


def test_short_titles_with_date_sibling_before() -> None:
    """The date column before the title, in sibling elements, and short titles (a list of 任免)."""
    rows = "".join(f'<span class="rq">[11-{24 - i}]</span><p class="bt"><a href="/a/{i}.html">任免第{i}号</a></p>'
                   for i in range(6))
    lp = list_from_html(_page(f'<div class="list-con">{rows}</div>'), URL, CRAWL)
    assert [i.date for i in lp.items] == [D(2026, 11, 24 - i) for i in range(6)]


def test_yearless_dates_are_never_in_the_future() -> None:
    """[11-24] read on 2026-11-22 is 2025-11-24, and so are its neighbours after the new year."""
    lis = "".join(f'<li><a href="/a/{i}.html">{t}</a><span>[{md}]</span></li>'
                  for i, (t, md) in enumerate(zip(TITLES, ["11-20", "11-24", "10-02", "01-15"])))
    lp = list_from_html(_page(f'<ul class="list">{lis}</ul>'), URL, D(2026, 11, 22))
    dates = [i.date for i in lp.items]
    assert all(d is not None and d <= D(2026, 11, 22) for d in dates), dates
    assert dates[0] == D(2026, 11, 20) and dates[1] == D(2025, 11, 24)


def test_yearless_tail_text_dates() -> None:
    """11-24 as bare text after the link (TRS 模板: <li><a>…</a>11-24</li>)."""
    lis = "".join(f'<li>·<a href="./202611/t2026112{i}_{i}.html">{t}</a>11-2{4 - i}</li>' for i, t in enumerate(TITLES[:4]))
    lp = list_from_html(_page(f"<ul>{lis}</ul>"), URL, CRAWL)
    assert [i.date for i in lp.items] == [D(2026, 11, 24), D(2026, 11, 23), D(2026, 11, 22), D(2026, 11, 21)]


def test_table_with_date_first() -> None:
    rows = "".join(f'<tr><td>2026-0{9 - i}-01</td><td><a href="/b/{i}.html">{t}</a></td></tr>' for i, t in enumerate(TITLES[:5]))
    lp = list_from_html(_page(f'<table class="tab">{rows}</table>'), URL, CRAWL)
    assert [i.date for i in lp.items] == [D(2026, 9 - i, 1) for i in range(5)]


def test_link_wrapping_title_and_date() -> None:
    """集约化 template: <li><a><span class="title">…</span><span class="time">…</span></a></li>."""
    lis = "".join(f'<li><a href="/c/{i}.html"><span class="title">{t}</span><span class="time">2026-10-{10 + i}</span></a></li>'
                  for i, t in enumerate(TITLES[:4]))
    lp = list_from_html(_page(f'<ul class="xxgk-list">{lis}</ul>'), URL, CRAWL)
    assert lp.dated == 4 and lp.items[0].date == D(2026, 10, 10)


def test_trs_create_page_html_gives_total() -> None:
    script = ('<script>var currentPage = 0;//所在页从0开始\nvar countPage = 5//共多少页\n'
              'createPageHTML(countPage, currentPage, "index", "html");</script>')
    lis = "".join(f'<li><a href="./t{i}.html">{t}</a><span>2026-11-0{i + 1}</span></li>' for i, t in enumerate(TITLES[:3]))
    lp = list_from_html(_page(f'<ul class="list">{lis}</ul><div class="page">{script}</div>'), URL, CRAWL)
    assert lp.total_pages == 5 and lp.js_pager is not None
    assert lp.js_pager["script"] == 'createPageHTML(countPage, currentPage, "index", "html");'


def test_hanweb_pagebar_gives_total_and_whole_statement() -> None:
    script = ("<script>\n$(function () {\n  $('#pager').jpage({\n    dataStore: dataStore,\n"
              "    pagebar: {prepage: 10, recordCount: 20},\n    perPage: 10\n  });\n});\n</script>")
    lis = "".join(f'<li><a href="/art/{i}.html">{t}</a><span>2026-11-0{i + 1}</span></li>' for i, t in enumerate(TITLES[:3]))
    lp = list_from_html(_page(f'<ul class="list">{lis}</ul>{script}'), URL, CRAWL)
    assert lp.total_items == 20 and lp.total_pages == 2
    assert lp.js_pager and lp.js_pager["script"] == "pagebar: {prepage: 10, recordCount: 20},"


def test_js_pager_variants() -> None:
    assert js_pager('createPageHTML(12, 0, "index", "shtml");')["total_pages"] == 12  # type: ignore[index]
    assert js_pager("var countPage = 7;")["total_pages"] == 7  # type: ignore[index]
    assert js_pager("$('#p').pagination({totalPage: 54, showPageNum: 5});")["total_pages"] == 54  # type: ignore[index]
    assert js_pager("var a = 1; console.log(a);") is None


DATA_ARRAY = """<script>
var docs = [{"t": "关于开展秋冬季安全生产检查的通知", "u": "/a/1.html", "d": "2026-11-02"},
            {"t": "关于做好冬季供暖工作的通知", "u": "/a/2.html", "d": "2026-10-28"}];
docs.forEach(function (x) {
  var li = document.createElement('li');
  li.innerHTML = '<a href="' + x.u + '">' + x.t + '</a><span>' + x.d + '</span>';
  document.getElementById('docs').appendChild(li);
});
</script>"""


def test_data_array_script_list_is_script_filled() -> None:
    html = _page(f'<h2>通知公告</h2><ul id="docs"></ul>{DATA_ARRAY}')
    root = parse(html)
    why = script_filled(root, URL)
    assert why is not None and "ul#docs" in why
    assert extract_list(root, URL, CRAWL).js_list


def test_document_write_list_is_script_filled() -> None:
    script = ("<script>for (var i = 0; i < data.length; i++) { document.write('<li><a href=\"' + data[i].url + '\">'"
              " + data[i].title + '</a></li>'); }</script>")
    html = _page(f'<h2>通知公告</h2><ul class="gl">{script}</ul>')
    assert script_filled(parse(html), URL) is not None


def test_same_site_script_fills_empty_list() -> None:
    html = _page('<h2>通知公告</h2><ul class="infolist"></ul><script src="/module/web/jpage/listdata.js"></script>')
    why = script_filled(parse(html), URL)
    assert why is not None and "same-site script" in why


def test_empty_list_with_only_a_library_is_not_script_filled() -> None:
    assert script_filled(parse(_page('<h2>通知公告</h2><ul class="infolist"></ul>')), URL) is None


def test_article_with_empty_ul_and_dom_script_is_not_rendered() -> None:
    body = ('<h1>关于开展秋冬季安全生产检查的通知</h1><div class="info">发布日期：2026-11-02</div><ul></ul>'
            '<div class="content"><p>' + "各乡镇人民政府，县直各部门：" * 40 + '</p></div>'
            "<script>document.getElementById('x').innerHTML = 'a';</script>")
    assert script_filled(parse(_page(body)), URL) is None


def test_heading_rows_with_date_spans() -> None:
    """<h4><a>title</a></h4><span>date</span> repeated in one container (集约化 news blocks)."""
    rows = "".join(f'<h4><a href="/d/{i}.html">{t}</a></h4><span class="time">2026-11-{20 - i:02d}</span>'
                   for i, t in enumerate(TITLES[:4]))
    lp = list_from_html(_page(f'<div class="news-con">{rows}</div>'), URL, CRAWL)
    assert [i.date for i in lp.items] == [D(2026, 11, 20 - i) for i in range(4)]


HANWEB = """<div id="4711"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=123"></a>]]></nextgroup>
<recordset>%s</recordset></datastore></script></div>
<script>$(function () { $('#4711').jpage({ dataStore: dataStore, pagebar: {prepage: 15, recordCount: 47} }); });</script>"""


def test_hanweb_datastore_records_are_the_list() -> None:
    """大汉: the items are XML records inside a script, shown by jpage in the browser."""
    recs = "".join(f'<record><![CDATA[\n<li><a href="/art/2026/11/{20 - i}/art_123_{i}.html" title="{t}">{t}</a>'
                   f'<span>2026-11-{20 - i:02d}</span></li>\n]]></record>' for i, t in enumerate(TITLES[:5]))
    html = _page(HANWEB % recs)
    lp = list_from_html(html, URL, CRAWL)
    assert [i.date for i in lp.items] == [D(2026, 11, 20 - i) for i in range(5)]
    assert lp.items[0].url == "http://www.qs.gov.cn/art/2026/11/20/art_123_0.html" and lp.container.startswith("datastore")
    assert lp.total_items == 47 and lp.total_pages == 4
    assert script_filled(parse(html), URL) is None   # read without a browser


def test_unrelated_dom_script_does_not_make_an_empty_ul_script_filled() -> None:
    """A date widget writing elsewhere, or a bare <ul> with the site's common.js: not a list filler."""
    widget = "<script>document.getElementById('today').innerHTML = new Date().toLocaleDateString();</script>"
    html = _page('<h2>通知公告</h2><span id="today"></span><ul></ul>' + widget + '<script src="/js/common.js"></script>')
    assert script_filled(parse(html), URL) is None


def test_platform_table_with_index_number_and_doc_number_columns() -> None:
    """集约化 信息公开目录: 索引号 | 标题 | 文号 | 发布日期 — the date column, not the 索引号's year."""
    rows = "".join(f'<tr><td>11152999MB0000000X/2026-0000{i}</td><td><a href="/xxgk/{i}.html">{t}</a></td>'
                   f'<td>青政办发〔2026〕{i}号</td><td>2026-0{9 - i}-1{i}</td></tr>' for i, t in enumerate(TITLES[:4], 1))
    head = "<tr><th>索引号</th><th>标题</th><th>文号</th><th>发布日期</th></tr>"
    lp = list_from_html(_page(f'<table class="zfxxgk_table">{head}{rows}</table>'), URL, CRAWL)
    assert [i.date for i in lp.items] == [D(2026, 9 - i, 10 + i) for i in range(1, 5)]
