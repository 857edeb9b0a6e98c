"""Real-page accuracy: every page of ../shared/corpus against a hand-written expected JSON.

Each tests/accuracy/expected/*.json names one page (or, for LinkChecker's inputs, the folder whose
own .result files are the expectation), its type and only fields a person can verify on the page:
list items (link, title start, date) and totals, article publish dates and titles, the guide
elements the page states (null: the page does not state it), platform column links, report cells
and dates. Every field is scored right / wrong / missing:

- right: the extractor gives what the page says;
- wrong: it gives something else — for a guide element the page does not state, a claimed
  "present" is wrong and counted apart (false present: the worst error, a missed defect);
- missing: the page states it and the extractor gives nothing.

`python -m tests.accuracy.harness` (or `make accuracy`) prints the table per page type and exits
1 below 98 % right or with any false present guide element. The corpus is third-party material
kept outside the repository; without it the harness says so and exits 0.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from govaudit.extract.annual_report import read_report
from govaudit.extract.columns import columns_on_page, main_content
from govaudit.extract.dates import publish_date
from govaudit.extract.doc_meta import read_meta
from govaudit.extract.guide import read_guide
from govaudit.extract.interp import page_facts
from govaudit.extract.lists import extract_list
from govaudit.extract.page import view_page
from govaudit.urls import absolute, normalize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = Path(__file__).resolve().parent / "expected"
TARGET = 0.98


@dataclass
class Score:
    kind: str        # page type
    page: str
    field: str
    status: str      # right | wrong | missing
    expected: Any = None
    got: Any = None
    false_present: bool = False


def corpus_pages(corpus: Path = CORPUS) -> list[str]:
    """The pages of the corpus that need an expectation (LinkChecker's inputs as one folder)."""
    out = []
    for p in sorted(corpus.rglob("*")):
        rel = p.relative_to(corpus).as_posix()
        if p.is_file() and p.suffix in (".html", ".jsp") and not rel.startswith("linkchecker/"):
            out.append(rel)
    return out + ["linkchecker/"]


def expectations() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTED.glob("*.json"))]


def _view(exp: dict[str, Any], corpus: Path) -> Any:
    return view_page((corpus / exp["page"]).read_bytes(), exp["url"])


def _cmp(kind: str, page: str, field: str, expected: Any, got: Any) -> Score:
    if got is None or got == [] or got == "":
        return Score(kind, page, field, "right" if expected in (None, []) else "missing", expected, got)
    return Score(kind, page, field, "right" if got == expected else "wrong", expected, got)


def score_list(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    v = _view(exp, corpus)
    today = dt.date.fromisoformat(exp["crawl_date"]) if exp.get("crawl_date") else None
    lp = extract_list(v.root, v.url, today)
    page, f = exp["page"], exp["fields"]
    got = {normalize(i.url): i for i in lp.items}
    wanted = set()
    for n, item in enumerate(f.get("items", []), 1):
        url = normalize(absolute(v.url, item["href"]) or item["href"])
        wanted.add(url)
        it = got.get(url)
        yield Score("list", page, f"item {n} link", "right" if it else "missing", url, it.url if it else None)
        if it is None:
            continue
        if "date" in item:
            yield _cmp("list", page, f"item {n} date", item["date"], it.date.isoformat() if it.date else None)
        if "title_starts" in item:
            ok = it.title.startswith(item["title_starts"])
            yield Score("list", page, f"item {n} title", "right" if ok else "wrong", item["title_starts"], it.title[:20])
    for url in got:
        if url not in wanted:  # an item the page does not list
            yield Score("list", page, "extra item", "wrong", None, url)
    if "total_pages" in f:
        yield _cmp("list", page, "total_pages", f["total_pages"], lp.total_pages)
    if "total_items" in f:
        yield _cmp("list", page, "total_items", f["total_items"], lp.total_items)
    if "next_pages" in f:
        yield _cmp("list", page, "next_pages", f["next_pages"], lp.next_pages)


def score_article(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    v = _view(exp, corpus)
    page, f = exp["page"], exp["fields"]
    if "publish_date" in f:
        pd = publish_date(v.root, meta=v.meta)
        yield _cmp("article", page, "publish_date", f["publish_date"], pd.date.isoformat() if pd else None)
    facts = page_facts(v.root, v.url, v.meta, v.title)
    if "title" in f:
        yield _cmp("article", page, "title", f["title"], facts.title)
    if "doc_numbers" in f:
        yield _cmp("article", page, "doc_numbers", f["doc_numbers"], facts.doc_numbers)


def score_guide(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    v = _view(exp, corpus)
    page = exp["page"]
    rep = read_guide(main_content(v.root)[0])
    for key, want in exp["fields"].get("elements", {}).items():
        el = rep.elements.get(key, {})
        if want is None:  # the page does not state it
            present = bool(el.get("found"))
            yield Score("guide", page, key, "wrong" if present else "right", None, el.get("sentence") or el.get("text"),
                        false_present=present)
        elif not el.get("found"):
            yield Score("guide", page, key, "missing", want, None)
        else:  # want: words of the sentence that states it
            ok = str(want) in (el.get("sentence") or "")
            yield Score("guide", page, key, "right" if ok else "wrong", want, el.get("sentence"))


def score_platform(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    v = _view(exp, corpus)
    cols = columns_on_page(v.root, v.url)
    for key, url in exp["fields"].get("columns", {}).items():
        hits = cols.get(key) or []
        got = normalize(hits[0].url) if hits else None
        want = normalize(url) if url else None
        if want is None and got is not None:
            yield Score("platform", exp["page"], key, "wrong", None, got)
        else:
            yield _cmp("platform", exp["page"], key, want, got)


def score_report(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    """Report pages: {"publish_date": …, "year": …, "cells": {"table3.new.total": 38, …}}."""
    rep = read_report((corpus / exp["page"]).read_bytes(), exp.get("url", ""), "")
    page, f = exp["page"], exp["fields"]
    if "publish_date" in f:
        yield _cmp("report", page, "publish_date", f["publish_date"], rep.publish_date)
    if "year" in f:
        yield _cmp("report", page, "year", f["year"], rep.year)
    for path, value in f.get("cells", {}).items():
        c = rep.cell(path)
        yield _cmp("report", page, path, value, c.value if c is not None else None)


def score_links(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    # the comparison rules (URL canon, documented differences) live with the link extractor's test
    from tests.test_extract_linkchecker import (DIFFERENCES, RECURSE, canon, expected_keys, extracted, html_inputs,
                                                page_url)

    data = corpus / "linkchecker"
    for path in html_inputs(data):
        name = path.relative_to(data).as_posix()
        me = page_url(path, data)
        want = {canon(k) for k in expected_keys(Path(str(path) + ".result"))} - {me}
        got = extracted(path, data)
        for extra in RECURSE.get(name, []):
            got |= extracted(data / extra, data)
        got -= {me}
        diffs = DIFFERENCES.get(name, {})
        excused = {k[1:] for k in diffs}
        for url in sorted(want):
            yield Score("links", f"linkchecker/{name}", url,
                        "right" if url in got or url in excused else "missing", url, None)
        for url in sorted(got - want):
            yield Score("links", f"linkchecker/{name}", url, "right" if url in excused else "wrong", None, url)


def score_meta(exp: dict[str, Any], corpus: Path) -> Iterator[Score]:
    """Metadata blocks: {"block_found": …, "fields": {"index_no": "…", "written": null …}, "body_doc_numbers": […]}
    (a null field: the page does not show it, e.g. only inside an HTML comment)."""
    v = _view(exp, corpus)
    m = read_meta(v.root, v.title)
    page, f = exp["page"], exp["fields"]
    yield Score("meta", page, "block_found", "right" if m.block_found == f["block_found"] else "wrong",
                f["block_found"], m.block_found)
    for key, want in f.get("fields", {}).items():
        yield _cmp("meta", page, key, want, m.value(key))
    if "body_doc_numbers" in f:
        yield _cmp("meta", page, "body_doc_numbers", f["body_doc_numbers"], m.body_doc_numbers)


SCORERS = {"list": score_list, "article": score_article, "guide": score_guide, "platform": score_platform,
           "report": score_report, "links": score_links,
           "meta": score_meta}


def run(corpus: Path = CORPUS) -> list[Score]:
    out: list[Score] = []
    for exp in expectations():
        out.extend(SCORERS[exp["type"]](exp, corpus))
    return out


def summary(scores: list[Score]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = {}
    for s in scores:
        table.setdefault(s.kind, Counter())[s.status] += 1
        table[s.kind]["false_present"] += s.false_present
    return {k: dict(v) for k, v in table.items()}


def main() -> int:
    if not CORPUS.is_dir():
        print(f"真实网页语料不存在（{CORPUS}），跳过准确率评测")
        return 0
    scores = run()
    print(f"{'页面类型':<10}{'正确':>6}{'错误':>6}{'缺失':>6}{'正确率':>9}{'误报存在':>8}")
    total = Counter()
    for kind, c in sorted(summary(scores).items()):
        n = c.get("right", 0) + c.get("wrong", 0) + c.get("missing", 0)
        total.update(c)
        print(f"{kind:<12}{c.get('right', 0):>8}{c.get('wrong', 0):>8}{c.get('missing', 0):>8}"
              f"{c.get('right', 0) / max(1, n):>10.1%}{c.get('false_present', 0):>10}")
    n = total["right"] + total["wrong"] + total["missing"]
    rate = total["right"] / max(1, n)
    print(f"{'合计':<10}{total['right']:>8}{total['wrong']:>8}{total['missing']:>8}{rate:>10.1%}{total['false_present']:>10}")
    for s in scores:
        if s.status != "right":
            print(f"  {s.status}: {s.kind} {s.page} {s.field}: 应为 {s.expected!r}，实得 {s.got!r}")
    ok = rate >= TARGET and total["false_present"] == 0
    print("达标" if ok else f"未达标（目标：正确率 ≥ {TARGET:.0%}，误报存在的指南要素为 0）")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
