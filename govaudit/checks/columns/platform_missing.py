"""column.platform-missing — no 政府信息公开 column reachable from the home page (appraisal 8.2.4).

What: the portal has no link to its disclosure platform (政府信息公开, 政务公开, 信息公开 …),
neither on the home page nor on any crawled page, and no URL is pinned in the unit config.

Why: 8.2.4 asks for the statutory columns; 国办公开办函〔2019〕61号 makes the site's 政府信息公开
column the unified platform that carries them.

How: anchor texts of the stored links, normalised (<br>, <em>, icons and spaces folded), matched
in full against the patterns in `column.statutory-missing.patterns.platform`; the home page's
links first, then any crawled page's. The pass finding says where the platform was found and how
(link on the home page, link elsewhere, or pinned in the unit config `columns: {platform: URL}`).

Limits: a platform reached only through a JavaScript menu or an image without alt text is not
found; pin its URL in the unit config.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="column.platform-missing", item="8.2.4", title="未设置政府信息公开专栏", defaults={},
            uses=(ColumnsAnalysis, SitePages))


def check(ctx: CheckContext) -> Iterable[Finding]:
    plat = ctx.get(ColumnsAnalysis)
    home = ctx.home or {"url": ctx.unit.url}
    hit = plat.platform
    if hit is None:
        yield ctx.finding(RULE, "fail", home["url"], "首页及已抓取页面均未找到“政府信息公开”专栏入口",
                          evidence=[ctx.evidence(home, note="首页：没有名为 政府信息公开/政务公开/信息公开 的链接")],
                          data={"searched": "home page and every crawled page"})
        return
    src = ctx.get(SitePages).stored(hit.source) or {"url": hit.source} if hit.how != "pinned" else home
    on_home = hit.how == "link" and ctx.home is not None and hit.source == ctx.home["url"]
    how = "首页链接" if on_home else ("配置指定" if hit.how == "pinned" else "其他页面链接")
    yield ctx.finding(RULE, "pass", hit.url, f"找到政府信息公开专栏“{hit.label}”（{how}）", target=hit.url,
                      evidence=[ctx.evidence(src, snippet=f'<a href="{hit.url}">{hit.label}</a>')],
                      data={**hit.to_dict(), "on_home": on_home})
