"""doc.metadata — policy documents whose 公开属性 (metadata block) is incomplete or wrong (appraisal 8.2.2).

What: the unit's policy documents — items of its 政策文件/规范性文件 columns, pages with their own
文号, pages an interpretation links as its 相关文件 — whose metadata block (the table, `<ul>`, `<dl>`
or grid of 索引号, 发布机构, 成文日期, 发布日期, 文号, 主题分类, 有效性):

- is missing, or lacks a required field *(config: required)* or leaves it empty (无, —, a template
  slot nobody filled);
- lacks the 文号 the body shows (the line under the title that is only a 文号), or shows another;
- gives a 成文日期 after the 发布日期;
- shares its 索引号 with another document (same 索引号, different title);
- belongs to a 行政规范性文件 (a column named 规范性文件 *(config: normative_column_words)*, 规 in the
  文号 as 青政规〔2024〕1号, or a 文件类型 field saying so) and states no validity (有效, 失效, 废止,
  已修订 …) in the block or as a mark such as 【已废止】.

Why: 8.2.2 (文件属性认定规范并适时动态调整) — a document's attributes must be determined and kept up
to date; the 索引号, the issuing body and the dates are how the 政府信息公开目录 indexes it, and a
normative document's validity must be marked when it lapses or is repealed (国办发〔2018〕37号).

How: the shared document set of the interpretation analysis (InterpPairs: column items, pages with
their own 文号, linked documents), each page read by govaudit.extract.doc_meta (labels matched by
meaning and synonyms — 发文机关 = 发布机构, 印发日期 = 成文日期 … — whatever the markup; text in HTML
comments does not count). One `fail` finding per unit with the number of documents per defect and
up to `max_examples` examples each (URL, title, the field and the values), evidence for each
example document (its block as read). A unit whose only defect is blocks with labels but no values at
all (values a script fills) gets `needs_review`. A column item with neither a block nor a 文号 (a
sub-column or a notice the column links) is not judged: nothing shows it is a document. `not_applicable`
when no policy document was found;
a clean result is a `pass` that says how many documents were read.

Limits: a block whose values a script fills after loading is not read (reported for review); a 文号
shown only in an image or an attachment is not seen; 索引号 uniqueness is judged over the policy
documents crawled, not the whole 目录 (other 主动公开 items with their own 索引号 are not compared).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from govaudit.checks.analyses.interp import Entry, InterpPairs
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract import doc_meta as M
from govaudit.extract.html import parse
from govaudit.extract.interp import doc_numbers, title_key
from govaudit.model import Finding

RULE = Rule(
    id="doc.metadata", item="8.2.2", title="政策文件公开属性不规范", uses=(InterpPairs,),
    defaults={"required": ["索引号", "发布机构", "成文日期", "发布日期", "主题分类"],
              "normative_column_words": ["规范性文件"], "max_examples": 5},
)

# defect kinds in the order the message lists them, and how a person reads each
DEFECTS: dict[str, str] = {
    "no_block": "没有公开属性信息", "values_empty": "公开属性各项均无内容（可能由脚本填充）",
    "missing_index_no": "缺少索引号", "missing_issuer": "缺少发布机构", "missing_written": "缺少成文日期",
    "missing_published": "缺少发布日期", "missing_subject": "缺少主题分类", "missing_doc_no": "缺少文号",
    "docno_missing": "正文有文号而公开属性中没有", "docno_differs": "公开属性中的文号与正文不一致",
    "written_after_published": "成文日期晚于发布日期", "index_duplicate": "索引号与其他文件重复",
    "validity_missing": "规范性文件未标注有效性",
}
REVIEW_ONLY = {"values_empty"}   # defects a person must confirm (the block may be filled by a script)


@dataclass
class Doc:
    entry: Entry
    meta: M.DocMeta
    normative: list[str]
    defects: dict[str, dict[str, Any]] = field(default_factory=dict)   # kind -> details
    judged: bool = True

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def title(self) -> str:
        return self.entry.facts.title or self.meta.title


def required_keys(labels: list[str]) -> list[str]:
    """Config labels (索引号, 发文机关 …) → canonical field keys; an unknown label is a config error."""
    out = []
    for lab in labels:
        key = M.field_key(lab)
        if key is None:
            raise ValueError(f"doc.metadata required: 未知的公开属性项“{lab}”（可用：{'、'.join(M.FIELD_LABELS.values())}）")
        out.append(key)
    return out


def read_docs(ctx: CheckContext, entries: list[Entry], normative_words: list[str]) -> list[Doc]:
    docs = []
    for e in entries:
        text = ctx.body_text(e.page)
        if not text:
            continue
        meta = M.read_meta(parse(text), e.facts.title)
        normative = list(meta.normative_signals)
        if e.column and any(w in e.column for w in normative_words):
            normative.append(f"{e.column}栏目")
        if e.facts.normative and not any(s.startswith("文号") for s in normative):
            normative.append("文号 " + "、".join(e.facts.doc_numbers))
        docs.append(Doc(e, meta, normative))
    return docs


def judge(doc: Doc, required: list[str]) -> None:
    """The defects of one document's block (all but 索引号 uniqueness, which needs every document)."""
    m = doc.meta
    if not m.block_found:
        if doc.entry.facts.doc_numbers or m.body_doc_numbers:
            doc.defects["no_block"] = {}
        else:  # neither block nor 文号: a column's stray link (a sub-column, a notice), no document to judge
            doc.judged = False
    elif not any(f.value.strip() for f in m.fields.values()):
        doc.defects["values_empty"] = {"labels": [f.label for f in m.fields.values()]}
    else:
        for key in m.missing(required):
            doc.defects[f"missing_{key}"] = {"field": M.FIELD_LABELS[key], "value": m.fields[key].value
                                             if key in m.fields else None}
        w, p = m.date("written"), m.date("published")
        if w and p and w > p:
            doc.defects["written_after_published"] = {"written_date": w.isoformat(), "published_date": p.isoformat()}
    if m.body_doc_numbers and "no_block" not in doc.defects and "values_empty" not in doc.defects:
        block = [d for t in m.block_doc_numbers for d in doc_numbers(t)]
        body = [d for t in m.body_doc_numbers for d in doc_numbers(t)]
        if not block:
            doc.defects.pop("missing_doc_no", None)
            doc.defects["docno_missing"] = {"body_doc_numbers": m.body_doc_numbers, "block_doc_no": m.value("doc_no")}
        elif not any(a.same(b) for a in block for b in body):
            doc.defects["docno_differs"] = {"body_doc_numbers": m.body_doc_numbers, "block_doc_no": m.value("doc_no")}
    if doc.normative and m.validity is None and "no_block" not in doc.defects:
        doc.defects["validity_missing"] = {"normative": doc.normative,
                                           "value": m.fields["validity"].value if "validity" in m.fields else None}


def duplicates(docs: list[Doc]) -> None:
    """索引号 shared by documents with different titles (one document at two URLs is one document)."""
    groups: dict[str, list[Doc]] = {}
    for d in docs:
        idx = d.meta.value("index_no")
        if idx:
            groups.setdefault("".join(idx.split()).upper(), []).append(d)
    for idx, group in groups.items():
        key = {id(d): title_key(d.title) or d.url for d in group}
        if len(set(key.values())) < 2:
            continue
        for d in group:  # the others: documents with another title (a copy of d at another URL is d)
            others = [{"url": o.url, "title": o.title} for o in group if key[id(o)] != key[id(d)]][:5]
            d.defects["index_duplicate"] = {"index_no": d.meta.value("index_no"), "others": others}


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    required = required_keys(conf["required"])
    pairs = ctx.get(InterpPairs)
    docs = read_docs(ctx, pairs.docs, conf["normative_column_words"])
    if not docs:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "未发现政策文件（政策文件栏目中的文件或带文号的页面）",
                          data={"documents": 0})
        return
    for d in docs:
        judge(d, required)
    skipped = sum(1 for d in docs if not d.judged)
    docs = [d for d in docs if d.judged]
    if not docs:
        yield ctx.finding(RULE, "not_applicable", ctx.unit.url, "政策文件栏目中没有可判断的文件（既无公开属性也无文号）",
                          data={"documents": 0, "not_judged": skipped})
        return
    duplicates(docs)
    bad = [d for d in docs if d.defects]
    if not bad:
        yield ctx.finding(RULE, "pass", ctx.unit.url, f"已检查 {len(docs)} 件政策文件，公开属性齐全、一致",
                          data={"documents": len(docs), "normative": sum(1 for d in docs if d.normative),
                                "not_judged": skipped})
        return
    yield report(ctx, docs, bad, conf["max_examples"], skipped)


def report(ctx: CheckContext, docs: list[Doc], bad: list[Doc], max_examples: int, skipped: int) -> Finding:
    counts = {k: sum(1 for d in bad if k in d.defects) for k in DEFECTS}
    counts = {k: n for k, n in counts.items() if n}
    examples: dict[str, list[dict[str, Any]]] = {}
    shown: list[Doc] = []
    for kind in counts:
        for d in [d for d in bad if kind in d.defects][:max_examples]:
            examples.setdefault(kind, []).append({"url": d.url, "title": d.title, **d.defects[kind]})
            if d not in shown:
                shown.append(d)
    by_column: dict[str, int] = {}   # who fixes it: the column's editors (文号 pages outside a column apart)
    for d in bad:
        col = d.entry.column or "栏目外带文号的页面"
        by_column[col] = by_column.get(col, 0) + 1
    text = "、".join(f"{DEFECTS[k]} {n} 件" for k, n in counts.items())
    outcome = "needs_review" if set(counts) <= REVIEW_ONLY else "fail"
    evidence = [ctx.evidence(d.entry.page, snippet=(d.meta.snippet or d.title)[:300],
                             note="；".join(_note(k, v) for k, v in d.defects.items())) for d in shown[:20]]
    return ctx.finding(
        RULE, outcome, ctx.unit.url, f"{len(bad)}/{len(docs)} 件政策文件的公开属性不规范：{text}",
        key="metadata", evidence=evidence,
        data={"documents": len(docs), "documents_with_defects": len(bad), "defects": counts,
              "defect_text": text, "examples": examples, "by_column": by_column,
              "normative": sum(1 for d in docs if d.normative), "not_judged": skipped})


def _note(kind: str, v: dict[str, Any]) -> str:
    if kind == "written_after_published":
        return f"成文日期 {v['written_date']} 晚于发布日期 {v['published_date']}"
    if kind in ("docno_missing", "docno_differs"):
        return f"{DEFECTS[kind]}（正文：{'、'.join(v['body_doc_numbers'])}；公开属性：{v['block_doc_no'] or '无'}）"
    if kind == "index_duplicate":
        return f"索引号 {v['index_no']} 与 {len(v['others'])} 件其他文件相同：{v['others'][0]['url']}"
    return DEFECTS[kind]
