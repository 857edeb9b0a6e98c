"""report.structure — an annual report without the 2021 format's six sections or three tables (8.2.6).

What: any of the six sections (一、总体情况 … 六、其他需要报告的事项) missing or out of order, any of
tables 2 (主动公开), 3 (依申请公开) and 4 (复议诉讼) missing → `fail`; a table found with rows
that could not be recognised → `needs_review`; a report that cannot be read (.doc/.wps/.ofd,
a scanned PDF, a PDF over the page limit, a timeout) → `not_measured` with the reason.

Why: 条例 art. 50 fixes the report's content and 国办公开办函〔2021〕30号 its format (from the
2021 report on); 8.2.6 scores the report.

How: the report (HTML page, or the PDF/DOCX it links) is read into one model
(govaudit.extract.annual_report): headings are short paragraphs matching the section titles
(numbering optional); tables are recognised by their content (自然人 … 本年新收; 规章 …
规范性文件; 行政复议 … 行政诉讼), whatever their classes or position. Reports of years before
`format_since` (older format) are not judged. `limits` bound pages, rows, seconds and bytes.

Limits: a heading written inside a table cell or an image is not seen; tables drawn as images
are missing to the machine.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.checks.report._found import evidence, found_reports, own_by_year
from govaudit.extract.annual_report import LIMITS, structure_problems
from govaudit.model import Finding

RULE = Rule(id="report.structure", item="8.2.6", title="年度报告内容结构不完整",
            defaults={"format_since": 2021, "limits": dict(LIMITS)})


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    own = own_by_year(found_reports(ctx))
    if not own:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未找到年度报告（见 report.missing）")
        return
    for year in sorted(own, reverse=True):
        r = own[year]
        if year < conf.get("format_since", 2021):
            continue
        m = r.model
        if m is None or m.status != "ok":
            yield ctx.finding(RULE, "not_measured", r.url, f"{year}年年度报告无法读取：{m.reason if m else '未读取'}",
                              target=r.doc_url if r.doc_url != r.url else None, key=str(year),
                              evidence=evidence(ctx, r), data=r.summary())
            continue
        p = structure_problems(m)
        data = {**r.summary(), **p}
        parts = []
        if p["missing_sections"]:
            parts.append("缺少" + "、".join(p["missing_sections"]))
        if p["out_of_order"]:
            parts.append("章节顺序错误（" + " → ".join(p["section_order"]) + "）")
        if p["missing_tables"]:
            parts.append("缺少" + "、".join(p["missing_tables"]))
        target = r.doc_url if r.doc_url != r.url else None
        if parts:
            yield ctx.finding(RULE, "fail", r.url, f"{year}年年度报告" + "；".join(parts), target=target,
                              key=str(year), evidence=evidence(ctx, r), data=data)
        elif p["incomplete_tables"]:
            what = "；".join(f"{t}未识别：{'、'.join(rows[:5])}{'等' if len(rows) > 5 else ''}"
                            for t, rows in p["incomplete_tables"].items())
            yield ctx.finding(RULE, "needs_review", r.url, f"{year}年年度报告表格不完整（{what}）", target=target,
                              key=f"{year}:incomplete", evidence=evidence(ctx, r), data=data)
