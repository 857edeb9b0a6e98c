"""site.not-updated — the portal's newest content is old, or too little is published (8.6.1).

What: the newest publish date among the articles reachable from the home page (crawl depth ≤
`max_depth`) older than `max_age_days` (14) → `fail`; fewer than `min_recent_items` (10) articles
published in the last `max_age_days` days → `needs_review`.

Why: 8.6.1 — the national inspection deducts for a home page not updated for two weeks; a site
that publishes almost nothing is a sign the unit does not maintain it.

How: each crawled article's publish date (govaudit.extract.dates.publish_date, shared page scan);
dates after the audit date are ignored here (they are content.future-date findings).

Limits: items whose only date is in the list (no article page crawled) are not counted; a crawl
stopped by its limits may miss recent items (see the unit's limits_hit).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="site.not-updated", item="8.6.1", title="网站长期未更新",
            defaults={"max_age_days": 14, "min_recent_items": 10, "max_depth": 3}, uses=(HygieneScan,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    sc = ctx.get(HygieneScan)
    dated = [(ps.publish.date, ps) for ps in sc.pages
             if ps.publish is not None and (ps.page.get("depth") or 0) <= conf["max_depth"] and ps.publish.date <= ctx.today]
    if not dated:
        yield ctx.finding(RULE, "not_measured", ctx.unit.url, "未找到标明发布日期的文章",
                          data={"pages": len(sc.pages)})
        return
    dated.sort(key=lambda x: x[0], reverse=True)
    newest, ps = dated[0]
    age = (ctx.today - newest).days
    since = ctx.today - dt.timedelta(days=conf["max_age_days"])
    recent = [d for d, _ in dated if d > since]
    data = {"newest": newest.isoformat(), "newest_url": ps.page["url"], "age_days": age,
            "recent_items": len(recent), "dated_pages": len(dated)}
    ev = [ctx.evidence(ps.page, snippet=ps.publish.raw, note=f"最新文章，发布于 {newest.isoformat()}")]
    if age > conf["max_age_days"]:
        yield ctx.finding(RULE, "fail", ctx.unit.url, f"网站{age}天未更新（最新文章发布于{newest.isoformat()}）",
                          key="stale", evidence=ev, data=data)
    elif len(recent) < conf["min_recent_items"]:
        yield ctx.finding(RULE, "needs_review", ctx.unit.url,
                          f"近{conf['max_age_days']}天仅发布{len(recent)}篇文章（少于{conf['min_recent_items']}篇）",
                          key="few", evidence=ev, data=data)
