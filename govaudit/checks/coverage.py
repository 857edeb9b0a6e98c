"""A partial crawl never makes a verdict about pages it did not reach (issue 17, point 1).

Each rule declares here, in one table, which classes of page (extract/linkclass.py) its verdict
depends on (`REACH`), and whether it is an *absence* rule: one whose problem is that something was
not found (`*.missing`, `column.statutory-missing` …). When the unit's crawl was partial
(crawler/coverage.py, `units.coverage`) and pages of those classes were left unreached:

- an absence rule's `fail` / `needs_review` becomes `not_measured` (the page may be among those
  not fetched), and
- any rule's silent pass ("nothing wrong") and its `not_applicable` ("nothing to judge": no report
  found …) become `not_measured` (it cannot know about the rest).

Problems found on pages that were fetched stay as they are: they are real. A partial crawl whose
unreached pages are of no class a rule looks at (the budget went to the platform, columns, guide,
reports and interpretations first; only articles were left) leaves that rule's verdict standing.
Rules that scan every page (links, content) also say in `data.coverage` how much they saw.
Stores written before coverage was recorded (NULL) are judged as before.
"""
from __future__ import annotations

from typing import Any

from govaudit.model import Finding

ALL = "*"   # any class of page: rules that scan every page; "class:N": pages of class within depth N
# family → classes its verdicts depend on; RULE_REACH overrides per rule
FAMILY_REACH: dict[str, tuple[str, ...]] = {
    "column": ("platform", "subcolumn", "column"),
    "guide": ("platform", "subcolumn", "guide"),
    "report": ("platform", "subcolumn", "annual"),
    "interp": ("column", "interp", "policy"),
    "link": (ALL,),
    "content": (ALL,),
    "site": (),
    # the interaction columns and their later list pages and letters (extract/linkclass.py "message")
    "interact": ("interaction", "message"),
}
RULE_REACH: dict[str, tuple[str, ...]] = {
    # issue 20 (channels): the request entry and what it links; the catalogue and its entries; plans
    "request.channel": ("platform", "subcolumn", "interaction"),
    "catalog.missing": ("platform", "subcolumn", "column"),
    # plans are found by the link texts of list pages: unreached articles leave the verdict standing
    "plan.missing": ("platform", "subcolumn", "column", "policy"),
    "column.content-items": ("platform", "subcolumn", "column"),
    "site.search": ("platform",),
    "site.metadata": (ALL,),
    "site.https": (ALL,),
    "site.unavailable": (),
    "report.consistency": ("annual", "policy", "article"),  # the year's documents anywhere on the site
    # counts recent articles within 3 links of the home page (its max_depth default)
    "site.not-updated": ("column", "article:3", "interp", "policy"),
    "doc.metadata": ("column", "policy"),   # the 政策文件 columns and their documents (索引号 duplicates too)
}
ABSENCE = frozenset({
    "request.channel", "catalog.missing", "plan.missing",   # issue 20 (channels)
    "column.platform-missing", "column.statutory-missing", "column.content-items",
    "guide.missing", "report.missing", "interp.column-missing", "interp.missing", "site.search",
    "site.not-updated",
    # issue 20: a channel not found, a field or statistics block not found, may be on unreached pages
    "interact.column-missing", "interact.fields", "interact.stale",
})
# rules whose not_applicable comes from the unit (its kind or level), never from what was crawled
BY_UNIT = frozenset({"catalog.missing"})
SCANS = ("link", "content")   # families that read every page: data.coverage on each finding
SILENT_PASS = "未发现问题"     # checks/run.py's message for a rule that found nothing


def reach(rule_id: str) -> tuple[str, ...]:
    if rule_id in RULE_REACH:
        return RULE_REACH[rule_id]
    return FAMILY_REACH.get(rule_id.split(".", 1)[0], (ALL,))


def unseen(rule_id: str, cov: dict[str, Any] | None) -> dict[str, int]:
    """The unreached pages (class → count) that this rule's verdict depends on; {} when none or
    the crawl was complete."""
    if not cov or cov.get("status") != "partial":
        return {}
    classes = reach(rule_id)
    if not classes:
        return {}
    unreached: dict[str, int] = cov.get("unreached") or {}
    if not unreached and cov.get("reason") in ("interrupted", "stopped", "errors"):
        # stopped with nothing recorded as waiting (killed, or failures): nothing can be vouched for
        return {"unknown": 1}
    if ALL in classes:
        return dict(unreached)
    depth = cov.get("unreached_depth") or {}
    out: dict[str, int] = {}
    for entry in classes:
        cls, _, most = entry.partition(":")
        # without depth information (older records) every unreached page counts
        if cls in unreached and (not most or depth.get(cls, 0) <= int(most)):
            out[cls] = unreached[cls]
    return out


def apply(rule: Any, findings: list[Finding], cov: dict[str, Any] | None) -> list[Finding]:
    """The findings of one rule on one unit, adjusted to what the crawl covered."""
    if not cov:
        return findings
    missing = unseen(rule.id, cov)
    family = rule.id.split(".", 1)[0]
    summary = {"status": cov.get("status"), "reason": cov.get("reason"), "pages": cov.get("pages"),
               "unreached": sum((cov.get("unreached") or {}).values())}
    out: list[Finding] = []
    for f in findings:
        if family in SCANS:
            f.data = {**f.data, "coverage": summary}
        if missing and (f.outcome == "pass" and f.message == SILENT_PASS
                        or f.outcome == "not_applicable" and rule.id not in BY_UNIT
                        or rule.id in ABSENCE and f.outcome in ("fail", "needs_review")):
            f = _not_measured(f, cov, missing, summary)
        out.append(f)
    return out


def _not_measured(f: Finding, cov: dict[str, Any], missing: dict[str, int], summary: dict[str, Any]) -> Finding:
    n = sum(v for k, v in missing.items() if k != "unknown")
    left = f"，{n} 个相关页面未抓取" if n else ""
    what = ("未发现问题不代表没有问题" if f.outcome == "pass" else f"“{f.message}”的依据可能在未抓取的页面中"
            if f.outcome == "not_applicable" else f"“{f.message}”可能在未抓取的页面中")
    f.data = {**f.data, "original_outcome": f.outcome, "original_message": f.message,
              "coverage": {**summary, "unreached_here": missing}}
    f.message = f"未能检测：抓取不完整（{cov.get('reason_text') or cov.get('reason')}）{left}，{what}"
    f.outcome = "not_measured"
    return f
