"""The ordinary county portal: columns, articles, the 政府信息公开 platform, static assets."""
from __future__ import annotations

import html

from govaudit.demo.site import SITE_NAME, Site

FILLER = ("为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开标准化规范化水平，"
          "切实保障人民群众知情权、参与权、表达权和监督权，现将有关事项通知如下。")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" \
      b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"

# (path, label, [(title, days_ago)])
COLUMNS = [
    ("/zwdt/", "政务动态", [("青山县召开2024年政务公开工作推进会", 2), ("县长主持召开县政府常务会议", 5),
                           ("青山县开展安全生产大检查", 9), ("全县春耕备耕工作有序推进", 12)]),
    ("/tzgg/", "通知公告", [("关于做好元旦春节期间安全生产工作的通知", 20), ("青山县2024年公开招聘教师公告", 41),
                           ("关于开展政务公开第三方评估的通知", 75)]),
]


def contribute(site: Site) -> None:
    site.add("/css/style.css", "body{font-family:sans-serif}.w1200{width:1200px;margin:0 auto}"
             ".nav li{display:inline-block;margin:0 10px}", content_type="text/css")
    site.add("/images/logo.png", PNG, content_type="image/png")
    site.add("/images/dzjg.png", PNG, content_type="image/png")
    for path, label, items in COLUMNS:
        site.nav.append((label, path + "index.html"))
        entries = []
        for i, (title, ago) in enumerate(items):
            d = site.day(ago)
            art = f"{path}{d.strftime('%Y%m')}/t{d.strftime('%Y%m%d')}_{i + 1}.html"
            site.add(art, site.article(title, d, [FILLER, FILLER[:40] + "。"], column=label, column_path=path + "index.html"))
            entries.append((title, art, d))
        site.add(path + "index.html", site.list_page(label, entries, crumbs=[(label, path + "index.html")]))
        lis = "".join(f'<li><a href="{h}">{html.escape(t)}</a><span>{d.strftime("%m-%d")}</span></li>' for t, h, d in entries)
        site.home_blocks.append(f'<div class="box"><div class="box-hd"><h3>{label}</h3>'
                                f'<a class="more" href="{path}index.html">更多&gt;&gt;</a></div><ul>{lis}</ul></div>')
    platform(site)
    for path, title in (("/wzdt/", "网站地图"), ("/gywm/", "关于我们"), ("/lxwm/", "联系我们"),
                        ("/search/", "站内搜索"), ("/wza/", "无障碍浏览")):
        site.add(path + "index.html", site.page(title, f"<h2>{title}</h2><p>{SITE_NAME}。</p>", crumbs=[(title, path + "index.html")]))


def platform(site: Site) -> None:
    """The 政府信息公开 platform with its four statutory sub-columns."""
    # the guide's label is a real-world variant (信息公开指南, split by <br>, an icon in <em>):
    # column.statutory-missing must still find it
    subs = [('<em class="ico"></em>信息公开<br>指南', "/xxgk/zn/index.html"), ("政府信息公开制度", "/xxgk/zd/index.html"),
            ("法定主动公开内容", "/xxgk/fdzdgknr/index.html"), ("政府信息公开年报", "/xxgk/nb/index.html"),
            # their pages: sections/channels.py (request.channel, catalog.missing)
            ("依申请公开", "/xxgk/ysqgk/index.html"), ("基层政务公开标准目录", "/xxgk/jczwgk/index.html")]
    site.nav.append(("政府信息公开", "/xxgk/index.html"))
    side = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in subs)
    site.add("/xxgk/index.html", site.page("政府信息公开", f'<div class="xxgk-side"><ul>{side}</ul></div>'
             '<form action="/search/index.html"><input name="q"><button>检索</button></form>',
             column="政府信息公开", crumbs=[("政府信息公开", "/xxgk/index.html")]))
    crumbs = [("政府信息公开", "/xxgk/index.html")]
    d = site.day(30)
    site.add("/xxgk/zn/index.html", site.list_page("政府信息公开指南", [(f"{SITE_NAME}政府信息公开指南", "/xxgk/zn/guide.html", d)], crumbs=crumbs))
    site.add("/xxgk/zn/guide.html", site.article(f"{SITE_NAME}政府信息公开指南", d, [FILLER], column="政府信息公开指南", column_path="/xxgk/zn/index.html"))
    site.add("/xxgk/zd/index.html", site.list_page("政府信息公开制度", [("青山县政府信息公开工作制度", "/xxgk/zd/rule.html", site.day(200))], crumbs=crumbs))
    site.add("/xxgk/zd/rule.html", site.article("青山县政府信息公开工作制度", site.day(200), [FILLER], column="政府信息公开制度", column_path="/xxgk/zd/index.html"))
    site.add("/xxgk/fdzdgknr/index.html", site.page("法定主动公开内容", '<ul><li><a href="/zwdt/index.html">政务动态</a></li>'
             '<li><a href="/tzgg/index.html">通知公告</a></li></ul>', column="法定主动公开内容", crumbs=crumbs))
    site.add("/xxgk/nb/index.html", site.list_page("政府信息公开年报", [], crumbs=crumbs))
