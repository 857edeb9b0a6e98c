"""The text of an attachment, whatever units publish: spreadsheets, Word/WPS, PDF, scans, images.

    from govaudit.extract.attachments import read_text
    res = read_text(body, url, content_type)   # AttachmentText(format, status, reason, pages, ocr_pages, text)

Pure in the layer's sense (bytes in, text out, no fetching); it does start local helper programs
for the formats Python cannot read: `antiword`/`catdoc` (or LibreOffice headless) for .doc/.wps,
`tesseract` with the `chi_sim` data for pages without a text layer and images.

Spreadsheet rows come out as one line each, cells separated by tabs (the personal-data detector
reads a column's header through them). A PDF page is OCR'd only when it has no text layer.
`status` is `ok`, `partial` (limits hit: some text read, the reason says what was left) or
`unreadable` (nothing read: the rules report `not_measured` for it, never `pass`).
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

LIMITS: dict[str, Any] = {
    "max_bytes": 30_000_000,       # bigger documents are not read
    "max_seconds": 120.0,          # wall-clock budget per document (OCR included)
    "max_pdf_pages": 200,          # pages of text-layer PDF read per document
    "max_ocr_pages": 10,           # pages OCR'd per document (scans, images)
    "ocr_seconds": 60.0,           # per OCR'd page (5–16 s on 2 shared cores)
    "ocr_dpi": 200,
    "max_rows": 20000,             # spreadsheet rows read per document (all sheets)
    "max_cells": 400_000,
    "max_chars": 2_000_000,        # text kept per document
    "max_unzipped": 200_000_000,   # OOXML: total uncompressed size (zip bombs)
    "max_zip_ratio": 200,          # OOXML: a part inflating more than this is a bomb
    "max_image_pixels": 40_000_000,
    "tool_seconds": 30.0,          # antiword/catdoc/soffice per document
}

IMAGE_EXTS = ("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff")
FORMATS = ("xlsx", "xls", "et", "csv", "docx", "doc", "wps", "pdf", "image", "txt")


class Unreadable(Exception):
    """Nothing could be read; str() is the reason (English, for logs and data)."""


@dataclass
class AttachmentText:
    format: str
    status: str = "ok"               # ok | partial | unreadable
    reason: str = ""
    pages: int = 0                   # PDF pages / sheets / images
    ocr_pages: int = 0
    text: str = ""
    notes: list[str] = field(default_factory=list)
    transient: bool = False          # incomplete for a reason of this run (OCR cap, time, no tesseract): re-read later


def _ext(url: str) -> str:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1] if "." in last else ""


def sniff(data: bytes, url: str = "", content_type: str = "") -> str:
    """xlsx | xls | et | csv | docx | doc | wps | pdf | image | txt | html | unknown — bytes first."""
    ext = _ext(url)
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "unknown"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: .doc/.wps (WordDocument stream) or .xls/.et (Workbook)
        if "W\x00o\x00r\x00k\x00b\x00o\x00o\x00k".encode("latin-1") in data[:200_000] or ext in ("xls", "et"):
            return "et" if ext == "et" else "xls"
        return "wps" if ext == "wps" else "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return "image"
    ct = (content_type or "").lower()
    if ext == "csv" or "csv" in ct:
        return "csv"
    if ext == "txt" or ct.startswith("text/plain"):
        return "txt"
    if "html" in ct or data.lstrip()[:1] == b"<":
        return "html"
    return ext if ext in FORMATS else "unknown"


def read_text(data: bytes, url: str = "", content_type: str = "", limits: dict[str, Any] | None = None,
              ocr_budget: int | None = None) -> AttachmentText:
    """The text of one attachment; never raises (an unreadable document says why).
    `ocr_budget`: pages the caller still allows OCR for (the per-run cap), None = no run cap."""
    lim = {**LIMITS, **(limits or {})}
    fmt = sniff(data, url, content_type)
    res = AttachmentText(format=fmt)
    if len(data) > lim["max_bytes"]:
        return _unreadable(res, f"document is {len(data)} bytes, over the limit of {lim['max_bytes']}")
    if not data:
        return _unreadable(res, "empty document")
    deadline = time.monotonic() + lim["max_seconds"]
    try:
        if fmt in ("xlsx", "xls", "et"):
            _read_sheets(data, fmt, res, lim)
        elif fmt == "csv":
            _read_csv(data, res, lim)
        elif fmt == "txt":
            res.text = _decode(data)
        elif fmt == "docx":
            _read_docx(data, res, lim)
        elif fmt in ("doc", "wps"):
            _read_doc(data, fmt, res, lim)
        elif fmt == "pdf":
            _read_pdf(data, res, lim, deadline, ocr_budget)
        elif fmt == "image":
            _read_image(data, res, lim, ocr_budget)
        else:
            raise Unreadable(f"format {fmt!r} is not read (HTML pages are read as pages; OFD, archives and "
                             "presentations are not)")
    except Unreadable as e:
        return _unreadable(res, str(e))
    except Exception as e:  # a reader bug or a pathological file must not sink the audit
        return _unreadable(res, f"the document could not be parsed ({type(e).__name__}: {e})")
    if len(res.text) > lim["max_chars"]:
        res.text = res.text[: lim["max_chars"]]
        _partial(res, f"text cut at {lim['max_chars']} characters")
    if not res.text.strip() and res.status == "ok":
        return _unreadable(res, "no text in the document")
    if not res.text.strip():
        res.status = "unreadable"
    return res


def _unreadable(res: AttachmentText, reason: str) -> AttachmentText:
    res.status, res.reason, res.text = "unreadable", reason, ""
    return res


def _partial(res: AttachmentText, reason: str) -> None:
    res.status = "partial"
    res.reason = "; ".join(x for x in (res.reason, reason) if x)


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))  # 13812345678.0 → 13812345678 (a float above 1e15 has lost digits anyway)
    return " ".join(str(v).split())


def _check_zip(data: bytes, lim: dict[str, Any]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        total = 0
        for info in z.infolist():
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > lim["max_zip_ratio"] \
                    and info.file_size > 1_000_000:
                raise Unreadable(f"part {info.filename} inflates {info.file_size // info.compress_size}× (zip bomb)")
        if total > lim["max_unzipped"]:
            raise Unreadable(f"parts inflate to {total} bytes, over the limit of {lim['max_unzipped']}")


# -- spreadsheets -------------------------------------------------------------------------------
def _read_sheets(data: bytes, fmt: str, res: AttachmentText, lim: dict[str, Any]) -> None:
    if fmt == "xlsx":
        _check_zip(data, lim)
    try:
        from python_calamine import CalamineWorkbook  # optional: reads xlsx, xls and et in one library
    except ImportError:
        CalamineWorkbook = None
    lines: list[str] = []
    rows = cells = 0
    if CalamineWorkbook is not None:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]
    elif fmt == "xlsx":
        import openpyxl  # fallback when python-calamine is absent

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = [(ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets]
    else:
        raise Unreadable(f"{fmt} needs python-calamine, which is not installed")
    for name, table in sheets:
        res.pages += 1
        lines.append(f"【{name}】")
        for row in table:
            rows += 1
            cells += len(row)
            if rows > lim["max_rows"] or cells > lim["max_cells"]:
                _partial(res, f"spreadsheet cut at {lim['max_rows']} rows / {lim['max_cells']} cells")
                res.text = "\n".join(lines)
                return
            vals = [_cell(v) for v in row]
            if any(vals):
                lines.append("\t".join(vals))
    res.text = "\n".join(lines)


def _read_csv(data: bytes, res: AttachmentText, lim: dict[str, Any]) -> None:
    lines = []
    for i, row in enumerate(csv.reader(io.StringIO(_decode(data)))):
        if i >= lim["max_rows"]:
            _partial(res, f"CSV cut at {lim['max_rows']} rows")
            break
        lines.append("\t".join(" ".join(c.split()) for c in row))
    res.pages = 1
    res.text = "\n".join(lines)


# -- Word and WPS -------------------------------------------------------------------------------
def _read_docx(data: bytes, res: AttachmentText, lim: dict[str, Any]) -> None:
    import docx  # python-docx: imported here only because the other formats do not need it (start-up)

    _check_zip(data, lim)
    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs if p.text.strip()]
    for t in d.tables:
        for row in t.rows:
            vals = [" ".join(c.text.split()) for c in row.cells]
            lines.append("\t".join(vals))
    res.pages = 1
    res.text = "\n".join(lines)


def _run(cmd: list[str], seconds: float) -> str:
    """Run a helper program in its own process group: on timeout the whole group is killed
    (soffice is a wrapper script whose soffice.bin would otherwise outlive it)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    if proc.returncode != 0:
        raise Unreadable(f"{cmd[0]} failed ({proc.returncode}): {err.decode('utf-8', 'replace')[:200]}")
    return out.decode("utf-8", "replace")


def _read_doc(data: bytes, fmt: str, res: AttachmentText, lim: dict[str, Any]) -> None:
    """Binary Word/WPS: antiword, then catdoc, then LibreOffice headless (slowest, reads most)."""
    res.pages = 1
    with tempfile.TemporaryDirectory(prefix="govaudit-doc-") as tmp:
        src = Path(tmp) / f"in.{fmt}"
        src.write_bytes(data)
        errors = []
        for cmd in (["antiword", "-m", "UTF-8.txt", str(src)], ["catdoc", "-d", "utf-8", "-w", str(src)]):
            if not shutil.which(cmd[0]):
                continue
            try:
                text = _run(cmd, lim["tool_seconds"])
            except (Unreadable, subprocess.TimeoutExpired) as e:
                errors.append(str(e)[:120])
                continue
            if text.strip():
                res.text = text
                return
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            try:
                _run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                      "txt:Text (encoded):UTF8", "--outdir", tmp, str(src)], lim["tool_seconds"] * 2)
            except (Unreadable, subprocess.TimeoutExpired) as e:
                errors.append(str(e)[:120])
            out = Path(tmp) / "in.txt"
            if out.exists():
                res.text = _decode(out.read_bytes())
                return
        raise Unreadable(f"{fmt} could not be converted to text ({'; '.join(errors) or 'no converter installed'})")


# -- PDF and OCR ----------------------------------------------------------------------------------
def tesseract_available() -> bool:
    """tesseract is installed with the chi_sim data."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "chi_sim" in (langs.stdout + langs.stderr).decode("utf-8", "replace")


def ocr_image(png: bytes, seconds: float = 30.0) -> str:
    """Text of one image by tesseract (chi_sim + eng); Chinese comes out with spaces between
    characters, which are removed."""
    with tempfile.TemporaryDirectory(prefix="govaudit-ocr-") as tmp:
        src = Path(tmp) / "page.png"
        src.write_bytes(png)
        text = _run(["tesseract", str(src), "stdout", "-l", "chi_sim+eng", "--psm", "6"], seconds)
    return _join_cjk(text)


def _join_cjk(text: str) -> str:
    # tesseract separates every CJK glyph by a space, and digits from them: join them back
    text = re.sub(r"(?<=[\u4e00-\u9fff\uff00-\uffef])[ \t]+(?=[\u4e00-\u9fff\uff00-\uffef0-9])", "", text)
    return re.sub(r"(?<=[0-9])[ \t]+(?=[\u4e00-\u9fff\uff00-\uffef])", "", text)


def _read_pdf(data: bytes, res: AttachmentText, lim: dict[str, Any], deadline: float,
              ocr_budget: int | None) -> None:
    """The text layer by pdfium (pdfplumber's own engine, ≈ 30× faster than pdfplumber's layout
    analysis, which only tables need); pages without text but with images are OCR'd."""
    parts: list[str] = []
    no_text: list[int] = []
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        raise Unreadable(f"not a readable PDF ({e})") from e
    try:
        res.pages = len(pdf)
        for i in range(res.pages):
            if i >= lim["max_pdf_pages"]:
                _partial(res, f"read {lim['max_pdf_pages']} of {res.pages} pages")
                break
            if time.monotonic() > deadline:
                _partial(res, f"time limit of {lim['max_seconds']} s reached at page {i + 1}")
                res.transient = True
                break
            page = pdf[i]
            text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            if len(text.strip()) < 10 and any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])):
                no_text.append(i)
                parts.append("")
            else:
                parts.append(text)
    finally:
        pdf.close()
    if no_text:
        _ocr_pdf_pages(data, no_text, parts, res, lim, deadline, ocr_budget)
    res.text = "\n".join(p for p in parts if p)


def _ocr_pdf_pages(data: bytes, pages: list[int], parts: list[str], res: AttachmentText, lim: dict[str, Any],
                   deadline: float, ocr_budget: int | None) -> None:
    if not tesseract_available():
        _partial(res, f"{len(pages)} scanned page(s) not read: tesseract with chi_sim is not installed")
        res.transient = True
        return
    cap = lim["max_ocr_pages"] if ocr_budget is None else min(lim["max_ocr_pages"], ocr_budget)
    pdf = pypdfium2.PdfDocument(data)
    try:
        for n, i in enumerate(pages):
            if n >= cap or time.monotonic() > deadline:
                _partial(res, f"{len(pages) - n} scanned page(s) not OCR'd (page cap {cap} or time limit)")
                res.transient = cap < lim["max_ocr_pages"] or time.monotonic() > deadline
                break
            w, h = pdf[i].get_size()  # points; a hostile page can be metres wide: cap the bitmap's pixels
            scale = min(lim["ocr_dpi"] / 72, (lim["max_image_pixels"] / max(1.0, w * h)) ** 0.5)
            bitmap = pdf[i].render(scale=scale)
            img = bitmap.to_pil()
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            try:
                parts[i] = ocr_image(buf.getvalue(), lim["ocr_seconds"])
            except (Unreadable, subprocess.TimeoutExpired) as e:
                _partial(res, f"OCR of page {i + 1} failed ({str(e)[:80]})")
                res.transient = True
                continue
            res.ocr_pages += 1
    finally:
        pdf.close()


def _read_image(data: bytes, res: AttachmentText, lim: dict[str, Any], ocr_budget: int | None) -> None:
    from PIL import Image  # Pillow: only images need it

    res.pages = 1
    if not tesseract_available() or (ocr_budget is not None and ocr_budget <= 0):
        res.transient = True
        raise Unreadable("an image is read by OCR, and tesseract with chi_sim is not installed"
                         if not tesseract_available() else "the run's OCR page cap was reached")
    with Image.open(io.BytesIO(data)) as img:
        if img.width * img.height > lim["max_image_pixels"]:
            raise Unreadable(f"image of {img.width}×{img.height} pixels is over the limit (decompression bomb?)")
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="PNG")
    res.text = ocr_image(buf.getvalue(), lim["ocr_seconds"])
    res.ocr_pages = 1
