#!/usr/bin/env python3
"""Write a deterministic synthetic county-government portal for crawl benchmarks.

usage: gen_site.py OUTDIR [--articles N] [--columns C] [--ext-host HOST:PORT] [--plain]
                          [--site-name NAME] [--seed S]

The site looks like a typical 政务公开 CMS: a home page with the latest items of every column,
column list pages (``/col/<code>/index_<p>.html``, 20 items a page, a pager), article pages
(``/art/<code>/<id>.html``, ~25 KB: header, nav, breadcrumb, 索引号/发布机构/发布日期 block,
75 paragraphs, a dozen "related" links, a
"latest" side box, a footer with the site identifier), PDF attachments
on ~30 % of articles, ~2 % broken in-site links, ~5 % links to a second ("external") host, and
one GBK-encoded page.  Every article carries ~60 links, most of them repeated nav links, which
is what makes early de-duplication in the crawler pay.

``--plain`` drops the attachments, broken and external links (the multi-site benchmark wants a
fixed page count per site): a crawler then finds exactly ``2 + list pages + articles + 2`` pages
("/" and /index.html are two URLs), the logo, the stylesheet and a 404 (the search form).
Only the standard library is used, so the script runs with any python3.
"""
from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

COLUMNS = [("zwdt", "政务动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"), ("zcjd", "政策解读"),
           ("gkzn", "政府信息公开指南"), ("gknb", "政府信息公开年报"), ("gkzd", "政府信息公开制度"),
           ("fdgk", "法定主动公开内容"), ("czzj", "财政资金"), ("rsxx", "人事信息"), ("ghxx", "规划信息"),
           ("tjsj", "统计数据"), ("zfcg", "政府采购"), ("ggfw", "公共服务"), ("sthj", "生态环境"),
           ("jyxx", "教育信息")]
SENTENCE = ("根据《中华人民共和国政府信息公开条例》和上级有关工作部署，为进一步推进决策、执行、管理、服务、"
            "结果公开，持续提升政务公开质量和实效，结合本地实际，现就做好相关工作有关事项通知如下。")
PER_LIST = 20


def shell(site: str, title: str, nav: str, crumb: str, main: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">\n'
            f'<meta name="SiteName" content="{site}"><meta name="SiteDomain" content="bench.example.gov.cn">\n'
            f'<meta name="SiteIDCode" content="1525000099"><meta name="ColumnName" content="{title}">\n'
            f'<title>{title}_{site}</title><link rel="stylesheet" href="/css/main.css"></head>\n'
            f'<body><div class="top"><a href="/index.html"><img src="/img/logo.png" alt="{site}"></a>'
            f'<form action="/search.html"><input name="q"></form></div>\n'
            f'<div class="nav">{nav}</div>\n<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; {crumb}</div>\n'
            f'<div class="main">{main}</div>\n'
            f'<div class="foot"><a href="/sitemap.html">网站地图</a> | <a href="/contact.html">联系我们</a> '
            f'<span>主办单位：{site}办公室 网站标识码：1525000099</span> '
            f'<a href="https://beian.miit.gov.cn/">蒙ICP备00000099号</a></div></body></html>\n')


def date_of(a: int) -> str:
    return f"2025-{1 + a % 12:02d}-{1 + a % 28:02d}"


def generate(out: Path, articles: int, columns: int, ext_host: str | None, plain: bool,
             site: str, seed: int) -> int:
    """Write the site; return the number of distinct in-site URLs a crawler will find."""
    rnd = random.Random(seed)
    cols = COLUMNS[:max(1, min(columns, len(COLUMNS)))]
    nav = " ".join(f'<a href="/col/{c}/index_1.html">{n}</a>' for c, n in cols)
    # CMS navs repeat themselves (a dropdown and a flat bar), with fragments: more links, same URLs
    nav += '<div class="sub">' + " ".join(f'<a href="/col/{c}/index_1.html#list">{n}</a>' for c, n in cols[:8]) + "</div>"
    items: dict[str, list[int]] = {c: [] for c, _ in cols}
    for a in range(articles):
        items[cols[a % len(cols)][0]].append(a)
    for d in ("img", "css", "files", *(f"col/{c}" for c, _ in cols), *(f"art/{c}" for c, _ in cols)):
        (out / d).mkdir(parents=True, exist_ok=True)
    (out / "img/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(120))
    (out / "css/main.css").write_text("body{font:14px sans-serif}.nav a{margin:0 6px}\n")
    urls = 4 + 2  # "/" and /index.html (the logo links to it), sitemap, contact, logo, css
    for name, title in (("sitemap", "网站地图"), ("contact", "联系我们")):
        (out / f"{name}.html").write_text(shell(site, title, nav, title, f"<h1>{title}</h1><p>{SENTENCE}</p>"))
    home = "".join(
        f'<div class="box"><h2><a href="/col/{c}/index_1.html">{n}</a></h2><ul>'
        + "".join(f'<li><a href="/art/{c}/{a}.html">{SENTENCE[:22]}（{a}）</a><span>{date_of(a)}</span></li>'
                  for a in items[c][:7]) + "</ul></div>" for c, n in cols)
    (out / "index.html").write_text(shell(site, "首页", nav, "首页", home))
    urls += 1  # search.html (the form action): a 404 on purpose, every CMS has one
    # a "latest in this column" side box, the same on every article of the column
    side = {c: '<div class="side"><h3>最新</h3>' + "".join(
        f'<a href="/art/{c}/{a}.html">{SENTENCE[:16]}</a>' for a in items[c][-10:]) + "</div>" for c, _ in cols}
    for c, n in cols:
        ids = items[c]
        pages = max(1, -(-len(ids) // PER_LIST))
        urls += pages
        for p in range(pages):
            lis = "".join(f'<li><a href="/art/{c}/{a}.html" title="{SENTENCE[:30]}">{SENTENCE[:30]}（{a}）</a>'
                          f'<span class="date">{date_of(a)}</span></li>' for a in ids[p * PER_LIST:(p + 1) * PER_LIST])
            pager = " ".join(f'<a href="/col/{c}/index_{q + 1}.html">{q + 1}</a>'
                             for q in range(max(0, p - 4), min(pages, p + 5)))
            main = f'<h1>{n}</h1><ul class="list">{lis}</ul><div class="pager">共{pages}页 {pager}</div>'
            (out / f"col/{c}/index_{p + 1}.html").write_text(shell(site, n, nav, f'<a href="/col/{c}/index_1.html">{n}</a>', main))
        for a in ids:
            rel = [f'<a href="/art/{c}/{b}.html">相关：{SENTENCE[:12]}（{b}）</a>'
                   for b in (ids[rnd.randrange(len(ids))] for _ in range(12))]
            if not plain:
                if rnd.random() < 0.30:
                    rel.append(f'<a href="/files/{a}.pdf">附件：{SENTENCE[:10]}（{a}）.pdf</a>')
                    (out / f"files/{a}.pdf").write_bytes(b"%PDF-1.4\n%govaudit bench\n" + b"0" * 2400 + b"\n%%EOF\n")
                    urls += 1
                if rnd.random() < 0.02:
                    rel.append(f'<a href="/art/{c}/gone-{a}.html">已删除的文章</a>')
                    urls += 1
                if ext_host and rnd.random() < 0.05:
                    rel.append(f'<a href="http://{ext_host}/ext/{a % 50}.html">相关网站</a>')
            info = (f'<table class="info"><tr><td>索引号：1525000099/{date_of(a)[:4]}-{a:05d}</td>'
                    f'<td>发布机构：{site}办公室</td></tr><tr><td>发布日期：{date_of(a)}</td><td>主题分类：{n}</td></tr></table>')
            body = "".join(f"<p>{SENTENCE}</p>" for _ in range(75))
            main = (f'<h1>{SENTENCE[:20]}（{a}）</h1>{info}<div class="content">{body}</div>'
                    f'<div class="related"><h3>相关链接</h3>{" ".join(rel)}</div>{side[c]}')
            (out / f"art/{c}/{a}.html").write_text(shell(site, n, nav, f'<a href="/col/{c}/index_1.html">{n}</a>', main))
        urls += len(ids)
    if not plain:
        # one legacy page in GBK without a charset declaration, linked from the contact page
        gbk = shell(site, "旧版页面", nav, "旧版页面", f"<p>{SENTENCE}</p>").replace('<meta charset="utf-8">', "")
        (out / "old.html").write_bytes(gbk.encode("gb18030"))
        contact = (out / "contact.html").read_text().replace("</h1>", '</h1><a href="/old.html">旧版</a>', 1)
        (out / "contact.html").write_text(contact)
        urls += 1
    return urls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--columns", type=int, default=16)
    ap.add_argument("--ext-host", default=os.environ.get("BENCH_EXT_HOST", "127.0.0.2:8082"),
                    help="host:port of the 'external' site ('' for none)")
    ap.add_argument("--plain", action="store_true", help="no attachments, broken or external links")
    ap.add_argument("--site-name", default="某某旗人民政府")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    n = generate(a.out, a.articles, a.columns, a.ext_host or None, a.plain, a.site_name, a.seed)
    print(f"{a.out}: {n} in-site URLs")


if __name__ == "__main__":
    main()
