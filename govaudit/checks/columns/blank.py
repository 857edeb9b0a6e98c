"""column.blank — a column with nothing in it (appraisal 8.6.2; national veto "空白栏目").

What: a column (linked from the home page, the navigation, the platform or its sub-columns, or
pinned in the unit config) whose list has no items, shows a placeholder (暂无信息, 暂无数据,
正在建设中 …), says 共0条, or whose main area holds no text and no links.

Why: the national inspection vetoes a site with ≥5 blank columns and deducts per column; 8.6.2
(DB15/T 2093 site management) asks for columns that actually carry their content.

How: the column page's list is extracted (govaudit.extract.lists); a column with items is not
blank. Otherwise the page's main area (outside navigation, header, footer, breadcrumbs) is read:
a page of text (a single-page column such as 机构职能) or of links (a directory of sub-columns) is
not blank. Links found in the main area of at least 3 (and half of the) column pages are a shared
side menu, not content: a column showing only that menu is `needs_review`, or `fail` when it also
shows an empty list container (ul.list, table#list …). The platform page and its sub-columns may be
menus of their own and are never judged by the shared menu. What the page shows in its frames
(`<iframe src>` in the main area, as older CMSs show lists) counts as its content; a frame the
crawl did not read makes an otherwise empty page `needs_review`.

A page whose scripts fill the list at run time (AJAX, templates, JS pagers) is rendered by the
crawler (crawler/render.py) and judged on the DOM the browser built, with its screenshot as
evidence. If the rendered page still shows no list, or it could not be rendered, the outcome is
`needs_review`, not `fail`: a script that failed here may work for a visitor. So is a page
with a little text or a link that the list extractor cannot explain (no placeholder, no 共0条,
no empty list container): never a `fail` on a guess.

Limits: columns reached only through JavaScript menus are not examined; labels longer than
`max_label_length` are taken for article titles, not columns.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from govaudit.checks.analyses.columns import SKIP_LABELS, Column, ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.columns import main_content
from govaudit.extract.lists import ListPage, empty_list_container
from govaudit.model import Evidence, Finding
from govaudit.urls import absolute, normalize

RULE = Rule(id="column.blank", item="8.6.2", title="空白栏目",
            defaults={"min_text": 30, "max_label_length": 12, "skip_labels": list(SKIP_LABELS)},
            uses=(ColumnsAnalysis, SitePages))

_PAGER_WORDS = re.compile(r"共\s*\d+\s*(?:条|页)|第\s*\d+\s*页|\d+\s*/\s*\d+\s*页?|首页|上一页|下一页|尾页|末页|"
                          r"当前位置[:：]?|您现在的位置[:：]?|跳转|转到|GO|go|\s+")


def _resolved(page_url: str, links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for href, text in links:
        url = absolute(page_url, href) if not href.lower().startswith(("javascript:", "#")) else href
        out.append((normalize(url) if url and url.startswith("http") else (url or href), text))
    return out


def _template_links(site: SitePages, columns: list[Column]) -> set[str]:
    """Links in the main area of at least 3 column pages and half of them: a side menu or a
    template block, not the page's own content."""
    counts: Counter[str] = Counter()
    seen = 0
    for col in columns:
        _, links = site.main_of(col.url)
        if not links:
            continue
        seen += 1
        counts.update({h for h, _ in _resolved(col.url, links)})
    limit = max(3, seen // 2)
    return {h for h, n in counts.items() if n >= limit}


def _content(site: SitePages, col: Column, lp: ListPage) -> tuple[Any, str, list[tuple[str, str]], list[str]]:
    """(tree, main text, main links, frames not crawled) of the page a column shows; what a visitor
    sees inside the page's frames counts as the page's content."""
    root = site.rendered(col.url)[1] if lp.rendered else site.root(col.url)[1]
    text, links = main_content(root)
    unread = []
    for furl, fpage, froot in site.frames(root, col.url):
        if froot is None:
            unread.append(furl)
            continue
        ftext, flinks = main_content(froot)
        text += " " + ftext
        links = links + [(absolute(furl, h) or h, t) for h, t in flinks]
    return root, text, links, unread


def _own_content(col: Column, text: str, links: list[tuple[str, str]],
                 shared: set[str]) -> tuple[list[str], str, bool]:
    """(links of the page's own, text left without its label, the shared menu and pager words,
    whether the shared menu was there)."""
    resolved = _resolved(col.url, links)
    real_links = [h for h, t in resolved if not h.lower().startswith(("javascript:", "#"))
                  and t and not _PAGER_WORDS.fullmatch(t) and h not in shared]
    residual = text.replace(col.label.replace(" ", ""), "").replace(col.label, "")
    menu_only = False
    for h, t in resolved:
        if h in shared and t:
            residual = residual.replace(t, "", 1)  # a side menu repeated on every column page
            menu_only = True
    return real_links, _PAGER_WORDS.sub("", residual), menu_only


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    plat = ctx.get(ColumnsAnalysis)
    site = ctx.get(SitePages)
    template: list[set[str]] = []  # the shared side menu, computed on first need
    for col in plat.columns:
        lp = site.listing(col.url)
        if lp is None or lp.items:
            continue
        # the platform page and its sub-columns may legitimately be directories of the shared menu
        portal = col.key is not None or (plat.platform is not None and normalize(col.url) == normalize(plat.platform.url))
        if not portal and not template:
            template.append(_template_links(site, plat.columns))
        yield from _judge(ctx, site, col, lp, set() if portal else template[0], conf["min_text"])


def _judge(ctx: CheckContext, site: SitePages, col: Column, lp: ListPage, shared: set[str],
           min_text: int) -> Iterable[Finding]:
    """The finding on one column whose list has no items, if it is blank."""
    shown, fields = site.shown_page(col.url, lp)   # the browser's DOM, a frame page, or the page
    shown = shown or col.page or {"url": col.url}
    root, text, links, unread = _content(site, col, lp)

    def evidence(**kw: Any) -> Evidence:
        return ctx.evidence(shown, **{**fields, **kw})

    data = {**col.to_dict(), "placeholder": lp.placeholder, "total_items": lp.total_items,
            "js_list": lp.js_list, "js_pager": lp.js_pager, "rendered": lp.rendered}
    if lp.placeholder:
        yield ctx.finding(RULE, "fail", col.url, f"栏目“{col.label}”无内容（显示“{lp.placeholder}”）",
                          evidence=[evidence(snippet=lp.placeholder)], data=data)
        return
    if lp.total_items == 0:
        yield ctx.finding(RULE, "fail", col.url, f"栏目“{col.label}”无内容（共0条）",
                          evidence=[evidence(snippet=text[:200])], data=data)
        return
    real_links, residual, menu_only = _own_content(col, text, links, shared)
    if len(real_links) >= 2 or len(residual) >= min_text:
        return  # a directory of links, or a single page of text: not a list column
    empty_list = empty_list_container(root)
    scripted = lp.js_list or lp.js_pager
    if menu_only and not empty_list and not scripted:
        yield ctx.finding(RULE, "needs_review", col.url, f"栏目“{col.label}”页面仅有导航菜单，未见本栏目内容",
                          evidence=[evidence(snippet=text[:200], note="只有各栏目页共用的导航菜单")],
                          data={**data, "menu_only": True})
        return
    if scripted and lp.rendered:  # the browser ran the scripts and still shows no list
        yield ctx.finding(RULE, "needs_review", col.url,
                          f"栏目“{col.label}”在浏览器中渲染后仍未见列表内容（列表由脚本生成），需人工确认",
                          evidence=[evidence(snippet=text[:200], selector=empty_list,
                                             note="已在浏览器中渲染：脚本生成的列表仍为空")],
                          data=data)
        return
    if scripted:
        error = site.render_error(col.url)
        why = f"渲染失败：{error}" if error else \
            "未渲染（无浏览器、渲染已关闭或达到 max_list_renders 上限）"
        yield ctx.finding(RULE, "needs_review", col.url,
                          f"栏目“{col.label}”页面未见列表内容，列表可能由脚本生成，需人工在浏览器中确认",
                          evidence=[evidence(snippet=text[:200], note=f"列表可能由脚本生成：{why}")],
                          data={**data, "render_error": error})
        return
    if unread:  # its content may be in a frame the crawl did not read
        yield ctx.finding(RULE, "needs_review", col.url, f"栏目“{col.label}”内容在框架（iframe）中，框架页面未能读取，需人工确认",
                          evidence=[evidence(snippet=text[:200], note=f"框架页面未抓取：{unread[0]}")],
                          data={**data, "frames": unread})
        return
    if empty_list is None and (real_links or residual.strip()):
        # something is there that the list extractor cannot read: never a fail on a guess
        yield ctx.finding(RULE, "needs_review", col.url, f"栏目“{col.label}”未能识别出列表内容，需人工确认",
                          evidence=[evidence(snippet=text[:200], note="页面有内容，但未能识别为列表")],
                          data={**data, "unexplained": True})
        return
    yield ctx.finding(RULE, "fail", col.url, f"栏目“{col.label}”无内容",
                      evidence=[evidence(snippet=text[:200], selector=empty_list)],
                      data={**data, "empty_list": empty_list})
