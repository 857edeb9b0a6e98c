"""guide.incomplete — the guide lacks elements 条例 art. 12 requires (appraisal 8.2.7).

What: any of: classification (分类), 编排体系, how to obtain information proactively disclosed
and on request, the office's name, address, office hours, phone, fax, internet contact (e-mail
or URL), supervision and remedy (投诉/举报, 行政复议, 行政诉讼).

Why: 条例 art. 12 lists them; DB15/T 2091 details them; 8.2.7 scores the guide.

How: the guide's visible text (main content of its page) is normalised (full-width digits and
punctuation, ＠, spaced labels such as "传 真") and searched per element (`elements`: element →
name and regular expressions). Phone and fax numbers in Chinese formats (0471-1234567,
(0471)1234567, extensions, mobiles). The finding reports every element found with the text that
satisfied it, and the missing ones.

A guide published as a PDF/DOCX attachment is read when the crawler downloaded it.

Limits: a guide attachment that was not downloaded, or in .doc/.wps/.ofd, is `not_measured`; the
presence of words is checked, not their correctness.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.guide import GuideFound, readable_guide
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.guide import DEFAULT_ELEMENTS
from govaudit.model import Finding

RULE = Rule(id="guide.incomplete", item="8.2.7", title="政府信息公开指南要素不全",
            defaults={"elements": {**{k: {"name": v["name"], "patterns": list(v["patterns"])}
                                      for k, v in DEFAULT_ELEMENTS.items()},
                                   "*": {"name": "", "patterns": [""]}},
                      "required": list(DEFAULT_ELEMENTS)},
            uses=(GuideFound,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    doc, unmeasured = readable_guide(ctx, RULE)
    if doc is None:
        yield unmeasured
        return
    rep = doc.report
    required = ctx.settings(RULE.id)["required"]
    missing = [k for k in rep.missing if k in required]
    data = {**doc.to_dict(), **rep.to_dict(), "missing": missing}
    page = doc.page or {"url": doc.url}
    if missing:
        names = "、".join(rep.elements[k]["name"] for k in missing)
        found = [f'{v["name"]}：{v.get("sentence") or v["match"]}' for k, v in rep.elements.items() if v["found"]][:4]
        yield ctx.finding(RULE, "fail", doc.url, f"政府信息公开指南缺少要素：{names}", key="missing",
                          evidence=[ctx.evidence(page, snippet="；".join(found), note="已找到的要素（前四项）")],
                          data=data)
    else:
        yield ctx.finding(RULE, "pass", doc.url, "政府信息公开指南要素齐全", evidence=[ctx.evidence(page)], data=data)
