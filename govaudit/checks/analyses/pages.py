"""SitePages: the unit's stored pages by URL, parsed on demand and kept for every rule of the unit.

    site = ctx.get(SitePages)
    site.stored(url)            # the stored page row of a URL (a usable fetch), or None
    site.root(url)              # (stored page row, parsed root) or (None, None)
    site.links_from(url)        # (target, anchor text) of the <a>/<area> links stored for a page
    site.rendered_links(url)    # (href, text) of the links a browser saw on a rendered page
    site.rendered(url)          # (row, root) of the DOM the crawler rendered, or (None, None)
    site.render_error(url)      # why the browser could not render a page
    site.frames(root, url)      # the <iframe>/<frame>s of a page's main area, with their pages
    site.listing(url)           # ListPage of a column over its crawled pagination pages
    site.shown_page(url, lp)    # the stored page whose list a column shows, and Evidence fields
    site.main_of(url)           # (text, links) of a page's main area
"""
from __future__ import annotations

import re
from typing import Any

from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract.columns import is_chrome, main_content
from govaudit.extract.html import parse
from govaudit.extract.lists import ListPage, extract_list
from govaudit.model import Purpose
from govaudit.urls import absolute, normalize

STALE_RULE = "column.stale"  # whose `max_list_pages` bounds the pagination pages read per column


class SitePages(Provider):
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self._by_url = self._pages_by_url()
        self._roots: dict[str, tuple[dict[str, Any] | None, Any]] = {}
        self._rendered_rows: dict[str, dict[str, Any]] | None = None
        self._rendered_roots: dict[str, tuple[dict[str, Any] | None, Any]] = {}
        self._listings: dict[str, ListPage | None] = {}

    @classmethod
    def compute(cls, ctx: CheckContext) -> SitePages:
        return cls(ctx)

    def _pages_by_url(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in self.ctx.content_pages():
            for u in {p["url"], p.get("final_url") or p["url"]}:
                n = normalize(u)
                prev = out.get(n)
                # prefer a rendered fetch, then the latest one
                if prev is None or (p.get("rendered") or 0) >= (prev.get("rendered") or 0):
                    out[n] = p
        return out

    def stored(self, url: str) -> dict[str, Any] | None:
        p = self._by_url.get(normalize(url))
        if p is None or p.get("reason") or (p.get("status") or 0) >= 400 or not p.get("sha256"):
            return None
        return p

    def root(self, url: str) -> tuple[dict[str, Any] | None, Any]:
        """The stored page of a URL and its parsed tree (cached), or (None, None)."""
        n = normalize(url)
        if n not in self._roots:
            page = self.stored(url)
            root = None
            if page is not None:
                text = self.ctx.body_text(page)
                root = parse(text) if text else None
            self._roots[n] = (page, root)
        return self._roots[n]

    def links_from(self, source_url: str) -> list[tuple[str, str]]:
        """(target, anchor text) of the <a>/<area> links stored for one crawled page."""
        page = self.stored(source_url)
        if page is None:
            return []
        rows = self.ctx.store.db.query(
            "SELECT target, text FROM links WHERE run_id=? AND page_id=? AND tag IN ('a','area')",
            [self.ctx.run_id, page["id"]])
        return [(r["target"], r["text"] or "") for r in rows]

    def rendered_links(self, page_url: str) -> list[tuple[str, str]]:
        """(href, text) of the links a browser saw on a page the crawler rendered (home page and
        platform entry, crawler/render.py); empty when nothing was rendered."""
        ctx = self.ctx
        try:
            rows = ctx.store.db.query(
                "SELECT href, text FROM rendered_links WHERE run_id=? AND unit_id=? AND page_url=?",
                [ctx.run_id, ctx.unit.id, page_url])
            return [(normalize(r["href"]) if (r["href"] or "").startswith("http") else r["href"], r["text"] or "")
                    for r in rows if r["href"]]
        except Exception:  # noqa: BLE001 — no rendered_links table in this store
            return []

    def rendered(self, url: str) -> tuple[dict[str, Any] | None, Any]:
        """The DOM a browser built for a page whose list a script fills (crawler/render.py stores it
        as a page row with purpose 'rendered'), parsed; (None, None) when it was not rendered."""
        if self._rendered_rows is None:
            self._rendered_rows = {normalize(p["url"]): p
                                   for p in self.ctx.pages("sha256 IS NOT NULL", purposes=(Purpose.RENDERED,))}
        n = normalize(url)
        if n not in self._rendered_roots:
            page = self._rendered_rows.get(n)
            text = self.ctx.body_text(page) if page else None
            self._rendered_roots[n] = (page, parse(text)) if text else (None, None)
        return self._rendered_roots[n]

    def render_error(self, url: str) -> str | None:
        """Why the browser could not render a page, when it tried and failed."""
        ctx = self.ctx
        try:
            row = next(iter(ctx.store.db.query(
                "SELECT error FROM renders WHERE run_id=? AND unit_id=? AND url=? AND error IS NOT NULL LIMIT 1",
                [ctx.run_id, ctx.unit.id, normalize(url)])), None)
        except Exception:  # noqa: BLE001 — no renders table: this store was never rendered
            return None
        return row["error"] if row else None

    def frames(self, root: Any, page_url: str) -> list[tuple[str, dict[str, Any] | None, Any]]:
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
                out.append((url, *self.root(url)))
        return out

    def _page_list(self, url: str) -> ListPage | None:
        """The list on one stored page; when the HTML has none, the list in one of its frames
        (ListPage.url is then the frame's), else the rendered DOM's list (a script fills it)."""
        page, root = self.root(url)
        if page is None:
            return None
        today = self.ctx.today
        lp = extract_list(root, page["url"], today)
        if lp.items:
            return lp
        for _, fpage, froot in self.frames(root, page["url"]):
            framed = extract_list(froot, fpage["url"], today) if fpage is not None else None
            if framed is not None and (framed.items or framed.placeholder or framed.total_items == 0):
                return framed
        _, rroot = self.rendered(url)
        if rroot is None:
            return lp
        lr = extract_list(rroot, page["url"], today)
        lr.rendered = True
        lr.js_list, lr.js_pager = lr.js_list or lp.js_list, lr.js_pager or lp.js_pager
        return lr

    def shown_page(self, col_url: str, lp: ListPage) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """The stored page whose list a column shows — the browser's DOM when a script fills it, the
        frame page when it sits in a frame — and Evidence fields saying so."""
        if lp.rendered:
            page = self.rendered(col_url)[0]
            return page, {"screenshot": (page or {}).get("screenshot"), "note": "list as rendered in Chromium"}
        if normalize(lp.url) != normalize(col_url):
            return self.stored(lp.url), {"note": f"list shown in a frame of {col_url}"}
        return self.stored(col_url), {}

    def listing(self, url: str) -> ListPage | None:
        """The list of a column over its crawled pagination pages (up to column.stale max_list_pages);
        read from the rendered DOM where the HTML list is empty and the crawler rendered the page."""
        n = normalize(url)
        if n not in self._listings:
            self._listings[n] = self._read_listing(url)
        return self._listings[n]

    def _read_listing(self, url: str) -> ListPage | None:
        lp = self._page_list(url)
        if lp is None:
            return None
        max_pages = int(self.ctx.settings(STALE_RULE)["max_list_pages"])
        seen = {normalize(lp.url)}
        nxt = list(lp.next_pages) or _by_number(lp.page_links)
        pages_read = 1
        while nxt and pages_read < max_pages:
            u = nxt.pop(0)
            if normalize(u) in seen:
                continue
            seen.add(normalize(u))
            more = self._page_list(u)
            if more is None:
                continue
            known = {i.url for i in lp.items}
            lp.items.extend(i for i in more.items if i.url not in known)
            nxt = (list(more.next_pages) or _by_number(more.page_links)) + nxt
            pages_read += 1
        return lp

    def main_of(self, url: str) -> tuple[str, list[tuple[str, str]]]:
        _, root = self.root(url)
        return main_content(root)


def _by_number(urls: list[str]) -> list[str]:
    """Page-number links (index_1.html, ?page=2) in page order, when a pager has no 下一页 link."""
    def num(u: str) -> int:
        m = re.findall(r"\d+", u.rsplit("/", 1)[-1])
        return int(m[-1]) if m else 0
    return sorted(urls, key=num)
