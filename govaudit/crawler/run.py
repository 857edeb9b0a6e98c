"""Run one crawl (one or many units, concurrently, in this process) into the store."""
from __future__ import annotations

import logging
import os
import signal
import sqlite3
from typing import Any, Callable

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from govaudit.crawler import coverage
from govaudit.crawler.pipelines import StorePipeline
from govaudit.crawler.settings import scrapy_settings
from govaudit.crawler.spider import AuditSpider
from govaudit.model import Unit
from govaudit.store import Store, StoreError
import gc
import ctypes

log = logging.getLogger("govaudit.crawl")


def unit_limits(unit: Unit, defaults: dict[str, Any]) -> dict[str, Any]:
    return {**defaults, **unit.overrides}


def crawl(units: list[Unit], store_path: str, run_id: str, defaults: dict[str, Any],
          attachment_extensions: list[str], progress_interval: float = 5.0,
          configure: Callable[[Settings], None] | None = None) -> dict[str, Any]:
    """Crawl all units into the store under run_id. Returns a summary per unit.
    `configure` may adjust the Scrapy settings (nightly: incremental, resume; distributed).
    Must be called once per process (Twisted's reactor cannot restart)."""
    limits = {u.id: unit_limits(u, defaults) for u in units}
    if not defaults["obey_robots"] or any(not lim["obey_robots"] for lim in limits.values()):
        log.warning("不遵守 robots.txt：%s（为法定检查明确设置）",
                    ", ".join(u.id for u in units if not limits[u.id]["obey_robots"]))
    settings = scrapy_settings(units, limits, defaults, store_path, progress_interval)
    # Ctrl-C/SIGTERM stop this crawl within seconds (not in distributed workers: the requests a
    # worker drops would be lost from the shared queue; Scrapy's graceful stop finishes them there)
    settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), "govaudit.crawler.extensions.Interrupt": 20})
    if configure is not None:
        configure(settings)
    resumed = settings.get("GOVAUDIT_RESUME_RUN")
    process = CrawlerProcess(settings)
    for name in ("scrapy", "twisted", "scrapy_playwright"):  # Scrapy re-configures its loggers
        logging.getLogger(name).setLevel(logging.ERROR)
    crawler = process.create_crawler(AuditSpider)
    process.crawl(crawler, units=units, run_id=run_id, limits=limits,
                  attachment_extensions=tuple(attachment_extensions))
    interrupt = getattr(crawler, "govaudit_interrupt", None)
    if interrupt is not None:
        interrupt.on_kill = lambda: _kill(crawler, store_path, run_id)
        interrupt.on_force = lambda: _flush(crawler)
    try:
        process.start()
    finally:  # our handlers call into the stopped reactor: a Ctrl-C from now on is a KeyboardInterrupt
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    spider = crawler.spider
    store_error = getattr(spider, "store_error", None)
    if store_error:  # disk full or similar: earlier runs are intact, this one is marked failed
        try:
            failed = Store(store_path)
            failed.finish_run(run_id, "failed", store_error)
            failed.close()
        except (sqlite3.Error, OSError):
            pass  # still unwritable: the next writer marks the run incomplete (its process is gone)
        raise StoreError(store_error)
    summary: dict[str, Any] = {}
    interrupted = getattr(spider, "interrupted", None)
    store = Store(store_path)
    try:
        before = coverage.stored(store, run_id) if resumed else {}
        covered = coverage.record(store, run_id, spider.states, getattr(spider, "close_reason", None), interrupted,
                                  before)
        for uid, st in spider.states.items():
            status = "unreachable" if st.home_failed else "partial" if covered[uid]["status"] == "partial" else "crawled"
            summary[uid] = {"pages": st.pages, "errors": st.errors, "status": status,
                            "home_failed": st.home_failed, "limits_hit": st.limits_hit,
                            "coverage": covered[uid], "interrupted": interrupted}
    finally:
        store.close()
    del spider, crawler, process
    release_memory()
    return summary


def _flush(crawler: Any) -> None:
    """Write the pages the store pipeline still holds (the crawl is being stopped)."""
    engine = crawler.engine
    for pipe in getattr(getattr(getattr(engine, "scraper", None), "itemproc", None), "middlewares", ()):
        if isinstance(pipe, StorePipeline):
            pipe.flush()


def _kill(crawler: Any, store_path: str, run_id: str) -> None:
    """Second Ctrl-C: write what was fetched and the coverage, say how to go on, exit 130 now."""
    spider = crawler.spider
    try:
        _flush(crawler)
        store = Store(store_path)
        try:
            coverage.record(store, run_id, spider.states, "interrupted", spider.interrupted or "SIGINT")
            store.finish_run(run_id, "incomplete", "crawl interrupted twice: not checked")
        finally:
            store.close()
    except Exception as e:  # noqa: BLE001 — whatever happens, the user asked to stop now
        log.error("无法在 %s 中记录被中断的运行：%s", store_path, e)
    finally:
        out = os.path.dirname(store_path) or "."
        log.warning("抓取已中止，已抓取的 %d 个页面保存在 %s（运行 %s），未做检查。继续抓取：原命令加 --resume；"
                    "只生成暂定报告：govaudit check --out %s", sum(st.pages for st in spider.states.values()),
                    store_path, run_id, out)
        logging.shutdown()
        os._exit(130)


def release_memory() -> None:
    """Give the crawl's freed heap back to the OS before the checks run in the same process, so
    that the audit's peak memory is the larger of the two stages, not their sum (bench/RESULTS.md).
    malloc_trim is glibc's; elsewhere only the garbage collector runs."""

    gc.collect()
    try:

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
