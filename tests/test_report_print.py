"""Print and PDF: A4, a one-page summary per unit, every detail expanded, `report --pdf` with Chromium."""
from __future__ import annotations

import pdfplumber
import pytest

from govaudit.crawler.render import find_browser
from govaudit.commands._pdf import write_pdfs
from tests.conftest import run_cli

A4 = (595.0, 842.0)   # points

pytestmark = pytest.mark.skipif(find_browser() is None, reason="no Chromium: install chromium (scripts/setup-system.sh)")


def _a4(page) -> bool:
    return abs(page.width - A4[0]) < 2 and abs(page.height - A4[1]) < 2


def test_unit_summary_prints_on_one_a4_page(demo_audit, tmp_path):
    pdf = tmp_path / "summary.pdf"
    write_pdfs([(demo_audit / "units" / "qingshan.html", pdf)], summary_only=True)
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1 and _a4(doc.pages[0])
        text = doc.pages[0].extract_text()
    for words in ("检查结果摘要", "暂定总分", "暂定等级", "失分的考核项", "主要问题", "否决项"):
        assert words in text


def test_full_unit_report_prints_with_every_detail_expanded(demo_audit):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), headless=True, args=["--no-sandbox"])
        page = browser.new_context(offline=True).new_page()
        page.goto((demo_audit / "units" / "qingshan.html").as_uri())
        screen = page.evaluate("() => [...document.querySelectorAll('details.small')].length")
        page.emulate_media(media="print")
        shown = page.evaluate("""() => [...document.querySelectorAll('details.small')].map(d => {
            const copy = d.nextElementSibling;
            return [getComputedStyle(d).display, copy.className, copy.offsetHeight > 0,
                    copy.innerText.replace(/\\s+/g, '') === d.querySelector('table, pre, h4').closest('details')
                        .innerText.replace(/^详细数据/, '').replace(/\\s+/g, '')];
        })""")
        browser.close()
    assert screen >= 5 and len(shown) == screen
    assert all(display == "none" and "print-only" in cls and visible and same for display, cls, visible, same in shown)


def test_report_pdf_command_writes_a4_pdfs_with_embedded_fonts(demo_audit):
    proc = run_cli("report", "--out", str(demo_audit), "--pdf")
    assert proc.returncode == 1, proc.stderr[-2000:]  # report exits 1: the demo has fail findings
    for pdf in (demo_audit / "report.pdf", demo_audit / "units" / "qingshan.pdf"):
        with pdfplumber.open(pdf) as doc:
            assert len(doc.pages) > 3 and all(_a4(pg) for pg in doc.pages)
            first = doc.pages[0].extract_text()
        assert "政务公开网站检查报告" in first
        assert b"/FontFile" in pdf.read_bytes()     # fonts embedded: prints the same on any machine
