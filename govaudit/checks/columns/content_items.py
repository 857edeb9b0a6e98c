"""column.content-items — kinds of 条例 art. 20 content with no column under 法定主动公开内容 (8.2.3).

What: the 15 kinds of information every agency discloses proactively (条例 art. 20): 法规文件,
机构职能, 规划, 统计, 行政许可/服务事项, 行政处罚/强制, 财政预决算, 收费, 政府采购, 重大建设项目,
扶贫/教育/医疗/社保/就业, 应急, 环保/公共卫生/安全生产/食品药品/质量监督, 公务员招考, 其他. One
`needs_review` finding lists the kinds with no matching column (a reviewer confirms: names vary
and some content sits in other sites' columns).

Why: 8.2.3 (法定主动公开内容全面).

How: the link labels outside the header and footer (side menus count) of the 法定主动公开内容
page, the platform page and the other sub-column pages (their side menus) are normalised and
searched for each kind's keywords (`kinds`, a map from kind to keywords; a kind with no keywords,
like 其他, is not judged). Labels of 2–12 characters only, and not department names (…局, …委,
…中心: a 部门信息公开 directory is not a content column).

Limits: matches by names only; whether the column holds the right content is not judged. When
法定主动公开内容 itself is not found the rule is `not_measured` (column.statutory-missing reports it).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.columns import normalize_label
from govaudit.extract.html import text_of
from govaudit.urls import absolute
from govaudit.model import Finding

KINDS: dict[str, list[str]] = {
    "法规文件": ["规章", "规范性文件", "政策文件", "法规", "政府文件", "文件"],
    "机构职能": ["机构", "职能", "职责", "领导", "组织"],
    "规划": ["规划", "计划"],
    "统计": ["统计"],
    "行政许可/服务事项": ["许可", "服务事项", "办事", "政务服务", "权责清单", "权力清单", "审批"],
    "行政处罚/强制": ["处罚", "强制", "执法", "双随机"],
    "财政预决算": ["预算", "决算", "财政", "预决算", "财务"],
    "收费": ["收费"],
    "政府采购": ["采购", "招标", "招投标"],
    "重大建设项目": ["重大建设项目", "建设项目", "重大项目", "重点项目"],
    "扶贫/教育/医疗/社保/就业": ["扶贫", "乡村振兴", "教育", "医疗", "卫生", "社保", "社会保障", "就业", "社会公益", "民生"],
    "应急": ["应急", "突发"],
    "环保/公共卫生/安全生产/食品药品/质量监督": ["环境", "环保", "生态", "公共卫生", "安全生产", "食品", "药品", "质量"],
    "公务员招考": ["招考", "招录", "录用", "招聘", "考录", "人事"],
    "其他": [],
}

# department names in a platform's 部门信息公开 directory are not content columns (市统计局 is not 统计,
# 市退役军人事务局 is not 人事)
ORG_NAME = re.compile(r"(?:局|委|委员会|办|办公室|厅|院|中心|政府|所|站|会|社|部|署|处|队|集团|公司)$")

_HEAD_FOOT = re.compile(r"(^|[-_\s])(header|head|footer|foot|bottom|top|topbar|copyright|banner|logo|yqlj|friend|"
                        r"links?|share|toolbar)([-_\s\d]|$)", re.I)


def _menu_links(root: Any) -> list[tuple[str, str]]:
    """(href, text) of a page's links outside header, footer and their like."""
    if root is None:
        return []
    out = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href:
            continue
        chrome = False
        for node in [a, *a.iterancestors()]:
            if node.tag in ("header", "footer") or _HEAD_FOOT.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
                chrome = True
                break
        if not chrome:
            out.append((href, text_of(a)))
    return out


RULE = Rule(id="column.content-items", item="8.2.3", title="法定主动公开内容不全",
            defaults={"kinds": {**{k: list(v) for k, v in KINDS.items()}, "*": [""]}},
            uses=(ColumnsAnalysis, SitePages))


def check(ctx: CheckContext) -> Iterable[Finding]:
    kinds = ctx.settings(RULE.id)["kinds"]
    plat = ctx.get(ColumnsAnalysis)
    site = ctx.get(SitePages)
    stat = plat.subs.get("statutory")
    if stat is None:
        yield ctx.finding(RULE, "not_measured", ctx.unit.url, "未找到“法定主动公开内容”栏目，无法检查内容类别",
                          data={"reason": "statutory sub-column not found"})
        return
    sources = [stat.url] + [h.url for k, h in plat.subs.items() if h is not None and k != "statutory"]
    if plat.platform is not None:
        sources.insert(1, plat.platform.url)
    labels: dict[str, str] = {}
    for src in dict.fromkeys(sources):
        page_, root = site.root(src)
        # links outside the page's header and footer (side menus count); a page not crawled gives none
        for href, text in _menu_links(root):
            norm = normalize_label(text)
            if 2 <= len(norm) <= 12 and not ORG_NAME.search(norm):
                labels.setdefault(norm, absolute(page_["url"], href) or href if page_ else href)
    matched: dict[str, dict[str, str]] = {}
    missing: list[str] = []
    for kind, words in kinds.items():
        words = [w for w in words if w]
        if not words:
            continue
        hit = next(((lab, url) for lab, url in labels.items() if any(w in lab for w in words)), None)
        if hit:
            matched[kind] = {"label": hit[0], "url": hit[1]}
        else:
            missing.append(kind)
    page = site.stored(stat.url) or {"url": stat.url}
    data = {"missing": missing, "matched": matched, "labels": len(labels), "sources": list(dict.fromkeys(sources))}
    if missing:
        yield ctx.finding(RULE, "needs_review", stat.url,
                          f"法定主动公开内容下未找到以下类别的栏目：{'、'.join(missing)}",
                          evidence=[ctx.evidence(page, note=f"查找了 {len(labels)} 个链接名称")], data=data)
    else:
        yield ctx.finding(RULE, "pass", stat.url, "条例第二十条所列各类信息均有对应栏目",
                          evidence=[ctx.evidence(page)], data=data)
