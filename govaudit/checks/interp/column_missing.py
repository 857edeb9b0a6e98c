"""interp.column-missing — the portal has no 政策解读 column (appraisal 8.4.1).

What: no column named 政策解读 (or 解读回应, 政策解读回应 … *(config: interp.unlinked
interp_column_names)*) is linked from any crawled page, and none is pinned in the unit's `columns`
(key 政策解读).

Why: 8.4.1 asks for policy interpretation to be carried out as a regular duty; a portal without a
place that gathers interpretations fails the national inspection's 政策解读 item.

How: the anchor text of every stored link, folded like column labels (govaudit/extract/columns.py),
compared with the column names. A column linked but not crawled (another host of the same
government, beyond the crawl limits) still counts as present (`data.linked_not_crawled`). A unit can pin the column URL in units.yaml (`columns: {政策解读: URL}`).

Limits: a column reachable only through JavaScript menus, or beyond the crawl limits, is not seen
(the finding says how many interpretations were found elsewhere, a hint that the column exists
under another name). A column that exists but is empty is `column.blank`'s business.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interp import InterpPairs
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interp.column-missing", item="8.4.1", title="未设置政策解读栏目", defaults={},
            uses=(InterpPairs,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    a = ctx.get(InterpPairs)
    home = ctx.home or {"url": ctx.unit.url}
    if a.interp_columns:
        yield ctx.finding(RULE, "pass", a.interp_columns[0], "已设置政策解读栏目",
                          data={"columns": a.interp_columns, "interpretations": len(a.interps)})
        return
    if a.interp_columns_uncrawled:
        col = a.interp_columns_uncrawled[0]
        yield ctx.finding(RULE, "pass", col["source"], f"已设置政策解读栏目（链接至{col['url']}，未在抓取范围内）",
                          target=col["url"], data={"columns": [], "linked_not_crawled": a.interp_columns_uncrawled})
        return
    elsewhere = len(a.interps)
    yield ctx.finding(
        RULE, "fail", home["url"],
        "未发现“政策解读”栏目" + (f"（另在其他页面发现{elsewhere}篇解读材料）" if elsewhere else ""),
        evidence=[ctx.evidence(home, note="所有已抓取页面均无名为“政策解读”的链接")],
        data={"interpretations_elsewhere": elsewhere,
              "examples": [e.url for e in a.interps[:5]], "doc_columns": a.doc_columns})
