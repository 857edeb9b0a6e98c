"""content.privacy — personal information published unmasked, in pages and attachments (8.9.2 b, c).

What: 18-digit resident ID numbers with a valid ISO 7064 MOD 11-2 check character and a real birth
date; mobile numbers beside a person's name; bank card numbers passing Luhn beside 账号/卡号 (on the
line, or in the header of their spreadsheet column) — in the visible text of every crawled page and
in the text of every downloaded attachment (xls, xlsx, et, csv, doc, docx, wps, pdf; scanned PDF
pages and images by OCR).

Why: publishing ID numbers in 低保/补贴/救助 公示 lists is the commonest personal-information
finding of the national inspection's 通报; 个人信息保护法 and the 公示 rules require masking.

How: govaudit.extract.personal_data.find_personal_data on each document's text. `fail`, one finding
per document with counts by kind and at most `max_examples` examples. Masked forms
(110101********1234, 138****5678) are compliant; 索引号, 统一社会信用代码, 文号, order and serial
numbers do not match (labels, letters, a '/2026-…' tail, a wrong check digit or birth date).
Attachments that could not be read, or only in part (format, limits, the OCR page caps, no
Tesseract), are listed in one `not_measured` finding: they were not checked, which is not a pass.

The tool must not spread the data: messages, data and evidence snippets hold masked values only
(1101**********123X, 张*); the full value stays in the stored body and attachment text.

Limits: 15-digit IDs (issued before 1999) and foreign IDs are not detected; a name is recognised by
a 姓名/联系人 label or a common surname, so a mobile beside a rare surname is missed; images inside
pages and Word documents are not OCR'd; attachments the crawler did not download
(crawl.fetch_attachments) are not read.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from govaudit.checks.analyses.documents import (DEFAULTS as DOC_DEFAULTS, Document, SiteDocuments, not_measured,
                                                register, unreadable_summary)
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.personal_data import find_personal_data, snippet
from govaudit.model import Finding

KIND_NAMES = {"id": "身份证号", "mobile": "手机号（姓名旁）", "card": "银行卡号"}

RULE = Rule(id="content.privacy", item="8.9.2", title="公开未脱敏的个人信息",
            defaults={"max_examples": 5, "kinds": ["id", "mobile", "card"], **DOC_DEFAULTS},  # DOC_DEFAULTS: the
            uses=(SiteDocuments,))                                        # reading limits of SiteDocuments


def analyse(ctx: CheckContext, doc: Document, text: str) -> dict[str, Any]:
    """Counts by kind and masked examples with masked snippets (the text itself is not kept)."""
    conf = ctx.settings(RULE.id)
    hits = [h for h in find_personal_data(text, ctx.today) if h.kind in conf["kinds"]]
    return {"counts": dict(Counter(h.kind for h in hits)),
            "examples": [{"kind": h.kind, "masked": h.masked, "label": h.label, "snippet": snippet(text, h)}
                         for h in hits[: conf["max_examples"]]]}


register(RULE.id, analyse)


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    docs = ctx.get(SiteDocuments).docs
    flagged: set[str] = set()
    for doc in docs:
        res = doc.results.get(RULE.id)
        if not res or not res["counts"]:
            continue
        flagged.add(doc.page["url"])
        counts, examples = res["counts"], res["examples"]
        what = "、".join(f"{KIND_NAMES[k]}{n}个" for k, n in counts.items())
        where = "附件" if doc.kind == "attachment" else "页面"
        ev = [ctx.evidence(doc.page, snippet=h["snippet"],
                           note=f"{KIND_NAMES[h['kind']]} {h['masked']}" + (f"（{h['label']}）" if h["label"] else ""))
              for h in examples]
        yield ctx.finding(RULE, "fail", doc.page["url"],
                          f"{where}公开未脱敏的个人信息：{what}（如 {examples[0]['masked']}）", evidence=ev,
                          data={"counts": counts, "examples": [h["masked"] for h in examples],
                                "document": doc.kind, "format": doc.format, "ocr_pages": doc.ocr_pages})
    bad = unreadable_summary(docs, flagged)
    if bad:
        yield not_measured(ctx, RULE, bad, "个人信息")
