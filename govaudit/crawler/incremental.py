"""Incremental nightly crawls: conditional requests from the previous run, and resuming a killed run.

- `ConditionalRequestsMiddleware` (downloader): a GET for a URL that the previous run fetched with
  an ETag or Last-Modified (and whose body is still in the store) carries If-None-Match /
  If-Modified-Since. A 304 answer becomes the previous response again — same body, same sha256
  (bodies are content-addressed, so nothing new is stored) — with the header
  `X-Govaudit-Revalidated: 304`, and the spider parses it as usual (this run's links are recorded).
- `ResumeMiddleware` (spider, `process_start`): when a run is resumed, the pages it already stored are
  not fetched again; their links are replayed through the spider's own scheduling, so what was
  discovered but not fetched (the frontier) is crawled, and only that. A unit whose home page is
  stored does not start again from the home page.

Both are switched on by settings (GOVAUDIT_PREVIOUS_RUN, GOVAUDIT_RESUME_RUN) through `configure()`
and switch themselves off (NotConfigured) otherwise. A distributed worker has no store: its
`RedisConditionalMiddleware` reads the validators the collector published in Redis and asks the
collector for a revalidated page's body (crawler/distributed.py).
"""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Iterator

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings

from govaudit.urls import host_of

log = logging.getLogger("govaudit.crawl")

REVALIDATED = "X-Govaudit-Revalidated"
_DROP = {"content-encoding", "transfer-encoding", "content-length", REVALIDATED.lower()}
CONDITIONAL_PURPOSES = ("home", "page", "attachment")


def configure(settings: Settings, previous_run: str | None = None, resume_run: str | None = None) -> None:
    """Enable conditional requests against previous_run and/or resuming resume_run (and the
    per-unit 'done' tracking of the progress line)."""
    ext = dict(settings.getdict("EXTENSIONS"))
    ext["govaudit.crawler.unitsdone.UnitsDone"] = 11
    settings.set("EXTENSIONS", ext)
    if previous_run:
        settings.set("GOVAUDIT_PREVIOUS_RUN", previous_run)
        mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        mws["govaudit.crawler.incremental.ConditionalRequestsMiddleware"] = 60
        settings.set("DOWNLOADER_MIDDLEWARES", mws)
    if resume_run:
        settings.set("GOVAUDIT_RESUME_RUN", resume_run)
        mws = dict(settings.getdict("SPIDER_MIDDLEWARES"))
        mws["govaudit.crawler.incremental.ResumeMiddleware"] = 10
        settings.set("SPIDER_MIDDLEWARES", mws)


def _readonly(store_path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
    return conn


class ConditionalRequestsMiddleware:
    """If-None-Match / If-Modified-Since from the previous run; a 304 reuses the stored body.
    Validators and bodies come from the store here, from Redis in a distributed worker
    (RedisConditionalMiddleware)."""

    def __init__(self, store_path: str, previous_run: str) -> None:
        self.previous_run = previous_run
        self.conn = _readonly(store_path)
        self.stats = {"conditional": 0, "not_modified": 0}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalRequestsMiddleware":
        prev = crawler.settings.get("GOVAUDIT_PREVIOUS_RUN")
        if not prev:
            raise NotConfigured
        mw = cls(crawler.settings.get("GOVAUDIT_STORE"), prev)
        crawler.signals.connect(mw.closed, signal=signals.spider_closed)
        return mw

    def _previous(self, url: str) -> tuple[dict[str, str], str] | None:
        row = self.conn.execute(
            "SELECT p.headers, p.sha256 FROM pages p JOIN bodies b ON b.sha256=p.sha256 "
            "WHERE p.run_id=? AND p.url=? AND p.method='GET' AND p.status=200 AND p.redirects IS NULL "
            "ORDER BY p.id DESC LIMIT 1", (self.previous_run, url)).fetchone()
        if row is None or not row[0]:
            return None
        try:
            headers = json.loads(row[0])
        except ValueError:
            return None
        return (headers, row[1]) if isinstance(headers, dict) else None

    def process_request(self, request: Request, spider: Any = None) -> None:
        meta = request.meta
        if request.method != "GET" or meta.get("purpose") not in CONDITIONAL_PURPOSES or meta.get("chain") \
                or meta.get("playwright") or meta.get("govaudit_unconditional") or "If-None-Match" in request.headers:
            return None  # renders, probes and redirect hops are always fetched afresh
        prev = self._previous(request.url)
        if prev is None:
            return None
        headers, digest = prev
        lower = {k.lower(): v for k, v in headers.items()}
        etag, modified = lower.get("etag"), lower.get("last-modified")
        if not etag and not modified:
            return None
        if etag:
            request.headers["If-None-Match"] = etag
        if modified:
            request.headers["If-Modified-Since"] = modified
        request.meta["govaudit_previous"] = (headers, digest)
        self.stats["conditional"] += 1
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        prev = request.meta.get("govaudit_previous")
        if response.status != 304 or prev is None:
            return response
        row = self.conn.execute("SELECT codec, data FROM bodies WHERE sha256=?", (prev[1],)).fetchone()
        if row is None:  # pruned in between: the spider records the 304 as it is
            return response
        return self._revalidated(request, response, prev[0], zlib.decompress(row[1]) if row[0] == "zlib" else row[1])

    def _revalidated(self, request: Request, response: Response, headers: dict[str, str], body: bytes) -> Response:
        """The previous response again (its body and headers, the 304's fresher validators)."""
        merged = {k: v for k, v in headers.items() if k.lower() not in _DROP}
        for k, v in response.headers.items():  # fresher validators and dates from the 304
            name = k.decode("latin-1")
            if name.lower() not in _DROP and v:
                merged[name] = v[0].decode("latin-1", "replace")
        merged[REVALIDATED] = "304"
        merged["Content-Length"] = str(len(body))
        h = Headers(merged)
        cls = responsetypes.from_args(headers=h, url=response.url, body=body)
        self.stats["not_modified"] += 1
        return cls(url=response.url, status=200, headers=h, body=body, request=request,
                   flags=[*response.flags, "revalidated"], protocol=response.protocol)

    def closed(self, spider: Any = None) -> None:
        log.info("增量抓取：%d 个条件请求，其中 %d 个未变化（沿用原正文）",
                 self.stats["conditional"], self.stats["not_modified"])
        if self.conn is not None:
            self.conn.close()


def validators(store_path: str, previous_run: str) -> Iterator[tuple[str, dict[str, str], str]]:
    """(url, headers, sha256) of every page of previous_run that a conditional request can ask
    about (what ConditionalRequestsMiddleware._previous finds, for all URLs at once)."""
    conn = _readonly(store_path)
    try:
        for url, raw, digest in conn.execute(
                "SELECT p.url, p.headers, p.sha256 FROM pages p JOIN bodies b ON b.sha256=p.sha256 "
                "WHERE p.run_id=? AND p.method='GET' AND p.status=200 AND p.redirects IS NULL "
                "AND p.purpose IN ('home','page','attachment') ORDER BY p.id", (previous_run,)):
            try:
                headers = json.loads(raw) if raw else None
            except ValueError:
                continue
            if isinstance(headers, dict) and any(k.lower() in ("etag", "last-modified") for k in headers):
                yield url, headers, digest
    finally:
        conn.close()


BODY_WAIT = 30.0  # seconds a worker waits for the collector to send a revalidated page's body


class RedisConditionalMiddleware(ConditionalRequestsMiddleware):
    """A distributed worker's conditional requests (crawler/distributed.py): the collector
    publishes the previous run's validators in the hash `govaudit:<run>:validators` (url -> JSON
    [headers, sha256]); on a 304 the worker asks the collector for the body (list `bodyreq`, answer
    in `body:<sha256>`), parses it like a fresh one, and sends the page without its body (the
    collector has it). A collector that cannot answer: the page is fetched again, unconditionally."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix
        self.conn = None
        self.stats = {"conditional": 0, "not_modified": 0}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RedisConditionalMiddleware":
        s = crawler.settings
        if not s.get("GOVAUDIT_RUN") or not s.getbool("GOVAUDIT_INCREMENTAL", True):
            raise NotConfigured
        mw = cls(redis.Redis.from_url(s.get("GOVAUDIT_REDIS_URL"), socket_timeout=30),
                 f"govaudit:{s.get('GOVAUDIT_RUN')}:")
        crawler.signals.connect(mw.closed, signal=signals.spider_closed)
        return mw

    def _previous(self, url: str) -> tuple[dict[str, str], str] | None:
        raw = self.redis.hget(self.prefix + "validators", url)
        if not raw:
            return None
        headers, digest = json.loads(raw)
        return headers, digest

    async def process_response(self, request: Request, response: Response,  # type: ignore[override]
                               spider: Any = None) -> Response | Request:
        prev = request.meta.get("govaudit_previous")
        if response.status != 304 or prev is None:
            return response
        body = await self._body(prev[1])
        if body is None:
            headers = {k: v for k, v in request.headers.items()
                       if k.lower() not in (b"if-none-match", b"if-modified-since")}
            meta = {k: v for k, v in request.meta.items() if k != "govaudit_previous"}
            return request.replace(headers=headers, meta={**meta, "govaudit_unconditional": True}, dont_filter=True)
        return self._revalidated(request, response, prev[0], body)

    async def _body(self, digest: str) -> bytes | None:
        answer = self.prefix + f"body:{digest}"
        data = self.redis.get(answer)
        if data is None:
            self.redis.rpush(self.prefix + "bodyreq", digest)
            waited = 0.0
            while data is None and waited < BODY_WAIT:
                await asyncio.sleep(0.02)
                waited += 0.02
                data = self.redis.get(answer)
        if not data or data[:1] == b"-":  # no answer, or the body is gone from the store
            return None
        return zlib.decompress(data[1:]) if data[:1] == b"z" else data[1:]


@dataclass
class UnitResume:
    urls: set[str] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)
    pages: int = 0
    errors: int = 0
    home_done: bool = False
    frontier: list[tuple[str, int, str, str]] = field(default_factory=list)  # target, depth, referer, text


def resume_plan(store_path: str, run_id: str) -> dict[str, UnitResume]:
    """What a killed run already stored, per unit, and the links to replay."""
    conn = _readonly(store_path)
    plan: dict[str, UnitResume] = defaultdict(UnitResume)
    depth_of: dict[int, tuple[str, int, str]] = {}
    try:
        for pid, uid, url, final, redirects, status, reason, purpose, depth in conn.execute(
                "SELECT id, unit_id, url, final_url, redirects, status, reason, purpose, depth FROM pages WHERE run_id=?",
                (run_id,)):
            p = plan[uid]
            p.urls.add(url)
            if final:
                p.urls.add(final)
            for hop in json.loads(redirects) if redirects else []:
                p.urls.add(hop[0])
            p.pages += 1
            if reason is not None or (status or 0) >= 400:
                p.errors += 1
            if purpose == "home":
                p.home_done = True
                p.hosts.add(host_of(url))
            if purpose in ("home", "page"):
                depth_of[pid] = (uid, depth or 0, url)
        for page_id, target, text, external in conn.execute(
                "SELECT page_id, target, text, external FROM links WHERE run_id=?", (run_id,)):
            src = depth_of.get(page_id)
            if src is None:
                continue
            uid, depth, url = src
            if not external and target:
                plan[uid].hosts.add(host_of(target))
            plan[uid].frontier.append((target, depth + 1, url, text or ""))
    finally:
        conn.close()
    return dict(plan)


class ResumeMiddleware:
    """Spider middleware: restart a killed run where it stopped (see the module docstring)."""

    def __init__(self, crawler: Crawler, store_path: str, run_id: str) -> None:
        self.crawler, self.store_path, self.run_id = crawler, store_path, run_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ResumeMiddleware":
        run_id = crawler.settings.get("GOVAUDIT_RESUME_RUN")
        if not run_id:
            raise NotConfigured
        return cls(crawler, crawler.settings.get("GOVAUDIT_STORE"), run_id)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        plan = resume_plan(self.store_path, self.run_id)
        states = getattr(spider, "states", {})
        for uid, p in plan.items():
            st = states.get(uid)
            if st is None:
                continue
            st.seen |= p.urls
            st.hosts |= {h for h in p.hosts if h}
            st.pages += p.pages
            st.errors += p.errors
            st.requested += p.pages
            st.fetched += p.pages  # the page budget spent before the interruption
            spider.external_seen |= p.urls
            if hasattr(spider, "counts"):
                spider.counts["pages"] += p.pages
                spider.counts["errors"] += p.errors
        async for req in start:
            uid = req.meta.get("unit") if isinstance(req, Request) else None
            if uid in plan and plan[uid].home_done and req.meta.get("purpose") == "home":
                continue
            yield req
        replayed = 0
        for uid, p in plan.items():
            st = states.get(uid)
            if st is None:
                continue
            for target, depth, referer, text in p.frontier:
                req = spider._schedule(st, target, depth, referer, text)
                if req is not None:
                    replayed += 1
                    yield req
        log.info("resume: run %s: %d page(s) already stored, %d request(s) left to make",
                 self.run_id, sum(p.pages for p in plan.values()), replayed)
