"""Progress on the terminal while crawling, per-site time and page budgets enforced at download
time, and a prompt stop on Ctrl-C/SIGTERM that keeps what was fetched."""
from __future__ import annotations

import logging
import signal
import time
from typing import Any, Callable

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task
from twisted.python.failure import Failure
from scrapy.exceptions import StopDownload

log = logging.getLogger("govaudit.progress")


class Progress:
    """Logs '已抓取 N 页（队列 Q，进行中 A，错误 E），每秒 R 页' every few seconds."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler, self.interval = crawler, interval
        self.t0 = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Progress":
        interval = crawler.settings.getfloat("GOVAUDIT_PROGRESS_INTERVAL", 5.0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        self.spider = spider
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        spider = self.spider
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) if engine else None
        try:
            queue = len(scheduler) if scheduler is not None else 0
        except TypeError:
            queue = 0
        active = len(engine.downloader.active) if engine else 0
        c = spider.counts
        rate = c["pages"] / max(0.001, time.monotonic() - self.t0)
        done = sum(1 for s in spider.states.values() if s.finished)
        # the estimate is the queue at the current rate: a floor (new links keep arriving), shown once known
        eta = f"，队列约需 {fmt_duration(queue / rate)}" if queue and rate >= 0.5 else ""
        log.info("已抓取 %d 页（队列 %d，进行中 %d，错误 %d），每秒 %.0f 页%s%s", c["pages"], queue, active,
                 c["errors"], rate, eta, f"，已完成单位 {done}/{len(spider.states)}" if len(spider.states) > 1 else "")

    def closed(self, spider: Any) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report()


def fmt_duration(seconds: float) -> str:
    """A duration for the progress line: 40 秒, 3 分钟, 1 小时 20 分钟."""
    s = int(seconds)
    if s < 60:
        return f"{s} 秒"
    if s < 3600:
        return f"{s // 60} 分钟"
    return f"{s // 3600} 小时 {s % 3600 // 60} 分钟"


class SiteBudgetMiddleware:
    """Downloader middleware: drop queued requests of a site whose time budget is spent, and spend
    its page budget (max_pages) here, when a request leaves the priority queue: the pages the
    rules need are fetched first, so the budget goes to them (extract/linkclass.py)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SiteBudgetMiddleware":
        return cls(crawler)

    def process_request(self, request: Any, spider: Any = None) -> None:
        st = getattr(self.crawler.spider, "states", {}).get(request.meta.get("unit"))
        if st is None:
            return None
        spider = self.crawler.spider
        if getattr(spider, "interrupted", None):
            raise IgnoreRequest("interrupted")
        home = request.meta.get("purpose") == "home"
        if not home and st.out_of_time():
            raise IgnoreRequest("site time limit")
        if request.meta.pop("budget", False):  # the first request for a URL (not its redirects, retries)
            if home:
                st.spend_home()
            elif not st.spend():
                raise IgnoreRequest("max_pages")
        return None


class Interrupt:
    """Ctrl-C / SIGTERM: stop the crawl within seconds and keep what was fetched.

    Scrapy's own first-signal handling waits for every request already handed to the downloader
    (with a delay of 0.5 s and dozens queued per site, half a minute). Here the first signal drops
    the downloader's queues at once, lets transfers in progress finish for GRACE seconds, then
    cuts them (their failures are not findings: spider.interrupted), and closes the spider with
    reason 'interrupted'. Whatever still runs after HARD seconds (a browser render) is abandoned:
    the store is flushed (`on_force`) and the reactor stopped where it is, so that the checks and
    reports of what was fetched start within 5 s of the signal. A second signal stops at once: the
    store is flushed, the coverage recorded, and the process exits 130 (`on_kill`). Both callbacks
    are set by crawler/run.py."""

    GRACE = 1.5
    HARD = 3.5

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.signals = 0
        self.done = False
        self.on_kill: Callable[[], None] | None = None
        self.on_force: Callable[[], None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "Interrupt":
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.govaudit_interrupt = ext  # type: ignore[attr-defined]
        return ext

    def opened(self, spider: Any) -> None:
        from twisted.internet import reactor  # here: importing it at module load would install the wrong reactor

        # after Scrapy's own handlers, which it installs once the reactor has started
        reactor.callWhenRunning(reactor.callLater, 0.05, self.install)  # type: ignore[attr-defined]

    def install(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._handler)

    def _handler(self, signum: int, _frame: Any) -> None:
        # in a signal handler: no logging, no I/O; hand over to the reactor thread
        from twisted.internet import reactor  # the one Scrapy installed (see opened)

        self.signals += 1
        reactor.callFromThread(self.stop if self.signals == 1 else self.kill, signum)  # type: ignore[attr-defined]

    def stop(self, signum: int) -> None:
        from twisted.internet import reactor  # the one Scrapy installed (see opened)

        spider, engine = self.crawler.spider, self.crawler.engine
        if spider is None or engine is None or getattr(spider, "interrupted", None):
            return
        spider.interrupted = signal.Signals(signum).name  # type: ignore[attr-defined]
        log.warning("收到 %s：正在停止抓取，保留已抓取的页面（再按一次 Ctrl-C 立即退出）", spider.interrupted)
        downloader = engine.downloader
        for slot in list(downloader.slots.values()):
            if slot.latercall is not None:
                slot.latercall.cancel()
                slot.latercall = None
            while slot.queue:
                _request, dfd = slot.queue.popleft()
                dfd.errback(Failure(IgnoreRequest("interrupted")))
        reactor.callLater(self.GRACE, self.cut_transfers)  # type: ignore[attr-defined]
        reactor.callLater(self.HARD, self.force)  # type: ignore[attr-defined]
        if getattr(engine, "running", False):
            deferred_from_coro(engine.close_spider_async(reason="interrupted"))

    @staticmethod
    def cut_transfers() -> None:
        """Fire the download timeouts of transfers still running (Scrapy's HTTP handler cancels a
        download by a delayed call to the deferred's cancel): they end now, as failures that the
        spider drops because it was interrupted."""
        from twisted.internet import reactor  # the one Scrapy installed (see opened)

        for call in reactor.getDelayedCalls():  # type: ignore[attr-defined]
            func = getattr(call, "func", None)
            if getattr(func, "__name__", "") == "cancel" and call.active():
                call.reset(0)

    def force(self) -> None:
        from twisted.internet import reactor  # the one Scrapy installed (see opened)

        if self.done:
            return
        log.warning("仍未结束的下载或渲染已放弃")
        if self.on_force is not None:
            self.on_force()
        pool = getattr(reactor, "threadpool", None)
        if pool is not None:  # a shutdown trigger stops it, and crash() runs none: its threads would keep the process
            pool.stop()
        reactor.crash()  # type: ignore[attr-defined]  # stop now: no shutdown triggers (they wait for the downloads)

    def kill(self, signum: int) -> None:
        log.warning("再次收到 %s：立即退出", signal.Signals(signum).name)
        if self.on_kill is not None:
            self.on_kill()

    def closed(self, spider: Any, reason: str = "finished") -> None:
        self.done = True
        spider.close_reason = reason


def stop_after_headers(headers: Any, body_length: Any, request: Any, spider: Any = None) -> None:
    """headers_received handler: stop a download once its headers say all we need.

    - A link check that fell back from HEAD to GET needs the status and headers, not the body
      (a 300 MB external ISO is not downloaded to learn that it exists).
    - A body whose declared length is over the request's byte cap is not downloaded either; the
      response is still recorded with its status, and the spider notes the cap (limits_hit
      max_bytes). A body that grows past the cap without a declared length is cut off by Scrapy
      (reason `too large`).
    """

    meta = request.meta
    if meta.get("purpose") == "check" and request.method == "GET":
        raise StopDownload(fail=False)
    cap = meta.get("download_maxsize") or 0
    if cap and isinstance(body_length, int) and body_length > cap:
        meta["over_max_bytes"] = body_length
        raise StopDownload(fail=False)
