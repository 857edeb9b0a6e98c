"""The demo's outputs: report pages, score sheet, and every planted problem shown with its evidence."""
from __future__ import annotations

import openpyxl

from tests.conftest import read_findings


def test_demo_writes_report_pages_and_score_sheet(demo_audit):
    report = (demo_audit / "report.html").read_text(encoding="utf-8")
    unit = (demo_audit / "units" / "qingshan.html").read_text(encoding="utf-8")
    assert "青山县人民政府" in report and "单位排名" in report and "各考核项得分" in report
    for f in read_findings(demo_audit):
        if f["outcome"] in ("fail", "needs_review"):
            assert f["fingerprint"] in unit and f["rule"] in unit
    wb = openpyxl.load_workbook(demo_audit / "scores.xlsx")
    assert wb.sheetnames[0] == "汇总" and "qingshan" in wb.sheetnames and "问题清单" in wb.sheetnames
    ws = wb["qingshan"]
    items = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1)]
    for manual in ("8.1.1", "8.3.2", "8.5.1", "8.7.1", "8.8", "8.9.1"):
        assert manual in items
    assert any(isinstance(c.value, str) and c.value.startswith("=IF(") for row in ws.iter_rows() for c in row)


def test_demo_score_sheet_recalculates_without_errors(demo_audit, tmp_path):
    from govaudit.reports.xlsx import TOTAL_LABELS
    from tests.test_scores import find_row, recalc

    wb = recalc(demo_audit / "scores.xlsx", tmp_path)
    errors = [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and (c.value.startswith("#") or c.value.startswith("Err:"))]
    assert errors == []
    ws = wb["qingshan"]
    assert ws.cell(find_row(ws, TOTAL_LABELS["grade"]), 10).value == "待人工评分"       # manual items still blank
    assert isinstance(ws.cell(find_row(ws, TOTAL_LABELS["provisional"]), 10).value, (int, float))
