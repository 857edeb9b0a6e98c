"""One pass over a unit's crawled HTML pages, shared by the link-hygiene and content rules.

Each page is decoded and parsed once; what the rules need is kept (hidden anchors, anchors and
text matching the illegal vocabulary, obsolete names, the publish date), not the trees. The
result is cached in ctx.extras for the other rules of the same unit.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.content import _vocab as vocab
from govaudit.checks.context import CheckContext
from govaudit.extract.html import document_text, parse
from govaudit.extract.page import meta_tags
from govaudit.extract.visibility import LinkVisibility, analyze, linked_stylesheets
from govaudit.urls import host_of, normalize
from govaudit.extract.fingerprint import normalize_text

log = logging.getLogger("govaudit.checks")
KEY = "hygiene_scan"


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
class Scan:
    pages: list[PageScan]
    own_hosts: set[str]
    rendered: dict[str, list[dict[str, Any]]]   # page url -> rendered link verdicts
    renders: dict[str, dict[str, Any]]          # page url -> render row (screenshot …)


def vocabulary(ctx: CheckContext) -> dict[str, Any]:
    from govaudit.checks.links.illegal import RULE as ILLEGAL

    conf = {**ILLEGAL.defaults, **ctx.settings("link.illegal")}
    return conf


def html_pages(ctx: CheckContext) -> list[dict[str, Any]]:
    return [p for p in ctx.pages("purpose IN ('home','page') AND status BETWEEN 200 AND 299 AND sha256 IS NOT NULL")
            if "html" in (p.get("content_type") or "html").lower()]


def scan(ctx: CheckContext) -> Scan:
    if KEY in ctx.extras:
        return ctx.extras[KEY]
    from govaudit.extract.dates import publish_date

    voc = vocabulary(ctx)
    terms = voc["terms"]
    obsolete_conf = {**_obsolete_defaults(), **ctx.settings("content.obsolete-name")}
    names = {k: v for k, v in obsolete_conf.get("names", {}).items() if k != "*"}
    css = {p["url"]: p["sha256"] for p in ctx.pages("content_type LIKE '%css%' AND sha256 IS NOT NULL")}
    css_text: dict[str, str] = {}
    pages = html_pages(ctx)
    own = set(ctx.unit.scope_hosts()) | {host_of(p["final_url"] or p["url"]) for p in pages}
    out: list[PageScan] = []
    fetched = {p["url"] for p in pages}
    for page in pages:
        final = normalize(page["final_url"] or page["url"])
        if page["redirects"] and final != page["url"] and final in fetched:
            continue  # a redirect to a page scanned under its own URL (soft-404 reads the row itself)
        text = ctx.body_text(page)
        if not text:
            continue
        root = parse(text)
        if root is None:
            continue
        sheets = []
        for u in linked_stylesheets(root, page["final_url"] or page["url"]):
            u = normalize(u)
            if u in css:
                if u not in css_text:
                    raw = ctx.store.body(css[u]) or b""
                    css_text[u] = raw.decode("utf-8", "replace")
                sheets.append(css_text[u])
        ps = PageScan(page=page, title=page.get("title") or "")
        for lv in analyze(root, page["final_url"] or page["url"], sheets):
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
        if names:
            ps.obsolete = find_obsolete(body_text, names, obsolete_conf["context_words"])
        if vocab.find_terms(body_text + " " + ps.title, terms):
            # text outside links (anchor texts are link.illegal's): drop the anchors, then match
            for a in list(root.iter("a")):
                _drop(a)
            full = ps.title + " " + document_text(root)
            for term, pos in vocab.find_terms(full, terms):
                ps.text_terms.append({"term": term, "pos": pos, "snippet": vocab.snippet(full, pos),
                                      "context": vocab.in_context(full, pos, voc["context_words"])})
        out.append(ps)
    rendered, renders = load_rendered(ctx)
    result = Scan(out, {h for h in own if h}, rendered, renders)
    ctx.extras[KEY] = result
    return result


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


def _obsolete_defaults() -> dict[str, Any]:
    from govaudit.checks.content.obsolete_name import RULE

    return RULE.defaults


def find_obsolete(text: str, names: dict[str, str], context_words: list[str]) -> list[dict[str, Any]]:
    import re

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

