"""The one writer: crawl items into the store, in batches, one transaction per batch."""
from __future__ import annotations

import logging
import sqlite3
import time
from typing import Any

from scrapy.crawler import Crawler

from govaudit.store import Store
from scrapy.utils.defer import deferred_from_coro

log = logging.getLogger("govaudit.crawl")


class StorePipeline:
    def __init__(self, store_path: str, batch: int = 300, seconds: float = 2.0) -> None:
        self.store_path, self.batch, self.seconds = store_path, batch, seconds
        self.pages: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.bodies: dict[str, bytes] = {}
        self.last_flush = time.monotonic()
        self.store: Store | None = None

    crawler: Crawler | None = None
    error: str | None = None  # set when the store cannot be written (disk full …): the crawl stops

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePipeline":
        pipe = cls(crawler.settings.get("GOVAUDIT_STORE"), crawler.settings.getint("GOVAUDIT_BATCH", 300))
        pipe.crawler = crawler
        return pipe

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store(self.store_path)
        # 64 MB page cache (SQLite's default is 2 MB): the links indexes of a 10,000-page crawl
        # outgrow the default and every insert then re-reads index pages; -27 % CPU on the
        # writes (bench/RESULTS.md)
        self.store.conn.execute("PRAGMA cache_size=-65536")

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        if item.get("kind") != "page":
            return item
        body = item.pop("body", None)
        if body and item["sha256"]:
            self.bodies.setdefault(item["sha256"], body)
        ref = len(self.pages)
        for ln in item.pop("links", []):
            ln.update(page_ref=ref, run_id=item["run_id"], unit_id=item["unit_id"], source_url=item["url"])
            self.links.append(ln)
        item.pop("kind")
        self.pages.append(item)
        if len(self.pages) >= self.batch or time.monotonic() - self.last_flush > self.seconds:
            self.flush()
        return {}

    def flush(self) -> None:
        if self.error:  # the store is unwritable: what is left is dropped, the crawl is stopping
            self.pages, self.links, self.bodies = [], [], {}
            return
        if not self.pages or self.store is None:
            return
        try:
            self.store.write_batch(self.pages, self.links, list(self.bodies.items()))
        except (sqlite3.Error, OSError) as e:  # disk full, file too large, read-only: stop, do not go on blind
            self._fail(e)
        self.pages, self.links, self.bodies = [], [], {}
        self.last_flush = time.monotonic()

    def _fail(self, e: BaseException) -> None:
        """The batch was rolled back (one transaction): earlier data is intact. Stop the crawl."""
        self.error = f"cannot write the store {self.store_path}: {e}"
        log.error("%s; crawl stopped", self.error)
        if self.crawler is not None:
            if self.crawler.spider is not None:
                self.crawler.spider.store_error = self.error  # type: ignore[attr-defined]
            engine = self.crawler.engine
            if engine is not None and getattr(engine, "running", False):

                deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def close_spider(self, spider: Any = None) -> None:
        self.flush()
        if self.store is not None:
            self.store.close()
