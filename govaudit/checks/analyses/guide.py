"""GuideFound: the unit's 政府信息公开指南, found and read once per unit (`ctx.get(GuideFound).doc`).

Order: the guide sub-column (found or pinned) — its list item titled …公开指南 (newest first), else
its newest item or its own page when either reads like a guide (own text, not menu links, naming
at least two of 主动公开 / 依申请 / 受理机构·办公地址 / 监督救济); then any crawled page titled
…公开指南 that reads like a guide; then a guide attachment (PDF/Word) linked by name, which is found but not read.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract.annual_report.blocks import Para, read_document
from govaudit.extract.columns import ColumnHit, main_content
from govaudit.extract.dates import publish_date
from govaudit.extract.guide import GuideReport, guide_like, read_guide
from govaudit.urls import normalize

GUIDE_RULE = "guide.incomplete"  # whose `elements` are read from the guide

GUIDE_TOPICS = [re.compile(p) for p in (r"主动公开", r"依申请|申请人|提出申请", r"受理(?:机构|部门|单位)|办公(?:地址|时间)|联系电话",
                                         r"监督|救济|行政复议|投诉")]
ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|ofd)(?:$|\?)", re.I)


@dataclass
class GuideDoc:
    url: str
    how: str                       # "column page" | "column item" | "page title" | "attachment" | "column only"
    page: dict[str, Any] | None = None
    title: str = ""
    text: str | None = None        # None: found but not readable here (attachment)
    date: dt.date | None = None
    date_source: str | None = None
    report: GuideReport | None = None
    column: str | None = None      # the guide column's URL, when there is one
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "how": self.how, "title": self.title, "column": self.column,
                "date": self.date.isoformat() if self.date else None, "date_source": self.date_source,
                "readable": self.text is not None}


@dataclass
class GuideFound(Provider):
    doc: GuideDoc | None

    needs = (ColumnsAnalysis, SitePages)

    @classmethod
    def compute(cls, ctx: CheckContext) -> GuideFound:
        return cls(_locate(ctx))


def _doc(ctx: CheckContext, url: str, how: str, column: str | None, item_date: dt.date | None,
         conf: dict[str, Any]) -> GuideDoc | None:
    page, root = ctx.get(SitePages).root(url)
    if page is None or root is None:
        return None
    text, links = main_content(root)
    own = text
    for _, t in links:
        if t:
            own = own.replace(t, "", 1)
    pd = publish_date(root)
    date, src = (pd.date, pd.source) if pd else (item_date, "list" if item_date else None)
    doc = GuideDoc(url=page["url"], how=how, page=page, title=page.get("title") or "", text=text, date=date,
                   date_source=src, column=column)
    doc.report = read_guide(text, conf["elements"])
    doc.extra["own_text"] = len(" ".join(own.split()))
    return doc


def looks_like_guide(doc: GuideDoc | None) -> bool:
    """Enough text of its own (not menu links) naming at least two things a guide explains."""
    if doc is None or not doc.text or doc.extra.get("own_text", 0) < 150:
        return False
    return sum(1 for rx in GUIDE_TOPICS if rx.search(doc.text)) >= 2


def _read_attachment(ctx: CheckContext, doc: GuideDoc, conf: dict[str, Any]) -> GuideDoc:
    """Read a downloaded guide attachment (PDF/DOCX, through the annual-report document reader);
    the doc stays unreadable (text None) when it was not downloaded or cannot be read."""
    page = ctx.store.page_by_url(ctx.run_id, doc.url)
    if not page or not page.get("sha256") or (page.get("status") or 0) >= 400:
        return doc
    data = ctx.store.body(page["sha256"])
    if not data:
        return doc
    try:
        parsed = read_document(data, doc.url, page.get("content_type") or "")
    except Exception as e:  # noqa: BLE001 — Unreadable, or a reader bug: the guide stays unread
        doc.extra["unreadable"] = str(e)[:200]
        return doc
    parts = [b.text if isinstance(b, Para) else " ".join(c or "" for row in b.rows for c in row) for b in parsed.blocks]
    doc.page, doc.text = page, " ".join(parts)
    doc.report = read_guide(doc.text, conf["elements"])
    return doc


def _locate(ctx: CheckContext) -> GuideDoc | None:
    """The guide, in the order of the module docstring; None when there is none."""
    conf = ctx.settings(GUIDE_RULE)
    col = ctx.get(ColumnsAnalysis).subs.get("guide")
    found = _in_column(ctx, col, conf) if col is not None else None
    col_url = col.url if col is not None else None
    if found is None:
        found = _by_title(ctx, col_url, conf)
    if found is None:
        rows = ctx.store.db.query("SELECT target, text FROM links WHERE run_id=? AND unit_id=? AND text LIKE '%公开指南%'",
                                  [ctx.run_id, ctx.unit.id])
        for r in rows:
            if ATTACHMENT.search(r["target"]):
                found = GuideDoc(url=r["target"], how="attachment", title=r["text"], column=col_url)
                break
    if found is None and col is not None:
        # the guide column exists but no guide text was found in it (empty, or filled by a script)
        page, _ = ctx.get(SitePages).root(col.url)
        found = GuideDoc(url=col.url, how="column only", page=page, title=col.label, column=col.url)
    if found is not None and found.how == "attachment":
        found = _read_attachment(ctx, found, conf)
    return found


def _in_column(ctx: CheckContext, col: ColumnHit, conf: dict[str, Any]) -> GuideDoc | None:
    """The guide column's item titled …公开指南 (else its newest item, else its own page) when it reads like one."""
    lp = ctx.get(SitePages).listing(col.url)
    items = lp.items if lp else []
    guides = [i for i in items if guide_like(i.title)]
    for item in guides + [i for i in items if i not in guides][:1]:
        if ATTACHMENT.search(item.url):
            return GuideDoc(url=item.url, how="attachment", title=item.title, date=item.date,
                            date_source="list", column=col.url)
        doc = _doc(ctx, item.url, "column item", col.url, item.date, conf)
        # an item titled …公开指南 is the guide whatever it holds; another item only if it reads like one
        if doc is not None and (item in guides or looks_like_guide(doc)):
            return doc
    doc = _doc(ctx, col.url, "column page", col.url, None, conf)
    return doc if looks_like_guide(doc) else None


def _by_title(ctx: CheckContext, col_url: str | None, conf: dict[str, Any]) -> GuideDoc | None:
    """Any crawled page titled …公开指南 that reads like a guide."""
    for p in ctx.content_pages("status < 400 AND title LIKE '%公开指南%'"):
        if col_url is not None and normalize(p["url"]) == normalize(col_url):
            continue  # the guide column's own page, already judged above
        doc = _doc(ctx, p["url"], "page title", col_url, None, conf)
        if doc is not None and (looks_like_guide(doc) or doc.extra.get("own_text", 0) >= 40):
            return doc
    return None


def readable_guide(ctx: CheckContext, rule: Any) -> tuple[GuideDoc | None, Any]:
    """(the guide with its text read, None) — or (None, the finding that says why a rule reading the
    guide's text cannot judge it: no guide, only its column, or an attachment that was not read)."""
    doc = ctx.get(GuideFound).doc
    if doc is None:
        return None, ctx.finding(rule, "not_applicable", ctx.unit.url, "未找到政府信息公开指南（见 guide.missing）")
    if doc.how == "column only":
        return None, ctx.finding(rule, "not_measured", doc.url, "未找到指南正文（见 guide.missing）", data=doc.to_dict())
    if doc.text is None or doc.report is None:
        return None, ctx.finding(rule, "not_measured", doc.url,
                                 f"政府信息公开指南为附件（{doc.title}），未能读取其内容", data=doc.to_dict())
    return doc, None
