"""site.https — no HTTPS, an invalid certificate, or mixed content on HTTPS pages (8.6.2).

What: a portal served over plain HTTP (with whether https:// answers at all: the crawler asks
once), an HTTPS portal whose certificate the browser rejects (when it was rendered), and HTTPS
pages that load scripts, stylesheets, images or frames over http:// (mixed content).

Why: 8.6.2 and the 政府网站发展指引 ask for HTTPS; browsers block mixed scripts and frames and
warn on the rest. Informational unless the rubric scores it: the outcome is `outcome`
(needs_review by default).

How: the home page's final URL; the stored answer of the https:// probe (purpose='https-probe');
the render's error (ERR_CERT_…); the stored links of HTTPS pages (tags img, script, link, iframe,
frame, embed, source, object, video, audio) whose target starts with http://.

Limits: the crawler itself does not validate certificates: certificate errors are seen only on
rendered pages. One finding per problem kind, with counts and examples.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Evidence, Finding, Purpose
from govaudit.text import reason as reason_zh

RULE = Rule(id="site.https", item="8.6.2", title="未使用HTTPS或存在混合内容",
            defaults={"outcome": "needs_review", "max_examples": 10})
SUBRESOURCES = ("img", "script", "link", "iframe", "frame", "embed", "source", "object", "video", "audio")


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    out = conf["outcome"]
    home = ctx.home
    final = (home or {}).get("final_url") or ctx.unit.url
    if final.startswith("http://"):
        probe = next(ctx.pages(purposes=(Purpose.HTTPS_PROBE,)), None)
        if probe is None:
            why = "HTTPS not probed"
        elif probe.get("reason") or (probe.get("status") or 0) >= 400:
            why = f"https:// does not answer ({probe.get('reason') or 'HTTP ' + str(probe.get('status'))})"
        else:
            why = "https:// answers but the portal is served over http:// without redirect"
        ev = [ctx.evidence(home or {"url": ctx.unit.url}, note=f"最终网址 {final}")]
        if probe is not None:
            ev.append(Evidence(url=probe["url"], fetched_at=probe.get("fetched_at"), status=probe.get("status"),
                               note=reason_zh(probe.get("reason")) or None))
        yield ctx.finding(RULE, out, ctx.unit.url, f"网站未启用HTTPS（{reason_zh(why)}）", key="no-https",
                          evidence=ev, data={"final_url": final, "https_probe": why})
        return
    try:
        renders = list(ctx.store.db.query("SELECT * FROM renders WHERE run_id=? AND unit_id=? AND error LIKE '%ERR_CERT%'",
                                          [ctx.run_id, ctx.unit.id]))
    except Exception:  # no renders table: not rendered
        renders = []
    for r in renders[:1]:
        yield ctx.finding(RULE, out, r["url"], f"HTTPS证书无效（{r['error'][:120]}）", key="cert",
                          evidence=[Evidence(url=r["url"], fetched_at=r["fetched_at"], note=r["error"][:500])],
                          data={"error": r["error"]})
    marks = ",".join("?" * len(SUBRESOURCES))
    rows = list(ctx.store.db.query(
        f"SELECT l.source_url, l.target, l.tag, l.attr, l.raw FROM links l JOIN pages p ON p.id = l.page_id "
        f"WHERE l.run_id=? AND l.unit_id=? AND l.tag IN ({marks}) AND l.target LIKE 'http://%' "
        f"AND p.final_url LIKE 'https://%'", [ctx.run_id, ctx.unit.id, *SUBRESOURCES]))
    # <link> is a subresource only as a stylesheet or icon (not canonical/alternate)
    rows = [r for r in rows if r["tag"] != "link" or r["target"].split("?")[0].lower().endswith((".css", ".ico", ".png"))]
    if rows:
        pages = sorted({r["source_url"] for r in rows})
        first = rows[0]
        yield ctx.finding(RULE, out, first["source_url"], f"HTTPS页面加载HTTP资源（混合内容）：{len(rows)}处，{len(pages)}个页面",
                          key="mixed",
                          evidence=[Evidence(url=r["source_url"], snippet=f'<{r["tag"]} {r["attr"]}="{r["raw"]}">')
                                    for r in rows[: conf["max_examples"]]],
                          data={"count": len(rows), "pages": pages[: conf["max_examples"]], "page_count": len(pages)})
