"""Failure reasons: every way a fetch can fail maps to the reason name findings use.
(DNS and TLS failures cannot be provoked on 127.0.0.1 without the network, so the mapping is
tested here on the exceptions Twisted and Scrapy raise.)"""
from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from twisted.internet import defer, error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from govaudit.crawler.failures import failure_reason


def _f(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


@pytest.mark.parametrize("exc,reason", [
    (error.DNSLookupError("no such host"), "dns"),
    (error.ConnectionRefusedError(), "refused"),
    (error.TimeoutError(), "timeout"),
    (error.TCPTimedOutError(), "timeout"),
    (error.SSLError(), "tls"),
    (ResponseNeverReceived([_f(error.ConnectionDone())]), "connection lost"),
    (ResponseFailed([_f(error.ConnectionLost())]), "connection lost"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots.txt"),
    (IgnoreRequest("Ignored response <200 http://x/> because its body (1000 B compressed, 9000001 B decompressed "
                   "so far) exceeded DOWNLOAD_MAXSIZE (8000000 B) during decompression."), "too large"),
    (defer.CancelledError(), "too large"),  # Scrapy cancels a body past download_maxsize without a message
    (IgnoreRequest("site time limit"), None),  # our own limits: nothing was fetched, nothing recorded
    (ValueError("odd"), "error: ValueError"),
])
def test_failure_reason(exc, reason):
    assert failure_reason(_f(exc)) == reason


def test_download_cancelled_with_size_message():
    from scrapy.core.downloader.handlers.http11 import DownloadCancelledError

    f = _f(DownloadCancelledError("Expected to receive 30000000 bytes which is larger than download max size (20000000)"))
    assert failure_reason(f) == "too large"
