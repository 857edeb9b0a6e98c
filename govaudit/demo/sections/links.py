"""link.broken: planted broken links, and look-alikes that must not be reported."""
from __future__ import annotations

from govaudit.demo.site import Site


def contribute(site: Site) -> None:
    ext = site.external
    d = site.day(3)
    # --- external world (served by the second server on 127.0.0.2) ---
    site.add_external("/ok.html", "<html><head><title>合作单位</title></head><body>ok</body></html>")
    site.add_external("/forbidden.html", "<html><body>Forbidden</body></html>", status=403)
    site.add_external("/no-head.html", "<html><head><title>只接受GET</title></head><body>ok</body></html>", head_status=405)
    # gone.html is simply absent: 404

    site.add("/attach/2024-plan.pdf", b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
    site.add("/attach/empty.pdf", b"", content_type="application/pdf")
    site.add("/attach/notice.doc", "<html><body>文件不存在</body></html>")  # an 'attachment' that is an HTML page
    site.add("/loop/a.html", b"", status=302, headers={"Location": "/loop/b.html"})
    site.add("/loop/b.html", b"", status=302, headers={"Location": "/loop/a.html"})
    site.add("/old/zwdt.html", b"", status=301, headers={"Location": "/zwdt/index.html"})  # working redirect

    art = "/zwdt/links-demo.html"
    extra = f"""
<div class="attach"><p>附件：</p>
<p><a href="/attach/2024-plan.pdf">1.2024年工作计划.pdf</a></p>
<p><a href="/attach/2023-summary.pdf">2.2023年工作总结.pdf</a></p>
<p><a href="/attach/empty.pdf">3.申请表.pdf</a></p>
<p><a href="/attach/notice.doc">4.通知原文.doc</a></p></div>
<p><img src="/images/chart-2024.png" alt="统计图"></p>
<div class="related"><h4>相关链接</h4><ul>
<li><a href="{ext}/ok.html">合作单位网站</a></li>
<li><a href="{ext}/gone.html">已关闭的专题网站</a></li>
<li><a href="{ext}/forbidden.html">拒绝抓取的网站</a></li>
<li><a href="{ext}/no-head.html">不支持HEAD的网站</a></li>
<li><a href="http://127.0.0.2:1/">无法连接的网站</a></li>
<li><a href="/loop/a.html">循环跳转页面</a></li>
<li><a href="/old/zwdt.html">旧版政务动态</a></li>
<li><a href="/zwdt/index.html#top">政务动态（锚点）</a></li>
<li><a href="javascript:void(0)">收藏本页</a> <a href="mailto:xxgk@qingshan.gov.cn">联系邮箱</a></li>
<!-- <li><a href="/zwdt/deleted-in-comment.html">已注释的旧链接</a></li> -->
</ul></div>"""
    site.add(art, site.article("青山县政务服务事项办理指南汇编", d, ["为方便群众办事，现将有关材料汇编如下。"],
                               column="政务动态", column_path="/zwdt/index.html", extra=extra))
    site.home_links.append(("政务服务事项办理指南汇编", art))
    site.home_links.append(("2023年度工作专题（已下线）", "/zt/2023/index.html"))

    site.expect("link.broken", "/", "/zt/2023/index.html", note="home page: internal 404")
    site.expect("link.broken", art, "/attach/2023-summary.pdf", note="missing attachment 404")
    site.expect("link.broken", art, "/attach/empty.pdf", note="0-byte attachment")
    site.expect("link.broken", art, "/attach/notice.doc", note="attachment answers HTML")
    site.expect("link.broken", art, "/images/chart-2024.png", note="missing image")
    site.expect("link.broken", art, f"{ext}/gone.html", note="external 404")
    site.expect("link.broken", art, f"{ext}/forbidden.html", outcome="needs_review", note="external 403")
    site.expect("link.broken", art, "http://127.0.0.2:1/", note="connection refused")
    site.expect("link.broken", art, "/loop/a.html", note="redirect loop")
