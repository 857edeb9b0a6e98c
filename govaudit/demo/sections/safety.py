"""Content safety: personal data published unmasked (pages and attachments) and wording errors.

Planted: an xlsx 公示 list with unmasked ID numbers and a 花名册 docx with mobiles beside names
(content.privacy, fail); a scanned PDF whose only text is an image with an ID number (read by
OCR: planted only where tesseract with chi_sim and a CJK font are installed); an article
misspelling the state's name (content.wording, fail) and one with a common 错别字 (needs_review);
three policy documents of last year, none normative, against the annual report's 本年制发
(report.consistency, needs_review).
Look-alikes that must not fire: a 公示 page with masked IDs and mobiles, a document page whose
索引号 and 统一社会信用代码 look like ID numbers, an article with the correct name, and a correction
notice quoting the error.

The planted numbers are fictitious (valid check digits, no real person); site.data["planted_personal"]
lists them for the test that greps every output for them.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import openpyxl
from PIL import Image, ImageDraw, ImageFont

from govaudit.demo.site import Site
from govaudit.extract.attachments import tesseract_available
from govaudit.extract.personal_data import ID_CHECK, ID_WEIGHTS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FILLER = "为进一步提升政务服务水平，现将有关事项通知如下，请各单位认真贯彻执行。"
BASE = "/zwdt/safety"
NO_INTERP = "本文件为工作部署类文件，不予解读。"   # the policy documents planted here are not interp.* cases


def resident_id(first17: str) -> str:
    """A fictitious ID number with a valid check character."""
    return first17 + ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


PEOPLE = [("王建国", resident_id("15259919650312101")), ("李秀英", resident_id("15259919720805202")),
          ("张明", resident_id("15259919881120303")), ("刘桂兰", resident_id("15259919540101404"))]
MOBILES = [("赵强", "13947150001"), ("孙丽", "15847150002")]
SCANNED_ID = resident_id("15259919790615505")


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "低保对象"
    ws.append(["序号", "姓名", "身份证号", "家庭人口", "月保障金额（元）"])
    for i, (name, pid) in enumerate(PEOPLE, 1):
        ws.append([i, name, pid, 3, 860])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("青山县2026年公益性岗位人员花名册")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ("姓名", "岗位", "联系电话")):
        cell.text = text
    for name, mobile in MOBILES:
        row = t.add_row().cells
        row[0].text, row[1].text, row[2].text = name, "保洁", mobile
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _font() -> str | None:
    return next((f for f in CJK_FONTS if Path(f).exists()), None)


def scanned_pdf(lines: list[str], font_path: str) -> bytes:
    """A PDF whose page is only an image of the lines (a scan): no text layer."""
    font = ImageFont.truetype(font_path, 40)
    img = Image.new("RGB", (1654, 200 + 100 * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((80, 80 + 100 * i), line, font=font, fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=150)
    return buf.getvalue()


def _last_due_year(site: Site) -> int:
    """The newest report year whose deadline (31 March) has passed: the annual_reports section's 'last'."""
    year = site.today.year - 1
    return year if site.today > dt.date(site.today.year, 3, 31) else year - 1


def contribute(site: Site) -> None:
    col = dict(column="政务动态", column_path="/zwdt/index.html")
    links: list[tuple[str, str]] = []
    site.data["planted_personal"] = [pid for _, pid in PEOPLE] + [m for _, m in MOBILES] + [SCANNED_ID]

    # --- an xlsx 公示 list with unmasked ID numbers ----------------------------------------------------
    xlsx = f"{BASE}/W020260101dbgs.xlsx"
    site.add(xlsx, _xlsx(), content_type=XLSX_TYPE)
    page = f"{BASE}/t1.html"
    site.add(page, site.article("青山县2026年城乡低保对象公示", site.day(5), [FILLER],
                                extra=f'<p>附件：<a href="{xlsx}">2026年城乡低保对象公示名单.xlsx</a></p>', **col))
    site.expect("content.privacy", xlsx, note="xlsx 公示 list with 4 unmasked ID numbers")
    links.append(("低保对象公示", page))

    # --- a docx 花名册 with mobiles beside names ------------------------------------------------------
    roster = f"{BASE}/W020260102hmc.docx"
    site.add(roster, _docx(), content_type=DOCX_TYPE)
    page = f"{BASE}/t2.html"
    site.add(page, site.article("青山县公益性岗位人员花名册", site.day(6), [FILLER],
                                extra=f'<p>附件：<a href="{roster}">公益性岗位人员花名册.docx</a></p>', **col))
    site.expect("content.privacy", roster, note="docx roster: mobiles beside names")
    links.append(("公益性岗位花名册", page))

    # --- a scanned PDF (image only) with an ID number: OCR ---------------------------------------------
    font = _font()
    if font:
        scan = f"{BASE}/W020260103smj.pdf"
        site.add(scan, scanned_pdf(["青山县临时救助对象公示", f"申请人：陈立新  身份证号：{SCANNED_ID}",
                                    "救助金额：2000元"], font), content_type="application/pdf")
        page = f"{BASE}/t3.html"
        site.add(page, site.article("青山县临时救助对象公示", site.day(7), [FILLER],
                                    extra=f'<p>附件：<a href="{scan}">临时救助对象公示（扫描件）.pdf</a></p>', **col))
        if tesseract_available():
            site.expect("content.privacy", scan, note="scanned PDF: ID number read by OCR")
        links.append(("临时救助公示", page))

    # --- look-alikes: masked list, 索引号 and credit code that look like IDs -----------------------------
    masked = f"{BASE}/t4.html"
    rows = "".join(f"<tr><td>{n[0]}*{'*' if len(n) > 2 else ''}</td><td>{p[:4]}**********{p[-4:]}</td>"
                   f"<td>{m[:3]}****{m[-4:]}</td></tr>"
                   for (n, p), (_, m) in zip(PEOPLE, MOBILES * 2))
    site.add(masked, site.article("青山县2026年高龄津贴发放对象公示", site.day(8),
                                  ["公示期为5个工作日。"],
                                  extra=f"<table><tr><th>姓名</th><th>身份证号</th><th>联系电话</th></tr>{rows}</table>", **col))
    links.append(("高龄津贴公示", masked))
    lookalike_id = resident_id("11010519800101123")
    credit = resident_id("12152999000000012")
    doc = f"{BASE}/t5.html"
    site.add(doc, site.article("青山县人民政府关于印发青山县政务服务工作要点的通知", site.day(9),
                               ["青政发〔2026〕3号", f"统一社会信用代码：{credit}", "订单编号：4111111111111111",
                                FILLER, NO_INTERP], index_no=f"{lookalike_id}/2026-00003", **col))
    links.append(("政务服务工作要点", doc))   # not a 政务公开 plan: channels.py plants plan.missing

    # --- wording: an error, a typo, the correct form and a correction notice -----------------------------
    wrong = f"{BASE}/t6.html"
    site.add(wrong, site.article("青山县举行国家宪法日宣传活动", site.day(4),
                                 ["活动现场，工作人员向群众发放《中华人名共和国宪法》单行本2000余册。", FILLER], **col))
    site.expect("content.wording", wrong, note="中华人名共和国 (serious misspelling of the state's name)")
    typo = f"{BASE}/t7.html"
    site.add(typo, site.article("青山县开展燃气安全隐患排查", site.day(5),
                                ["排查组督促商户按装燃气泄漏报警装置，确保安全。", FILLER], **col))
    site.expect("content.wording", typo, outcome="needs_review", note="按装 for 安装")
    right = f"{BASE}/t8.html"
    site.add(right, site.article("青山县开展“宪法进万家”活动", site.day(6),
                                 ["学习《中华人民共和国宪法》，弘扬宪法精神。", FILLER], **col))
    fix = f"{BASE}/t9.html"
    site.add(fix, site.article("关于更正《青山县举行国家宪法日宣传活动》一文表述的说明", site.day(3),
                               ["本网站12月2日发布的信息中，“中华人名共和国宪法”应为“中华人民共和国宪法”，特此更正。"], **col))
    links += [("国家宪法日", wrong), ("燃气安全排查", typo), ("宪法进万家", right), ("更正说明", fix)]

    # --- report.consistency: last year's report claims normative documents (table 2, 本年制发 ≥ 2 in the
    # annual_reports section's sample) while the site shows only non-normative documents of that year ------
    year = _last_due_year(site)
    for i, (month, name) in enumerate([(3, "春季农业生产"), (6, "防汛抗旱"), (9, "秋冬季森林防火")]):
        when = dt.date(year, month, 12)
        path = f"{BASE}/wj{i}.html"
        site.add(path, site.article(f"青山县人民政府办公室关于做好{name}工作的通知", when,
                                    [f"青政办发〔{year}〕{21 + i}号", FILLER, NO_INTERP], column="政策文件",
                                    column_path=f"{BASE}/index.html"))
        links.append((f"{name}通知", path))
    site.expect("report.consistency", None, outcome="needs_review",
                note=f"{year} report: 本年制发 行政规范性文件 N件, the site shows none of {year} (3 other documents)")

    lis = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in links)
    site.add(f"{BASE}/index.html", site.page("专题：公示公告", f"<ul>{lis}</ul>", column="专题",
                                              crumbs=[("专题", f"{BASE}/index.html")]))
    site.home_links.append(("公示公告专题", f"{BASE}/index.html"))
