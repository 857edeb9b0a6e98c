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

from govaudit.checks.content._scan import scan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

NAMES = {
    "国家工商行政管理总局": "国家市场监督管理总局",
    "国家质量监督检验检疫总局": "国家市场监督管理总局",
    "国家食品药品监督管理总局": "国家市场监督管理总局（国家药品监督管理局）",
    "国土资源部": "自然资源部",
    "国家测绘地理信息局": "自然资源部",
    "环境保护部": "生态环境部",
    "农业部": "农业农村部",
    "文化部": "文化和旅游部",
    "国家旅游局": "文化和旅游部",
    "国家卫生和计划生育委员会": "国家卫生健康委员会",
    "国家卫生计生委": "国家卫生健康委员会",
    "国家安全生产监督管理总局": "应急管理部",
    "国务院法制办公室": "司法部",
    "国家林业局": "国家林业和草原局",
    "中国银行业监督管理委员会": "中国银行保险监督管理委员会",
    "中国保险监督管理委员会": "中国银行保险监督管理委员会",
    "国家发展和改革委员会价格": "国家发展和改革委员会",
    "工商行政管理局": "市场监督管理局",
    "质量技术监督局": "市场监督管理局",
    "食品药品监督管理局": "市场监督管理局",
    "国土资源局": "自然资源局",
    "环境保护局": "生态环境局",
    "卫生和计划生育局": "卫生健康局",
    "卫生和计划生育委员会": "卫生健康委员会",
    "安全生产监督管理局": "应急管理局",
}
NAMES.pop("国家发展和改革委员会价格")
CONTEXT = ["机构改革", "更名", "改名", "组建", "不再保留", "划入", "整合", "撤销", "挂牌", "改革前", "职责划转",
           "更为", "变更为", "调整为"]

RULE = Rule(id="content.obsolete-name", item="8.9.2", title="使用已撤销或更名的机构名称",
            outcome_on_failure="needs_review",
            defaults={"names": {"*": "", **NAMES}, "published_after": "2019-01-01", "context_words": list(CONTEXT)})


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = {**RULE.defaults, **ctx.settings(RULE.id)}
    cutoff = dt.date.fromisoformat(conf["published_after"])
    sc = scan(ctx)
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
