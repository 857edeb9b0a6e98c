"""Scrapy settings for an audit crawl, built from the validated crawl config."""
from __future__ import annotations

from typing import Any

from scrapy.settings import Settings

from govaudit.crawler.render import RENDER_SLOT, render_settings
from govaudit.model import Unit

# Browser renders get a download slot of their own (crawler/render.py sets meta download_slot): in
# the site's slot, a render waiting for one of the browser's pages would hold the site's only
# request slot, and dozens of queued renders would fill the downloader and stall every site
# (bench/RESULTS.md, multi-site run). Its concurrency is the number of browser pages.


def scrapy_settings(units: list[Unit], limits: dict[str, dict[str, Any]], defaults: dict[str, Any],
                    store_path: str, progress_interval: float) -> Settings:
    # Per-site politeness: one download slot per host, with that unit's concurrency and delay.
    slots: dict[str, dict[str, Any]] = {}
    for u in units:
        lim = limits[u.id]
        for host in u.scope_hosts():
            slots[host] = {"concurrency": lim["concurrency_per_site"], "delay": lim["delay"],
                           "randomize_delay": lim["delay"] > 0}
    slots[RENDER_SLOT] = {"concurrency": 2, "delay": 0, "randomize_delay": False}
    s = Settings()
    s.setdict({
        "BOT_NAME": "govaudit",
        "USER_AGENT": defaults["user_agent"],
        "ROBOTSTXT_OBEY": defaults["obey_robots"],
        "CONCURRENT_REQUESTS": defaults["global_concurrency"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": defaults["concurrency_per_site"],
        "DOWNLOAD_DELAY": defaults["delay"],
        "RANDOMIZE_DOWNLOAD_DELAY": defaults["delay"] > 0,
        "DOWNLOAD_SLOTS": slots,
        "DOWNLOAD_TIMEOUT": defaults["timeout"],
        "DOWNLOAD_MAXSIZE": defaults["max_bytes"],
        "DOWNLOAD_WARNSIZE": 0,
        "AUTOTHROTTLE_ENABLED": defaults["autothrottle"],
        "AUTOTHROTTLE_START_DELAY": max(defaults["delay"], 0.25),
        "AUTOTHROTTLE_MAX_DELAY": 10.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(defaults["concurrency_per_site"]),
        "RETRY_ENABLED": defaults["retries"] > 0,
        "RETRY_TIMES": defaults["retries"],
        "RETRY_HTTP_CODES": [],  # HTTP errors are findings, not retried; connection errors are
        # breadth-first, by download slot, so that one big site does not starve the others
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        # Scrapy starts CONCURRENT_ITEMS asyncio tasks per response to run the item pipelines in
        # parallel; ours are synchronous, so 100 (the default) only costs time (bench/RESULTS.md)
        "CONCURRENT_ITEMS": 4,
        "REACTOR_THREADPOOL_MAXSIZE": 20,
        "DNS_TIMEOUT": 15,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy re-reads the callback's source (inspect + ast) whenever its weak cache misses,
        # which for bound methods is hundreds of times a crawl; our callbacks return nothing.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "LOG_LEVEL": "WARNING",
        "LOG_INSTALL_ROOT_HANDLER": False,
        "LOGSTATS_INTERVAL": 0,
        "STATS_DUMP": False,
        "DOWNLOADER_MIDDLEWARES": {
            # we follow redirects ourselves, to record every hop and detect loops
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            # no-ops for this spider, but a cost on every request (bench/RESULTS.md)
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            "govaudit.crawler.extensions.SiteBudgetMiddleware": 50,
        },
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,  # depth is tracked per unit
            "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
            # every request asks for all statuses (handle_httpstatus_all); a debugging aid
            "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "ITEM_PIPELINES": {"govaudit.crawler.render.RenderPipeline": 50, "govaudit.crawler.pipelines.StorePipeline": 100},
        "EXTENSIONS": {"govaudit.crawler.extensions.Progress": 10, "scrapy.extensions.telnet.TelnetConsole": None,
                       "scrapy.extensions.corestats.CoreStats": None},  # Progress counts for us
        "GOVAUDIT_STORE": store_path,
        "GOVAUDIT_PROGRESS_INTERVAL": progress_interval,
    })

    s.setdict(render_settings(defaults))
    return s
