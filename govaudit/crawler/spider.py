"""The audit spider: breadth-first over each unit's portal, every link target checked once.

Redirects are followed here, not by Scrapy's middleware, so that every hop, loops and overlong
chains are recorded exactly. URLs are de-duplicated here (per unit for pages, per run for
external targets) before a Request is built, so the ~60 links of a page never travel through
the scheduler's fingerprinting and the middleware chain twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
from typing import Any, AsyncIterator, Iterator

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from govaudit.crawler.extensions import stop_after_headers
from govaudit.crawler.failures import failure_reason
from govaudit.crawler.render import (extra_requests, list_render_requests, render_failed_item, render_item,
                            rendered_list_items)
from govaudit.crawler.scope import UnitState, strip_session
from govaudit.extract.columns import PLATFORM_TEXT
from govaudit.extract.linkclass import classify, priority
from govaudit.extract.page import view_page
from govaudit.model import CONTENT_PURPOSES, UNCOUNTED_PURPOSES, Purpose, Unit
from govaudit.urls import host_of, in_domains, invalid_reason, is_http, normalize

log = logging.getLogger("govaudit.crawl")

MAX_REDIRECTS = 10
BLOCKED_STATUSES = {401, 403, 429, 999}
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9",
}
HTML_TYPES = ("text/html", "application/xhtml")
# failures of requests cut short by an interrupt: not broken links (the download was stopped by us)
INTERRUPTED_REASONS = {"timeout", "connection lost", "too large", "incomplete response"}


def is_attachment(url: str, extensions: tuple[str, ...]) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith(extensions)


class AuditSpider(scrapy.Spider):
    name = "govaudit"
    custom_settings: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "AuditSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(stop_after_headers, signal=scrapy.signals.headers_received)
        return spider

    def __init__(self, units: list[Unit], run_id: str, limits: dict[str, dict[str, Any]],
                 attachment_extensions: tuple[str, ...] = (".pdf",), **kw: Any) -> None:
        super().__init__(**kw)
        self.run_id = run_id
        self.states = {u.id: UnitState(u, limits[u.id]) for u in units}
        self.attachment_extensions = tuple(attachment_extensions)
        self.external_seen: set[str] = set()
        self.counts = {"pages": 0, "errors": 0, "checks": 0}
        self._canon_memo: dict[str, tuple[str, str | None]] = {}
        self.interrupted: str | None = None  # SIGINT/SIGTERM received (crawler/extensions.Interrupt)

    # -- requests ---------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for st in self.states.values():
            url = normalize(st.unit.url)
            st.seen.add(url)
            st.requested += 1
            yield self.make_request(url, st, depth=0, purpose=Purpose.HOME, referer=None, cls="home", budget=True)

    def make_request(self, url: str, st: UnitState, depth: int, purpose: str, referer: str | None,
                 method: str = "GET", chain: list[tuple[str, int]] | None = None, **meta: Any) -> scrapy.Request:
        limits = st.limits
        headers = dict(meta.pop("headers", {}) or {})
        if referer:
            headers.setdefault("Referer", referer)
        cls = meta.get("cls")
        st.queued(cls, 1, depth)  # answered in parse/failed; what is left when the crawl stops was not reached
        return scrapy.Request(
            url, method=method, callback=self.parse, errback=self.failed, dont_filter=True,
            headers=headers or None,
            # the pages the rules look for first, then breadth-first (extract/linkclass.py)
            priority=priority(cls, depth) if cls else -depth,
            meta={"unit": st.unit.id, "depth": depth, "purpose": purpose, "referer": referer,
                  "chain": chain or [], "dont_redirect": True, "handle_httpstatus_all": True,
                  "download_timeout": limits["timeout"], "download_maxsize": limits["max_bytes"],
                  "download_warnsize": 0, "started_at": time.time(), **meta})

    def _schedule(self, st: UnitState, url: str, depth: int, referer: str,
                  text: str = "", parent: str | None = None) -> scrapy.Request | dict[str, Any] | None:
        """Decide what to do with one link target found on an in-scope page: a request, a
        failure record (a malformed URL cannot be requested, but it is a broken link), or None."""
        if not is_http(url):
            return None
        url, bad = self._canon(url)
        if bad:
            return self._invalid_item(st, url, depth, referer, bad)
        if st.in_scope(url):
            if url in st.seen:
                return None
            st.seen.add(url)
            attachment = is_attachment(url, self.attachment_extensions)
            cls = classify(text, url, parent)
            if not st.admit(url, depth, is_page=not attachment, cls=cls):
                return None
            if attachment:
                wanted = any(p in text or p in url.lower() for p in st.limits["fetch_attachments"])
                return self.make_request(url, st, depth, Purpose.ATTACHMENT if wanted else Purpose.CHECK, referer,
                                     method="GET" if wanted else "HEAD", cls=cls, budget=True)
            return self.make_request(url, st, depth, Purpose.PAGE, referer, cls=cls, budget=True)
        if not st.limits["check_external"] or url in self.external_seen:
            return None
        if st.limits["skip_hosts"] and in_domains(host_of(url), st.limits["skip_hosts"]):
            return None
        self.external_seen.add(url)
        return self.make_request(url, st, depth, Purpose.CHECK, referer, method="HEAD", external=True)

    def _invalid_item(self, st: UnitState, url: str, depth: int, referer: str, reason: str) -> dict[str, Any] | None:
        key = "invalid " + url
        if key in self.external_seen:
            return None
        self.external_seen.add(key)
        item = {"kind": "page", "run_id": self.run_id, "unit_id": st.unit.id, "url": url, "final_url": url,
                "redirects": None, "status": None, "reason": reason, "method": None, "purpose": Purpose.CHECK,
                "headers": None, "content_type": None, "size": None, "sha256": None, "body": None,
                "encoding": None, "title": None, "fetched_at": _now(), "elapsed": 0.0, "depth": depth,
                "referer": referer, "links": []}
        self._count(st, item)
        return item

    # -- responses --------------------------------------------------------------------------
    def parse(self, response: Response, **_: Any) -> Iterator[Any]:
        meta = response.meta
        st = self.states[meta["unit"]]
        st.queued(meta.get("cls"), -1, meta.get("depth"))
        status = response.status
        location = response.headers.get(b"Location")
        if 300 <= status < 400 and location:
            yield from self._redirect(response, st, location.decode("latin-1"))
            return
        if meta.get("method_fallback") is None and response.request.method == "HEAD" and (
                status >= 400 or status in (405, 501)):
            # Many servers mishandle HEAD: ask again with GET before calling the target broken.
            yield self._retry(response, st, method="GET", method_fallback=True)
            return
        if meta.get("external") and status in BLOCKED_STATUSES and not meta.get("browser_retry"):
            yield self._retry(response, st, method="GET", browser_retry=True, headers=BROWSER_HEADERS)
            return
        if meta["purpose"] == Purpose.RENDER:  # a rendered page (crawler/render.py): verdicts, not a fetch
            yield render_item(self, st, response)
            if meta.get("list_render"):  # and, for a script-filled list, the DOM the browser built
                yield from rendered_list_items(self, st, response)
            return
        item = self.page_item(response, st)
        if meta["purpose"] in (*CONTENT_PURPOSES, Purpose.ATTACHMENT) and meta.get("cls"):
            self._reached(st, meta["cls"], ok=status < 400)
        if meta.get("over_max_bytes"):
            st.hit("max_bytes")
        if meta["purpose"] in UNCOUNTED_PURPOSES:  # probes, title checks: stored as answered, not parsed, not errors
            item["links"] = []
            yield item
            return
        content_type = item["content_type"] or ""
        parse_it = (meta["purpose"] in CONTENT_PURPOSES and status < 300
                    and st.in_scope(response.url) and self._looks_html(content_type, response.body)
                    # a deep link redirected to the home page is not a second copy of the home page
                    and not (meta["chain"] and meta["purpose"] == Purpose.PAGE
                             and normalize(response.url) == normalize(st.unit.url)))
        links: list[dict[str, Any]] = []
        if parse_it:
            view = view_page(response.body, response.url, content_type)
            item["encoding"], item["title"] = view.encoding, view.title[:500]
            yield from self.follow(st, view, response.url, meta["depth"], links, home=meta["purpose"] == Purpose.HOME,
                                   parent=meta.get("cls"))
            yield from extra_requests(self, st, response, links)
            if meta["purpose"] == Purpose.PAGE:
                yield from list_render_requests(self, st, response, view, links)
        item["links"] = links
        self._count(st, item)
        yield item

    def follow(self, st: UnitState, view: Any, page_url: str, depth: int, links: list[dict[str, Any]],
               home: bool = False, known: set[str] | None = None, parent: str | None = None) -> Iterator[Any]:
        """Record the links of a parsed page into `links` and yield what to fetch next. Links
        whose target is in `known` (already stored for this page) are skipped."""
        found = view.links
        cap = st.limits.get("max_links_per_page") or 0
        if cap and len(found) > cap:
            st.hit("max_links_per_page")
            log.info("%s: %s has %d links; only the first %d are read", st.unit.id, page_url, len(found), cap)
            found = found[:cap]
        for ln in found:
            target = self._canon(ln.url)[0] if is_http(ln.url) else ln.url
            if known is not None and target in known:
                continue
            external = is_http(ln.url) and not st.in_scope(ln.url)
            if home and external and PLATFORM_TEXT.search(ln.text or ""):
                # The disclosure platform often lives on its own host: bring it into scope.
                st.hosts.add(host_of(ln.url))
                log.info("%s: disclosure platform host %s added to scope", st.unit.id, host_of(ln.url))
                external = False
            links.append({"target": target, "raw": ln.raw[:2000], "tag": ln.tag, "attr": ln.attr,
                          "text": ln.text, "hints": ln.hints or None, "external": int(external)})
            req = self._schedule(st, ln.url, depth + 1, page_url, ln.text or "", parent)
            if req is not None:
                yield req

    def _redirect(self, response: Response, st: UnitState, location: str) -> Iterator[Any]:
        meta = response.meta
        chain = [*meta["chain"], (response.url, response.status)]
        target = normalize(response.urljoin(location.strip()))
        reason = None
        if target in {normalize(u) for u, _ in chain}:
            reason = "redirect loop"
        elif len(chain) > MAX_REDIRECTS:
            reason = "too many redirects"
        elif not is_http(target):
            reason = "redirect to unsupported scheme"
        elif invalid_reason(target):
            reason = f"redirect to {invalid_reason(target)}"
        if reason:
            item = self.page_item(response, st, chain=chain, reason=reason)
            item["status"] = None
            item["links"] = []
            self._count(st, item)
            yield item
            return
        purpose = meta["purpose"]
        if purpose in CONTENT_PURPOSES and not st.in_scope(target):
            purpose = Purpose.CHECK  # a page that leaves the site is checked, not crawled
        if st.in_scope(target):
            st.seen.add(target)
        keep = {k: meta[k] for k in ("external", "browser_retry", "method_fallback", "cls") if k in meta}
        yield self.make_request(target, st, meta["depth"], purpose, meta.get("referer"),
                            method=response.request.method, chain=chain, **keep)

    def _retry(self, response: Response, st: UnitState, method: str, **extra: Any) -> scrapy.Request:
        meta = response.meta
        keep = {k: meta[k] for k in ("external", "browser_retry", "method_fallback", "cls") if k in meta}
        keep.update(extra)
        return self.make_request(meta["chain"][0][0] if meta["chain"] else response.url, st, meta["depth"],
                             meta["purpose"], meta.get("referer"), method=method, **keep)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        st = self.states[meta["unit"]]
        st.queued(meta.get("cls"), -1, meta.get("depth"))
        reason = failure_reason(failure)
        if reason is None or self.interrupted and reason in INTERRUPTED_REASONS:
            # dropped on purpose (limits), or cut short by Ctrl-C: not a fetch result, not reached
            st.drop(meta.get("cls"), meta.get("depth"))
            return
        if meta["purpose"] == Purpose.RENDER:
            yield render_failed_item(self, st, request, reason, failure)
            return
        if request.method == "HEAD" and meta.get("method_fallback") is None and reason not in ("dns",):
            yield self.make_request(meta["chain"][0][0] if meta["chain"] else request.url, st, meta["depth"],
                                meta["purpose"], meta.get("referer"), method="GET",
                                method_fallback=True, **({"external": True} if meta.get("external") else {}),
                                **({"cls": meta["cls"]} if meta.get("cls") else {}))
            return
        chain = meta["chain"]
        item = {
            "kind": "page", "run_id": self.run_id, "unit_id": st.unit.id,
            "url": normalize(chain[0][0]) if chain else normalize(request.url),
            "final_url": request.url, "redirects": [list(c) for c in chain] or None, "status": None,
            "reason": reason, "method": request.method, "purpose": meta["purpose"], "headers": None,
            "content_type": None, "size": None, "sha256": None, "body": None, "encoding": None,
            "title": None, "fetched_at": _now(), "elapsed": round(time.time() - meta["started_at"], 3),
            "depth": meta["depth"], "referer": meta.get("referer"), "links": [],
        }
        if meta["purpose"] not in UNCOUNTED_PURPOSES:  # a failed probe is an answer, not a crawl error
            self._count(st, item)
        if meta["purpose"] in (*CONTENT_PURPOSES, Purpose.ATTACHMENT) and meta.get("cls"):
            self._reached(st, meta["cls"], ok=False)
        yield item

    # -- helpers ----------------------------------------------------------------------------
    def _canon(self, url: str) -> tuple[str, str | None]:
        """(normalised URL, why it cannot be requested or None) of an http(s) link target.
        Memoised: the same nav and footer links recur on every page of a site."""
        hit = self._canon_memo.get(url)
        if hit is None:
            norm = normalize(strip_session(url))
            hit = (norm, invalid_reason(norm))
            if len(self._canon_memo) >= 200_000:  # bounded: a huge crawl must not grow it forever
                self._canon_memo.clear()
            self._canon_memo[url] = hit
        return hit

    def page_item(self, response: Response, st: UnitState, chain: list[tuple[str, int]] | None = None,
                   reason: str | None = None) -> dict[str, Any]:
        meta = response.meta
        chain = chain if chain is not None else meta["chain"]
        stopped = "download_stopped" in response.flags  # crawler.extensions.stop_after_headers
        body = response.body if response.request.method != "HEAD" and not stopped else b""
        headers = {k.decode("latin-1"): v[0].decode("latin-1", "replace") for k, v in response.headers.items() if v}
        size = len(body) if response.request.method != "HEAD" and not stopped else _int(headers.get("Content-Length"))
        return {
            "kind": "page", "run_id": self.run_id, "unit_id": st.unit.id,
            "url": normalize(chain[0][0]) if chain else normalize(response.url),
            "final_url": response.url, "redirects": [list(c) for c in chain] or None,
            "status": response.status, "reason": reason, "method": response.request.method,
            "purpose": meta["purpose"], "headers": headers,
            "content_type": headers.get("Content-Type", ""), "size": size,
            "sha256": hashlib.sha256(body).hexdigest() if body else None, "body": body or None,
            "encoding": None, "title": None, "fetched_at": _now(),
            "elapsed": round(time.time() - meta["started_at"], 3), "depth": meta["depth"],
            "referer": meta.get("referer"),
            **({"note": f"body not downloaded: {meta['over_max_bytes']} bytes is over max_bytes"}
               if meta.get("over_max_bytes") else {}),
        }

    @staticmethod
    def _looks_html(content_type: str, body: bytes) -> bool:
        ct = content_type.lower()
        if any(t in ct for t in HTML_TYPES):
            return True
        if not ct:
            head = body[:512].lstrip().lower()
            return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))
        return False

    @staticmethod
    def _reached(st: UnitState, cls: str, ok: bool) -> None:
        """A page of the unit was answered: reached (ok), or one more failed fetch of the site."""
        st.page_fetches += 1
        if ok:
            st.reached[cls] = st.reached.get(cls, 0) + 1
        else:
            st.page_failures += 1

    def _count(self, st: UnitState, item: dict[str, Any]) -> None:
        st.pages += 1
        self.counts["pages"] += 1
        bad = item["reason"] is not None or (item["status"] or 0) >= 400
        if bad:
            st.errors += 1
            self.counts["errors"] += 1
        if item["purpose"] == Purpose.HOME and (bad or (item["status"] or 0) >= 300 and item["reason"]):
            st.home_failed = item["reason"] or f"HTTP {item['status']}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None
