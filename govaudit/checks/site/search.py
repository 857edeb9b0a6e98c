"""site.search — a working site search on the disclosure platform (条例 art. 24; 8.6.2).

What: the 政府信息公开 platform's entry page (the home-page link labelled 政府信息公开 / 政务公开 /
信息公开) offers no search: no form with a text input, no search/检索 link. A form whose action
target failed when crawled is a search that does not work.

Why: the Regulation on Open Government Information (art. 24) asks platforms to provide search;
the appraisal checks that it exists and works.

How: the stored entry page: forms (GET/POST) with a text/search input, inputs whose name or
placeholder says 搜索/检索/关键字, links labelled 搜索/检索/高级检索. When the form's action URL
(without query) was fetched by the crawl, its status decides "working". `needs_review` when none
is found or the action target is broken.

Limits: a search box built only by JavaScript is seen on the rendered entry page only through its
screenshot; the search results themselves are not requested (no form submission).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.html import parse, text_of
from govaudit.model import Finding
from govaudit.text import reason as reason_zh
from govaudit.urls import absolute, host_of, normalize

RULE = Rule(id="site.search", item="8.6.2", title="政务公开平台缺少站内搜索", uses=(HygieneScan,),
            defaults={"platform_words": ["政府信息公开", "政务公开", "信息公开"],
                      "search_words": ["搜索", "检索", "查询", "关键字", "关键词", "search"]})


def find_search(root: Any, url: str, words: list[str]) -> dict[str, Any] | None:
    rx = re.compile("|".join(re.escape(w) for w in words), re.I)
    for form in root.iter("form"):
        inputs = [i for i in form.iter("input") if (i.get("type") or "text").lower() in ("text", "search", "")]
        if inputs:
            return {"how": "form", "action": absolute(url, form.get("action") or "") or url,
                    "input": inputs[0].get("name") or ""}
    for i in root.iter("input"):
        label = " ".join(filter(None, [i.get("name"), i.get("id"), i.get("placeholder"), i.get("value")]))
        if (i.get("type") or "text").lower() in ("text", "search") and rx.search(label):
            return {"how": "input", "action": None, "input": label}
    for a in root.iter("a"):
        if a.get("href") and rx.search(text_of(a) or a.get("title") or ""):
            return {"how": "link", "action": absolute(url, a.get("href") or ""), "input": text_of(a)}
    return None

HOW_ZH = {"form": "搜索表单", "input": "搜索框", "link": "搜索链接"}


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    sc = ctx.get(HygieneScan)
    home = ctx.home
    plat_rx = re.compile("|".join(re.escape(w) for w in conf["platform_words"]))
    entry = None
    for row in ctx.store.db.query("SELECT target, text FROM links WHERE run_id=? AND unit_id=? AND source_url=? AND tag='a'",
                                  [ctx.run_id, ctx.unit.id, (home or {}).get("url")]):
        if plat_rx.search(row["text"] or "") and host_of(row["target"]) in sc.own_hosts:
            entry = row["target"]
            break
    if entry is None:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "首页未找到政府信息公开平台入口")
        return
    page = ctx.store.page_by_url(ctx.run_id, normalize(entry))
    text = ctx.body_text(page) if page else None
    if not text:
        yield ctx.finding(RULE, "not_measured", entry, "政府信息公开平台入口页未能抓取", target=entry)
        return
    found = find_search(parse(text), page.get("final_url") or entry, conf["search_words"])
    if found is None:
        yield ctx.finding(RULE, "needs_review", page["url"], "政府信息公开平台未发现站内搜索",
                          evidence=[ctx.evidence(page, note="未发现搜索表单、搜索框或搜索链接")])
        return
    action = found.get("action")
    if action and action.startswith("http"):
        target = ctx.store.page_by_url(ctx.run_id, normalize(action.split("?")[0]))
        if target is not None and (target.get("reason") or (target.get("status") or 0) >= 400):
            yield ctx.finding(RULE, "needs_review", page["url"],
                              f"政府信息公开平台的搜索不可用（{reason_zh(target.get('reason')) or 'HTTP ' + str(target.get('status'))}）",
                              target=action, evidence=[ctx.evidence(page, note=f"搜索（{HOW_ZH.get(found['how'], found['how'])}）→ {action}")],
                              data=found)
            return
    yield ctx.finding(RULE, "pass", page["url"], f"政府信息公开平台有站内搜索（{HOW_ZH.get(found['how'], found['how'])}）", data=found)
