"""guide.outdated — the guide predates the 2019 regulation or is old (appraisal 8.2.7).

What: the guide still gives the pre-2019 answer time (15个工作日; 条例 art. 33 now says 20),
cites the 2008 regulation (国务院令第492号, 2008年5月1日施行) without the 2019 revision (第711号),
or its publish date is older than `max_age_years` (default 3). Outcome `needs_review`.

Why: 条例 art. 12 requires the guide to be kept up to date; 8.2.7 scores "compiled and updated".

How: the guide's text (see guide.incomplete) searched for the outdated signals; its date is the
page's publish date (PubDate meta, 发布日期 label), else the date its column list shows.

Limits: a guide without any date is judged on its text only (the finding data says so).
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.guide._locate import readable_guide
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="guide.outdated", item="8.2.7", title="政府信息公开指南未及时更新",
            defaults={"max_age_years": 3}, outcome_on_failure="needs_review")


def check(ctx: CheckContext) -> Iterable[Finding]:
    doc, unmeasured = readable_guide(ctx, RULE)
    if doc is None:
        yield unmeasured
        return
    reasons = list(doc.report.outdated)
    years = ctx.settings(RULE.id).get("max_age_years", 3)
    age_days = (ctx.today - doc.date).days if doc.date else None
    if age_days is not None and years and age_days > years * 365:
        reasons.append({"reason": "old", "message": f"指南发布日期{doc.date.isoformat()}，已超过{years}年未更新",
                        "text": doc.date.isoformat()})
    data = {**doc.to_dict(), "reasons": reasons, "age_days": age_days, "max_age_years": years}
    page = doc.page or {"url": doc.url}
    if reasons:
        yield ctx.finding(RULE, "needs_review", doc.url, "政府信息公开指南可能未及时更新：" + "；".join(r["message"] for r in reasons),
                          evidence=[ctx.evidence(page, snippet=reasons[0]["text"])], data=data)
    else:
        yield ctx.finding(RULE, "pass", doc.url, "政府信息公开指南未见过时内容", evidence=[ctx.evidence(page)], data=data)
