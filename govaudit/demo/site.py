"""The demo site as data: resources by path, and the defects planted in it.

Dates are relative to the audit date so that "fresh" and "stale" stay true whenever it runs.
Feature sections (govaudit/demo/sections/*.py) each add their pages, navigation entries and
expected findings through `contribute(site)`; the home page and navigation are rendered last,
from what the sections added.
"""
from __future__ import annotations

import datetime as dt
import html
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# the sections are found by their folder, not imported as a package: they import this module
SECTIONS_DIR = Path(__file__).resolve().parent / "sections"

# a paragraph that is only a 文号 (青政规〔2024〕1号): the template shows it in the 公开属性 block too
_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,5}号")

SITE_NAME = "青山县人民政府"
SITE_CODE = "1525990001"


@dataclass
class Resource:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    head_status: int | None = None  # answer HEAD differently (servers that mishandle HEAD)


@dataclass
class Expected:
    """A defect planted on purpose: rule, where it shows (path or URL), and the outcome."""
    rule: str
    url: str | None = None       # page path where it shows ('/' for the home page)
    target: str | None = None    # link target (path, or absolute URL for external targets)
    outcome: str = "fail"
    note: str = ""


@dataclass
class Site:
    today: dt.date
    external: str = "http://127.0.0.2:0"    # base URL of the 'other websites' server
    resources: dict[str, Resource] = field(default_factory=dict)
    external_resources: dict[str, Resource] = field(default_factory=dict)
    nav: list[tuple[str, str]] = field(default_factory=list)             # (label, path)
    home_blocks: list[str] = field(default_factory=list)                 # HTML blocks
    home_links: list[tuple[str, str]] = field(default_factory=list)      # extra (label, href)
    expected: list[Expected] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    rendering: bool = True    # the audit renders pages in a browser (expectations of script-filled lists)
    articles: int = 0         # articles made so far (each gets its own 索引号)

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def add(self, path: str, body: str | bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
            **kw: Any) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.resources[path] = Resource(status=status, body=data, content_type=content_type, **kw)

    def add_external(self, path: str, body: str | bytes, status: int = 200,
                     content_type: str = "text/html; charset=utf-8", **kw: Any) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.external_resources[path] = Resource(status=status, body=data, content_type=content_type, **kw)

    def expect(self, rule: str, url: str | None = None, target: str | None = None, outcome: str = "fail",
               note: str = "") -> None:
        self.expected.append(Expected(rule, url, target, outcome, note))

    # -- page chrome ---------------------------------------------------------------------------
    def page(self, title: str, body: str, *, column: str | None = None, crumbs: list[tuple[str, str]] | None = None,
             meta: dict[str, str] | None = None, head: str = "") -> str:
        metas = {"SiteName": SITE_NAME, "SiteDomain": "www.qingshan.gov.cn", "SiteIDCode": SITE_CODE}
        if column:
            metas.update({"ColumnName": column, "ColumnDescription": column, "ColumnKeywords": column,
                          "ColumnType": column})
        metas.update(meta or {})
        meta_html = "\n".join(f'<meta name="{k}" content="{html.escape(v)}">' for k, v in metas.items())
        crumb_html = ""
        if crumbs:
            crumb_html = '<div class="position">当前位置：<a href="/">首页</a>' + "".join(
                f' &gt; <a href="{h}">{html.escape(t)}</a>' for t, h in crumbs) + "</div>"
        nav = "".join(f'<li><a href="{h}">{html.escape(t)}</a></li>' for t, h in self.nav)
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
{meta_html}
<title>{html.escape(title)}_{SITE_NAME}</title>
<link rel="stylesheet" href="/css/style.css">
{head}
</head>
<body>
<div class="top"><div class="w1200"><span>欢迎访问{SITE_NAME}门户网站</span>
<a href="/wzdt/index.html">网站地图</a> <a href="/wza/index.html">无障碍浏览</a></div></div>
<div class="header"><div class="w1200"><a href="/"><img src="/images/logo.png" alt="{SITE_NAME}"></a>
<form class="search" action="/search/index.html" method="get"><input type="text" name="q" placeholder="请输入关键字"><button type="submit">搜索</button></form></div></div>
<div class="nav"><ul class="w1200"><li><a href="/">首页</a></li>{nav}</ul></div>
<div class="main w1200">{crumb_html}
{body}
</div>
<div class="footer"><div class="w1200">
<p><a href="/gywm/index.html">关于我们</a> | <a href="/wzdt/index.html">网站地图</a> | <a href="/lxwm/index.html">联系我们</a></p>
<p>主办单位：{SITE_NAME}办公室　承办单位：青山县大数据中心　地址：青山县人民路1号　邮编：015000</p>
<p>网站标识码：{SITE_CODE}　<a href="https://beian.miit.gov.cn/" target="_blank">蒙ICP备05001234号-1</a>
<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=15020302000123" target="_blank">蒙公网安备 15020302000123号</a></p>
<p><a href="https://bszs.conac.cn/sitename?method=show&amp;id=0A1B2C3D" target="_blank"><img src="/images/dzjg.png" alt="党政机关"></a></p>
</div></div>
</body>
</html>"""

    def list_page(self, title: str, items: list[tuple[str, str, dt.date]], *, crumbs: list[tuple[str, str]]) -> str:
        lis = "\n".join(f'<li><a href="{h}" target="_blank" title="{html.escape(t)}">{html.escape(t)}</a>'
                        f'<span class="date">{d.isoformat()}</span></li>' for t, h, d in items)
        body = f'<div class="list-box"><h2 class="col-title">{html.escape(title)}</h2><ul class="list">\n{lis}\n</ul>' \
               f'<div class="page">共{len(items)}条 第1页/共1页</div></div>'
        return self.page(title, body, column=title, crumbs=crumbs)

    def article(self, title: str, date: dt.date, paragraphs: list[str], *, column: str, column_path: str,
                extra: str = "", index_no: str = "", source: str = SITE_NAME + "办公室") -> str:
        # the 公开属性 block a CMS template fills: a 索引号 of its own per article (doc.metadata reports
        # duplicates), 成文日期, the 文号 the body's first paragraph shows (if it is one), 有效性
        self.articles += 1
        index_no = index_no or f"11152999MB0000000X/{date.strftime('%Y')}-{self.articles:05d}"
        first = paragraphs[0] if paragraphs else ""
        number = first if len(first) <= 20 and _DOCNO.fullmatch(first) else "无"
        info = (f'<table class="xxgk-info"><tr><th>索引号：</th><td>{index_no}</td>'
                f'<th>发布机构：</th><td>{html.escape(source)}</td></tr>'
                f'<tr><th>成文日期：</th><td>{date.isoformat()}</td><th>发布日期：</th><td>{date.isoformat()}</td></tr>'
                f'<tr><th>文号：</th><td>{html.escape(number)}</td><th>主题分类：</th><td>{html.escape(column)}</td></tr>'
                f'<tr><th>有效性：</th><td>有效</td></tr></table>')
        body = (f'<div class="article"><h1 class="title">{html.escape(title)}</h1>'
                f'<div class="info">发布时间：{date.isoformat()} 10:00　来源：{html.escape(source)}　'
                f'<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>'
                f'{info}<div class="content">' + "".join(f"<p>{p}</p>" for p in paragraphs) + f"{extra}</div></div>")
        meta = {"ArticleTitle": title, "PubDate": date.isoformat() + " 10:00", "ContentSource": source}
        return self.page(title, body, column=column, crumbs=[(column, column_path)], meta=meta)


def build_site(today: dt.date | None = None, external: str = "http://127.0.0.2:0", rendering: bool = True) -> Site:
    """Assemble the whole demo site: every section contributes, then the home page is rendered."""
    site = Site(today=today or dt.date.today(), external=external, rendering=rendering)
    mods = sorted(info.name for info in pkgutil.iter_modules([str(SECTIONS_DIR)]))
    # 'base' first: it defines the columns the other sections hang their pages on.
    for name in sorted(mods, key=lambda n: (n != "base", n)):
        importlib.import_module(f"govaudit.demo.sections.{name}").contribute(site)
    home_body = "\n".join(site.home_blocks)
    if site.home_links:
        home_body += '<div class="links"><h3>专题专栏</h3><ul>' + "".join(
            f'<li><a href="{h}">{html.escape(t)}</a></li>' for t, h in site.home_links) + "</ul></div>"
    site.add("/", site.page("首页", home_body))
    site.resources["/index.html"] = site.resources["/"]
    return site
