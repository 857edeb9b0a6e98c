"""site.metadata — required meta tags per page type, and PubDate against the visible date (8.6.2).

What: pages missing the meta tags the 政府网站发展指引 requires for their type — every page:
SiteName, SiteDomain, SiteIDCode; column pages (pages with Column* tags): ColumnName, ColumnType
…; article pages (a publish date or ArticleTitle): ArticleTitle, PubDate, ContentSource — counted
per page type with examples; and articles whose `PubDate` disagrees with the date shown on the
page.

Why: 8.6.2 — metadata is how the national government-website platform indexes pages; a missing
SiteIDCode or a wrong PubDate breaks statistics and search.

How: the meta tags of every crawled page (meta tags inside HTML comments do not count; an empty
content counts as missing). One `fail` finding per page type with `missing_share` above
`max_missing_share`, listing counts per tag and up to `max_examples` pages. PubDate disagreement:
govaudit.extract.dates.publish_date's meta candidate against its visible-label candidates (a
公开属性 block's 成文日期/印发日期 is no publish date and is not compared) → `needs_review`.

Limits: the page type is inferred (no CMS knowledge); tags set by script are not seen.
"""
from __future__ import annotations

from typing import Any, Iterable

from govaudit.checks.analyses.hygiene import HygieneScan
from govaudit.checks.analyses.vocab import error_phrase
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import Finding, Purpose

RULE = Rule(
    id="site.metadata", item="8.6.2", title="网页元数据缺失或不一致",
    defaults={"site_tags": ["SiteName", "SiteDomain", "SiteIDCode"],
              "column_tags": ["ColumnName", "ColumnType"],
              "article_tags": ["ArticleTitle", "PubDate", "ContentSource"],
              "max_missing_share": 0.0, "max_examples": 10},
    uses=(HygieneScan,),
)
SOFT404_RULE = "link.soft-404"  # whose error phrases mark the pages not judged here
WRITTEN_LABELS = ("label:成文日期", "label:印发日期")   # document dates a 公开属性 block shows beside 发布日期


def page_type(ps: Any) -> str:
    if ps.page["purpose"] == Purpose.HOME:
        return "home"
    if ps.meta.get("ArticleTitle") or ps.publish is not None:
        return "article"
    if any(k.lower().startswith("column") for k in ps.meta):
        return "column"
    return "other"


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    sc = ctx.get(HygieneScan)
    required = {"home": conf["site_tags"], "other": conf["site_tags"],
                "column": conf["site_tags"] + conf["column_tags"],
                "article": conf["site_tags"] + conf["article_tags"]}
    by_type: dict[str, dict[str, Any]] = {}
    disagree: list[dict[str, Any]] = []
    soft = ctx.settings(SOFT404_RULE)
    for ps in sc.pages:
        if ps.page["purpose"] != Purpose.HOME and error_phrase(ps.title, ps.text, ps.text_len, soft):
            continue  # an error page (link.soft-404) has no metadata to judge
        kind = page_type(ps)
        meta = {k.lower(): v for k, v in ps.meta.items()}
        st = by_type.setdefault(kind, {"pages": 0, "bad": 0, "tags": {}, "examples": []})
        st["pages"] += 1
        missing = [t for t in required[kind] if not meta.get(t.lower())]
        if missing:
            st["bad"] += 1
            for t in missing:
                st["tags"][t] = st["tags"].get(t, 0) + 1
            if len(st["examples"]) < conf["max_examples"]:
                st["examples"].append({"url": ps.page["url"], "missing": missing, "page": ps.page})
        pub = ps.publish
        if pub is not None and pub.source.startswith("meta"):
            # a document's 成文日期/印发日期 is when it was written, not when the page was published
            shown = [o for o in pub.others if str(o.get("source", "")).startswith("label")
                     and o.get("source") not in WRITTEN_LABELS]
            if shown and all(o["date"] != pub.date.isoformat() for o in shown):
                disagree.append({"page": ps.page, "meta": pub.date.isoformat(), "shown": shown[0]["date"],
                                 "raw": shown[0].get("raw")})
    labels = {"home": "首页", "column": "栏目页", "article": "文章页", "other": "其他页面"}
    for kind, st in by_type.items():
        share = st["bad"] / st["pages"] if st["pages"] else 0.0
        if st["bad"] and share > conf["max_missing_share"]:
            tags = "、".join(f"{t}（{n}页）" for t, n in sorted(st["tags"].items(), key=lambda x: -x[1]))
            first = st["examples"][0]
            yield ctx.finding(RULE, "fail", first["url"], f"{labels[kind]}缺少元数据：{st['bad']}/{st['pages']}页，{tags}",
                              key=f"missing-{kind}",
                              evidence=[ctx.evidence(e["page"], note="缺少 " + "、".join(e["missing"])) for e in st["examples"]],
                              data={"page_type": kind, "pages": st["pages"], "pages_missing": st["bad"], "tags": st["tags"],
                                    "examples": [{"url": e["url"], "missing": e["missing"]} for e in st["examples"]]})
    for d in disagree:
        yield ctx.finding(RULE, "needs_review", d["page"]["url"],
                          f"PubDate（{d['meta']}）与页面显示的发布日期（{d['shown']}）不一致", key="pubdate",
                          evidence=[ctx.evidence(d["page"], snippet=d["raw"], note=f"元数据 PubDate 为 {d['meta']}")],
                          data={"meta": d["meta"], "shown": d["shown"]})
    if not sc.pages:
        yield ctx.finding(RULE, "not_measured", ctx.unit.url, "没有可检查的页面")
