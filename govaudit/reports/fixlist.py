"""整改通知: per unit, the document an appraisal office sends (DOCX), the same list as a sheet (XLSX)
and the broken links per source page (CSV, and a sheet), the way LinkChecker or lychee list them.

Each problem carries where it is, the evidence reference (its fingerprint, the key of the evidence
bundle and of reviews), the 整改建议, a deadline and an empty column for the unit's reply.
"""
from __future__ import annotations

import csv
from copy import deepcopy
import datetime as dt
import logging
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties

from govaudit.reports.fixes import fix_text
from govaudit.reports.html import item_of
from govaudit.text import OUTCOME_LABELS, local_time, zh

log = logging.getLogger("govaudit.reports")

FIX_DAYS = 15          # calendar days the notice gives for a confirmed problem (一般整改期限)
LINK_RULES = ("link.broken", "link.soft-404")
FONT = "宋体"
PROBLEM_COLUMNS = ["序号", "考核项", "结果", "问题", "位置", "证据编号", "整改建议", "整改期限", "整改情况（单位填写）"]
LINK_COLUMNS = ["来源页面", "链接文字", "失效链接", "原因", "结果", "证据编号"]


def deadline_of(f: dict[str, Any], today: dt.date, days: int = FIX_DAYS) -> str:
    """A fail is due in `days`; a needs_review is confirmed first, then due."""
    if f["effective"] == "fail":
        return (today + dt.timedelta(days=days)).isoformat()
    return "复核确认后 " + str(days) + " 日内"


def problem_rows(u: Any, portfolio: Any, today: dt.date, days: int = FIX_DAYS) -> list[dict[str, Any]]:
    rubric = portfolio.primary
    ids = {i.id for i in rubric.items}
    order = {"fail": 0, "needs_review": 1}
    probs = sorted(u.problems, key=lambda f: (item_of(f, rubric, ids), order.get(f["effective"], 2), f["rule"]))
    rows = []
    for n, f in enumerate(probs, 1):
        where = f.get("url") or ""
        if f.get("target") and f.get("target") != where:
            where += f"\n目标：{f['target']}"
        rows.append({"序号": n, "考核项": item_of(f, rubric, ids), "结果": OUTCOME_LABELS.get(f["effective"], f["effective"]),
                     "问题": zh(f["message"]), "位置": where, "证据编号": f["fingerprint"],
                     "整改建议": fix_text(f), "整改期限": deadline_of(f, today, days), "整改情况（单位填写）": ""})
    return rows


def broken_link_rows(u: Any) -> list[dict[str, Any]]:
    """One row per (source page, broken target), sorted by source page: what to edit where."""
    rows = []
    for f in u.problems:
        if f["rule"] not in LINK_RULES:
            continue
        data = f.get("data") or {}
        sources = data.get("sources") or [{"url": f.get("url"), "text": data.get("text")}]
        for s in sources:
            rows.append({"来源页面": s.get("url") or f.get("url") or "", "链接文字": s.get("text") or "",
                         "失效链接": f.get("target") or "", "原因": zh(str(data.get("reason") or "")),
                         "结果": OUTCOME_LABELS.get(f["effective"], f["effective"]), "证据编号": f["fingerprint"]})
    return sorted(rows, key=lambda r: (r["来源页面"], r["失效链接"]))


# -- DOCX ----------------------------------------------------------------------------------------
def _font(run: Any, size: float | None = None, bold: bool = False) -> None:
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)   # CJK text takes the East Asian font slot
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _para(doc: Any, text: str, size: float = 11, bold: bool = False, center: bool = False) -> None:
    p = doc.add_paragraph()
    if center:
        p.alignment = 1
    _font(p.add_run(text), size, bold)


def _table(doc: Any, columns: list[str], rows: list[dict[str, Any]], widths: list[float]) -> None:
    t = doc.add_table(rows=1, cols=len(columns))
    t.style = "Table Grid"
    for i, c in enumerate(columns):
        cell = t.rows[0].cells[i]
        cell.text = ""
        _font(cell.paragraphs[0].add_run(c), 9, True)
    rpr = None  # the data cells' run properties, built once by _font and copied (python-docx's setters are slow)
    for r in rows:
        cells = t.add_row().cells
        for i, c in enumerate(columns):
            run = cells[i].paragraphs[0].add_run(str(r.get(c, "")))
            if rpr is None:
                _font(run, 8.5)
                rpr = run._element.rPr
            else:
                run._element.insert(0, deepcopy(rpr))
    sizes = [Cm(w) for w in widths]
    for row in t.rows:
        cells = row.cells
        for i, w in enumerate(sizes):
            cells[i].width = w


def write_notice_docx(u: Any, portfolio: Any, path: Path, today: dt.date, days: int = FIX_DAYS) -> Path:
    score = u.scores[portfolio.primary.profile]
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)       # A4 landscape: the table needs the width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.8))
    name = u.row["name"]
    _para(doc, f"关于{name}网站政务公开问题的整改通知", 16, True, center=True)
    _para(doc, f"{name}：")
    rows = problem_rows(u, portfolio, today, days)
    fails = sum(1 for f in u.problems if f["effective"] == "fail")
    _para(doc, f"{today.year}年{today.month}月{today.day}日对贵单位网站（{u.row['url']}）进行了政务公开检查"
               f"（检查批次 {portfolio.run['id']}），暂定总分 {score.provisional:g} 分，暂定等级 {score.provisional_grade}。"
               f"发现问题 {len(rows)} 个，其中不合格 {fails} 个、待复核 {len(rows) - fails} 个。请对照下表逐项整改，"
               f"于整改期限前完成，并在“整改情况”栏填写整改结果（已整改的注明日期；有异议的说明理由并附材料）后报送。"
               f"证据编号为问题的唯一编号，可在检查报告和证据包中查到对应的页面存档、截图和摘要值。")
    for v in score.vetoes:
        _para(doc, f"特别提示：命中否决项 {v['id']}“{v['title']}”，请立即整改。", bold=True)
    _table(doc, PROBLEM_COLUMNS, rows, [1.0, 1.4, 1.3, 5.0, 4.6, 2.6, 6.0, 2.0, 3.4])
    links = broken_link_rows(u)
    if links:
        _para(doc, "")
        _para(doc, "附：失效链接清单（按来源页面）", 12, True)
        _table(doc, LINK_COLUMNS, links, [7.0, 4.0, 7.0, 3.5, 1.5, 3.0])
    _para(doc, "")
    _para(doc, f"通知生成时间：{local_time(dt.datetime.now(dt.timezone.utc))}（由 govaudit 根据检查结果生成）", 9)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".docx.tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    return path


# -- XLSX and CSV --------------------------------------------------------------------------------
def _cell_text(v: Any) -> Any:
    """Crawled text stays text in a sheet: no formulas."""
    return "'" + v if isinstance(v, str) and v[:1] in "=+-@" else v


def write_list_xlsx(u: Any, portfolio: Any, path: Path, today: dt.date, days: int = FIX_DAYS) -> Path:
    wb = Workbook()
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, columns, rows, widths in (
            ("整改清单", PROBLEM_COLUMNS, problem_rows(u, portfolio, today, days), [6, 8, 8, 50, 45, 22, 60, 14, 30]),
            ("失效链接", LINK_COLUMNS, broken_link_rows(u), [50, 24, 50, 30, 8, 22])):
        ws = wb.active if title == "整改清单" else wb.create_sheet(title)
        ws.title = title
        for c, h in enumerate(columns, 1):
            cell = ws.cell(1, c, h)
            cell.font, cell.fill = head_font, head_fill
        for r, row in enumerate(rows, 2):
            for c, h in enumerate(columns, 1):
                ws.cell(r, c, _cell_text(row.get(h, ""))).alignment = wrap
        for c, w in enumerate(widths, 1):
            ws.column_dimensions[chr(64 + c)].width = w
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".xlsx.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def write_links_csv(u: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:   # BOM: Excel opens it as UTF-8
        w = csv.DictWriter(fh, fieldnames=LINK_COLUMNS)
        w.writeheader()
        for row in broken_link_rows(u):
            w.writerow({k: _cell_text(v) for k, v in row.items()})
    return path


def write_fixlists(portfolio: Any, out: Path, days: int = FIX_DAYS) -> dict[str, Path]:
    """fixlists/<unit>.docx (整改通知), fixlists/<unit>.xlsx (整改清单 + 失效链接), fixlists/<unit>-links.csv."""
    today = dt.date.fromisoformat(portfolio.run["today"])
    paths: dict[str, Path] = {}
    for u in portfolio.units:
        base = out / "fixlists"   # unit ids may hold dots (hosts): never with_suffix
        paths[f"fixlist:{u.id}"] = write_notice_docx(u, portfolio, base / f"{u.id}.docx", today, days)
        paths[f"fixsheet:{u.id}"] = write_list_xlsx(u, portfolio, base / f"{u.id}.xlsx", today, days)
        paths[f"brokenlinks:{u.id}"] = write_links_csv(u, out / "fixlists" / f"{u.id}-links.csv")
    return paths
