"""guide.missing — no 政府信息公开指南 found (appraisal 8.2.7; 条例 art. 12).

What: neither the guide sub-column, nor a page titled …公开指南, nor a guide attachment.

Why: 条例 art. 12 obliges every agency to compile and publish its disclosure guide; 8.2.7 scores it.

How: GuideFound (checks/analyses/guide.py) — the guide sub-column (found by its normalised label or pinned in
the unit config), its page or its list item titled …公开指南; else any crawled page so titled;
else a PDF/Word attachment linked as …公开指南. The pass finding says where it was found.

A guide column where no guide text is found (empty, or its list is filled by a script) is
`needs_review`: the guide may exist for a browser.

Limits: a guide column's newest item with another title is taken as the guide only when it reads
like one (own text naming at least two of 主动公开, 依申请, 受理机构/办公地址, 监督/救济).
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.guide import GuideFound
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

HOW = {"column page": "指南栏目页面", "column item": "指南栏目中的条目", "page title": "标题含“公开指南”的页面",
       "attachment": "附件"}

RULE = Rule(id="guide.missing", item="8.2.7", title="未公开政府信息公开指南", defaults={},
            uses=(GuideFound, ColumnsAnalysis, SitePages))


def check(ctx: CheckContext) -> Iterable[Finding]:
    doc = ctx.get(GuideFound).doc
    if doc is None:
        plat = ctx.get(ColumnsAnalysis)
        where = plat.platform.url if plat.platform else (ctx.home or {"url": ctx.unit.url})["url"]
        yield ctx.finding(RULE, "fail", where, "未找到政府信息公开指南",
                          evidence=[ctx.evidence(ctx.get(SitePages).stored(where) or {"url": where},
                                                 note="没有指南栏目、页面或附件")],
                          data={"guide_column": plat.subs.get("guide").url if plat.subs.get("guide") else None})
        return
    ev = ctx.evidence(doc.page, snippet=doc.title) if doc.page else ctx.evidence({"url": doc.url}, snippet=doc.title)
    if doc.how == "column only":
        yield ctx.finding(RULE, "needs_review", doc.url, f"找到“{doc.title}”栏目，但未找到指南正文（栏目为空或由脚本生成）",
                          evidence=[ev], data=doc.to_dict())
        return
    how = HOW.get(doc.how, doc.how)
    yield ctx.finding(RULE, "pass", doc.url, f"找到政府信息公开指南（{how}）：{doc.title}", evidence=[ev],
                      data=doc.to_dict())
