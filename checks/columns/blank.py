"""column.blank — a column with nothing in it (appraisal 8.2.5, 8.6; national veto "空白栏目").

What: a column (linked from the home page, the navigation, the platform or its sub-columns, or
pinned in the unit config) whose list has no items, shows a placeholder (暂无信息, 暂无数据,
正在建设中 …), says 共0条, or whose main area holds no text and no links.

Why: the national inspection vetoes a site with ≥5 blank columns and deducts per column; 8.2.5
asks for statutory columns that actually carry their content.

How: the column page's list is extracted (govaudit.extract.lists); a column with items is not
blank. Otherwise the page's main area (outside navigation, header, footer, breadcrumbs) is read:
a page of text (a single-page column such as 机构职能) or of links (a directory of sub-columns) is
not blank. A page without items whose scripts look like they fill the list at run time (AJAX,
templates, JS pagers) is `needs_review`, not `fail`: the list may exist for a browser.

Limits: columns reached only through JavaScript menus are not examined; labels longer than
`max_label_length` are taken for article titles, not columns.
"""
from __future__ import annotations

import re
from typing import Iterable

from checks.columns._discovery import SKIP_LABELS, discover, listing, main_of
from checks.context import CheckContext
from checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="column.blank", item="8.2.5", title="空白栏目",
            defaults={"min_text": 30, "max_label_length": 12, "skip_labels": list(SKIP_LABELS)})

_PAGER_WORDS = re.compile(r"共\s*\d+\s*(?:条|页)|第\s*\d+\s*页|\d+\s*/\s*\d+\s*页?|首页|上一页|下一页|尾页|末页|"
                          r"当前位置[:：]?|您现在的位置[:：]?|跳转|转到|GO|go|\s+")


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    plat = discover(ctx)
    for col in plat.columns:
        lp = listing(ctx, col.url)
        if lp is None or lp.items:
            continue
        text, links = main_of(ctx, col.url)
        page = col.page or {"url": col.url}
        data = {**col.to_dict(), "placeholder": lp.placeholder, "total_items": lp.total_items,
                "js_list": lp.js_list, "js_pager": lp.js_pager}
        if lp.placeholder:
            yield ctx.finding(RULE, "fail", col.url, f"栏目“{col.label}”无内容（显示“{lp.placeholder}”）",
                              evidence=[ctx.evidence(page, snippet=lp.placeholder)], data=data)
            continue
        if lp.total_items == 0:
            yield ctx.finding(RULE, "fail", col.url, f"栏目“{col.label}”无内容（共0条）",
                              evidence=[ctx.evidence(page, snippet=text[:200])], data=data)
            continue
        real_links = [h for h, t in links if h and not h.lower().startswith(("javascript:", "#"))
                      and t and not _PAGER_WORDS.fullmatch(t)]
        residual = _PAGER_WORDS.sub("", text.replace(col.label.replace(" ", ""), "").replace(col.label, ""))
        if len(real_links) >= 2 or len(residual) >= conf.get("min_text", 30):
            continue  # a directory of links, or a single page of text: not a list column
        if lp.js_list or lp.js_pager:
            yield ctx.finding(RULE, "needs_review", col.url,
                              f"栏目“{col.label}”页面未见列表内容，列表可能由脚本生成，需人工在浏览器中确认",
                              evidence=[ctx.evidence(page, snippet=text[:200], note="list filled by JavaScript?")],
                              data=data)
            continue
        yield ctx.finding(RULE, "fail", col.url, f"栏目“{col.label}”无内容",
                          evidence=[ctx.evidence(page, snippet=text[:200])], data=data)
