"""column.statutory-missing — one of the four platform sub-columns not found (appraisal 8.2.4).

What: 政府信息公开指南, 政府信息公开制度, 法定主动公开内容, 政府信息公开年报 (国办公开办函〔2019〕61号);
one `fail` per missing sub-column, naming it.

Why: 8.2.4 (法定栏目设置); the four sub-columns are unified nationwide.

How: anchor texts of stored links, normalised (labels split by <br>, wrapped in <em>, icons)
and matched in full against `patterns` (regular expressions per sub-column; the first is the
canonical name, the others the variants: 信息公开指南, 年报, 政府信息公开年度报告 …). Links on the
platform page are searched first, then pages inside the platform, then any crawled page. The
unit config can pin a sub-column (`columns: {guide: URL}`). The pass finding lists every
sub-column with its label, URL, the page it was found on and how.

Limits: menus built only by JavaScript are not seen unless the page was rendered.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.columns import CANONICAL, DEFAULT_PATTERNS, SUBCOLUMNS, normalize_label
from govaudit.model import Finding

RULE = Rule(id="column.statutory-missing", item="8.2.4", title="法定子栏目缺失",
            defaults={"patterns": {k: list(v) for k, v in DEFAULT_PATTERNS.items()},
                      "required": list(SUBCOLUMNS)},
            uses=(ColumnsAnalysis, SitePages))


def check(ctx: CheckContext) -> Iterable[Finding]:
    plat = ctx.get(ColumnsAnalysis)
    where = plat.platform.url if plat.platform else (ctx.home or {"url": ctx.unit.url})["url"]
    where_page = ctx.get(SitePages).stored(where) or {"url": where}
    missing = []
    for key in ctx.settings(RULE.id)["required"]:
        if plat.subs.get(key) is None:
            missing.append(key)
            yield ctx.finding(RULE, "fail", where, f"政府信息公开平台缺少“{CANONICAL.get(key, key)}”子栏目",
                              key=key, evidence=[ctx.evidence(where_page, note=f"在 {len(plat.searched)} 个页面中"
                                                              f"未找到与“{CANONICAL.get(key, key)}”相符的链接")],
                              data={"missing": key, "name": CANONICAL.get(key, key),
                                    "searched": plat.searched[:10], "platform": plat.platform.url if plat.platform else None})
    if not missing:
        found = {k: v.to_dict() for k, v in plat.subs.items() if v is not None}
        yield ctx.finding(RULE, "pass", where, "四个法定子栏目均已找到：" + "、".join(
            f"{CANONICAL[k]}（{normalize_label(v['label'])}）" for k, v in found.items() if k in SUBCOLUMNS),
            evidence=[ctx.evidence(where_page)], data={"found": found})
