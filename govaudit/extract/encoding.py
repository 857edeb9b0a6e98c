"""Decode a page by its real encoding, whatever it declares.

Order: BOM; strict UTF-8 when the page has non-ASCII bytes (valid multi-byte UTF-8 is
practically never an accident, and sites that declare GBK but serve UTF-8 are common), or UTF-8
with replacement characters when at least 4 of 5 non-ASCII characters are valid UTF-8; the
declared charset (HTTP header, then <meta>) when the bytes really decode with it; GB18030 (a superset of GB2312 and GBK, the usual undeclared Chinese encodings);
finally UTF-8 with replacement characters. GB2312/GBK declarations are read as GB18030, since
real pages declared GB2312 routinely use GBK-only characters.
"""
from __future__ import annotations

import codecs
import re

_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HEADER_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "cp936": "gb18030", "ms936": "gb18030", "euc-cn": "gb18030", "utf8": "utf-8",
            "unicode": "utf-8", "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(body: bytes, content_type: str = "") -> str | None:
    m = _HEADER_RE.search(content_type or "")
    if m and _canonical(m.group(1)):
        return _canonical(m.group(1))
    m = _META_RE.search(body[:4096])
    if m:
        return _canonical(m.group(1).decode("ascii", "ignore"))
    return None


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (text, encoding used). Never raises."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body.decode(enc, errors="replace"), enc
    tried = []
    header = _canonical((_HEADER_RE.search(content_type or "") or [None, None])[1])
    m = _META_RE.search(body[:4096])
    meta = _canonical(m.group(1).decode("ascii", "ignore")) if m else None
    utf8_first = None if body[:65536].isascii() else "utf-8"
    if utf8_first:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        if _mostly_utf8(body):  # UTF-8 with a few damaged bytes or a pasted GBK fragment
            return body.decode("utf-8", errors="replace"), "utf-8"
    for enc in (header, meta, "utf-8", "gb18030"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            text = body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "cp1252" and _looks_cjk_mojibake(body):
            continue  # a Chinese page wrongly declared latin-1
        return text, enc
    # Nothing decodes cleanly: mixed or damaged bytes. Pick the one with fewer errors.
    best = min(("utf-8", "gb18030"), key=lambda e: body.decode(e, errors="replace").count("\ufffd"))
    return body.decode(best, errors="replace"), best


def _mostly_utf8(body: bytes) -> bool:
    """At least 4 of 5 non-ASCII characters decode as valid UTF-8. GB18030 accepts nearly any
    byte pairs, so a UTF-8 page with a few bad bytes would otherwise come out as mojibake; a real
    GBK page decodes as UTF-8 into almost nothing but replacement characters."""
    text = body[:200_000].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 127) - bad
    return good >= 8 and good >= 4 * bad


def _looks_cjk_mojibake(body: bytes) -> bool:
    high = sum(1 for b in body[:20000] if b >= 0x80)
    if high < 20:
        return False
    try:
        body.decode("gb18030")
        return True
    except UnicodeDecodeError:
        try:
            body.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return False
