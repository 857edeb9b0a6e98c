"""Link extraction on real government pages (../shared/corpus): counts, comments, hidden hints."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from govaudit.extract.page import view_page
from govaudit.urls import invalid_reason, is_http, normalize

HANDAN = "http://hdzfxxgk.hd.gov.cn/"


def strip_jsp(body: bytes) -> bytes:
    """The handan pages were saved as JSP: drop the leading <%@ page … %> directive."""
    return re.sub(rb"^\s*<%@.*?%>\s*", b"", body, count=1, flags=re.S)


def handan(corpus: Path, name: str, url: str = HANDAN):
    return view_page(strip_jsp((corpus / "handan_platform" / name).read_bytes()), url)


GOV_PAGES = [
    # file, page URL, (min, max) links, (min, max) <a> links
    ("gov_articles/shanxi_gov_article_2019-09-18.html", "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_1.shtml", (380, 430), (350, 400)),
    ("gov_articles/zj_fgw_article_2016-11-22.html", "http://www.zjdpc.gov.cn/art/2016/11/22/art_1.html", (50, 80), (25, 45)),
    ("gov_articles/govcn_gongbao_article_2007.html", "http://www.gov.cn/gongbao/content/2007/content_1.htm", (20, 45), (5, 15)),
    ("shanghai_list/shanghai_wsjkw_yqtb_list_2022-04-27.html", "https://wsjkw.sh.gov.cn/yqtb/index.html", (35, 55), (20, 30)),
    ("handan_platform/handan_xxgk_index.jsp", HANDAN, (70, 110), (55, 80)),
    ("handan_platform/handan_xxgk_gkzn.jsp", HANDAN + "zfxxgkzn/", (110, 150), (100, 135)),
    ("handan_platform/handan_xxgk_list.jsp", HANDAN + "zfwj/", (65, 100), (55, 80)),
    ("handan_platform/handan_xxgk_details.jsp", HANDAN + "zfwj/1.html", (55, 85), (45, 65)),
]


@pytest.mark.parametrize("name,url,n_links,n_a", GOV_PAGES, ids=[g[0].split("/")[1] for g in GOV_PAGES])
def test_real_pages_sensible(corpus, name, url, n_links, n_a):
    body = (corpus / name).read_bytes()
    view = view_page(strip_jsp(body) if name.endswith(".jsp") else body, url)
    assert view.encoding == "utf-8"
    assert view.title and "\ufffd" not in view.title
    tags = Counter(ln.tag for ln in view.links)
    assert n_links[0] <= len(view.links) <= n_links[1], (len(view.links), tags)
    assert n_a[0] <= tags["a"] <= n_a[1], tags
    for ln in view.links:
        assert ln.url == ln.url.strip() and "\n" not in ln.url
        if is_http(ln.url):
            assert invalid_reason(normalize(ln.url)) is None, ln.url
        assert not ln.url.lower().startswith(("javascript:", "mailto:"))


@pytest.mark.parametrize("name", ["gov_articles/shanxi_gov_article_2019-09-18.html",
                                  "gov_articles/zj_fgw_article_2016-11-22.html",
                                  "handan_platform/handan_xxgk_gkzn.jsp", "handan_platform/handan_xxgk_index.jsp"])
def test_links_in_comments_are_not_links(corpus, name):
    body = (corpus / name).read_bytes()
    body = strip_jsp(body) if name.endswith(".jsp") else body
    view = view_page(body, HANDAN)
    assert view.root is not None
    in_comments: set[str] = set()
    for c in view.root.iter(etree.Comment):
        in_comments |= set(re.findall(r"""href\s*=\s*["']([^"']+)""", c.text or ""))
    outside = {ln.raw for ln in view.links}
    only_commented = {h for h in in_comments if h not in outside}
    if name.endswith("gkzn.jsp"):
        assert only_commented  # the commented-out menu entries of line 120-123
    for ln in view.links:
        assert ln.raw not in only_commented


def test_handan_broken_comment_follows_html_rules(corpus):
    """gkzn.jsp line 120 opens a comment that holds another '<!--'; comments do not nest, so the
    first '-->' (line 123) closes it: the links of lines 124-133 are live, those of 120-123 are not."""
    view = handan(corpus, "handan_xxgk_gkzn.jsp", HANDAN + "zfxxgkzn/")
    by_text = Counter(ln.text for ln in view.links if ln.tag == "a")
    # line 97-107 hold the live copies; the commented block repeats 机构职责/领导分工/规划计划/统计数据
    assert by_text["机构职责"] == 1 and by_text["领导分工"] == 1 and by_text["规划计划"] == 1
    assert by_text["统计数据"] == 0 and by_text["行政执法"] == 0 and by_text["报考录用"] == 0
    # after the early close: live again, so these appear twice (once above, once after the comment)
    assert by_text["财政财务"] == 2 and by_text["行政许可"] == 2
    assert any(ln.url == "http://czt.hebei.gov.cn/root17/?from=singlemessage" for ln in view.links)
    assert not any(ln.raw == "../zfwj/jgze/" for ln in view.links)
    # the stray '-->' after the last live link is text, not markup
    assert "--&gt;" not in view.text or "-->" in view.text


def test_handan_hidden_tab_lists_hinted(corpus):
    """index.jsp has tab lists hidden with inline display:none (legitimate tabs): the links
    are extracted, with a hint naming the hiding element, for the rules to judge."""
    view = handan(corpus, "handan_xxgk_index.jsp")
    hidden = [ln for ln in view.links if ln.hints.get("hidden")]
    assert len(hidden) >= 3
    assert {ln.hints["hidden_by"] for ln in hidden} == {"ul.sx-c1-list.list1"}
    assert all(ln.hints["hidden"] == "inline style: display:none" for ln in hidden)
    visible = [ln for ln in view.links if not ln.hints]
    assert len(visible) > len(hidden)


def test_handan_jsp_header_and_injected_script(corpus):
    """The JSP directive is stripped; the browser extension's <script> before <head> does not
    stop the head's meta tags from being read."""
    view = handan(corpus, "handan_xxgk_index.jsp")
    assert view.title == "邯郸市政府信息公开"
    assert view.meta.get("SiteName") == "邯郸市人民政府"
    assert view.meta.get("SiteIDCode") == "1304000009"


def test_shanghai_list_links(corpus):
    view = view_page((corpus / "shanghai_list/shanghai_wsjkw_yqtb_list_2022-04-27.html").read_bytes(),
                     "https://wsjkw.sh.gov.cn/yqtb/index.html")
    a = [ln for ln in view.links if ln.tag == "a"]
    articles = [ln for ln in a if "/xwfb/2022" in ln.url]
    wechat = [ln for ln in a if ln.url.startswith("https://mp.weixin.qq.com/")]
    assert len(articles) >= 9 and len(wechat) >= 9
    assert all(ln.url.startswith("https://wsjkw.sh.gov.cn/xwfb/") for ln in articles)
    assert all(ln.text for ln in articles)
    # <noscript> content is text only here: no link carries a noscript hint
    assert not any(ln.hints.get("noscript") for ln in view.links)


def test_noscript_and_hidden_hints_on_constructed_page():
    html = ("<html><body><noscript><a href='/ns'>无脚本</a></noscript>"
            "<div style='visibility: hidden'><p><a href='/vh'>隐</a></p></div>"
            "<div style='DISPLAY:NONE'><a href='/dn'>隐2</a></div><a href='/ok'>可见</a>"
            "<!-- <a href='/commented'>x</a> --></body></html>").encode()
    links = {ln.url.rsplit("/", 1)[1]: ln for ln in view_page(html, "http://x.gov.cn/").links}
    assert set(links) == {"ns", "vh", "dn", "ok"}
    assert links["ns"].hints == {"hidden": "noscript", "hidden_by": "noscript", "noscript": True}
    assert links["vh"].hints["hidden"] == "inline style: visibility:hidden"
    assert links["dn"].hints["hidden_by"] == "div"
    assert links["ok"].hints == {}
