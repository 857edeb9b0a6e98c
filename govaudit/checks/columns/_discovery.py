"""The disclosure platform of one unit, computed once per unit and cached in ctx.extras.

API for other rules (policy interpretation, annual report …):

    from govaudit.checks.columns._discovery import discover, listing, page_root
    plat = discover(ctx)            # Platform
    plat.platform                   # ColumnHit | None: the 政府信息公开 column (url, label, how)
    plat.subs["guide"|"system"|"statutory"|"annual"|"request"]   # ColumnHit | None
    plat.columns                    # [Column]: every column judged (nav, home, platform, pinned)
    plat.column(url) / plat.find(label_regex)                    # lookups
    listing(ctx, url)               # ListPage of a column (items over its crawled pagination pages;
                                    # the rendered DOM's when a script fills the list: lp.rendered)
    rendered_page(ctx, url)         # (row, root) of the DOM the crawler rendered, or (None, None)
    page_root(ctx, url)             # (stored page row, parsed root) or (None, None)

Where links come from: the stored `links` table (anchor texts, comments excluded at crawl time).
The platform is looked for on the home page first, then on any crawled page; sub-columns on the
platform page first, then on pages inside the platform (same host and path prefix), then
anywhere. A unit's config `columns:` pins URLs by name (platform, guide, system, statutory,
annual, or any column name); pinned ones win and say so (`how="pinned"`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.checks.context import CheckContext
from govaudit.extract.columns import (CANONICAL, SUBCOLUMNS, ColumnHit, compile_patterns, find_columns,
                                      freshness_class, is_chrome, main_content, match_label, normalize_label)
from govaudit.extract.dates import publish_date
from govaudit.extract.html import parse
from govaudit.extract.lists import ListPage, extract_list
from govaudit.extract.page import meta_tags, title_of
from govaudit.store import register_schema
from govaudit.urls import absolute, normalize

# links are read per source page: index them so (run, page) lookups do not scan the run
register_schema("CREATE INDEX IF NOT EXISTS links_run_page ON links (run_id, page_id);")

PATTERNS_RULE = "column.statutory-missing"
STALE_RULE = "column.stale"
BLANK_RULE = "column.blank"
SKIP_LABELS = ["首页", "网站首页", "返回首页", "网站地图", "联系我们", "关于我们", "无障碍", "无障碍浏览", "搜索", "站内搜索",
               "高级搜索", "更多", "登录", "注册", "网站声明", "帮助", "English", "长者模式", "关怀版", "收藏", "打印",
               "关闭", "设为首页", "加入收藏", "RSS", "繁体", "简体", "移动版", "手机版", "适老化", "上一页", "下一页",
               "尾页", "末页"]


@dataclass
class Column:
    label: str
    url: str
    source: str                      # page that links it, or "config"
    how: str                         # "link" | "pinned" | "sub-column"
    key: str | None = None           # guide/system/statutory/annual/request for sub-columns
    fresh_class: tuple[str, int, str] | None = None
    page: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "url": self.url, "source": self.source, "how": self.how, "key": self.key,
                "class": self.fresh_class[0] if self.fresh_class else None}


@dataclass
class Platform:
    platform: ColumnHit | None = None
    subs: dict[str, ColumnHit | None] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)   # pages whose links were searched for sub-columns

    def column(self, url: str) -> Column | None:
        n = normalize(url)
        return next((c for c in self.columns if normalize(c.url) == n), None)

    def find(self, pattern: str) -> list[Column]:
        rx = re.compile(pattern)
        return [c for c in self.columns if rx.search(normalize_label(c.label))]


def _pages_by_url(ctx: CheckContext) -> dict[str, dict[str, Any]]:
    if "_pages_by_url" not in ctx.extras:
        out: dict[str, dict[str, Any]] = {}
        for p in ctx.pages("purpose IN ('home','page')"):
            for u in {p["url"], p.get("final_url") or p["url"]}:
                n = normalize(u)
                prev = out.get(n)
                # prefer a rendered fetch, then the latest one
                if prev is None or (p.get("rendered") or 0) >= (prev.get("rendered") or 0):
                    out[n] = p
        ctx.extras["_pages_by_url"] = out
    return ctx.extras["_pages_by_url"]


def stored_page(ctx: CheckContext, url: str) -> dict[str, Any] | None:
    p = _pages_by_url(ctx).get(normalize(url))
    if p is None or p.get("reason") or (p.get("status") or 0) >= 400 or not p.get("sha256"):
        return None
    return p


def page_root(ctx: CheckContext, url: str) -> tuple[dict[str, Any] | None, Any]:
    """The stored page of a URL and its parsed tree (cached), or (None, None)."""
    cache = ctx.extras.setdefault("_roots", {})
    n = normalize(url)
    if n not in cache:
        page = stored_page(ctx, url)
        root = None
        if page is not None:
            text = ctx.body_text(page)
            root = parse(text) if text else None
        cache[n] = (page, root)
    return cache[n]


def links_from(ctx: CheckContext, source_url: str) -> list[tuple[str, str]]:
    """(target, anchor text) of the <a>/<area> links stored for one crawled page."""
    page = stored_page(ctx, source_url)
    if page is None:
        return []
    rows = ctx.store.db.query("SELECT target, text FROM links WHERE run_id=? AND page_id=? AND tag IN ('a','area')",
                              [ctx.run_id, page["id"]])
    return [(r["target"], r["text"] or "") for r in rows]


_links_from = links_from  # kept for callers of the first version


def rendered_links(ctx: CheckContext, page_url: str) -> list[tuple[str, str]]:
    """(href, text) of the links a browser saw on a page the crawler rendered (home page and
    platform entry, crawler/render.py); empty when nothing was rendered."""
    try:
        rows = ctx.store.db.query("SELECT href, text FROM rendered_links WHERE run_id=? AND unit_id=? AND page_url=?",
                                  [ctx.run_id, ctx.unit.id, page_url])
        return [(normalize(r["href"]) if (r["href"] or "").startswith("http") else r["href"], r["text"] or "")
                for r in rows if r["href"]]
    except Exception:  # noqa: BLE001 — no rendered_links table in this store
        return []

# words every column label of interest contains; prefilters the links table in SQL (one scan)
_LABEL_WORDS = ("公开", "指南", "年报", "报告", "制度", "申请")


def _candidate_links(ctx: CheckContext) -> dict[str, list[tuple[str, str]]]:
    """source page URL -> (target, text) of its links whose text may name a platform column,
    in crawl order (home first, then breadth-first)."""
    if "_candidate_links" not in ctx.extras:
        cond = " OR ".join("l.text LIKE ?" for _ in _LABEL_WORDS)
        rows = ctx.store.db.query(
            "SELECT p.url AS source, l.target, l.text FROM links l JOIN pages p ON p.id = l.page_id "
            f"WHERE l.run_id=? AND l.unit_id=? AND l.tag IN ('a','area') AND length(l.text) <= 60 AND ({cond}) "
            "ORDER BY p.depth, p.id", [ctx.run_id, ctx.unit.id, *[f"%{w}%" for w in _LABEL_WORDS]])
        out: dict[str, list[tuple[str, str]]] = {}
        for r in rows:
            out.setdefault(r["source"], []).append((r["target"], r["text"] or ""))
        ctx.extras["_candidate_links"] = out
    return ctx.extras["_candidate_links"]


def _inside(url: str, base: str) -> bool:
    """url lies in the platform area: same host, under the platform page's folder."""
    a, b = urlsplit(url), urlsplit(base)
    if a.hostname != b.hostname:
        return False
    return a.path.startswith(b.path.rsplit("/", 1)[0] + "/")


def _pinned(ctx: CheckContext, pats: dict[str, list[re.Pattern[str]]]) -> dict[str, ColumnHit]:
    out: dict[str, ColumnHit] = {}
    for name, url in (ctx.unit.columns or {}).items():
        key = name if name in pats else (match_label(name, pats) or (None,))[0]
        if key:
            out[key] = ColumnHit(key, name, normalize(url), "config", "pinned", -1)
    return out


def discover(ctx: CheckContext) -> Platform:
    if "platform" in ctx.extras:
        return ctx.extras["platform"]
    pats = compile_patterns(ctx.settings(PATTERNS_RULE).get("patterns"))
    plat = Platform()
    pinned = _pinned(ctx, pats)
    home = ctx.home
    home_url = home["url"] if home else ctx.unit.url
    # 1. the platform
    cands = _candidate_links(ctx)
    plat.platform = pinned.get("platform")
    if plat.platform is None:
        def others(src: str, links: list[tuple[str, str]]) -> list[tuple[str, str]]:
            # a link to the page itself (a menu header with href="#") does not make it the platform
            return [(t, x) for t, x in links if normalize(t) != normalize(src)]

        hits = find_columns(others(home_url, links_from(ctx, home_url)), home_url, pats, ["platform"]).get("platform")
        if not hits:
            for src, links in cands.items():
                hits = find_columns(others(src, links), src, pats, ["platform"]).get("platform")
                if hits:
                    break
        if hits:
            plat.platform = hits[0]
    # 2. the sub-columns: platform page, pages inside the platform, then anywhere
    sub_keys = [*SUBCOLUMNS, "request"]
    found: dict[str, ColumnHit] = {k: v for k, v in pinned.items() if k in sub_keys}
    order: list[str] = []
    if plat.platform is not None:
        order.append(plat.platform.url)
        order += [u for u in cands if _inside(u, plat.platform.url) and u not in order]
    order += [u for u in cands if u not in order]
    for src in order:
        if all(k in found for k in sub_keys):
            break
        plat.searched.append(src)
        links = cands.get(src)
        if links is None:
            links = links_from(ctx, src)
        if plat.platform is not None and src == plat.platform.url:
            links = links + rendered_links(ctx, src)  # menus a script builds
        hits = find_columns(links, src, pats, [k for k in sub_keys if k not in found])
        for k, hs in hits.items():
            found.setdefault(k, hs[0])
    plat.subs = {k: found.get(k) for k in sub_keys}
    plat.searched = plat.searched[:50]
    plat.columns = _columns(ctx, plat, pinned, home_url)
    ctx.extras["platform"] = plat
    return plat


def _columns(ctx: CheckContext, plat: Platform, pinned: dict[str, ColumnHit], home_url: str) -> list[Column]:
    classes = ctx.settings(STALE_RULE).get("classes") or None
    skip = {normalize_label(s) for s in ctx.settings(BLANK_RULE).get("skip_labels", SKIP_LABELS)}
    max_len = int(ctx.settings(BLANK_RULE).get("max_label_length", 12))
    cols: dict[str, Column] = {}

    def add(label: str, url: str, source: str, how: str, key: str | None = None) -> None:
        n = normalize(url)
        if n == normalize(home_url) or n in cols and (cols[n].how != "link" or how == "link"):
            if n in cols and key and not cols[n].key:
                cols[n].key = key
            return
        page = stored_page(ctx, url)
        if page is None:
            return
        cols[n] = Column(label=label, url=page["url"], source=source, how=how, key=key,
                         fresh_class=freshness_class(label, classes), page=page)

    for key, hit in pinned.items():
        if key not in CANONICAL:
            add(hit.label, hit.url, "config", "pinned")
    for key, hit in plat.subs.items():
        if hit is not None:
            add(CANONICAL.get(key, key) if hit.how == "pinned" else hit.label, hit.url, hit.source,
                "pinned" if hit.how == "pinned" else "sub-column", key)
    sources = [home_url]
    if plat.platform is not None:
        sources.append(plat.platform.url)
    for k in ("statutory", "guide", "system", "annual"):
        if plat.subs.get(k) is not None:
            sources.append(plat.subs[k].url)  # type: ignore[union-attr]
    more: list[tuple[str, str]] = []
    for src in dict.fromkeys(sources):
        for target, text in links_from(ctx, src):
            label = normalize_label(text)
            if not label or label in skip:
                if label in ("更多", "") or re.fullmatch(r"更多.*|more", label, re.I):
                    more.append((target, src))
                continue
            if len(label) > max_len or len(label) < 2:
                continue
            add(" ".join(text.split()), target, src, "link")
    for target, src in more:  # "更多>>" links name their column by the page's own meta/title
        if normalize(target) in cols:
            continue
        page, root = page_root(ctx, target)
        if root is None:
            continue
        meta = meta_tags(root)
        label = meta.get("ColumnName") or title_of(root).split("_")[0].split("-")[0].strip()
        if label and len(normalize_label(label)) <= max_len:
            add(label, target, src, "link")
    return [c for c in cols.values() if not _is_article(ctx, c)]


def _is_article(ctx: CheckContext, col: Column) -> bool:
    """A short-titled article linked from the home page is not a column: it states its own
    publish date and carries no dated list (an attachment list is not a column list)."""
    if col.how != "link" or col.key:
        return False
    _, root = page_root(ctx, col.url)
    if root is None or publish_date(root) is None:
        return False
    lp = listing(ctx, col.url)
    return lp is None or lp.dated == 0


def rendered_page(ctx: CheckContext, url: str) -> tuple[dict[str, Any] | None, Any]:
    """The DOM a browser built for a page whose list a script fills (crawler/render.py stores it
    as a page row with purpose 'rendered'), parsed; (None, None) when it was not rendered."""
    if "_rendered_rows" not in ctx.extras:
        ctx.extras["_rendered_rows"] = {normalize(p["url"]): p for p in ctx.pages("purpose='rendered' AND sha256 IS NOT NULL")}
    cache = ctx.extras.setdefault("_rendered_roots", {})
    n = normalize(url)
    if n not in cache:
        page = ctx.extras["_rendered_rows"].get(n)
        text = ctx.body_text(page) if page else None
        cache[n] = (page, parse(text)) if text else (None, None)
    return cache[n]


def render_error(ctx: CheckContext, url: str) -> str | None:
    """Why the browser could not render a page, when it tried and failed."""
    try:
        row = next(iter(ctx.store.db.query(
            "SELECT error FROM renders WHERE run_id=? AND unit_id=? AND url=? AND error IS NOT NULL LIMIT 1",
            [ctx.run_id, ctx.unit.id, normalize(url)])), None)
    except Exception:  # noqa: BLE001 — no renders table: this store was never rendered
        return None
    return row["error"] if row else None


def frames(ctx: CheckContext, root: Any, page_url: str) -> list[tuple[str, dict[str, Any] | None, Any]]:
    """(URL, stored page, parsed tree) of the <iframe>/<frame>s in a page's main area: older CMSs
    show a column's list in a frame. Page and tree are None for a frame that was not crawled."""
    out = []
    for fr in root.iter("iframe", "frame") if root is not None else ():
        src = (fr.get("src") or "").strip()
        if not src or src.lower().startswith(("javascript:", "about:", "data:", "#")) \
                or is_chrome(fr) or any(is_chrome(a) for a in fr.iterancestors()):
            continue
        url = absolute(page_url, src)
        if url and url.startswith("http") and normalize(url) != normalize(page_url):
            out.append((url, *page_root(ctx, url)))
    return out


def _page_list(ctx: CheckContext, url: str) -> ListPage | None:
    """The list on one stored page; when the HTML has none, the list in one of its frames
    (ListPage.url is then the frame's), else the rendered DOM's list (a script fills it)."""
    page, root = page_root(ctx, url)
    if page is None:
        return None
    lp = extract_list(root, page["url"], ctx.today)
    if lp.items:
        return lp
    for _, fpage, froot in frames(ctx, root, page["url"]):
        framed = extract_list(froot, fpage["url"], ctx.today) if fpage is not None else None
        if framed is not None and (framed.items or framed.placeholder or framed.total_items == 0):
            return framed
    _, rroot = rendered_page(ctx, url)
    if rroot is None:
        return lp
    lr = extract_list(rroot, page["url"], ctx.today)
    lr.rendered = True
    lr.js_list, lr.js_pager = lr.js_list or lp.js_list, lr.js_pager or lp.js_pager
    return lr


def shown_page(ctx: CheckContext, col_url: str, lp: ListPage) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The stored page whose list a column shows — the browser's DOM when a script fills it, the
    frame page when it sits in a frame — and Evidence fields saying so."""
    if lp.rendered:
        page = rendered_page(ctx, col_url)[0]
        return page, {"screenshot": (page or {}).get("screenshot"), "note": "list as rendered in Chromium"}
    if normalize(lp.url) != normalize(col_url):
        return stored_page(ctx, lp.url), {"note": f"list shown in a frame of {col_url}"}
    return stored_page(ctx, col_url), {}


def listing(ctx: CheckContext, url: str) -> ListPage | None:
    """The list of a column over its crawled pagination pages (up to column.stale max_list_pages);
    read from the rendered DOM where the HTML list is empty and the crawler rendered the page."""
    cache = ctx.extras.setdefault("_listings", {})
    n = normalize(url)
    if n in cache:
        return cache[n]
    lp = _page_list(ctx, url)
    if lp is None:
        cache[n] = None
        return None
    max_pages = int(ctx.settings(STALE_RULE).get("max_list_pages", 3))
    seen = {normalize(lp.url)}
    nxt = list(lp.next_pages) or _by_number(lp.page_links)
    pages_read = 1
    while nxt and pages_read < max_pages:
        u = nxt.pop(0)
        if normalize(u) in seen:
            continue
        seen.add(normalize(u))
        more = _page_list(ctx, u)
        if more is None:
            continue
        known = {i.url for i in lp.items}
        lp.items.extend(i for i in more.items if i.url not in known)
        nxt = (list(more.next_pages) or _by_number(more.page_links)) + nxt
        pages_read += 1
    cache[n] = lp
    return lp


def _by_number(urls: list[str]) -> list[str]:
    """Page-number links (index_1.html, ?page=2) in page order, when a pager has no 下一页 link."""
    def num(u: str) -> int:
        m = re.findall(r"\d+", u.rsplit("/", 1)[-1])
        return int(m[-1]) if m else 0
    return sorted(urls, key=num)


def main_of(ctx: CheckContext, url: str) -> tuple[str, list[tuple[str, str]]]:
    _, root = page_root(ctx, url)
    return main_content(root)


def today_minus(ctx: CheckContext, d: dt.date) -> int:
    return (ctx.today - d).days


__all__ = ["Platform", "Column", "discover", "listing", "page_root", "rendered_page", "render_error", "stored_page",
           "shown_page", "frames", "main_of"]
