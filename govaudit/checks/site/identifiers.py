"""site.identifiers — 网站标识码, ICP备案号, 公安机关备案号 and the 党政机关 badge on the home page (8.6.2).

What: each of the four identifiers missing from the home page (footer first, then the whole page
and its inline scripts); the `SiteIDCode` meta tag disagreeing with the 网站标识码 shown.

Why: 8.6.2 and the 政府网站发展指引 require them in every government site's footer; the national
inspection checks them on the home page.

How: govaudit.extract.site_meta.identifiers on the stored home page. `fail` per missing identifier
(one finding listing them) and for a SiteIDCode mismatch. The badge counts when a conac.cn
link/script, an element with id _ideConac, or an image labelled 党政机关 is present.

Limits: identifiers drawn only as images (no text, no alt) are not read; the badge's link is not
verified against conac.cn (offline).
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.html import parse
from govaudit.extract.site_meta import identifiers
from govaudit.model import Finding

RULE = Rule(id="site.identifiers", item="8.6.2", title="网站标识缺失或不一致",
            defaults={"required": ["site_code", "icp", "police", "badge"]})
LABELS = {"site_code": "网站标识码", "icp": "ICP备案号", "police": "公安机关备案号", "badge": "党政机关标识"}


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    home = ctx.home
    text = ctx.body_text(home) if home else None
    if not text:
        yield ctx.finding(RULE, "not_measured", ctx.unit.url, "首页内容不可用")
        return
    ids = identifiers(parse(text))
    missing = [k for k in conf["required"] if not getattr(ids, k, None)]
    if missing:
        names = "、".join(LABELS.get(k, k) for k in missing)
        yield ctx.finding(RULE, "fail", home["url"], f"首页缺少：{names}", key="missing",
                          evidence=[ctx.evidence(home, note="已找到：" + ("；".join(f"{LABELS.get(k, k)} {v}" for k, v in ids.to_dict().items() if v) or "无"))],
                          data={"missing": missing, "found": ids.to_dict()})
    if ids.site_code and ids.meta_site_code and ids.meta_site_code != ids.site_code:
        yield ctx.finding(RULE, "fail", home["url"],
                          f"SiteIDCode（{ids.meta_site_code}）与页面网站标识码（{ids.site_code}）不一致", key="mismatch",
                          evidence=[ctx.evidence(home, snippet=f'<meta name="SiteIDCode" content="{ids.meta_site_code}"> / 网站标识码：{ids.site_code}')],
                          data={"meta": ids.meta_site_code, "footer": ids.site_code})
