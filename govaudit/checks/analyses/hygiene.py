"""HygieneScan: one pass over a unit's crawled HTML pages, shared by the link-hygiene, content and site rules.

Each page is decoded and parsed once; what the rules need is kept (hidden anchors, anchors and
text matching the illegal vocabulary, obsolete names, the publish date), not the trees. Rules
request it as `ctx.get(HygieneScan)`. The vocabularies are the validated settings of link.illegal
and content.obsolete-name (their defaults: analyses/vocab.py).
"""
from __future__ import annotations

import json
import logging
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.analyses import vocab
from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract.dates import publish_date
from govaudit.extract.fingerprint import normalize_text
from govaudit.extract.html import document_text, parse
from govaudit.extract.page import meta_tags
from govaudit.extract.visibility import LinkVisibility, analyze, linked_stylesheets
from govaudit.urls import host_of, normalize

log = logging.getLogger("govaudit.checks")
ILLEGAL_RULE = "link.illegal"             # whose settings hold the illegal vocabulary
OBSOLETE_RULE = "content.obsolete-name"   # whose settings hold the obsolete institution names


@dataclass
class PageScan:
    page: dict[str, Any]
    anchors: list[LinkVisibility] = field(default_factory=list)   # hidden, script-written or suspicious
    text_terms: list[dict[str, Any]] = field(default_factory=list)  # illegal vocabulary in text
    obsolete: list[dict[str, Any]] = field(default_factory=list)
    publish: Any = None                                           # dates.PublishDate or None
    title: str = ""
    text: str = ""                                                # normalised text (soft-404 fingerprint)
    text_len: int = 0
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class HygieneScan(Provider):
    pages: list[PageScan]
    own_hosts: set[str]
    rendered: dict[str, list[dict[str, Any]]]   # page url -> rendered link verdicts
    renders: dict[str, dict[str, Any]]          # page url -> render row (screenshot …)

    @classmethod
    def compute(cls, ctx: CheckContext) -> HygieneScan:
        scanner = _Scanner(ctx)
        pages = html_pages(ctx)
        own = set(ctx.unit.scope_hosts()) | {host_of(p["final_url"] or p["url"]) for p in pages}
        out: list[PageScan] = []
        fetched = {p["url"] for p in pages}
        for page in pages:
            final = normalize(page["final_url"] or page["url"])
            if page["redirects"] and final != page["url"] and final in fetched:
                continue  # a redirect to a page scanned under its own URL (soft-404 reads the row itself)
            ps = scanner.scan_page(page)
            if ps is not None:
                out.append(ps)
        rendered, renders = load_rendered(ctx)
        return cls(out, {h for h in own if h}, rendered, renders)


def vocabulary(ctx: CheckContext) -> dict[str, Any]:
    """The illegal-content vocabulary: link.illegal's validated settings."""
    return ctx.settings(ILLEGAL_RULE)


def html_pages(ctx: CheckContext) -> list[dict[str, Any]]:
    return [p for p in ctx.content_pages("status BETWEEN 200 AND 299 AND sha256 IS NOT NULL")
            if "html" in (p.get("content_type") or "html").lower()]


class _Scanner:
    """Reads one page at a time; keeps the stylesheets it decoded for the next pages."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.voc = vocabulary(ctx)
        self.obsolete_conf = ctx.settings(OBSOLETE_RULE)
        self.names = {k: v for k, v in self.obsolete_conf["names"].items() if k != "*"}
        self.css = {p["url"]: p["sha256"] for p in ctx.pages("content_type LIKE '%css%' AND sha256 IS NOT NULL")}
        self.css_text: dict[str, str] = {}

    def sheets(self, root: Any, base: str) -> list[str]:
        """The texts of the stored stylesheets a page links."""
        sheets = []
        for u in linked_stylesheets(root, base):
            u = normalize(u)
            if u in self.css:
                if u not in self.css_text:
                    raw = self.ctx.store.body(self.css[u]) or b""
                    self.css_text[u] = raw.decode("utf-8", "replace")
                sheets.append(self.css_text[u])
        return sheets

    def scan_page(self, page: dict[str, Any]) -> PageScan | None:
        text = self.ctx.body_text(page)
        if not text:
            return None
        root = parse(text)
        if root is None:
            return None
        voc, terms = self.voc, self.voc["terms"]
        base = page["final_url"] or page["url"]
        ps = PageScan(page=page, title=page.get("title") or "")
        for lv in analyze(root, base, self.sheets(root, base)):
            if lv.source == "script" and ("<" in lv.url or " " in lv.url):
                continue  # string fragments glued around variables: not a real target
            if lv.hidden or lv.notes or lv.source == "script" or vocab.find_terms(lv.text, terms) \
                    or vocab.host_flag(host_of(lv.url), voc["blocked_hosts"], voc["host_tokens"]):
                ps.anchors.append(lv.finish())
        body_text = document_text(root)
        ps.text, ps.text_len = normalize_text(body_text)[:3000], len(body_text)
        meta = meta_tags(root)
        ps.meta = meta
        try:
            ps.publish = publish_date(root, body_text, meta)
        except Exception:  # a date extractor bug must not hide the other signals
            log.exception("publish_date failed on %s", page["url"])
        if self.names:
            ps.obsolete = find_obsolete(body_text, self.names, self.obsolete_conf["context_words"])
        if vocab.find_terms(body_text + " " + ps.title, terms):
            # text outside links (anchor texts are link.illegal's): drop the anchors, then match
            for a in list(root.iter("a")):
                _drop(a)
            full = ps.title + " " + document_text(root)
            for term, pos in vocab.find_terms(full, terms):
                ps.text_terms.append({"term": term, "pos": pos, "snippet": vocab.snippet(full, pos),
                                      "context": vocab.in_context(full, pos, voc["context_words"])})
        return ps


def _drop(el: Any) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def find_obsolete(text: str, names: dict[str, str], context_words: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for old, new in names.items():
        if old not in text:  # the regex below needs the name itself
            continue
        # 农业部 must not match 农业部门; 文化部 not 文化部门
        for m in re.finditer(re.escape(old) + r"(?!门|署)", text):
            pos = m.start()
            before = text[max(0, pos - 2):pos]
            if "原" in before or "前" in before:
                continue
            ctxw = vocab.in_context(text, pos, context_words, span=30)
            if ctxw:
                continue
            found.append({"name": old, "successor": new, "snippet": vocab.snippet(text, pos)})
            break
    return found


def load_rendered(ctx: CheckContext) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """Rendered link verdicts and renders of this unit (empty when nothing was rendered)."""
    rendered: dict[str, list[dict[str, Any]]] = {}
    renders: dict[str, dict[str, Any]] = {}
    try:
        for r in ctx.store.db.query("SELECT * FROM renders WHERE run_id=? AND unit_id=? ORDER BY rowid",
                                    [ctx.run_id, ctx.unit.id]):
            renders[r["url"]] = r
        for r in ctx.store.db.query("SELECT * FROM rendered_links WHERE run_id=? AND unit_id=? ORDER BY rowid",
                                    [ctx.run_id, ctx.unit.id]):
            r["reasons"] = json.loads(r["reasons"] or "[]")
            rendered.setdefault(r["page_url"], []).append(r)
    except sqlite3.OperationalError:  # tables absent: this store was never rendered
        pass
    return rendered, renders

