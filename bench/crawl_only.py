#!/usr/bin/env python3
"""Time the crawl stage alone (no checks, no reports) on one site: for profiling and tuning.

usage: crawl_only.py URL [--out DIR] [--profile FILE] [--concurrency N] [--delay S] [--no-render]
                      [--set SCRAPY_SETTING=JSON ...]
Prints pages stored, seconds, pages/s and this process's peak RSS. With --profile, writes
cProfile stats to FILE (read them with `python -m pstats FILE`).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import logging
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govaudit.crawler.run import crawl  # noqa: E402
from govaudit.commands._common import unit_from_url  # noqa: E402
from govaudit.checks.settings import load_rules_config  # noqa: E402
from govaudit.config import CRAWL_DEFAULTS  # noqa: E402
from govaudit.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--out", default="/tmp/govaudit-crawl-only")
    ap.add_argument("--profile")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--no-render", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=JSON",
                    help="override one Scrapy setting (experiments), e.g. --set CONCURRENT_ITEMS=100")
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    out = Path(a.out)
    shutil.rmtree(out, ignore_errors=True)
    rules = load_rules_config(None)
    defaults = {**CRAWL_DEFAULTS, **rules["crawl"], "concurrency_per_site": a.concurrency, "delay": a.delay,
                "autothrottle": False, "max_pages": 50000, "max_depth": 100,
                "skip_hosts": ["beian.miit.gov.cn"]}
    defaults["global_concurrency"] = max(defaults["global_concurrency"], a.concurrency)
    if a.no_render:
        defaults["render"] = False
    unit = unit_from_url(a.url, None, "government")
    store = Store(out / "govaudit.sqlite")
    run_id = store.start_run("bench", {})
    store.add_unit(run_id, unit)
    store.close()
    prof = cProfile.Profile() if a.profile else None
    t0 = time.perf_counter()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = ru0.ru_utime + ru0.ru_stime
    if prof:
        prof.enable()
    overrides = {k: json.loads(v) for k, v in (x.split("=", 1) for x in a.set)}

    def configure(settings: Any) -> None:
        for k, v in overrides.items():
            if isinstance(v, dict) and isinstance(settings.get(k), (dict, BaseSettings)):
                settings[k] = {**dict(settings[k]), **v}
            else:
                settings.set(k, v)

    crawl([unit], str(out / "govaudit.sqlite"), run_id, defaults, [".pdf"], progress_interval=5,
          configure=configure)
    if prof:
        prof.disable()
        prof.dump_stats(a.profile)
    secs = time.perf_counter() - t0
    n = sqlite3.connect(out / "govaudit.sqlite").execute("SELECT count(*) FROM pages").fetchone()[0]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    cpu = ru.ru_utime + ru.ru_stime - cpu0
    print(f"crawl only: {n} pages in {secs:.1f}s = {n / secs:.0f} pages/s; CPU {cpu:.1f}s = "
          f"{n / cpu:.0f} pages per CPU-second; peak RSS {ru.ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
