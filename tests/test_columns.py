"""Column discovery (real 邯郸 pages and fixtures) and the column.* rules over a stored crawl."""
from __future__ import annotations

import datetime as dt

import pytest

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.extract.columns import (columns_on_page, compile_patterns, freshness_class, match_label,
                                      normalize_label)
from govaudit.extract.html import parse
from tests.platform_site import build, outcomes, page, problems

D = dt.date
TODAY = D(2024, 6, 10)


def _handan(corpus, name: str):
    return parse((corpus / "handan_platform" / name).read_text(encoding="utf-8"))


def test_handan_sub_columns_found_with_urls_despite_broken_comment(corpus) -> None:
    cols = columns_on_page(_handan(corpus, "handan_xxgk_gkzn.jsp"), "http://hdzfxxgk.hd.gov.cn/zfxxgkzn/")
    got = {k: (v[0].url, normalize_label(v[0].label)) for k, v in cols.items()}
    assert got["guide"] == ("http://hdzfxxgk.hd.gov.cn/zfxxgkzn/", "政府信息公开指南")
    assert got["system"] == ("http://hdzfxxgk.hd.gov.cn/zfwj/zdwj/", "政府信息公开制度")
    assert got["statutory"] == ("http://hdzfxxgk.hd.gov.cn/fdgknr/", "法定主动公开内容")
    # after the nested "<!--" comment that only closes at its first "-->"
    assert got["annual"] == ("http://hdzfxxgk.hd.gov.cn/zfxxgknb/", "政府信息公开年报")
    assert got["request"][0] == "http://hdzfxxgk.hd.gov.cn/ysqgk/"


def test_handan_home_links_the_platform(corpus) -> None:
    cols = columns_on_page(_handan(corpus, "handan_xxgk_index.jsp"), "http://hdzfxxgk.hd.gov.cn/")
    assert cols["platform"][0].label == "政府信息公开" and cols["platform"][0].url == "http://hdzfxxgk.hd.gov.cn/"
    # the guide there is an onclick without href: not a link
    assert "guide" not in cols


@pytest.mark.parametrize("label, key", [
    ("政府信息<br>公开指南", "guide"), ("信息公开指南", "guide"), ("·政务公开指南", "guide"),
    ("政府信息公开年度报告", "annual"), ("年报", "annual"), ("政府信息公开工作年度报告", "annual"),
    ("法定主动 公开内容", "statutory"), ("主动公开目录", "statutory"), ("政府信息公开制度", "system"),
    ("政务公开", "platform"), ("信息公开", "platform"), ("政府信息公开专栏", "platform"),
    ("依申请公开", "request"), ("更多>>", None), ("政府信息公开指南解读", None), ("工作动态", None),
])
def test_label_variants(label: str, key: str | None) -> None:
    pats = compile_patterns()
    got = match_label(label.replace("<br>", " "), pats)
    assert (got[0] if got else None) == key


def test_freshness_classes() -> None:
    assert freshness_class("工作动态")[:2] == ("dynamic", 14)
    assert freshness_class("通知公告")[:2] == ("notice", 183)
    assert freshness_class("政策文件")[:2] == ("notice", 183)
    assert freshness_class("人事信息")[:2] == ("yearly", 365)
    assert freshness_class("规划计划")[:2] == ("yearly", 365)
    assert freshness_class("机构职能") is None
    assert freshness_class("新闻发布会") is None and freshness_class("新闻中心")[0] == "dynamic"


def _li(items: list[tuple[str, str, dt.date]]) -> str:
    return '<ul class="list">' + "".join(f'<li><a href="{h}">{t}</a><span>{d.isoformat()}</span></li>'
                                         for t, h, d in items) + "</ul>"


def _site(today: dt.date, **over: str) -> dict[str, str]:
    """A small portal with the platform and its four sub-columns; `over` replaces pages by path."""
    d = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    side = ('<div class="side"><a href="/xxgk/zn/">政府信息<br>公开指南</a><a href="/xxgk/zd/">政府信息公开制度</a>'
            '<a href="/xxgk/fd/"><em></em>法定主动公开内容</a><a href="/xxgk/nb/">年报</a></div>')
    pages = {
        "/": page("首页", '<div class="nav"><a href="/gzdt/">工作动态</a><a href="/tzgg/">通知公告</a>'
                         '<a href="/xxgk/">政务公开</a></div>'),
        "/xxgk/": page("政务公开", side),
        "/xxgk/zn/": page("指南", side + _li([("测试县人民政府政府信息公开指南", "/xxgk/zn/g.html", d(40))])),
        "/xxgk/zn/g.html": page("测试县人民政府政府信息公开指南", "<p>指南正文</p>"),
        "/xxgk/zd/": page("制度", side + _li([("测试县政府信息公开工作制度规定", "/xxgk/zd/1.html", d(300))])),
        "/xxgk/zd/1.html": page("制度", "<p>制度</p>"),
        "/xxgk/fd/": page("法定主动公开内容", side + '<ul class="dir"><li><a href="/gzdt/">工作动态</a></li>'
                          '<li><a href="/jgzn/">机构职能</a></li><li><a href="/zdxm/">重大建设项目</a></li></ul>'),
        "/xxgk/nb/": page("年报", side + _li([("测试县2023年政府信息公开工作年度报告", "/xxgk/nb/1.html", d(70))])),
        "/xxgk/nb/1.html": page("年报", "<p>年报</p>"),
        "/gzdt/": page("工作动态", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", d(3)),
                                       ("测试县开展安全生产大检查活动", "/gzdt/2.html", d(9))])),
        "/tzgg/": page("通知公告", "<table><tr><th>标题</th><th>日期</th></tr>" + "".join(
            f'<tr><td><a href="/tzgg/{i}.html">关于做好第{i}项重点工作的通知</a></td><td>{d(n).year}年{d(n).month}月{d(n).day}日</td></tr>'
            for i, n in ((1, 100), (2, 150))) + "</table>"),
        "/jgzn/": page("机构职能", "<h1>机构职能</h1><p>测试县人民政府办公室是县人民政府的办事机构，负责协助县政府领导处理县政府日常工作，"
                                 "承担政务公开、督查、信息等工作。</p>"),
        "/zdxm/": page("重大建设项目", '<h2>重大建设项目</h2><ul class="list"></ul>'),
    }
    pages.update(over)
    return pages


def test_discovery_and_quiet_rules_on_a_good_site(tmp_path) -> None:
    ctx = build(tmp_path, _site(TODAY, **{"/zdxm/": page("重大建设项目", _li([("测试县重大建设项目批准信息公开", "/z/1.html", TODAY)]))}), TODAY)
    plat = ctx.get(ColumnsAnalysis)
    assert plat.platform.url == "http://www.example.gov.cn/xxgk/" and plat.platform.label == "政务公开"
    assert {k: v.url.rsplit("/xxgk", 1)[-1] for k, v in plat.subs.items() if v} == {
        "guide": "/zn/", "system": "/zd/", "statutory": "/fd/", "annual": "/nb/"}
    for rule in ("column.platform-missing", "column.statutory-missing", "column.stale", "column.blank"):
        assert problems(ctx, rule) == [], rule
    found = outcomes(ctx, "column.statutory-missing")[0]
    assert found.outcome == "pass" and found.data["found"]["annual"]["label"] == "年报"


def test_platform_and_sub_columns_missing(tmp_path) -> None:
    pages = {"/": page("首页", '<div class="nav"><a href="/gzdt/">工作动态</a><a href="/xxgk/">依申请公开</a></div>'),
             "/xxgk/": page("依申请公开", "<p>依申请公开说明文字……</p>"),
             "/gzdt/": page("工作动态", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", TODAY)]))}
    ctx = build(tmp_path, pages, TODAY)
    fails = problems(ctx, "column.platform-missing")
    assert len(fails) == 1 and fails[0].outcome == "fail" and fails[0].url == "http://www.example.gov.cn/"
    missing = sorted(f.data["missing"] for f in problems(ctx, "column.statutory-missing"))
    assert missing == ["annual", "guide", "statutory", "system"]


def test_pinned_columns_are_used(tmp_path) -> None:
    pages = {"/": page("首页", '<div class="nav"><a href="/gzdt/">工作动态</a></div>'),
             "/p/": page("平台", "<p>平台</p>"), "/p/zn/": page("指南", "<p>指南</p>")}
    ctx = build(tmp_path, pages, TODAY, columns={"platform": "http://www.example.gov.cn/p/",
                                                 "政府信息公开指南": "http://www.example.gov.cn/p/zn/"})
    res = outcomes(ctx, "column.platform-missing")
    assert res[0].outcome == "pass" and res[0].data["how"] == "pinned"
    missing = sorted(f.data["missing"] for f in problems(ctx, "column.statutory-missing"))
    assert missing == ["annual", "statutory", "system"]


def test_stale_columns_and_fresh_look_alikes(tmp_path) -> None:
    d = lambda n: TODAY - dt.timedelta(days=n)  # noqa: E731
    over = {"/gzdt/": page("工作动态", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", d(20))])),
            "/tzgg/": page("通知公告", "<table>" + "".join(
                f'<tr><td><a href="/tzgg/{i}.html">关于做好第{i}项重点工作的通知</a></td><td>[{d(n).strftime("%m-%d")}]</td></tr>'
                for i, n in ((1, 200), (2, 210))) + "</table>")}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    got = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.stale")}
    assert set(got) == {"/gzdt/", "/tzgg/"}
    assert got["/gzdt/"].data["newest"] == d(20).isoformat() and got["/gzdt/"].data["threshold_days"] == 14
    assert got["/tzgg/"].data["age_days"] == 200 and got["/tzgg/"].data["class"] == "notice"
    assert all(f.outcome == "fail" and f.evidence[0].snippet for f in got.values())


def test_stale_reads_article_dates_when_the_list_has_none(tmp_path) -> None:
    over = {"/gzdt/": page("工作动态", '<ul class="x"><li><a href="/gzdt/1.html">测试县召开政务公开工作会议</a></li>'
                                     '<li><a href="/gzdt/2.html">测试县开展安全生产大检查活动</a></li></ul>'),
            "/gzdt/1.html": page("会议", "<p>发布时间：2024-05-01 10:00</p><p>正文</p>"),
            "/gzdt/2.html": page("检查", "<p>发布日期：2024年4月20日</p>")}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    fails = problems(ctx, "column.stale")
    assert len(fails) == 1 and fails[0].data["newest"] == "2024-05-01" and fails[0].data["date_source"] == "articles"


def test_blank_columns(tmp_path) -> None:
    over = {"/jgzn/": page("机构职能", "<h2>机构职能</h2><p>暂无信息</p>")}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    got = {f.url.rsplit(".cn", 1)[-1]: f.outcome for f in problems(ctx, "column.blank")}
    # 重大建设项目: an empty list; 机构职能: a placeholder; 法定主动公开内容 (links) and the platform: fine
    assert got == {"/zdxm/": "fail", "/jgzn/": "fail"}


def test_blank_js_column_needs_review(tmp_path) -> None:
    over = {"/zdxm/": page("重大建设项目", '<h2>重大建设项目</h2><ul id="list"></ul>'
                          "<script>$.getJSON('/api/zdxm', function(d){ fill(d); });</script>")}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    got = problems(ctx, "column.blank")
    assert [(f.url.rsplit(".cn", 1)[-1], f.outcome) for f in got] == [("/zdxm/", "needs_review")]


SCRIPTED = ('<h2>重大建设项目</h2><ul id="list"></ul>'
            "<script>fetch('/api/zdxm').then(r => r.json()).then(fill);</script>")


def test_script_filled_list_is_judged_on_the_rendered_dom(tmp_path) -> None:
    d = lambda n: TODAY - dt.timedelta(days=n)  # noqa: E731
    rows = "".join(f'<li><a href="/zdxm/{i}.html">{t}</a><span>{d(n).isoformat()}</span></li>'
                   for i, (t, n) in enumerate([("测试县重大建设项目批准结果公开", 400), ("测试县重大建设项目实施情况", 420)]))
    dom = SCRIPTED.replace('<ul id="list"></ul>', f'<ul id="list">{rows}</ul>')  # what the script wrote
    over = {"/zdxm/": page("重大建设项目", SCRIPTED), "/tzgg/": page("工作动态", SCRIPTED)}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY, rendered={"/zdxm/": page("重大建设项目", dom)},
                config={"column.stale": {"classes": {"yearly": {"patterns": ["重大建设项目"], "days": 365}}}})
    lp = ctx.get(SitePages).listing("http://www.example.gov.cn/zdxm/")
    assert lp.rendered and [i.date for i in lp.items] == [d(400), d(420)]
    stale = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.stale")}
    assert set(stale) == {"/zdxm/"} and stale["/zdxm/"].data["rendered"] is True
    ev = stale["/zdxm/"].evidence[0]
    assert ev.screenshot.startswith("screenshots/") and "rendered" in ev.note and ev.snippet.endswith(d(400).isoformat())
    # the same script without a rendered DOM: not blank, to be reviewed
    blank = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.blank")}
    assert set(blank) == {"/tzgg/"} and blank["/tzgg/"].outcome == "needs_review"
    assert blank["/tzgg/"].data["rendered"] is False and "未渲染" in blank["/tzgg/"].evidence[0].note


def test_script_filled_list_empty_after_rendering_needs_review(tmp_path) -> None:
    over = {"/zdxm/": page("重大建设项目", SCRIPTED), "/tzgg/": page("通知公告", SCRIPTED)}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY, rendered={"/zdxm/": page("重大建设项目", SCRIPTED)},
                render_errors={"/tzgg/": "timeout (net::ERR_TIMED_OUT)"})
    got = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.blank")}
    assert {k: f.outcome for k, f in got.items()} == {"/zdxm/": "needs_review", "/tzgg/": "needs_review"}
    assert "渲染后仍未见" in got["/zdxm/"].message and got["/zdxm/"].evidence[0].screenshot
    assert got["/zdxm/"].evidence[0].selector == "ul#list"
    assert got["/tzgg/"].data["render_error"].startswith("timeout") and "渲染失败" in got["/tzgg/"].evidence[0].note


def test_placeholder_shown_after_rendering_is_blank(tmp_path) -> None:
    dom = SCRIPTED.replace('<ul id="list"></ul>', '<ul id="list"><li>暂无数据</li></ul>')
    ctx = build(tmp_path, _site(TODAY, **{"/zdxm/": page("重大建设项目", SCRIPTED)}), TODAY,
                rendered={"/zdxm/": page("重大建设项目", dom)})
    got = problems(ctx, "column.blank")
    assert [(f.url.rsplit(".cn", 1)[-1], f.outcome, f.data["placeholder"]) for f in got] == [("/zdxm/", "fail", "暂无数据")]
    assert got[0].evidence[0].screenshot and got[0].data["rendered"] is True


def test_lists_shown_in_frames(tmp_path) -> None:
    d = lambda n: TODAY - dt.timedelta(days=n)  # noqa: E731
    frame = lambda path: f'<h2>栏目</h2><iframe src="{path}" width="100%" height="600"></iframe>'  # noqa: E731
    over = {"/gzdt/": page("工作动态", frame("/gzdt/list.html")),            # stale list in a frame
            "/gzdt/list.html": page("列表", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", d(40))])),
            "/tzgg/": page("通知公告", frame("list.html")),                    # fresh list in a frame
            "/tzgg/list.html": page("列表", _li([("关于做好重点工作的通知", "/tzgg/1.html", d(5))])),
            "/jgzn/": page("机构职能", frame("/jgzn/body.html")),              # a text page in a frame
            "/jgzn/body.html": page("机构职能", "<p>" + "测试县人民政府办公室负责处理县政府日常工作。" * 4 + "</p>"),
            "/zdxm/": page("重大建设项目", frame("/zdxm/list.html")),          # a frame the crawl did not read
            "/rsxx/": page("人事信息", frame("/rsxx/list.html")),              # a frame saying 暂无信息
            "/rsxx/list.html": page("列表", "<p>暂无信息</p>")}
    over["/"] = _site(TODAY)["/"].replace('<a href="/xxgk/">', '<a href="/rsxx/">人事信息</a><a href="/xxgk/">')
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    stale = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.stale")}
    assert set(stale) == {"/gzdt/"} and stale["/gzdt/"].data["age_days"] == 40
    assert stale["/gzdt/"].evidence[0].url.endswith("/gzdt/list.html") and "frame" in stale["/gzdt/"].evidence[0].note
    blank = {f.url.rsplit(".cn", 1)[-1]: f for f in problems(ctx, "column.blank")}
    assert {k: f.outcome for k, f in blank.items()} == {"/zdxm/": "needs_review", "/rsxx/": "fail"}
    assert blank["/zdxm/"].data["frames"] == ["http://www.example.gov.cn/zdxm/list.html"]
    assert blank["/rsxx/"].evidence[0].url.endswith("/rsxx/list.html")


def test_content_items(tmp_path) -> None:
    ctx = build(tmp_path, _site(TODAY), TODAY)
    res = problems(ctx, "column.content-items")
    assert len(res) == 1 and res[0].outcome == "needs_review"
    assert "机构职能" not in res[0].data["missing"] and "重大建设项目" not in res[0].data["missing"]
    assert "政府采购" in res[0].data["missing"] and "其他" not in res[0].data["missing"]
    links = "".join(f'<li><a href="/c{i}/">{n}</a></li>' for i, n in enumerate(
        ["政策文件", "机构职能", "规划计划", "统计信息", "行政许可", "行政处罚", "财政预决算", "收费项目", "政府采购",
         "重大建设项目", "教育信息", "应急管理", "生态环境", "公务员招考"]))
    ctx2 = build(tmp_path / "2", _site(TODAY, **{"/xxgk/fd/": page("法定主动公开内容", f"<ul>{links}</ul>")}), TODAY)
    assert problems(ctx2, "column.content-items") == []


def test_short_article_linked_from_home_is_not_a_blank_column(tmp_path) -> None:
    pages = _site(TODAY)
    pages["/"] = pages["/"].replace("</div></div>", '<a href="/gzdt/9.html">县长主持召开常务会</a></div></div>', 1)
    pages["/gzdt/9.html"] = page("县长主持召开常务会", "<p>发布时间：2024-06-01</p><p>会议。</p>")
    pages["/zdxm/"] = page("重大建设项目", _li([("测试县重大建设项目批准信息公开", "/z/1.html", TODAY)]))
    ctx = build(tmp_path, pages, TODAY)
    assert "http://www.example.gov.cn/gzdt/9.html" not in [c.url for c in ctx.get(ColumnsAnalysis).columns]
    assert problems(ctx, "column.blank") == []


def test_handan_platform_as_a_stored_crawl(corpus, tmp_path) -> None:
    """The real 邯郸 pages stored as one crawl: the sub-columns come from the guide column's menu."""
    read = lambda n: (corpus / "handan_platform" / n).read_text(encoding="utf-8")  # noqa: E731
    pages = {"/": read("handan_xxgk_index.jsp"), "/zfxxgkzn/": read("handan_xxgk_gkzn.jsp"),
             "/zfwj/jinqixxgk/index.html": read("handan_xxgk_list.jsp")}
    ctx = build(tmp_path, pages, D(2020, 8, 10), base="http://hdzfxxgk.hd.gov.cn")
    plat = ctx.get(ColumnsAnalysis)
    assert plat.platform is not None and plat.platform.url == "http://hdzfxxgk.hd.gov.cn/"
    assert {k: v.url for k, v in plat.subs.items() if v} == {
        "guide": "http://hdzfxxgk.hd.gov.cn/zfxxgkzn/", "system": "http://hdzfxxgk.hd.gov.cn/zfwj/zdwj/",
        "statutory": "http://hdzfxxgk.hd.gov.cn/fdgknr/", "annual": "http://hdzfxxgk.hd.gov.cn/zfxxgknb/",
        "request": "http://hdzfxxgk.hd.gov.cn/ysqgk/"}
    assert problems(ctx, "column.statutory-missing") == []
    lp = ctx.get(SitePages).listing("http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index.html")
    assert lp.newest == D(2020, 8, 5)
    # the platform's side menu (also on the guide column page) names the content columns; department
    # names (市统计局, 市退役军人事务局) and the footer navigation do not count
    items = problems(ctx, "column.content-items")
    assert [f.data["missing"] for f in items] == [["行政处罚/强制", "公务员招考"]]
    assert items[0].data["matched"]["重大建设项目"]["url"] == "http://hdzfxxgk.hd.gov.cn/zdly/zdjsxmxxgk/zdxmsslyxx/"
    # the guide column holds no guide text in this capture: found, but to be reviewed
    assert [f.outcome for f in outcomes(ctx, "guide.missing")] == ["needs_review"]


def test_menu_header_linking_itself_is_not_the_platform(tmp_path) -> None:
    pages = {"/": page("首页", '<div class="nav"><a href="#">信息公开</a><a href="/gzdt/">工作动态</a></div>'),
             "/gzdt/": page("工作动态", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", TODAY)]))}
    ctx = build(tmp_path, pages, TODAY)
    assert [f.outcome for f in problems(ctx, "column.platform-missing")] == ["fail"]


def test_listing_follows_stored_next_pages(tmp_path) -> None:
    d = lambda n: TODAY - dt.timedelta(days=n)  # noqa: E731
    pager = '<div class="page"><a href="index_1.html">下一页</a></div>'
    over = {"/gzdt/": page("工作动态", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", d(2))]) + pager),
            "/gzdt/index_1.html": page("工作动态", _li([("测试县开展安全生产大检查活动", "/gzdt/2.html", d(30))])
                                       + '<div class="page"><a href="index_2.html">下一页</a></div>'),
            "/gzdt/index_2.html": page("工作动态", _li([("测试县召开春耕备耕工作会议", "/gzdt/3.html", d(60))]))}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY, config={"column.stale": {"max_list_pages": 2}})
    lp = ctx.get(SitePages).listing("http://www.example.gov.cn/gzdt/")
    assert [i.date for i in lp.items] == [d(2), d(30)]      # two pages read, as configured
    assert problems(ctx, "column.stale") == []


def test_listing_follows_page_number_links_without_next_link(tmp_path) -> None:
    d = lambda n: TODAY - dt.timedelta(days=n)  # noqa: E731
    pager = '<div class="page"><span>1</span> <a href="index_2.html">3</a> <a href="index_1.html">2</a></div>'
    over = {"/gzdt/": page("工作动态", _li([("测试县召开政务公开工作会议", "/gzdt/1.html", d(2))]) + pager),
            "/gzdt/index_1.html": page("工作动态", _li([("测试县开展安全生产大检查活动", "/gzdt/2.html", d(30))])),
            "/gzdt/index_2.html": page("工作动态", _li([("测试县召开春耕备耕工作会议", "/gzdt/3.html", d(60))]))}
    ctx = build(tmp_path, _site(TODAY, **over), TODAY)
    assert [i.date for i in ctx.get(SitePages).listing("http://www.example.gov.cn/gzdt/").items] == [d(2), d(30), d(60)]


def test_sub_columns_from_a_rendered_platform_menu(tmp_path) -> None:
    """A platform whose menu a script builds: the links the browser saw (rendered_links) count."""
    pages = {"/": page("首页", '<div class="nav"><a href="/xxgk/">政府信息公开</a></div>'),
             "/xxgk/": page("政府信息公开", '<div id="menu"></div><script>buildMenu()</script>'),
             "/xxgk/zn/": page("指南", "<p>指南</p>")}
    ctx = build(tmp_path, pages, TODAY)
    ctx.store.conn.execute("CREATE TABLE IF NOT EXISTS rendered_links (run_id TEXT, unit_id TEXT, page_url TEXT, "
                           "href TEXT, text TEXT, selector TEXT, visible INTEGER, strength TEXT, reasons TEXT, rect TEXT)")
    ctx.store.conn.execute("INSERT INTO rendered_links (run_id, unit_id, page_url, href, text) VALUES (?,?,?,?,?)",
                           (ctx.run_id, "u", "http://www.example.gov.cn/xxgk/", "http://www.example.gov.cn/xxgk/zn/",
                            "政府信息公开指南"))
    missing = sorted(f.data["missing"] for f in problems(ctx, "column.statutory-missing"))
    assert missing == ["annual", "statutory", "system"]


def test_blank_column_behind_a_repeated_side_menu(tmp_path) -> None:
    """A side menu repeated on every column page is template, not content: the empty column is blank."""
    menu = ('<div class="left"><h3>栏目导航</h3><ul><li><a href="/c1/">工作动态</a></li><li><a href="/c2/">通知公告</a></li>'
            '<li><a href="/c3/">人事信息</a></li><li><a href="/c4/">统计信息</a></li></ul></div>')
    d = TODAY - dt.timedelta(days=1)
    pages = {"/": page("首页", '<div class="nav"><a href="/c1/">工作动态</a><a href="/c2/">通知公告</a>'
                             '<a href="/c3/">人事信息</a><a href="/c4/">统计信息</a></div>')}
    for i in (1, 2, 3):
        pages[f"/c{i}/"] = page("栏目", menu + '<div class="right">' + _li([(f"测试县第{i}条信息标题内容", f"/c{i}/1.html", d)]) + "</div>")
    pages["/c4/"] = page("统计信息", menu + '<div class="right"><h2>统计信息</h2><ul class="list"></ul></div>')
    ctx = build(tmp_path, pages, TODAY)
    got = problems(ctx, "column.blank")
    assert [(f.url.rsplit(".cn", 1)[-1], f.outcome) for f in got] == [("/c4/", "fail")]


def test_column_showing_only_the_shared_menu_needs_review(tmp_path) -> None:
    menu = ('<div class="left"><ul><li><a href="/c1/">工作动态</a></li><li><a href="/c2/">通知公告</a></li>'
            '<li><a href="/c3/">人事信息</a></li><li><a href="/c4/">统计信息</a></li></ul></div>')
    d = TODAY - dt.timedelta(days=1)
    pages = {"/": page("首页", '<div class="nav"><a href="/c1/">工作动态</a><a href="/c2/">通知公告</a>'
                             '<a href="/c3/">人事信息</a><a href="/c4/">统计信息</a></div>')}
    for i in (1, 2, 3):
        pages[f"/c{i}/"] = page("栏目", menu + _li([(f"测试县第{i}条信息标题内容", f"/c{i}/1.html", d)]))
    pages["/c4/"] = page("统计信息", menu + "<h2>统计信息</h2>")
    ctx = build(tmp_path, pages, TODAY)
    got = problems(ctx, "column.blank")
    assert [(f.url.rsplit(".cn", 1)[-1], f.outcome, f.data.get("menu_only")) for f in got] == [("/c4/", "needs_review", True)]
