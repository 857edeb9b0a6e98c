"""interact.unanswered — a published message left without a published reply for over 90 days (8.5.2).

What: a message in a 咨询/信箱/留言 column whose list row or detail page shows no reply (status
未回复/办理中/待回复 …, or a detail page with no 答复内容 and no 答复时间), received more than
`max_days` *(config, default 90: the census's 3 months)* before the audit date → `fail`, one
finding per message. This is the national inspection's veto item (国办函〔2015〕15号: a 政务咨询类
column with a message unanswered for over 3 months).

Why: 8.5.2 asks for timely responses to public concerns; the census vetoes a site on one such
message. 在线访谈, 调查征集 and 举报投诉 columns are excluded, as the census excludes them
(`data.excluded_columns` lists them).

How: messages from govaudit/checks/analyses/interaction.py (list rows merged with their detail
pages); the age is counted in calendar days from 留言时间 to the audit date. Evidence: the list
row or the detail page that shows the message unanswered, with its date. A clean result is a
`pass` for what was published and says so: many units publish selected letters only, so it is
never proof that all letters were answered.

Limits: a message whose row says nothing about a reply and whose detail page was not crawled is
not judged (`data.unknown`); a message without a 留言时间 cannot be aged (`interact.fields` reports
it). Columns that publish only answered letters look clean here.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interaction import InteractionAnalysis, clean, message_evidence, no_messages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interact.unanswered", item="8.5.2", title="互动留言超期未回复", defaults={"max_days": 90},
            uses=(InteractionAnalysis,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    limit = int(ctx.settings(RULE.id)["max_days"])
    a = ctx.get(InteractionAnalysis)
    msgs = a.messages()
    if not msgs:
        yield no_messages(ctx, RULE, a)
        return
    late = 0
    for m in msgs:
        asked = m.asked()
        if m.answered is not False or asked is None:
            continue
        age = (ctx.today - asked).days
        if age <= limit:
            continue
        late += 1
        yield ctx.finding(
            RULE, "fail", m.source_url or m.column.url,
            f"{m.column.kind_label}栏目“{m.column.label}”的留言“{m.title}”（{m.asked_at}）已{age}天未见答复"
            f"（超过{limit}天），属于超期未回复",
            target=m.url, key=m.key,
            evidence=message_evidence(ctx, m),
            data={"message": m.brief(), "age_days": age, "max_days": limit, "column": m.column.summary()})
    if not late:
        unknown = sum(1 for m in msgs if m.answered is None)
        open_ = sum(1 for m in msgs if m.answered is False)
        yield clean(
            ctx, RULE, a, a.judged[0].url,
            f"已公开的{len(msgs)}条留言中未发现超过{limit}天未答复的（仅就已公开的留言而言，不能证明所有来信均已答复）",
            data={"messages": len(msgs), "open_within_limit": open_, "unknown": unknown, "max_days": limit,
                  "columns": a.column_stats(), "excluded_columns": a.excluded(), "scope": "published-only"})
