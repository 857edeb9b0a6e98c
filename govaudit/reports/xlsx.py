"""scores.xlsx — the prefilled score sheet (openpyxl): a summary sheet, one sheet per unit, a list
of problem findings. Totals and grades are formulas over the reviewer's cells, so editing a score in
Excel, WPS or LibreOffice recomputes the grade. Strings from crawled sites are neutralised so that a
cell can never become a formula (= + - @ at the start get a leading apostrophe)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

from govaudit import __version__
from govaudit.reports.collect import Portfolio, UnitView
from govaudit.reports.rubric import Rubric
from govaudit.reports.scoring import UnitScore
from govaudit.reports.html import OUTCOME_LABELS, item_of
from govaudit.reports.fixes import fix_text
from govaudit.text import local_time, zh

HEAD = ["考核项", "考核内容", "满分", "机器建议分", "扣分依据（规则×问题数）", "问题数", "证据",
        "复核得分", "复核说明 / 人工评分依据", "采用得分", "未评", "暂计", "类别"]
WIDTHS = [8, 44, 7, 10, 40, 7, 14, 10, 30, 10, 6, 8, 8]
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _styles(wb: Workbook) -> None:
    """Named styles, registered once per workbook (far cheaper than styling cell by cell)."""
    specs = {"ga-head": dict(font=BOLD, fill=HEAD_FILL, border=BOX, alignment=WRAP),
             "ga-group": dict(font=BOLD, fill=GROUP_FILL, border=BOX, alignment=WRAP),
             "ga-cell": dict(border=BOX, alignment=WRAP),
             "ga-input": dict(fill=INPUT_FILL, border=BOX, alignment=WRAP),
             "ga-link": dict(font=Font(color="0563C1", underline="single"), border=BOX, alignment=WRAP)}
    for name, kw in specs.items():
        if name not in wb.named_styles:
            wb.add_named_style(NamedStyle(name=name, **kw))


# The totals under each unit's items (label in column B, value in column J).
TOTAL_LABELS = {
    "base": "基础得分（各项采用得分之和）",
    "bonus": "加分",
    "penalty": "扣分",
    "veto": "否决项（命中数，可修改）",
    "pending": "待评项数（无得分的基础项：人工评分或未能检测）",
    "total": "总分",
    "grade": "等级",
    "provisional": "暂定总分（人工项按满分暂计，未能检测项按0分）",
    "provisional_grade": "暂定等级",
}
TOTAL_FORMULAS = {
    "base": '=SUMIF({M},"base",{J})',
    "bonus": '=SUMIF({M},"bonus",{J})',
    "penalty": '=SUMIF({M},"penalty",{J})',
    "pending": '=SUMIF({M},"base",{K})',
}


def safe(value: Any) -> Any:
    """A crawled or user string as inert text: a leading = + - @ (or tab/CR) gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_width(text: str) -> int:
    """Display width in Excel's character units (CJK and full-width characters count two)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def fit_row(ws: Any, r: int, widths: dict[int, float], line: float = 15.0) -> None:
    """Row height for wrapped text (spreadsheets do not all grow rows written without a height)."""
    lines = 1
    for c, w in widths.items():
        v = ws.cell(r, c).value
        if isinstance(v, str) and not v.startswith("="):
            lines = max(lines, -(-text_width(v) // max(int(w) - 1, 1)))
    if lines > 1:
        ws.row_dimensions[r].height = min(line * lines, 400)


def landscape(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def sheet_name(unit_id: str, used: set[str]) -> str:
    base = "".join(ch for ch in unit_id if ch not in "[]:*?/\\'")[:28] or "unit"
    name, n = base, 2
    while name.lower() in used or name in ("汇总", "问题清单"):
        name, n = f"{base[:25]}~{n}", n + 1
    used.add(name.lower())
    return name


def grade_formula(rubric: Rubric, total: str, veto: str, pending: str | None) -> str:
    expr = f'"{rubric.grades[-1][0]}"'
    for name, minimum in reversed(rubric.grades[:-1]):
        expr = f'IF({total}>={minimum:g},"{name}",{expr})'
    if pending:
        expr = f'IF({pending}>0,"待人工评分",{expr})'
    return f'=IF({veto}>0,"{rubric.grades[-1][0]}",{expr})'


def _basis(s: Any) -> str:
    parts = [f"{ln.rule}×{len(ln.fingerprints)} −{ln.deducted:g}" for ln in s.lines]
    if s.not_measured:
        parts.append("未能检测：" + "、".join(s.not_measured))
    if s.reviewed:
        parts.append(f"已复核 {s.reviewed}")
    return "；".join(parts)


def coverage_note(u: UnitView) -> str:
    """'部分抓取（暂定）：reason' for a unit whose crawl was partial (crawler/coverage.py), else ''."""
    try:
        cov = json.loads(u.row.get("coverage") or "{}")
    except ValueError:
        return ""
    if cov.get("status") != "partial":
        return ""
    return safe(f"部分抓取，等级为暂定：{cov.get('reason_text') or cov.get('reason')}；依赖未抓取页面的项目记为未能检测")


def unit_sheet(wb: Workbook, name: str, u: UnitView, p: Portfolio, rubric: Rubric) -> dict[str, str]:
    """Write one unit's sheet; returns the cells of its results (for the summary's formulas)."""
    ws = wb.create_sheet(name)
    score: UnitScore = u.scores[rubric.profile]
    ws["A1"] = safe(f"政务公开考核评分表 — {u.row['name']}")
    ws["A1"].font = TITLE
    ws["A2"] = safe(f"网址 {u.row['url']}　检查日期 {p.run['today']}　批次 {p.run['id']}")
    ws["A3"] = safe(f"定级方案（等级以此为准） {rubric.title}（版本 {rubric.version}，sha256 {rubric.digest[:12]}）　govaudit {__version__}")
    ws["A4"] = "黄色单元格由复核人员填写（复核得分优先于机器建议分）；总分、等级为公式，修改后自动重算。"
    ws["A4"].font = Font(italic=True, color="666666")
    if coverage_note(u):
        ws["A5"] = coverage_note(u)
        ws["A5"].font = Font(bold=True, color="B22222")
    hr = 6
    for c, h in enumerate(HEAD, 1):
        ws.cell(hr, c, h).style = "ga-head"
    for c, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(hr + 1, 3)
    r = hr + 1
    first = r
    by_id = {s.id: s for s in score.items}
    validations: dict[float, DataValidation] = {}
    for g in rubric.groups:
        grow = r
        ws.cell(r, 1, g.id)
        ws.cell(r, 2, g.title)
        ws.cell(r, 3, sum(i.max for i in g.items if i.kind == "base") or None)
        ws.cell(r, 13, "分组")
        for c in range(1, 14):
            ws.cell(r, c).style = "ga-group"
        r += 1
        for item in g.items:
            s = by_id[item.id]
            ws.cell(r, 1, item.id)
            ws.cell(r, 2, item.title + ("（人工评分）" if item.manual else "（加分项）" if item.bonus
                                        else "（扣分项，填扣分数）" if item.penalty else ""))
            ws.cell(r, 3, item.max)
            ws.cell(r, 4, s.proposed)
            ws.cell(r, 5, safe(_basis(s) or ("—" if not item.manual else "")))
            ws.cell(r, 6, s.problems or None)
            for c in range(1, 14):
                ws.cell(r, c).style = "ga-input" if c in (8, 9) else "ga-cell"
            if s.problems or s.rules:
                link = ws.cell(r, 7, "查看证据")
                link.hyperlink = f"units/{u.id}.html#item-{item.id}"
                link.style = "ga-link"
            ws.cell(r, 10, f'=IF(H{r}<>"",H{r},IF(D{r}<>"",D{r},""))')
            if item.kind == "base":
                ws.cell(r, 11, f'=IF(J{r}="",1,0)')
                ws.cell(r, 12, f'=IF(J{r}="",C{r},J{r})' if item.manual else f'=IF(J{r}="",0,J{r})')
            ws.cell(r, 13, item.kind)
            if item.max not in validations:
                validations[item.max] = DataValidation(
                    type="decimal", operator="between", formula1="0", formula2=f"{item.max:g}", allow_blank=True,
                    showErrorMessage=True, error=f"0 到 {item.max:g} 分")
                ws.add_data_validation(validations[item.max])
            validations[item.max].add(f"H{r}")
            fit_row(ws, r, {2: WIDTHS[1], 5: WIDTHS[4]})
            r += 1
        ws.cell(grow, 10, f"=SUM(J{grow + 1}:J{r - 1})")
    last = r - 1
    rng = lambda col: f"${col}${first}:${col}${last}"  # noqa: E731
    r += 1
    cells: dict[str, str] = {}
    rows = [(key, label, TOTAL_FORMULAS.get(key, "")) for key, label in TOTAL_LABELS.items()]
    rows = [(k, lbl, (f.format(M=rng("M"), J=rng("J"), K=rng("K")) if f else len(score.vetoes) if k == "veto" else None))
            for k, lbl, f in rows]
    for key, label, value in rows:
        cells[key] = f"J{r}"
        ws.cell(r, 2, label).font = BOLD
        ws.cell(r, 2).alignment = Alignment(horizontal="right")
        if value is not None:
            ws.cell(r, 10, value)
        r += 1
    c = cells
    ws[c["total"]] = f"=MAX(0,{c['base']}+{c['bonus']}-{c['penalty']})"
    ws[c["grade"]] = grade_formula(rubric, c["total"], c["veto"], c["pending"])
    ws[c["provisional"]] = f'=MAX(0,SUMIF({rng("M")},"base",{rng("L")})+{c["bonus"]}-{c["penalty"]})'
    ws[c["provisional_grade"]] = grade_formula(rubric, c["provisional"], c["veto"], None)
    ws[c["veto"]].fill = INPUT_FILL
    for key in ("total", "grade"):
        ws[c[key]].font = Font(bold=True, size=12, color="B22222")
    if score.vetoes:
        ws.cell(r + 1, 2, "命中否决项：" + "；".join(f"{v['title']}（{v['rule']}×{v['count']}）" for v in score.vetoes))
    for i, o in enumerate(r for r in p.rubrics if r.profile != rubric.profile):
        os_ = u.scores[o.profile]  # the report's secondary view, in the same words: never the grade
        vetoes = "；".join(f"{v['id']} {v['title']}（{v['rule']}×{v['count']}）" for v in os_.vetoes)
        ws.cell(r + 2 + i, 2, safe(f"参考口径（不作为定级依据，否决项不计入上方否决项单元格）：{o.title} 得分 {os_.total:g}，"
                                   f"结论 {os_.grade}" + (f"；该口径否决项：{vetoes}" if vetoes else "")))
    ws.column_dimensions["K"].hidden = True
    ws.column_dimensions["L"].hidden = True
    ws.column_dimensions["M"].hidden = True
    ws.print_title_rows = f"{hr}:{hr}"
    landscape(ws)
    return cells


def write_scores_xlsx(portfolio: Portfolio, path: Path, units: list[UnitView] | None = None) -> Path:
    """The workbook for all units (or the given ones), scored with the portfolio's primary rubric."""
    rubric = portfolio.primary
    units = units if units is not None else portfolio.ranked()
    wb = Workbook()
    _styles(wb)
    summary = wb.active
    summary.title = "汇总"
    used: set[str] = set()
    refs = []
    for u in units:
        name = sheet_name(u.id, used)
        refs.append((u, name, unit_sheet(wb, name, u, portfolio, rubric)))
    summary["A1"] = "政务公开考核评分汇总"
    summary["A1"].font = TITLE
    summary["A2"] = safe(f"批次 {portfolio.run['id']}　检查日期 {portfolio.run['today']}　定级方案 {rubric.title} "
                         f"版本 {rubric.version}　govaudit {__version__}")
    head = ["单位", "网址", "总分", "等级", "暂定总分", "暂定等级", "待评项数", "不合格", "待复核", "明细"]
    others = [r for r in portfolio.rubrics if r.profile != rubric.profile]
    head += [f"参考：{r.title.split('（')[0]}得分" for r in others] + [f"参考：{r.title.split('（')[0]}结论" for r in others]
    head.append("抓取覆盖")
    for c, h in enumerate(head, 1):
        summary.cell(4, c, h).style = "ga-head"
    for c, w in enumerate([26, 34, 8, 12, 10, 10, 9, 8, 8, 10] + [14] * (2 * len(others)), 1):
        summary.column_dimensions[get_column_letter(c)].width = w
    r = 5
    for u, name, cells in refs:
        q = "'" + name.replace("'", "''") + "'!"
        counts = u.counts
        values: list[Any] = [safe(u.row["name"]), safe(u.row["url"]), f"={q}{cells['total']}", f"={q}{cells['grade']}",
                             f"={q}{cells['provisional']}", f"={q}{cells['provisional_grade']}",
                             f"={q}{cells['pending']}", counts.get("fail", 0), counts.get("needs_review", 0), "打开"]
        for o in others:
            values.append(u.scores[o.profile].total)
        for o in others:
            s = u.scores[o.profile]
            values.append(s.grade + ("（否决）" if s.vetoed else ""))
        values.append(coverage_note(u) or "完整")
        for c, v in enumerate(values, 1):
            summary.cell(r, c, v).style = "ga-cell"
        summary.cell(r, 10).hyperlink = Hyperlink(ref=f"J{r}", location=f"{q}A1", display="打开")
        summary.cell(r, 10).style = "ga-link"
        r += 1
    summary.freeze_panes = "B5"
    summary.row_dimensions[4].height = 30
    landscape(summary)
    problems_sheet(wb, portfolio, units)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".xlsx.tmp")
    try:
        wb.save(tmp)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a full disk leaves the previous sheet, and no stray part
        raise
    return path


def problems_sheet(wb: Workbook, p: Portfolio, units: list[UnitView]) -> None:
    ws = wb.create_sheet("问题清单")
    head = ["单位", "考核项", "规则", "结果", "机器结果", "问题", "整改建议", "页面", "目标", "指纹", "复核结论", "复核人",
            "复核时间", "复核说明"]
    for c, h in enumerate(head, 1):
        ws.cell(1, c, h).style = "ga-head"

    ids = {i.id for i in p.primary.items}
    r = 2
    for u in units:
        for f in u.findings:
            if f["machine_outcome"] not in ("fail", "needs_review"):
                continue
            rv = f.get("review") or {}
            row = [u.row["name"], item_of(f, p.primary, ids), f["rule"], OUTCOME_LABELS.get(f["effective"], f["effective"]),
                   OUTCOME_LABELS.get(f["machine_outcome"], f["machine_outcome"]), zh(f["message"]), fix_text(f),
                   f["url"], f.get("target"), f["fingerprint"], rv.get("label"), rv.get("by"), local_time(rv.get("at")),
                   rv.get("note")]
            for c, v in enumerate(row, 1):
                ws.cell(r, c, safe(v)).alignment = WRAP
            fit_row(ws, r, {6: 50, 7: 50, 8: 40, 9: 40})
            r += 1
    for c, w in enumerate([20, 8, 18, 8, 8, 50, 50, 40, 40, 22, 10, 10, 20, 30], 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    landscape(ws)
    ws.auto_filter.ref = f"A1:N{max(r - 1, 1)}"
