"""link.soft-404 — links whose target answers 200 but is an error page (8.6.2).

What: a crawled target that answers 200 while being a "page not found": (a) its text matches the
host's own not-found answer (the crawler requested one random non-existent URL per host, stored
with purpose='soft404-probe'), or (b) its title, or the text of a short page, carries an error
phrase (页面不存在, 您访问的页面不存在或已删除, 404 …), or (c) a deep link that redirects to the
home page of its site.

Why: the national inspection counts a link to an error page as a broken link even when the server
says 200 (8.6.2); many CMSs answer every missing page with 200 and a friendly notice.

How: pure over the store: the probe's normalised text (digits removed: dates, counters, request ids)
is the host's fingerprint; pages are compared with it (same text, or ≥ `similarity` after a length
pre-check). Phrases are configurable: `strong_phrases` count anywhere on the page, `weak_phrases`
(404, Not Found …) only in the title or on a page shorter than `short_page_chars`. Internal targets →
`fail`; an external deep link that lands on its site's root → `needs_review` (only its redirect
chain is known: external targets are checked with HEAD, not read).

Limits: a host whose probe answered 404 has no fingerprint (correct servers); error pages that
differ per URL by more than the threshold are caught only by the phrases; JavaScript redirects
(location.href = '/') are not followed.
"""
from __future__ import annotations

import json
from typing import Any, Iterable
from urllib.parse import urlsplit

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.analyses.vocab import ERROR_STRONG_PHRASES, ERROR_WEAK_PHRASES, error_phrase
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.fingerprint import normalize_text, similar
from govaudit.extract.html import document_text, parse
from govaudit.model import Evidence, Finding, Purpose
from govaudit.text import zh
from govaudit.urls import host_of, normalize

RULE = Rule(
    id="link.soft-404", item="8.6.2", title="软404（错误页面返回200）",
    defaults={
        "strong_phrases": list(ERROR_STRONG_PHRASES),
        "weak_phrases": list(ERROR_WEAK_PHRASES),
        "short_page_chars": 600, "similarity": 0.92, "max_sources": 10,
    },
    uses=(HygieneScan,),
)
HOME_PATHS = {"/", "/index.html", "/index.htm", "/index.shtml", "/default.html", "/default.htm", "/index.jsp",
              "/index.php", "/index.asp", "/index.aspx", "/default.aspx", "/main.html", "/portal/index.html"}


def _is_root(url: str) -> bool:
    return (urlsplit(url).path or "/").lower() in HOME_PATHS


def _probes(ctx: CheckContext) -> dict[str, dict[str, Any]]:
    """host -> the stored answer to a URL that cannot exist, with its normalised text."""
    probes: dict[str, dict[str, Any]] = {}
    for p in ctx.pages(purposes=(Purpose.SOFT404_PROBE,)):
        text = ""
        if p.get("status") == 200 and p.get("sha256"):
            text = normalize_text(document_text(parse(ctx.body_text(p) or "")))[:3000]
        probes[host_of(p["url"])] = {**p, "text": text}
    return probes


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    sc = ctx.get(HygieneScan)
    probes = _probes(ctx)
    suspects = _suspects(ctx, sc, probes, conf)
    if not suspects:
        if not probes:
            yield ctx.finding(RULE, "pass", ctx.unit.url, "未发现软404（未能探测站点的404应答）",
                              data={"probes": 0})
        return
    sources = _sources(ctx, suspects)
    pages = {ps.page["url"]: ps.page for ps in sc.pages}
    for target, (page, reason, outcome) in suspects.items():
        srcs = sources.get(target) or [{"url": page.get("referer") or ctx.unit.url, "text": "", "tag": "a", "raw": target}]
        first = srcs[0]
        src_page = pages.get(first["url"], {"url": first["url"]})
        ev = [ctx.evidence(src_page, snippet=f'<{first["tag"]} href="{first["raw"]}">{first["text"] or ""}',
                           note="含该链接的页面"),
              Evidence(url=target, fetched_at=page.get("fetched_at"), status=page.get("status"), sha256=page.get("sha256"),
                       note=f"{zh(reason)}；最终网址 {page.get('final_url')}")]
        yield ctx.finding(RULE, outcome, first["url"], f"软404：{first['text'] or target}（{zh(reason)}）", target=target,
                          evidence=ev, data={"reason": reason, "final_url": page.get("final_url"),
                                             "sources": srcs[: conf["max_sources"]], "source_count": len(srcs)})


def _suspects(ctx: CheckContext, sc: HygieneScan, probes: dict[str, dict[str, Any]],
              conf: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str, str]]:
    """target -> (page row, reason, outcome) of every page that looks like an error page."""
    home_final = normalize((ctx.home or {}).get("final_url") or ctx.unit.url)
    suspects: dict[str, tuple[dict[str, Any], str, str]] = {}
    for ps in sc.pages:
        page = ps.page
        if page["purpose"] == Purpose.HOME:
            continue
        redirects = json.loads(page["redirects"] or "null")
        probe = probes.get(host_of(page["url"]))
        reason = None
        if probe and probe["text"] and similar(ps.text, probe["text"], conf["similarity"]):
            reason = f"same content as the site's answer for a missing page ({probe['url']})"
        reason = reason or error_phrase(ps.title, ps.text, ps.text_len, conf)
        if not reason and redirects and not _is_root(page["url"]) and normalize(page["final_url"] or "") == home_final:
            reason = "deep link redirects to the home page"
        if reason:
            suspects[page["url"]] = (page, reason, "fail")
    # internal deep links redirected to the home page (not in the scan: the home page is scanned once)
    # … or to the page the host redirects every missing URL to (the probe's final URL)
    not_found = {normalize(p["final_url"]): p["url"] for p in probes.values()
                 if p.get("status") == 200 and p.get("redirects") and p.get("final_url")
                 and normalize(p["final_url"]) not in (home_final, normalize(ctx.unit.url))}
    for page in ctx.pages("redirects IS NOT NULL AND status BETWEEN 200 AND 299", purposes=(Purpose.PAGE,)):
        final = normalize(page["final_url"] or "")
        if page["url"] in suspects or page["url"] == final:
            continue
        if not _is_root(page["url"]) and final in (home_final, normalize(ctx.unit.url)):
            suspects[page["url"]] = (page, "deep link redirects to the home page", "fail")
        elif final in not_found:
            suspects[page["url"]] = (page, f"redirects to the site's not-found page {final}", "fail")
    # external targets that land on their site's root after redirects
    for p in ctx.pages("redirects IS NOT NULL AND status BETWEEN 200 AND 299", purposes=(Purpose.CHECK,)):
        if not _is_root(p["url"]) and _is_root(p["final_url"] or "") and host_of(p["url"]) not in sc.own_hosts:
            suspects[p["url"]] = (p, f"deep link redirects to the site root {p['final_url']}", "needs_review")
    return suspects


def _sources(ctx: CheckContext, suspects: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """target -> the distinct pages that link it (first link of each)."""
    sources: dict[str, list[dict[str, Any]]] = {}
    marks = ",".join("?" * len(suspects))
    for row in ctx.store.db.query(
            f"SELECT source_url, target, text, tag, raw FROM links WHERE run_id=? AND unit_id=? AND target IN ({marks})",
            [ctx.run_id, ctx.unit.id, *suspects]):
        lst = sources.setdefault(row["target"], [])
        if row["source_url"] not in [s["url"] for s in lst]:
            lst.append({"url": row["source_url"], "text": row["text"], "tag": row["tag"], "raw": row["raw"]})
    return sources
