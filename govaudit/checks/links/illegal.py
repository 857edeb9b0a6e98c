"""link.illegal — links to gambling, pornography, fake-invoice or private-server sites (8.9.2).

What: a link (visible or hidden; a, area, script, iframe, img … and anchors written by
document.write) whose target host is on the blocklist or carries a gambling/porn brand token
(bet365, 365bet, beat365, casino …), whose anchor text or target page title contains the
illegal-content vocabulary (娱乐城, 百家乐, 六合彩, 成人视频, 代开发票, 传奇私服 …), or whose
target redirects off-site to such a host.

Why: 8.9.2 deducts for illegal links and security incidents; a hijacked gov page that links a
casino can sink a unit's grade, so both misses and false alarms are costly.

How: a join of the stored links with the stored fetch of each target (final URL after the
redirects the crawler followed, title when the target was fetched with GET), plus the anchors
that inline scripts write (from the shared page scan). Vocabulary matches whose surroundings
say the page reports on enforcement (打击, 查处, 严禁 …) are ignored. External targets → `fail`;
a suspicious anchor text on a link into the site itself → `needs_review`.

Limits: external targets are checked with HEAD; the crawler reads the title (GET, purpose
'title-check', at most 100 per unit) only of off-site targets of hidden anchors, and of targets
whose server refused HEAD; a target that switches to gambling content only
for browsers (JavaScript redirects, user-agent cloaking) is not seen. Extend the vocabularies in
config/rules.yaml (`link.illegal: terms / host_tokens / blocked_hosts / context_words`).
"""
from __future__ import annotations

import sqlite3
from typing import Any, Iterable

from govaudit.checks.analyses import vocab
from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.html import parse
from govaudit.extract.page import title_of
from govaudit.model import Evidence, Finding
from govaudit.text import zh as reason_zh
from govaudit.urls import host_of

RULE = Rule(
    id="link.illegal", item="8.9.2", title="违规链接（博彩、色情等）",
    defaults={"terms": list(vocab.ILLEGAL_TERMS), "host_tokens": list(vocab.HOST_TOKENS),
              "blocked_hosts": [], "context_words": list(vocab.CONTEXT_WORDS)},
    uses=(HygieneScan,),
)

# Every link of the unit, then each target's latest fetch in the run from a dict: a join with a
# per-link subquery looked the fetch up once per link (585,000 times on the benchmark site)
LINKS = """
SELECT source_url, target, raw, tag, attr, text, external FROM links
WHERE run_id = ? AND unit_id = ? AND target LIKE 'http%'
"""
FETCHES = """
SELECT url, status, final_url, title, sha256, content_type, method, fetched_at FROM pages WHERE run_id = ? ORDER BY id
"""
_LINK_NAMES = ("source_url", "target", "raw", "tag", "attr", "text", "external")
_FETCH_NAMES = ("status", "final_url", "title", "sha256", "content_type", "method", "fetched_at")


def _row(link: tuple[Any, ...], fetch: Any) -> dict[str, Any]:
    """The row a LEFT JOIN of the link with its target's latest fetch gives (None when not fetched)."""
    row = dict(zip(_LINK_NAMES, link))
    row.update({k: fetch[k] if fetch is not None else None for k in _FETCH_NAMES})
    return row


def judge(text: str, target: str, final_url: str | None, title: str | None, conf: dict[str, Any]) -> list[str]:
    """Why a link is illegal (empty when it is not)."""
    why: list[str] = []
    for term, pos in vocab.find_terms(text or "", conf["terms"]):
        if not vocab.in_context(text, pos, conf["context_words"]):
            why.append(f"anchor text contains '{term}'")
            break
    flag = vocab.host_flag(host_of(target), conf["blocked_hosts"], conf["host_tokens"])
    if flag:
        why.append(f"target {flag}")
    if final_url and host_of(final_url) != host_of(target):
        flag = vocab.host_flag(host_of(final_url), conf["blocked_hosts"], conf["host_tokens"])
        if flag:
            why.append(f"redirects off-site to {host_of(final_url)} ({flag})")
    if title:
        for term, pos in vocab.find_terms(title, conf["terms"]):
            if not vocab.in_context(title, pos, conf["context_words"]):
                why.append(f"target page title contains '{term}'")
                break
    return why


def target_title(ctx: CheckContext, row: dict[str, Any]) -> str | None:
    if row.get("title"):
        return row["title"]
    if row.get("sha256") and "html" in (row.get("content_type") or "").lower() and row.get("external"):
        text = ctx.body_text(row)
        return title_of(parse(text)) if text else None
    return None


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    sc = ctx.get(HygieneScan)
    pages = {p.page["url"]: p for p in sc.pages}
    seen: set[tuple[str, str]] = set()
    titles: dict[tuple[str, Any], str | None] = {}  # (target, external) -> title: one target is linked from many pages
    judged: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    cur = ctx.store.conn.cursor()
    cur.row_factory = sqlite3.Row
    fetches = {f["url"]: f for f in cur.execute(FETCHES, [ctx.run_id])}  # ordered by id: the latest wins
    for link in ctx.store.conn.execute(LINKS, [ctx.run_id, ctx.unit.id]):
        source, target, text, external = link[0], link[1], link[5], link[6]
        fetch = fetches.get(target)
        if fetch is not None and fetch["status"]:
            if fetch["title"]:
                title = fetch["title"]
            elif (target, external) in titles:
                title = titles[target, external]
            else:
                title = titles[target, external] = target_title(ctx, {**_row(link, fetch), "url": target})
        else:
            title = None
        key = (text or "", target, fetch["final_url"] if fetch is not None else None, title)  # nav links repeat
        why = judged.get(key)
        if why is None:
            if len(judged) >= 1 << 17:
                judged.clear()
            why = judged[key] = judge(*key, conf)
        if not why or (source, target) in seen:
            continue
        why = list(why)
        row = _row(link, fetch)
        seen.add((source, target))
        ps = pages.get(source)
        yield _finding(ctx, sc, ps.page if ps else {"url": source}, target, text or "",
                       why, bool(external), f'<{row["tag"]} {row["attr"]}="{row["raw"]}">{text or ""}',
                       _selector(ps, target), row)
    for ps in sc.pages:  # anchors written by scripts are not in the links table
        for lv in ps.anchors:
            if lv.source != "script" or (ps.page["url"], lv.url) in seen:
                continue
            why = judge(lv.text, lv.url, None, None, conf)
            if why:
                seen.add((ps.page["url"], lv.url))
                external = host_of(lv.url) not in sc.own_hosts
                yield _finding(ctx, sc, ps.page, lv.url, lv.text, why + ["written by script"], external,
                               lv.snippet, lv.selector, None)


def _selector(ps: Any, target: str) -> str | None:
    if ps is None:
        return None
    for lv in ps.anchors:
        if lv.url == target or lv.url.rstrip("/") == target.rstrip("/"):
            return lv.selector
    return None


def _finding(ctx: CheckContext, sc: Any, page: dict[str, Any], target: str, text: str, why: list[str],
             external: bool, snippet: str, selector: str | None, row: dict[str, Any] | None) -> Finding:
    render = sc.renders.get(page["url"])
    ev = [ctx.evidence(page, snippet=snippet[:500], selector=selector,
                       screenshot=(render or {}).get("screenshot"), note="含该链接的页面")]
    if row is not None and row.get("status") is not None:
        ev.append(Evidence(url=target, fetched_at=row.get("fetched_at"), status=row.get("status"),
                           note=f"最终网址 {row.get('final_url')}"))
    outcome = "fail" if external else "needs_review"
    return ctx.finding(RULE, outcome, page["url"], f"违规链接：{text or target}（{'；'.join(reason_zh(w) for w in why)}）",
                       target=target, evidence=ev,
                       data={"reasons": why, "text": text, "external": external,
                             "final_url": (row or {}).get("final_url")})
