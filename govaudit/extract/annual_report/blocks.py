"""Any report document as one sequence of blocks: paragraphs (text) and tables (grids of cell text).

HTML, PDF and DOCX differ in how they store a merged cell; every reader here returns the same
shape so that one interpreter (`model.py`) reads all three:

- HTML: `rowspan`/`colspan` are expanded, the merged cell's text repeated in every slot it covers.
- DOCX: python-docx already repeats a merged cell in each grid slot it covers.
- PDF: pdfplumber gives None for the slots a merged cell covers; its text stays in the first slot.
  Tables split over pages are joined again when the continuation has the same width.

Limits (pages, rows, columns, seconds) stop a hostile or huge document: the reader raises
`Unreadable` with the reason, which the checks report as `not_measured`.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree

from govaudit.extract.dates import publish_date
from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse
from govaudit.extract.page import title_of
from govaudit.extract.html import text_of

LIMITS: dict[str, Any] = {
    "max_pdf_pages": 80,      # a report is 5–20 pages; longer documents are not read
    "max_seconds": 60.0,      # wall-clock budget for reading one document
    "max_rows": 400,          # per table
    "max_cols": 60,           # per table (after colspan expansion)
    "max_span": 200,          # a rowspan/colspan larger than this is clamped
    "max_bytes": 30_000_000,  # bigger documents are not read
    "max_unzipped": 100_000_000,  # DOCX: total uncompressed size of its parts (zip bombs)
    "max_zip_ratio": 200,     # DOCX: a part that inflates more than this is a bomb, not a report
}

FORMAT_NAMES = {"doc": "Word 97–2003 (.doc)", "wps": "WPS (.wps)", "ofd": "OFD (版式文件)",
                "xls": "Excel 97–2003 (.xls)", "unknown": "unknown format"}


class Unreadable(Exception):
    """The document cannot be read (format, size or limits); str() is the reason, in English."""

    def __init__(self, reason: str, fmt: str = "unknown") -> None:
        super().__init__(reason)
        self.format = fmt


@dataclass
class Para:
    text: str
    kind: str = "para"


@dataclass
class Table:
    rows: list[list[str | None]]
    kind: str = "table"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    format: str                        # html | pdf | docx | txt
    blocks: list[Para | Table] = field(default_factory=list)
    title: str = ""
    pages: int | None = None           # PDF pages
    notes: list[str] = field(default_factory=list)  # limits hit, repairs made
    published: tuple[str, str] | None = None  # (ISO date, source) of an HTML page's publish date

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


# -- format sniffing ----------------------------------------------------------------------------
def sniff(data: bytes, url: str = "", content_type: str = "") -> str:
    """html | pdf | docx | doc | wps | ofd | xls | unknown, from the bytes first, then the name."""
    head = data[:8]
    path = url.split("?", 1)[0].lower()
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return ext or "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
            return "ofd"
        return ext if ext in ("ofd", "docx") else "unknown"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file: .doc, .wps, .xls
        return ext if ext in ("doc", "wps", "xls", "et") else "doc"
    ct = (content_type or "").lower()
    markup = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"   # a page served as text/plain is still a page
    if (ext == "txt" or ct.startswith("text/plain")) and not markup or b"<" not in data[:4096] and data.strip() \
            and ext in ("html", "htm", "shtml", "jsp", "php", "asp", "aspx", ""):
        return "txt"  # text a user copied out of a page: no markup to read
    if "html" in ct or ext in ("html", "htm", "shtml", "jsp", "php", "asp", "aspx", ""):
        return "html"
    if data.lstrip()[:1] == b"<":
        return "html"
    return ext or "unknown"


def read_document(data: bytes, url: str = "", content_type: str = "",
                  limits: dict[str, Any] | None = None) -> Document:
    """Blocks of one document whatever its format; raises Unreadable with the reason."""
    lim = {**LIMITS, **(limits or {})}
    if len(data) > lim["max_bytes"]:
        raise Unreadable(f"document is {len(data)} bytes, over the limit of {lim['max_bytes']}")
    fmt = sniff(data, url, content_type)
    if fmt == "html":

        return read_html(decode_html(data, content_type)[0], lim)
    if fmt == "txt":

        return read_text(decode_html(data, content_type)[0])
    if fmt == "pdf":
        return read_pdf(data, lim)
    if fmt == "docx":
        return read_docx(data, lim)
    name = FORMAT_NAMES.get(fmt, fmt)
    raise Unreadable(f"{name} cannot be read by the audit (only HTML, PDF and DOCX are); "
                     "a reviewer must open it", fmt)


# -- plain text ---------------------------------------------------------------------------------
def read_text(text: str) -> Document:
    """One paragraph per non-empty line; the title is the first line naming a report. Tables copied
    as text (cells separated by tabs or spaces) are read from the lines by the interpreter."""
    doc = Document(format="txt")
    for line in text.splitlines():
        s = " ".join(line.replace("\t", " ").split())
        if s:
            doc.blocks.append(Para(s))
    doc.title = next((b.text for b in doc.blocks[:10] if isinstance(b, Para) and "报告" in b.text), "")
    return doc


# -- HTML ---------------------------------------------------------------------------------------
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th",
               "table", "tbody", "thead", "section", "article", "br", "blockquote", "center", "dd",
               "dt", "dl", "pre", "form", "header", "footer", "main", "hr", "caption"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "select", "option", "textarea"}


def read_html(text: str, limits: dict[str, Any] | None = None, root: etree._Element | None = None,
              meta: bool = True) -> Document:

    lim = {**LIMITS, **(limits or {})}
    if root is None:
        root = parse(text)
    doc = Document(format="html")
    if root is None:
        return doc
    if meta:  # title and publish date; callers that want just the blocks skip their cost
        doc.title = title_of(root)
        pub = publish_date(root)
        if pub is not None:
            doc.published = (pub.date.isoformat(), f"{pub.source}: {pub.raw}")
    body = root.find("body")
    start = body if body is not None else root
    buf: list[str] = []
    deadline = time.monotonic() + lim["max_seconds"]

    def flush() -> None:
        if not buf:  # called at both ends of every block element: most find nothing to flush
            return
        s = " ".join("".join(buf).split())
        buf.clear()
        if s:
            doc.blocks.append(Para(s))

    def walk(el: etree._Element) -> None:
        if time.monotonic() > deadline:
            raise Unreadable(f"reading the HTML took longer than {lim['max_seconds']} s")
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS or not tag:
            return
        if tag == "table" and el.find(".//table") is None:
            flush()
            doc.blocks.append(Table(html_grid(el, lim, doc.notes)))
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(start)
    flush()
    return doc


def _span(value: str | None, cap: int) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    n = int(m.group(1)) if m else 1
    return max(1, min(n, cap))


def html_grid(table: etree._Element, limits: dict[str, Any], notes: list[str]) -> list[list[str | None]]:
    """The table as a rectangular grid, rowspan/colspan expanded (text repeated in covered slots)."""

    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr")]
    if len(rows) > limits["max_rows"]:
        notes.append(f"table cut at {limits['max_rows']} of {len(rows)} rows")
        rows = rows[: limits["max_rows"]]
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rs = _span(cell.get("rowspan"), limits["max_span"])
            cs = _span(cell.get("colspan"), limits["max_span"])
            txt = text_of(cell)
            for dr in range(rs):
                if r + dr >= len(rows):
                    break
                for dc in range(cs):
                    if c + dc >= limits["max_cols"]:
                        break
                    grid.setdefault((r + dr, c + dc), txt)
            c += cs
            width = max(width, min(c, limits["max_cols"]))
    return [[grid.get((r, c)) for c in range(width)] for r in range(len(rows))]


# -- PDF ----------------------------------------------------------------------------------------
_PAGE_NO = re.compile(r"^[-—－\s]*(\d{1,3}|第\s*\d+\s*页(共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—－\s]*$")


def read_pdf(data: bytes, limits: dict[str, Any] | None = None) -> Document:
    import pdfplumber  # start-up cost: loaded only for a PDF/DOCX report

    lim = {**LIMITS, **(limits or {})}
    doc = Document(format="pdf")
    start = time.monotonic()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many types on broken files
        raise Unreadable(f"PDF cannot be opened ({type(e).__name__}: {e})", "pdf") from None
    with pdf:
        n = len(pdf.pages)
        doc.pages = n
        if n > lim["max_pdf_pages"]:
            raise Unreadable(f"PDF has {n} pages, over the limit of {lim['max_pdf_pages']} "
                             "(not an annual report, or a scan of many)", "pdf")
        for page in pdf.pages:
            if time.monotonic() - start > lim["max_seconds"]:
                raise Unreadable(f"reading the PDF took longer than {lim['max_seconds']} s "
                                 f"(stopped at page {page.page_number} of {n})", "pdf")
            try:
                _pdf_page(page, doc, lim)
            except Unreadable:
                raise
            except Exception as e:  # one broken page must not lose the others
                doc.notes.append(f"page {page.page_number} unreadable: {type(e).__name__}: {e}")
            finally:
                page.flush_cache()
    if not any(isinstance(b, Para) and b.text.strip() for b in doc.blocks) and not doc.tables:
        raise Unreadable("PDF has no text layer (a scanned image?); a reviewer must read it", "pdf")
    return doc


def _pdf_page(page: Any, doc: Document, lim: dict[str, Any]) -> None:
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[tuple[float, Para | Table]] = []
    for t in found:
        rows = [[(c if c is None else str(c)) for c in row][: lim["max_cols"]] for row in t.extract()]
        items.append((t.bbox[1], Table(rows[: lim["max_rows"]])))

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    for line in rest.extract_text_lines(layout=False, strip=True, return_chars=False):
        text = " ".join(line["text"].split())
        if text and not _PAGE_NO.match(text):
            items.append((line["top"], Para(text)))
    items.sort(key=lambda x: x[0])
    for i, (_, block) in enumerate(items):
        prev = doc.blocks[-1] if doc.blocks else None
        if i == 0 and isinstance(block, Table) and isinstance(prev, Table) and (
                not _has_header(block) or _same_header(block, prev)):
            # a table continued from the previous page (widths may differ: pdfplumber drops
            # columns whose lines are missing on one page; the interpreter reads rows from the right)
            prev.rows.extend(block.rows)
            doc.notes.append(f"table continued on page {page.page_number}")
            continue
        doc.blocks.append(block)


def _same_header(t: Table, prev: Table) -> bool:
    """The continuation repeats the previous table's first row (Word's 'repeat header rows')."""
    def key(row: list[str | None]) -> str:
        return "".join("".join((c or "").split()) for c in row)

    return bool(t.rows and prev.rows) and key(t.rows[0]) == key(prev.rows[0])


def _has_header(t: Table) -> bool:
    first = "".join(c or "" for c in (t.rows[0] if t.rows else []))
    return any(w in first for w in ("自然人", "申请人情况", "信息内容", "行政复议", "本列数据"))


# -- DOCX ---------------------------------------------------------------------------------------
def check_zip(data: bytes, lim: dict[str, Any]) -> None:
    """Refuse a DOCX whose parts would inflate beyond the limits, before python-docx unpacks it:
    the sizes are read from the zip's central directory, then enforced while inflating is avoided."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise Unreadable(f"DOCX cannot be opened ({type(e).__name__}: {e})", "docx") from None
    total = sum(i.file_size for i in infos)
    if total > lim["max_unzipped"]:
        raise Unreadable(f"DOCX would unpack to {total} bytes, over the limit of {lim['max_unzipped']} "
                         "(a zip bomb?)", "docx")
    for i in infos:
        if i.compress_size and i.file_size / i.compress_size > lim["max_zip_ratio"] and i.file_size > 1_000_000:
            raise Unreadable(f"DOCX part {i.filename} inflates {i.file_size // i.compress_size}× "
                             "(a zip bomb?)", "docx")


def read_docx(data: bytes, limits: dict[str, Any] | None = None) -> Document:
    import docx  # start-up cost: loaded only for a PDF/DOCX report
    from docx.table import Table as DocxTable  # start-up cost: loaded only for a PDF/DOCX report
    from docx.text.paragraph import Paragraph  # start-up cost: loaded only for a PDF/DOCX report

    lim = {**LIMITS, **(limits or {})}
    start = time.monotonic()
    check_zip(data, lim)
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, BadZipFile …
        raise Unreadable(f"DOCX cannot be opened ({type(e).__name__}: {e})", "docx") from None
    doc = Document(format="docx")
    doc.title = (d.core_properties.title or "").strip()
    for child in _docx_body(d):
        if time.monotonic() - start > lim["max_seconds"]:
            raise Unreadable(f"reading the DOCX took longer than {lim['max_seconds']} s", "docx")
        if child.tag.endswith("}p"):
            text = " ".join(Paragraph(child, d).text.split())
            if text:
                doc.blocks.append(Para(text))
        elif child.tag.endswith("}tbl"):
            t = DocxTable(child, d)
            rows: list[list[str | None]] = []
            for row in t.rows[: lim["max_rows"]]:
                rows.append([" ".join(c.text.split()) for c in row.cells][: lim["max_cols"]])
            doc.blocks.append(Table(rows))
    return doc


def _docx_body(d: Any) -> Iterator[Any]:
    """Body paragraphs and tables in document order (content controls opened)."""
    for child in d.element.body.iterchildren():
        tag = child.tag
        if tag.endswith("}sdt"):
            content = child.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sdtContent")
            if content is not None:
                yield from content.iterchildren()
        elif tag.endswith("}p") or tag.endswith("}tbl"):
            yield child


__all__ = ["Document", "Para", "Table", "Unreadable", "LIMITS", "sniff", "read_document", "read_html",
           "read_pdf", "read_docx", "html_grid"]
