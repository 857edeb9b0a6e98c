"""Broken and hostile documents: truncated PDFs and DOCX files, zip bombs disguised as .docx.
The reader refuses them with a reason (reported as not_measured), never hangs or crashes."""
from __future__ import annotations

import io
import zipfile

import pytest

from govaudit.extract.annual_report.blocks import Unreadable, read_document


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("青山县2024年政府信息公开工作年度报告")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 1).text = "自然人", "3"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "annual report 2024")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_zip_bomb_docx_is_refused_before_unpacking():
    good = _docx_bytes()
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                # 200 MB of zeros inside the document part: ~200 KB compressed
                z.writestr(info.filename, data[:-30] + b" " * 200_000_000 + data[-30:])
            else:
                z.writestr(info, data)
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000
    with pytest.raises(Unreadable, match="zip bomb"):
        read_document(bomb, "http://x.gov.cn/nb.docx")


def test_a_sound_docx_still_reads():
    doc = read_document(_docx_bytes(), "http://x.gov.cn/nb.docx")
    assert doc.format == "docx" and doc.tables


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_docx_is_unreadable_not_a_crash(cut):
    data = _docx_bytes()
    with pytest.raises(Unreadable):
        read_document(data[: int(len(data) * cut)], "http://x.gov.cn/nb.docx")


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.8])
def test_truncated_pdf_gives_a_reason_or_what_it_could_read(cut):
    data = _pdf_bytes()
    try:
        doc = read_document(data[: int(len(data) * cut)], "http://x.gov.cn/nb.pdf")
    except Unreadable as e:
        assert str(e)
    else:
        assert doc.format == "pdf"
