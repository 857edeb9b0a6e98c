"""column.backfilled — back-dated items and bursts of updates before the appraisal (突击更新/倒签) (8.9.2 e).

What: with the nightly history of the same store, a column list (a crawled page whose list holds at
least `min_dated_items` dated items) is compared with the same URL in earlier runs of the unit:
(1) back-dated: an item that first appears tonight with a publish date before an earlier crawl of
the list that did not show it — although that crawl's list reached back past that date (it would
have been on the first page) → `needs_review`, one finding per list;
(2) burst: at least `burst_min_items` items new since the previous crawl, in the `burst_window_days`
before the appraisal deadline (`deadline`, month-day), after a silence of at least `silence_days`
(the previous crawl's newest item is that much older than the first new one) → `needs_review`.

Why: the appraisal counts how recently columns were updated; units that let columns go stale post
a batch just before the deadline, or date new items in the past to fill the gaps. Neither is
visible in one crawl; both are in the history.

How: govaudit.extract.lists.list_items (the items extract_list finds) on the stored bodies of
tonight's and up to `max_history_runs` earlier complete runs of the unit (bodies pruned by
retention are skipped).
Items are matched by URL. An earlier crawl's date is the date of its fetch; `grace_days` allows for
an item dated the day of the crawl and posted after it. Evidence: both fetches of the list and the
items with their dates.

Limits: `not_measured` without history (a first run, or every earlier body pruned); only the first
page of a list is compared, so an item published between crawls but pushed onto page 2 is not
seen; an item whose URL changed (a CMS migration) reads as new.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse
from govaudit.extract.lists import ListItem, list_items
from govaudit.model import Finding

RULE = Rule(id="column.backfilled", item="8.9.2", title="疑似倒签或突击更新",
            defaults={"min_dated_items": 3, "grace_days": 1, "max_history_runs": 10, "burst_min_items": 5,
                      "silence_days": 60, "deadline": "12-31", "burst_window_days": 30, "max_examples": 10})


def _date_of(row: dict[str, Any], fallback: str | None) -> dt.date | None:
    s = (row.get("fetched_at") or fallback or "")[:10]
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def _lists(ctx: CheckContext, run_id: str, rows: Iterable[dict[str, Any]], min_items: int,
           today: dt.date | None) -> dict[str, tuple[dict[str, Any], list[ListItem]]]:
    out: dict[str, tuple[dict[str, Any], list[ListItem]]] = {}
    for row in rows:
        if "html" not in (row.get("content_type") or "html").lower() or not row.get("sha256"):
            continue
        raw = ctx.store.body(row["sha256"])
        if not raw:
            continue
        root = parse(decode_html(raw, row.get("content_type") or "")[0])
        items = list_items(root, row.get("final_url") or row["url"], _date_of(row, None) or today)
        dated = [i for i in items if i.date]
        if len(dated) >= min_items:
            out[row["url"]] = (row, dated)
    return out


def _history(ctx: CheckContext, limit: int) -> list[dict[str, Any]]:
    """Earlier runs of this unit, newest first."""
    return list(ctx.store.db.query(
        "SELECT r.id, r.today, r.started FROM runs r JOIN units u ON u.run_id=r.id AND u.unit_id=? "
        "JOIN runs me ON me.id=? WHERE r.id != me.id AND r.status IN ('complete', 'completed') "
        "AND (r.started < me.started OR (r.started = me.started AND r.rowid < me.rowid)) "
        "ORDER BY r.started DESC, r.rowid DESC LIMIT ?",
        [ctx.unit.id, ctx.run_id, limit]))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    now = _lists(ctx, ctx.run_id, ctx.content_pages("status BETWEEN 200 AND 299"),
                 conf["min_dated_items"], ctx.today)
    earlier: list[tuple[dict[str, Any], dict[str, tuple[dict[str, Any], list[ListItem]]]]] = []
    for run in _history(ctx, conf["max_history_runs"]):
        rows = [r for url in now for r in ctx.store.db.query(
            "SELECT * FROM pages WHERE run_id=? AND unit_id=? AND url=? AND status BETWEEN 200 AND 299 "
            "AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1", [run["id"], ctx.unit.id, url])]
        lists = _lists(ctx, run["id"], rows, conf["min_dated_items"], None)
        if lists:
            earlier.append((run, lists))
    if not now or not earlier:
        why = "没有历史抓取记录（首次检测，或历史页面已按保留期清理）" if now else "未识别到带日期的栏目列表"
        yield ctx.finding(RULE, "not_measured", ctx.unit.url, f"未能检测：{why}",
                          data={"lists": len(now), "history_runs": len(earlier)})
        return
    grace = dt.timedelta(days=conf["grace_days"])
    for url, (row, items) in now.items():
        back: dict[str, dict[str, Any]] = {}
        for run, lists in earlier:  # newest first: the latest crawl that missed an item is the strongest
            if url not in lists:
                continue
            erow, eitems = lists[url]
            seen = {i.url for i in eitems}
            crawled = _date_of(erow, run["today"])
            oldest = min(i.date for i in eitems if i.date)
            for it in items:
                if it.url in seen or it.url in back or crawled is None or it.date is None:
                    continue
                if it.date < crawled - grace and it.date >= oldest:
                    back[it.url] = {"title": it.title, "url": it.url, "date": it.date.isoformat(),
                                    "absent_on": crawled.isoformat(), "absent_run": run["id"], "page": erow}
        if back:
            ex = sorted(back.values(), key=lambda b: b["date"])[: conf["max_examples"]]
            first = ex[0]
            ev = [ctx.evidence(row, selector=None, note=f"本次抓取：{len(back)} 条新出现的信息日期早于此前抓取日期")]
            ev += [ctx.evidence(b["page"], note=f"{b['absent_on']} 抓取时列表中没有《{b['title']}》（标注日期 {b['date']}）")
                   for b in ex[:3]]
            yield ctx.finding(RULE, "needs_review", url,
                              f"疑似倒签：{len(back)} 条信息标注的发布日期早于此前一次抓取，但当时列表中没有"
                              f"（如《{first['title']}》标注 {first['date']}，{first['absent_on']} 抓取时未见）",
                              key="backdated", evidence=ev,
                              data={"items": [{k: v for k, v in b.items() if k != "page"} for b in ex],
                                    "count": len(back)})
        burst = _burst(ctx, conf, url, items, earlier)
        if burst:
            yield burst


def _burst(ctx: CheckContext, conf: dict[str, Any], url: str, items: list[ListItem],
           earlier: list[tuple[dict[str, Any], dict[str, tuple[dict[str, Any], list[ListItem]]]]]) -> Finding | None:
    prev = next(((run, lists[url]) for run, lists in earlier if url in lists), None)
    if prev is None:
        return None
    run, (erow, eitems) = prev
    seen = {i.url for i in eitems}
    new = [i for i in items if i.url not in seen and i.date]
    if len(new) < conf["burst_min_items"]:
        return None
    month, day = (int(x) for x in conf["deadline"].split("-"))
    deadline = dt.date(ctx.today.year, month, day)
    if deadline < ctx.today:
        deadline = dt.date(ctx.today.year + 1, month, day)
    if (deadline - ctx.today).days > conf["burst_window_days"]:
        return None
    newest_before = max(i.date for i in eitems if i.date)
    first_new = min(i.date for i in new if i.date)
    gap = (first_new - newest_before).days
    if gap < conf["silence_days"]:
        return None
    row = ctx.store.page_by_url(ctx.run_id, url) or {"url": url}
    return ctx.finding(RULE, "needs_review", url,
                       f"疑似突击更新：停更 {gap} 天后，考核截止（{deadline.isoformat()}）前集中新增 {len(new)} 条信息",
                       key="burst",
                       evidence=[ctx.evidence(erow, note=f"{erow.get('fetched_at', '')[:10]} 抓取时最新一条为 {newest_before}"),
                                 ctx.evidence(row, note=f"本次新增 {len(new)} 条，最早 {first_new}")],
                       data={"new_items": len(new), "silence_days": gap, "deadline": deadline.isoformat(),
                             "previous_run": run["id"],
                             "items": [{"title": i.title, "url": i.url, "date": i.date.isoformat()}
                                       for i in new[: conf["max_examples"]] if i.date]})
