"""Which units of a many-unit crawl are done: for the progress line ("units done 12/40") and the log.

A unit is done when it has produced at least one result and nothing of it is waiting anywhere in
the engine: no request of its hosts in the scheduler's per-slot queues, none of its requests in the
downloader or being scraped. Sampled once a second (cheap: per-slot lengths and two small sets).
External link checks wait in other hosts' slots and are not looked at, so a unit may be reported
done while a few of its external checks are still queued. Off with a scheduler that has no per-slot
queues (the distributed Redis scheduler).
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

log = logging.getLogger("govaudit.progress")

# Why the last crawl of this process closed ('finished', or 'shutdown' after SIGINT/SIGTERM …):
# a crawl stopped by a signal must not be checked and reported as if it were complete.
last_close_reason: str | None = None


class UnitsDone:
    def __init__(self, crawler: Crawler, interval: float = 1.0) -> None:
        self.crawler, self.interval = crawler, interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "UnitsDone":
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.sample)
        self.loop.start(self.interval, now=False)

    def _queued_slots(self) -> set[str] | None:
        scheduler = getattr(self.crawler.engine, "_slot", None)
        scheduler = getattr(scheduler, "scheduler", None)
        busy: set[str] = set()
        found = False
        for qname in ("mqs", "dqs"):
            q = getattr(scheduler, qname, None)
            pqueues = getattr(q, "pqueues", None)
            if pqueues is None:
                continue
            found = True
            busy |= {slot for slot, pq in pqueues.items() if len(pq)}
        return busy if found else None

    def sample(self) -> None:
        spider = self.crawler.spider
        engine = self.crawler.engine
        states = getattr(spider, "states", None)
        if not states or engine is None:
            return
        queued = self._queued_slots()
        if queued is None:
            return
        active: set[str] = {r.meta.get("unit") for r in getattr(engine.downloader, "active", ())}
        scraper_slot = getattr(engine.scraper, "slot", None)
        if scraper_slot is not None:
            active |= {r.meta.get("unit") for r in getattr(scraper_slot, "active", ())}
            active |= {q[1].meta.get("unit") for q in getattr(scraper_slot, "queue", ())}
        for uid, st in states.items():
            done = st.pages > 0 and uid not in active and not (st.hosts & queued)
            if done and not st.finished:
                log.info("%s: done, %d request(s), %d error(s)", uid, st.pages, st.errors)
            st.finished = done

    def closed(self, spider: Any, reason: str = "finished") -> None:
        global last_close_reason
        last_close_reason = reason
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for uid, st in getattr(spider, "states", {}).items():
            if not st.finished:
                log.info("%s: done, %d request(s), %d error(s)", uid, st.pages, st.errors)
            st.finished = True
