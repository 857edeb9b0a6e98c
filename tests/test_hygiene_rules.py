"""Golden tests of the link-hygiene, site and content rules on small stored crawls (real parsing,
real SQLite): each rule fires on its case and stays silent on the look-alike."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import get_rule
from govaudit.checks.run import run_rule
from govaudit.model import Unit
from tests import crawlkit as kit
from tests.crawlkit import load_rules_config


TODAY = dt.date(2024, 6, 20)
HOME = "http://www.qs.gov.cn/"
FOOTER = ('<div class="footer">网站标识码：1525990001 <a href="https://beian.miit.gov.cn/">蒙ICP备05001234号-1</a> '
          '<a href="http://www.beian.gov.cn/">蒙公网安备 15020302000123号</a> '
          '<a href="https://bszs.conac.cn/sitename?id=1"><img src="/dzjg.png" alt="党政机关"></a></div>')


def html(title: str, body: str, meta: dict[str, str] | None = None, head: str = "", footer: str = FOOTER) -> str:
    metas = {"SiteName": "青山县人民政府", "SiteDomain": "www.qs.gov.cn", "SiteIDCode": "1525990001", **(meta or {})}
    m = "".join(f'<meta name="{k}" content="{v}">' for k, v in metas.items())
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8">{m}<title>{title}</title>{head}</head><body>'
            f'<div class="main">{body}</div>{footer}</body></html>')


def article(title: str, date: dt.date, text: str, extra: str = "") -> str:
    return html(title, f'<h1>{title}</h1><div class="info">发布时间：{date.isoformat()}</div><p>{text}</p>{extra}',
                {"ArticleTitle": title, "PubDate": date.isoformat(), "ContentSource": "县政府办", "ColumnName": "动态"})


class Crawl:
    """A stored crawl built by hand (tests/crawlkit.py): pages with bodies, their links, probes, renders."""

    def __init__(self, tmp: Path) -> None:
        self.kit = kit.Crawl(tmp / "t.sqlite", Unit(id="u", name="青山县人民政府", url=HOME), TODAY,
                             fetched_at="2024-06-20T08:00:00+08:00")
        self.store, self.run, self.unit = self.kit.store, self.kit.run_id, self.kit.unit

    def add(self, url: str, body: str | bytes | None = None, *, status: int | None = 200, purpose: str = "page",
            final_url: str | None = None, redirects: list[Any] | None = None, content_type: str = "text/html; charset=utf-8",
            reason: str | None = None, method: str = "GET", depth: int = 1) -> None:
        self.kit.page(url, body, status=status, purpose=purpose, final_url=final_url, redirects=redirects,
                      content_type=content_type, reason=reason, method=method, depth=depth)

    def render(self, url: str, links: list[dict[str, Any]], screenshot: str = "screenshots/u-home.jpg") -> None:
        self.kit.render(url, links, screenshot=screenshot)

    def ctx(self, **config: dict[str, Any]) -> CheckContext:
        return self.kit.ctx(config)


def run(ctx: CheckContext, rule_id: str) -> list[Any]:
    return run_rule(get_rule(rule_id), ctx)


def problems(ctx: CheckContext, rule_id: str) -> list[Any]:
    return [f for f in run(ctx, rule_id) if f.outcome in ("fail", "needs_review")]


@pytest.fixture
def crawl(tmp_path: Path) -> Crawl:
    return Crawl(tmp_path)


# -- link.hidden ------------------------------------------------------------------------------------
def test_hidden_links_by_stylesheet_and_rendering(crawl: Crawl) -> None:
    css = ".yqlj{position:absolute;top:-3000px;left:-3000px}.tab-bd{display:none}"
    crawl.add(HOME + "css/main.css", css, content_type="text/css")
    body = ('<div class="yqlj"><a href="http://www.xyz-pharma.com/">药品</a></div>'            # stylesheet, strong
            '<ul class="tab-bd"><li><a href="/xxgk/">信息公开</a></li>'                      # hidden tab into site
            '<li><a href="http://www.zj.gov.cn/">浙江省政府</a></li></ul>'                     # hidden, gov.cn
            '<a href="http://www.hao123.com/" id="nav-ext">网址导航</a>'                        # hidden only rendered
            '<a href="http://www.people.com.cn/">人民网</a>')                                    # visible
    crawl.add(HOME, html("首页", body, head='<link rel="stylesheet" href="/css/main.css">'), purpose="home")
    crawl.render(HOME, [{"href": "http://www.hao123.com/", "text": "网址导航", "selector": "a#nav-ext", "visible": False,
                         "strength": "strong", "reasons": ["font-size 0px"]},
                        {"href": "http://www.people.com.cn/", "text": "人民网", "visible": True}])
    found = {f.target: f for f in problems(crawl.ctx(), "link.hidden")}
    assert set(found) == {"http://www.xyz-pharma.com/", "http://www.hao123.com/"}
    assert all(f.outcome == "fail" for f in found.values())
    ev = found["http://www.hao123.com/"].evidence[0]
    assert ev.screenshot == "screenshots/u-home.jpg" and ev.selector == "a#nav-ext"
    assert "stylesheet rule '.yqlj'" in " ".join(found["http://www.xyz-pharma.com/"].data["reasons"])


def test_weak_hiding_is_review_and_rendered_visible_wins(crawl: Crawl) -> None:
    body = ('<div style="display:none"><a href="http://www.partner-co.com/">合作伙伴</a></div>'
            '<div class="drop" style="display:none"><a href="http://www.news-site.com/">新闻网</a></div>')
    crawl.add(HOME, html("首页", body), purpose="home")
    crawl.render(HOME, [{"href": "http://www.news-site.com/", "text": "新闻网", "visible": True}])
    found = problems(crawl.ctx(), "link.hidden")
    assert [(f.target, f.outcome) for f in found] == [("http://www.partner-co.com/", "needs_review")]


def test_external_links_in_inactive_tabs_are_not_hidden_links(crawl: Crawl) -> None:
    body = ('<div class="yqlj"><ul class="tab-con on"><li><a href="http://www.zj.gov.cn/">省政府</a></li></ul>'
            '<ul class="tab-con" style="display:none"><li><a href="http://www.people.com.cn/">人民网</a></li>'
            '<li><a href="http://www.xinhuanet.com/">新华网</a></li></ul></div>')
    crawl.add(HOME, html("首页", body), purpose="home")
    crawl.render(HOME, [{"href": "http://www.people.com.cn/", "text": "人民网", "visible": False, "strength": "weak",
                         "reasons": ["not rendered (display:none on the link or an ancestor)"]}])
    assert problems(crawl.ctx(), "link.hidden") == []


def test_without_rendering_hidden_is_not_measured_not_pass(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", '<a href="/a.html">正常链接</a>'), purpose="home")
    out = run(crawl.ctx(), "link.hidden")
    assert [f.outcome for f in out] == ["not_measured"]


def test_failed_render_is_not_measured(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", '<a href="/a.html">正常链接</a>'), purpose="home")
    crawl.kit.render(HOME, error="net::ERR_CERT_DATE_INVALID")
    out = run(crawl.ctx(), "link.hidden")
    assert [f.outcome for f in out] == ["not_measured"] and "ERR_CERT" in out[0].message


# -- link.illegal -----------------------------------------------------------------------------------
def test_illegal_links_host_redirect_script_title(crawl: Crawl) -> None:
    body = ('<a href="http://www.bet365-vip.com/">体育资讯</a>'                         # brand in host
            '<a href="http://www.qsxw.com/">青山新闻网</a>'                              # redirects to a casino
            '<script src="http://cdn.yulecheng88.net/a.js"></script>'                   # script from casino host
            '<a href="http://www.oldgame.com/">游戏</a>'                                  # title: 传奇私服
            '<a href="http://old.qs.gov.cn/x.html">旧版网站</a>'                          # gov redirect within gov.cn
            '<a href="/zwdt/1.html">我县开展打击六合彩专项行动</a>')                       # enforcement news
    crawl.add(HOME, html("首页", body), purpose="home")
    crawl.add("http://www.bet365-vip.com/", None, purpose="check", method="HEAD")
    crawl.add("http://www.qsxw.com/", None, purpose="check", method="HEAD", final_url="http://www.amxpj-casino.com/",
              redirects=[["http://www.qsxw.com/", 302]])
    crawl.add("http://cdn.yulecheng88.net/a.js", None, purpose="check", method="HEAD")
    crawl.add("http://www.oldgame.com/", "<html><head><title>传奇私服发布网</title></head></html>", purpose="check")
    crawl.add("http://old.qs.gov.cn/x.html", None, purpose="check", method="HEAD", final_url="http://www.qs.gov.cn/",
              redirects=[["http://old.qs.gov.cn/x.html", 301]])
    crawl.add(HOME + "zwdt/1.html", article("我县开展打击六合彩专项行动", TODAY, "严厉打击六合彩。"))
    found = {f.target: f for f in problems(crawl.ctx(), "link.illegal")}
    assert set(found) == {"http://www.bet365-vip.com/", "http://www.qsxw.com/", "http://cdn.yulecheng88.net/a.js",
                          "http://www.oldgame.com/"}
    assert all(f.outcome == "fail" for f in found.values())
    assert "redirects off-site" in " ".join(found["http://www.qsxw.com/"].data["reasons"])
    assert "title" in " ".join(found["http://www.oldgame.com/"].data["reasons"])


def test_illegal_vocabulary_is_configurable(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", '<a href="http://www.shop.com/">高利贷平台</a>'), purpose="home")
    assert problems(crawl.ctx(), "link.illegal") == []
    conf = load_rules_config()["link.illegal"]
    found = problems(crawl.ctx(**{"link.illegal": {"terms": conf["terms"] + ["高利贷"]}}), "link.illegal")
    assert [f.target for f in found] == ["http://www.shop.com/"]


# -- content.illegal-text ---------------------------------------------------------------------------
def test_illegal_text_on_hijacked_page_not_on_enforcement_news(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", '<a href="/a.html">a</a>'), purpose="home")
    crawl.add(HOME + "a.html", article("澳门娱乐城_百家乐_真人视讯", TODAY, "澳门娱乐城 百家乐 注册送彩金"))
    crawl.add(HOME + "b.html", article("我县严厉打击网络赌博", TODAY, "公安机关依法查处百家乐、六合彩等网络赌博案件。"))
    crawl.add(HOME + "c.html", article("公告", TODAY, "本站链接 <a href='http://x.com/'>澳门娱乐城</a>"))
    found = problems(crawl.ctx(), "content.illegal-text")
    assert [(f.url, f.outcome) for f in found] == [(HOME + "a.html", "fail")]


# -- link.soft-404 ----------------------------------------------------------------------------------
def test_soft_404_by_fingerprint_phrase_and_home_redirect(crawl: Crawl) -> None:
    missing = html("青山县人民政府", "<div>系统提示：该内容暂时无法显示 请求编号 8812731</div>")
    crawl.add(HOME, html("首页", '<a href="/old/1.html">旧通知</a><a href="/a/2.html">二</a><a href="/b/3.html">三</a>'
                         '<a href="/c/4.html">四</a><a href="/index.html">首页</a>'
                         '<a href="http://www.other.com/news/9.html">外站</a>'), purpose="home")
    crawl.add(HOME + "govaudit-abc/abc-notfound.html", missing, purpose="soft404-probe")
    crawl.add(HOME + "old/1.html", missing.replace("8812731", "99120"))                       # fingerprint
    crawl.add(HOME + "a/2.html", html("404 Not Found", "<p>找不到</p>"))                        # phrase (title)
    crawl.add(HOME + "b/3.html", None, status=200, final_url=HOME, redirects=[[HOME + "b/3.html", 302]])  # home
    crawl.add(HOME + "c/4.html", article("国道G404线改造工程开工", TODAY, "G404国道全长404公里。"))   # look-alike
    crawl.add(HOME + "index.html", None, status=200, final_url=HOME, redirects=[[HOME + "index.html", 301]])
    crawl.add("http://www.other.com/news/9.html", None, purpose="check", method="HEAD",
              final_url="http://www.other.com/", redirects=[["http://www.other.com/news/9.html", 302]])
    found = {f.target: (f.outcome, f.data["reason"]) for f in problems(crawl.ctx(), "link.soft-404")}
    assert set(found) == {HOME + "old/1.html", HOME + "a/2.html", HOME + "b/3.html", "http://www.other.com/news/9.html"}
    assert "missing page" in found[HOME + "old/1.html"][1]
    assert found["http://www.other.com/news/9.html"][0] == "needs_review"


def test_soft_404_redirect_to_the_not_found_page(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", '<a href="/x/1.html">一</a><a href="/old/2.html">二</a>'), purpose="home")
    err = HOME + "error/404.html"
    crawl.add(HOME + "govaudit-1/1-notfound.html", html("出错", "<p>抱歉</p>"), purpose="soft404-probe",
              final_url=err, redirects=[[HOME + "govaudit-1/1-notfound.html", 302]])
    crawl.add(HOME + "x/1.html", html("提示", "<p>请稍后再试，或联系网站管理员反馈问题。</p>"), final_url=err,
              redirects=[[HOME + "x/1.html", 302]])  # the body differs (rotating tips): the final URL decides
    crawl.add(HOME + "old/2.html", article("新址", TODAY, "正文"), final_url=HOME + "new/2.html",
              redirects=[[HOME + "old/2.html", 301]])  # a moved page: not a soft-404
    found = problems(crawl.ctx(), "link.soft-404")
    assert [(f.target, f.data["reason"]) for f in found] == [(HOME + "x/1.html", f"redirects to the site's not-found page {err}")]


# -- site.* -----------------------------------------------------------------------------------------
def test_identifiers_missing_and_mismatch(crawl: Crawl) -> None:
    footer = '<div class="footer">网站标识码：1525990009 蒙ICP备05001234号</div>'
    crawl.add(HOME, html("首页", "<p>x</p>", footer=footer), purpose="home")
    found = problems(crawl.ctx(), "site.identifiers")
    assert sorted(f.key for f in found) == ["mismatch", "missing"]
    missing = next(f for f in found if f.key == "missing")
    assert missing.data["missing"] == ["police", "badge"]


def test_identifiers_complete(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    assert problems(crawl.ctx(), "site.identifiers") == []


def test_metadata_per_page_type_and_pubdate(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    crawl.add(HOME + "a.html", article("好文章", TODAY, "正文"))
    bare = ('<html><head><title>无元数据</title><!-- <meta name="PubDate" content="2024-06-01"> --></head>'
            '<body><h1>无元数据</h1><div>发布日期：2024-06-01</div><p>正文</p></body></html>')
    crawl.add(HOME + "b.html", bare)
    wrong = html("日期不一致", "<h1>日期不一致</h1><div>发布时间：2024-06-18</div>",
                 {"ArticleTitle": "日期不一致", "PubDate": "2024年05月02日", "ContentSource": "县政府办"})
    crawl.add(HOME + "c.html", wrong)
    found = problems(crawl.ctx(), "site.metadata")
    fail = [f for f in found if f.outcome == "fail"]
    assert len(fail) == 1 and fail[0].url == HOME + "b.html" and fail[0].data["page_type"] == "article"
    assert fail[0].data["pages"] == 3 and fail[0].data["pages_missing"] == 1
    review = [f for f in found if f.outcome == "needs_review"]
    assert [(f.url, f.data["meta"], f.data["shown"]) for f in review] == [(HOME + "c.html", "2024-05-02", "2024-06-18")]


def test_https_mixed_content_and_plain_http(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "a")
    c.unit.url = "https://www.qs.gov.cn/"
    c.add("https://www.qs.gov.cn/", html("首页", '<img src="http://www.qs.gov.cn/a.png"><script src="https://www.qs.gov.cn/a.js"></script>'
                                         '<link rel="canonical" href="http://www.qs.gov.cn/">'), purpose="home")
    found = problems(c.ctx(), "site.https")
    assert [(f.key, f.data["count"]) for f in found] == [("mixed", 1)]
    d = Crawl(tmp_path / "b")
    d.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    d.add("https://www.qs.gov.cn/", None, status=None, reason="tls", purpose="https-probe")
    found = problems(d.ctx(), "site.https")
    assert [f.key for f in found] == ["no-https"] and "TLS" in found[0].message
    e = Crawl(tmp_path / "c")
    e.unit.url = "https://www.qs.gov.cn/"
    e.add("https://www.qs.gov.cn/", html("首页", '<img src="/a.png">'), purpose="home")
    assert problems(e.ctx(), "site.https") == []


def test_search_on_the_platform(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "a")
    c.add(HOME, html("首页", '<a href="/xxgk/">政府信息公开</a>'), purpose="home")
    c.add(HOME + "xxgk/", html("政府信息公开", '<ul><li><a href="/xxgk/zn/">指南</a></li></ul>'))
    assert [f.outcome for f in run(c.ctx(), "site.search")] == ["needs_review"]
    d = Crawl(tmp_path / "b")
    d.add(HOME, html("首页", '<a href="/xxgk/">政府信息公开</a>'), purpose="home")
    d.add(HOME + "xxgk/", html("政府信息公开", '<form action="/search/"><input name="searchword"></form>'))
    d.add(HOME + "search/", html("搜索", "<p>结果</p>"))
    assert [f.outcome for f in run(d.ctx(), "site.search")] == ["pass"]
    e = Crawl(tmp_path / "c")
    e.add(HOME, html("首页", '<a href="/xxgk/">政府信息公开</a>'), purpose="home")
    e.add(HOME + "xxgk/", html("政府信息公开", '<form action="/jsearch/"><input type="text" name="q"></form>'))
    e.add(HOME + "jsearch/", "<html>error</html>", status=500)
    assert [f.outcome for f in run(e.ctx(), "site.search")] == ["needs_review"]


def test_unavailable_home(crawl: Crawl) -> None:
    crawl.add(HOME, None, status=None, reason="timeout", purpose="home")
    found = problems(crawl.ctx(), "site.unavailable")
    assert [(f.outcome, f.data["reason"]) for f in found] == [("fail", "timeout")]


def test_unavailable_look_alike_ok_home(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    assert problems(crawl.ctx(), "site.unavailable") == []


def _dated_site(crawl: Crawl, ages: list[int]) -> None:
    links = "".join(f'<a href="/a/{i}.html">文{i}</a>' for i in range(len(ages)))
    crawl.add(HOME, html("首页", links), purpose="home")
    for i, age in enumerate(ages):
        crawl.add(HOME + f"a/{i}.html", article(f"文章{i}", TODAY - dt.timedelta(days=age), "正文"))


def test_not_updated_stale(crawl: Crawl) -> None:
    _dated_site(crawl, [20, 40, 400])
    found = problems(crawl.ctx(), "site.not-updated")
    assert [(f.outcome, f.data["age_days"]) for f in found] == [("fail", 20)]


def test_not_updated_few_recent_items_and_fresh(tmp_path: Path) -> None:
    c = Crawl(tmp_path / "a")
    _dated_site(c, [1, 3, 30])
    assert [f.outcome for f in problems(c.ctx(), "site.not-updated")] == ["needs_review"]
    d = Crawl(tmp_path / "b")
    _dated_site(d, [0, 1, 1, 2, 3, 4, 5, 6, 8, 9, 13, -40])  # the future date is not "fresh"
    assert problems(d.ctx(), "site.not-updated") == []


# -- content.future-date / content.obsolete-name ------------------------------------------------------
def test_future_date_and_stale_attribute_look_alike(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    crawl.add(HOME + "a.html", article("未来", TODAY + dt.timedelta(days=10), "正文"))
    crawl.add(HOME + "b.html", article("正常", TODAY, "正文", extra='<img src="/t.png" alt="时间：2031-01-01">'))
    found = problems(crawl.ctx(), "content.future-date")
    assert [(f.url, f.data["date"]) for f in found] == [(HOME + "a.html", "2024-06-30")]


def test_obsolete_names(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    crawl.add(HOME + "a.html", article("通知", TODAY, "请将材料报送国家工商行政管理总局。"))
    crawl.add(HOME + "b.html", article("改革", TODAY, "根据机构改革方案，国土资源部的职责整合组建自然资源部。原环境保护部不再保留。"))
    crawl.add(HOME + "c.html", article("旧文", dt.date(2016, 5, 1), "请将材料报送环境保护部。"))
    crawl.add(HOME + "d.html", article("农业", TODAY, "各级农业部门和文化部门要加强协作。"))
    found = problems(crawl.ctx(), "content.obsolete-name")
    assert [(f.url, f.outcome, f.data["names"][0]["successor"]) for f in found] == \
        [(HOME + "a.html", "needs_review", "国家市场监督管理总局")]


def test_obsolete_names_dictionary_extends(crawl: Crawl) -> None:
    crawl.add(HOME, html("首页", "<p>x</p>"), purpose="home")
    crawl.add(HOME + "a.html", article("通知", TODAY, "请联系县扶贫开发办公室。"))
    assert problems(crawl.ctx(), "content.obsolete-name") == []
    names = {**load_rules_config()["content.obsolete-name"]["names"], "扶贫开发办公室": "乡村振兴局"}
    found = problems(crawl.ctx(**{"content.obsolete-name": {"names": names}}), "content.obsolete-name")
    assert [f.url for f in found] == [HOME + "a.html"]


# -- the real pages ---------------------------------------------------------------------------------
def test_corpus_pages_have_no_hidden_or_illegal_links(tmp_path: Path, corpus: Path) -> None:
    """The real government pages, stored as a crawl: no link.hidden, no link.illegal, no illegal text."""
    files = sorted((corpus / "handan_platform").glob("*.jsp")) + sorted((corpus / "gov_articles").glob("*.html")) + \
        sorted((corpus / "shanghai_list").glob("*.html"))
    assert len(files) >= 8
    c = Crawl(tmp_path)
    c.unit.url = "http://hdzfxxgk.hd.gov.cn/"
    for i, f in enumerate(files):
        data = re.sub(rb"^\s*<%@.*?%>\s*", b"", f.read_bytes())
        url = "http://hdzfxxgk.hd.gov.cn/" if i == 0 else f"http://hdzfxxgk.hd.gov.cn/p/{f.stem}.html"
        c.add(url, data, purpose="home" if i == 0 else "page", content_type="text/html")
    ctx = c.ctx()
    for rule in ("link.hidden", "link.illegal", "content.illegal-text"):
        assert problems(ctx, rule) == [], rule
    hidden = [a for ps in ctx.get(HygieneScan).pages for a in ps.anchors if a.hidden]
    assert all(not a.url.startswith("http://hdzfxxgk.hd.gov.cn/gszbm/") for a in hidden)  # 邯郸 tab panels: not hidden
    assert problems(ctx, "site.identifiers") == []      # the 邯郸 footer: code, ICP, 公安备案, conac badge
    assert problems(ctx, "content.obsolete-name") == []  # 国家海洋局 in a 2019 directory: a kept second plate
    meta = {f.data["page_type"]: f for f in problems(ctx, "site.metadata")}
    zj = [e for e in meta["article"].data["examples"] if "zj_fgw" in e["url"]]
    assert zj and zj[0]["missing"] == ["SiteIDCode"]   # present but empty: the trap
    vendor = [a for a in hidden if "hanweb.com" in a.url]
    assert vendor and vendor[0].strength == "weak"  # 大汉 CMS "Produced By" link: hidden, allowlisted


def test_commented_rules_yaml_examples_validate(tmp_path: Path) -> None:
    """The commented examples of config/rules.yaml for these rules are valid configuration."""
    text = (Path(__file__).resolve().parent.parent / "config" / "rules.yaml").read_text(encoding="utf-8")
    section = text[text.index("# --- link hygiene"):]
    lines = [ln[2:] for ln in section.splitlines()
             if ln.startswith("# ") and (ln.startswith("#   ") or re.match(r"# [a-z]+\.[a-z0-9-]+:", ln))]
    (tmp_path / "r.yaml").write_text("\n".join(lines), encoding="utf-8")
    conf = load_rules_config(tmp_path / "r.yaml")
    assert conf["content.obsolete-name"]["names"]["国土资源局"] == "自然资源局"
    assert "国家卫生和计划生育委员会" in conf["content.obsolete-name"]["names"]  # examples add to the defaults
    assert conf["link.hidden"]["weak_outcome"] == "needs_review"


def test_https_certificate_rejected_by_the_browser(tmp_path: Path) -> None:
    c = Crawl(tmp_path)
    c.unit.url = "https://www.qs.gov.cn/"
    c.add("https://www.qs.gov.cn/", html("首页", '<img src="/a.png">'), purpose="home")
    c.kit.render("https://www.qs.gov.cn/", error="net::ERR_CERT_AUTHORITY_INVALID at https://www.qs.gov.cn/")
    found = problems(c.ctx(), "site.https")
    assert [(f.key, f.outcome) for f in found] == [("cert", "needs_review")]
