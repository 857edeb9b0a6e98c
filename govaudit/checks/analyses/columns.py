"""ColumnsAnalysis: the disclosure platform of one unit and the columns judged, computed once per unit.

    cols = ctx.get(ColumnsAnalysis)
    cols.platform                   # ColumnHit | None: the 政府信息公开 column (url, label, how)
    cols.subs["guide"|"system"|"statutory"|"annual"|"request"]   # ColumnHit | None
    cols.columns                    # [Column]: every column judged (nav, home, platform, pinned)
    cols.column(url) / cols.find(label_regex)                    # lookups

The pages it reads (lists, parsed trees, rendered DOMs) come from SitePages (analyses/pages.py).

Where links come from: the stored `links` table (anchor texts, comments excluded at crawl time).
The platform is looked for on the home page first, then on any crawled page; sub-columns on the
platform page first, then on pages inside the platform (same host and path prefix), then
anywhere. A unit's config `columns:` pins URLs by name (platform, guide, system, statutory,
annual, or any column name); pinned ones win and say so (`how="pinned"`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract.columns import (CANONICAL, SUBCOLUMNS, ColumnHit, compile_patterns, find_columns,
                                      freshness_class, match_label, normalize_label)
from govaudit.extract.dates import publish_date
from govaudit.extract.page import meta_tags, title_of
from govaudit.urls import normalize


PATTERNS_RULE = "column.statutory-missing"
STALE_RULE = "column.stale"
BLANK_RULE = "column.blank"
SKIP_LABELS = ["首页", "网站首页", "返回首页", "网站地图", "联系我们", "关于我们", "无障碍", "无障碍浏览", "搜索", "站内搜索",
               "高级搜索", "更多", "登录", "注册", "网站声明", "帮助", "English", "长者模式", "关怀版", "收藏", "打印",
               "关闭", "设为首页", "加入收藏", "RSS", "繁体", "简体", "移动版", "手机版", "适老化", "上一页", "下一页",
               "尾页", "末页"]
# words every column label of interest contains; prefilters the links table in SQL (one scan)
_LABEL_WORDS = ("公开", "指南", "年报", "报告", "制度", "申请")
_SUB_KEYS = [*SUBCOLUMNS, "request"]


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
class ColumnsAnalysis(Provider):
    platform: ColumnHit | None = None
    subs: dict[str, ColumnHit | None] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)   # pages whose links were searched for sub-columns

    needs = (SitePages,)

    def column(self, url: str) -> Column | None:
        n = normalize(url)
        return next((c for c in self.columns if normalize(c.url) == n), None)

    def find(self, pattern: str) -> list[Column]:
        rx = re.compile(pattern)
        return [c for c in self.columns if rx.search(normalize_label(c.label))]

    @classmethod
    def compute(cls, ctx: CheckContext) -> ColumnsAnalysis:
        site = ctx.get(SitePages)
        pats = compile_patterns(ctx.settings(PATTERNS_RULE)["patterns"])
        plat = cls()
        pinned = _pinned(ctx, pats)
        home = ctx.home
        home_url = home["url"] if home else ctx.unit.url
        cands = _candidate_links(ctx)
        plat.platform = pinned.get("platform") or _find_platform(site, cands, home_url, pats)
        _find_subs(site, plat, cands, pinned, pats)
        plat.columns = _columns(ctx, site, plat, pinned, home_url)
        return plat


def _candidate_links(ctx: CheckContext) -> dict[str, list[tuple[str, str]]]:
    """source page URL -> (target, text) of its links whose text may name a platform column,
    in crawl order (home first, then breadth-first)."""
    cond = " OR ".join("l.text LIKE ?" for _ in _LABEL_WORDS)
    rows = ctx.store.db.query(
        "SELECT p.url AS source, l.target, l.text FROM links l JOIN pages p ON p.id = l.page_id "
        f"WHERE l.run_id=? AND l.unit_id=? AND l.tag IN ('a','area') AND length(l.text) <= 60 AND ({cond}) "
        "ORDER BY p.depth, p.id", [ctx.run_id, ctx.unit.id, *[f"%{w}%" for w in _LABEL_WORDS]])
    out: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        out.setdefault(r["source"], []).append((r["target"], r["text"] or ""))
    return out


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


def _others(src: str, links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # a link to the page itself (a menu header with href="#") does not make it the platform
    return [(t, x) for t, x in links if normalize(t) != normalize(src)]


def _find_platform(site: SitePages, cands: dict[str, list[tuple[str, str]]], home_url: str,
                   pats: dict[str, list[re.Pattern[str]]]) -> ColumnHit | None:
    """The platform column: a link on the home page, else on any crawled page (crawl order)."""
    hits = find_columns(_others(home_url, site.links_from(home_url)), home_url, pats, ["platform"]).get("platform")
    if not hits:
        for src, links in cands.items():
            hits = find_columns(_others(src, links), src, pats, ["platform"]).get("platform")
            if hits:
                break
    return hits[0] if hits else None


def _find_subs(site: SitePages, plat: ColumnsAnalysis, cands: dict[str, list[tuple[str, str]]],
               pinned: dict[str, ColumnHit], pats: dict[str, list[re.Pattern[str]]]) -> None:
    """The sub-columns: on the platform page, then pages inside the platform, then anywhere."""
    found: dict[str, ColumnHit] = {k: v for k, v in pinned.items() if k in _SUB_KEYS}
    order: list[str] = []
    if plat.platform is not None:
        order.append(plat.platform.url)
        order += [u for u in cands if _inside(u, plat.platform.url) and u not in order]
    order += [u for u in cands if u not in order]
    for src in order:
        if all(k in found for k in _SUB_KEYS):
            break
        plat.searched.append(src)
        links = cands.get(src)
        if links is None:
            links = site.links_from(src)
        if plat.platform is not None and src == plat.platform.url:
            links = links + site.rendered_links(src)  # menus a script builds
        hits = find_columns(links, src, pats, [k for k in _SUB_KEYS if k not in found])
        for k, hs in hits.items():
            found.setdefault(k, hs[0])
    plat.subs = {k: found.get(k) for k in _SUB_KEYS}
    plat.searched = plat.searched[:50]


def _columns(ctx: CheckContext, site: SitePages, plat: ColumnsAnalysis, pinned: dict[str, ColumnHit],
             home_url: str) -> list[Column]:
    classes = ctx.settings(STALE_RULE)["classes"]
    skip = {normalize_label(s) for s in ctx.settings(BLANK_RULE)["skip_labels"]}
    max_len = int(ctx.settings(BLANK_RULE)["max_label_length"])
    cols: dict[str, Column] = {}

    def add(label: str, url: str, source: str, how: str, key: str | None = None) -> None:
        n = normalize(url)
        if n == normalize(home_url) or n in cols and (cols[n].how != "link" or how == "link"):
            if n in cols and key and not cols[n].key:
                cols[n].key = key
            return
        page = site.stored(url)
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
        for target, text in site.links_from(src):
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
        page, root = site.root(target)
        if root is None:
            continue
        meta = meta_tags(root)
        label = meta.get("ColumnName") or title_of(root).split("_")[0].split("-")[0].strip()
        if label and len(normalize_label(label)) <= max_len:
            add(label, target, src, "link")
    return [c for c in cols.values() if not _is_article(site, c)]


def _is_article(site: SitePages, col: Column) -> bool:
    """A short-titled article linked from the home page is not a column: it states its own
    publish date and carries no dated list (an attachment list is not a column list)."""
    if col.how != "link" or col.key:
        return False
    _, root = site.root(col.url)
    if root is None or publish_date(root) is None:
        return False
    lp = site.listing(col.url)
    return lp is None or lp.dated == 0
