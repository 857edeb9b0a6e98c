"""The texts content.privacy and content.wording read: every crawled page and every downloaded attachment.

Attachments are read here, at check time, not by the crawler: the text is extracted once per body
sha256 and stored (Store.save_attachment_text), so `govaudit check` over an old crawl, a second
rule and the next night's run (same body, same hash) all reuse it, and a better reader only needs a
re-check, never a re-crawl. OCR has a page cap per document (`max_ocr_pages_per_document`) and
per run (`max_ocr_pages_per_run`, counted in this process: with several check processes, per process).
What a cap, the time limit or a missing Tesseract left unread is not stored: the next run reads it again.

The texts are not kept: each rule registers an analyser (`register`) that turns one document's
text into what the rule needs (masked hits, errors with their sentences); the documents with those
results are the named analysis `SiteDocuments`, shared by the rules of the unit, so a unit of
10,000 pages does not hold 10,000 texts. The reading limits are content.privacy's settings
(`max_ocr_pages_per_run`, `max_ocr_pages_per_document`, `max_attachments`).
"""
from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Collection

from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract.annual_report.blocks import Para, Unreadable, read_html
from govaudit.model import Purpose
from govaudit.extract import attachments

log = logging.getLogger("govaudit.checks")
LIMITS_RULE = "content.privacy"  # whose settings bound the reading (DEFAULTS are in its RULE.defaults)
DEFAULTS: dict[str, Any] = {"max_ocr_pages_per_run": 200, "max_ocr_pages_per_document": 10, "max_attachments": 2000}
_OCR_USED: dict[str, int] = {}   # run id -> pages OCR'd by this process (the per-run cap)
Analyser = Callable[[CheckContext, "Document", str], Any]
ANALYSERS: dict[str, Analyser] = {}  # rule id -> what it needs from one document's text


def register(rule_id: str, analyser: Analyser) -> None:
    """A rule's analyser: called once per document with its text; the result is in doc.results."""
    ANALYSERS[rule_id] = analyser


@dataclass
class Document:
    page: dict[str, Any]         # the pages row (url, sha256, fetched_at …)
    kind: str                    # page | attachment
    title: str
    format: str = "html"
    status: str = "ok"           # ok | partial | unreadable
    reason: str = ""
    ocr_pages: int = 0
    has_text: bool = False
    results: dict[str, Any] = field(default_factory=dict)  # rule id -> its analyser's result

    def analyse(self, ctx: CheckContext, text: str) -> "Document":
        self.has_text = bool(text.strip())
        if self.has_text:
            self.results = {rid: fn(ctx, self, text) for rid, fn in ANALYSERS.items()}
        return self


class SiteDocuments(Provider):
    """Every crawled page (title + visible text) and downloaded attachment (extracted text,
    unreadable ones included) of the unit, each with the registered rules' results."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs

    @classmethod
    def compute(cls, ctx: CheckContext) -> SiteDocuments:
        conf = ctx.settings(LIMITS_RULE)
        out: list[Document] = []
        for page in ctx.content_pages("status BETWEEN 200 AND 299 AND sha256 IS NOT NULL"):
            if "html" not in (page.get("content_type") or "html").lower():
                continue
            html = ctx.body_text(page)
            if not html:
                continue
            try:
                text = page_text(html)
            except Unreadable as e:
                out.append(Document(page, "page", page.get("title") or "", status="unreadable", reason=str(e)))
                continue
            out.append(Document(page, "page", page.get("title") or "").analyse(ctx, text))
        atts = list(ctx.pages("status BETWEEN 200 AND 299 AND sha256 IS NOT NULL", purposes=(Purpose.ATTACHMENT,)))
        for page in atts[: conf["max_attachments"]]:
            out.append(_attachment(ctx, page, conf))
        return cls(out)


def page_text(html: str) -> str:
    """A page's visible text, one line per paragraph and per table row (cells separated by tabs),
    so that sentences end at block boundaries and a table column keeps its header."""
    doc = read_html(html, {"max_seconds": 20.0}, meta=False)  # the blocks only: no title/date
    lines: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Para):
            lines.append(b.text)
        else:
            lines.extend("\t".join(" ".join((c or "").split()) for c in row) for row in b.rows)
    return "\n".join(lines)


def _attachment(ctx: CheckContext, page: dict[str, Any], conf: dict[str, Any]) -> Document:
    digest = page["sha256"]
    stored = ctx.store.attachment_text(digest)
    if stored is None:
        raw = ctx.store.body(digest) or b""
        left = max(0, conf["max_ocr_pages_per_run"] - _OCR_USED.get(ctx.run_id, 0))
        t0 = time.monotonic()
        res = attachments.read_text(raw, page["final_url"] or page["url"], page.get("content_type") or "",
                                    limits={"max_ocr_pages": conf["max_ocr_pages_per_document"]}, ocr_budget=left)
        _OCR_USED[ctx.run_id] = _OCR_USED.get(ctx.run_id, 0) + res.ocr_pages
        stored = {"format": res.format, "status": res.status, "reason": res.reason, "pages": res.pages,
                  "ocr_pages": res.ocr_pages, "seconds": round(time.monotonic() - t0, 3), "text": res.text}
        if res.format != "html" and not res.transient:
            try:
                ctx.store.save_attachment_text(digest, stored)
            except sqlite3.Error as e:  # a read-only store: read again next time, the findings are the same
                log.info("attachment text of %s not stored: %s", page["url"], e)
    doc = Document(page, "attachment", page.get("title") or page["url"].rsplit("/", 1)[-1], stored["format"],
                   stored["status"], stored["reason"] or "", stored["ocr_pages"] or 0)
    return doc.analyse(ctx, stored["text"])


def unreadable_summary(docs: list[Document], skip: Collection[str] = ()) -> list[Document]:
    """Attachments nothing, or not everything, could be read from (limits, OCR cap), except the URLs
    in `skip` (a finding already speaks for them). HTML served as an attachment is a page, not counted."""
    return [d for d in docs if d.kind == "attachment" and d.status in ("unreadable", "partial")
            and d.format != "html" and d.page["url"] not in skip]


def not_measured(ctx: CheckContext, rule: Any, docs: list[Document], what: str) -> Any:
    """One `not_measured` finding listing the attachments that could not be (fully) read."""
    bad = [d for d in docs if d.status == "unreadable"]
    part = [d for d in docs if d.status == "partial"]
    counts = "、".join(x for x in (f"{len(bad)} 个附件无法读取" if bad else "",
                                   f"{len(part)} 个附件仅部分读取" if part else "") if x)
    return ctx.finding(rule, "not_measured", ctx.unit.url, f"{counts}，未检测（或未完整检测）其中的{what}",
                       key="unreadable-attachments",
                       evidence=[ctx.evidence(d.page, note=f"{d.format} {d.status}: {d.reason}") for d in docs[:20]],
                       data={"unreadable": [{"url": d.page["url"], "format": d.format, "status": d.status,
                                             "reason": d.reason} for d in docs]})
