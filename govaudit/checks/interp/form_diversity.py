"""interp.form-diversity — too few interpretations in a non-text form (appraisal 8.4.4).

What: the interpretations found, counted by form — 图解 (image-dominant body), 视频/动漫 (video
element, video file or player embed), 问答 (question/answer pattern), H5, and plain text; the
share of non-text forms below `min_non_text_share` *(config, default 0.2)* is `fail`. The counts
are always reported, and `data.interpretations` lists every interpretation with its paired
document, how the pair was made, the gap in calendar and working days, and its form (the report's
interpretation table).

Why: 8.4.4 asks for diversified interpretation (图解, 视频, 动漫, 问答, H5, 新闻发布会, 专家解读)
to make up a certain share.

How: govaudit/extract/interp.py classify_form on the article body: any video element, video file
link or player embed → 视频; an embedded/linked H5 page or H5 in the title → H5; images with little
text (≤ 300 characters, or ≤ 150 per image) → 图解; two or more 问：/答： lines, or three short
lines ending in ？ → 问答; else the title's words (视频, 图解, 问答 …); else text.

Limits: a video or image loaded by JavaScript is not seen (the title's words still count); a
图解 published as an attachment is counted by its article page only.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interp import InterpPairs, gap
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.interp import FORM_LABELS, FORMS
from govaudit.model import Finding

RULE = Rule(id="interp.form-diversity", item="8.4.4", title="政策解读形式单一",
            defaults={"min_non_text_share": 0.2, "min_interpretations": 1}, uses=(InterpPairs,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    share_min = float(conf["min_non_text_share"])
    a = ctx.get(InterpPairs)
    counts = {f: 0 for f in FORMS}
    for e in a.interps:
        counts[e.facts.form] += 1
    total = len(a.interps)
    data = {"counts": counts, "labels": FORM_LABELS, "total": total,
            "non_text_share": round((total - counts["text"]) / total, 3) if total else None,
            "min_non_text_share": share_min, "columns": a.interp_columns,
            "interpretations": [p.to_dict(gap(p)) for p in a.pairs]}
    summary = "，".join(f"{FORM_LABELS[f]}{n}篇" for f, n in counts.items() if n)
    if total < int(conf["min_interpretations"]):
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未发现政策解读材料", data=data)
        return
    if data["non_text_share"] < share_min:
        yield ctx.finding(
            RULE, "fail", a.interp_columns[0] if a.interp_columns else ctx.unit.url,
            f"多样化解读占比{data['non_text_share']:.0%}，低于{share_min:.0%}（{summary}）",
            evidence=[ctx.evidence(e.page, snippet=e.facts.title, note=f"形式：{FORM_LABELS[e.facts.form]}")
                      for e in a.interps[:5]],
            data=data)
        return
    yield ctx.finding(RULE, "pass", ctx.unit.url, f"共{total}篇解读：{summary}", data=data)
