"""column.stale — a column not updated within the time its kind allows (appraisal 8.6; national veto).

What: the newest item date of a column is older than its class allows: 动态/要闻/新闻 14 days,
通知公告/政策文件 6 months, 人事/规划计划 1 year (classes by name pattern, `classes`).

Why: the national inspection vetoes a site with ≥5 动态/要闻 columns not updated for 2 weeks or
通知公告/政策文件 columns not updated for 6 months, and deducts 3/4/5 points per stale column.

How: columns come from the platform discovery (home page, navigation, platform, pinned URLs);
each is classed by the longest pattern its normalised name contains. Its list is extracted from
the stored list page and its crawled next pages (`max_list_pages`); dates are read from the list
(2024-03-05, 2024/3/5, 2024年3月5日, [03-05] with the year inferred) — from the DOM a browser
built when a script fills the list (crawler/render.py) — and, when the list shows
none, from the stored article pages' publish dates (PubDate meta or 发布日期 labels). Never from
HTTP headers. The finding gives the newest date, the threshold and the column URL.

Limits: a column whose dates are nowhere to be read is `not_measured`. Columns without a class
(e.g. 机构职能) are not judged. A column's class comes from its name only.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.columns import DEFAULT_CLASSES
from govaudit.extract.dates import publish_date
from govaudit.model import Finding

RULE = Rule(id="column.stale", item="8.6.2", title="栏目长期未更新",
            defaults={"classes": {**{k: {"patterns": list(v["patterns"]), "days": v["days"]}
                                     for k, v in DEFAULT_CLASSES.items()},
                                  "*": {"patterns": [""], "days": 0}},
                      "max_list_pages": 3, "article_dates": 5},
            uses=(ColumnsAnalysis, SitePages))

CLASS_NAMES = {"dynamic": "动态要闻类", "notice": "通知公告/政策文件类", "yearly": "人事/规划计划类"}


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    plat = ctx.get(ColumnsAnalysis)
    site = ctx.get(SitePages)
    for col in plat.columns:
        if col.fresh_class is None:
            continue
        cls, days, pattern = col.fresh_class
        lp = site.listing(col.url)
        if lp is None or not lp.items:
            continue  # column.blank speaks for empty columns
        shown_row, shown = site.shown_page(col.url, lp)   # the browser's DOM, a frame page, or the page
        page = shown_row or col.page or {"url": col.url}
        newest, source = lp.newest, "list"
        if newest is None:
            dates = []
            for item in lp.items[: conf["article_dates"]]:
                _, root = site.root(item.url)
                pd = publish_date(root) if root is not None else None
                if pd:
                    dates.append(pd.date)
            newest, source = (max(dates), "articles") if dates else (None, None)
        base = {**col.to_dict(), "class": cls, "class_name": CLASS_NAMES.get(cls, cls), "pattern": pattern,
                "threshold_days": days, "items": len(lp.items), "dated_items": lp.dated, "rendered": lp.rendered,
                "list_url": lp.url}
        if newest is None:
            yield ctx.finding(RULE, "not_measured", col.url, f"栏目“{col.label}”列表未标注日期，无法判断更新情况",
                              evidence=[ctx.evidence(page, note="列表和文章页均无日期")], data=base)
            continue
        age = (ctx.today - newest).days
        if age > days:
            top = next((i for i in lp.items if i.date == newest), lp.items[0])
            yield ctx.finding(
                RULE, "fail", col.url,
                f"栏目“{col.label}”最新信息日期为{newest.isoformat()}，已{age}天未更新"
                f"（{CLASS_NAMES.get(cls, cls)}栏目应在{days}天内更新）",
                evidence=[ctx.evidence(page, snippet=f"{top.title} {top.date_text or ''}".strip(), selector=top.selector,
                                      **shown)],
                data={**base, "newest": newest.isoformat(), "age_days": age, "date_source": source,
                      "newest_item": top.to_dict()})
