"""整改通知: the DOCX notice, the XLSX list and the broken links per source page (CSV and a sheet)."""
from __future__ import annotations

import csv

import openpyxl
from docx import Document

from govaudit.reports.fixlist import LINK_COLUMNS, PROBLEM_COLUMNS
from tests.conftest import read_findings


def test_notice_lists_every_problem_with_fix_deadline_and_reply_column(demo_audit):
    problems = [f for f in read_findings(demo_audit) if f["outcome"] in ("fail", "needs_review")]
    doc = Document(str(demo_audit / "fixlists" / "qingshan.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于青山县人民政府网站政务公开问题的整改通知" in text and "暂定总分" in text and "整改情况" in text
    table = doc.tables[0]
    head = [c.text for c in table.rows[0].cells]
    assert head == PROBLEM_COLUMNS
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(problems)
    col = {h: i for i, h in enumerate(head)}
    fingerprints = {f["fingerprint"] for f in problems}
    for r in rows:
        assert r[col["证据编号"]] in fingerprints
        assert r[col["整改建议"]] and "依据考核项" in r[col["整改建议"]]
        assert r[col["整改期限"]] and r[col["位置"]].startswith("http")
        assert r[col["整改情况（单位填写）"]] == ""
    assert doc.sections[0].page_width > doc.sections[0].page_height      # A4 landscape


def test_broken_links_per_source_page_as_csv_and_sheet(demo_audit):
    findings = [f for f in read_findings(demo_audit) if f["rule"] in ("link.broken", "link.soft-404")
                and f["outcome"] in ("fail", "needs_review")]
    expected = sum(len(f["data"].get("sources") or [1]) for f in findings)
    with (demo_audit / "fixlists" / "qingshan-links.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == LINK_COLUMNS and len(rows) == expected
    assert [r["来源页面"] for r in rows] == sorted(r["来源页面"] for r in rows)
    assert {r["失效链接"] for r in rows} == {f["target"] for f in findings}
    assert all(r["原因"] and r["结果"] in ("不合格", "待复核") for r in rows)
    wb = openpyxl.load_workbook(demo_audit / "fixlists" / "qingshan.xlsx")
    assert wb.sheetnames == ["整改清单", "失效链接"]
    assert wb["失效链接"].max_row - 1 == expected
    assert [c.value for c in wb["整改清单"][1]] == PROBLEM_COLUMNS
