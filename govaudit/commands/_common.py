"""Options and helpers shared by the crawling commands."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import functools
import logging
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

from govaudit.checks.settings import load_rules_config
from govaudit.config import CRAWL_DEFAULTS, check_url, load_units
from govaudit.model import KINDS, Unit, parse_level
from govaudit.store import STORE_NAME, StoreError
from govaudit.urls import host_of

# errors that mean "this path cannot be written" (exit 4), as opposed to a bug or a network error
WRITE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                errno.ENOTDIR, errno.EEXIST, errno.EISDIR, errno.ENAMETOOLONG}



class UsageError(Exception):
    """A one-line problem with what the user asked for (exit 2)."""


def setup_logging(quiet: bool, verbose: bool, logfile: str | None = None) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("govaudit: %(message)s"))
    if not verbose:  # the terminal shows our own messages; libraries only when something is really wrong
        handler.addFilter(lambda r: r.name.startswith("govaudit") or r.levelno >= logging.CRITICAL)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("govaudit").setLevel(level)
    for noisy in ("scrapy", "twisted", "asyncio", "py.warnings", "filelock", "playwright"):
        logging.getLogger(noisy).setLevel(logging.ERROR if not verbose else logging.INFO)
    if logfile:
        fh = logging.FileHandler(logfile, encoding="utf-8")
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fh)

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
    from govaudit.config import CRAWL_MINIMUMS  # start-up cost: a command loads its stages when it runs

    for opt, key in (("max_pages", "max_pages"), ("site_time", "site_time"), ("timeout", "timeout"),
                     ("concurrency", "concurrency_per_site")):
        v = getattr(args, opt, None)
        if v is not None and v < CRAWL_MINIMUMS[key]:
            raise UsageError(f"--{opt.replace('_', '-')} must be at least {CRAWL_MINIMUMS[key]:g}")
    return d


def parse_today(value: str | None) -> dt.date:

    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today: not a date (YYYY-MM-DD): {value!r}") from None


def unit_from_url(url: str, name: str | None, kind: str, unit_id: str | None = None, level: str = "") -> Unit:
    url = check_url(url)
    host = host_of(url)
    uid = unit_id or re.sub(r"[^A-Za-z0-9_.-]", "-", host) or "site"
    return Unit(id=uid, name=name or host, url=url, kind=kind, level=level)


def load_rules(args: argparse.Namespace) -> dict[str, Any]:
    return load_rules_config(getattr(args, "rules_config", None))


def resolve_units(args: argparse.Namespace) -> tuple[list[Unit], dict[str, Any]]:
    """Units from a URL argument or a --units file."""

    if getattr(args, "units", None):
        return load_units(Path(args.units))
    if getattr(args, "url", None):
        if args.kind not in KINDS:
            raise UsageError(f"--kind must be one of {', '.join(KINDS)}")
        try:
            level = parse_level(getattr(args, "level", None) or "")
        except ValueError as e:
            raise UsageError(f"--level：{e}") from None
        return [unit_from_url(args.url, args.name, args.kind, level=level)], {}
    raise UsageError("give a URL or --units FILE")


def check_out(out: Path, create: bool = True) -> None:
    """Before anything is written: OUT must be (or become) a writable directory. A file, a path
    under a file or a read-only directory is one line naming the path (StoreError: exit 4), and
    nothing has been touched yet."""
    if out.exists() and not out.is_dir():
        raise StoreError(f"无法写入 {out}：这是一个文件，不是目录（--out 须是目录）")
    anc = out
    while not anc.exists() and anc != anc.parent:
        anc = anc.parent
    if anc.exists() and not anc.is_dir():
        raise StoreError(f"无法写入 {out}：{anc} 是一个文件，不能在其下建目录")
    if not out.exists() and not create:
        return  # the command says itself that there is no store there
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".govaudit-write-test-"):
            pass  # a real write: permission bits, read-only mounts and immutable folders alike
    except OSError as e:
        raise StoreError(f"无法写入 {out}：{e.strerror or e}") from None


@contextlib.contextmanager
def writable_out(out: Path, create: bool = True) -> Iterator[None]:
    """check_out, then turn a failed write under OUT (disk full, file size limit, permissions) into
    one line naming the path (exit 4). Outputs are written to a temporary file and renamed, and
    store writes are transactions, so what was there before stays intact."""
    check_out(out, create)
    try:
        yield
    except sqlite3.OperationalError as e:
        if not any(w in str(e).lower() for w in ("readonly", "unable to open", "disk", "full", "i/o")):
            raise  # a query error is a bug, not a path that cannot be written
        raise StoreError(f"无法写入 {out / STORE_NAME}：{e}") from None
    except OSError as e:
        if e.errno not in WRITE_ERRNOS or isinstance(e, ConnectionError):
            raise
        name = str(e.filename or out)
        raise StoreError(f"无法写入 {name.removesuffix('.tmp')}：{e.strerror or e}") from None


def writes_out(create: bool = True) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Decorator for a command's run(args) that writes under args.out (see writable_out)."""
    def wrap(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        @functools.wraps(fn)
        def run(args: argparse.Namespace) -> int:
            with writable_out(Path(args.out), create):
                return fn(args)
        return run
    return wrap
