"""The annual report reader: one model from HTML, PDF and DOCX; identities; limits."""
from __future__ import annotations

import io
import zipfile

import pytest

from govaudit.extract.annual_report import (cross_year, identities, read_report, report_year,
                                            structure_problems)
from govaudit.extract.annual_report.model import COLS3, ROWS3
from govaudit.extract.annual_report.render import sample_spec, to_docx, to_html, to_pdf

UNIT = "青山县人民政府"


# -- a table 3 written like a real 2021 report exported from Word ------------------------------
def _p(text: str) -> str:
    return f'<p class="MsoNormal" align="center"><span style="font-family:仿宋_GB2312;font-size:10.5pt">{text}</span></p>'


SUBS = {
    "refuse": ("（三）不予公开", ["1．属于国家秘密", "2．其他法律行政法规禁止公开", "3．危及“三安全一稳定”",
                               "4．保护第三方合法权益", "5．属于三类内部事务信息", "6．属于四类过程性信息",
                               "7．属于行政执法案卷", "8．属于行政查询事项"]),
    "unable": ("（四）无法提供", ["1．本机关不掌握相关政府信息", "2．没有现成信息需要另行制作", "3．补正后申请内容仍不明确"]),
    "not_processed": ("（五）不予处理", ["1．信访举报投诉类申请", "2．重复申请", "3．要求提供公开出版物",
                                     "4．无正当理由大量反复申请", "5．要求行政机关确认或重新出具已获取信息"]),
    "other": ("（六）其他处理", ["1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                              "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3．其他"]),
}
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def real_values() -> dict[str, list[int | None]]:
    """Values of the real-layout fixture: one blank cell (None), the rest consistent."""
    v: dict[str, list[int | None]] = {k: [0] * 7 for k, _ in ROWS3}
    v["new"] = [31, 4, 0, 1, 2, 0, 38]
    v["carried_in"] = [2, 0, 0, 0, 0, 0, 2]
    v["open"] = [12, 2, 0, 1, 1, 0, 16]
    v["partial"] = [3, 1, 0, 0, 0, 0, 4]
    v["refuse.4"] = [1, 0, 0, 0, 0, 0, 1]
    v["unable.1"] = [11, 1, 0, 0, 1, 0, 13]
    v["not_processed.1"] = [2, 0, 0, 0, 0, 0, 2]
    v["other.3"] = [1, 0, 0, 0, 0, 0, 1]
    v["total"] = [30, 4, 0, 1, 2, 0, 37]
    v["carried_out"] = [3, 0, 0, 0, 0, 0, 3]
    v["refuse.8"] = [0, 0, None, 0, 0, 0, 0]  # written as &nbsp;
    return v


def real_table3_html(format2019: bool = False) -> str:
    """format2019: the 2019 layout (Shanghai's 2019 report): the corner cell carries the
    勾稽关系 note, (六)其他处理 is one row without sub-items, 三 spans 20 rows."""
    v = real_values()
    if format2019:
        v["other"] = [sum(v[f"other.{i}"][c] or 0 for i in (1, 2, 3)) for c in range(7)]

    def nums(key: str, fullwidth: bool = False) -> str:
        out = []
        for x in v[key]:
            t = "&nbsp;" if x is None else (str(x).translate(FW) if fullwidth else f" {x} ")
            out.append(f'<td width="40" valign="center">{_p(t)}</td>')
        return "".join(out)

    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" if format2019 else "&nbsp;"
    rows = [
        f'<tr><td width="180" colspan="3" rowspan="3">{_p(corner)}</td><td colspan="7">{_p("申请人情况")}</td></tr>',
        f'<tr><td rowspan="2">{_p("自然人")}</td><td colspan="5">{_p("法人或其他组织")}</td><td rowspan="2">{_p("总计")}</td></tr>',
        "<tr>" + "".join(f"<td>{_p(t)}</td>" for t in ("商业<br>企业", "科研<br>机构", "社会公益 组织", "法律服务<br>机构", "其他")) + "</tr>",
        f'<tr><td colspan="3">{_p("一、本年新收政府信息公开申请数量")}</td>{nums("new", True)}</tr>',
        f'<tr><td colspan="3">{_p("二、上年结转政府信息公开申请数量")}</td>{nums("carried_in")}</tr>',
        f'<tr><td rowspan="{20 if format2019 else 22}">{_p("三、本年度办理结果")}</td><td colspan="2">{_p("（一）予以公开")}</td>{nums("open")}</tr>',
        f'<tr><td colspan="2">{_p("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")}</td>{nums("partial")}</tr>',
    ]
    for g, (label, subs) in SUBS.items():
        if format2019 and g == "other":
            rows.append(f'<tr><td colspan="2">{_p(label)}</td>{nums("other")}</tr>')
            continue
        for i, sub in enumerate(subs):
            first = f'<td rowspan="{len(subs)}">{_p(label)}</td>' if i == 0 else ""
            rows.append(f"<tr>{first}<td>{_p(sub)}</td>{nums(f'{g}.{i + 1}')}</tr>")
    rows.append(f'<tr><td colspan="2">{_p("（七）总计")}</td>{nums("total")}</tr>')
    rows.append(f'<tr><td colspan="3">{_p("四、结转下年度继续办理")}</td>{nums("carried_out")}</tr>')
    return ('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
            'style="border-collapse:collapse"><tbody>' + "\n".join(rows) + "</tbody></table>")


def page_with(table3: str, title: str = f"{UNIT}2023年政府信息公开工作年度报告") -> bytes:
    body = (f"<p><b>一、总体情况</b></p><p>2023年共收到政府信息公开申请38件。</p>"
            f"<p><b>二、主动公开政府信息情况</b></p><p>（表略）</p>"
            f"<p><b>三、收到和处理政府信息公开申请情况</b></p>{table3}"
            f"<p><b>四、政府信息公开行政复议、行政诉讼情况</b></p><p><b>五、存在的主要问题及改进情况</b></p>"
            f"<p><b>六、其他需要报告的事项</b></p><p>本年度未收取信息处理费。</p>")
    return (f"<html><head><meta charset='gbk'><title>{title}</title></head>"
            f"<body><table class='layout'><tr><td><div class='content'>{body}</div></td></tr></table></body></html>"
            ).encode("gb18030")


def test_real_layout_table3_every_cell():
    rep = read_report(page_with(real_table3_html()), "http://x.gov.cn/a.html", "text/html")
    assert rep.status == "ok" and rep.year == 2023
    t3 = rep.table3
    assert t3 is not None and t3["missing_rows"] == [] and t3["unrecognised_rows"] == []
    assert t3["columns_ok"], t3["columns"]
    got = {k: [c.value for c in row] for k, row in t3["cells"].items()}
    assert got == real_values()
    blank = [c.ref for c in rep.problem_cells()]
    assert blank == ["表三 三、(三)不予公开 8 × 科研机构"]
    assert [x for x in identities(rep) if not x["ok"]] == []
    assert structure_problems(rep)["missing_sections"] == []


def test_identity_failure_names_cells_and_numbers():
    html = real_table3_html().replace('<td width="40" valign="center">' + _p(" 30 "), '<td>' + _p(" 31 "), 1)
    rep = read_report(page_with(html), "a.html")
    bad = [x for x in identities(rep) if not x["ok"]]
    ids = sorted({x["id"] for x in bad})
    assert ids == ["a", "b", "c"]
    a = next(x for x in bad if x["id"] == "a")
    assert a["scope"] == "自然人" and a["lhs"] == 33 and a["rhs"] == 34
    assert "三(七)总计(31)" in a["text"] and any(c["cell"] == "表三 三、(七)总计 × 自然人" and c["value"] == 31 for c in a["cells"])


# -- the same report in three formats ------------------------------------------------------------
def comparable(rep) -> dict:
    d = rep.to_dict()
    t3 = d["table3"]
    return {"year": d["year"], "table2": d["table2"], "table4": d["table4"], "fee": d["fee"], "quotes": d["quotes"],
            "table3": {k: t3[k] for k in ("cells", "labels", "missing_rows", "unrecognised_rows")},
            "sections": [(s["key"], s["found"], s["text"]) for s in d["sections"]]}


@pytest.fixture(scope="module")
def twins():
    spec = sample_spec(UNIT, 2024, seed=4)
    return spec, {
        "html": read_report(to_html(spec).encode("utf-8"), "http://x.gov.cn/nb.html", "text/html; charset=utf-8"),
        "pdf": read_report(to_pdf(spec), "http://x.gov.cn/nb.pdf", "application/pdf"),
        "docx": read_report(to_docx(spec), "http://x.gov.cn/nb.docx", ""),
    }


def test_html_twin_reads_the_data(twins):
    spec, reps = twins
    rep = reps["html"]
    assert {k: [c.value for c in row] for k, row in rep.table3["cells"].items()} == spec.table3
    assert rep.table2["cells"]["normative"]["issued"].value == spec.table2["normative"][0]
    assert rep.table2["cells"]["fees"]["amount"].value == spec.table2["fees"]
    assert [rep.table4["cells"][g][c].value for g in ("review", "direct", "after_review")
            for c in ("maintained", "corrected", "other", "pending", "total")] == spec.table4
    assert rep.fee["amount"] == 0.0
    assert {q["cell"] for q in rep.quotes} >= {"table3.new.total", "table3.carried_in.total"}
    assert all(x["ok"] for x in identities(rep))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_pdf_and_docx_give_the_same_model_as_html(twins, fmt):
    _, reps = twins
    assert reps[fmt].status == "ok", reps[fmt].reason
    assert reps[fmt].format == fmt
    assert comparable(reps[fmt]) == comparable(reps["html"])


def test_missing_section_and_order():
    spec = sample_spec(UNIT, 2023, seed=2)
    spec.omit_sections = {"problems"}
    rep = read_report(to_docx(spec), "r.docx")
    p = structure_problems(rep)
    assert p["missing_sections"] == ["五、存在的主要问题及改进情况"] and not p["out_of_order"]
    assert p["missing_tables"] == []
    # look-alike: the complete report
    assert structure_problems(read_report(to_docx(sample_spec(UNIT, 2023, seed=2)), "r.docx"))["missing_sections"] == []
    swapped = to_html(sample_spec(UNIT, 2023)).replace("五、存在的主要问题及改进情况", "@@").replace(
        "六、其他需要报告的事项", "五、存在的主要问题及改进情况").replace("@@", "六、其他需要报告的事项")
    assert structure_problems(read_report(swapped.encode(), "r.html"))["out_of_order"]


def test_cross_year_and_quotes():
    last = sample_spec(UNIT, 2023, seed=1)
    this = sample_spec(UNIT, 2024, seed=2, carried_in=last.table3["carried_out"][:6])
    r_last, r_this = (read_report(to_html(s).encode(), "r.html") for s in (last, this))
    assert all(x["ok"] for x in cross_year(r_this, r_last))
    other = read_report(to_html(sample_spec(UNIT, 2024, seed=2, carried_in=[5, 0, 0, 0, 0, 1])).encode(), "r.html")
    bad = [x for x in cross_year(other, r_last) if not x["ok"]]
    assert bad and bad[0]["cells"][0]["cell"].startswith("2024年") and bad[0]["cells"][1]["cell"].startswith("2023年")
    wrong_quote = to_html(this).replace(f"收到政府信息公开申请{this.table3['new'][6]}件", "收到政府信息公开申请999件")
    fq = [x for x in identities(read_report(wrong_quote.encode(), "r.html")) if x["id"] == "f" and not x["ok"]]
    assert len(fq) == 1 and fq[0]["lhs"] == 999 and fq[0]["rhs"] == this.table3["new"][6]


def test_fullwidth_and_blank_cells():
    spec = sample_spec(UNIT, 2024, seed=6)
    spec.fullwidth, spec.blank_zeros = True, True
    rep = read_report(to_html(spec).encode(), "r.html")
    values = {k: [c.value or 0 for c in row] for k, row in rep.table3["cells"].items()}
    assert values == spec.table3
    assert rep.problem_cells() and all(c.problem == "blank" for c in rep.problem_cells())
    assert all(x["ok"] for x in identities(rep))


@pytest.mark.parametrize("title,year", [
    ("青山县人民政府2023年政府信息公开工作年度报告", 2023),
    ("青山县教育局2023年度政府信息公开工作年度报告_青山县人民政府", 2023),
    ("二〇二二年政府信息公开年报", 2022),
    ("关于印发《２０２１年 政务公开工作年度报告》的通知", 2021),
    ("2024年政府信息公开工作年度报告（青山县发改委）", 2024),
])
def test_report_year(title, year):
    assert report_year(title) == year


@pytest.mark.parametrize("title", ["政府信息公开年报", "2023年政府工作报告", "2024年度部门预算公开", "青山县2023年统计年鉴",
                                   "关于做好2023年政府信息公开工作年度报告编制发布工作的通知",
                                   "图解：青山县2023年政府信息公开工作年度报告", "《2023年政府信息公开工作年度报告》解读"])
def test_not_a_report_title(title):
    assert report_year(title) is None


# -- unreadable formats and limits --------------------------------------------------------------
def test_doc_wps_ofd_are_not_measured_with_reason():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    for url, fmt in (("http://x/r.doc", "doc"), ("http://x/r.wps", "wps")):
        rep = read_report(ole, url)
        assert rep.status == "not_measured" and rep.format == fmt and "cannot be read" in rep.reason
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    rep = read_report(buf.getvalue(), "http://x/r.ofd")
    assert rep.status == "not_measured" and rep.format == "ofd" and "OFD" in rep.reason


def test_long_pdf_is_not_measured():
    data = to_pdf(sample_spec(UNIT, 2024), filler_pages=300)
    rep = read_report(data, "big.pdf")
    assert rep.status == "not_measured" and "over the limit" in rep.reason and rep.format == "pdf"


def test_broken_pdf_and_docx_do_not_crash():
    assert read_report(b"%PDF-1.4\n%garbage\n", "x.pdf").status == "not_measured"
    assert read_report(b"PK\x03\x04garbage", "x.docx").status == "not_measured"


def test_malformed_table_neither_hangs_nor_crashes():
    rows = ['<tr><td rowspan="999999" colspan="999999">自然人</td><td colspan="abc">本年新收</td></tr>',
            "<tr><td>一、本年新收政府信息公开申请数量<td>1<td>2</tr>", "<tr></tr>" * 5000,
            '<tr><td colspan="0">（七）总计</td>' + "<td>x</td>" * 500 + "</tr>"]
    html = "<html><body><p>一、总体情况</p><table>" + "".join(rows) + "</table></body></html>"
    rep = read_report(html.encode(), "bad.html")
    assert rep.status == "ok"
    assert rep.table3 is None or len(rep.table3["missing_rows"]) >= 20  # spans clamped to the column limit
    assert any("cut" in n for n in rep.notes)


def test_table3_with_missing_cells_and_extra_rows_is_read_partially():
    html = real_table3_html().replace("<tr>", "<tr><td>x</td>", 1)  # a stray cell in the header
    html = html.replace("（七）总计", "（七）合计")  # an unknown label: its row is reported, not guessed
    rep = read_report(page_with(html), "a.html")
    assert rep.table3["missing_rows"] == ["total"] and rep.table3["unrecognised_rows"]
    assert structure_problems(rep)["incomplete_tables"] == {"表三": ["三、(七)总计"]}


def test_2019_layout_group_row_and_corner_note():
    rep = read_report(page_with(real_table3_html(format2019=True)), "a.html")
    t3 = rep.table3
    assert t3["missing_rows"] == [] and t3["unrecognised_rows"] == []
    assert [c.value for c in t3["cells"]["other"]] == [1, 0, 0, 0, 0, 0, 1]
    assert [c.value for c in t3["cells"]["total"]] == [30, 4, 0, 1, 2, 0, 37]
    assert [x for x in identities(rep) if not x["ok"]] == []


def plain_layout_report() -> bytes:
    """Another real style: bare <td>s, header rows without rowspan (empty cells instead), table 4's
    third header row with five empty cells, '五、存在问题及改进情况', a fee actually charged."""
    v = real_values()
    v["refuse.8"] = [0] * 7
    labels = {"new": "一、本年新收政府信息公开申请数量", "carried_in": "二、上年结转政府信息公开申请数量"}

    def tr(cells: list[str]) -> str:
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    rows = ['<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr>',
            '<tr><td>自然人</td><td colspan="5">法人或其他组织</td><td>总计</td></tr>',
            tr(["", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""])]
    for key in ("new", "carried_in"):
        rows.append(f'<tr><td colspan="3">{labels[key]}</td>' + "".join(f"<td>{x}</td>" for x in v[key]) + "</tr>")
    rows.append('<tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>'
                + "".join(f"<td>{x}</td>" for x in v["open"]) + "</tr>")
    rows.append('<tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>'
                + "".join(f"<td>{x}</td>" for x in v["partial"]) + "</tr>")
    for g, (label, subs) in SUBS.items():
        for i, sub in enumerate(subs):
            first = f'<td rowspan="{len(subs)}">{label}</td>' if i == 0 else ""
            rows.append(f"<tr>{first}<td>{sub.replace('．', '.')}</td>" + "".join(f"<td>{x}</td>" for x in v[f"{g}.{i + 1}"]) + "</tr>")
    rows.append('<tr><td colspan="2">（七）总计</td>' + "".join(f"<td>{x}</td>" for x in v["total"]) + "</tr>")
    rows.append('<tr><td colspan="3">四、结转下年度继续办理</td>' + "".join(f"<td>{x}</td>" for x in v["carried_out"]) + "</tr>")
    t4 = ('<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
          + tr(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])[:-5]
          + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
          + tr([""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
          + tr(["3", "1", "0", "1", "5", "2", "0", "0", "1", "3", "0", "1", "0", "0", "1"]) + "</table>")
    body = ("<p>一、总体情况</p><p>全年共受理政府信息公开申请38件（含上年度结转申请2件），信息公开类行政复议5件。</p>"
            "<p>二、主动公开政府信息情况</p>"
            '<table><tr><td colspan="4">第二十条第（一）项</td></tr>'
            + tr(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]) + tr(["规章", "1", "0", "12"])
            + tr(["行政规范性文件", "6", "2", "40"]) + '<tr><td colspan="4">第二十条第（五）项</td></tr>'
            + '<tr><td>行政许可</td><td colspan="3">1200</td></tr>'
            + '<tr><td>行政处罚</td><td colspan="3">35</td></tr><tr><td>行政强制</td><td colspan="3">0</td></tr>'
            + '<tr><td>行政事业性收费</td><td colspan="3">3.75</td></tr></table>'
            + "<p>三、收到和处理政府信息公开申请情况</p><table>" + "".join(rows) + "</table>"
            + "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + t4
            + "<p>五、存在问题及改进情况</p><p>一是公开内容还需规范。</p><p>六、其他需要报告的事项</p>"
            + "<p>2023年共收取信息处理费400元。</p>")
    return (f"<html><head><title>测试市2023年政府信息公开工作年度报告</title></head><body><div id='zoom'>{body}</div>"
            "</body></html>").encode("utf-8")


def test_plain_layout_with_empty_header_cells():
    rep = read_report(plain_layout_report(), "http://x.gov.cn/t.html", "text/html; charset=utf-8")
    assert [s["found"] for s in rep.sections] == [True] * 6
    t3 = rep.table3
    assert t3["missing_rows"] == [] and t3["unrecognised_rows"] == [] and t3["columns_ok"], t3["columns"]
    assert [c.value for c in t3["cells"]["unable.1"]] == [11, 1, 0, 0, 1, 0, 13]
    assert rep.table2["cells"]["rules"]["in_force"].value == 12 and rep.table2["cells"]["fees"]["amount"].value == 3.75
    assert rep.table4["cells"]["after_review"]["total"].value == 1
    assert rep.fee == {"text": "2023年共收取信息处理费400元", "amount": 400.0, "unit": "元"}
    assert {q["cell"]: q["value"] for q in rep.quotes} == {"table3.new.total": 38, "table3.carried_in.total": 2,
                                                           "table4.review.total": 5}
    assert [x["text"] for x in identities(rep) if not x["ok"]] == []


def test_pdf_table_split_over_pages_with_repeated_header(twins):
    spec, reps = twins
    rep = read_report(to_pdf(spec, repeat_header=True), "r.pdf")
    assert any("continued" in n for n in rep.notes)
    assert comparable(rep) == comparable(reps["html"])


def values(rep) -> dict:
    return {"t2": {k: {c: x.value for c, x in v.items()} for k, v in rep.table2["cells"].items()},
            "t3": {k: [c.value for c in v] for k, v in rep.table3["cells"].items()},
            "t4": {k: {c: x.value for c, x in v.items()} for k, v in rep.table4["cells"].items()}}


@pytest.mark.parametrize("seed", [4, 7])
def test_pdf_without_ruling_lines_is_read_from_text_lines(seed):
    spec = sample_spec(UNIT, 2024, seed=seed)
    rep = read_report(to_pdf(spec, borderless=True), "r.pdf")
    assert "table 3 read from text lines (no ruled table found)" in rep.notes
    assert rep.table3["missing_rows"] == [] and rep.table3["unrecognised_rows"] == []
    assert values(rep) == values(read_report(to_html(spec).encode(), "r.html"))
    assert [x for x in identities(rep) if not x["ok"]] == []
