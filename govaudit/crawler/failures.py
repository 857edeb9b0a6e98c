"""Map a failed request to the reason names that findings use."""
from __future__ import annotations

from twisted.python.failure import Failure
from scrapy.exceptions import IgnoreRequest

# (substring of an exception class name in the cause chain, reason); first match wins
_BY_NAME = (
    ("CannotResolveHost", "dns"), ("DNSLookup", "dns"),
    ("ConnectionRefused", "refused"),
    ("Timeout", "timeout"), ("TimedOut", "timeout"),
    ("SSL", "tls"), ("TLS", "tls"), ("Certificate", "tls"),
    ("DataLoss", "incomplete response"),
    ("ConnectionLost", "connection lost"), ("ConnectionDone", "connection lost"),
    ("ResponseNeverReceived", "connection lost"),
    ("UnsupportedURLScheme", "unsupported scheme"),
)


def failure_reason(failure: Failure) -> str | None:
    """'dns', 'refused', 'timeout', 'tls', 'too large', 'connection lost', …; None when the
    request was dropped on purpose (a limit decided, nothing was fetched). robots.txt
    exclusions come back as 'robots.txt' so they are recorded but never judged broken."""
    exc: BaseException | None = failure.value
    if isinstance(exc, IgnoreRequest):
        text = str(exc).lower()
        if "robots" in text:
            return "robots.txt"
        if "maxsize" in text:  # HttpCompressionMiddleware: a compression bomb stopped mid-inflate
            return "too large"
        return None
    chain: list[BaseException] = []
    todo: list[BaseException] = [exc] if exc is not None else []
    while todo and len(chain) < 20:
        e = todo.pop(0)
        chain.append(e)
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        # Twisted's ResponseFailed carries the real reasons as a list of failures
        todo.extend(f.value for f in getattr(e, "reasons", None) or [] if isinstance(f, Failure))
    text = " ".join(str(e) for e in chain).lower()
    names = " ".join(type(e).__name__ for e in chain)
    if "maxsize" in text or "max size" in text or "larger than download" in text:
        return "too large"
    if "ssl" in text or "certificate" in text or "tlsv1" in text:
        return "tls"
    for frag, reason in _BY_NAME:
        if frag in names:
            return reason
    if "DownloadCancelled" in names or "CancelledError" in names:
        # Scrapy cancels a body that grows past download_maxsize and only logs the size; timeouts
        # come back as TimeoutError and our own limits as IgnoreRequest, so a bare cancel is the cap.
        return "too large"
    if "DownloadFailed" in names or "ResponseFailed" in names:
        return "connection lost"
    return f"error: {type(chain[0]).__name__}"
