"""interp.unlinked — an interpretation and its policy document not linked both ways (appraisal 8.4.3).

What: for every interpretation paired with a policy document crawled on the same portal, a working
static link on the interpretation to the document (labelled 相关文件, 原文链接, 政策原文 …, or an
anchor in the body naming the document 《…》) and one on the document to the interpretation
(相关解读, 政策解读, 图解 …). An interpretation whose document cannot be found at all is reported
too, when it names no document on any site.

Why: 8.4.3 asks that a policy document and its interpretation be released together and
cross-linked (国办发〔2016〕80号 “三同步”, 关联发布), so that a reader of either finds the other.

How: pairs come from the shared analysis (checks/analyses/interp.py, InterpPairs): by hyperlink first, then by
the quoted title (whitespace, quote style, punctuation and the 关于印发《X》的通知 wrapper ignored),
then by 文号. `data.method` says how the pair was made (link-both, link-interp-to-doc,
link-doc-to-interp, title, docno). A missing side is `fail`; it is `needs_review` when the page
shows the label (相关文件：…, 相关解读) with no static link — such links are often built by
JavaScript — or when the interpretation names no document we could find. A labelled link whose
target fails counts as missing (`data.broken_links`).

Limits: documents on other sites (an interpretation of a provincial policy) are accepted with a
one-way link; documents published only as attachments cannot link back and are not judged.
Vocabularies *(config)*: interp_column_names, doc_column_names, interp_title_words, doc_labels,
interp_labels, no_interp_reasons — they drive every interp.* rule.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.interp import VOCAB_DEFAULTS, InterpPairs
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="interp.unlinked", item="8.4.3", title="政策文件与解读未相互关联", defaults=dict(VOCAB_DEFAULTS),
            uses=(InterpPairs,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    a = ctx.get(InterpPairs)
    if not a.interps:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未发现政策解读材料", data={"pairs": 0})
        return
    problems = 0
    for p in a.pairs:
        i = p.interp
        ipage = i.page
        if p.doc is None:
            if p.method == "link-external":
                continue
            named = i.facts.ref_keys or i.facts.mentioned_numbers or i.facts.named_doc_unlinked
            problems += 1
            yield ctx.finding(
                RULE, "needs_review", i.url,
                f"解读未找到对应的政策文件：{i.facts.title}",
                key="no-doc",
                evidence=[ctx.evidence(ipage, snippet=i.facts.title,
                                       note="未链接政策文件，抓取的文件中也没有与其提及的标题或文号相符的"
                                            if named else "解读未提及任何政策文件")],
                data=p.to_dict())
            continue
        if p.doc_to_interp and (p.interp_to_doc or i.via == "column-file"):
            continue
        d = p.doc
        missing = []
        if not p.interp_to_doc and i.via != "column-file":  # a file cannot link its document
            missing.append("interp-to-doc")
        if not p.doc_to_interp:
            missing.append("doc-to-interp")
        js = (not p.interp_to_doc and i.facts.named_doc_unlinked) or (not p.doc_to_interp and d.facts.named_interp_unlinked)
        js_only = bool(js) and all(
            (m == "interp-to-doc" and i.facts.named_doc_unlinked) or (m == "doc-to-interp" and d.facts.named_interp_unlinked)
            for m in missing)
        outcome = "needs_review" if js_only else "fail"
        what = {"interp-to-doc": "解读未链接政策原文", "doc-to-interp": "政策文件未链接解读"}
        msg = "；".join(what[m] for m in missing) + f"：{i.facts.title} ↔ {d.facts.title}"
        if js_only:
            msg += "（页面有“" + str(js) + "”字样但无静态链接，可能由脚本生成，请人工核实）"
        elif "interp-to-doc" in missing and i.facts.named_doc_text:
            msg += f"（解读页仅以文字列出相关文件“{i.facts.named_doc_text}”，无链接）"
        if p.broken:
            b = p.broken[0]
            msg += f"（链接失效：{b['url']}，{b.get('reason') or 'HTTP ' + str(b.get('status'))}）"
        evidence = []
        if "interp-to-doc" in missing:
            evidence.append(ctx.evidence(ipage, snippet=i.facts.title,
                                         note=f"没有可用的链接指向 {d.url}" + (f"（有“{i.facts.named_doc_unlinked}”字样但无静态链接）" if i.facts.named_doc_unlinked else "")))
        if "doc-to-interp" in missing:
            evidence.append(ctx.evidence(d.page, snippet=d.facts.title,
                                         note=f"没有可用的链接指向 {i.url}" + (f"（有“{d.facts.named_interp_unlinked}”字样但无静态链接）" if d.facts.named_interp_unlinked else "")))
        problems += 1
        yield ctx.finding(RULE, outcome, i.url, msg, target=d.url, evidence=evidence,
                          data={**p.to_dict(), "missing": missing})
    if not problems:
        yield ctx.finding(RULE, "pass", ctx.unit.url, f"{len(a.pairs)}篇解读均与政策文件相互链接或链接至外部文件",
                          data={"pairs": len(a.pairs)})
