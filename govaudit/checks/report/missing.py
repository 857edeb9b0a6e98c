"""report.missing — an annual report not found for a year that is due (appraisal 8.2.6).

What: the previous year's 政府信息公开工作年度报告 not found once its deadline has passed, or any
of the last N due years missing (N = `years`, default 3).

Why: 条例 art. 49 obliges every agency to publish last year's report by 31 January (departments)
or 31 March (governments); 8.2.6 scores its publication.

How: the report.* discovery searches every stored page and attachment by title and by the text of
the links pointing to it ("…2023年(度)政府信息公开工作年度报告", 年报, Chinese-numeral years), not
just the 年报 column. A report counts for the audited unit when its title names no issuer or names
this unit. One finding per missing year; the years found are listed in the data. The deadlines
are those of report.late (`deadlines`).

Limits: a report the crawl did not reach (page or depth limits, a search-only archive, a report
linked only by JavaScript) looks missing: when the crawl hit a limit the outcome is
`needs_review`. Reports whose title names no year are not counted.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.reports import LATE_RULE, ReportsFound, due_years
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="report.missing", item="8.2.6", title="政府信息公开工作年度报告缺失",
            defaults={"years": 3}, uses=(ReportsFound,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    deadlines = ctx.settings(LATE_RULE)["deadlines"]
    found = ctx.get(ReportsFound)
    reports = found.reports
    own = found.own_by_year()
    years = due_years(ctx.today, ctx.unit.kind, deadlines, conf["years"])
    # with the crawl's coverage recorded, checks/coverage.py decides centrally whether the annual
    # report pages were all reached; the limits heuristic is for stores written before it
    limits_hit = ctx.unit_row.get("limits_hit") if ctx.coverage is None else None
    home = ctx.home or {"url": ctx.unit.url}
    data = {"years_checked": years, "years_found": sorted(own), "kind": ctx.unit.kind,
            "reports": [r.summary() for r in reports][:30]}
    for year in years:
        if year in own:
            continue
        outcome = "needs_review" if limits_hit else "fail"
        why = f"（抓取达到上限：{limits_hit}，可能未抓到）" if limits_hit else ""
        yield ctx.finding(RULE, outcome, ctx.unit.url, f"未找到{year}年政府信息公开工作年度报告{why}",
                          key=str(year), evidence=[ctx.evidence(home, note=f"抓取的页面和附件中未找到标题为{year}年年度报告的内容")],
                          data={**data, "year": year, "limits_hit": limits_hit})
    if not any(y not in own for y in years):
        yield ctx.finding(RULE, "pass", ctx.unit.url, f"近{len(years)}年年度报告均已找到（{'、'.join(map(str, years))}）",
                          data=data)
