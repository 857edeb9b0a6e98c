"""interp.late — an interpretation published more than N working days after its document (8.4.2).

What: for each interpretation paired with a crawled policy document, the working days from the
document's publish date to the interpretation's; more than `max_workdays` *(config, default 3)*
is `fail`.

Why: 国办发〔2016〕80号 asks interpretations to be released in step with the document (三同步);
local rules allow at most 3 working days.

How: publish dates from govaudit/extract/dates.py (PubDate meta, then visible labels such as
发布日期); working days from govaudit/extract/workdays.py: weekends, public holidays and adjusted
working days (调休) from the chinese-calendar package. Days are counted after the document's date
up to and including the interpretation's: Friday → next Monday is 1 working day. An
interpretation published before its document counts 0.

Limits: a date outside the holiday calendar's years, or a page with no publish date, is
`not_measured` for that pair (one finding per pair, with the reason) — never guessed from
weekends alone. The publish date is the one the page shows, which a CMS may reset on re-editing.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interp import InterpPairs, gap
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interp.late", item="8.4.2", title="政策解读发布不及时", defaults={"max_workdays": 3},
            uses=(InterpPairs,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    limit = int(ctx.settings(RULE.id)["max_workdays"])
    a = ctx.get(InterpPairs)
    paired = [p for p in a.pairs if p.doc is not None]
    if not paired:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未发现与政策文件配对的解读",
                          data={"interpretations": len(a.interps)})
        return
    on_time = 0
    for p in paired:
        g = gap(p)
        i, d = p.interp, p.doc
        assert d is not None
        if g["gap_workdays"] is None:
            yield ctx.finding(RULE, "not_measured", i.url, f"无法计算解读发布间隔：{g['gap_note']}",
                              target=d.url, data={**p.to_dict(g), "max_workdays": limit})
            continue
        if g["gap_workdays"] <= limit:
            on_time += 1
            continue
        yield ctx.finding(
            RULE, "fail", i.url,
            f"解读晚于政策文件{g['gap_workdays']}个工作日发布（{d.facts.date} → {i.facts.date}，"
            f"相隔{g['gap_days']}天，限{limit}个工作日）：{i.facts.title}",
            target=d.url,
            evidence=[ctx.evidence(d.page, snippet=f"{d.facts.title} 发布日期 {d.facts.date}",
                                   note=f"政策文件发布日期来源：{d.facts.date_source}"),
                      ctx.evidence(i.page, snippet=f"{i.facts.title} 发布日期 {i.facts.date}",
                                   note=f"解读发布日期来源：{i.facts.date_source}")],
            data={**p.to_dict(g), "max_workdays": limit})
    if on_time == len(paired):
        yield ctx.finding(RULE, "pass", ctx.unit.url, f"{on_time}篇解读均在{limit}个工作日内发布",
                          data={"pairs": on_time, "max_workdays": limit})
