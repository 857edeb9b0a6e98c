"""link.broken — links whose target cannot be used (appraisal 8.6; national inspection deductions).

What: every link on a crawled page (a, area, img, script, link, iframe, frame, embed, source,
object, meta refresh …, attachments included) whose target failed: DNS error, refused, timeout,
TLS error, HTTP 4xx/5xx, redirect loop or overlong chain, or an attachment (.pdf, .doc …) that
comes back as an HTML page or as 0 bytes.

Why: 8.6.2 asks for a site built and run to standard (DB15/T 2093); the national inspection deducts
1 point per unusable link on the home page and 0.1 per link on other pages.

How: a pure join of the stored links with the stored fetch of each target (internal pages were
crawled; external targets and attachments were checked once with HEAD, falling back to GET).
One finding per broken target and place: `data.on_home` says whether it is linked from the home
page (counted apart), `data.sources` lists the pages that link it. 401/403/429/999 from an
external host (after one retry with browser-like headers) is `needs_review`: a firewall that
blocks robots is not proof of a broken link.

Limits: targets the crawl did not fetch (page or time limits, robots.txt) are not judged; they
are counted in the pass finding's data. A target that works for a browser only through
JavaScript is judged by its HTTP answer.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Evidence, Finding
from govaudit.text import reason as reason_zh

RULE = Rule(
    id="link.broken", item="8.6.2", title="失效链接（错链断链）",
    defaults={"blocked_statuses": [401, 403, 429, 999], "max_sources": 20},
)

# Every link of the unit, then each target's latest fetch in the run from a dict: one pass over
# the links, where a join with a per-link subquery looked the fetch up 585,000 times (benchmark)
LINKS = """
SELECT source_url, target, raw, tag, attr, text, external FROM links
WHERE run_id = ? AND unit_id = ? AND target LIKE 'http%'
ORDER BY rowid"""
FETCHES = """
SELECT url, id AS pid, status, reason, content_type, size, method, final_url, fetched_at, redirects
FROM pages WHERE run_id = ? ORDER BY id"""


def problem(row: dict[str, Any], blocked: set[int], attachment_exts: tuple[str, ...]) -> tuple[str, str] | None:
    """(outcome, reason) when the fetched target is unusable, else None."""
    if row["reason"]:
        if row["reason"] == "robots.txt":
            return None
        return "fail", row["reason"]
    status = row["status"] or 0
    if status >= 400:
        if row["external"] and status in blocked:
            return "needs_review", f"HTTP {status} (blocked? the host refuses automated checks)"
        return "fail", f"HTTP {status}"
    if 200 <= status < 300 and row["target"].split("?")[0].lower().endswith(attachment_exts):
        ctype = (row["content_type"] or "").lower()
        if "text/html" in ctype:
            return "fail", "attachment answers with an HTML page"
        if row["size"] == 0:
            return "fail", "attachment is empty (0 bytes)"
    return None


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    blocked = set(conf["blocked_statuses"])
    exts = tuple(ctx.settings("shared")["attachment_extensions"])
    home = ctx.home
    home_url = home["url"] if home else None
    broken: dict[tuple[str, bool], dict[str, Any]] = {}
    source_urls: dict[tuple[str, bool], set[str]] = {}
    cur = ctx.store.conn.cursor()
    cur.row_factory = sqlite3.Row
    fetches = {r["url"]: r for r in cur.execute(FETCHES, [ctx.run_id])}  # ordered by id: the latest wins
    # a verdict depends on the target's fetch and whether the link is external: judged once each
    verdicts: dict[tuple[str, int], tuple[str, str] | None] = {}
    for src, target, raw, tag, attr, text, external in ctx.store.conn.execute(LINKS, [ctx.run_id, ctx.unit.id]):
        fetch = fetches.get(target)
        if fetch is None:  # not fetched (limits, robots.txt): not judged
            continue
        vkey = (target, external)
        if vkey not in verdicts:
            verdicts[vkey] = problem({**dict(fetch), "target": target, "external": external}, blocked, exts)
        verdict = verdicts[vkey]
        if verdict is None:
            continue
        on_home = src == home_url
        key = (target, on_home)
        if key not in broken:
            row = {"source_url": src, "target": target, "raw": raw, "tag": tag, "attr": attr, "text": text,
                   "external": external, **{k: fetch[k] for k in fetch.keys() if k != "url"}}
            broken[key] = {"row": row, "verdict": verdict, "sources": []}
        entry = broken[key]
        if src not in source_urls.setdefault(key, set()):
            source_urls[key].add(src)
            entry["sources"].append({"url": src, "text": text, "tag": tag, "attr": attr, "raw": raw})
    pages = {p["url"]: p for p in ctx.content_pages()} if broken else {}
    for (target, on_home), entry in broken.items():
        row, (outcome, reason) = entry["row"], entry["verdict"]
        first = entry["sources"][0]
        src_page = pages.get(first["url"], {"url": first["url"]})
        where = "首页" if on_home else "页面"
        evidence = [
            ctx.evidence(src_page, snippet=f'<{first["tag"]} {first["attr"]}="{first["raw"]}">{first["text"]}',
                         note="含该链接的页面"),
            Evidence(url=target, fetched_at=row["fetched_at"], status=row["status"],
                     note=f"以 {row['method']} 请求目标：{reason_zh(reason)}"),
        ]
        yield ctx.finding(
            RULE, outcome, first["url"], f"{where}链接失效：{first['text'] or target}（{reason_zh(reason)}）",
            target=target, key="home" if on_home else "other", evidence=evidence,
            data={"on_home": on_home, "reason": reason, "status": row["status"], "tag": first["tag"],
                  "text": first["text"], "external": bool(row["external"]),
                  "final_url": row["final_url"], "redirects": json.loads(row["redirects"] or "null"),
                  "source_count": len(entry["sources"]),
                  "sources": entry["sources"][: conf["max_sources"]]})
