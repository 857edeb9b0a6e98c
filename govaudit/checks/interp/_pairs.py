"""The interpretation analysis shared by the interp.* rules, computed once per unit.

Finds the 政策解读 and 政策文件/规范性文件 columns, the interpretations (column items, and pages whose
title says 解读/图解/一图读懂/问答/答记者问) and the policy documents (column items, pages with their
own 文号, pages an interpretation links as its 相关文件/原文), then pairs each interpretation with
its document: by hyperlink first (both ways, or one way), then by the quoted title 《…》, then by
文号. The result is cached in `ctx.extras["interp"]`.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.checks.context import CheckContext
from govaudit.extract import interp as X
from govaudit.extract.columns import normalize_label
from govaudit.urls import normalize

log = logging.getLogger("govaudit.checks.interp")

# Vocabularies (overridable under `interp.unlinked` in config/rules.yaml; they drive every interp.* rule).
VOCAB_DEFAULTS: dict[str, Any] = {
    "interp_column_names": ["政策解读", "解读回应", "政策解读回应", "政策解读与回应", "解读与回应", "政策问答"],
    "doc_column_names": ["政策文件", "规范性文件", "行政规范性文件", "政府文件", "本级政策文件", "政府规章",
                         "政府令", "部门文件"],
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
class Analysis:
    interp_columns: list[str] = field(default_factory=list)
    interp_columns_uncrawled: list[dict[str, Any]] = field(default_factory=list)  # linked, not crawled
    doc_columns: list[str] = field(default_factory=list)
    interps: list[Entry] = field(default_factory=list)
    docs: list[Entry] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    pages_read: int = 0

    def pairs_of_doc(self, doc: Entry) -> list[Pair]:
        return [p for p in self.pairs if p.doc is doc]


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
    conf = ctx.settings("interp.unlinked")
    return {k: conf.get(k, v) for k, v in VOCAB_DEFAULTS.items()}


def analyse(ctx: CheckContext) -> Analysis:
    if "interp" not in ctx.extras:
        ctx.extras["interp"] = _analyse(ctx)
    return ctx.extras["interp"]


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


def _analyse(ctx: CheckContext) -> Analysis:
    v = vocab(ctx)
    out = Analysis()
    rows = {normalize(p["url"]): p for p in ctx.pages(
        "purpose IN ('home','page') AND status >= 200 AND status < 300 AND "
        "(content_type IS NULL OR content_type = '' OR content_type LIKE '%html%')")}
    for p in list(rows.values()):
        if p.get("final_url"):
            rows.setdefault(normalize(p["final_url"]), p)
    # The links are many (every navigation link of every page): only those whose text names a
    # column are kept; the per-page lists (the list fallback of items_of) are built on first use.
    interp_match, doc_match = _label_matcher(v["interp_column_names"]), _label_matcher(v["doc_column_names"])
    link_sql = ("SELECT source_url, target, text FROM links WHERE run_id=? AND unit_id=? AND tag IN ('a','area')",
                [ctx.run_id, ctx.unit.id])
    labelled = [ln for ln in ctx.store.conn.execute(*link_sql) if interp_match(ln[2]) or doc_match(ln[2])]
    links_memo: dict[str, list[tuple[str, str | None, str | None]]] = {}
    sources_memo: dict[str, set[str]] = {}

    def links_from(page_url: str) -> list[tuple[str, str | None, str | None]]:
        if not links_memo:
            shared: dict[Any, Any] = {}  # one string object per distinct URL and text
            for ln in ctx.store.conn.execute(*link_sql):
                links_memo.setdefault(shared.setdefault(ln[0], ln[0]), []).append(
                    tuple(shared.setdefault(x, x) for x in ln))  # type: ignore[arg-type]
        return links_memo.get(page_url, [])

    def sources_of(t: str) -> set[str]:
        """The pages that link the (normalised) target t; built on first use (list fallback only)."""
        if not sources_memo:
            links_from("")
            for lns in links_memo.values():
                for src, target, _ in lns:
                    sources_memo.setdefault(normalize(target or ""), set()).add(src)
        return sources_memo.get(t, set())
    nav_threshold = max(3, len(rows) // 4)

    # -- columns (pinned in the unit config, else found by anchor text) --
    def column_urls(label_match: Any, pinned_keys: tuple[str, ...]) -> dict[str, str]:
        found: dict[str, str] = {}
        for k, url in ctx.unit.columns.items():
            if k in pinned_keys and url and normalize(url) in rows:
                found[normalize(url)] = k
        if found:
            return found
        for src, target, text in labelled:  # in link order, as every link would be read
            name = label_match(text)
            if not name:
                continue
            t = normalize(target or "")
            if t in rows:
                found.setdefault(normalize(rows[t]["url"]), name)
            elif t.startswith("http") and pinned_keys[0] == "政策解读":
                uncrawled.setdefault(t, {"url": target, "text": text, "source": src})
        return found

    uncrawled: dict[str, dict[str, Any]] = {}

    interp_cols = column_urls(interp_match, ("政策解读", "interp", "zcjd"))
    doc_cols = column_urls(doc_match, ("政策文件", "规范性文件", "docs", "zcwj"))
    column_pages = set(interp_cols) | set(doc_cols)

    def items_of(cols: dict[str, str]) -> dict[str, str]:
        """item url -> column label, over each column page and its crawled pagination pages:
        the list extractor (govaudit/extract/lists.py) first, the column page's links as a fallback."""
        from govaudit.extract.html import parse
        from govaudit.extract.lists import extract_list

        items: dict[str, str] = {}
        max_pages = int(v["max_list_pages"])
        for col, label in cols.items():
            queue, seen = [col], {col}
            while queue and len(seen) <= max_pages:
                page_url = queue.pop(0)
                page = rows[page_url]
                text = ctx.body_text(page)
                lp = extract_list(parse(text) if text else None, page["url"], ctx.today)
                for u in lp.next_pages + lp.page_links:
                    t = normalize(u)
                    if t in rows and t not in seen:
                        seen.add(t)
                        queue.append(t)
                        column_pages.add(t)
                found = [normalize(i.url) for i in lp.items]
                for i in lp.items:
                    if i.date is not None:
                        list_dates.setdefault(normalize(i.url), (i.date, label))
                    if normalize(i.url) not in rows:  # a file (图解 image, PDF) or a page on another site
                        file_items.setdefault(label, []).append(i)
                if not found:  # a list the extractor did not recognise: the page's non-navigation links
                    for _, target, ltext in links_from(page["url"]):
                        t = normalize(target or "")
                        if len(" ".join((ltext or "").split())) >= 5 and len(sources_of(t)) < nav_threshold:
                            found.append(t)
                for t in found:
                    if t in rows and t not in column_pages:
                        items.setdefault(normalize(rows[t]["url"]), label)
        return items

    list_dates: dict[str, tuple[dt.date, str]] = {}
    file_items: dict[str, list[Any]] = {}
    interp_items = items_of(interp_cols)
    interp_files = [(label, i) for label in set(interp_cols.values()) for i in file_items.get(label, [])]
    doc_items = items_of(doc_cols)
    out.interp_columns = [rows[u]["url"] for u in interp_cols]
    out.doc_columns = [rows[u]["url"] for u in doc_cols]
    out.interp_columns_uncrawled = list(uncrawled.values())[:5]

    # -- read the candidate pages --
    words = v["interp_title_words"]
    facts: dict[str, X.PageFacts] = {}

    def read(key: str, text: str | None = None) -> X.PageFacts | None:
        if key in facts:
            return facts[key]
        page = rows[key]
        text = text if text is not None else ctx.body_text(page)
        if text is None:
            return None
        from govaudit.extract.html import parse
        from govaudit.extract.page import meta_tags

        root = parse(text)
        f = X.page_facts(root, page["url"], meta_tags(root), page.get("title") or "",
                         interp_words=words, doc_labels=v["doc_labels"], interp_labels=v["interp_labels"],
                         no_interp_reasons=v["no_interp_reasons"])
        facts[key] = f
        out.pages_read += 1
        return f

    entries: dict[str, Entry] = {}
    seen_pages: set[int] = set()
    for key, page in rows.items():
        if page["id"] in seen_pages or key in column_pages or page.get("purpose") == "home":
            continue
        seen_pages.add(page["id"])
        key = normalize(page["url"])
        in_i, in_d = key in interp_items, key in doc_items
        title = page.get("title") or ""
        text = None
        if not (in_i or in_d or any(w in title for w in words)):
            text = ctx.body_text(page) or ""
            if not X.has_doc_number(text):
                continue
        f = read(key, text or None)
        if f is None:
            continue
        if f.date is None and key in list_dates:  # the page shows no date: the column list's date
            d, label = list_dates[key]
            f.date, f.date_source = d.isoformat(), f"list:{label}"
        if in_i or (f.interp_title and not in_d and _policy_interp(f, v)):
            entries[key] = Entry(page, f, "interp", interp_items.get(key), "column" if in_i else "title")
        elif in_d or f.doc_numbers:
            entries[key] = Entry(page, f, "doc", doc_items.get(key), "column" if in_d else "文号")

    # documents that an interpretation links as its 相关文件/原文
    for e in [e for e in entries.values() if e.role == "interp"]:
        for ln in e.facts.doc_links:
            t = normalize(ln.url)
            if ln.static and t in rows and t not in entries and t not in column_pages:
                target = rows[t]
                tk = normalize(target["url"])
                if tk in entries or tk in column_pages or target.get("purpose") == "home":
                    continue
                f = read(tk)
                if f is not None and not f.interp_title:
                    entries[tk] = Entry(target, f, "doc", None, "linked")
    # interpretations the 政策解读 column lists as files (一图读懂 as a JPG, a PDF, a video file)
    for label, item in interp_files:
        key = normalize(item.url)
        if key in entries or urlsplit(key).hostname not in ctx.unit.scope_hosts():
            continue
        fetched = ctx.store.page_by_url(ctx.run_id, item.url)
        if fetched is None or fetched.get("reason") or not 200 <= (fetched.get("status") or 0) < 300:
            continue
        f = X.file_facts(item.url, item.title, item.date.isoformat() if item.date else None,
                         fetched.get("content_type") or "", label)
        entries[key] = Entry(fetched, f, "interp", label, "column-file")
    out.interps = [e for e in entries.values() if e.role == "interp"]
    out.docs = [e for e in entries.values() if e.role == "doc"]
    log.debug("unit %s: %d interpretations, %d documents, %d pages read", ctx.unit.id, len(out.interps),
              len(out.docs), out.pages_read)

    # -- pairing --
    by_url: dict[str, Entry] = {}
    for e in entries.values():
        by_url[normalize(e.url)] = e
        if e.page.get("final_url"):
            by_url.setdefault(normalize(e.page["final_url"]), e)

    def resolve(url: str) -> Entry | None:
        return by_url.get(normalize(url))

    # indexes, so that pairing stays linear in the number of pages
    docs_by_id = {id(d): d for d in out.docs}
    linked_from: dict[int, set[int]] = {}       # interpretation -> documents that link it
    for d in out.docs:
        for ln in d.facts.interp_links:
            target = resolve(ln.url) if ln.static else None
            if target is not None and target.role == "interp":
                linked_from.setdefault(id(target), set()).add(id(d))
    by_key: dict[str, list[Entry]] = {}
    by_number: dict[tuple[int, int], list[tuple[X.DocNo, Entry]]] = {}
    for d in out.docs:
        for k in d.facts.title_keys:
            by_key.setdefault(k, []).append(d)
        for t in d.facts.doc_numbers:
            for n in X.doc_numbers(t):
                by_number.setdefault((n.year, n.number), []).append((n, d))

    def title_matches(i: Entry) -> list[tuple[str, Entry]]:
        found: dict[int, tuple[str, Entry]] = {}
        for k in X.interp_keys(i.facts):
            for d in by_key.get(k, ()):
                found.setdefault(id(d), ("title", d))
        for t in i.facts.mentioned_numbers:
            for n in X.doc_numbers(t):
                for own, d in by_number.get((n.year, n.number), ()):
                    if own.same(n):
                        found.setdefault(id(d), ("docno", d))
        return list(found.values())

    for i in out.interps:
        pair = Pair(i)
        linked: dict[int, list[bool]] = {}
        for ln in i.facts.doc_links:
            d = resolve(ln.url) if ln.static else None
            if d is not None and d.role == "doc":
                linked.setdefault(id(d), [False, False])[0] = True
        for k in linked_from.get(id(i), ()):
            linked.setdefault(k, [False, False])[1] = True
        matches = title_matches(i)
        matched = {id(d) for _, d in matches}
        if linked and not any(v[0] for v in linked.values()):
            # only documents link it: a sidebar of recent interpretations links every one of them,
            # so a one-way link from a document whose title does not match yields to a title match
            if not (set(linked) & matched) and matched - set(linked):
                linked = {}
        if linked:
            best = max(linked, key=lambda k: (sum(linked[k]), linked[k][0], k in matched))
            pair.doc = docs_by_id[best]
            pair.interp_to_doc, pair.doc_to_interp = linked[best]
            pair.method = ("link-both" if all(linked[best]) else
                           "link-interp-to-doc" if linked[best][0] else "link-doc-to-interp")
        elif matches:
            idate = i.date

            def rank(md: tuple[str, Entry]) -> tuple[int, int]:
                m, d = md
                gap = abs((idate - d.date).days) if idate and d.date else 10**6
                return (0 if m == "title" else 1, gap)

            pair.method, pair.doc = min(matches, key=rank)
        else:
            ext = [ln for ln in i.facts.doc_links if ln.static and normalize(ln.url) not in rows]
            for ln in ext:
                fetched = ctx.store.page_by_url(ctx.run_id, ln.url)
                if fetched is None or (not fetched.get("reason") and (fetched.get("status") or 0) < 400):
                    pair.method, pair.doc_url, pair.interp_to_doc = "link-external", ln.url, True
                    break
        # labelled links whose target failed: they exist but do not work
        for ln, side in [(ln, "interp") for ln in i.facts.doc_links] + (
                [(ln, "doc") for ln in pair.doc.facts.interp_links] if pair.doc else []):
            if not ln.static or normalize(ln.url) in rows:
                continue
            fetched = ctx.store.page_by_url(ctx.run_id, ln.url)
            if fetched is not None and (fetched.get("reason") or (fetched.get("status") or 0) >= 400):
                pair.broken.append({"on": side, "url": ln.url, "text": ln.text,
                                    "status": fetched.get("status"), "reason": fetched.get("reason")})
        out.pairs.append(pair)
    return out


def gap(pair: Pair) -> dict[str, Any]:
    """Calendar and working days from the document's publish date to the interpretation's."""
    from govaudit.extract.workdays import OutOfRange, workdays_between

    i, d = pair.interp.date, pair.doc.date if pair.doc else None
    if i is None or d is None:
        return {"gap_days": None, "gap_workdays": None,
                "gap_note": "publish date not found on " + ("the interpretation" if i is None else "the document")}
    try:
        return {"gap_days": (i - d).days, "gap_workdays": workdays_between(d, i), "gap_note": None}
    except OutOfRange as e:
        return {"gap_days": (i - d).days, "gap_workdays": None, "gap_note": str(e)}
