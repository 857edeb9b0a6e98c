"""Soft-404 probing: one request per in-scope host for a URL that cannot exist
(its fingerprint: govaudit/extract/fingerprint.py).

The spider asks each host of a unit once for `probe_url(host_root)`; the answer is stored like any
page, with purpose Purpose.SOFT404_PROBE. link.soft-404 compares crawled pages with that answer.
"""
from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlsplit


def probe_url(url: str, seed: str | None = None) -> str:
    """A random, certainly missing URL on the host of url (deep path, .html like real articles).
    With a seed (the run and unit), the same URL for the same host: distributed workers that each
    reach the host then ask it once (the shared dupefilter drops the copies)."""
    parts = urlsplit(url)
    token = hashlib.sha256(f"{seed}|{parts.netloc}".encode()).hexdigest()[:12] if seed else secrets.token_hex(6)
    return f"{parts.scheme}://{parts.netloc}/govaudit-{token}/{token}-notfound.html"
