"""What the interact.* rules share beyond the analysis: evidence of one message, the verdict
when no message is published. Helpers, no rule (the registry skips modules without RULE)."""
from __future__ import annotations

from typing import Any

from govaudit.checks.analyses.interaction import InteractionAnalysis, Msg
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.model import Evidence, Finding


def message_evidence(ctx: CheckContext, m: Msg) -> list[Evidence]:
    """The list row and the detail page that show a message, with both dates."""
    site = ctx.get(SitePages)
    dates = f"留言时间 {m.asked_at or '未标注'}；答复时间 {m.answered_at or '未标注'}"
    out: list[Evidence] = []
    if m.row_page:
        page = site.stored(m.row_page)
        if page is not None:
            out.append(ctx.evidence(page, snippet=(m.row_snippet or m.title)[:300], note=f"列表行：{dates}"))
    if m.detail_read and m.url:
        page = site.stored(m.url)
        if page is not None:
            out.append(ctx.evidence(page, snippet=(m.detail_snippet or m.title)[:300], note=f"详情页：{dates}"))
    return out


def no_messages(ctx: CheckContext, rule: Any, a: InteractionAnalysis) -> Finding:
    """No published message in a judged column: not_applicable when the channels were read (or
    none exists), not_measured when the only channels are on other hosts or were not crawled."""
    home = ctx.home or {"url": ctx.unit.url}
    unread = [c for c in a.columns if c.judged and not c.crawled]
    data = {"channels": [{"label": c.label, "url": c.url, "kind_label": c.kind_label, "crawled": c.crawled,
                          "external": c.external} for c in a.columns[:20]], "excluded_columns": a.excluded()}
    if unread and not any(c.crawled and c.judged for c in a.columns):
        return ctx.finding(rule, "not_measured", unread[0].url,
                           f"未能检测：互动栏目“{unread[0].label}”未被抓取（位于其他网站或超出抓取范围），无法读取留言",
                           target=unread[0].url, data=data)
    return ctx.finding(rule, "not_applicable", home["url"], "未发现已公开的咨询、信箱或留言类留言", data=data)
