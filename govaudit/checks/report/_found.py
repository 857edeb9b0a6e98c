"""Discovery of annual reports in a stored crawl, shared by the report.* rules (computed once per unit).

A report is any stored page or downloaded attachment whose title — or the text of a link that
points to it — reads like "…2023年(度)政府信息公开工作年度报告" (年报, 年度报告; Arabic or Chinese
numerals). Wherever it sits: the 年报 column, a news column, a department's page. A report page
with no report inside (no table 3, few headings) is read through the attachment it links.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks.context import CheckContext
from govaudit.extract.annual_report import AnnualReport, read_report, readable, report_year
from govaudit.extract.annual_report.model import norm

log = logging.getLogger("govaudit.checks.report")

DEFAULT_DEADLINES = {"government": "03-31", "department": "01-31"}


@dataclass
class FoundReport:
    year: int
    title: str
    issuer: str                   # the unit named before the year ('' when none)
    own: bool                     # issued by the audited unit
    url: str                      # the page a visitor opens (landing page or the attachment itself)
    page: dict[str, Any]          # stored fetch of url
    doc_url: str                  # where the report body was read
    doc_page: dict[str, Any]
    format: str = ""
    published: dt.date | None = None
    date_source: str | None = None
    model: AnnualReport | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"year": self.year, "title": self.title, "issuer": self.issuer, "own": self.own, "url": self.url,
                "doc_url": self.doc_url, "format": self.format,
                "published": self.published.isoformat() if self.published else None,
                "date_source": self.date_source,
                "status": self.model.status if self.model else None,
                "reason": self.model.reason if self.model else None}


def deadline(year: int, kind: str, deadlines: dict[str, str]) -> dt.date:
    """The publication deadline of the report for `year` (in the following year)."""
    mm, dd = (deadlines.get(kind) or DEFAULT_DEADLINES.get(kind, "03-31")).split("-")
    return dt.date(year + 1, int(mm), int(dd))


def due_years(today: dt.date, kind: str, deadlines: dict[str, str], count: int) -> list[int]:
    """The `count` most recent report years whose deadline has passed, newest first."""
    last = today.year - 1
    if deadline(last, kind, deadlines) >= today:
        last -= 1
    return [last - i for i in range(max(count, 0))]


def _issuer(title: str) -> str:
    t = norm(title)
    t = re.split(r"[_|]", t)[0] if report_year(re.split(r"[_|]", t)[0]) else t
    m = re.search(r"((?:19|20)\d\d|[〇○零O一二三四五六七八九]{4})年", t)
    pre = t[: m.start()] if m else ""
    return re.sub(r"^(关于|转发)", "", pre).strip("《“\"")


def _is_own(issuer: str, unit_name: str) -> bool:
    if not issuer:
        return True
    name = norm(unit_name)
    return issuer in name or name in issuer


def _settings(ctx: CheckContext) -> dict[str, Any]:
    late = ctx.settings("report.late")
    return {"deadlines": late.get("deadlines") or DEFAULT_DEADLINES,
            "limits": ctx.settings("report.structure").get("limits") or {}}


def found_reports(ctx: CheckContext) -> list[FoundReport]:
    """Every annual report of the crawl (own and other issuers), read once per unit."""
    if "annual_reports" in ctx.extras:
        return ctx.extras["annual_reports"]
    conf = _settings(ctx)
    pages = {p["url"]: p for p in ctx.pages("status BETWEEN 200 AND 299 AND purpose IN ('home','page','attachment')")}
    link_texts: dict[str, list[str]] = {}
    links_from: dict[str, list[tuple[str, str]]] = {}
    sources: dict[str, list[str]] = {}
    shared: dict[str, str] = {}  # every link of the unit: one string object per distinct URL and text
    for src, target, text in ctx.store.conn.execute(
            "SELECT source_url, target, text FROM links WHERE run_id=? AND unit_id=?", [ctx.run_id, ctx.unit.id]):
        src, target = shared.setdefault(src, src), shared.setdefault(target, target)
        text = shared.setdefault(text, text) if text else text
        if text:
            link_texts.setdefault(target, []).append(text)
        links_from.setdefault(src, []).append((target, text or ""))
        sources.setdefault(target, []).append(src)
    del shared

    def year_of(url: str, page: dict[str, Any]) -> tuple[int, str] | None:
        for text in [page.get("title") or "", *link_texts.get(url, [])]:
            y = report_year(text)
            if y:
                return y, text
        return None

    reports: list[FoundReport] = []
    used_attachments: set[str] = set()
    for url, page in pages.items():
        if page["purpose"] == "attachment":
            continue
        hit = year_of(url, page)
        if not hit:
            continue
        rep = _read_landing(ctx, page, hit, pages, links_from, conf)
        used_attachments.add(rep.doc_url)
        reports.append(rep)
    for url, page in pages.items():
        if page["purpose"] != "attachment" or url in used_attachments:
            continue
        hit = year_of(url, page)
        if not hit:
            continue
        year, title = hit
        rep = FoundReport(year=year, title=title, issuer=_issuer(title), own=False, url=url, page=page,
                          doc_url=url, doc_page=page)
        rep.own = _is_own(rep.issuer, ctx.unit.name)
        rep.model = _read(ctx, page, conf)
        rep.format = rep.model.format
        listed = _list_date(ctx, url, pages, sources.get(url, []))
        if listed is not None:
            rep.published, rep.date_source = listed
            rep.notes.append("attachment linked straight from a list: the date is the list's")
        else:
            rep.notes.append("attachment linked directly (no landing page): publish date unknown")
        reports.append(rep)
    reports.sort(key=lambda r: (-r.year, r.url))
    ctx.extras["annual_reports"] = reports
    return reports


def _list_date(ctx: CheckContext, url: str, pages: dict[str, dict[str, Any]],
               sources: list[str]) -> tuple[dt.date, str] | None:
    """The date a list page shows beside the link to an attachment (the only visible date it has)."""
    from govaudit.extract.html import parse
    from govaudit.extract.lists import extract_list

    for src in dict.fromkeys(sources):
        page = pages.get(src)
        if page is None or page["purpose"] not in ("home", "page"):
            continue
        text = ctx.body_text(page)
        root = parse(text) if text else None
        if root is None:
            continue
        for item in extract_list(root, page.get("final_url") or src, ctx.today).items:
            if item.url == url and item.date is not None:
                return item.date, f"list:{src}: {item.date_text or item.date.isoformat()}"
    return None


def _read(ctx: CheckContext, page: dict[str, Any], conf: dict[str, Any]) -> AnnualReport:
    data = ctx.store.body(page["sha256"]) if page.get("sha256") else None
    if not data:
        return AnnualReport(format="", status="not_measured", reason="the document body was not stored")
    return read_report(data, page.get("final_url") or page["url"], page.get("content_type") or "", conf["limits"])


def _read_landing(ctx: CheckContext, page: dict[str, Any], hit: tuple[int, str], pages: dict[str, dict[str, Any]],
                  links_from: dict[str, list[tuple[str, str]]], conf: dict[str, Any]) -> FoundReport:
    from govaudit.extract.dates import publish_date
    from govaudit.extract.html import parse

    year, title = hit
    meta_title = title
    rep = FoundReport(year=year, title=meta_title, issuer="", own=True, url=page["url"], page=page,
                      doc_url=page["url"], doc_page=page)
    text = ctx.body_text(page) or ""
    root = parse(text) if text else None
    if root is not None:
        h = root.find(".//meta[@name='ArticleTitle']")
        if h is not None and report_year(h.get("content") or ""):
            rep.title = " ".join((h.get("content") or "").split())
        pub = publish_date(root)
        if pub is not None:
            rep.published, rep.date_source = pub.date, f"{pub.source}: {pub.raw}"
    rep.issuer = _issuer(rep.title)
    rep.own = _is_own(rep.issuer, ctx.unit.name)
    model = _read(ctx, page, conf)
    if not readable(model):
        att = _attachment_of(page["url"], year, pages, links_from, ctx)
        if att is not None:
            target, att_page = att
            rep.doc_url, rep.doc_page = target, att_page or {"url": target}
            if att_page is None:
                model = AnnualReport(format=_ext(target), status="not_measured",
                                     reason="the report's attachment was linked but not downloaded by the crawl")
            else:
                model = _read(ctx, att_page, conf)
    rep.model = model
    rep.format = model.format
    return rep


def _ext(url: str) -> str:
    path = url.split("?", 1)[0].lower()
    return path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""


def _attachment_of(url: str, year: int, pages: dict[str, dict[str, Any]], links_from: dict[str, list[tuple[str, str]]],
                   ctx: CheckContext) -> tuple[str, dict[str, Any] | None] | None:
    """The report document a landing page links: an attachment of the same year, else its only one."""
    exts = tuple(ctx.config.get("shared", {}).get("attachment_extensions", [".pdf", ".doc", ".docx"]))
    cands = [(t, txt) for t, txt in links_from.get(url, []) if t.split("?", 1)[0].lower().endswith(exts)
             and _ext(t) in ("pdf", "doc", "docx", "wps", "ofd")]
    same = [(t, txt) for t, txt in cands if report_year(txt) == year or str(year) in t]
    pick = same[0] if same else (cands[0] if len(cands) == 1 else None)
    if pick is None:
        return None
    att = pages.get(pick[0])
    return pick[0], att if att is not None and att.get("sha256") else None


def own_by_year(reports: list[FoundReport]) -> dict[int, FoundReport]:
    """One report per year for the audited unit: a readable one first, then the earliest published."""
    best: dict[int, FoundReport] = {}
    for r in reports:
        if not r.own:
            continue
        cur = best.get(r.year)
        if cur is None or _rank(r) < _rank(cur):
            best[r.year] = r
    return best


def _rank(r: FoundReport) -> tuple[int, int, str]:
    ok = 0 if r.model is not None and r.model.status == "ok" and r.model.table3 is not None else 1
    return ok, (r.published.toordinal() if r.published else 10 ** 7), r.url


def evidence(ctx: CheckContext, r: FoundReport, snippet: str | None = None) -> list[Any]:
    ev = [ctx.evidence(r.page, snippet=snippet or r.title, note="the annual report page")]
    if r.doc_url != r.url:
        ev.append(ctx.evidence(r.doc_page, note=f"the report document ({r.format or 'attachment'}) that was read"))
    return ev
