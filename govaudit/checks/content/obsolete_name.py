"""content.obsolete-name — names of institutions abolished or renamed in the 2018 reform used as current.

What: a page published after `published_after` (default 2019-01-01) that names e.g. 国家工商行政管理总局,
国土资源部, 环境保护部, 国家卫生和计划生育委员会 (or their local counterparts 工商行政管理局,
国土资源局, 环境保护局, 安全生产监督管理局 …) without marking them as former (原…) or talking about
the reform itself (机构改革, 更名, 组建, 不再保留, 划入 …). Bodies that kept their name as a
second plate (国家海洋局 of 自然资源部, 国家外国专家局 of 科技部) are not in the dictionary.

Why: 8.9.2 "serious errors" — a page that presents an abolished body as current misinforms the
public; inspections list outdated institution names as content errors.

How: the shared page scan searches each page's text with the dictionary `names` (old → successor);
the page's publish date comes from govaudit.extract.dates.publish_date. Pages without a publish
date, or published before the cut-off (historical documents), are not judged. `needs_review`, with
the successor name, one finding per page.

Limits: a name inside a quoted historical title of a recent page is still reported (that is why the
outcome is needs_review); 农业部/文化部 do not match 农业部门/文化部门. Extend `names` in
config/rules.yaml.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.analyses.vocab import OBSOLETE_CONTEXT, OBSOLETE_NAMES
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="content.obsolete-name", item="8.9.2", title="使用已撤销或更名的机构名称",
            defaults={"names": {"*": "", **OBSOLETE_NAMES}, "published_after": "2019-01-01",
                      "context_words": list(OBSOLETE_CONTEXT)},
            uses=(HygieneScan,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    cutoff = dt.date.fromisoformat(conf["published_after"])
    sc = ctx.get(HygieneScan)
    judged = 0
    for ps in sc.pages:
        if ps.publish is None or ps.publish.date < cutoff:
            continue
        judged += 1
        if not ps.obsolete:
            continue
        names = "、".join(f"{o['name']}（现为{o['successor']}）" for o in ps.obsolete[:5])
        yield ctx.finding(RULE, "needs_review", ps.page["url"], f"使用已撤销或更名的机构名称：{names}",
                          evidence=[ctx.evidence(ps.page, snippet=o["snippet"], note=f"{o['name']} → {o['successor']}")
                                    for o in ps.obsolete[:5]],
                          data={"names": ps.obsolete, "published": ps.publish.date.isoformat()})
    if not judged:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, f"没有{cutoff.isoformat()}以后发布且标明发布日期的页面",
                          data={"published_after": cutoff.isoformat()})
