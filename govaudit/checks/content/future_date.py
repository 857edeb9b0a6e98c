"""content.future-date — a publish date after the crawl date (8.9.2).

What: an article page whose publish date (govaudit.extract.dates.publish_date: publish meta tags,
then visible labels such as 发布日期/发布时间) is later than the audit date plus `grace_days`.

Why: a future date is either a template error or a fake freshness signal (back-dating and
forward-dating posts to look maintained); inspections count it as a serious content error.

How: the shared page scan reads each crawled page's publish date once. Template attributes such
as a stale `alt="时间：…"` are not visible text and are not read. One `fail` per page.

Limits: pages whose date is drawn by script are not judged; list-item dates are not judged here
(only each article's own page).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="content.future-date", item="8.9.2", title="发布日期晚于检查日期",
            defaults={"grace_days": 1}, uses=(HygieneScan,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    limit = ctx.today + dt.timedelta(days=conf["grace_days"])
    sc = ctx.get(HygieneScan)
    dated = 0
    for ps in sc.pages:
        if ps.publish is None:
            continue
        dated += 1
        if ps.publish.date > limit:
            yield ctx.finding(RULE, "fail", ps.page["url"],
                              f"发布日期 {ps.publish.date.isoformat()} 晚于检查日期 {ctx.today.isoformat()}",
                              evidence=[ctx.evidence(ps.page, snippet=ps.publish.raw, note=f"日期来源 {ps.publish.source}")],
                              data={"date": ps.publish.date.isoformat(), "source": ps.publish.source,
                                    "today": ctx.today.isoformat()})
    if not dated:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "没有标明发布日期的页面")
