"""Scoring: the rubric over findings (with verdicts), and the score sheet recalculated by LibreOffice."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from govaudit.model import Finding
from govaudit.reports.collect import collect
from govaudit.reports.reviews import Review
from govaudit.reports.rubric import load_rubric
from govaudit.reports.scoring import score_unit
from govaudit.reports.xlsx import TOTAL_LABELS, safe, write_scores_xlsx
from tests.test_report_kit import broken, make_store


def rows(findings: list[Finding]) -> list[dict]:
    return [{"rule": f.rule, "item": f.item, "outcome": f.outcome, "data": f.data, "fingerprint": f.fingerprint,
             "url": f.url, "target": f.target, "message": f.message, "evidence": []} for f in findings]


def item(score, item_id):
    return next(s for s in score.items if s.id == item_id)


def test_deductions_per_finding_with_caps_and_home_split():
    std = load_rubric("standard")
    fs = [broken("a", 1, True), broken("a", 2, True)] + [broken("a", 10 + i, False) for i in range(60)]
    s = score_unit(std, "a", rows(fs))
    i = item(s, "8.6.2")
    assert [round(ln.deducted, 2) for ln in i.lines] == [1.0, 5.0]       # 2 × 0.5 on home; 60 × 0.1 capped at 5
    assert i.proposed == 9.0 and i.problems == 62
    assert item(s, "8.2.6").proposed == 5                                   # no report.* findings: no deduction
    assert item(s, "8.1.1").proposed is None and item(s, "8.1.1").status == "人工评分"
    # every manual base item is open (counted from the rubric: items move to machine evidence over time)
    assert s.grade == "待人工评分" and s.manual_open == sum(1 for x in s.items if x.manual and x.kind == "base") >= 7
    nat = score_unit(load_rubric("national"), "a", rows(fs))
    assert item(nat, "N1").proposed == 28 and item(nat, "N2").proposed == 14
    assert nat.total == 100 - 2 - 6 and not nat.vetoed and nat.grade == "合格"


def test_needs_review_counts_only_when_the_line_says_so_and_verdicts_override():
    std = load_rubric("standard")
    nr = broken("a", 1, True, outcome="needs_review")
    assert item(score_unit(std, "a", rows([nr])), "8.6.2").proposed == 15
    confirmed = {nr.fingerprint: Review(nr.fingerprint, "confirmed", "张三", "2026-11-26T10:00:00+08:00")}
    assert item(score_unit(std, "a", rows([nr]), confirmed), "8.6.2").proposed == 14.5
    f = broken("a", 2, True)
    fp = {f.fingerprint: Review(f.fingerprint, "false-positive", "李四", "2026-11-26T10:00:00+08:00")}
    s = score_unit(std, "a", rows([f]), fp)
    assert item(s, "8.6.2").proposed == 15 and item(s, "8.6.2").reviewed == 1
    fixed = {f.fingerprint: Review(f.fingerprint, "fixed", "李四", "2026-11-26T10:00:00+08:00")}
    assert item(score_unit(std, "a", rows([f]), fixed), "8.6.2").proposed == 15


def test_per_count_and_ratio_read_the_finding_data(tmp_path):
    from govaudit.reports.rubric import load_rubric as load

    meta = Finding(rule="site.metadata", item="8.6.2", outcome="fail", unit="a", url="http://a/", message="m",
                   data={"pages_missing": 7, "page_type": "article"})
    assert item(score_unit(load("standard"), "a", rows([meta])), "8.6.2").proposed == 15 - 0.7
    text = """profile: r
version: "1"
total: 10
grades: [{name: 合格, min: 6}, {name: 不合格, min: 0}]
groups:
  - id: "8.4"
    title: 解读
    items:
      - id: "8.4.4"
        title: 多样化
        max: 10
        deduct:
          - {rule: interp.form-diversity, per: ratio, field: text_share, points: 10}
"""
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    share = Finding(rule="interp.form-diversity", item="8.4.4", outcome="fail", unit="a", url="http://a/",
                    message="m", data={"text_share": 0.25})
    s = score_unit(load(tmp_path / "r.yaml"), "a", rows([share]))
    assert item(s, "8.4.4").proposed == 7.5 and s.total == 7.5 and s.grade == "合格"


def test_not_measured_is_never_full_marks_and_vetoes_fail_the_site():
    std = load_rubric("standard")
    nm = Finding(rule="guide.incomplete", item="8.2.7", outcome="not_measured", unit="a", url=None, message="x")
    s = score_unit(std, "a", rows([nm]))
    assert item(s, "8.2.7").proposed is None and item(s, "8.2.7").status == "未能检测"
    assert s.unmeasured == 1 and s.unmeasured_points == 4 and s.provisional == 96   # not full marks
    assert s.grade == "待人工评分"
    illegal = Finding(rule="link.illegal", item="8.9.2", outcome="fail", unit="a", url="http://a/", message="博彩")
    nat = score_unit(load_rubric("national"), "a", rows([illegal]))
    assert nat.vetoed and nat.grade == "不合格" and nat.vetoes[0]["rule"] == "link.illegal"
    s = score_unit(std, "a", rows([illegal]))
    assert s.penalty == 2 and item(s, "8.9.2").proposed == 2


def test_excel_cells_from_crawled_text_are_neutralised():
    assert safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [safe(v) for v in ("+1", "-2+3", "@SUM(A1)", "\tx", "正常")] == ["'+1", "'-2+3", "'@SUM(A1)", "'\tx", "正常"]
    assert safe(5) == 5


# -- LibreOffice recalculation -------------------------------------------------------------------
def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.skip("LibreOffice not installed (scripts/setup-system.sh installs libreoffice-calc-nogui)")
    return exe


def recalc(path: Path, tmp: Path) -> openpyxl.Workbook:
    """Open the workbook in headless LibreOffice, recalculate, save, and read the computed values."""
    outdir = tmp / "lo-out"
    proc = subprocess.run([soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/lo-profile",
                           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(path)],
                          capture_output=True, text=True, timeout=180)
    assert (outdir / path.name).exists(), proc.stderr
    return openpyxl.load_workbook(outdir / path.name, data_only=True)


def find_row(ws, label: str, col: int = 2) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col).value == label:
            return r
    raise KeyError(label)


def test_score_sheet_formulas_recalculate_in_libreoffice(tmp_path):
    evil = Finding(rule="link.broken", item="8.6.2", outcome="fail", unit="b", url="http://b.example.gov.cn/",
                   message='=HYPERLINK("http://evil.example/","点我")', target="http://b.example.gov.cn/x",
                   data={"on_home": True})
    store, rid = make_store(tmp_path, {"a": [broken("a", i, i == 0) for i in range(6)], "b": [evil]})
    p = collect(store, rid)
    path = write_scores_xlsx(p, tmp_path / "scores.xlsx")
    store.close()
    # A reviewer fills every manual item of unit a, overrides one machine score and the veto cell of b.
    wb = openpyxl.load_workbook(path)
    ws = wb["a"]
    std = load_rubric("standard")
    expected_base = 0.0
    machine = {s.id: s.proposed for s in p.units[0].scores["standard"].items}
    for r in range(7, ws.max_row + 1):
        item_id, kind = ws.cell(r, 1).value, ws.cell(r, 13).value
        if kind != "base":
            continue
        mx = ws.cell(r, 3).value
        if ws.cell(r, 4).value is None:          # manual: the reviewer gives max − 1
            ws.cell(r, 8, mx - 1)
            expected_base += mx - 1
        elif item_id == "8.2.6":                  # the reviewer overrides the machine
            ws.cell(r, 8, 2)
            expected_base += 2
        else:
            expected_base += machine[item_id]
    bonus_row = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "8.9.1")
    ws.cell(bonus_row, 8, 3)
    wb["b"].cell(find_row(wb["b"], TOTAL_LABELS["veto"]), 10, 1)
    wb.save(path)
    n_manual = sum(1 for i in std.items if i.manual and i.kind == "base")   # 13 before issue 20 prefilled items
    assert round(expected_base, 2) == round(100 - n_manual - 3 - 0.5 - 0.5, 2)   # manual −1 each, 8.2.6 −3, links −1
    vals = recalc(path, tmp_path)
    a = vals["a"]
    total = a.cell(find_row(a, TOTAL_LABELS["total"]), 10).value
    assert total == pytest.approx(expected_base + 3)
    assert a.cell(find_row(a, TOTAL_LABELS["pending"]), 10).value == 0
    assert a.cell(find_row(a, TOTAL_LABELS["grade"]), 10).value == std.grade(expected_base + 3)
    b = vals["b"]
    assert b.cell(find_row(b, TOTAL_LABELS["grade"]), 10).value == "不合格"           # the veto cell rules
    assert b.cell(find_row(b, TOTAL_LABELS["provisional"]), 10).value == pytest.approx(99.5)
    summary = vals["汇总"]
    by_name = {summary.cell(r, 1).value: r for r in range(5, summary.max_row + 1)}
    assert summary.cell(by_name["测试单位a"], 3).value == pytest.approx(expected_base + 3)
    assert summary.cell(by_name["测试单位b"], 4).value == "不合格"
    # the crawled text stayed text: no formula, no hyperlink to evil.example
    probs = vals["问题清单"]
    msgs = [probs.cell(r, 6).value for r in range(2, probs.max_row + 1)]
    assert "'=HYPERLINK(\"http://evil.example/\",\"点我\")" in msgs
    raw = openpyxl.load_workbook(path)["问题清单"]
    assert all(not (isinstance(c.value, str) and c.value.startswith("=")) for row in raw.iter_rows() for c in row)


def test_item_8_2_2_is_prefilled_from_doc_metadata_and_a_verdict_overrides_it():
    std = load_rubric("standard")
    assert item(score_unit(std, "a", rows([])), "8.2.2").proposed == 3 and not item(score_unit(std, "a", rows([])), "8.2.2").manual
    meta = Finding(rule="doc.metadata", item="8.2.2", outcome="fail", unit="a", url="http://a/", message="m", key="metadata",
                   data={"documents": 12, "documents_with_defects": 3, "defects": {"missing_subject": 2, "index_duplicate": 2}})
    s = score_unit(std, "a", rows([meta]))
    assert item(s, "8.2.2").proposed == 1.5 and item(s, "8.2.2").problems == 1        # 3 documents × 0.5
    many = Finding(rule="doc.metadata", item="8.2.2", outcome="fail", unit="a", url="http://a/", message="m",
                   key="metadata", data={"documents_with_defects": 40})
    assert item(score_unit(std, "a", rows([many])), "8.2.2").proposed == 0            # capped at the item's 3 points
    review = Finding(rule="doc.metadata", item="8.2.2", outcome="needs_review", unit="a", url="http://a/", message="m",
                     key="metadata", data={"documents_with_defects": 2, "defects": {"values_empty": 2}})
    assert item(score_unit(std, "a", rows([review])), "8.2.2").proposed == 3          # script-filled blocks: review first
    fp = {meta.fingerprint: Review(meta.fingerprint, "false-positive", "王五", "2026-12-07T10:00:00+08:00")}
    assert item(score_unit(std, "a", rows([meta]), fp), "8.2.2").proposed == 3
    ok = {review.fingerprint: Review(review.fingerprint, "confirmed", "王五", "2026-12-07T10:00:00+08:00")}
    assert item(score_unit(std, "a", rows([review]), ok), "8.2.2").proposed == 2
