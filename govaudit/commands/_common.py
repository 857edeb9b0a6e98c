"""Options and helpers shared by the crawling commands."""
from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

from govaudit.checks.settings import load_rules_config
from govaudit.config import CRAWL_DEFAULTS, check_url, load_units
from govaudit.model import KINDS, Unit
from govaudit.urls import host_of


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("crawl limits and politeness (defaults from config/rules.yaml 'crawl')")
    g.add_argument("--max-pages", type=int, help=f"pages per site (default {CRAWL_DEFAULTS['max_pages']})")
    g.add_argument("--max-depth", type=int, help=f"link depth (default {CRAWL_DEFAULTS['max_depth']})")
    g.add_argument("--site-time", type=float, help=f"seconds per site (default {CRAWL_DEFAULTS['site_time']})")
    g.add_argument("--timeout", type=float, help=f"seconds per request (default {CRAWL_DEFAULTS['timeout']})")
    g.add_argument("--concurrency", type=int, help="requests at once per site "
                   f"(default {CRAWL_DEFAULTS['concurrency_per_site']})")
    g.add_argument("--delay", type=float, help=f"seconds between requests to a site (default {CRAWL_DEFAULTS['delay']})")
    g.add_argument("--no-autothrottle", action="store_true", help="fixed delay instead of AutoThrottle")
    g.add_argument("--ignore-robots", action="store_true",
                   help="do not obey robots.txt (only for mandated audits; logged)")
    g.add_argument("--no-external", action="store_true", help="do not check external link targets")
    p.add_argument("--rules-config", metavar="FILE", help="rules/thresholds file (default config/rules.yaml)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="audit date for date rules (default: today)")


def crawl_defaults(args: argparse.Namespace, rules_conf: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Crawl settings: rules.yaml, then the units file's defaults, then the command line."""
    from govaudit.cli import UsageError

    d = {**rules_conf["crawl"], **(base or {})}
    for opt, key in (("max_pages", "max_pages"), ("max_depth", "max_depth"), ("site_time", "site_time"),
                     ("timeout", "timeout"), ("concurrency", "concurrency_per_site"), ("delay", "delay")):
        v = getattr(args, opt, None)
        if v is not None:
            if v < 0:
                raise UsageError(f"--{opt.replace('_', '-')} must not be negative")
            d[key] = v
    if getattr(args, "no_autothrottle", False):
        d["autothrottle"] = False
    if getattr(args, "ignore_robots", False):
        d["obey_robots"] = False
    if getattr(args, "no_external", False):
        d["check_external"] = False
    d["global_concurrency"] = max(d["global_concurrency"], d["concurrency_per_site"])
    from govaudit.config import CRAWL_MINIMUMS

    for opt, key in (("max_pages", "max_pages"), ("site_time", "site_time"), ("timeout", "timeout"),
                     ("concurrency", "concurrency_per_site")):
        v = getattr(args, opt, None)
        if v is not None and v < CRAWL_MINIMUMS[key]:
            raise UsageError(f"--{opt.replace('_', '-')} must be at least {CRAWL_MINIMUMS[key]:g}")
    return d


def parse_today(value: str | None) -> dt.date:
    from govaudit.cli import UsageError

    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today: not a date (YYYY-MM-DD): {value!r}") from None


def unit_from_url(url: str, name: str | None, kind: str, unit_id: str | None = None) -> Unit:
    url = check_url(url)
    host = host_of(url)
    uid = unit_id or re.sub(r"[^A-Za-z0-9_.-]", "-", host) or "site"
    return Unit(id=uid, name=name or host, url=url, kind=kind)


def load_rules(args: argparse.Namespace) -> dict[str, Any]:
    return load_rules_config(getattr(args, "rules_config", None))


def resolve_units(args: argparse.Namespace) -> tuple[list[Unit], dict[str, Any]]:
    """Units from a URL argument or a --units file."""
    from govaudit.cli import UsageError

    if getattr(args, "units", None):
        return load_units(Path(args.units))
    if getattr(args, "url", None):
        if args.kind not in KINDS:
            raise UsageError(f"--kind must be one of {', '.join(KINDS)}")
        return [unit_from_url(args.url, args.name, args.kind)], {}
    raise UsageError("give a URL or --units FILE")
