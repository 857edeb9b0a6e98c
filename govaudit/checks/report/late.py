"""report.late — an annual report published after its deadline (appraisal 8.2.6).

What: the report for year Y published after 31 January of Y+1 (departments) or 31 March of Y+1
(governments). The unit's kind comes from its configuration (`kind`), the deadlines from
`deadlines` (MM-DD).

Why: 条例 art. 49 sets the deadlines; 8.2.6 scores publication on time.

How: the publish date is the report page's own: its PubDate (or similar) meta tag, else the
visible 发布日期/发布时间 label (govaudit.extract.dates.publish_date) — never the date in the URL
or an HTTP header. Only the audited unit's reports of the last `years` due years are judged
(the same window as report.missing); with several copies of one year, the readable and earliest
one counts.

A report that is only an attachment linked straight from a list page takes the date the list
shows beside it (`date_source` starts with `list:`).

Limits: a report whose page states no date (and no list date) is `not_measured`. A page re-published later (a site migration) looks late: the finding shows the
date source so a reviewer can tell.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.checks.report._found import deadline, due_years, evidence, found_reports, own_by_year
from govaudit.model import Finding

RULE = Rule(id="report.late", item="8.2.6", title="政府信息公开工作年度报告未按时发布",
            defaults={"deadlines": {"government": "03-31", "department": "01-31"}, "years": 3})


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    deadlines = conf.get("deadlines") or RULE.defaults["deadlines"]
    own = own_by_year(found_reports(ctx))
    window = set(due_years(ctx.today, ctx.unit.kind, deadlines, conf.get("years", 3)))
    window |= {y for y in own if y > max(window, default=0)}  # an early report of the current year
    for year in sorted(own, reverse=True):
        if year not in window:
            continue
        r = own[year]
        due = deadline(year, ctx.unit.kind, deadlines)
        base = {"year": year, "deadline": due.isoformat(), "kind": ctx.unit.kind, **r.summary()}
        if r.published is None:
            yield ctx.finding(RULE, "not_measured", r.url, f"{year}年年度报告未标明发布日期，无法判断是否按时发布",
                              key=str(year), evidence=evidence(ctx, r), data=base)
            continue
        if r.published > due:
            days = (r.published - due).days
            yield ctx.finding(RULE, "fail", r.url,
                              f"{year}年年度报告发布于{r.published.isoformat()}，晚于{due.isoformat()}的期限{days}天",
                              key=str(year), evidence=evidence(ctx, r, snippet=r.date_source), data={**base, "days_late": days})
    if not own:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未找到年度报告（见 report.missing）")
