"""Golden tests for the interp.* rules over a real SQLite store of parsed pages (no crawl)."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import get_rule
from govaudit.checks.run import run_rule
from govaudit.config import load_rules_config
from govaudit.extract.page import view_page
from govaudit.model import Unit
from govaudit.store import Store
from govaudit.urls import host_of

SITE = "http://www.qs.gov.cn"
NAV = ('<div class="nav"><a href="/">首页</a><a href="/zcwj/index.html">政策文件</a>'
       '<a href="/zcjd/index.html">政策解读</a></div>')


def art(title: str, date: str, body: str, nav: str = NAV) -> str:
    return (f'<html><head><meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 09:00">'
            f"<title>{title}_青山县人民政府</title></head><body>{nav}<div class='article'><h1>{title}</h1>"
            f"<div class='info'>发布日期：{date}</div><div class='content'>{body}</div></div></body></html>")


def listing(title: str, items: list[tuple[str, str]], nav: str = NAV) -> str:
    lis = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in items)
    return f"<html><head><title>{title}</title></head><body>{nav}<h2>{title}</h2><ul>{lis}</ul></body></html>"


def build(tmp_path: Path, pages: dict[str, str], status: dict[str, int] | None = None,
          columns: dict[str, str] | None = None) -> CheckContext:
    """Store every page as the crawler would (body, parsed links), then a context for the rules."""
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("test", {}, today="2026-11-26")
    unit = Unit(id="qs", name="青山县人民政府", url=SITE + "/", columns=columns or {})
    store.add_unit(run, unit)
    rows, links, bodies = [], [], []
    for path, html in {**pages}.items():
        url = SITE + path
        body = html.encode("utf-8")
        digest = hashlib.sha256(body).hexdigest()
        v = view_page(body, url, "text/html; charset=utf-8")
        rows.append({"run_id": run, "unit_id": "qs", "url": url, "final_url": url, "status": 200,
                     "method": "GET", "purpose": "home" if path == "/" else "page",
                     "content_type": "text/html; charset=utf-8", "size": len(body), "sha256": digest,
                     "encoding": "utf-8", "title": v.title, "fetched_at": "2026-11-26T10:00:00+08:00", "depth": 1})
        bodies.append((digest, body))
        for ln in v.links:
            links.append({"page_ref": len(rows) - 1, "run_id": run, "unit_id": "qs", "source_url": url,
                          "target": ln.url.split("#")[0], "raw": ln.raw, "tag": ln.tag, "attr": ln.attr,
                          "text": ln.text, "hints": ln.hints, "external": host_of(ln.url) != "www.qs.gov.cn"})
    for path, code in (status or {}).items():
        rows.append({"run_id": run, "unit_id": "qs", "url": SITE + path, "final_url": SITE + path, "status": code,
                     "method": "GET", "purpose": "page", "fetched_at": "2026-11-26T10:00:00+08:00"})
    store.write_batch(rows, links, bodies)
    return CheckContext(store=store, run_id=run, unit=unit, config=load_rules_config(), today=dt.date(2026, 11, 26))


def run(ctx: CheckContext, rule: str) -> list[dict[str, Any]]:
    return [f.to_dict() for f in run_rule(get_rule(rule), ctx)]


def problems(ctx: CheckContext, rule: str) -> list[dict[str, Any]]:
    return [f for f in run(ctx, rule) if f["outcome"] in ("fail", "needs_review")]


T = "青山县优化营商环境若干措施"


def site(doc_extra: str = "", interp_extra: str = "", *, doc_date: str = "2024-05-08", interp_date: str = "2024-05-09",
         interp_title: str = f"《{T}》政策解读", doc_title: str = T, number: str = "青政规〔2024〕1号",
         doc_body: str = "<p>各乡镇人民政府：现印发给你们。</p>", interp_body: str = "<p>一、背景</p><p>为优化营商环境……</p>") -> dict[str, str]:
    return {
        "/": listing("首页", []),
        "/zcwj/index.html": listing("政策文件", [(doc_title, "/zcwj/d1.html")]),
        "/zcjd/index.html": listing("政策解读", [(interp_title, "/zcjd/i1.html")]),
        "/zcwj/d1.html": art(doc_title, doc_date, f"<p>{number}</p>{doc_body}{doc_extra}"),
        "/zcjd/i1.html": art(interp_title, interp_date, interp_body + interp_extra),
    }


TO_DOC = f'<p>相关文件：<a href="/zcwj/d1.html">{T}</a></p>'
TO_INTERP = f'<div class="xgjd"><h4>相关解读</h4><ul><li><a href="/zcjd/i1.html">《{T}》政策解读</a></li></ul></div>'


# -- interp.unlinked ----------------------------------------------------------------------------
def test_linked_both_ways_passes_and_records_the_pair(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC))
    assert problems(ctx, "interp.unlinked") == []
    [fd] = run(ctx, "interp.form-diversity")
    [p] = fd["data"]["interpretations"]
    assert p["method"] == "link-both" and p["interp_to_doc"] and p["doc_to_interp"]
    assert p["doc"]["url"] == SITE + "/zcwj/d1.html" and p["gap_workdays"] == 1 and p["form"] == "text"


def test_linked_only_from_the_interpretation_fails_on_the_document_side(tmp_path):
    ctx = build(tmp_path, site("", TO_DOC))
    [f] = problems(ctx, "interp.unlinked")
    assert f["outcome"] == "fail" and f["url"] == SITE + "/zcjd/i1.html" and f["target"] == SITE + "/zcwj/d1.html"
    assert f["data"]["missing"] == ["doc-to-interp"] and f["data"]["method"] == "link-interp-to-doc"
    assert f["evidence"][0]["url"] == SITE + "/zcwj/d1.html" and f["evidence"][0]["sha256"]


def test_linked_only_from_the_document_fails_on_the_interpretation_side(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, ""))
    [f] = problems(ctx, "interp.unlinked")
    assert f["data"]["missing"] == ["interp-to-doc"] and f["data"]["method"] == "link-doc-to-interp"


def test_title_match_across_quote_styles_without_links(tmp_path):
    t = "青山县“十四五”数字政府建设规划"
    pages = site(doc_title=f"青山县人民政府关于印发《{t}》的通知", interp_title='《青山县"十四五"数字政府建设规划》解读')
    ctx = build(tmp_path, pages)
    [f] = problems(ctx, "interp.unlinked")
    assert f["outcome"] == "fail" and f["data"]["method"] == "title"
    assert f["data"]["missing"] == ["interp-to-doc", "doc-to-interp"]


def test_pair_by_doc_number_when_titles_differ(tmp_path):
    pages = site(interp_title="城市营商环境新政问答", interp_body="<p>问：依据哪个文件？</p><p>答：青政规〔2024〕1号。</p>"
                                                          "<p>问：何时施行？</p><p>答：即日起。</p>")
    ctx = build(tmp_path, pages)
    [f] = problems(ctx, "interp.unlinked")
    assert f["data"]["method"] == "docno" and f["data"]["form"] == "qa"
    assert problems(ctx, "interp.missing") == []


def test_link_rendered_by_script_needs_review(tmp_path):
    js = '<p>相关文件：<span id="x"></span></p><script>x.innerHTML="<a href=/zcwj/d1.html>原文</a>"</script>'
    ctx = build(tmp_path, site(TO_INTERP, js))
    [f] = problems(ctx, "interp.unlinked")
    assert f["outcome"] == "needs_review" and "脚本" in f["message"]


def test_broken_related_link_counts_as_missing(tmp_path):
    broken = f'<p>相关文件：<a href="/zcwj/old-d1.html">{T}</a></p>'
    ctx = build(tmp_path, site(TO_INTERP, broken), status={"/zcwj/old-d1.html": 404})
    [f] = problems(ctx, "interp.unlinked")
    assert f["outcome"] == "fail" and f["data"]["missing"] == ["interp-to-doc"]
    assert f["data"]["broken_links"][0]["status"] == 404


def test_interpretation_of_a_document_on_another_site_is_accepted(tmp_path):
    ext = '<p>政策原文：<a href="http://www.nmg.gov.cn/zwgk/zfxxgk/202405/t1.html">自治区若干措施</a></p>'
    pages = site(interp_title="《自治区优化营商环境若干措施》解读", interp_extra=ext)
    ctx = build(tmp_path, pages)
    assert [f for f in problems(ctx, "interp.unlinked") if f["url"].endswith("/zcjd/i1.html")] == []
    [fd] = run(ctx, "interp.form-diversity")
    assert fd["data"]["interpretations"][0]["method"] == "link-external"


# -- interp.missing -----------------------------------------------------------------------------
def test_normative_document_without_interpretation_needs_review(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    pages["/zcwj/index.html"] = listing("政策文件", [(T, "/zcwj/d1.html"), ("青山县城市管理综合执法办法", "/zcwj/d2.html")])
    pages["/zcwj/d2.html"] = art("青山县城市管理综合执法办法", "2024-06-01", "<p>青政规〔2024〕2号</p><p>第一条……</p>")
    ctx = build(tmp_path, pages)
    [f] = problems(ctx, "interp.missing")
    assert f["outcome"] == "needs_review" and f["url"] == SITE + "/zcwj/d2.html"


def test_stated_reason_and_non_normative_documents_are_not_reported(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    pages["/zcwj/index.html"] = listing("政策文件", [(T, "/zcwj/d1.html"), ("领导分工的通知", "/zcwj/d2.html")])
    pages["/zcwj/d2.html"] = art("青山县人民政府关于调整领导分工的通知", "2024-06-01",
                                 "<p>青政发〔2024〕9号</p><p>本通知不予解读。</p>")
    # a 规 document outside any column, interpreted: fine; a notice without 文号: not a document
    pages["/tzgg/n1.html"] = art("关于做好防汛工作的通知", "2024-06-02", "<p>各单位：</p>")
    ctx = build(tmp_path, pages)
    assert problems(ctx, "interp.missing") == []


def test_no_documents_is_not_applicable(tmp_path):
    ctx = build(tmp_path, {"/": listing("首页", [])})
    assert [f["outcome"] for f in run(ctx, "interp.missing")] == ["not_applicable"]


# -- interp.late --------------------------------------------------------------------------------
def test_late_by_working_days(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC, doc_date="2024-05-20", interp_date="2024-05-27"))
    [f] = problems(ctx, "interp.late")
    assert f["outcome"] == "fail" and f["data"]["gap_workdays"] == 5 and f["data"]["gap_days"] == 7
    assert f["target"] == SITE + "/zcwj/d1.html" and len(f["evidence"]) == 2


def test_late_looking_pair_across_a_holiday_is_on_time(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC, doc_date="2026-09-30", interp_date="2026-10-09"))
    assert problems(ctx, "interp.late") == []
    [fd] = run(ctx, "interp.form-diversity")
    p = fd["data"]["interpretations"][0]
    assert p["gap_days"] == 9 and p["gap_workdays"] == 2


def test_adjusted_working_day_counts(tmp_path):
    # Friday 9 Oct 2026 -> Wednesday 14 Oct: Mon-Wed is 3, but Saturday 10 Oct is an adjusted working day
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC, doc_date="2026-10-09", interp_date="2026-10-14"))
    [f] = problems(ctx, "interp.late")
    assert f["data"]["gap_workdays"] == 4
    # published on that adjusted Saturday: 4 calendar days, 3 working days — on time
    ctx2 = build(tmp_path / "b", site(TO_INTERP, TO_DOC, doc_date="2026-10-10", interp_date="2026-10-14"))
    assert problems(ctx2, "interp.late") == []


def test_dates_outside_the_calendar_are_not_measured(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC, doc_date="2031-03-03", interp_date="2031-03-20"))
    outs = run(ctx, "interp.late")
    assert [f["outcome"] for f in outs] == ["not_measured"] and "2031" in outs[0]["message"]


def test_threshold_is_configurable(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC, doc_date="2024-05-20", interp_date="2024-05-27"))
    ctx.config["interp.late"] = {"max_workdays": 5}
    assert problems(ctx, "interp.late") == []


# -- interp.column-missing ----------------------------------------------------------------------
def test_column_missing_and_present(tmp_path):
    nav = '<div class="nav"><a href="/">首页</a><a href="/zwdt/index.html">政务动态</a></div>'
    pages = {"/": listing("首页", [("《若干措施》解读", "/zwdt/i1.html")], nav),
             "/zwdt/index.html": listing("政务动态", [], nav),
             "/zwdt/i1.html": art(f"《{T}》解读", "2024-05-09", "<p>正文</p>", nav)}
    ctx = build(tmp_path, pages)
    [f] = run(ctx, "interp.column-missing")
    assert f["outcome"] == "fail" and f["data"]["interpretations_elsewhere"] == 1
    ctx2 = build(tmp_path / "b", site(TO_INTERP, TO_DOC))
    assert [f["outcome"] for f in run(ctx2, "interp.column-missing")] == ["pass"]


def test_pinned_column(tmp_path):
    nav = '<div class="nav"><a href="/">首页</a><a href="/jd/index.html">解读专区</a></div>'
    pages = {"/": listing("首页", [], nav), "/jd/index.html": listing("解读专区", [(f"《{T}》解读", "/jd/i1.html")], nav),
             "/jd/i1.html": art(f"《{T}》解读", "2024-05-09", "<p>正文</p>", nav)}
    assert run(build(tmp_path, pages), "interp.column-missing")[0]["outcome"] == "fail"
    ctx = build(tmp_path / "b", pages, columns={"政策解读": SITE + "/jd/index.html"})
    assert run(ctx, "interp.column-missing")[0]["outcome"] == "pass"


# -- interp.form-diversity ----------------------------------------------------------------------
def test_form_diversity_counts_and_threshold(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    ctx = build(tmp_path, pages)
    [f] = run(ctx, "interp.form-diversity")
    assert f["outcome"] == "fail" and f["data"]["counts"]["text"] == 1 and f["data"]["non_text_share"] == 0
    pages["/zcjd/index.html"] = listing("政策解读", [(f"《{T}》政策解读", "/zcjd/i1.html"), ("一图读懂", "/zcjd/i2.html")])
    pages["/zcjd/i2.html"] = art(f"一图读懂《{T}》", "2024-05-09", '<img src="/img/yt.jpg" width="900">' + TO_DOC)
    ctx2 = build(tmp_path / "b", pages)
    [f2] = run(ctx2, "interp.form-diversity")
    assert f2["outcome"] == "pass" and f2["data"]["counts"]["graphic"] == 1 and f2["data"]["non_text_share"] == 0.5
    assert {p["interp"]["url"] for p in f2["data"]["interpretations"]} == {SITE + "/zcjd/i1.html", SITE + "/zcjd/i2.html"}


def test_no_interpretations_is_not_applicable(tmp_path):
    ctx = build(tmp_path, {"/": listing("首页", [])})
    assert [f["outcome"] for f in run(ctx, "interp.form-diversity")] == ["not_applicable"]
    assert [f["outcome"] for f in run(ctx, "interp.unlinked")] == ["not_applicable"]


def test_column_on_another_host_counts_as_present(tmp_path):
    nav = '<div class="nav"><a href="/">首页</a><a href="http://zwgk.qs.gov.cn/zcjd/">政策 解读</a></div>'
    ctx = build(tmp_path, {"/": listing("首页", [], nav)})
    [f] = run(ctx, "interp.column-missing")
    assert f["outcome"] == "pass" and f["target"] == "http://zwgk.qs.gov.cn/zcjd/"


def test_column_items_over_pagination(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    dated = ('<html><body>' + NAV + '<ul class="list"><li><a href="/zcjd/i1.html">《{t}》政策解读</a><span>2024-05-09</span></li>'
             '</ul><div class="page"><a href="/zcjd/index_1.html">下一页</a></div></body></html>').format(t=T)
    pages["/zcjd/index.html"] = dated
    # the second page lists an interpretation whose title says nothing about interpretation
    pages["/zcjd/index_1.html"] = ('<html><body>' + NAV + '<ul class="list"><li><a href="/zcjd/i2.html">'
                                   '县长谈营商环境若干措施</a><span>2024-05-10</span></li></ul></body></html>')
    pages["/zcjd/i2.html"] = art("县长谈营商环境若干措施", "2024-05-10", f"<p>正文。</p>{TO_DOC}")
    ctx = build(tmp_path, pages)
    [fd] = run(ctx, "interp.form-diversity")
    got = {p["interp"]["url"]: p for p in fd["data"]["interpretations"]}
    assert set(got) == {SITE + "/zcjd/i1.html", SITE + "/zcjd/i2.html"}
    assert got[SITE + "/zcjd/i2.html"]["interp"]["via"] == "column"
    assert got[SITE + "/zcjd/i2.html"]["method"] == "link-interp-to-doc"


def test_a_sidebar_of_recent_interpretations_does_not_make_pairs(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    other = "青山县城市管理综合执法办法"
    # another document whose right column lists the latest interpretations (ours among them)
    side = f'<div class="rightbox"><h3>政策解读</h3><ul><li><a href="/zcjd/i1.html">《{T}》政策解读</a></li></ul></div>'
    pages["/zcwj/index.html"] = listing("政策文件", [(T, "/zcwj/d1.html"), (other, "/zcwj/d2.html")])
    pages["/zcwj/d2.html"] = art(other, "2024-06-01", f"<p>青政规〔2024〕2号</p><p>第一条……</p>{side}")
    ctx = build(tmp_path, pages)
    [fd] = run(ctx, "interp.form-diversity")
    [p] = fd["data"]["interpretations"]
    assert p["doc"]["url"] == SITE + "/zcwj/d1.html" and p["method"] == "link-both"
    assert problems(ctx, "interp.unlinked") == []
    # the other document is not interpreted: it needs review, the sidebar link does not count
    [m] = problems(ctx, "interp.missing")
    assert m["url"] == SITE + "/zcwj/d2.html"


def test_list_date_stands_in_for_a_page_without_date(tmp_path):
    pages = site(TO_INTERP, TO_DOC, doc_date="2024-05-20")
    pages["/zcjd/index.html"] = ('<html><body>' + NAV + f'<ul class="list"><li><a href="/zcjd/i1.html">《{T}》政策解读</a>'
                                 '<span>2024-05-29</span></li></ul></body></html>')
    pages["/zcjd/i1.html"] = (f"<html><head><title>《{T}》政策解读</title></head><body>{NAV}<h1>《{T}》政策解读</h1>"
                              f"<div class='content'><p>正文。</p>{TO_DOC}</div></body></html>")
    ctx = build(tmp_path, pages)
    [f] = problems(ctx, "interp.late")
    assert f["data"]["interp"]["date_source"] == "list:政策解读" and f["data"]["gap_workdays"] == 7


def test_page_without_any_date_is_not_measured(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    pages["/zcjd/i1.html"] = (f"<html><head><title>《{T}》政策解读</title></head><body>{NAV}<h1>《{T}》政策解读</h1>"
                              f"<div class='content'><p>正文。</p>{TO_DOC}</div></body></html>")
    ctx = build(tmp_path, pages)
    [f] = run(ctx, "interp.late")
    assert f["outcome"] == "not_measured" and "interpretation" in f["data"]["gap_note"]


def test_data_interpretations_and_quizzes_are_not_policy_interpretations(tmp_path):
    nav = NAV.replace("政策解读", "政策解读")
    pages = site(TO_INTERP, TO_DOC)
    pages["/tjxx/s1.html"] = art("2024年一季度全县经济运行数据解读", "2024-05-09", "<p>一季度全县生产总值……</p>", nav)
    pages["/zwdt/q1.html"] = art("政务公开知识问答", "2024-05-09", "<p>问：什么是政务公开？</p><p>答：……</p>", nav)
    pages["/zwdt/q2.html"] = art(f"县发改委就《{T}》答记者问", "2024-05-10", "<p>记者：背景？</p><p>答：……</p>", nav)
    ctx = build(tmp_path, pages)
    [fd] = run(ctx, "interp.form-diversity")
    urls = {p["interp"]["url"] for p in fd["data"]["interpretations"]}
    assert urls == {SITE + "/zcjd/i1.html", SITE + "/zwdt/q2.html"}


def test_document_named_in_plain_text_without_link_fails(tmp_path):
    ctx = build(tmp_path, site(TO_INTERP, f"<p>相关文件：《{T}》</p>"))
    [f] = problems(ctx, "interp.unlinked")
    assert f["outcome"] == "fail" and f["data"]["missing"] == ["interp-to-doc"]


def test_late_looking_pair_on_time_because_of_the_tiaoxiu_swap(tmp_path):
    # Friday 13 Sept 2024 -> Thursday 19 Sept: 6 calendar days, 4 weekdays, but 3 working days
    # (Saturday 14 was an adjusted working day, Monday 16 the rest day in lieu, Tuesday 17 中秋节)
    ctx = build(tmp_path, site(TO_INTERP, TO_DOC, doc_date="2024-09-13", interp_date="2024-09-19"))
    assert problems(ctx, "interp.late") == []
    [fd] = run(ctx, "interp.form-diversity")
    p = fd["data"]["interpretations"][0]
    assert (p["gap_days"], p["gap_workdays"]) == (6, 3)


def test_interpretations_listed_as_files(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    pages["/zcjd/index.html"] = ('<html><body>' + NAV + '<ul class="list">'
                                 f'<li><a href="/zcjd/i1.html">《{T}》政策解读</a><span>2024-05-09</span></li>'
                                 f'<li><a href="/zcjd/yt.jpg">一图读懂《{T}》</a><span>2024-05-10</span></li>'
                                 f'<li><a href="/zcjd/old.pdf">《{T}》问答（已删除）</a><span>2024-05-10</span></li>'
                                 '</ul></body></html>')
    # the document links the image (crawled as a non-HTML 'page'); the PDF is gone
    pages["/zcwj/d1.html"] = pages["/zcwj/d1.html"].replace(
        "</ul></div>", f'<li><a href="/zcjd/yt.jpg">一图读懂《{T}》</a></li></ul></div>')
    ctx = build(tmp_path, pages)
    store = ctx.store
    store.write_batch([{"run_id": ctx.run_id, "unit_id": "qs", "url": SITE + "/zcjd/yt.jpg", "status": 200,
                        "purpose": "page", "method": "GET", "content_type": "image/jpeg"},
                       {"run_id": ctx.run_id, "unit_id": "qs", "url": SITE + "/zcjd/old.pdf", "status": 404,
                        "purpose": "attachment", "method": "GET"}], [], [])
    [fd] = run(ctx, "interp.form-diversity")
    got = {p["interp"]["url"].rsplit("/", 1)[-1]: p for p in fd["data"]["interpretations"]}
    assert set(got) == {"i1.html", "yt.jpg"}
    assert got["yt.jpg"]["form"] == "graphic" and got["yt.jpg"]["interp"]["via"] == "column-file"
    assert got["yt.jpg"]["doc"]["url"] == SITE + "/zcwj/d1.html" and got["yt.jpg"]["interp"]["date"] == "2024-05-10"
    assert fd["data"]["counts"] == {"graphic": 1, "video": 0, "qa": 0, "h5": 0, "text": 1}
    # an image cannot link its document: linked from the document is enough
    assert problems(ctx, "interp.unlinked") == []


def test_appointments_and_replies_are_not_normative(tmp_path):
    pages = site(TO_INTERP, TO_DOC)
    pages["/zcwj/index.html"] = listing("政策文件", [(T, "/zcwj/d1.html"), ("任免通知", "/zcwj/d2.html"),
                                                    ("批复", "/zcwj/d3.html")])
    pages["/zcwj/d2.html"] = art("青山县人民政府关于张三等同志任免职务的通知", "2024-06-01", "<p>青政任〔2024〕3号</p><p>……</p>")
    pages["/zcwj/d3.html"] = art("青山县人民政府关于同意设立某某镇卫生院的批复", "2024-06-02", "<p>青政复〔2024〕8号</p><p>……</p>")
    ctx = build(tmp_path, pages)
    assert problems(ctx, "interp.missing") == []
