"""content.illegal-text — gambling/porn/fake-invoice text on a government page (hijacked page) (8.9.2).

What: the visible text (and title) of a crawled page contains the illegal-content vocabulary of
link.illegal (娱乐城, 百家乐, bet365, 代开发票, 传奇私服 …).

Why: hijackers inject such text (often as keyword stuffing in the title or a hidden block) into
government pages to borrow their ranking; 8.9.2 counts it as a serious security incident.

How: the shared page scan matches the vocabulary on each page's title and body text. A match
whose surroundings report enforcement or warn (打击, 查处, 严禁, 谨防 … `context_words`) is
ignored. `fail` when a page carries at least `min_distinct` different terms or `min_repeats`
occurrences; `needs_review` for a single unexplained term.

Limits: text drawn by scripts after loading is not read (only the stored HTML); images of text
are not read. Vocabulary: `link.illegal.terms` in config/rules.yaml.
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding

RULE = Rule(id="content.illegal-text", item="8.9.2", title="违规内容（页面被篡改）",
            defaults={"min_distinct": 2, "min_repeats": 3, "max_examples": 5}, uses=(HygieneScan,))


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    sc = ctx.get(HygieneScan)
    for ps in sc.pages:
        hits = [t for t in ps.text_terms if not t["context"]]
        if not hits:
            continue
        distinct = sorted({h["term"].lower() for h in hits})
        strong = len(distinct) >= conf["min_distinct"] or len(hits) >= conf["min_repeats"]
        ev = [ctx.evidence(ps.page, snippet=h["snippet"], note=f"违规词语“{h['term']}”") for h in hits[: conf["max_examples"]]]
        yield ctx.finding(RULE, "fail" if strong else "needs_review", ps.page["url"],
                          f"页面含违规内容词：{'、'.join(distinct[:6])}（{len(hits)}处）", evidence=ev,
                          data={"terms": distinct, "count": len(hits),
                                "ignored_in_context": len(ps.text_terms) - len(hits)})
