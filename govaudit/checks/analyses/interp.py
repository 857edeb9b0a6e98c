"""The interpretation analysis shared by the interp.* rules, computed once per unit.

Finds the 政策解读 and 政策文件/规范性文件 columns, the interpretations (column items, and pages whose
title says 解读/图解/一图读懂/问答/答记者问) and the policy documents (column items, pages with their
own 文号, pages an interpretation links as its 相关文件/原文), then pairs each interpretation with
its document: by hyperlink first (both ways, or one way), then by the quoted title 《…》, then by
文号. Rules request it as `ctx.get(InterpPairs)`.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract import interp as X
from govaudit.extract.columns import normalize_label
from govaudit.extract.html import parse
from govaudit.extract.lists import extract_list
from govaudit.extract.page import meta_tags
from govaudit.extract.workdays import OutOfRange, workdays_between
from govaudit.model import Purpose
from govaudit.urls import normalize

log = logging.getLogger("govaudit.checks.interp")

# Vocabularies (overridable under `interp.unlinked` in config/rules.yaml; they drive every interp.* rule).
VOCAB_DEFAULTS: dict[str, Any] = {
    "interp_column_names": list(X.INTERP_COLUMN_NAMES),
    "doc_column_names": list(X.DOC_COLUMN_NAMES),
    "interp_title_words": list(X.INTERP_TITLE_WORDS),
    "doc_labels": list(X.DOC_LABELS),
    "interp_labels": list(X.INTERP_LABELS),
    "no_interp_reasons": list(X.NO_INTERP_REASONS),
    # titles that say 解读 but are no policy interpretation (statistics, economic data)
    "not_interp_words": ["数据解读", "统计解读", "统计数据", "经济运行", "数据发布", "指数解读"],
    # words that make a title an interpretation by themselves; the others (问答, 答记者问,
    # 新闻发布会) count outside the 政策解读 column only when the page names a policy
    "strong_title_words": ["解读", "图解", "一图读懂", "一图看懂"],
    "max_list_pages": 50,   # pagination pages read per 政策解读/政策文件 column
}


@dataclass
class Entry:
    page: dict[str, Any]
    facts: X.PageFacts
    role: str                        # "interp" | "doc"
    column: str | None = None        # the column label that lists it
    via: str = ""                    # why it is in the set: "column", "title", "文号", "linked"

    @property
    def url(self) -> str:
        return self.page["url"]

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.facts.date) if self.facts.date else None

    def brief(self) -> dict[str, Any]:
        f = self.facts
        return {"url": self.url, "title": f.title, "date": f.date, "date_source": f.date_source,
                "doc_numbers": f.doc_numbers, "column": self.column, "via": self.via}


@dataclass
class Pair:
    interp: Entry
    doc: Entry | None = None
    doc_url: str | None = None              # the document when it is not a crawled page (other site, file)
    method: str = "none"                    # link-both | link-interp-to-doc | link-doc-to-interp | title | docno | link-external | none
    interp_to_doc: bool = False             # a working static link on the interpretation to its document
    doc_to_interp: bool = False             # a working static link on the document to the interpretation
    broken: list[dict[str, Any]] = field(default_factory=list)  # labelled links whose target failed

    def to_dict(self, gap: dict[str, Any] | None = None) -> dict[str, Any]:
        i = self.interp
        return {
            "interp": i.brief(), "form": i.facts.form, "form_label": X.FORM_LABELS[i.facts.form],
            "form_signals": i.facts.form_signals,
            "doc": self.doc.brief() if self.doc else ({"url": self.doc_url} if self.doc_url else None),
            "method": self.method, "interp_to_doc": self.interp_to_doc, "doc_to_interp": self.doc_to_interp,
            "broken_links": self.broken, **(gap or {}),
        }


@dataclass
class InterpPairs(Provider):
    interp_columns: list[str] = field(default_factory=list)
    interp_columns_uncrawled: list[dict[str, Any]] = field(default_factory=list)  # linked, not crawled
    doc_columns: list[str] = field(default_factory=list)
    interps: list[Entry] = field(default_factory=list)
    docs: list[Entry] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    pages_read: int = 0

    def pairs_of_doc(self, doc: Entry) -> list[Pair]:
        return [p for p in self.pairs if p.doc is doc]

    @classmethod
    def compute(cls, ctx: CheckContext) -> InterpPairs:
        out = cls()
        r = _Reader(ctx, out)
        interp_cols, doc_cols = r.column_urls(r.interp_match, INTERP_KEYS), r.column_urls(r.doc_match, DOC_KEYS)
        r.column_pages = set(interp_cols) | set(doc_cols)
        interp_items = r.items_of(interp_cols)
        interp_files = [(label, i) for label in set(interp_cols.values()) for i in r.file_items.get(label, [])]
        doc_items = r.items_of(doc_cols)
        out.interp_columns = [r.rows[u]["url"] for u in interp_cols]
        out.doc_columns = [r.rows[u]["url"] for u in doc_cols]
        out.interp_columns_uncrawled = list(r.uncrawled.values())[:5]
        r.read_candidates(interp_items, doc_items)
        r.add_linked_docs()
        r.add_file_interps(interp_files)
        out.interps = [e for e in r.entries.values() if e.role == "interp"]
        out.docs = [e for e in r.entries.values() if e.role == "doc"]
        log.debug("unit %s: %d interpretations, %d documents, %d pages read", ctx.unit.id, len(out.interps),
                  len(out.docs), out.pages_read)
        _pair_all(ctx, out, r.rows, list(r.entries.values()))
        return out


def _policy_interp(f: X.PageFacts, v: dict[str, Any]) -> bool:
    """A page outside the 政策解读 column whose title says 解读/问答 … is a policy interpretation unless
    it is about data (数据解读), and — for the weak words — only when it names a policy."""
    bare = X.bare_title(f.title)
    if any(w in bare for w in v["not_interp_words"]):
        return False
    if any(w in bare for w in v["strong_title_words"]):
        return True
    return bool(f.ref_keys or f.mentioned_numbers or f.doc_links)


def vocab(ctx: CheckContext) -> dict[str, Any]:
    """The vocabularies, as validated under `interp.unlinked` (config/rules.yaml)."""
    conf = ctx.settings("interp.unlinked")
    return {k: conf[k] for k in VOCAB_DEFAULTS}


def _label_matcher(names: list[str]) -> Any:
    """text -> the column name it is (folded as govaudit/extract/columns.py folds labels), cached."""
    wanted = {normalize_label(n): n for n in names}
    cache: dict[str, str | None] = {}

    def match(text: str | None) -> str | None:
        t = text or ""
        if t not in cache:
            cache[t] = wanted.get(normalize_label(t)) if len(t) <= 40 else None
        return cache[t]

    return match


INTERP_KEYS = ("政策解读", "interp", "zcjd")                 # unit config `columns:` names that pin the column
DOC_KEYS = ("政策文件", "规范性文件", "docs", "zcwj")


class _Reader:
    """One unit's interpretation analysis, step by step: the columns, their items, the candidate
    pages read into facts, and the entries (interpretations and documents) they yield."""

    def __init__(self, ctx: CheckContext, out: InterpPairs) -> None:
        self.ctx, self.out = ctx, out
        self.v = vocab(ctx)
        self.rows = {normalize(p["url"]): p for p in ctx.content_pages(
            "status >= 200 AND status < 300 AND "
            "(content_type IS NULL OR content_type = '' OR content_type LIKE '%html%')")}
        for p in list(self.rows.values()):
            if p.get("final_url"):
                self.rows.setdefault(normalize(p["final_url"]), p)
        # The links are many (every navigation link of every page): only those whose text names a
        # column are kept; the per-page lists (the list fallback of items_of) are built on first use.
        self.interp_match = _label_matcher(self.v["interp_column_names"])
        self.doc_match = _label_matcher(self.v["doc_column_names"])
        self.link_sql = ("SELECT source_url, target, text FROM links WHERE run_id=? AND unit_id=? AND tag IN ('a','area')",
                         [ctx.run_id, ctx.unit.id])
        self.labelled = [ln for ln in ctx.store.conn.execute(*self.link_sql)
                         if self.interp_match(ln[2]) or self.doc_match(ln[2])]
        self.links_memo: dict[str, list[tuple[str, str | None, str | None]]] = {}
        self.sources_memo: dict[str, set[str]] = {}
        self.nav_threshold = max(3, len(self.rows) // 4)
        self.uncrawled: dict[str, dict[str, Any]] = {}
        self.column_pages: set[str] = set()
        self.list_dates: dict[str, tuple[dt.date, str]] = {}
        self.file_items: dict[str, list[Any]] = {}
        self.facts: dict[str, X.PageFacts] = {}
        self.entries: dict[str, Entry] = {}

    def links_from(self, page_url: str) -> list[tuple[str, str | None, str | None]]:
        if not self.links_memo:
            shared: dict[Any, Any] = {}  # one string object per distinct URL and text
            for ln in self.ctx.store.conn.execute(*self.link_sql):
                self.links_memo.setdefault(shared.setdefault(ln[0], ln[0]), []).append(
                    tuple(shared.setdefault(x, x) for x in ln))  # type: ignore[arg-type]
        return self.links_memo.get(page_url, [])

    def sources_of(self, t: str) -> set[str]:
        """The pages that link the (normalised) target t; built on first use (list fallback only)."""
        if not self.sources_memo:
            self.links_from("")
            for lns in self.links_memo.values():
                for src, target, _ in lns:
                    self.sources_memo.setdefault(normalize(target or ""), set()).add(src)
        return self.sources_memo.get(t, set())

    def column_urls(self, label_match: Any, pinned_keys: tuple[str, ...]) -> dict[str, str]:
        """The columns (pinned in the unit config, else found by anchor text): page key -> name."""
        rows = self.rows
        found: dict[str, str] = {}
        for k, url in self.ctx.unit.columns.items():
            if k in pinned_keys and url and normalize(url) in rows:
                found[normalize(url)] = k
        if found:
            return found
        for src, target, text in self.labelled:  # in link order, as every link would be read
            name = label_match(text)
            if not name:
                continue
            t = normalize(target or "")
            if t in rows:
                found.setdefault(normalize(rows[t]["url"]), name)
            elif t.startswith("http") and pinned_keys[0] == INTERP_KEYS[0]:
                self.uncrawled.setdefault(t, {"url": target, "text": text, "source": src})
        return found

    def items_of(self, cols: dict[str, str]) -> dict[str, str]:
        """item url -> column label, over each column page and its crawled pagination pages:
        the list extractor (govaudit/extract/lists.py) first, the column page's links as a fallback."""
        items: dict[str, str] = {}
        max_pages = int(self.v["max_list_pages"])
        for col, label in cols.items():
            queue, seen = [col], {col}
            while queue and len(seen) <= max_pages:
                found = self._list_items(queue.pop(0), label, queue, seen)
                for t in found:
                    if t in self.rows and t not in self.column_pages:
                        items.setdefault(normalize(self.rows[t]["url"]), label)
        return items

    def _list_items(self, page_url: str, label: str, queue: list[str], seen: set[str]) -> list[str]:
        """The (normalised) item URLs of one list page; its pagination pages join the queue."""
        rows = self.rows
        page = rows[page_url]
        text = self.ctx.body_text(page)
        lp = extract_list(parse(text) if text else None, page["url"], self.ctx.today)
        for u in lp.next_pages + lp.page_links:
            t = normalize(u)
            if t in rows and t not in seen:
                seen.add(t)
                queue.append(t)
                self.column_pages.add(t)
        found = [normalize(i.url) for i in lp.items]
        for i in lp.items:
            if i.date is not None:
                self.list_dates.setdefault(normalize(i.url), (i.date, label))
            if normalize(i.url) not in rows:  # a file (图解 image, PDF) or a page on another site
                self.file_items.setdefault(label, []).append(i)
        if not found:  # a list the extractor did not recognise: the page's non-navigation links
            for _, target, ltext in self.links_from(page["url"]):
                t = normalize(target or "")
                if len(" ".join((ltext or "").split())) >= 5 and len(self.sources_of(t)) < self.nav_threshold:
                    found.append(t)
        return found

    def read(self, key: str, text: str | None = None) -> X.PageFacts | None:
        """The facts of one candidate page (parsed once)."""
        if key in self.facts:
            return self.facts[key]
        page = self.rows[key]
        text = text if text is not None else self.ctx.body_text(page)
        if text is None:
            return None
        v = self.v
        root = parse(text)
        f = X.page_facts(root, page["url"], meta_tags(root), page.get("title") or "",
                         interp_words=v["interp_title_words"], doc_labels=v["doc_labels"],
                         interp_labels=v["interp_labels"], no_interp_reasons=v["no_interp_reasons"])
        self.facts[key] = f
        self.out.pages_read += 1
        return f

    def read_candidates(self, interp_items: dict[str, str], doc_items: dict[str, str]) -> None:
        """Column items, pages titled as interpretations and pages with a 文号, read into entries."""
        words = self.v["interp_title_words"]
        seen_pages: set[int] = set()
        for key, page in self.rows.items():
            if page["id"] in seen_pages or key in self.column_pages or page.get("purpose") == Purpose.HOME:
                continue
            seen_pages.add(page["id"])
            key = normalize(page["url"])
            in_i, in_d = key in interp_items, key in doc_items
            title = page.get("title") or ""
            text = None
            if not (in_i or in_d or any(w in title for w in words)):
                text = self.ctx.body_text(page) or ""
                if not X.has_doc_number(text):
                    continue
            f = self.read(key, text or None)
            if f is None:
                continue
            if f.date is None and key in self.list_dates:  # the page shows no date: the column list's date
                d, label = self.list_dates[key]
                f.date, f.date_source = d.isoformat(), f"list:{label}"
            if in_i or (f.interp_title and not in_d and _policy_interp(f, self.v)):
                self.entries[key] = Entry(page, f, "interp", interp_items.get(key), "column" if in_i else "title")
            elif in_d or f.doc_numbers:
                self.entries[key] = Entry(page, f, "doc", doc_items.get(key), "column" if in_d else "文号")

    def add_linked_docs(self) -> None:
        """Documents that an interpretation links as its 相关文件/原文."""
        rows, entries = self.rows, self.entries
        for e in [e for e in entries.values() if e.role == "interp"]:
            for ln in e.facts.doc_links:
                t = normalize(ln.url)
                if ln.static and t in rows and t not in entries and t not in self.column_pages:
                    target = rows[t]
                    tk = normalize(target["url"])
                    if tk in entries or tk in self.column_pages or target.get("purpose") == Purpose.HOME:
                        continue
                    f = self.read(tk)
                    if f is not None and not f.interp_title:
                        entries[tk] = Entry(target, f, "doc", None, "linked")

    def add_file_interps(self, interp_files: list[tuple[str, Any]]) -> None:
        """Interpretations the 政策解读 column lists as files (一图读懂 as a JPG, a PDF, a video file)."""
        ctx = self.ctx
        for label, item in interp_files:
            key = normalize(item.url)
            if key in self.entries or urlsplit(key).hostname not in ctx.unit.scope_hosts():
                continue
            fetched = ctx.store.page_by_url(ctx.run_id, item.url)
            if fetched is None or fetched.get("reason") or not 200 <= (fetched.get("status") or 0) < 300:
                continue
            f = X.file_facts(item.url, item.title, item.date.isoformat() if item.date else None,
                             fetched.get("content_type") or "", label)
            self.entries[key] = Entry(fetched, f, "interp", label, "column-file")


# -- pairing ---------------------------------------------------------------------------------------
@dataclass
class _Index:
    """Lookups that keep pairing linear in the number of pages."""
    by_url: dict[str, Entry]
    docs_by_id: dict[int, Entry]
    linked_from: dict[int, set[int]]                       # interpretation -> documents that link it
    by_key: dict[str, list[Entry]]
    by_number: dict[tuple[int, int], list[tuple[X.DocNo, Entry]]]

    def resolve(self, url: str) -> Entry | None:
        return self.by_url.get(normalize(url))


def _index(out: InterpPairs, entries: list[Entry]) -> _Index:
    by_url: dict[str, Entry] = {}
    for e in entries:
        by_url[normalize(e.url)] = e
        if e.page.get("final_url"):
            by_url.setdefault(normalize(e.page["final_url"]), e)
    idx = _Index(by_url, {id(d): d for d in out.docs}, {}, {}, {})
    for d in out.docs:
        for ln in d.facts.interp_links:
            target = idx.resolve(ln.url) if ln.static else None
            if target is not None and target.role == "interp":
                idx.linked_from.setdefault(id(target), set()).add(id(d))
    for d in out.docs:
        for k in d.facts.title_keys:
            idx.by_key.setdefault(k, []).append(d)
        for t in d.facts.doc_numbers:
            for n in X.doc_numbers(t):
                idx.by_number.setdefault((n.year, n.number), []).append((n, d))
    return idx


def _title_matches(idx: _Index, i: Entry) -> list[tuple[str, Entry]]:
    found: dict[int, tuple[str, Entry]] = {}
    for k in X.interp_keys(i.facts):
        for d in idx.by_key.get(k, ()):
            found.setdefault(id(d), ("title", d))
    for t in i.facts.mentioned_numbers:
        for n in X.doc_numbers(t):
            for own, d in idx.by_number.get((n.year, n.number), ()):
                if own.same(n):
                    found.setdefault(id(d), ("docno", d))
    return list(found.values())


def _pair_all(ctx: CheckContext, out: InterpPairs, rows: dict[str, dict[str, Any]], entries: list[Entry]) -> None:
    """Pair each interpretation with its document: by link, else by title or 文号, else an external link."""
    idx = _index(out, entries)
    for i in out.interps:
        pair = Pair(i)
        matches = _title_matches(idx, i)
        if not _pair_by_link(idx, i, pair, matches):
            if matches:
                pair.method, pair.doc = min(matches, key=lambda md: _rank(i.date, md))
            else:
                _pair_external(ctx, i, pair, rows)
        _broken_links(ctx, i, pair, rows)
        out.pairs.append(pair)


def _pair_by_link(idx: _Index, i: Entry, pair: Pair, matches: list[tuple[str, Entry]]) -> bool:
    """Pair by hyperlink (both ways, or one way); False when no link decides."""
    linked: dict[int, list[bool]] = {}
    for ln in i.facts.doc_links:
        d = idx.resolve(ln.url) if ln.static else None
        if d is not None and d.role == "doc":
            linked.setdefault(id(d), [False, False])[0] = True
    for k in idx.linked_from.get(id(i), ()):
        linked.setdefault(k, [False, False])[1] = True
    matched = {id(d) for _, d in matches}
    if linked and not any(v[0] for v in linked.values()):
        # only documents link it: a sidebar of recent interpretations links every one of them,
        # so a one-way link from a document whose title does not match yields to a title match
        if not (set(linked) & matched) and matched - set(linked):
            linked = {}
    if not linked:
        return False
    best = max(linked, key=lambda k: (sum(linked[k]), linked[k][0], k in matched))
    pair.doc = idx.docs_by_id[best]
    pair.interp_to_doc, pair.doc_to_interp = linked[best]
    pair.method = ("link-both" if all(linked[best]) else
                   "link-interp-to-doc" if linked[best][0] else "link-doc-to-interp")
    return True


def _rank(idate: dt.date | None, md: tuple[str, Entry]) -> tuple[int, int]:
    """Title matches before 文号 matches, then the nearest publish date."""
    m, d = md
    gap = abs((idate - d.date).days) if idate and d.date else 10**6
    return (0 if m == "title" else 1, gap)


def _pair_external(ctx: CheckContext, i: Entry, pair: Pair, rows: dict[str, dict[str, Any]]) -> None:
    """A working static link to a document that is not a crawled page (other site, file)."""
    ext = [ln for ln in i.facts.doc_links if ln.static and normalize(ln.url) not in rows]
    for ln in ext:
        fetched = ctx.store.page_by_url(ctx.run_id, ln.url)
        if fetched is None or (not fetched.get("reason") and (fetched.get("status") or 0) < 400):
            pair.method, pair.doc_url, pair.interp_to_doc = "link-external", ln.url, True
            break


def _broken_links(ctx: CheckContext, i: Entry, pair: Pair, rows: dict[str, dict[str, Any]]) -> None:
    """Labelled links whose target failed: they exist but do not work."""
    for ln, side in [(ln, "interp") for ln in i.facts.doc_links] + (
            [(ln, "doc") for ln in pair.doc.facts.interp_links] if pair.doc else []):
        if not ln.static or normalize(ln.url) in rows:
            continue
        fetched = ctx.store.page_by_url(ctx.run_id, ln.url)
        if fetched is not None and (fetched.get("reason") or (fetched.get("status") or 0) >= 400):
            pair.broken.append({"on": side, "url": ln.url, "text": ln.text,
                                "status": fetched.get("status"), "reason": fetched.get("reason")})


def gap(pair: Pair) -> dict[str, Any]:
    """Calendar and working days from the document's publish date to the interpretation's."""
    i, d = pair.interp.date, pair.doc.date if pair.doc else None
    if i is None or d is None:
        return {"gap_days": None, "gap_workdays": None,
                "gap_note": "publish date not found on " + ("the interpretation" if i is None else "the document")}
    try:
        return {"gap_days": (i - d).days, "gap_workdays": workdays_between(d, i), "gap_note": None}
    except OutOfRange as e:
        return {"gap_days": (i - d).days, "gap_workdays": None, "gap_note": str(e)}
