"""lists.list_items (what column.backfilled reads from every page) gives exactly the items
extract_list finds: on real list, platform and article pages, and on the layouts whose rows the
cheap container test skips (a row with more than 3 anchors, a row holding a nested list)."""
from __future__ import annotations

import datetime as dt

import pytest

from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse
from govaudit.extract.lists import extract_list, list_items

D = dt.date(2026, 12, 7)
URL = "http://www.qs.gov.cn/col/col1234/index.html"
ROWS = "".join(f'<li><a href="/art/{i}.html">关于开展第{i}批政务公开培训的通知</a><span>2026-11-{10 + i}</span></li>'
               for i in range(8))
LAYOUTS = {
    "plain ul": f"<ul class='list'>{ROWS}</ul>",
    # a sidebar <div> with 5 links beside the list: a container, never an item
    "container div": "<div class='box'><div class='side'>" + "".join(
        f"<a href='/col/{i}/'>栏目名称第{i}个</a>" for i in range(5)) + f"</div><ul>{ROWS}</ul></div>",
    # a <tr> may hold more than 3 anchors and still be a row
    "table rows with 4 links": "<table>" + "".join(
        f"<tr><td><a href='/art/t{i}.html'>青山县人民政府关于第{i}号文件的通知</a></td><td><a href='/d/{i}'>下载</a>"
        f"<a href='/p/{i}'>打印</a><a href='/s/{i}'>分享</a></td><td>2026-10-{10 + i}</td></tr>" for i in range(6))
    + "</table>",
    # an item holding a nested list is a container too
    "nested list": f"<div class='l'><div><a href='/x.html'>更多通知公告栏目</a><ul>{ROWS}</ul></div></div>",
    # 大汉 datastore: the items sit in a script
    "hanweb datastore": "<div id='c'></div><script type='text/xml'><datastore><recordset>" + "".join(
        f"<record><![CDATA[<li><a href='/art/h{i}.html'>大汉列表中的第{i}条信息标题</a><span>2026-09-{10 + i}</span></li>]]>"
        f"</record>" for i in range(5)) + "</recordset></datastore></script>",
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layouts(name: str) -> None:
    root = parse(f"<html><body><div class='nav'><a href='/'>首页</a></div>{LAYOUTS[name]}</body></html>")
    items = list_items(root, URL, D)
    assert items == extract_list(root, URL, D).items
    assert sum(1 for i in items if i.date) >= 5, name  # every layout is a dated list: the test can fail


def test_real_pages(corpus) -> None:
    pages = sorted(f for f in corpus.rglob("*") if f.suffix in (".html", ".jsp") and "linkchecker" not in f.parts)
    assert len(pages) >= 6
    dated = 0
    for f in pages:
        root = parse(decode_html(f.read_bytes(), "")[0])
        items = list_items(root, "http://x.gov.cn/a/index.html", D)
        assert items == extract_list(root, "http://x.gov.cn/a/index.html", D).items, f
        dated += sum(1 for i in items if i.date)
    assert dated >= 20  # the Shanghai list alone has 20 dated items


def test_no_tree() -> None:
    assert list_items(None, URL, D) == []
