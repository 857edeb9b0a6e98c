"""Write an annual report from data as HTML, PDF (reportlab) or DOCX (python-docx).

Used by the demo portal and the tests so that their fixtures are built from data and stay
reproducible: the three formats of one `ReportSpec` must read back as the same model. The HTML
table 3 follows the real 2021 layout: three header rows, an empty corner cell spanning 3×3, the
法人或其他组织 group spanning five columns, and label columns merged down the rows.
"""
from __future__ import annotations

import html as _html
import io
from dataclasses import dataclass, field
from typing import Any

from govaudit.extract.annual_report.model import COL3_LABELS, GROUPS3, ROWS2, ROWS2_2019, SECTIONS

REFUSE = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
          "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_PROCESSED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                 "5.要求行政机关确认或重新出具已获取信息"]
OTHER = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
SUBLABELS = {"refuse": REFUSE, "unable": UNABLE, "not_processed": NOT_PROCESSED, "other": OTHER}

Cell = tuple[str, int, int]  # text, rowspan, colspan (HTML semantics: covered slots omitted)


@dataclass
class ReportSpec:
    unit: str
    year: int
    table2: dict[str, Any]               # rules/normative: [issued, repealed, in_force]; others: number
    table3: dict[str, list[int]]         # row key -> 7 numbers (6 applicants + total)
    table4: list[int]                    # 15 numbers
    omit_sections: set[str] = field(default_factory=set)
    fee: str = "本年度未收取信息处理费。"
    blank_zeros: bool = False            # write 0 as an empty cell (&nbsp; in HTML)
    fullwidth: bool = False              # write digits full-width (HTML only)
    # the 2019 format's table 2 (row key -> numbers in ROWS2_2019's columns) instead of `table2`
    table2_2019: dict[str, list[Any]] | None = None

    @property
    def title(self) -> str:
        return f"{self.unit}{self.year}年政府信息公开工作年度报告"


def consistent_table3(seed: int, carried_in: list[int] | None = None, carried_out: list[int] | None = None) -> dict[str, list[int]]:
    """A table 3 where every identity holds; numbers vary with seed."""
    keys = ["open", "partial"] + [f"{g}.{i}" for g, (_, n, _) in GROUPS3.items() for i in range(1, n + 1)]
    t: dict[str, list[int]] = {k: [0] * 6 for k in keys}
    for c in range(6):
        w = (seed + c * 7) % 11
        t["open"][c] = (w * 3 + c) % 13 if c in (0, 1, 5) else w % 3
        t["partial"][c] = (w + c) % 4 if c in (0, 1) else 0
        t["unable.1"][c] = (w + 2 * c) % 5 if c != 3 else 0
        t["refuse.4"][c] = 1 if c == 0 and seed % 2 else 0
        t["not_processed.2"][c] = (seed + c) % 2 if c in (0, 1) else 0
        t["other.3"][c] = 1 if c == 5 and seed % 3 == 0 else 0
    cin = carried_in or [(seed + c) % 3 if c in (0, 1) else 0 for c in range(6)]
    cout = carried_out or [(seed + 2 * c) % 2 if c in (0, 5) else 0 for c in range(6)]
    total = [sum(t[k][c] for k in keys) for c in range(6)]
    new = [total[c] + cout[c] - cin[c] for c in range(6)]
    for c in range(6):  # keep new >= 0
        if new[c] < 0:
            t["open"][c] -= new[c]
            total[c] -= new[c]
            new[c] = 0
    out = {"new": new, "carried_in": cin[:6], **t, "total": total, "carried_out": cout[:6]}
    return {k: v[:6] + [sum(v[:6])] for k, v in out.items()}


def sample_spec(unit: str, year: int, seed: int = 1, carried_in: list[int] | None = None,
                format2019: bool = False) -> ReportSpec:
    t4 = [(seed + i) % 3 for i in range(15)]
    for g in range(3):
        t4[g * 5 + 4] = sum(t4[g * 5: g * 5 + 4])
    old = {"rules": [0, 0, 0], "normative": [seed % 5 + 2, seed % 5 + 1, 20 + seed],
           "licensing": [60 + seed, 2, 300 + seed * 7], "other_services": [5, -1, 12],
           "penalty": [30, 0, 20 + seed], "coercion": [4, 0, seed % 4], "fees": [3, 0],
           "procurement": [6 + seed, 125.5]} if format2019 else None
    return ReportSpec(unit=unit, year=year,
                      table2={"rules": [0, 0, 0], "normative": [seed % 5 + 1, seed % 2, 10 + seed],
                              "licensing": 100 + seed * 7, "penalty": 20 + seed, "coercion": seed % 4,
                              "fees": round(12.5 + seed, 2)},
                      table3=consistent_table3(seed, carried_in), table4=t4, table2_2019=old)


# -- the document plan: headings, paragraphs, spanned tables -------------------------------------
def plan(spec: ReportSpec) -> list[tuple[str, Any]]:
    t3 = spec.table3
    heads = {k: h for k, h, _ in SECTIONS}
    out: list[tuple[str, Any]] = [("title", spec.title)]
    out.append(("p", f"本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室"
                     f"关于年度报告格式的要求编制。本报告所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。"))
    if "overview" not in spec.omit_sections:
        out.append(("h", heads["overview"]))
        out.append(("p", f"{spec.year}年，{spec.unit}深入贯彻落实政府信息公开条例，全面推进决策、执行、管理、服务、结果公开。"
                         f"全年共收到政府信息公开申请{t3['new'][6]}件，上年结转{t3['carried_in'][6]}件，"
                         f"结转下年度继续办理{t3['carried_out'][6]}件。"))
        if spec.table2_2019 is None:
            out.append(("p", f"本年度制发行政规范性文件{spec.table2['normative'][0]}件，依法及时公开。"))
        else:
            out.append(("p", f"本年度新公开规范性文件{spec.table2_2019['normative'][1]}件，依法及时公开。"))
    if "proactive" not in spec.omit_sections:
        out.append(("h", heads["proactive"]))
        out.append(("table", _table2(spec)))
    if "requests" not in spec.omit_sections:
        out.append(("h", heads["requests"]))
        out.append(("table", _table3(spec)))
        out.append(("p", spec.fee))
    if "review" not in spec.omit_sections:
        out.append(("h", heads["review"]))
        out.append(("table", _table4(spec)))
    if "problems" not in spec.omit_sections:
        out.append(("h", heads["problems"]))
        out.append(("p", "存在的问题：政务公开工作人员业务能力有待提升。改进情况：加强培训，完善制度。"))
    if "other" not in spec.omit_sections:
        out.append(("h", heads["other"]))
        out.append(("p", "本年度无其他需要报告的事项。"))
    return out


def _n(spec: ReportSpec, v: Any) -> str:
    if spec.blank_zeros and v in (0, 0.0):
        return ""
    s = str(v)
    if spec.fullwidth:
        s = s.translate({ord("0") + i: ord("０") + i for i in range(10)})
    return s


def _table2_2019(spec: ReportSpec) -> list[list[Cell]]:
    """The 2019 format: 本年新制作/本年新公开/对外公开总数量; 上一年项目数量/本年增减/处理决定数量 …"""
    t = spec.table2_2019 or {}
    n = lambda v: (_n(spec, f"{v:+d}" if isinstance(v, int) and v < 0 else v), 1, 1)  # noqa: E731
    labels = {k: w for k, w, _ in ROWS2_2019}
    rows: list[list[Cell]] = []
    for title, head, keys in (
            ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["rules", "normative"]),
            ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["licensing", "other_services"]),
            ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["penalty", "coercion"]),
            ("第二十条第（八）项", ["上一年项目数量", "本年增/减", ""], ["fees"]),
            ("第二十条第（九）项", ["采购项目数量", "采购总金额", ""], ["procurement"])):
        rows.append([(title, 1, 4)])
        rows.append([("信息内容", 1, 1), *[(h, 1, 1) for h in head]])
        for key in keys:
            vals = list(t.get(key, []))
            rows.append([(labels[key], 1, 1), *[n(v) for v in vals], *[("", 1, 1)] * (3 - len(vals))])
    return rows


def _table2(spec: ReportSpec) -> list[list[Cell]]:
    if spec.table2_2019 is not None:
        return _table2_2019(spec)
    t = spec.table2
    n = lambda v: (_n(spec, v), 1, 1)  # noqa: E731
    rows: list[list[Cell]] = [[("第二十条第（一）项", 1, 4)],
                              [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)]]
    for key, label, _ in ROWS2[:2]:
        rows.append([(label, 1, 1), *[n(v) for v in t[key]]])
    for title, head, keys in (("第二十条第（五）项", "本年处理决定数量", ["licensing"]),
                              ("第二十条第（六）项", "本年处理决定数量", ["penalty", "coercion"]),
                              ("第二十条第（八）项", "本年收费金额（单位：万元）", ["fees"])):
        rows.append([(title, 1, 4)])
        rows.append([("信息内容", 1, 1), (head, 1, 3)])
        for key in keys:
            label = dict((k, w) for k, w, _ in ROWS2)[key]
            rows.append([(label, 1, 1), (_n(spec, t[key]), 1, 3)])
    return rows


def _table3(spec: ReportSpec) -> list[list[Cell]]:
    t = spec.table3
    cols = list(COL3_LABELS)
    cols[3] = "社会公益 组织"  # stray space, as real reports have
    nums = lambda key: [(_n(spec, v), 1, 1) for v in t[key]]  # noqa: E731
    rows: list[list[Cell]] = [
        [("", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(c, 1, 1) for c in cols[1:6]],
        [("一、本年新收政府信息公开申请数量", 1, 3), *nums("new")],
        [("二、上年结转政府信息公开申请数量", 1, 3), *nums("carried_in")],
        [("三、本年度办理结果", 22, 1), ("（一）予以公开", 1, 2), *nums("open")],
        [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2), *nums("partial")],
    ]
    for g, (label, count, _) in GROUPS3.items():
        label = label.replace("(", "（").replace(")", "）")
        for i, sub in enumerate(SUBLABELS[g]):
            first = [(label, count, 1)] if i == 0 else []
            rows.append([*first, (sub, 1, 1), *nums(f"{g}.{i + 1}")])
    rows.append([("（七）总计", 1, 2), *nums("total")])
    rows.append([("四、结转下年度继续办理", 1, 3), *nums("carried_out")])
    return rows


def _table4(spec: ReportSpec) -> list[list[Cell]]:
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(w, 2, 1) for w in five], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(w, 1, 1) for w in five * 2],
        [(_n(spec, v), 1, 1) for v in spec.table4],
    ]


def grid(rows: list[list[Cell]]) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """Full grid (None in covered slots) and the spans (r0, c0, r1, c1)."""
    taken: dict[tuple[int, int], str | None] = {}
    spans = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, c + dc)] = text if dr == dc == 0 else None
            if rs > 1 or cs > 1:
                spans.append((r, c, r + rs - 1, c + cs - 1))
            c += cs
            width = max(width, c)
    nrows = max(r for r, _ in taken) + 1
    return [[taken.get((r, c)) for c in range(width)] for r in range(nrows)], spans


# -- HTML ---------------------------------------------------------------------------------------
def to_html_body(spec: ReportSpec) -> str:
    """The report as an HTML fragment (headings as <p><strong>, tables with rowspan/colspan)."""
    parts = []
    for kind, v in plan(spec):
        if kind == "title":
            continue  # the page's own <h1> carries the title
        if kind == "h":
            parts.append(f'<p style="text-indent:2em"><strong>{_html.escape(v)}</strong></p>')
        elif kind == "p":
            parts.append(f'<p style="text-indent:2em">{_html.escape(v)}</p>')
        else:
            trs = []
            for row in v:
                tds = []
                for text, rs, cs in row:
                    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                    tds.append(f"<td{attrs}>{_html.escape(text) if text else '&nbsp;'}</td>")
                trs.append("<tr>" + "".join(tds) + "</tr>")
            parts.append('<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>'
                         + "\n".join(trs) + "</tbody></table>")
    return "\n".join(parts)


def to_html(spec: ReportSpec) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{_html.escape(spec.title)}</title></head>"
            f"<body><h1>{_html.escape(spec.title)}</h1>{to_html_body(spec)}</body></html>")


# -- PDF ----------------------------------------------------------------------------------------
def to_pdf(spec: ReportSpec, filler_pages: int = 0, repeat_header: bool = False, borderless: bool = False) -> bytes:
    """A PDF with a real text layer (reportlab's built-in STSong-Light CID font, no font file)."""
    from reportlab.lib import colors  # start-up cost: only the demo and tests write reports
    from reportlab.lib.pagesizes import A4  # start-up cost: only the demo and tests write reports
    from reportlab.lib.styles import ParagraphStyle  # start-up cost: only the demo and tests write reports
    from reportlab.pdfbase import pdfmetrics  # start-up cost: only the demo and tests write reports
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # start-up cost: only the demo and tests write reports
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # start-up cost: only the demo and tests write reports

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=11)
    title = ParagraphStyle("t", parent=body, fontSize=14, leading=20, alignment=1)
    cell = ParagraphStyle("c", fontName=font, fontSize=6.5, leading=8, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=40, bottomMargin=40,
                            title=spec.title)
    story: list[Any] = []
    for kind, v in plan(spec):
        if kind == "title":
            story += [Paragraph(_html.escape(v), title), Spacer(1, 8)]
        elif kind == "h":
            story.append(Paragraph(_html.escape(v), head))
        elif kind == "p":
            story.append(Paragraph(_html.escape(v), body))
        else:
            g, spans = grid(v)
            width = len(g[0])
            if width == 10:
                widths = [40, 50, 150] + [39] * 7
            else:
                widths = [523 / width] * width
            data = [[Paragraph(_html.escape(c), cell) if c else "" for c in row] for row in g]
            repeat = 3 if repeat_header and width == 10 else 0  # table 3's header on every page
            t = Table(data, colWidths=widths, repeatRows=repeat)
            grid_style = [] if borderless else [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            t.setStyle(TableStyle([*grid_style,
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   *[("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]]))
            story += [Spacer(1, 4), t, Spacer(1, 6)]
    for i in range(filler_pages):
        story += [PageBreak(), Paragraph(f"附录第{i + 1}页", body)]
    doc.build(story)
    return buf.getvalue()


# -- DOCX ---------------------------------------------------------------------------------------
def to_docx(spec: ReportSpec) -> bytes:
    import docx  # start-up cost: only the demo and tests write reports

    d = docx.Document()
    d.core_properties.title = spec.title
    for kind, v in plan(spec):
        if kind == "title":
            d.add_heading(v, level=1)
        elif kind in ("h", "p"):
            d.add_paragraph(v)
        else:
            g, spans = grid(v)
            t = d.add_table(rows=len(g), cols=len(g[0]))
            t.style = "Table Grid"
            for r0, c0, r1, c1 in spans:
                t.cell(r0, c0).merge(t.cell(r1, c1))
            for r, row in enumerate(g):
                for c, text in enumerate(row):
                    if text is not None:
                        t.cell(r, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


__all__ = ["ReportSpec", "consistent_table3", "sample_spec", "plan", "grid", "to_html", "to_html_body",
           "to_pdf", "to_docx"]
