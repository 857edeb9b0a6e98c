"""Annual reports as real units publish them (issue 19): publish date, a heading typo, the fee
stated after its heading, the 2019 format's table 2, 收到申请 including carried-over requests,
and plain text copied out of a page."""
from __future__ import annotations

from govaudit.extract.annual_report import identities, read_report, structure_problems
from govaudit.extract.annual_report.model import edit_distance, find_fee
from govaudit.extract.annual_report.render import sample_spec, to_html, to_html_body

UNIT = "青山县人民政府"


def _page(body: str, title: str, date: str = "2024-01-20") -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='PubDate' content='{date} 09:30'></head><body><h1>{title}</h1>"
            f"<div class='info'>发布日期：{date}</div><div class='content'>{body}</div></body></html>").encode("utf-8")


def test_publish_date_in_the_model() -> None:
    spec = sample_spec(UNIT, 2023, 2)
    rep = read_report(_page(to_html_body(spec), spec.title), "http://www.qs.gov.cn/nb/2023.html")
    assert rep.publish_date == "2024-01-20" and rep.publish_date_source.startswith("meta:PubDate")
    assert rep.to_dict()["publish_date"] == "2024-01-20"


def test_signature_date_when_the_document_states_no_publish_date() -> None:
    spec = sample_spec(UNIT, 2023, 2)
    html = to_html(spec).replace("</body>", f"<p>{UNIT}办公室</p><p>2024年1月18日</p></body>")
    rep = read_report(html.encode("utf-8"), "http://www.qs.gov.cn/nb/2023.html")
    assert rep.publish_date == "2024-01-18" and rep.publish_date_source == "落款"


def test_heading_typo_still_finds_section_four() -> None:
    spec = sample_spec(UNIT, 2023, 2)
    html = to_html(spec).replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况")
    rep = read_report(html.encode("utf-8"), "http://www.qs.gov.cn/nb/2023.html")
    review = next(s for s in rep.sections if s["key"] == "review")
    assert review["found"] and review.get("approximate") and "行政法复议" in review["text"]
    assert structure_problems(rep)["missing_sections"] == []
    # a different section's heading under the wrong number is not taken for it
    other = to_html(spec).replace("四、政府信息公开行政复议、行政诉讼情况", "七、其他事项")
    rep2 = read_report(other.encode("utf-8"), "x.html")
    assert "四、政府信息公开行政复议、行政诉讼情况" in structure_problems(rep2)["missing_sections"]


def test_edit_distance() -> None:
    assert edit_distance("行政法复议行政诉讼情况", "行政复议行政诉讼情况") == 1
    assert edit_distance("", "abc") == 3


def test_fee_from_the_statement_not_the_heading() -> None:
    assert find_fee(["(一)收取信息处理费情况", "本年度未收取任何费用。"])["amount"] == 0.0  # type: ignore[index]
    fee = find_fee(["（一）收取信息处理费情况。本机关共收取信息处理费1200元。"])
    assert fee and fee["amount"] == 1200.0 and fee["unit"] == "元"
    assert find_fee(["四、收取信息处理费情况", "本年度收取费用0.12万元。"])["amount"] == 0.12  # type: ignore[index]


def test_2019_format_table2_has_its_own_model() -> None:
    spec = sample_spec(UNIT, 2019, 3, format2019=True)
    rep = read_report(_page(to_html_body(spec), spec.title, "2020-01-15"), "http://www.qs.gov.cn/nb/2019.html")
    t2 = rep.table2
    assert t2 is not None and t2["format"] == "2019" and t2["missing_rows"] == []
    cells = t2["cells"]
    assert (cells["normative"]["made"].value, cells["normative"]["published"].value, cells["normative"]["total"].value) == (5, 4, 23)
    assert cells["licensing"]["items_last_year"].value == 63 and cells["licensing"]["decisions"].value == 321
    assert cells["other_services"]["change"].value == -1 and cells["other_services"]["change"].problem is None
    assert cells["fees"]["items_last_year"].value == 3 and "amount" not in cells["fees"]
    assert cells["procurement"]["amount"].value == 125.5
    assert rep.problem_cells() == [] and [i for i in identities(rep) if not i["ok"]] == []


def test_identity_f_knows_carried_over_requests() -> None:
    spec = sample_spec(UNIT, 2023, 4, carried_in=[2, 1, 0, 0, 0, 0])
    new, carried = spec.table3["new"][6], spec.table3["carried_in"][6]
    html = to_html(spec).replace(f"全年共收到政府信息公开申请{new}件，上年结转{carried}件，",
                                 f"全年共收到政府信息公开申请{new + carried}件（含上年结转{carried}件），")
    rep = read_report(html.encode("utf-8"), "x.html")
    f = [i for i in identities(rep) if i["id"] == "f" and i["scope"] == "新收申请"]
    assert f and f[0]["ok"], f
    wrong = to_html(spec).replace(f"全年共收到政府信息公开申请{new}件", f"全年共收到政府信息公开申请{new + carried + 5}件")
    f2 = [i for i in identities(read_report(wrong.encode("utf-8"), "x.html")) if i["id"] == "f" and i["scope"] == "新收申请"]
    assert f2 and not f2[0]["ok"]


def test_plain_text_report() -> None:
    """Text a user copied out of a report page: read as text, its sections and table-3 lines found."""
    spec = sample_spec(UNIT, 2023, 5)
    from govaudit.extract.annual_report.blocks import read_html

    doc = read_html(to_html(spec))
    lines = []
    for b in doc.blocks:
        rows = getattr(b, "rows", None)
        if rows is None:
            lines.append(b.text)  # type: ignore[union-attr]
        else:
            for r in rows:  # a merged label repeats in every slot it covers; a person copies it once
                cells = [c for i, c in enumerate(r) if c is not None and (c.strip().isdigit() or c not in r[:i])]
                lines.append("\t".join(cells))
    text = "\n".join(lines).encode("utf-8")
    for name in ("report.txt", "http://www.qs.gov.cn/nb/2023.html"):
        rep = read_report(text, name, "")
        assert rep.format == "txt" and rep.status == "ok", name
        assert structure_problems(rep)["missing_sections"] == [], name
        assert rep.table3 is not None and rep.table3["cells"]["new"][6].value == spec.table3["new"][6]
