"""report.consistency — the annual report's 本年制发 行政规范性文件 against the documents the site shows (8.2.6).

What: table 2 of the unit's annual report for year Y says how many 行政规范性文件 were issued that
year (本年制发件数); the crawled pages of the unit's policy-document columns (规范性文件, 政策文件 …
`column_words`, read from the breadcrumb or the ColumnName meta tag) carry the documents with their
文号. Documents whose own 文号 is of year Y and which are normative (in a 规范性文件 column, or a
文号 with 规 before the year: 青政规〔2025〕3号) are counted. Far apart — the larger more than
`ratio` times the smaller and at least `min_difference` apart → `needs_review`, with both sides.

Why: the report is the unit's own account of its disclosure; a report claiming documents the site
does not publish (or the reverse) is what appraisal reviewers cross-check by hand (8.2.6, 8.9.2 e).

How: reports are found by the report.* discovery (checks/report/_found.py); a page's 文号 is the one
after a 文号 label, else the first one in its first 2,000 characters. Only years for which the site
shows at least `min_site_documents` documents of the year are compared (a list that does not reach
back that far is not evidence of absence).

Limits: only crawled pages count (the crawl's page limits and the first pages of lists); documents
published as attachments only are not counted; a column mixing normative and other documents is
counted by the 规 convention, which not every unit follows. `not_measured` when the report cannot
be read or has no table 2; `not_applicable` without a report.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.checks.analyses.reports import ReportsFound, evidence
from govaudit.extract.encoding import decode_html
from govaudit.extract.html import document_text, parse
from govaudit.extract.page import meta_tags
from govaudit.model import Finding, Purpose

RULE = Rule(id="report.consistency", item="8.2.6", title="年度报告数据与网站公开情况不一致",
            defaults={"column_words": ["规范性文件", "政策文件", "政府文件", "文件公开", "政策法规"],
                      "ratio": 2.0, "min_difference": 2, "min_site_documents": 3, "years": 2, "max_listed": 30},
            uses=(ReportsFound,))

DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,15})\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*(?:第\s*)?(\d{1,4})\s*号")
LABELLED = re.compile(r"文\s*号\s*[:：]?\s*")


def doc_number(text: str) -> tuple[str, int, bool] | None:
    """(文号, year, normative by the 规 convention) of a document page."""
    head = text[:2000]
    m = None
    lab = LABELLED.search(head)
    if lab:
        m = DOC_NO.match(head, lab.end())
    m = m or DOC_NO.search(head)
    if not m:
        return None
    prefix = m.group(1)
    return f"{prefix}〔{m.group(2)}〕{m.group(3)}号", int(m.group(2)), "规" in prefix[-3:]


def site_documents(ctx: CheckContext, words: list[str]) -> list[dict[str, Any]]:
    """Pages of policy-document columns with their 文号."""
    out: dict[str, dict[str, Any]] = {}
    for page in ctx.pages("status BETWEEN 200 AND 299 AND sha256 IS NOT NULL", purposes=(Purpose.PAGE,)):
        if "html" not in (page.get("content_type") or "html").lower():
            continue
        raw = ctx.store.body(page["sha256"])
        root = parse(decode_html(raw, page.get("content_type") or "")[0]) if raw else None
        if root is None:
            continue
        text = document_text(root)
        column = meta_tags(root).get("ColumnName", "") + " " + text[:400]
        col = next((w for w in words if w in column), None)
        if col is None:
            continue
        no = doc_number(text)
        if no is None:
            continue
        number, year, by_number = no
        if number in out:
            continue
        out[number] = {"number": number, "year": year, "title": page.get("title") or "", "url": page["url"],
                       "normative": col == "规范性文件" or by_number, "column": col, "page": page}
    return list(out.values())


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    own = ctx.get(ReportsFound).own_by_year()
    if not own:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未找到年度报告（见 report.missing）")
        return
    docs = site_documents(ctx, conf["column_words"])
    for year in sorted(own, reverse=True)[: conf["years"]]:
        r = own[year]
        m = r.model
        cell = m.cell("table2.normative.issued") if m is not None and m.status == "ok" else None
        if cell is None or cell.value is None:
            why = (m.reason if m is not None and m.status != "ok" else "未找到表二“行政规范性文件 本年制发件数”")
            yield ctx.finding(RULE, "not_measured", r.url, f"{year}年年度报告：{why}", key=str(year),
                              evidence=evidence(ctx, r), data=r.summary())
            continue
        of_year = [d for d in docs if d["year"] == year]
        normative = [d for d in of_year if d["normative"]]
        if len(of_year) < conf["min_site_documents"]:
            yield ctx.finding(RULE, "not_measured", r.url,
                              f"网站抓取到的{year}年文件仅 {len(of_year)} 件，不足以核对年度报告的本年制发数",
                              key=str(year), data={"site_documents": len(of_year), "claimed": cell.value})
            continue
        claimed, shown = int(cell.value), len(normative)
        lo, hi = min(claimed, shown), max(claimed, shown)
        if hi - lo < conf["min_difference"] or hi <= conf["ratio"] * lo:
            continue
        listed = [{k: d[k] for k in ("number", "title", "url", "column")} for d in normative[: conf["max_listed"]]]
        ev = evidence(ctx, r, snippet=f"表二 行政规范性文件 本年制发件数：{cell.raw}")
        ev += [ctx.evidence(d["page"], snippet=d["number"], note=d["title"]) for d in normative[:5]]
        yield ctx.finding(RULE, "needs_review", r.url,
                          f"{year}年年度报告称本年制发行政规范性文件 {claimed} 件，网站政策文件栏目可见 {shown} 件"
                          f"（{year}年文号）", key=str(year), evidence=ev,
                          data={**r.summary(), "claimed": claimed, "site_count": shown, "site_documents": listed,
                                "other_documents_of_year": len(of_year) - shown})
