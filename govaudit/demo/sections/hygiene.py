"""Link hygiene, site and content checks: planted cases and look-alikes that must not fire.

Planted: hidden links (off-screen on the home page, display:none off-site, document.write),
illegal links and text, soft-404s (error page answering 200, deep link redirecting home), a future
publish date, an obsolete institution name, an article without metadata and one whose PubDate
disagrees with the visible date, no HTTPS. Look-alikes: hidden tab lists and drop-down menus into
the site, a hidden badge link, enforcement news naming gambling, G404 in a title, a stale
template date in an attribute, historical/reform mentions of old names, a working redirect.
"""
from __future__ import annotations

from govaudit.demo.site import SITE_CODE, SITE_NAME, Site

FILLER = "为进一步提升政务服务水平，现将有关事项通知如下，请各单位认真贯彻执行。"


def contribute(site: Site) -> None:
    ext = site.external
    site.add_external("/casino.html", "<html><head><title>澳门娱乐城</title></head><body>casino</body></html>")
    site.add_external("/partner.html", "<html><head><title>合作伙伴</title></head><body>partner</body></html>")
    site.add_external("/fapiao.html", "<html><head><title>发票</title></head><body>x</body></html>")
    site.add_external("/friend.html", "<html><head><title>友情链接</title></head><body>x</body></html>")

    # --- home page: an off-screen injected link (rendered: screenshot + selector) and hidden tabs ----
    site.home_blocks.append(
        '<div class="tabs"><ul class="tab-hd"><li class="on">要闻</li><li>公告</li></ul>'
        '<ul class="tab-bd" style="display: block;"><li><a href="/zwdt/index.html">政务动态</a></li></ul>'
        '<ul class="tab-bd" style="display: none;"><li><a href="/tzgg/index.html">通知公告</a></li></ul></div>'
        '<style>.sub-menu{display:none}.menu li:hover .sub-menu{display:block}</style>'
        '<ul class="menu"><li><a href="/xxgk/index.html">信息公开</a><ul class="sub-menu">'
        '<li><a href="/xxgk/zn/index.html">公开指南</a></li></ul></li></ul>'
        '<div style="display:none"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=HIDDEN">党政机关</a></div>'
        f'<div style="position:absolute;left:-9999px;top:-9999px"><a href="{ext}/casino.html">澳门娱乐城</a></div>')
    site.expect("link.hidden", "/", f"{ext}/casino.html", note="off-screen gambling link on the home page")
    site.expect("link.illegal", "/", f"{ext}/casino.html", note="gambling anchor text")

    # --- an article with a display:none block of off-site links and a document.write link -------------
    art = "/zwdt/hygiene/t1.html"
    extra = (f'<div style="display:none"><a href="{ext}/partner.html">合作伙伴</a></div>'
             '<script>document.write(\'<div style="display:none"><a href="' + ext + '/fapiao.html">代开发票</a></div>\');</script>'
             f'<p><a href="{ext}/friend.html">友情链接：青山县融媒体中心</a></p>')
    site.add(art, site.article("青山县召开营商环境优化工作会议", site.day(4), [FILLER], column="政务动态",
                               column_path="/zwdt/index.html", extra=extra))
    site.expect("link.hidden", art, f"{ext}/partner.html", outcome="needs_review", note="display:none off-site link")
    site.expect("link.hidden", art, f"{ext}/fapiao.html", note="document.write hidden fake-invoice link")
    site.expect("link.illegal", art, f"{ext}/fapiao.html", note="script-written fake-invoice link")

    # --- a hijacked article: gambling text stuffed into the page ---------------------------------------
    hijack = "/zwdt/hygiene/t2.html"
    site.add(hijack, site.article("青山县推进农村人居环境整治", site.day(6),
                                  [FILLER, "澳门新葡京娱乐城 百家乐 真人娱乐 注册送彩金 bet365 官网"],
                                  column="政务动态", column_path="/zwdt/index.html"))
    site.expect("content.illegal-text", hijack, note="stuffed gambling text")

    # --- look-alikes: enforcement news, G404 -------------------------------------------------------------
    news = "/zwdt/hygiene/t3.html"
    site.add(news, site.article("我县开展打击六合彩等非法赌博专项行动", site.day(7),
                                ["县公安局依法严厉打击六合彩、网络赌博等违法犯罪活动，警惕“娱乐城”类诈骗网站。"],
                                column="政务动态", column_path="/zwdt/index.html"))
    g404 = "/zwdt/hygiene/t4.html"
    site.add(g404, site.article("国道G404线青山段改造工程开工", site.day(8), [FILLER], column="政务动态",
                                column_path="/zwdt/index.html"))

    # --- soft-404: an error page answering 200, a deep link redirecting to the home page --------------
    gone = "/zwdt/hygiene/deleted.html"
    site.add(gone, "<html><head><title>提示信息</title></head><body><div class=\"err\">温馨提示：您访问的页面不存在或已删除！"
             "<a href=\"/\">返回首页</a></div></body></html>")
    site.add("/xxgk/old/policy.html", b"", status=302, headers={"Location": "/"})
    site.expect("link.soft-404", "/zwdt/hygiene/index.html", gone, note="error page answering 200")
    site.expect("link.soft-404", "/zwdt/hygiene/index.html", "/xxgk/old/policy.html",
                note="deep link redirecting to the home page")

    # --- dates: a future publish date; a stale template date in an attribute (look-alike) -------------
    future = site.day(-30)
    fut = "/tzgg/hygiene/t5.html"
    site.add(fut, site.article("关于做好明年春节期间值班工作的通知", future, [FILLER], column="通知公告",
                               column_path="/tzgg/index.html"))
    site.expect("content.future-date", fut, note="publish date 30 days after the audit")
    stale_alt = "/tzgg/hygiene/t6.html"
    site.add(stale_alt, site.article("关于开展冬季消防安全检查的通知", site.day(10), [FILLER], column="通知公告",
                                     column_path="/tzgg/index.html",
                                     extra=f'<p><img src="/images/logo.png" alt="时间：{future.isoformat()}"></p>'))

    # --- obsolete names: current use (planted), former/reform/historical/部门 (look-alikes) -----------
    obs = "/tzgg/hygiene/t7.html"
    site.add(obs, site.article("关于开展土地卫片执法检查的通知", site.day(11),
                               ["请各乡镇将检查结果于月底前报送县国土资源局执法监察大队。", FILLER],
                               column="通知公告", column_path="/tzgg/index.html"))
    site.expect("content.obsolete-name", obs, outcome="needs_review", note="国土资源局 used as current")
    reform = "/tzgg/hygiene/t8.html"
    site.add(reform, site.article("关于县自然资源局挂牌成立的公告", site.day(13),
                                  ["根据机构改革方案，将县国土资源局的职责整合，组建县自然资源局。",
                                   "原县环境保护局同时撤销。各农业部门做好衔接。"],
                                  column="通知公告", column_path="/tzgg/index.html"))
    old = "/tzgg/hygiene/t9.html"
    site.add(old, site.article("关于2016年土地变更调查的通知", site.day(3650), ["请于月底前报县国土资源局。"],
                               column="通知公告", column_path="/tzgg/index.html"))

    # --- metadata: an article page without metadata; one whose PubDate disagrees ------------------------
    bare = "/zwdt/hygiene/t10.html"
    d = site.day(5)
    site.add(bare, f"""<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="{SITE_NAME}">
<title>青山县举办农民丰收节</title></head><body><div class="article"><h1>青山县举办农民丰收节</h1>
<div class="info">发布时间：{d.isoformat()}　来源：{SITE_NAME}办公室</div><p>{FILLER}</p></div>
<div class="footer">网站标识码：{SITE_CODE}</div></body></html>""")
    site.expect("site.metadata", bare, note="article page without SiteDomain/SiteIDCode/ArticleTitle/PubDate/ContentSource")
    wrong = "/zwdt/hygiene/t11.html"
    body = (f'<div class="article"><h1 class="title">青山县开展文明城市创建活动</h1><div class="info">发布时间：{site.day(9).isoformat()} 09:00'
            f'　来源：{SITE_NAME}办公室</div><div class="content"><p>{FILLER}</p></div></div>')
    site.add(wrong, site.page("青山县开展文明城市创建活动", body, column="政务动态", crumbs=[("政务动态", "/zwdt/index.html")],
                              meta={"ArticleTitle": "青山县开展文明城市创建活动", "PubDate": site.day(40).isoformat() + " 09:00",
                                    "ContentSource": SITE_NAME + "办公室"}))
    site.expect("site.metadata", wrong, outcome="needs_review", note="PubDate 40 days before the visible date")

    # --- the demo portal answers only over http ---------------------------------------------------------
    site.expect("site.https", "/", outcome="needs_review", note="no HTTPS")

    links = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in [
        ("营商环境会议", art), ("人居环境整治", hijack), ("打击六合彩专项行动", news), ("G404改造", g404),
        ("已删除的通知", gone), ("旧版政策文件", "/xxgk/old/policy.html"), ("春节值班通知", fut),
        ("消防检查通知", stale_alt), ("卫片执法检查", obs), ("自然资源局挂牌", reform), ("2016年土地调查", old),
        ("丰收节", bare), ("文明城市创建", wrong)])
    site.add("/zwdt/hygiene/index.html", site.page("专题：网站建设", f"<ul>{links}</ul>", column="专题",
                                                  crumbs=[("专题", "/zwdt/hygiene/index.html")]))
    site.home_links.append(("网站建设专题", "/zwdt/hygiene/index.html"))
