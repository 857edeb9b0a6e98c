"""Annual reports (政府信息公开工作年度报告): one structured model from HTML, PDF or DOCX.

    from govaudit.extract.annual_report import read_report, identities
    rep = read_report(body, url, content_type)       # AnnualReport; status 'not_measured' + reason
    results = identities(rep)                         # §5 (a)–(d), (f); cross_year() for (e)

`blocks` turns a document into paragraphs and grids; `model` reads the 2021 format from them.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from govaudit.extract.page import view_page
from govaudit.extract.annual_report.blocks import LIMITS, Document, Unreadable, read_document, sniff
from govaudit.extract.annual_report.model import (AnnualReport, Cell, cross_year, identities, interpret,
                                                  report_year, structure_problems)

log = logging.getLogger("govaudit.extract.annual_report")


def read_report(data: bytes, url: str = "", content_type: str = "",
                limits: dict[str, Any] | None = None) -> AnnualReport:
    """The structured report, or an AnnualReport with status 'not_measured' and the reason."""
    try:
        doc = read_document(data, url, content_type, limits)
    except Unreadable as e:
        return AnnualReport(format=e.format, status="not_measured", reason=str(e))
    except Exception as e:  # a reader bug or a pathological file must not sink the audit
        log.exception("annual report %s could not be read", url)
        return AnnualReport(format=sniff(data, url, content_type), status="not_measured",
                            reason=f"the document could not be parsed ({type(e).__name__}: {e})")
    return interpret(doc)


def report_attachment(data: bytes, url: str, content_type: str, year: int | None) -> str | None:
    """The PDF/DOC(X)/WPS/OFD a report page links: one of the same year, else its only one."""
    if sniff(data, url, content_type) != "html":
        return None
    view = view_page(data, url, content_type)
    cands = [ln for ln in view.links if ln.tag == "a" and
             ln.url.split("?", 1)[0].split("#", 1)[0].lower().endswith((".pdf", ".doc", ".docx", ".wps", ".ofd"))]
    same = [ln for ln in cands if year and (report_year(ln.text) == year or str(year) in ln.url)]
    pick = same[0] if same else (cands[0] if len(cands) == 1 else None)
    return pick.url if pick else None


def readable(rep: AnnualReport) -> bool:
    """The document holds a report (table 3 or at least three of the six headings)."""
    return rep.status == "ok" and (rep.table3 is not None or sum(s["found"] for s in rep.sections) >= 3)


def inspect_report(data: bytes, url: str, content_type: str,
                   fetch: Callable[[str], tuple[bytes, str, str]] | None = None) -> dict[str, Any]:
    """`govaudit inspect annual-report`: the model, identity results and structure problems.
    A report page that only links its PDF/DOCX is followed to it with `fetch` (url -> body, final
    url, content type; the app passes one for http(s) sources: extractors never fetch)."""
    rep = read_report(data, url, content_type)
    doc_url = url
    if not readable(rep) and fetch is not None:
        att = report_attachment(data, url, content_type, rep.year or report_year(rep.title))
        if att:
            body, doc_url, ctype = fetch(att)
            page_year = rep.year
            rep = read_report(body, doc_url, ctype)
            rep.year = rep.year or page_year
    out = {"url": url, "document_url": doc_url, **rep.to_dict()}
    if rep.status == "ok":
        out["identities"] = identities(rep)
        out["failed_identities"] = [r for r in out["identities"] if not r["ok"]]
        out["structure"] = structure_problems(rep)
        out["problem_cells"] = [c.__dict__ for c in rep.problem_cells()]
    return out


__all__ = ["AnnualReport", "Cell", "Document", "LIMITS", "Unreadable", "cross_year", "identities",
           "inspect_report", "interpret", "read_document", "read_report", "readable", "report_attachment",
           "report_year", "sniff", "structure_problems"]
