"""interp.missing — a normative policy document with no interpretation found (appraisal 8.4.2).

What: a 行政规范性文件 — a page with its own 文号 listed in a 政策文件/规范性文件 column, or any page
whose 文号 carries 规 (青政规〔2024〕1号) — that no interpretation is paired with, and that states no
reason for not interpreting it (不予解读, 无需解读 … *(config: interp.unlinked no_interp_reasons)*).

Why: 8.4.2 asks for important policy documents to be interpreted, released in step with the
document; the standard allows “not interpreted, with the reasons stated”, so the outcome is
`needs_review`, never `fail`.

How: the shared pairing (checks/analyses/interp.py, InterpPairs): link both ways or one way, quoted title, 文号.
Documents without 规 in the 文号 whose title says 任免, 表彰, 通报, 批复, 的函, 放假 …
*(config: skip_title_words)* are not policy documents and are skipped. `not_applicable` when the
portal has no such document.

Limits: a document interpreted on another site (a department's portal) is not seen; a 文号 written
only inside an image or an attachment is not read.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interp import InterpPairs
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interp.missing", item="8.4.2", title="规范性文件未发布解读", uses=(InterpPairs,),
            defaults={"skip_title_words": ["任免", "任职", "免职", "聘任", "表彰", "嘉奖", "通报", "批复", "的函",
                                           "会议纪要", "值班", "放假"]})


def check(ctx: CheckContext) -> Iterable[Finding]:
    a = ctx.get(InterpPairs)
    skip = ctx.settings(RULE.id)["skip_title_words"]
    normative = [d for d in a.docs if d.facts.doc_numbers and (d.column or d.facts.normative)
                 and (d.facts.normative or not any(w in d.facts.title for w in skip))]
    if not normative:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未发现带文号的规范性文件",
                          data={"documents": len(a.docs)})
        return
    missing = 0
    reasons = []
    for d in normative:
        if a.pairs_of_doc(d):
            continue
        if d.facts.no_interp_reason:
            reasons.append({"url": d.url, "reason": d.facts.no_interp_reason})
            continue
        missing += 1
        yield ctx.finding(
            RULE, "needs_review", d.url, f"规范性文件未发现解读材料：{d.facts.title}（{'、'.join(d.facts.doc_numbers)}）",
            evidence=[ctx.evidence(d.page, snippet=f"{d.facts.title} {' '.join(d.facts.doc_numbers)}",
                                   note="没有解读链接该文件、被该文件链接，或提及其标题或文号")],
            data={"doc": d.brief(), "normative": d.facts.normative})
    if not missing:
        yield ctx.finding(RULE, "pass", ctx.unit.url, f"{len(normative)}件规范性文件均有解读或说明不予解读理由",
                          data={"documents": len(normative), "stated_reasons": reasons})
