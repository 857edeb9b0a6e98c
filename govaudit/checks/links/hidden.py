"""link.hidden — 暗链: links a crawler sees but a visitor cannot, pointing off the unit's sites (8.9.2).

What: an anchor hidden by an inline style, a `<style>` or linked-stylesheet rule matched to its
classes and ids, a `<noscript>` wrapper, a tiny `<marquee>`, written by `document.write`/`innerHTML`
with hiding styles, or — when the home page and the disclosure platform entry were rendered —
hidden in the rendered page (computed display/visibility, 0–1 px box, off-screen position,
font-size 0, text colour equal to the background, opacity 0) — AND pointing outside the unit's
own hosts and the allowlist (*.gov.cn, badge/filing hosts, `allow_domains`), or carrying
illegal-content words.

Why: hidden links are the classic trace of a hacked site selling links (黑链/暗链); 8.9.2 treats
them as a security incident.

How: the shared page scan (govaudit.extract.visibility) gives static verdicts for every crawled
page; rendered verdicts (crawler/render.py, table rendered_links) override the static verdict of
the same link on rendered pages, and bring the screenshot and the element's selector as
evidence. Outcome: `fail` for illegal words or a strong hiding technique (no ordinary use on a
link); `needs_review` for display:none / visibility:hidden / noscript alone (also how tabs,
drop-down menus and fallbacks work). Hidden links into the site are normal and never reported.
Without a browser the rendered part is `not_measured` (reported once, next to any static finding).

Not hidden: a display:none the visitor undoes — drop-downs a :hover/:focus rule shows, inactive
tab panels (a sibling of the same tag and first class is shown) — unless the browser finds a
strong technique on them.

Limits: stylesheet rules inside @media blocks and selectors with pseudo-classes are ignored; the
display/visibility cascade is approximated (specificity, order, inline wins); links injected by
external scripts are seen only on rendered pages.
"""
from __future__ import annotations

from typing import Any, Iterable

from govaudit.checks.analyses import vocab
from govaudit.checks.analyses.hygiene import HygieneScan, PageScan, vocabulary
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding
from govaudit.text import zh
from govaudit.urls import host_of, normalize

RULE = Rule(
    id="link.hidden", item="8.9.2", title="暗链（隐藏链接）",
    defaults={"allow_domains": list(vocab.ALLOW_DOMAINS), "weak_outcome": "needs_review"},
    needs_browser=True, uses=(HygieneScan,),
)


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    allow = list(conf["allow_domains"]) + list(ctx.unit.allow_domains) + \
        list(ctx.settings("shared")["gov_domains"])
    voc = vocabulary(ctx)
    sc = ctx.get(HygieneScan)
    seen: set[tuple[str, str]] = set()
    for ps in sc.pages:
        page = ps.page
        render = sc.renders.get(page["url"])
        for c in _candidates(ps, sc):
            host = host_of(c["url"])
            words = [t for t, pos in vocab.find_terms(c["text"], voc["terms"])
                     if not vocab.in_context(c["text"], pos, voc["context_words"])]
            bad_host = vocab.host_flag(host, voc["blocked_hosts"], voc["host_tokens"])
            outside = bool(host) and not vocab.allowed(host, sc.own_hosts, allow)
            if not (outside or words or bad_host):
                continue
            if not words and not bad_host and c["strength"] != "strong" and not c["text"].strip():
                continue  # a textless link hidden by display:none is a script widget's slot, not a link for sale
            if (page["url"], c["url"]) in seen:
                continue
            seen.add((page["url"], c["url"]))
            outcome = "fail" if (words or bad_host or c["strength"] == "strong") else conf["weak_outcome"]
            why = c["reasons"] + ([f"illegal words: {', '.join(words)}"] if words else []) + \
                ([f"target {bad_host}"] if bad_host else []) + (["points outside the unit's domains"] if outside else [])
            ev = ctx.evidence(page, snippet=c["snippet"][:500] or None, selector=c["selector"],
                              screenshot=(render or {}).get("screenshot"),
                              note=f"隐藏元素 {'<' + c['hidden_by'] + '>' if c['hidden_by'] else '（计算样式）'}：{'；'.join(zh(r) for r in c['reasons'][:4])}")
            yield ctx.finding(RULE, outcome, page["url"], f"暗链：{c['text'] or c['url']}（{'；'.join(zh(w) for w in why[:4])}）",
                              target=c["url"], evidence=[ev],
                              data={"reasons": why, "strength": c["strength"], "text": c["text"],
                                    "rendered": page["url"] in sc.renders, "hidden_by": c["hidden_by"]})
    failed = {u: r["error"] for u, r in sc.renders.items() if r.get("error")}
    if len(failed) == len(sc.renders):  # nothing rendered: no browser, rendering off, or every render failed
        why = "; ".join(f"{u}: {e}" for u, e in failed.items())[:300] or "无浏览器或渲染已关闭"
        yield ctx.finding(RULE, "not_measured", ctx.unit.url,
                          f"未能检测渲染后页面中的隐藏链接（{why}）；静态检测已完成",
                          key="render", data={"static_pages": len(sc.pages), "render_errors": failed})


def _candidates(ps: PageScan, sc: HygieneScan) -> list[dict[str, Any]]:
    """The links of one page that are hidden, in its HTML or as the browser rendered it."""
    rendered = {normalize(r["href"]): r for r in sc.rendered.get(ps.page["url"], []) if r.get("href")}
    candidates: list[dict[str, Any]] = []
    for lv in ps.anchors:
        r = rendered.get(normalize(lv.url)) if lv.source == "html" and "noscript" not in " ".join(lv.reasons) else None
        if lv.notes and not lv.hidden and (r is None or r["strength"] != "strong"):
            continue  # an inactive tab or a drop-down menu: the visitor opens it
        if r is not None and r["visible"]:
            continue  # the browser shows it (a tab or menu opened by script)
        if not lv.hidden and r is None:
            continue
        reasons = list(lv.reasons)
        strength = lv.strength
        selector = lv.selector
        if r is not None:
            reasons = ["rendered: " + x for x in r["reasons"]] + reasons
            strength = "strong" if "strong" in (r["strength"], strength) else (strength or r["strength"])
            selector = r["selector"] or selector
        candidates.append({"url": lv.url, "text": lv.text, "reasons": reasons, "strength": strength,
                           "selector": selector, "snippet": lv.snippet, "hidden_by": lv.hidden_by})
    static_urls = {normalize(c["url"]) for c in candidates}
    toggled = {normalize(lv.url) for lv in ps.anchors if lv.notes and not lv.hidden}  # tabs, menus
    for href, r in rendered.items():  # hidden only in the browser (script-built or computed)
        if r["strength"] != "strong" and href in toggled:
            continue  # an inactive tab / drop-down: the visitor opens it
        if not r["visible"] and href not in static_urls and href.startswith("http"):
            candidates.append({"url": r["href"], "text": r["text"] or "", "reasons": ["rendered: " + x for x in r["reasons"]],
                               "strength": r["strength"], "selector": r["selector"], "snippet": "", "hidden_by": None})
    return candidates
