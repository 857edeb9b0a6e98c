"""interact.fields — published messages lacking 留言时间, 答复时间 or 答复单位; no statistics (8.5.1).

What: per 咨询/信箱/留言 column, the published messages that lack a 留言时间, or — answered ones —
a 答复时间 or a 答复单位 → `fail`, one finding per column with the counts per field and up to
`max_examples` *(config)* examples; and no block or page of statistics (收到/受理 N 件, 答复/办结
M 件) on any interaction page → `needs_review` (one finding for the unit).

Why: the 政府网站发展指引 asks interaction columns to publish, for each message, its 受理日期,
答复日期, 答复部门 and 答复内容, and statistics of the messages received and answered: without the
dates nobody can check the reply was timely (8.5.1, a working response mechanism).

How: a field counts as published when the message's list row or its detail page shows it
(govaudit/checks/analyses/interaction.py). A message is judged only where the site shows it in
full: its detail page was crawled, or it has no detail page (the row is all there is). A message
whose detail page exists but was not crawled is left out (`data.messages_not_read`).

Statistics are looked for on every interaction page read, then on a page a column links as
来信统计 / 办理情况通报 ….

Limits: a field the page shows only in a picture is not seen; statistics published as an article
elsewhere on the site (not linked from an interaction column) are not found — the finding is
`needs_review` for that reason.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interaction import InteractionAnalysis, Msg, message_evidence, no_messages
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interact.fields", item="8.5.1", title="互动留言要素不全", defaults={"max_examples": 5},
            uses=(InteractionAnalysis, SitePages))

FIELD_NAMES = {"asked_at": "留言时间", "answered_at": "答复时间", "answered_by": "答复单位"}


def _missing(m: Msg) -> list[str]:
    out = [] if m.asked_at else ["asked_at"]
    if m.answered:
        out += [k for k in ("answered_at", "answered_by") if not getattr(m, k)]
    return out


def check(ctx: CheckContext) -> Iterable[Finding]:
    most = int(ctx.settings(RULE.id)["max_examples"])
    a = ctx.get(InteractionAnalysis)
    site = ctx.get(SitePages)
    if not a.messages():
        yield no_messages(ctx, RULE, a)
        return
    for col in a.judged:
        judged = [m for m in col.messages if m.detail_read or not m.url]
        lacking = [(m, _missing(m)) for m in judged]
        lacking = [(m, miss) for m, miss in lacking if miss]
        if not lacking:
            continue
        counts = {FIELD_NAMES[k]: sum(1 for _, miss in lacking if k in miss) for k in FIELD_NAMES}
        counts = {k: v for k, v in counts.items() if v}
        first = lacking[0][0]
        yield ctx.finding(
            RULE, "fail", col.url,
            f"{col.kind_label}栏目“{col.label}”有{len(lacking)}条留言要素不全（"
            + "、".join(f"缺{k}{v}条" for k, v in counts.items()) + "）",
            key=col.url,
            evidence=[e for m, _ in lacking[:most] for e in message_evidence(ctx, m)][:most * 2],
            data={"column": col.summary(), "missing": counts, "messages_judged": len(judged),
                  "messages_not_read": len(col.messages) - len(judged),
                  "examples": [m.brief() | {"missing": [FIELD_NAMES[k] for k in miss]} for m, miss in lacking[:most]]})
    if not a.stats_pages:
        col = a.judged[0]
        pages = [p for p in (site.stored(u) for c in a.judged for u in c.list_pages[:1]) if p is not None]
        yield ctx.finding(
            RULE, "needs_review", col.url,
            "互动栏目未公开留言受理和答复情况的统计（收到多少件、答复多少件），请人工确认是否另有统计公开",
            key="statistics",
            evidence=[ctx.evidence(p, note="互动栏目页面未见“收到…件、答复（办结）…件”之类的统计") for p in pages[:3]],
            data={"statistics": None, "columns": [c.summary() for c in a.judged]})
