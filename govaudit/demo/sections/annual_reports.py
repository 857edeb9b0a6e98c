"""report.*: four years of annual reports in the 年报 column, built from data.

Relative to the audit day, with L the last year whose report is due (31 March for a government):
- L   an HTML report, published on time, every identity holding — no finding;
- L-1 a page that links a PDF: published late, and table 3's (一)予以公开 for 自然人 off by 2
      (identities (b) and (c) fail) — report.late + report.arithmetic;
- L-2 missing — report.missing;
- L-3 a page that links a DOCX without section 五 — report.structure; its table 2 is in the 2019
      format (本年新制作/本年新公开/对外公开总数量 …), read with its own model: no other finding.
The four reports are listed on the platform's 年报 page (this section replaces base's empty list).
"""
from __future__ import annotations

import datetime as dt

from govaudit.demo.site import SITE_NAME, Site
from govaudit.extract.annual_report.render import sample_spec, to_docx, to_html_body, to_pdf

COLUMN, LIST = "政府信息公开年报", "/xxgk/nb/index.html"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def last_due_year(today: dt.date) -> int:
    year = today.year - 1
    return year if today > dt.date(today.year, 3, 31) else year - 1


def contribute(site: Site) -> None:
    last = last_due_year(site.today)
    y1, y2, y3 = last - 1, last - 2, last - 3

    def ago(d: dt.date) -> int:
        return (site.today - d).days

    # L-1 first: its 结转下年度 is L's 上年结转 (identity (e) must hold between them)
    s1 = sample_spec(SITE_NAME, y1, seed=5)
    s0 = sample_spec(SITE_NAME, last, seed=8, carried_in=s1.table3["carried_out"][:6])
    s3 = sample_spec(SITE_NAME, y3, seed=2, format2019=True)   # table 2 in the 2019 format, read as such
    s3.omit_sections = {"problems"}
    s1.table3["open"][0] += 2   # the planted arithmetic error (totals left as they were)
    items = []

    # L: an HTML report on time
    d0 = site.day(ago(dt.date(last + 1, 3, 20)))
    p0 = f"/xxgk/nb/{last + 1}03/t{d0.strftime('%Y%m%d')}_1.html"
    site.add(p0, site.article(s0.title, d0, [], column=COLUMN, column_path=LIST, extra=to_html_body(s0)))
    items.append((s0.title, p0, d0))

    # L-1: a page that links the PDF, published after 31 March
    d1 = site.day(ago(dt.date(y1 + 1, 4, 25)))
    p1 = f"/xxgk/nb/{y1 + 1}04/t{d1.strftime('%Y%m%d')}_1.html"
    pdf = f"/xxgk/nb/{y1 + 1}04/P{d1.strftime('%Y%m%d')}ndbg.pdf"
    site.add(pdf, to_pdf(s1), content_type=PDF_TYPE)
    site.add(p1, site.article(s1.title, d1, [f"现将{SITE_NAME}{y1}年政府信息公开工作年度报告予以公布。"], column=COLUMN,
                              column_path=LIST, extra=f'<p>附件：<a href="{pdf}">{s1.title}.pdf</a></p>'))
    items.append((s1.title, p1, d1))

    # L-3: a page that links the DOCX, on time, section 五 missing
    d3 = site.day(ago(dt.date(y3 + 1, 1, 15)))
    p3 = f"/xxgk/nb/{y3 + 1}01/t{d3.strftime('%Y%m%d')}_1.html"
    docx = f"/xxgk/nb/{y3 + 1}01/W{d3.strftime('%Y%m%d')}ndbg.docx"
    site.add(docx, to_docx(s3), content_type=DOCX_TYPE)
    site.add(p3, site.article(s3.title, d3, [f"{SITE_NAME}{y3}年政府信息公开工作年度报告全文见附件。"], column=COLUMN,
                              column_path=LIST, extra=f'<p>附件：<a href="{docx}">{s3.title}.docx</a></p>'))
    items.append((s3.title, p3, d3))

    site.add(LIST, site.list_page(COLUMN, items, crumbs=[("政府信息公开", "/xxgk/index.html")]))
    site.data["annual_reports"] = {"last": last, "missing": y2, "specs": {last: s0, y1: s1, y3: s3}}

    site.expect("report.late", p1, note=f"{y1} report published {d1} (deadline {y1 + 1}-03-31)")
    site.expect("report.arithmetic", p1, note="table 3 (一)予以公开 × 自然人 off by 2: identities (b), (c)")
    site.expect("report.structure", p3, note="DOCX report without 五、存在的主要问题及改进情况")
    site.expect("report.missing", "/", note=f"no {y2} report")
