"""interact.stale — no reply published for over 60 days (appraisal 8.5.2).

What: the newest published 答复时间 across the unit's 咨询/信箱/留言 columns is older than
`max_days` *(config, default 60)* before the audit date → `fail` (one finding for the unit, the
newest reply as evidence); messages published but no reply date at all → `fail` too.

Why: local practice deducts when an interaction channel publishes no new reply for 2 months: a
channel that stopped answering is a channel in name only (8.5.2, timely response).

How: reply dates from list rows and detail pages (govaudit/checks/analyses/interaction.py), the
newest of them per column in `data.columns`, and the newest overall compared with the audit date
in calendar days.

Limits: a unit that answers but publishes no reply dates looks stale (the finding says when no
date was found at all); rows that say nothing about a reply (a hub's 最新来信 list whose letters
were not read) are `not_applicable`; replies on another host's letter system are not read. An
absence verdict: on a partial crawl that left letters unread it is `not_measured`.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from govaudit.checks.analyses.interaction import InteractionAnalysis, message_evidence, no_messages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interact.stale", item="8.5.2", title="互动栏目长期未发布答复", defaults={"max_days": 60},
            uses=(InteractionAnalysis,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    limit = int(ctx.settings(RULE.id)["max_days"])
    a = ctx.get(InteractionAnalysis)
    msgs = a.messages()
    if not msgs:
        yield no_messages(ctx, RULE, a)
        return
    columns = [c for c in a.column_stats() if c["judged"]]
    replied = [m for m in msgs if m.answered_at and dt.date.fromisoformat(m.answered_at) <= ctx.today]
    if not replied and all(m.answered is None for m in msgs):
        # rows with a title and a date only (a hub's 最新来信), detail pages not read: nothing says
        # whether, or when, they were answered
        yield ctx.finding(RULE, "not_applicable", a.judged[0].url,
                          f"已公开的{len(msgs)}条留言均未标明是否答复及答复时间，无法判断最新答复日期",
                          data={"messages": len(msgs), "max_days": limit, "columns": columns})
        return
    if not replied:
        col = a.judged[0]
        yield ctx.finding(
            RULE, "fail", col.url,
            f"互动栏目已公开{len(msgs)}条留言，但未发现任何标注答复时间的答复",
            evidence=message_evidence(ctx, msgs[0]),
            data={"newest_reply": None, "age_days": None, "max_days": limit, "messages": len(msgs), "columns": columns})
        return
    newest = max(replied, key=lambda m: m.answered_at or "")
    age = (ctx.today - dt.date.fromisoformat(newest.answered_at or "")).days
    data = {"newest_reply": newest.answered_at, "age_days": age, "max_days": limit, "message": newest.brief(),
            "columns": columns}
    if age > limit:
        yield ctx.finding(
            RULE, "fail", newest.source_url or newest.column.url,
            f"互动栏目最新一条答复发布于{newest.answered_at}，已{age}天未发布新的答复（超过{limit}天）",
            target=newest.url, evidence=message_evidence(ctx, newest), data=data)
        return
    yield ctx.finding(RULE, "pass", newest.source_url or newest.column.url,
                      f"最新答复发布于{newest.answered_at}（{age}天前）", data=data)
