"""plan.missing — no 政务公开工作要点 / 实施方案 / 工作计划 for the audit year (appraisal 8.1.2;
requirements §7).

What: nothing on the site names this year's 政务公开工作要点, 实施方案 or 工作计划 (the year of the
audit date), nor last year's 政务公开工作总结.

Why: 8.1.2 (制定年度工作计划、目标和措施并组织实施) scores the year's plan; the State Council's yearly
政务公开工作要点 asks every level to publish its own implementing plan, and the summary of the year
before shows that one was carried out.

How: the titles of the unit's crawled pages and the texts of every stored link (list items,
attachments named in a list) are matched against `plan_patterns` and `summary_patterns` (regular
expressions). A title that names a superior issuer (`superior_patterns`: 国务院办公厅, 省/自治区
办公厅, 市/盟/州 办公室) and not the unit's own place (青山县 for 青山县人民政府 or 青山县教育局) is a
repost of a superior's plan: listed, never counted. The year is read from the title (2024年, 二〇二四年); a title without a year takes the
publish date of its page when the page was crawled. A plan of the audit year, or a summary of the
year before, passes (the pass names it). Otherwise `needs_review`, with what was found (other
years' plans, undated ones) as evidence: the plan may be published elsewhere (the 本级政府 platform,
an attachment without a telling name), so a person confirms.

Limits: a plan published only inside a general 通知 whose title does not name it is not found; a
plan on the superior government's site does not count for the unit.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Iterable

from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.dates import publish_date
from govaudit.model import Finding, place_name

RULE = Rule(id="plan.missing", item="8.1.2", title="未公开年度政务公开工作要点或计划",
            defaults={"plan_patterns": [r"(?:政务公开|政府信息公开|政务信息公开)[^，。]{0,10}?(?:工作要点|要点|实施方案|"
                                        r"工作方案|工作计划|工作安排|重点工作任务|任务分工)"],
                      "summary_patterns": [r"(?:政务公开|政府信息公开|政务信息公开)[^，。]{0,10}?(?:工作总结|总结)"],
                      # a superior's plan reposted on the unit's site (国务院办公厅关于印发…工作要点) is not the unit's own
                      "superior_patterns": [r"国务院", r"国办", r"(?:省|自治区)(?:人民政府|政府)?办公厅",
                                            r"(?:市|盟|州)(?:人民政府|政府)?办公室"],
                      "max_listed": 10},
            uses=(SitePages,))

_SITE_SUFFIX = re.compile(r"\s*[_|｜]\s*|\s+[-—]\s+")   # 标题_青山县人民政府: the site's name after the title
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" + "9")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年|([一二〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{3})\s*年")


@dataclass
class PlanDoc:
    title: str
    url: str
    kind: str                 # plan | summary
    year: int | None
    year_from: str            # title | date | ""
    source: str               # page | link
    page: str | None = None   # the page that links it (links)
    superior: bool = False    # issued by a superior government (a repost), not the unit's own

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "plan_kind": self.kind, "year": self.year,
                "year_from": self.year_from, "found_in": self.source, "page": self.page, "superior": self.superior}


def title_year(title: str) -> int | None:
    """The year a title names: 2024年, 二〇二四年 (the first one)."""
    m = _YEAR.search(title or "")
    if not m:
        return None
    return int(m.group(1) or m.group(2).translate(_CN_DIGITS))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    year = ctx.today.year
    docs = _documents(ctx, conf)
    own = [d for d in docs if not d.superior]
    plans = [d for d in own if d.kind == "plan" and d.year == year]
    summaries = [d for d in own if d.kind == "summary" and d.year == year - 1]
    listed = [d.to_dict() for d in docs[: int(conf["max_listed"])]]
    hit = (plans or summaries or [None])[0]
    if hit is not None:
        what = f"{year} 年工作要点/计划" if plans else f"{year - 1} 年工作总结"
        yield ctx.finding(RULE, "pass", hit.url, f"找到{what}：{hit.title}",
                          evidence=[_evidence(ctx, hit)], data={"year": year, "found": listed})
        return
    home = (ctx.home or {"url": ctx.unit.url})["url"]
    others = "；".join(f"{d.title}（{d.year or '年份不明'}{'，上级文件' if d.superior else ''}）" for d in docs[:3])
    tail = f"。网站上只找到：{others}" if others else ""
    yield ctx.finding(RULE, "needs_review", home,
                      f"未找到 {year} 年政务公开工作要点、实施方案或工作计划，也未找到 {year - 1} 年政务公开工作总结{tail}；"
                      f"请在政府信息公开平台发布本年度政务公开工作要点（或实施方案）",
                      evidence=[_evidence(ctx, d) for d in docs[:3]] or
                      [ctx.evidence(ctx.home or {"url": home}, note="标题和链接中未找到政务公开工作要点、计划或总结")],
                      data={"year": year, "found": listed})


def _evidence(ctx: CheckContext, d: PlanDoc) -> Any:
    site = ctx.get(SitePages)
    page = site.stored(d.url) or (site.stored(d.page) if d.page else None) or {"url": d.url}
    year = f"{d.year} 年（{'标题' if d.year_from == 'title' else '发布日期'}）" if d.year else "年份不明"
    return ctx.evidence(page, snippet=d.title, note=f"{'工作要点/计划' if d.kind == 'plan' else '工作总结'}，{year}")


def _documents(ctx: CheckContext, conf: dict[str, Any]) -> list[PlanDoc]:
    """Every plan/summary the site names: page titles, then link texts; newest year first."""
    plan_rx = [re.compile(p) for p in conf["plan_patterns"] if p]
    sum_rx = [re.compile(p) for p in conf["summary_patterns"] if p]

    def kind_of(title: str) -> str | None:
        t = "".join((title or "").split())
        if any(rx.search(t) for rx in sum_rx):
            return "summary"
        if any(rx.search(t) for rx in plan_rx):
            return "plan"
        return None

    site = ctx.get(SitePages)
    place = place_name(ctx.unit.name)
    superior = [re.compile(p) for p in conf["superior_patterns"] if p]
    out: dict[str, PlanDoc] = {}
    for p in ctx.content_pages("status < 400 AND title LIKE '%公开%'"):
        title = _SITE_SUFFIX.split(p["title"] or "")[0]
        kind = kind_of(title)
        if kind and p["url"] not in out:
            out[p["url"]] = _dated(site, PlanDoc(title, p["url"], kind, None, "", "page"))
    rows = ctx.store.db.query(
        "SELECT p.url AS source, l.target, l.text FROM links l JOIN pages p ON p.id = l.page_id "
        "WHERE l.run_id=? AND l.unit_id=? AND l.tag IN ('a','area') AND l.text LIKE '%公开%' "
        "AND length(l.text) <= 120 ORDER BY p.depth, p.id", [ctx.run_id, ctx.unit.id])
    for r in rows:
        text = " ".join((r["text"] or "").split())
        kind = kind_of(text)
        if kind and r["target"] not in out:
            out[r["target"]] = _dated(site, PlanDoc(text, r["target"], kind, None, "", "link", r["source"]))
    for d in out.values():
        # a title naming the unit's own place is its own; one naming a superior issuer only is a repost
        d.superior = not (place and place in d.title) and any(rx.search(d.title) for rx in superior)
    return sorted(out.values(), key=lambda d: (d.superior, -(d.year or 0), d.kind != "plan"))


def _dated(site: SitePages, d: PlanDoc) -> PlanDoc:
    y = title_year(d.title)
    if y is not None:
        d.year, d.year_from = y, "title"
        return d
    _, root = site.root(d.url)
    pd = publish_date(root) if root is not None else None
    if pd is not None and isinstance(pd.date, dt.date):
        d.year, d.year_from = pd.date.year, "date"
    return d
