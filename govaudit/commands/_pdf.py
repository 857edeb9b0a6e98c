"""`govaudit report --pdf` (app floor: it drives Playwright, which reports may not import). The report
as PDF, printed by the real browser (Chromium via Playwright): A4, the print styles of
the HTML report (a one-page summary per unit, page breaks between units, every detail expanded),
fonts embedded by Chromium. Offline: the pages load nothing from the network."""
from __future__ import annotations

import logging
from pathlib import Path

from govaudit.crawler.render import BROWSER_ARGS, find_browser

log = logging.getLogger("govaudit.pdf")

PDF_OPTIONS = {"format": "A4", "print_background": True, "prefer_css_page_size": True,
               "display_header_footer": True, "header_template": "<span></span>",
               "footer_template": '<div style="font-size:8px;width:100%;text-align:center;color:#666">'
                                  '第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>',
               "margin": {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}}


class PdfError(RuntimeError):
    """No browser, or the browser could not print."""


def write_pdfs(pages: list[tuple[Path, Path]], summary_only: bool = False) -> list[Path]:
    """Print each (html, pdf) pair with one browser. `summary_only`: only each unit's one-page summary."""
    from playwright.sync_api import Error, sync_playwright  # heavy optional dependency: only `report --pdf` needs it

    browser_path = find_browser()
    if browser_path is None:
        raise PdfError("未找到 Chromium，无法生成 PDF（安装 chromium，或设置 GOVAUDIT_CHROMIUM）")
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=BROWSER_ARGS, headless=True)
            try:
                context = browser.new_context(offline=True)
                for html, pdf in pages:
                    page = context.new_page()
                    page.goto(html.resolve().as_uri(), wait_until="load")
                    if summary_only:
                        page.evaluate(KEEP_SUMMARY_JS)
                    pdf.parent.mkdir(parents=True, exist_ok=True)
                    tmp = pdf.with_suffix(".pdf.tmp")
                    page.pdf(path=str(tmp), **PDF_OPTIONS)
                    tmp.replace(pdf)
                    page.close()
                    written.append(pdf)
            finally:
                browser.close()
    except Error as e:
        raise PdfError(f"浏览器生成 PDF 失败：{e}") from None
    return written


# Leave only the unit summaries (for a leader's one-page print); the report has no script of its own.
KEEP_SUMMARY_JS = """() => {
  const keep = [...document.querySelectorAll('.summary-page')];
  document.body.replaceChildren(...keep);
}"""


def write_report_pdfs(out: Path, unit_ids: list[str]) -> dict[str, Path]:
    """report.pdf beside report.html, units/<unit>.pdf beside each unit page."""
    pairs = [(out / "report.html", out / "report.pdf")]
    pairs += [(out / "units" / f"{uid}.html", out / "units" / f"{uid}.pdf") for uid in unit_ids]
    pairs = [(h, p) for h, p in pairs if h.is_file()]
    paths = write_pdfs(pairs)
    log.info("PDF：%d 个文件", len(paths))
    return {("pdf" if p.parent == out else f"pdf:{p.stem}"): p for p in paths}
