"""report.* rules over a stored crawl (real SQLite store, real parsing), with look-alikes."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from govaudit.checks.registry import get_rule
from govaudit.checks.analyses.reports import ReportsFound
from govaudit.checks.run import run_rule
from govaudit.model import Unit
from tests import crawlkit as kit
from govaudit.extract.annual_report.render import sample_spec, to_docx, to_html_body, to_pdf

BASE = "http://www.qs.gov.cn"
NAME = "青山县人民政府"


class Crawl:
    """A stored crawl built page by page."""

    def __init__(self) -> None:
        self.pages: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.bodies: list[tuple[str, bytes]] = []
        self.add("/", "<html><head><title>青山县人民政府</title></head><body>首页</body></html>", purpose="home")

    def add(self, path: str, body: str | bytes, purpose: str = "page", ctype: str = "text/html; charset=utf-8",
            title: str | None = None) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        digest = hashlib.sha256(data).hexdigest()
        self.bodies.append((digest, data))
        url = BASE + path
        self.pages.append({"run_id": None, "unit_id": "qs", "url": url, "final_url": url, "status": 200,
                           "method": "GET", "purpose": purpose, "content_type": ctype, "size": len(data),
                           "sha256": digest, "title": title, "fetched_at": "2026-05-01T10:00:00+08:00", "depth": 1})
        return url

    def link(self, source: str, target: str, text: str) -> None:
        idx = next(i for i, p in enumerate(self.pages) if p["url"] == BASE + source)
        self.links.append({"page_ref": idx, "run_id": None, "unit_id": "qs", "source_url": BASE + source,
                           "target": BASE + target, "raw": target, "tag": "a", "attr": "href", "text": text,
                           "external": 0})

    def report_page(self, path: str, title: str, published: str | None, body: str = "",
                    meta_date: str | None = None) -> str:
        meta = f'<meta name="PubDate" content="{meta_date}">' if meta_date else ""
        info = f"<div class='info'>发布日期：{published}</div>" if published else ""
        html = (f"<html><head><meta charset='utf-8'>{meta}<title>{title}_{NAME}</title></head><body>"
                f"<h1>{title}</h1>{info}<div class='content'>{body}</div></body></html>")
        return self.add(path, html, title=f"{title}_{NAME}")

    def run(self, tmp: Path, today: dt.date, kind: str = "government", limits_hit: str | None = None,
            rules: tuple[str, ...] = ("report.missing", "report.late", "report.structure", "report.arithmetic")):
        unit = Unit(id="qs", name=NAME, url=BASE + "/", kind=kind)
        crawl = kit.Crawl(tmp / "s.sqlite", unit, today, mode="audit")
        if limits_hit:
            crawl.unit_fields(limits_hit=limits_hit)
        bodies = dict(self.bodies)
        for i, p in enumerate(self.pages):  # as stored by hand: no link extraction, the links given
            links = [{k: v for k, v in ln.items() if k not in ("page_ref", "run_id", "unit_id", "source_url")}
                     for ln in self.links if ln["page_ref"] == i]
            crawl.page(p["url"], bodies[p["sha256"]], purpose=p["purpose"], content_type=p["content_type"],
                       title=p["title"], depth=p["depth"], parse=False, links=links,
                       fetched_at=p["fetched_at"])
        ctx = crawl.ctx()
        out = {r: run_rule(get_rule(r), ctx) for r in rules}
        return out, ctx


def problems(findings):
    return [f for f in findings if f.outcome in ("fail", "needs_review")]


def title(year: int, unit: str = NAME) -> str:
    return f"{unit}{year}年政府信息公开工作年度报告"


def test_reports_in_three_formats_all_correct_give_no_problem(tmp_path):
    c = Crawl()
    s22 = sample_spec(NAME, 2022, seed=1)
    s23 = sample_spec(NAME, 2023, seed=3, carried_in=s22.table3["carried_out"][:6])
    s24 = sample_spec(NAME, 2024, seed=4, carried_in=s23.table3["carried_out"][:6])
    c.report_page("/nb/2025/a.html", title(2024), "2025-03-28", to_html_body(s24))
    c.report_page("/nb/2024/b.html", title(2023), "2024-01-20")
    c.add("/nb/2024/b.pdf", to_pdf(s23), purpose="attachment", ctype="application/pdf")
    c.link("/nb/2024/b.html", "/nb/2024/b.pdf", "附件：年度报告.pdf")
    c.report_page("/nb/2023/c.html", title(2022), "2023-02-01")
    c.add("/nb/2023/c.docx", to_docx(s22), purpose="attachment", ctype="application/octet-stream")
    c.link("/nb/2023/c.html", "/nb/2023/c.docx", title(2022) + ".docx")
    out, ctx = c.run(tmp_path, dt.date(2025, 11, 1))
    for rule, fs in out.items():
        assert problems(fs) == [], (rule, [f.message for f in problems(fs)])
    found = {r.year: r for r in ctx.get(ReportsFound).reports}
    assert found[2023].format == "pdf" and found[2023].doc_url.endswith("b.pdf")
    assert found[2022].format == "docx" and found[2024].format == "html"
    assert found[2024].published == dt.date(2025, 3, 28)


def test_late_by_unit_kind_and_date_from_the_page_not_the_url(tmp_path):
    c = Crawl()
    # URL says January, the page says it was published 2025-02-10
    c.report_page("/nb/202501/t20250115_1.html", title(2024), "2025-02-10", to_html_body(sample_spec(NAME, 2024)))
    gov, _ = c.run(tmp_path / "g", dt.date(2025, 6, 1), kind="government", rules=("report.late",))
    assert problems(gov["report.late"]) == []  # before 31 March: on time for a government
    dep, _ = c.run(tmp_path / "d", dt.date(2025, 6, 1), kind="department", rules=("report.late",))
    (f,) = problems(dep["report.late"])
    assert f.outcome == "fail" and f.data["deadline"] == "2025-01-31" and f.data["days_late"] == 10
    assert f.data["published"] == "2025-02-10" and "发布日期" in f.data["date_source"]


def test_late_uses_pubdate_meta_first_and_no_date_is_not_measured(tmp_path):
    c = Crawl()
    c.report_page("/a.html", title(2024), None, meta_date="2025-04-02 09:00")
    c.report_page("/b.html", title(2023), None)
    out, _ = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.late",))
    by = {f.key: f for f in out["report.late"]}
    assert by["2024"].outcome == "fail" and by["2024"].data["date_source"].startswith("meta:PubDate")
    assert by["2023"].outcome == "not_measured"


def test_missing_years_window_and_deadline(tmp_path):
    c = Crawl()
    c.report_page("/a.html", title(2023), "2024-03-01", to_html_body(sample_spec(NAME, 2023)))
    # 2025-03-15: the 2024 report is not due yet (31 March); due years are 2023, 2022, 2021
    out, _ = c.run(tmp_path / "1", dt.date(2025, 3, 15), rules=("report.missing",))
    assert sorted(f.key for f in problems(out["report.missing"])) == ["2021", "2022"]
    # 2025-04-01: 2024 is due and missing
    out, _ = c.run(tmp_path / "2", dt.date(2025, 4, 1), rules=("report.missing",))
    assert sorted(f.key for f in problems(out["report.missing"])) == ["2022", "2024"]
    # a department's deadline is 31 January
    out, _ = c.run(tmp_path / "3", dt.date(2025, 3, 15), kind="department", rules=("report.missing",))
    assert sorted(f.key for f in problems(out["report.missing"])) == ["2022", "2024"]


def test_missing_with_crawl_limits_is_needs_review(tmp_path):
    out, _ = Crawl().run(tmp_path, dt.date(2025, 6, 1), limits_hit="max_pages", rules=("report.missing",))
    assert {f.outcome for f in problems(out["report.missing"])} == {"needs_review"}


def test_reports_found_outside_the_column_by_link_text_and_other_issuers_not_counted(tmp_path):
    c = Crawl()
    # a news article with a generic title, found by the text of the link pointing to it
    c.add("/xw/1.html", "<html><head><title>新闻</title></head><body><p>发布日期：2025-03-01</p>"
          + to_html_body(sample_spec(NAME, 2024)) + "</body></html>", title="新闻")
    c.link("/", "/xw/1.html", "二〇二四年政府信息公开工作年度报告")
    # a department's report on the same portal does not stand for the government's own
    c.report_page("/bm/edu.html", title(2023, "青山县教育局"), "2024-01-10", to_html_body(sample_spec("青山县教育局", 2023)))
    out, ctx = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.missing",))
    assert sorted(f.key for f in problems(out["report.missing"])) == ["2022", "2023"]
    own = [r for r in ctx.get(ReportsFound).reports if r.own]
    assert [r.year for r in own] == [2024]


def test_structure_and_arithmetic_fire_on_planted_defects(tmp_path):
    c = Crawl()
    bad = sample_spec(NAME, 2024, seed=7)
    bad.omit_sections = {"other"}
    bad.table4[4] += 1  # 行政复议 总计 off by one: identity (d)
    c.report_page("/a.html", title(2024), "2025-03-01", to_html_body(bad))
    out, _ = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.structure", "report.arithmetic"))
    (s,) = problems(out["report.structure"])
    assert s.outcome == "fail" and s.data["missing_sections"] == ["六、其他需要报告的事项"]
    (a,) = problems(out["report.arithmetic"])
    assert a.outcome == "fail" and a.data["identity"] == "d"
    assert a.data["failures"][0]["scope"] == "行政复议" and "总计" in a.message
    assert any(c["cell"] == "表四 行政复议 × 总计" for c in a.data["failures"][0]["cells"])


def test_cross_year_identity_e(tmp_path):
    c = Crawl()
    s23 = sample_spec(NAME, 2023, seed=3)
    s24 = sample_spec(NAME, 2024, seed=4, carried_in=[9, 0, 0, 0, 0, 0])  # 2023's 结转下年度 differs
    c.report_page("/a.html", title(2024), "2025-03-01", to_html_body(s24))
    c.report_page("/b.html", title(2023), "2024-03-01", to_html_body(s23))
    out, _ = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.arithmetic",))
    (e,) = problems(out["report.arithmetic"])
    assert e.data["identity"] == "e" and e.data["year"] == 2024 and len(e.evidence) == 2


def test_unreadable_attachment_is_not_measured(tmp_path):
    c = Crawl()
    c.report_page("/a.html", title(2024), "2025-03-01", "<p>全文见附件。</p>")
    c.add("/a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, purpose="attachment", ctype="application/msword")
    c.link("/a.html", "/a.doc", "附件.doc")
    out, _ = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.structure", "report.arithmetic"))
    for rule in ("report.structure", "report.arithmetic"):
        (f,) = out[rule]
        assert f.outcome == "not_measured" and ".doc" in f.message and f.target.endswith("/a.doc")


def test_attachment_listed_without_landing_page_takes_the_list_date(tmp_path):
    c = Crawl()
    c.add("/nb/index.html", "<html><head><title>年报</title></head><body><ul class='list'>"
          "<li><a href='/nb/2024.pdf'>青山县人民政府2024年政府信息公开工作年度报告</a><span>2025-04-08</span></li>"
          "<li><a href='/nb/2023.pdf'>青山县人民政府2023年政府信息公开工作年度报告</a><span>2024-03-08</span></li>"
          "</ul></body></html>", title="年报")
    c.add("/nb/2024.pdf", to_pdf(sample_spec(NAME, 2024)), purpose="attachment", ctype="application/pdf")
    c.add("/nb/2023.pdf", to_pdf(sample_spec(NAME, 2023)), purpose="attachment", ctype="application/pdf")
    c.link("/nb/index.html", "/nb/2024.pdf", "青山县人民政府2024年政府信息公开工作年度报告")
    c.link("/nb/index.html", "/nb/2023.pdf", "青山县人民政府2023年政府信息公开工作年度报告")
    out, _ = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.late", "report.structure"))
    (late,) = problems(out["report.late"])
    assert late.key == "2024" and late.data["date_source"].startswith("list:") and late.data["days_late"] == 8
    assert problems(out["report.structure"]) == []


def test_blank_cells_need_review_and_text_cells_fail(tmp_path):
    c = Crawl()
    bad = sample_spec(NAME, 2023, seed=3)
    blank = sample_spec(NAME, 2024, seed=3, carried_in=bad.table3["carried_out"][:6])
    blank.blank_zeros = True
    c.report_page("/a.html", title(2024), "2025-03-01", to_html_body(blank))
    html = to_html_body(bad).replace(f"<td>{bad.table3['new'][6]}</td>", "<td>约40</td>", 1)
    c.report_page("/b.html", title(2023), "2024-03-01", html)
    out, _ = c.run(tmp_path, dt.date(2025, 6, 1), rules=("report.arithmetic",))
    by = {f.key: f for f in problems(out["report.arithmetic"])}
    assert by["2024:blank"].outcome == "needs_review" and by["2024:blank"].data["count"] > 10
    assert by["2023:cells"].outcome == "fail" and by["2023:cells"].data["cells"][0]["raw"] == "约40"
    assert "表三 一、本年新收政府信息公开申请数量 × 总计" in by["2023:cells"].message
    assert not any(k.startswith("2024:") and k != "2024:blank" for k in by)
