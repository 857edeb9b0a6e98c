"""interact.late-reply — a reply published more than 10 working days after the message (8.5.2).

What: for each answered message of a 咨询/信箱/留言 column with both dates published, the working
days from 留言时间 to 答复时间; more than `max_workdays` *(config, default 10)* → `needs_review`,
one finding per message. Every column's count, median and maximum latency are reported in
`data.columns`, on a clean result too.

Why: 8.5.2 asks for timely responses; local practice answers simple questions within 5 working
days and most letter systems promise 10 (the census deducts for slow replies). `needs_review`:
a complex letter may lawfully take longer (an extension, a transfer between departments).

How: dates from the message's list row and detail page (govaudit/checks/analyses/interaction.py);
working days from govaudit/extract/workdays.py (weekends, public holidays, 调休): counted after the
message's date up to and including the reply's, so a Friday message answered on Monday is 1.

Limits: a date outside the holiday calendar's years is not counted (`data.not_counted`), never
guessed from weekends alone; messages without a published 答复时间 are `interact.fields`' business.
The dates are those the site publishes, which a CMS may set when the reply is published rather
than when it was written.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interaction import InteractionAnalysis, clean, message_evidence, no_messages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interact.late-reply", item="8.5.2", title="互动留言答复不及时", defaults={"max_workdays": 10},
            uses=(InteractionAnalysis,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    limit = int(ctx.settings(RULE.id)["max_workdays"])
    a = ctx.get(InteractionAnalysis)
    msgs = a.messages()
    if not msgs:
        yield no_messages(ctx, RULE, a)
        return
    columns = [c for c in a.column_stats() if c["judged"]]
    timed = [m for m in msgs if m.latency is not None]
    not_counted = [m.brief() | {"note": m.latency_note} for m in msgs if m.latency_note][:10]
    late = 0
    for m in timed:
        assert m.latency is not None
        if m.latency <= limit:
            continue
        late += 1
        yield ctx.finding(
            RULE, "needs_review", m.source_url or m.column.url,
            f"{m.column.kind_label}栏目“{m.column.label}”的留言“{m.title}”于{m.asked_at}提出，{m.answered_at}才答复，"
            f"历时{m.latency}个工作日（超过{limit}个工作日）",
            target=m.url, key=m.key, evidence=message_evidence(ctx, m),
            data={"message": m.brief(), "latency_workdays": m.latency, "max_workdays": limit,
                  "column": m.column.summary()})
    if not timed:
        yield ctx.finding(RULE, "not_applicable", a.judged[0].url,
                          "已公开的留言均未同时标注留言时间和答复时间，无法计算答复用时",
                          data={"messages": len(msgs), "columns": columns, "not_counted": not_counted})
        return
    if not late:
        yield clean(
            ctx, RULE, a, a.judged[0].url,
            f"已公开且标注日期的{len(timed)}条答复均在{limit}个工作日内（仅就已公开的留言而言）",
            data={"timed": len(timed), "max_workdays": limit, "columns": columns, "not_counted": not_counted,
                  "scope": "published-only"})
