"""report.arithmetic — a table identity of the annual report fails (appraisal 8.2.6).

What (requirements.md §5, every column or group):
(a) 一、本年新收 + 二、上年结转 = 三(七)总计 + 四、结转下年度;
(b) 三(七)总计 = (一) + (二) + Σ(三) + Σ(四) + Σ(五) + Σ(六);
(c) table 3's 总计 column = the sum of the six applicant columns, each row;
(d) table 4: 维持 + 纠正 + 其他 + 尚未审结 = 总计, each group;
(e) this year's 上年结转 = last year's 结转下年度, when both reports are found;
(f) the numbers section 一 quotes (收到申请 N 件, 上年结转, 结转下年度, 行政复议 …) = the table cells.
Cells that are not non-negative integers (the fee may be decimal) → `fail`; blank cells →
`needs_review` (a blank may mean 0); (f) → `needs_review`; (a)–(e) → `fail`.

Why: the report's numbers are the appraisal's evidence of request handling (8.2.6); a table that
does not add up is a defect reviewers deduct for.

How: one finding per identity and report, listing every failing column or row with the cells,
their values and the sum, so a reviewer sees the error without opening the report. Blank cells
count as 0 in the sums.

Limits: a table whose rows could not be recognised is not summed (see report.structure); numbers
written in words are not read.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.checks.report._found import evidence, found_reports, own_by_year
from govaudit.extract.annual_report import cross_year, identities
from govaudit.model import Finding

RULE = Rule(id="report.arithmetic", item="8.2.6", title="年度报告表格数据不一致",
            defaults={"format_since": 2021, "blank_cells": "needs_review", "max_listed": 20})

NAMES = {"a": "(a) 新收+结转=办理总计+结转下年度", "b": "(b) 办理结果总计=各项办理结果之和",
         "c": "(c) 总计列=各类申请人之和", "d": "(d) 表四 各项结果之和=总计",
         "e": "(e) 本年上年结转=上年结转下年度", "f": "(f) 第一部分文字数据=表格数据"}


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    cap = conf.get("max_listed", 20)
    own = own_by_year(found_reports(ctx))
    if not own:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未找到年度报告（见 report.missing）")
        return
    for year in sorted(own, reverse=True):
        r = own[year]
        m = r.model
        if year < conf.get("format_since", 2021):
            continue
        target = r.doc_url if r.doc_url != r.url else None
        if m is None or m.status != "ok":
            yield ctx.finding(RULE, "not_measured", r.url, f"{year}年年度报告无法读取：{m.reason if m else '未读取'}",
                              target=target, key=str(year), evidence=evidence(ctx, r), data=r.summary())
            continue
        if m.table3 is None and m.table4 is None and m.table2 is None:
            yield ctx.finding(RULE, "not_measured", r.url, f"{year}年年度报告未找到统计表，无法核对（见 report.structure）",
                              target=target, key=str(year), evidence=evidence(ctx, r), data=r.summary())
            continue
        results = identities(m)
        last = own.get(year - 1)
        if last is not None and last.model is not None and last.model.status == "ok":
            results += cross_year(m, last.model)
        for ident in "abcdef":
            bad = [x for x in results if x["id"] == ident and not x["ok"]]
            if not bad:
                continue
            outcome = "needs_review" if ident == "f" else "fail"
            msg = f"{year}年年度报告{NAMES[ident]}不成立：" + "；".join(x["text"] for x in bad[:3]) + (
                f" 等{len(bad)}处" if len(bad) > 3 else "")
            ev = evidence(ctx, r, snippet=bad[0]["text"])
            if ident == "e":
                ev += evidence(ctx, last, snippet=f"{last.year}年年度报告")  # type: ignore[union-attr]
            yield ctx.finding(RULE, outcome, r.url, msg, target=target, key=f"{year}:{ident}", evidence=ev,
                              data={**r.summary(), "identity": ident, "name": NAMES[ident],
                                    "failures": bad[:cap], "failure_count": len(bad),
                                    "checked": sum(1 for x in results if x["id"] == ident)})
        cells = m.problem_cells()
        wrong = [c for c in cells if c.problem != "blank"]
        blank = [c for c in cells if c.problem == "blank"]
        if wrong:
            yield ctx.finding(RULE, "fail", r.url, f"{year}年年度报告有{len(wrong)}个单元格不是非负整数：" + "；".join(
                f"{c.ref}“{c.raw}”（{c.problem}）" for c in wrong[:3]), target=target, key=f"{year}:cells",
                evidence=evidence(ctx, r), data={**r.summary(), "cells": [c.__dict__ for c in wrong[:cap]],
                                                 "count": len(wrong)})
        if blank and conf.get("blank_cells", "needs_review") in ("fail", "needs_review"):
            yield ctx.finding(RULE, conf.get("blank_cells", "needs_review"), r.url,
                              f"{year}年年度报告有{len(blank)}个空白单元格（按0计算，请核实）：" + "、".join(c.ref for c in blank[:3])
                              + ("等" if len(blank) > 3 else ""), target=target, key=f"{year}:blank",
                              evidence=evidence(ctx, r), data={**r.summary(), "cells": [c.__dict__ for c in blank[:cap]],
                                                               "count": len(blank)})
