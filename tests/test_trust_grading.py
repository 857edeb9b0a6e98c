"""Issue 17 point 5 — which verdict governs: config/grading.yaml names the grading profile (default
the appraisal standard's); the report shows its grade as *the* grade, the other profile as a labelled
secondary view that explains each veto it applies, and the sheet's veto cell equals the vetoes the
report applies to the grade."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from govaudit.config import ConfigError
from govaudit.reports import rubric as rubric_mod
from govaudit.reports.outputs import write_all
from govaudit.reports.xlsx import TOTAL_LABELS
from govaudit.store import Store


def render(demo_audit: Path, tmp_path: Path, grading: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    if grading is not None:
        conf = tmp_path / "grading.yaml"
        conf.write_text(f"profile: {grading}\n", encoding="utf-8")
        monkeypatch.setattr(rubric_mod, "GRADING_FILE", conf)
    store = Store(out / "govaudit.sqlite")
    try:
        write_all(store, store.run()["id"], out)
    finally:
        store.close()
    return out


def text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def sheet_veto(out: Path) -> int:
    ws = openpyxl.load_workbook(out / "scores.xlsx")["qingshan"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == TOTAL_LABELS["veto"])
    return ws.cell(row, 10).value


def test_default_is_the_standard_and_national_vetoes_are_a_secondary_view(demo_audit, tmp_path, monkeypatch):
    assert rubric_mod.governing_profile() == "standard"
    out = render(demo_audit, tmp_path, None, monkeypatch)
    page = text(out / "units" / "qingshan.html")
    assert re.search(r"暂定等级 合格 定级方案（以此为准）：政务公开绩效考核", page), page[:1500]
    assert "按定级方案，等级为" not in page                       # the standard has no veto items
    assert "参考口径：全国政府网站抽查" in page and "不作为定级依据" in page
    secondary = page[page.index("参考口径：全国政府网站抽查（"):]
    for veto in ("V4", "V7", "V8", "V9", "V10"):                        # each veto the national view applies, explained
        assert re.search(rf"该口径的否决项 {veto}：.+?问题 \d+ 个，达到该口径的否决条件（≥ \d+ 个）", secondary), veto
    assert sheet_veto(out) == 0                                   # = the vetoes the report applies to the grade
    ws = openpyxl.load_workbook(out / "scores.xlsx")["qingshan"]
    notes = [c.value for c in ws["B"] if isinstance(c.value, str) and c.value.startswith("参考口径")]
    assert notes and "全国政府网站抽查" in notes[0] and "不合格" in notes[0]


def test_national_governs_when_the_configuration_says_so(demo_audit, tmp_path, monkeypatch):
    out = render(demo_audit, tmp_path, "national", monkeypatch)
    page = text(out / "units" / "qingshan.html")
    assert re.search(r"等级 不合格 定级方案（以此为准）：全国政府网站抽查", page), page[:1500]
    banners = re.findall(r"否决项 V\d+：[^（]+（ ?\S+ × \d+ ?）——按定级方案，等级为不合格", page)
    assert len(banners) == 5, banners                 # V10: the demo's 县长信箱 letter unanswered for 130 days
    assert sheet_veto(out) == 5
    assert "参考口径：政务公开绩效考核" in page
    report = text(out / "report.html")
    assert "定级方案（等级以此为准）全国政府网站抽查" in report


def test_a_bad_grading_profile_names_the_file_and_key(tmp_path):
    conf = tmp_path / "grading.yaml"
    conf.write_text("profile: nationl\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        rubric_mod.governing_profile(conf)
    assert "grading.yaml" in str(e.value) and "profile" in str(e.value)
