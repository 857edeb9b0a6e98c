"""Progress on the terminal while crawling, and per-site time budgets enforced at download time."""
from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from twisted.internet import task

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
    """Downloader middleware: drop queued requests of a site whose time budget is spent."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SiteBudgetMiddleware":
        return cls(crawler)

    def process_request(self, request: Any, spider: Any = None) -> None:
        st = getattr(self.crawler.spider, "states", {}).get(request.meta.get("unit"))
        if st is not None and request.meta.get("purpose") != "home" and st.out_of_time():
            raise IgnoreRequest("site time limit")
        return None


def stop_after_headers(headers: Any, body_length: Any, request: Any, spider: Any = None) -> None:
    """headers_received handler: stop a download once its headers say all we need.

    - A link check that fell back from HEAD to GET needs the status and headers, not the body
      (a 300 MB external ISO is not downloaded to learn that it exists).
    - A body whose declared length is over the request's byte cap is not downloaded either; the
      response is still recorded with its status, and the spider notes the cap (limits_hit
      max_bytes). A body that grows past the cap without a declared length is cut off by Scrapy
      (reason `too large`).
    """
    from scrapy.exceptions import StopDownload

    meta = request.meta
    if meta.get("purpose") == "check" and request.method == "GET":
        raise StopDownload(fail=False)
    cap = meta.get("download_maxsize") or 0
    if cap and isinstance(body_length, int) and body_length > cap:
        meta["over_max_bytes"] = body_length
        raise StopDownload(fail=False)
