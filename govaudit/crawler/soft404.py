"""Soft-404 probing: one request per in-scope host for a URL that cannot exist
(its fingerprint: govaudit/extract/fingerprint.py).

The spider asks each host of a unit once for `probe_url(host_root)`; the answer is stored like any
page, with purpose Purpose.SOFT404_PROBE. link.soft-404 compares crawled pages with that answer.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit


def probe_url(url: str) -> str:
    """A random, certainly missing URL on the host of url (deep path, .html like real articles)."""
    parts = urlsplit(url)
    token = secrets.token_hex(6)
    return f"{parts.scheme}://{parts.netloc}/govaudit-{token}/{token}-notfound.html"
