"""Distributed crawling on scrapy-redis: many worker processes (on one or many machines) share one
scheduler queue and one dupefilter in Redis; their items go to a Redis list that ONE collector
process writes into the store (the store keeps its single writer).

    govaudit collect --redis redis://host:6379/0 --units units.yaml --run 2026-11-26 --out out/nightly
    govaudit worker  --redis redis://host:6379/0 --units units.yaml --run 2026-11-26   # on each machine

Keys, all under `govaudit:<run>:` — `requests` (scrapy-redis priority queue, pickled requests: keep
Redis private), `dupefilter` (request fingerprints), `items` (JSON crawl items, bodies base64),
`workers` (hash: worker id -> busy | idle | done), `alive:<worker>` (heartbeat, expires after 60 s:
a killed worker is given up, and the requests it held in memory are not crawled).

Dedupe: the spider marks its requests dont_filter (it de-duplicates per unit in memory); here a
spider middleware lets first requests of a URL go through the shared dupefilter, so a page found by
two workers is fetched once. Retries and redirect hops stay unfiltered. Per-unit budgets
(max_pages, site_time) apply per worker.

Politeness holds across workers: before a request goes to the network, HostLeaseMiddleware takes a
lease for its host in Redis (`hostlease:<host>`, a sorted set of leases expiring after LEASE_TTL,
and `hostnext:<host>`, the earliest start of the next request). A host never has more requests in
flight than its concurrency nor two starts closer than its delay, whatever the number of workers;
the units of one 集约化 platform host share that host's budget. Leases are taken in one Lua script
on Redis's clock (no skew between machines) and expire, so a killed worker frees its host.

A worker stops when the shared queue is empty and every other worker is idle or done; a worker that
stops early loses nothing (whoever is still busy crawls what it discovers).
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
import time
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy.settings import Settings
from govaudit.crawler.run import unit_limits
from govaudit.crawler.settings import scrapy_settings
from govaudit.crawler.spider import AuditSpider
from govaudit.crawler.pipelines import StorePipeline
import redis
from scrapy.crawler import CrawlerProcess
from twisted.internet import task

log = logging.getLogger("govaudit.distributed")

PREFIX = "govaudit:{run}:"
ALIVE_EVERY = 5.0   # seconds between a worker's heartbeats
ALIVE_TTL = 60      # a worker without a heartbeat for this long is considered gone


def key(run_id: str, what: str) -> str:
    return PREFIX.format(run=run_id) + what


def configure(settings: Settings, redis_url: str, run_id: str, worker_id: str | None = None) -> None:
    """Turn an audit crawl's settings into a worker's: Redis scheduler, dupefilter and items."""
    settings.setdict({
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_PERSIST": True,  # the queue outlives a worker; the collector clears it at the end
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": key(run_id, "requests"),
        "SCHEDULER_DUPEFILTER_KEY": key(run_id, "dupefilter"),
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {"govaudit.crawler.distributed.RedisItemsPipeline": 100},
        "GOVAUDIT_REDIS_URL": redis_url,
        "GOVAUDIT_RUN": run_id,
        "GOVAUDIT_WORKER": worker_id or f"{socket.gethostname()}-{os.getpid()}",
    })
    # The leases in Redis are the politeness now: a worker's own slot delays would only hold a
    # granted request back and bunch it with the next (AutoThrottle too: it sets slot delays).
    slots = {h: dict(v) for h, v in settings.getdict("DOWNLOAD_SLOTS").items()}
    settings.set("GOVAUDIT_HOST_LIMITS", {h: (v.get("concurrency"), v.get("delay", 0.0)) for h, v in slots.items()})
    settings.set("GOVAUDIT_DEFAULT_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
    for v in slots.values():
        v.update(delay=0, randomize_delay=False)
    settings.setdict({"DOWNLOAD_SLOTS": slots, "DOWNLOAD_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False,
                      "AUTOTHROTTLE_ENABLED": False})
    dl_mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    dl_mws["govaudit.crawler.distributed.HostLeaseMiddleware"] = 1000  # last before the network
    settings.set("DOWNLOADER_MIDDLEWARES", dl_mws)
    spider_mws = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mws["govaudit.crawler.distributed.SharedDedupMiddleware"] = 20
    settings.set("SPIDER_MIDDLEWARES", spider_mws)
    ext = dict(settings.getdict("EXTENSIONS"))
    ext["govaudit.crawler.distributed.WorkerCoordinator"] = 20
    settings.set("EXTENSIONS", ext)


def lost_workers(r: Any, run_id: str, states: dict[str, str]) -> set[str]:
    """Workers not done whose heartbeat key expired (killed, machine gone)."""
    return {w for w, v in states.items() if v != "done" and not r.exists(key(run_id, f"alive:{w}"))}


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


# KEYS: the host's leases (zset: lease id -> expiry, ms), the host's earliest next start (ms).
# ARGV: concurrency, delay ms, lease ttl ms, lease id. Returns 0 (granted) or the ms to wait.
LEASE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 20 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
redis.call('SET', KEYS[2], now + tonumber(ARGV[2]), 'PX', tonumber(ARGV[2]) + 1000)
return 0
"""
LEASE_TTL = 300.0  # seconds: longer than any download (DOWNLOAD_TIMEOUT), short enough to recover


class HostLeaseMiddleware:
    """Per-host concurrency and delay across all workers of a run (see the module docstring).
    A host's limits are those of its download slot as crawler/settings.py made it (the unit's
    concurrency_per_site and delay), else the defaults; configure() moved them here."""

    def __init__(self, redis_url: str, run_id: str, hosts: dict[str, Any], concurrency: int,
                 delay: float, worker: str) -> None:
        self.redis = _redis(redis_url)
        self.lease = self.redis.register_script(LEASE_LUA)
        self.run_id, self.hosts, self.worker = run_id, hosts, worker
        self.default = (max(1, concurrency), max(0.0, delay))
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "HostLeaseMiddleware":
        s = crawler.settings
        if not s.get("GOVAUDIT_RUN"):
            raise NotConfigured
        return cls(s.get("GOVAUDIT_REDIS_URL"), s.get("GOVAUDIT_RUN"), s.getdict("GOVAUDIT_HOST_LIMITS"),
                   s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), s.getfloat("GOVAUDIT_DEFAULT_DELAY"),
                   s.get("GOVAUDIT_WORKER"))

    def limits(self, host: str) -> tuple[int, float]:
        concurrency, delay = self.hosts.get(host) or self.default
        return max(1, int(concurrency or self.default[0])), max(0.0, float(delay or 0.0))

    async def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlsplit(request.url).hostname or ""
        concurrency, delay = self.limits(host)
        self.count += 1
        lease_id = f"{self.worker}:{self.count}"
        keys = [key(self.run_id, f"hostlease:{host}"), key(self.run_id, f"hostnext:{host}")]
        while True:
            wait_ms = int(self.lease(keys=keys, args=[concurrency, int(delay * 1000), int(LEASE_TTL * 1000), lease_id]))
            if wait_ms == 0:
                request.meta["govaudit_lease"] = (keys[0], lease_id)
                return None
            await asyncio.sleep(min(wait_ms, 1000) / 1000)

    def _release(self, request: Request) -> None:
        held = request.meta.pop("govaudit_lease", None)
        if held:
            self.redis.zrem(held[0], held[1])

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException, spider: Any = None) -> None:
        self._release(request)
        return None


def encode_item(item: dict[str, Any]) -> bytes:
    d = dict(item)
    body = d.pop("body", None)
    d["body_b64"] = base64.b64encode(body).decode("ascii") if body else None
    return json.dumps(d, ensure_ascii=False, default=str).encode("utf-8")


def decode_item(data: bytes) -> dict[str, Any]:
    d = json.loads(data)
    b64 = d.pop("body_b64", None)
    d["body"] = base64.b64decode(b64) if b64 else None
    return d


class RedisItemsPipeline:
    """Workers push crawl items to `govaudit:<run>:items`; `govaudit collect` writes them."""

    def __init__(self, redis_url: str, run_id: str) -> None:
        self.redis = _redis(redis_url)
        self.key = key(run_id, "items")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RedisItemsPipeline":
        return cls(crawler.settings.get("GOVAUDIT_REDIS_URL"), crawler.settings.get("GOVAUDIT_RUN"))

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        if item.get("kind") == "page":
            self.redis.rpush(self.key, encode_item(item))
        return {}


class WorkerCoordinator:
    """Keeps a worker alive while the shared queue has requests or another worker is busy."""

    def __init__(self, crawler: Crawler, redis_url: str, run_id: str, worker: str) -> None:
        self.crawler, self.run_id, self.worker = crawler, run_id, worker
        self.redis = _redis(redis_url)
        self.workers = key(run_id, "workers")
        self.queue = key(run_id, "requests")
        self.state = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WorkerCoordinator":
        s = crawler.settings
        if not s.get("GOVAUDIT_RUN"):
            raise NotConfigured
        ext = cls(crawler, s.get("GOVAUDIT_REDIS_URL"), s.get("GOVAUDIT_RUN"), s.get("GOVAUDIT_WORKER"))
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
        self._set("busy")
        self.beat = 0.0
        self._wake()
        log.info("worker %s joined run %s", self.worker, self.run_id)
        # Scrapy looks at an empty scheduler again only every 5 s; requests that other workers put
        # in the shared queue should be picked up sooner.
        self.poll = task.LoopingCall(self._wake)
        self.poll.start(0.5, now=False)

    def _wake(self) -> None:
        now = time.monotonic()
        if now - self.beat >= ALIVE_EVERY:  # a worker that dies stops refreshing this key
            self.redis.set(key(self.run_id, f"alive:{self.worker}"), "1", ex=ALIVE_TTL)
            self.beat = now
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        if slot is not None and self.redis.zcard(self.queue):
            slot.nextcall.schedule()

    def busy(self, *args: Any, **kw: Any) -> None:
        self._set("busy")

    def idle(self, spider: Any) -> None:
        self._set("idle")
        if self.redis.zcard(self.queue):
            raise DontCloseSpider
        others = {k.decode(): v.decode() for k, v in self.redis.hgetall(self.workers).items()}
        lost = lost_workers(self.redis, self.run_id, others)
        if any(v == "busy" for w, v in others.items() if w != self.worker and w not in lost):
            raise DontCloseSpider

    def closed(self, spider: Any, reason: str = "") -> None:
        if getattr(self, "poll", None) is not None and self.poll.running:
            self.poll.stop()
        self._set("done")
        log.info("worker %s done (%s)", self.worker, reason)


def work(units: list[Any], redis_url: str, run_id: str, defaults: dict[str, Any],
         attachment_extensions: list[str], worker_id: str | None = None,
         progress_interval: float = 10.0) -> dict[str, Any]:
    """Run one worker until the shared crawl is done. Returns this worker's counts."""

    limits = {u.id: unit_limits(u, defaults) for u in units}
    settings = scrapy_settings(units, limits, defaults, "", progress_interval)
    configure(settings, redis_url, run_id, worker_id)
    # Scrapy pulls requests from the scheduler until CONCURRENT_REQUESTS are in its downloader; a
    # worker must not drain the shared queue into its own memory: at most what its slots can use.
    slots = sum(limits[u.id]["concurrency_per_site"] * len(u.scope_hosts()) for u in units)
    settings.set("CONCURRENT_REQUESTS", max(1, min(defaults["global_concurrency"], slots)))
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "scrapy_redis"):
        logging.getLogger(name).setLevel(logging.ERROR)
    crawler = process.create_crawler(AuditSpider)
    process.crawl(crawler, units=units, run_id=run_id, limits=limits,
                  attachment_extensions=tuple(attachment_extensions))
    process.start()
    return dict(crawler.spider.counts)


def collect(redis_url: str, run_id: str, store_path: str, expect_workers: int = 1,
            wait_first: float = 600.0, poll: float = 1.0, give_up: float = 600.0) -> int:
    """The one writer: move items from Redis into the store until every worker is done and the
    list is empty. Returns the number of pages written."""

    r = _redis(redis_url)
    items, workers = key(run_id, "items"), key(run_id, "workers")
    pipe = StorePipeline(store_path)
    pipe.open_spider()
    n = 0
    t0 = time.monotonic()
    warned: set[str] = set()
    stalled: float | None = None
    try:
        while True:
            got = r.blpop([items], timeout=poll)
            if got is not None:
                pipe.process_item(decode_item(got[1]))
                n += 1
                if n % 1000 == 0:
                    log.info("collected %d page(s)", n)
                continue
            pipe.flush()
            states = {k.decode(): v.decode() for k, v in r.hgetall(workers).items()}
            lost = lost_workers(r, run_id, states)
            for w in lost - warned:
                log.warning("worker %s stopped without finishing (no heartbeat for %d s): "
                            "the requests it held are not crawled", w, ALIVE_TTL)
            warned |= lost
            if len(states) >= expect_workers and all(v == "done" or w in lost for w, v in states.items()) \
                    and not r.llen(items):
                left = r.zcard(key(run_id, "requests"))
                if not left:
                    break
                # every worker stopped (a signal, a lost machine) with requests still queued: the
                # queue persists, so a worker started again continues the crawl; wait for one
                if stalled is None:
                    stalled = time.monotonic()
                    log.warning("all workers stopped with %d request(s) still queued: start a worker again "
                                "to continue (giving up in %.0f s)", left, give_up)
                elif time.monotonic() - stalled > give_up:
                    log.warning("giving up: %d request(s) of run %s were never crawled", left, run_id)
                    break
                continue
            stalled = None
            if not states and time.monotonic() - t0 > wait_first:
                log.warning("no worker joined run %s within %.0f s", run_id, wait_first)
                break
    finally:
        pipe.close_spider()
    alive = [k for k in r.scan_iter(match=key(run_id, "alive:*"))]
    r.delete(key(run_id, "requests"), key(run_id, "dupefilter"), items, workers, *alive)
    log.info("collected %d page(s) of run %s", n, run_id)
    return n
