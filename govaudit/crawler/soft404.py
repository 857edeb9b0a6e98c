"""Soft-404 probing: one request per in-scope host for a URL that cannot exist, and its fingerprint.

The spider asks each host of a unit once for `probe_url(host_root)`; the answer is stored like any
page, with purpose='soft404-probe'. link.soft-404 compares crawled pages with that answer.
"""
from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

PURPOSE = "soft404-probe"
_DIGITS = re.compile(r"\d+")


def probe_url(url: str) -> str:
    """A random, certainly missing URL on the host of url (deep path, .html like real articles)."""
    parts = urlsplit(url)
    token = secrets.token_hex(6)
    return f"{parts.scheme}://{parts.netloc}/govaudit-{token}/{token}-notfound.html"


def normalize_text(text: str) -> str:
    """Text for fingerprint comparison: whitespace folded, digits removed (dates, counters, ids)."""
    return " ".join(_DIGITS.sub("", text or "").split())


def similar(a: str, b: str, threshold: float = 0.9) -> bool:
    """Do two normalised texts look like the same page? (exact for short, ratio for long)."""
    if not a or not b:
        return False
    if a == b:
        return True
    import difflib

    if min(len(a), len(b)) / max(len(a), len(b)) < threshold:
        return False
    return difflib.SequenceMatcher(None, a[:5000], b[:5000], autojunk=False).quick_ratio() >= threshold and \
        difflib.SequenceMatcher(None, a[:3000], b[:3000], autojunk=False).ratio() >= threshold
