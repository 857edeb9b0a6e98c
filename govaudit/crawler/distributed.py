"""Distributed crawling on scrapy-redis: many worker processes (on one or many machines) share one
scheduler queue and one dupefilter in Redis; their items go to a Redis list that ONE collector
process writes into the store (the store keeps its single writer). A worker does what the single
process does: it renders, sends conditional requests, and a killed worker's or collector's work
is resumed; the check stage can run on the workers too (commands/_distcheck.py).

    govaudit collect --redis redis://host:6379/0 --units units.yaml --run 2026-11-26 --out out/nightly
    govaudit worker  --redis redis://host:6379/0 --units units.yaml --run 2026-11-26   # on each machine

Keys, all under `govaudit:<run>:` — `requests…` (the scheduler queue, keyed by host: hostqueue.py;
pickled requests: keep Redis private), `dupefilter` (request fingerprints), `items` (JSON crawl items, bodies and
screenshots base64) and `items:collecting` (what the collector took and has not committed yet),
`workers` (hash: worker id -> busy | idle | done | lost), `alive:<worker>` (heartbeat, from a
thread, expiring after the worker's --lost-after, default 60 s), `inflight:<worker>` (hash: the
requests it popped and has not finished), `hostlease:` / `hostnext:` / `hostsent:<host>` (politeness),
`validators` / `bodyreq` / `body:<sha256>` (conditional requests), `check…` (the check stage).

Dedupe: the spider marks its requests dont_filter (it de-duplicates per unit in memory); here a
spider middleware lets first requests of a URL go through the shared dupefilter, so a page found by
two workers is fetched once. Retries and redirect hops stay unfiltered. A browser render of a URL
(and a list render) has a fingerprint of its own (RenderAwareDupeFilter): it passes the shared
dupefilter once, instead of being dropped as the duplicate of the page's ordinary fetch. A unit's
budgets hold across workers (SharedBudget: max_pages and max_list_renders counted in Redis,
site_time from its first worker's start), and each worker hands on its part of the unit's coverage
when it ends; the collector records it (record_coverage), so a unit cut by a budget is partial.

Politeness holds across workers: right before a request goes out, LeasedDownloadHandler takes a
lease for its host in Redis (`hostlease:<host>`, a sorted set of leases expiring after LEASE_TTL,
`hostnext:<host>`, the earliest start of the next request, and `hostsent:<host>`, its request that
has not left yet). A host never has more requests in
flight than its concurrency nor two starts closer than its delay, whatever the number of workers
and however late a granted request leaves (the next is granted a delay after the last one left,
LEASE_LUA); the units of one 集约化 platform host share that host's budget. Leases are taken in one Lua script
on Redis's clock (no skew between machines). A render is leased per HTTP request of its browser
(render.gate_page with this worker's BrowserLeases as the gate): its page and AJAX requests keep the
host's concurrency and delay, its static files the concurrency.

Rendering: a worker renders like the single process (crawler/render.py); its screenshots go to a
temporary folder of its own (the popping worker rewrites the path of a render made by another,
HostQueue.pop) and travel with the items; the collector writes them under OUT/screenshots and
the renders with Store.write_renders (a render that arrives before its page is linked at the end).

Conditional requests: the collector publishes the previous run's validators (`validators`: url ->
[headers, sha256]); a worker sends If-None-Match / If-Modified-Since (incremental.
RedisConditionalMiddleware) and on a 304 asks the collector for the earlier body (`bodyreq`,
answered in `body:<sha256>`), parses it like a fresh one, and sends the page without its body.

Resume: a popped request is recorded in the worker's `inflight:` hash in the same Lua step that
pops it, and removed once the scraper has handled its response (its items pushed, its requests
queued). When a worker's heartbeat expires, any other worker or the collector puts its in-flight
requests back in the queue with their priority and frees its host leases (recover_lost); a worker
stopped by a signal puts its own back at once. A request done twice (its worker was only slow) is
stored once: the collector keeps one page per (unit, URL, purpose, method). The collector moves
items with BLMOVE into `items:collecting` and clears that list only after the store committed
them, so a collector killed at any moment and started again with the same --run loses nothing.

A worker stops when the shared queue is empty and every other worker is idle, done or lost.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit

import redis
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from twisted.internet import task
from twisted.internet.abstract import FileDescriptor

from govaudit.crawler import coverage, hostqueue, render
from govaudit.crawler.hostqueue import key, release
from govaudit.crawler.incremental import REVALIDATED
from govaudit.crawler.pipelines import StorePipeline
from govaudit.crawler.run import unit_limits
from govaudit.crawler.scope import UnitState
from govaudit.crawler.settings import scrapy_settings
from govaudit.crawler.spider import AuditSpider
from govaudit.model import CONTENT_PURPOSES
from govaudit.store import Store, StoreError

log = logging.getLogger("govaudit.distributed")

ALIVE_TTL = 60.0    # a worker without a heartbeat for this long is lost (`govaudit worker --lost-after`)


def configure(settings: Settings, redis_url: str, run_id: str, worker_id: str | None = None,
              out_dir: str = "", alive_ttl: float = ALIVE_TTL) -> None:
    """Turn an audit crawl's settings into a worker's: Redis scheduler, dupefilter and items."""
    settings.setdict({
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_PERSIST": True,  # the queue outlives a worker; the collector clears it at the end
        "SCHEDULER_QUEUE_CLASS": "govaudit.crawler.hostqueue.HostQueue",
        "SCHEDULER_QUEUE_KEY": key(run_id, "requests"),
        "SCHEDULER_DUPEFILTER_KEY": key(run_id, "dupefilter"),
        "DUPEFILTER_CLASS": "govaudit.crawler.distributed.RenderAwareDupeFilter",
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {"govaudit.crawler.distributed.RedisItemsPipeline": 100},
        "GOVAUDIT_REDIS_URL": redis_url,
        "GOVAUDIT_RUN": run_id,
        "GOVAUDIT_WORKER": worker_id or f"{socket.gethostname()}-{os.getpid()}",
        "GOVAUDIT_OUT_DIR": out_dir,  # this worker's screenshots, until they are sent to the collector
        "GOVAUDIT_ALIVE_TTL": alive_ttl,
    })
    # The leases in Redis are the politeness now: a worker's own slot delays would only hold a
    # granted request back and bunch it with the next (AutoThrottle too: it sets slot delays).
    slots = {h: dict(v) for h, v in settings.getdict("DOWNLOAD_SLOTS").items()}
    settings.set("GOVAUDIT_HOST_LIMITS", {h: (v.get("concurrency"), v.get("delay", 0.0)) for h, v in slots.items()
                                          if h != render.RENDER_SLOT})
    settings.set("GOVAUDIT_DEFAULT_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
    for v in slots.values():
        v.update(delay=0, randomize_delay=False)
    settings.setdict({"DOWNLOAD_SLOTS": slots, "DOWNLOAD_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False,
                      "AUTOTHROTTLE_ENABLED": False})
    dl_mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    dl_mws["govaudit.crawler.incremental.RedisConditionalMiddleware"] = 60
    settings.set("DOWNLOADER_MIDDLEWARES", dl_mws)
    if settings.getbool("GOVAUDIT_RENDER"):
        # the browser starts before the first request: launching it (a burst of processes) while
        # granted requests wait to leave would hold them back and send them together
        settings.set("PLAYWRIGHT_CONTEXTS", {"render": render.CONTEXT})
    handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
    settings.set("GOVAUDIT_INNER_HANDLER", handlers.get("http") or HTTP11)  # the browser's, when rendering
    settings.set("DOWNLOAD_HANDLERS", {**handlers, "http": "govaudit.crawler.distributed.LeasedDownloadHandler",
                                       "https": "govaudit.crawler.distributed.LeasedDownloadHandler"})
    spider_mws = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mws["govaudit.crawler.distributed.SharedDedupMiddleware"] = 20
    settings.set("SPIDER_MIDDLEWARES", spider_mws)
    ext = dict(settings.getdict("EXTENSIONS"))
    ext["govaudit.crawler.distributed.WorkerCoordinator"] = 20
    settings.set("EXTENSIONS", ext)


class RenderAwareDupeFilter(RFPDupeFilter):
    """scrapy-redis's shared dupefilter, keyed as the single process de-duplicates: a unit's own
    pages per unit (two units of one 集约化 host that link to the same page both fetch it, as in
    one process), external targets once per run; and a browser render of a URL (and a list
    render) as a request of its own, else it is dropped as the duplicate of the page's fetch."""

    def request_fingerprint(self, request: Request) -> str:
        fp = super().request_fingerprint(request)
        if request.meta.get("unit") and not request.meta.get("external"):
            fp += f":{request.meta['unit']}"
        if request.meta.get("playwright"):
            return fp + (":render-list" if request.meta.get("list_render") else ":render")
        return fp


def requeue(r: Any, run_id: str, worker: str, state: str = "") -> int:
    """Put `worker`'s in-flight requests back in the shared queue; returns how many."""
    return hostqueue.requeue(r, key(run_id, f"inflight:{worker}"), key(run_id, "requests"), key(run_id, "workers"),
                             worker, state)


def recover_lost(r: Any, run_id: str) -> dict[str, int]:
    """Workers whose heartbeat expired: their in-flight requests go back to the queue, their host
    leases are freed, they are marked 'lost'. Safe to run from every process at once (atomic)."""
    states = {k.decode(): v.decode() for k, v in r.hgetall(key(run_id, "workers")).items()}
    out: dict[str, int] = {}
    for w in lost_workers(r, run_id, states):
        out[w] = requeue(r, run_id, w, "lost")
        prefix = f"{w}:".encode()
        for k in r.scan_iter(match=key(run_id, "hostsent:*"), count=1000):
            if (r.get(k) or b"").startswith(prefix):  # its unanswered request holds no host back
                r.delete(k)
        for k in r.scan_iter(match=key(run_id, "hostlease:*"), count=1000):
            mine = [m for m in r.zrange(k, 0, -1) if m.startswith(prefix)]
            if mine:
                r.zrem(k, *mine)
    return out


def lost_workers(r: Any, run_id: str, states: dict[str, str]) -> set[str]:
    """Workers not done whose heartbeat key expired (killed, machine gone)."""
    return {w for w, v in states.items() if v not in ("done", "lost") and not r.exists(key(run_id, f"alive:{w}"))}


def _redis(url: str) -> Any:
    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)


def _shared(req: Any) -> Any:
    """First request for a URL: through the shared dupefilter. Retries and redirect hops: not."""
    if isinstance(req, Request) and req.dont_filter and not req.meta.get("chain") \
            and not req.meta.get("method_fallback") and not req.meta.get("browser_retry"):
        return req.replace(dont_filter=False)
    return req


class SharedDedupMiddleware:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SharedDedupMiddleware":
        if not crawler.settings.get("GOVAUDIT_RUN"):
            raise NotConfigured
        return cls()

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for req in start:
            yield _shared(req)

    def process_spider_output(self, response: Any, result: Iterable[Any], spider: Any = None) -> Iterable[Any]:
        for r in result:
            yield _shared(r)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for r in result:
            yield _shared(r)


# A host's turns across workers. KEYS: the host's leases (zset: lease id -> expiry, ms), its earliest
# next start (ms), its unanswered paced request (the lease id of the last request that keeps the
# delay, until its answer came: LeasedDownloadHandler, BrowserLeases). ARGV: concurrency, delay ms,
# lease ttl ms, lease id, ahead ms, paced (1: keeps the delay; 0: a browser's static file,
# concurrency only). Returns 0 (granted, start now), the ms to wait before asking again, or minus
# the ms to wait before starting (granted ahead: a browser's request books the host's next start up
# to `ahead` early, so the polling fetches do not starve it).
#
# No paced request is granted while the last one is unanswered, and the next start is a delay after
# the answer (ANSWERED_LUA): so two requests reach a host a delay apart however late a granted one
# leaves its worker. A grant alone could not promise that: on a loaded machine a granted request
# left up to 1.5 s later, and another worker's, granted a delay after it, arrived together with it
# (bench/RESULTS.md).
LEASE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 20 end
if ARGV[6] == '0' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 0
end
if redis.call('EXISTS', KEYS[3]) == 1 then return 10 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
local ahead = tonumber(ARGV[5] or '0')
if now < nxt - ahead then return nxt - ahead - now end
local start = math.max(now, nxt)
local ttl = tonumber(ARGV[3]) + start - now
redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[3], ARGV[4], 'PX', ttl)
local gap = tonumber(ARGV[2])
redis.call('SET', KEYS[2], start + gap, 'PX', start - now + gap + 1000)
if start > now then return now - start end
return 0
"""
# A paced request was answered (its response headers came, or it failed): the host's next start
# is a delay from now. KEYS: the host's unanswered request, its next start. ARGV: lease id, delay ms.
ANSWERED_LUA = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now + tonumber(ARGV[2]))
redis.call('SET', KEYS[2], nxt, 'PX', nxt - now + 1000)
return 1
"""
BROWSER_AHEAD = 0.1  # seconds: how early a browser's request may book its host's next start
BROWSER_LEASE_TTL = 60.0  # seconds, at least: a browser's request ends with its page (navigation timeout)
LEASE_TTL = 300.0  # seconds: longer than any download; a lost worker's leases are freed sooner (recover_lost)


class HostLeases:
    """Per-host concurrency and delay across all workers of a run (see the module docstring): the
    turns of the worker's fetches (LeasedDownloadHandler) and of its browser's requests (it is the
    worker's render.HostGate). Lease ids start with the worker's id (recover_lost frees them)."""

    def __init__(self, redis_url: str, run_id: str, hosts: dict[str, Any], concurrency: int,
                 delay: float, worker: str) -> None:
        self.redis = _redis(redis_url)
        self.lease = self.redis.register_script(LEASE_LUA)
        self.answer = self.redis.register_script(ANSWERED_LUA)
        self.run_id, self.hosts, self.worker = run_id, hosts, worker
        self.default = (max(1, concurrency), max(0.0, delay))
        self.count = 0
        self.unsent: dict[str, tuple[str, str]] = {}  # host -> this worker's leased request not sent yet

    def limits(self, host: str) -> tuple[int, float]:
        return hostqueue.host_limits(self.hosts, self.default, host)

    def _keys(self, host: str) -> list[str]:
        return [key(self.run_id, f"host{what}:{host}") for what in ("lease", "next", "sent")]

    async def acquire(self, url: str, ahead: float = 0.0, ttl: float = LEASE_TTL, paced: bool = True) -> tuple[str, str]:
        """Wait for a turn of the URL's host; returns the lease (host, id) for answered and release."""
        host = urlsplit(url).hostname or ""
        concurrency, delay = self.limits(host)
        self.count += 1
        lease_id = f"{self.worker}:{self.count}"
        keys = self._keys(host)
        while True:
            wait_ms = int(self.lease(keys=keys, args=[concurrency, int(delay * 1000), int(ttl * 1000), lease_id,
                                                      int(ahead * 1000), int(paced)]))
            if wait_ms <= 0:
                if wait_ms < 0:  # booked ahead: start at the booked time
                    try:
                        await asyncio.sleep(-wait_ms / 1000)
                    except asyncio.CancelledError:  # the waiter is gone: so is its lease
                        self.release((host, lease_id))
                        raise
                return host, lease_id
            await asyncio.sleep(min(wait_ms, 1000) / 1000)

    def answered(self, held: tuple[str, str], client: Any = None) -> None:
        """The leased request left (or was answered, or failed): the host's next paced start is a
        delay from now."""
        host, lease_id = held
        keys = self._keys(host)
        self.answer(keys=[keys[2], keys[1]], args=[lease_id, int(self.limits(host)[1] * 1000)], client=client)

    def release(self, held: tuple[str, str]) -> None:
        """The leased request is over: its place in the host's concurrency is free."""
        pipe = self.redis.pipeline(transaction=False)
        self.answered(held, client=pipe)
        pipe.zrem(self._keys(held[0])[0], held[1])
        pipe.execute()


class BrowserLeases:
    """The worker's render.HostGate: a browser's request is leased like a fetch, booked ahead (a
    render waits on its page's requests: starved behind a busy host's fetches it would time out),
    and answered when it finished (render.gate_page releases it then)."""

    def __init__(self, leases: HostLeases, ttl: float = BROWSER_LEASE_TTL) -> None:
        self.leases, self.ttl = leases, ttl

    async def acquire(self, url: str, paced: bool = True) -> tuple[str, str]:
        return await self.leases.acquire(url, ahead=BROWSER_AHEAD, ttl=self.ttl, paced=paced)

    def release(self, held: tuple[str, str]) -> None:
        self.leases.release(held)


HTTP11 = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"


def _sending_factory(base: Any, leases: "HostLeases") -> Any:
    """The HTTP/1.1 connection factory of the wrapped handler, whose connections send a request's
    bytes at once (a plain TCP transport flushed in the same step, not on the reactor's next turn)
    and then tell the leases it left (HostLeases.answered): the host's next request may start a
    delay from then, not only from its answer. Over TLS the bytes may wait for the handshake: the
    answer (LeasedDownloadHandler.headers_received) says it instead."""

    class SendingFactory(base):  # type: ignore[misc, valid-type]
        def buildProtocol(self, addr: Any) -> Any:
            proto = super().buildProtocol(addr)
            request = proto.request

            def send(req: Any) -> Any:
                d = request(req)
                if isinstance(proto.transport, FileDescriptor):  # plain TCP (TLS wraps it: its handshake may wait)
                    proto.transport.doWrite()
                    host = (req.headers.getRawHeaders(b"host") or [b""])[0].decode("latin-1")
                    held = leases.unsent.pop(urlsplit("//" + host).hostname or "", None)
                    if held is not None:
                        leases.answered(held)
                return d

            proto.request = send
            return proto

    return SendingFactory


class LeasedDownloadHandler:
    """The worker's http(s) download handler: a request goes to the network only with a lease of its
    host (HostLeases), taken inside the handler right before the wrapped handler sends it. Taken any
    earlier (a downloader middleware), a granted request crossed the event loop's queue before it
    left: on a loaded machine that took up to 1.5 s, and two workers' requests granted a delay apart
    reached the server together (bench/RESULTS.md). A host's limits are those of its download slot
    as crawler/settings.py made it (the unit's concurrency_per_site and delay), else the defaults;
    configure() moved them here. The host's next paced request starts a delay after this one left
    (_sending_factory; over TLS, when its response headers came: LEASE_LUA). A render is not leased
    as a whole: each HTTP request its browser makes is (render.gate_page with this worker's
    BrowserLeases)."""

    lazy = False
    # Scrapy builds one handler per scheme: http and https share the wrapped handler (one browser)
    # and the leases of their crawler
    _shared: dict[int, tuple[Any, "HostLeases"]] = {}

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        if not s.get("GOVAUDIT_RUN"):
            raise NotConfigured
        if id(crawler) not in self._shared:
            inner = build_from_crawler(load_object(s.get("GOVAUDIT_INNER_HANDLER") or HTTP11), crawler)
            leases = HostLeases(s.get("GOVAUDIT_REDIS_URL"), s.get("GOVAUDIT_RUN"), s.getdict("GOVAUDIT_HOST_LIMITS"),
                                s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), s.getfloat("GOVAUDIT_DEFAULT_DELAY"),
                                s.get("GOVAUDIT_WORKER"))
            self._shared[id(crawler)] = (inner, leases)
            # the browser's navigation times out after twice the download timeout (render.render_settings)
            render.set_gate(BrowserLeases(leases, max(BROWSER_LEASE_TTL, 2 * s.getfloat("DOWNLOAD_TIMEOUT") + 15)))
            crawler.signals.connect(self.headers_received, signal=signals.headers_received)
            pool = getattr(inner, "_pool", None)  # the HTTP/1.1 connections (the browser's handler's too)
            if pool is not None and hasattr(pool, "_factory"):
                pool._factory = _sending_factory(pool._factory, leases)
        self.crawler = crawler
        self.inner, self.leases = self._shared[id(crawler)]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "LeasedDownloadHandler":
        return cls(crawler)

    async def download_request(self, request: Request) -> Any:
        if request.meta.get("playwright"):
            return await self.inner.download_request(request)
        held = request.meta["govaudit_lease"] = await self.leases.acquire(request.url)
        self.leases.unsent[held[0]] = held
        try:
            return await self.inner.download_request(request)
        finally:
            request.meta.pop("govaudit_lease", None)
            if self.leases.unsent.get(held[0]) == held:
                del self.leases.unsent[held[0]]
            self.leases.release(held)

    def headers_received(self, headers: Any, body_length: Any, request: Request, spider: Any = None) -> None:
        """The request reached its host: the host's next request may start a delay from now (its
        body may still be on its way; the host's concurrency counts it until then)."""
        held = request.meta.get("govaudit_lease")
        if held and self.leases.unsent.get(held[0]) == held:  # not seen leaving (TLS)
            del self.leases.unsent[held[0]]
            self.leases.answered(held)

    async def close(self) -> None:
        if self._shared.pop(id(self.crawler), None) is not None:  # the first of the two closes it
            await self.inner.close()


def encode_item(item: dict[str, Any], shot: bytes | None = None) -> bytes:
    d = dict(item)
    body = d.pop("body", None)
    d["body_b64"] = base64.b64encode(body).decode("ascii") if body else None
    if shot:
        d["screenshot_b64"] = base64.b64encode(shot).decode("ascii")
    return json.dumps(d, ensure_ascii=False, default=str).encode("utf-8")


def decode_item(data: bytes) -> dict[str, Any]:
    d = json.loads(data)
    b64 = d.pop("body_b64", None)
    d["body"] = base64.b64decode(b64) if b64 else None
    shot = d.pop("screenshot_b64", None)
    d["screenshot_data"] = base64.b64decode(shot) if shot else None
    return d


class RedisItemsPipeline:
    """Workers push crawl items (pages and renders, with their screenshots) to
    `govaudit:<run>:items`; `govaudit collect` writes them. A page revalidated by a 304 goes
    without its body: the collector has it."""

    def __init__(self, redis_url: str, run_id: str, out_dir: str) -> None:
        self.redis = _redis(redis_url)
        self.key = key(run_id, "items")
        self.out = Path(out_dir or ".")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RedisItemsPipeline":
        s = crawler.settings
        return cls(s.get("GOVAUDIT_REDIS_URL"), s.get("GOVAUDIT_RUN"), s.get("GOVAUDIT_OUT_DIR"))

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        if item.get("kind") not in ("page", "render"):
            return {}
        shot = None
        if item.get("screenshot"):
            path = self.out / item["screenshot"]
            if path.is_file():
                shot = path.read_bytes()
            else:  # the browser failed to write it: no dangling reference
                item = {**item, "screenshot": None}
        if (item.get("headers") or {}).get(REVALIDATED) and item.get("sha256"):
            item = {**item, "body": None}
        self.redis.rpush(self.key, encode_item(item, shot))
        return {}


class SharedBudget:
    """A unit's budgets across all workers of a run, as the single process keeps them for the
    whole crawl: pages (max_pages) and list renders (max_list_renders) are counted in Redis, and
    the unit's crawl time (site_time) runs from its first worker's start, on Redis's clock."""

    def __init__(self, r: Any, run_id: str) -> None:
        self.r, self.run_id = r, run_id

    def take(self, unit_id: str, what: str, limit: int) -> bool:
        return int(self.r.incr(key(self.run_id, f"budget:{what}:{unit_id}"))) <= limit

    def started(self, unit_id: str) -> float:
        """When the unit's crawl started, as this process's time.monotonic()."""
        sec, usec = self.r.time()
        now = sec + usec / 1e6
        k = key(self.run_id, f"budget:start:{unit_id}")
        self.r.set(k, repr(now), nx=True)
        return time.monotonic() - (now - float(self.r.get(k)))


# What of a unit's crawl state a worker hands on for the run's coverage (crawler/coverage.py): counts
# are summed over the workers, limits hit too, the shallowest depth of a page not reached is kept.
COVERAGE_COUNTS = ("pages", "errors", "page_fetches", "page_failures")
COVERAGE_MAPS = ("limits_hit", "reached", "pending", "unreached")


def coverage_state(st: Any) -> dict[str, Any]:
    return {**{k: getattr(st, k) for k in COVERAGE_COUNTS + COVERAGE_MAPS},
            "unreached_depth": st.unreached_depth,
            "pending_at": [[c, d, n] for (c, d), n in st.pending_at.items()]}


def merge_coverage(st: Any, part: dict[str, Any]) -> None:
    for k in COVERAGE_COUNTS:
        setattr(st, k, getattr(st, k) + part.get(k, 0))
    for k in COVERAGE_MAPS:
        into = getattr(st, k)
        for cls, n in (part.get(k) or {}).items():
            into[cls] = into.get(cls, 0) + n
    for cls, d in (part.get("unreached_depth") or {}).items():
        if d < st.unreached_depth.get(cls, d + 1):
            st.unreached_depth[cls] = d
    for cls, d, n in part.get("pending_at") or []:
        st.pending_at[(cls, d)] = st.pending_at.get((cls, d), 0) + n


def record_coverage(r: Any, run_id: str, store_path: str, units: list[Any], limits: dict[str, dict[str, Any]],
                    stopped: bool) -> None:
    """Each unit's coverage from what its workers handed on (a unit cut by a budget, or left in the
    queue of a collector that gave up, is partial, as in one process); stored like the single
    process's (units.coverage, runs.coverage)."""
    states = {u.id: UnitState(u, limits[u.id]) for u in units}
    for field_name, raw in r.hgetall(key(run_id, "coverage")).items():
        uid = field_name.decode().split("|", 1)[1]
        if uid in states:
            merge_coverage(states[uid], json.loads(raw))
    for uid, st in states.items():
        taken = int(r.get(key(run_id, f"budget:pages:{uid}")) or 0)
        st.fetched = min(taken, st.limits["max_pages"])
        if taken > st.limits["max_pages"]:  # a take was refused, whichever worker it was (a lost one too)
            st.limits_hit["max_pages"] = max(1, st.limits_hit.get("max_pages", 0))
    store = Store(store_path)
    try:
        for uid, st in states.items():
            st.home_failed = coverage.home_failure(store, run_id, uid)
        coverage.record(store, run_id, states, "shutdown" if stopped else "finished", None)
    finally:
        store.close()


class WorkerCoordinator:
    """Keeps a worker alive while the shared queue has requests or another worker is busy; sends
    the heartbeat (from a thread: a busy reactor is not a dead worker); puts lost workers'
    requests back in the queue; marks each popped request done once its callback's output (items
    and new requests) reached Redis."""

    def __init__(self, crawler: Crawler, redis_url: str, run_id: str, worker: str, alive_ttl: float) -> None:
        self.crawler, self.run_id, self.worker, self.redis_url = crawler, run_id, worker, redis_url
        self.redis = _redis(redis_url)
        self.workers = key(run_id, "workers")
        self.queue = key(run_id, "requests")
        self.inflight = key(run_id, f"inflight:{worker}")
        self.alive_ttl = max(1.0, alive_ttl)
        self.state = ""
        self.stop = threading.Event()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WorkerCoordinator":
        s = crawler.settings
        if not s.get("GOVAUDIT_RUN"):
            raise NotConfigured
        ext = cls(crawler, s.get("GOVAUDIT_REDIS_URL"), s.get("GOVAUDIT_RUN"), s.get("GOVAUDIT_WORKER"),
                  s.getfloat("GOVAUDIT_ALIVE_TTL", ALIVE_TTL))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.busy, signal=signals.request_reached_downloader)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _set(self, state: str) -> None:
        if state != self.state:
            self.redis.hset(self.workers, self.worker, state)
            self.state = state

    def opened(self, spider: Any) -> None:
        self._beat(self.redis)
        budget = SharedBudget(self.redis, self.run_id)
        for uid, st in getattr(spider, "states", {}).items():
            st.shared = budget
            st.started = budget.started(uid)
        self._set("busy")
        self.heart = threading.Thread(target=self._heartbeat, name="govaudit-heartbeat", daemon=True)
        self.heart.start()
        self._track(self.crawler.engine.scraper)
        log.info("工作进程 %s 加入运行 %s", self.worker, self.run_id)
        # Scrapy looks at an empty scheduler again only every 5 s; requests that other workers put
        # in the shared queue, and hosts whose pace lets them be popped again, come up sooner.
        self.poll = task.LoopingCall(self._wake)
        self.poll.start(0.2, now=False)

    def _beat(self, r: Any) -> None:
        r.set(key(self.run_id, f"alive:{self.worker}"), "1", px=int(self.alive_ttl * 1000))

    def _heartbeat(self) -> None:
        r = _redis(self.redis_url)  # a connection of its own: redis-py clients are not shared across threads
        while not self.stop.wait(self.alive_ttl / 4):
            try:
                self._beat(r)
                if r.hget(self.workers, self.worker) == b"lost":  # taken for dead (a long pause): rejoin
                    log.warning("工作进程 %s 曾被判定为失联，它手上的请求已放回队列；现在重新加入", self.worker)
                    r.hset(self.workers, self.worker, self.state or "busy")
                for w, n in recover_lost(r, self.run_id).items():
                    log.warning("工作进程 %s 失联（超过 %.0f 秒无心跳）：它手上的 %d 个请求已放回队列",
                                w, self.alive_ttl, n)
            except redis.RedisError as e:  # Redis restarting: the next beat tries again
                log.warning("心跳未能写入 Redis（%s），下次重试", e)

    def _track(self, scraper: Any) -> None:
        """A popped request is done when the scraper has handled its response or failure (callback
        or errback, their items through the pipelines, their requests into the queue). Scrapy has
        no signal for that moment, so the scraper's handler is wrapped on this instance."""
        handle = scraper._scrape

        async def scrape(result: Any, request: Request) -> None:
            try:
                await handle(result, request)
            finally:
                self.finished(request)

        scraper._scrape = scrape

    def finished(self, request: Request) -> None:
        release(request)
        done = request.meta.pop("govaudit_inflight", None)
        if done:
            self.redis.hdel(self.inflight, done)

    def _wake(self) -> None:
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        if slot is not None and hostqueue.queued(self.redis, self.queue):
            slot.nextcall.schedule()

    def busy(self, *args: Any, **kw: Any) -> None:
        self._set("busy")

    def idle(self, spider: Any) -> None:
        self._set("idle")
        recover_lost(self.redis, self.run_id)  # a lost worker's requests are this one's to finish
        if hostqueue.queued(self.redis, self.queue):
            raise DontCloseSpider
        others = {k.decode(): v.decode() for k, v in self.redis.hgetall(self.workers).items()}
        lost = lost_workers(self.redis, self.run_id, others)
        if any(v == "busy" for w, v in others.items() if w != self.worker and w not in lost):
            raise DontCloseSpider

    def closed(self, spider: Any, reason: str = "") -> None:
        if getattr(self, "poll", None) is not None and self.poll.running:
            self.poll.stop()
        self.stop.set()
        if reason == "finished":
            self.redis.delete(self.inflight)  # only retried copies are left: they went to the queue
        else:  # stopped early (SIGTERM): what it held goes back to the queue for the others
            n = requeue(self.redis, self.run_id, self.worker)
            if n:
                log.warning("工作进程 %s 停止（%s）：手上的 %d 个请求已放回队列", self.worker, reason, n)
        states = getattr(spider, "states", {})
        if states:  # this worker's part of each unit's coverage, for the collector (record_coverage)
            self.redis.hset(key(self.run_id, "coverage"), mapping={
                f"{self.worker}|{uid}": json.dumps(coverage_state(st)) for uid, st in states.items()})
        self._set("done")
        self.redis.delete(key(self.run_id, f"alive:{self.worker}"))
        log.info("工作进程 %s 结束（%s）", self.worker, reason)


def work(units: list[Any], redis_url: str, run_id: str, defaults: dict[str, Any],
         attachment_extensions: list[str], worker_id: str | None = None,
         progress_interval: float = 10.0, alive_ttl: float = ALIVE_TTL) -> dict[str, Any]:
    """Run one worker until the shared crawl is done. Returns this worker's counts."""

    limits = {u.id: unit_limits(u, defaults) for u in units}
    settings = scrapy_settings(units, limits, defaults, "", progress_interval)
    out_dir = tempfile.mkdtemp(prefix="govaudit-worker-")
    configure(settings, redis_url, run_id, worker_id, out_dir=out_dir, alive_ttl=alive_ttl)
    # Scrapy pulls requests from the scheduler until CONCURRENT_REQUESTS are in its downloader; a
    # worker must not drain the shared queue into its own memory: at most what its slots can use
    # (and the browser's pages).
    slots = sum(limits[u.id]["concurrency_per_site"] * len(u.scope_hosts()) for u in units)
    browser = settings.getdict("DOWNLOAD_SLOTS").get(render.RENDER_SLOT, {}).get("concurrency", 0) \
        if settings.getbool("GOVAUDIT_RENDER") else 0
    settings.set("CONCURRENT_REQUESTS", max(1, min(defaults["global_concurrency"], slots)) + browser)
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "scrapy_redis", "scrapy_playwright"):
        logging.getLogger(name).setLevel(logging.ERROR)
    crawler = process.create_crawler(AuditSpider)
    process.crawl(crawler, units=units, run_id=run_id, limits=limits,
                  attachment_extensions=tuple(attachment_extensions))
    try:
        process.start()
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return dict(crawler.spider.counts)


class Collector:
    """The one writer of a distributed run: moves items from Redis into the store, answers the
    workers' requests for revalidated bodies, writes renders and their screenshots.

    Items are moved (BLMOVE) to `items:collecting` and deleted from there only once the store
    has committed them, so a collector killed at any moment loses nothing: started again, it
    writes what it had taken first. Pages are written once per (unit, URL, purpose, method): a
    request re-done after its worker was taken for lost, or re-read after a collector restart,
    is not stored twice."""

    def __init__(self, redis_url: str, run_id: str, store_path: str, batch: int = 300, seconds: float = 2.0) -> None:
        self.r = _redis(redis_url)
        self.run_id = run_id
        self.items, self.taken = key(run_id, "items"), key(run_id, "items:collecting")
        self.out = Path(store_path).resolve().parent
        self.pipe = StorePipeline(store_path, batch=10 ** 9, seconds=float("inf"))  # flushed here only
        self.batch, self.seconds = batch, seconds
        self.renders: list[dict[str, Any]] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.pending = 0
        self.last_flush = time.monotonic()
        self.n = self.duplicates = self.bodies_sent = 0

    def open(self) -> None:
        self.pipe.open_spider()
        conn = self.pipe.store.conn  # type: ignore[union-attr]
        self.seen = {tuple(r) for r in conn.execute(
            "SELECT unit_id, url, purpose, method FROM pages WHERE run_id=?", (self.run_id,))}
        self.seen |= {("render", *r) for r in conn.execute(
            "SELECT unit_id, url, link_count, title FROM renders WHERE run_id=?", (self.run_id,))}
        left = self.r.lrange(self.taken, 0, -1)
        if left:
            log.info("运行 %s：先写入上一个收集进程已取出、尚未写入的 %d 条", self.run_id, len(left))
            for data in left:
                self.take(data)
            self.flush()

    def take(self, data: bytes) -> None:
        it = decode_item(data)
        shot = it.pop("screenshot_data", None)
        if it.get("screenshot"):
            name = Path(it["screenshot"]).name  # only a file name from a worker: never a path out of OUT
            path = self.out / render.SCREENSHOT_DIR / name
            if shot:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(shot)
            it["screenshot"] = f"{render.SCREENSHOT_DIR}/{name}" if path.is_file() else None
        kind = it.pop("kind", "page")
        if kind == "render":
            it.pop("body", None)
            k: tuple[Any, ...] = ("render", it["unit_id"], it["url"], len(it.get("links") or []), it.get("title"))
            if k not in self.seen:
                self.seen.add(k)
                self.renders.append(it)
                self.pending += 1
            return
        k = (it["unit_id"], it["url"], it["purpose"], it.get("method"))
        if k in self.seen:
            self.duplicates += 1
            return
        self.seen.add(k)
        it["kind"] = "page"
        self.pipe.process_item(it)
        self.n += 1
        self.pending += 1

    def due(self) -> bool:
        return self.pending >= self.batch or (self.pending > 0 and time.monotonic() - self.last_flush > self.seconds)

    def flush(self) -> None:
        self.pipe.flush()
        if self.pipe.error:
            raise StoreError(self.pipe.error)
        if self.renders:
            self.pipe.store.write_renders(self.renders)  # type: ignore[union-attr]
            self.renders = []
        self.r.delete(self.taken)  # committed: nothing taken is pending any more
        self.pending = 0
        self.last_flush = time.monotonic()

    def serve_bodies(self) -> None:
        """Answer the workers' requests for a revalidated page's body (incremental.RedisConditionalMiddleware)."""
        while True:
            digest = self.r.lpop(key(self.run_id, "bodyreq"))
            if digest is None:
                return
            d = digest.decode()
            row = self.pipe.store.conn.execute(  # type: ignore[union-attr]
                "SELECT codec, data FROM bodies WHERE sha256=?", (d,)).fetchone()
            value = b"-" if row is None else (b"z" if row[0] == "zlib" else b"r") + row[1]
            self.r.set(key(self.run_id, f"body:{d}"), value, ex=120)  # read within BODY_WAIT
            self.bodies_sent += 1

    def link_screenshots(self) -> None:
        """A render that arrived before its page: link the screenshot now (Store.write_renders did
        it for the pages already there)."""
        store = self.pipe.store
        assert store is not None
        with store.conn:
            store.conn.execute(
                "UPDATE pages SET rendered=1, screenshot=(SELECT r.screenshot FROM renders r WHERE r.run_id=pages.run_id "
                "AND r.unit_id=pages.unit_id AND r.url=pages.url AND r.screenshot IS NOT NULL LIMIT 1) "
                f"WHERE run_id=? AND screenshot IS NULL AND purpose IN ({','.join('?' * len(CONTENT_PURPOSES))}) "
                "AND EXISTS (SELECT 1 FROM renders r WHERE r.run_id=pages.run_id AND r.unit_id=pages.unit_id "
                "AND r.url=pages.url AND r.screenshot IS NOT NULL)", (self.run_id, *CONTENT_PURPOSES))

    def close(self) -> None:
        self.pipe.close_spider()


def publish_validators(redis_url: str, run_id: str, rows: Iterable[tuple[str, dict[str, str], str]]) -> int:
    """The previous run's validators (url, headers, sha256) for the workers' conditional requests,
    published before any worker starts fetching."""
    r = _redis(redis_url)
    n = 0
    pipe = r.pipeline(transaction=False)
    for url, headers, digest in rows:
        pipe.hset(key(run_id, "validators"), url, json.dumps([headers, digest], ensure_ascii=False))
        n += 1
        if n % 1000 == 0:
            pipe.execute()
    pipe.execute()
    if n:
        log.info("运行 %s：已发布上一批次 %d 个页面的校验值（ETag/Last-Modified），供工作进程发条件请求", run_id, n)
    return n


def cleanup(r: Any, run_id: str, keep: str | None = None) -> None:
    """Delete the run's keys, but those starting with `keep` and `checkend` (it tells late checkers
    that the check stage is over; it expires by itself)."""
    end = key(run_id, "checkend").encode()
    gone = [k for k in r.scan_iter(match=key(run_id, "*"), count=1000)
            if k != end and not (keep and k.startswith(keep.encode()))]
    if gone:
        r.delete(*gone)


def collect(redis_url: str, run_id: str, store_path: str, expect_workers: int = 1,
            wait_first: float = 600.0, poll: float = 0.2, give_up: float = 600.0,
            units: list[Any] | None = None, limits: dict[str, dict[str, Any]] | None = None) -> int:
    """The one writer: move items from Redis into the store until every worker is done and the
    list is empty, then (given the units and their limits) each unit's coverage. Returns the
    number of pages written."""

    c = Collector(redis_url, run_id, store_path)
    r = c.r
    workers = key(run_id, "workers")
    c.open()
    t0 = time.monotonic()
    stalled: float | None = None
    try:
        while True:
            c.serve_bodies()
            data = r.blmove(c.items, c.taken, poll, "LEFT", "RIGHT")
            if data is not None:
                c.take(data)
                if c.due():
                    c.flush()
                if c.n and c.n % 1000 == 0:
                    log.info("已收集 %d 个页面", c.n)
                continue
            c.flush()
            for w, k in recover_lost(r, run_id).items():
                log.warning("工作进程 %s 未完成就停止（无心跳）：它手上的 %d 个请求已放回队列，由其他工作进程完成", w, k)
            states = {k.decode(): v.decode() for k, v in r.hgetall(workers).items()}
            if len(states) >= expect_workers and all(v in ("done", "lost") for v in states.values()) \
                    and not r.llen(c.items):
                left = hostqueue.queued(r, key(run_id, "requests"))
                if not left:
                    break
                # every worker stopped (a signal, a lost machine) with requests still queued: the
                # queue persists, so a worker started again continues the crawl; wait for one
                if stalled is None:
                    stalled = time.monotonic()
                    log.warning("所有工作进程都已停止，队列里还有 %d 个请求：请再启动一个工作进程继续（%.0f 秒后放弃）",
                                left, give_up)
                elif time.monotonic() - stalled > give_up:
                    log.warning("放弃：运行 %s 有 %d 个请求未抓取", run_id, left)
                    break
                continue
            stalled = None
            if not states and time.monotonic() - t0 > wait_first:
                log.warning("%.0f 秒内没有工作进程加入运行 %s", wait_first, run_id)
                break
        c.flush()
        c.link_screenshots()
    finally:
        c.close()
    if units is not None and limits is not None:
        record_coverage(r, run_id, store_path, units, limits, stopped=bool(hostqueue.queued(r, key(run_id, "requests"))))
    cleanup(r, run_id, keep=key(run_id, "check"))  # the check stage (commands/_distcheck.py) comes next
    log.info("运行 %s 共收集 %d 个页面（丢弃重复 %d 个；未变化页面的原正文发给工作进程 %d 次）", run_id, c.n,
             c.duplicates, c.bodies_sent)
    return c.n
