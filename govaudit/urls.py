"""URL normalisation shared by the crawler (dedup) and the checks (joins).

Resolution follows what browsers do (WHATWG URL standard) where Python's urljoin differs in a way
that matters for auditing: an href with an empty authority (``http://``) is a malformed link, not
a link to the page itself. Nothing here raises on hostile input.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"
DEFAULT_PORTS = {"http": 80, "https": 443}
NOT_FETCHABLE = ("javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "clsid:", "vbscript:")
_EMPTY_AUTHORITY = re.compile(r"^https?://(?=[/?#]|$)", re.I)
_HOST_OK = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,62})?\.?)+$|^\[[0-9a-f:.]+\]$", re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_URL = 8192


def normalize(url: str) -> str:
    """Canonical form for dedup and joins: lower-case scheme/host, no default port,
    no fragment, percent-encoded non-ASCII path/query, '/' for an empty path.
    Never raises: a URL it cannot parse comes back stripped but otherwise as given.
    Memoised (bounded): the checks normalise the same few thousand URLs millions of times."""
    return _normalize(url)


@lru_cache(maxsize=1 << 16)
def _normalize(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return url.split("#", 1)[0]
        host = (parts.hostname or "").lower()
        try:
            host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
        except UnicodeError:
            pass
        if ":" in host:  # IPv6 literal: keep its brackets
            host = f"[{host}]"
        port = parts.port
        netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
        if parts.username:
            netloc = f"{quote(parts.username, safe=_SAFE_PATH.replace('@', '').replace('/', ''))}@{netloc}"
        path = quote(parts.path or "/", safe=_SAFE_PATH)
        query = quote(parts.query, safe=_SAFE_QUERY)
        return urlunsplit((scheme, netloc, path, query, ""))
    except ValueError:  # includes UnicodeError (lone surrogates, bad IDNA labels)
        return url.split("#", 1)[0]


def absolute(base: str, href: str) -> str | None:
    """Resolve href against base; None for hrefs that are not fetchable links (javascript:,
    mailto:, fragments of the same page …). A malformed http(s) href comes back as written, so
    that it is recorded and reported, never silently dropped (see invalid_reason)."""
    href = href.strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href.startswith("#"):
        return None
    low = href.lower()
    if low.startswith(NOT_FETCHABLE):
        return None
    if _EMPTY_AUTHORITY.match(href):
        return href
    fast = _fast_join(base, href)
    if fast is not None:
        return fast
    try:
        return urljoin(base, href)
    except ValueError:
        return href if is_http(href) else None


def _fast_join(base: str, href: str) -> str | None:
    """urljoin's answer for the two commonest hrefs, without its cost (pages with 100,000 links):
    absolute http(s) URLs and root-relative paths, when they hold no dot segment."""
    if "/." in href or "\\" in href or ";" in href or "?#" in href or href.endswith(("?", "#")):
        return None  # dot segments to remove, empty query or fragment to drop: urljoin's work
    if href.startswith(("http://", "https://")):
        rest = href.split("://", 1)[1]
        return href if rest[:1] not in ("", "/", "?", "#") and "/" in rest else None
    if href.startswith("/") and not href.startswith("//"):
        origin = _origin(base)
        return origin + href if origin else None
    return None


@lru_cache(maxsize=1024)
def _origin(base: str) -> str | None:
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc and "@" not in parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def invalid_reason(url: str) -> str | None:
    """Why an absolute http(s) URL cannot be requested ('malformed URL: …'), or None when it can."""
    if len(url) > MAX_URL:
        return f"malformed URL: longer than {MAX_URL} characters"
    if _CONTROL.search(url):
        return "malformed URL: control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        return f"malformed URL: {e}"
    if parts.scheme.lower() not in ("http", "https"):
        return "unsupported scheme"
    host = parts.hostname or ""
    if not host:
        return "malformed URL: no host"
    if port == 0:
        return "malformed URL: port 0"
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return "malformed URL: invalid international host name"
    if ":" in host:
        host = f"[{host}]"
    if len(host) > 253 or not _HOST_OK.match(host) or ".." in host or host.startswith("."):
        return "malformed URL: invalid host"
    return None


@lru_cache(maxsize=65536)  # pure, and called for every link of every page with few distinct URLs
def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def in_domains(host: str, domains: set[str] | list[str]) -> bool:
    """host equals or is a subdomain of any entry ('*.gov.cn' and 'gov.cn' both mean the suffix)."""
    host = host.lower().rstrip(".")
    for d in domains:
        d = d.lower().lstrip("*").lstrip(".")
        if host == d or host.endswith("." + d):
            return True
    return False
