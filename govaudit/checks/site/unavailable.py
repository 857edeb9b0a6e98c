"""site.unavailable — the portal's home page could not be used (8.6.1).

What: the home page failed at crawl time (DNS, refused, timeout of `crawl.timeout` seconds, TLS,
HTTP ≥ 400); and, when availability probes were recorded (`govaudit probe` / nightly runs, table
`probes`), the share of failed probes over the last `days` days reaching `max_failed_share`.

Why: 8.6.1 — a site that cannot be opened fails the most basic requirement; the national
inspection scores availability from repeated probes.

How: the home fetch stored by the crawl (purpose='home'), and govaudit.history.probe_stats over
the probe history. Speaks even when the crawl failed (needs_crawl=False).

Limits: one crawl is one sample: a short outage shows as a fail, a site down except during the
crawl as a pass; probe history fixes both.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.history import probe_stats
from govaudit.model import Finding
from govaudit.text import reason as reason_zh

RULE = Rule(id="site.unavailable", item="8.6.1", title="网站无法访问", needs_crawl=False,
            defaults={"days": 7, "max_failed_share": 0.05, "min_probes": 5})


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    home = ctx.home
    if home is None:
        yield ctx.finding(RULE, "fail", ctx.unit.url, "首页未能抓取", key="crawl", data={"reason": "not fetched"})
    else:
        why = home.get("reason") or (f"HTTP {home['status']}" if (home.get("status") or 0) >= 400 else None)
        if why:
            yield ctx.finding(RULE, "fail", ctx.unit.url, f"检查时首页无法访问（{reason_zh(why)}）", key="crawl",
                              evidence=[ctx.evidence(home, note=f"抓取首页：{reason_zh(why)}；耗时 {home.get('elapsed')} 秒")],
                              data={"reason": why, "elapsed": home.get("elapsed")})
    now = dt.datetime.combine(ctx.today, dt.time(23, 59, 59), dt.timezone.utc)
    stats = probe_stats(ctx.store, ctx.unit.id, now=now, days=conf["days"])
    if stats.total >= conf["min_probes"] and stats.share is not None and stats.share >= conf["max_failed_share"]:
        yield ctx.finding(RULE, "fail", ctx.unit.url,
                          f"近{conf['days']}天可用性探测失败 {stats.failed}/{stats.total}（{stats.share:.0%}）", key="probes",
                          data={"failed": stats.failed, "total": stats.total, "share": stats.share, "since": stats.since,
                                "failures": stats.failures[:20]})
