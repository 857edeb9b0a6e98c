"""URL normalisation shared by the crawler (dedup) and the checks (joins)."""
from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit, urlunsplit

_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize(url: str) -> str:
    """Canonical form for dedup and joins: lower-case scheme/host, no default port,
    no fragment, percent-encoded non-ASCII path/query, '/' for an empty path.
    Never raises: a URL it cannot parse comes back stripped but otherwise as given."""
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
        port = parts.port
        netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        path = quote(parts.path or "/", safe=_SAFE_PATH)
        query = quote(parts.query, safe=_SAFE_QUERY)
        return urlunsplit((scheme, netloc, path, query, ""))
    except ValueError:
        return url.split("#", 1)[0]


def absolute(base: str, href: str) -> str | None:
    """Resolve href against base; None for hrefs that are not fetchable links."""
    href = href.strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href.startswith("#"):
        return None
    low = href.lower()
    if low.startswith(("javascript:", "mailto:", "tel:", "data:", "about:", "sms:")):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


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
