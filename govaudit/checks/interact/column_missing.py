"""interact.column-missing — no interaction channel reachable from the home page (appraisal 8.5.1).

What: no link on any crawled page names an interaction channel — 领导/局长/书记/旗长信箱, 咨询,
留言, 政民互动/互动交流, 我要写信, 12345, 问政, 在线访谈, 意见征集 … *(config: channel_names, minus
not_channel_names such as 咨询电话, 依申请公开, the footer's 违法和不良信息举报)* — → `needs_review`;
also when the only channels are 在线访谈, 调查征集 or 举报投诉 (the census does not count them as a
政务咨询 channel).

Why: 8.5 (回应关切) asks the unit to take and answer the public's questions; the 政府网站发展指引 asks
every government portal for an interaction channel, and the national inspection checks it.

How: the anchor text of every stored link (and of the links a browser saw on the home page),
folded like column labels, at most `max_label_length` characters; longer texts, and texts shaped
like a message title (`title_pattern`: 关于…的咨询, questions), are letters, not channels. A link to another host — the province's shared letter system, a 12345 platform — counts
as a channel although its pages are not crawled (`data.channels` says which). The finding lists
the channels found, their kind (信箱, 咨询, 留言, 在线访谈 …) and whether they were crawled.

Limits: a channel reachable only through a script menu or beyond the crawl limits is not seen
(on a partial crawl the verdict is `not_measured`); a channel behind an image link without alt
text has no anchor text to read. `needs_review`, not `fail`: the unit may take letters through a
channel the portal does not name.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interaction import VOCAB_DEFAULTS, InteractionAnalysis
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interact.column-missing", item="8.5.1", title="未设置互动交流渠道", defaults=dict(VOCAB_DEFAULTS),
            uses=(InteractionAnalysis,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    a = ctx.get(InteractionAnalysis)
    home = ctx.home or {"url": ctx.unit.url}
    channels = [{"label": c.label, "url": c.url, "kind_label": c.kind_label, "source": c.source,
                 "crawled": c.crawled, "external": c.external, "messages": len(c.messages)} for c in a.columns]
    judged = [c for c in a.columns if c.judged]
    if channels and not judged:
        # 在线访谈, 调查征集, 举报投诉 only: the census does not count them as a 政务咨询 channel
        yield ctx.finding(
            RULE, "needs_review", a.columns[0].url,
            f"仅发现{'、'.join(sorted({c.kind_label for c in a.columns}))}类互动栏目，未发现领导信箱、咨询或留言渠道，请人工确认",
            evidence=[ctx.evidence(ctx.home, note="首页可达的互动栏目均为访谈、征集或投诉举报类")] if ctx.home else [],
            data={"channels": channels[:30], "count": len(channels), "judged": 0})
        return
    if channels:
        first = judged[0]
        yield ctx.finding(RULE, "pass", first.url,
                          f"已设置互动交流渠道{len(channels)}个（{'、'.join(c['label'] for c in channels[:5])}）",
                          data={"channels": channels[:30], "count": len(channels)})
        return
    yield ctx.finding(
        RULE, "needs_review", home["url"],
        "未发现互动交流渠道（领导信箱、咨询、留言、政民互动、12345 或省级统一信件系统链接等），请人工确认",
        evidence=[ctx.evidence(home, note="所有已抓取页面均无名为信箱、咨询、留言、政民互动等的链接")] if ctx.home else [],
        data={"channels": [], "count": 0})
