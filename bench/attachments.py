"""Attachment reading speed: documents per second by format, and OCR seconds per scanned page.

    .venv/bin/python bench/attachments.py [--n 30] [--ocr 3]

Generates realistic 公示 documents in memory (a 200-row xlsx and csv, a docx with a 50-row table,
a 5-page text PDF, a .doc converted by LibreOffice when Writer is installed, a scanned one-page PDF)
and times govaudit.extract.attachments.read_text on each. Prints one line per format and the line
for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402
import openpyxl  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from govaudit.demo.sections.safety import CJK_FONTS, resident_id, scanned_pdf  # noqa: E402
from govaudit.extract.attachments import read_text, tesseract_available  # noqa: E402

ROWS = [(f"{i}", f"王{'小大'[i % 2]}明", resident_id(f"1525991970{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"),
         "3", "860") for i in range(1, 201)]


def xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "姓名", "身份证号", "家庭人口", "金额"])
    for r in ROWS:
        wb.active.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes() -> bytes:
    return ("序号,姓名,身份证号,家庭人口,金额\n" + "\n".join(",".join(r) for r in ROWS)).encode("gb18030")


def docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("青山县2026年低保对象公示")
    t = d.add_table(rows=1, cols=5)
    for r in ROWS[:50]:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(pages: int = 5) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in range(pages):
        c.setFont("STSong-Light", 10)
        for i, r in enumerate(ROWS[p * 40:(p + 1) * 40]):
            c.drawString(50, 800 - 18 * i, "  ".join(r))
        c.showPage()
    c.save()
    return buf.getvalue()


def doc_bytes() -> bytes | None:
    if not shutil.which("soffice"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "a.docx").write_bytes(docx_bytes())
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/p", "--headless", "--convert-to", "doc",
                        "--outdir", tmp, f"{tmp}/a.docx"], capture_output=True, timeout=120, check=False)
        out = Path(tmp, "a.doc")
        return out.read_bytes() if out.exists() else None


def timed(data: bytes, name: str, n: int) -> tuple[float, str]:
    res = read_text(data, name)
    assert res.status == "ok", (name, res.status, res.reason)
    t0 = time.perf_counter()
    for _ in range(n):
        read_text(data, name)
    return n / (time.perf_counter() - t0), res.status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--ocr", type=int, default=3)
    a = ap.parse_args()
    docs = {"xlsx": (xlsx(), "x.xlsx"), "csv": (csv_bytes(), "x.csv"), "docx": (docx_bytes(), "x.docx"),
            "pdf(5p)": (pdf_bytes(), "x.pdf")}
    doc = doc_bytes()
    if doc:
        docs["doc"] = (doc, "x.doc")
    rates = {}
    for fmt, (data, name) in docs.items():
        rates[fmt], _ = timed(data, name, a.n)
        print(f"{fmt}: {rates[fmt]:.1f} documents/s ({len(data)} bytes)")
    ocr = ""
    font = next((f for f in CJK_FONTS if Path(f).exists()), None)
    if tesseract_available() and font:
        scan = scanned_pdf(["青山县临时救助对象公示"] + ["  ".join(r[:3]) for r in ROWS[:12]], font)
        t0 = time.perf_counter()
        for _ in range(a.ocr):
            res = read_text(scan, "scan.pdf")
            assert res.ocr_pages == 1
        ocr = f"; OCR (tesseract chi_sim, 200 dpi, 13-line A4 scan) {(time.perf_counter() - t0) / a.ocr:.1f} s/page"
    load = os.getloadavg()[0]
    print("RESULTS: attachments read/s — " + ", ".join(f"{k} {v:.0f}" for k, v in rates.items()) + ocr
          + f" (load {load:.1f})")


if __name__ == "__main__":
    main()
