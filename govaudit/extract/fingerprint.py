"""Page fingerprints: is this page the same as that one? (soft-404 detection, hijacked text).

Pure text in, verdict out: the crawler stores the answers of probe URLs (crawler/soft404.py) and the
checks compare crawled pages with them.
"""
from __future__ import annotations

import difflib
import re

_DIGITS = re.compile(r"\d+")


def normalize_text(text: str) -> str:
    """Text for fingerprint comparison: whitespace folded, digits removed (dates, counters, ids)."""
    return " ".join(_DIGITS.sub("", text or "").split())


def similar(a: str, b: str, threshold: float = 0.9) -> bool:
    """Do two normalised texts look like the same page? (exact for short, ratio for long)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) / max(len(a), len(b)) < threshold:
        return False
    return difflib.SequenceMatcher(None, a[:5000], b[:5000], autojunk=False).quick_ratio() >= threshold and \
        difflib.SequenceMatcher(None, a[:3000], b[:3000], autojunk=False).ratio() >= threshold
