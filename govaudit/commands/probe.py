"""govaudit probe --units FILE — fetch each unit's home page once and record whether it answered.

Meant for cron every 30 minutes (deploy/). `site.unavailable` reads the `probes` table it fills
(govaudit/history.py). A probe is one GET of the configured home page, redirects followed,
15 s timeout; ok means an HTTP status below 400 within the timeout.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import http.client
import logging
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from govaudit.commands._common import writes_out
from govaudit.model import Unit

log = logging.getLogger("govaudit.probe")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("probe", help="check each unit's home page once and record it (for site.unavailable)")
    p.add_argument("--units", required=True, metavar="FILE", help="units file (config/units.example.yaml)")
    p.add_argument("--out", default="out", help="folder with the store (default: out)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per probe (default 15)")
    p.add_argument("--workers", type=int, default=32, help="probes at once (default 32)")
    p.set_defaults(func=run)


@dataclass
class ProbeResult:
    unit_id: str
    url: str
    ok: bool
    status: int | None
    reason: str | None
    elapsed: float


def probe_one(unit: Unit, timeout: float, user_agent: str) -> ProbeResult:
    t0 = time.monotonic()
    status: int | None = None
    reason: str | None = None
    # header values go out as latin-1: send the UTF-8 bytes of the (Chinese) User-Agent, as Scrapy does
    ua = user_agent.encode("utf-8").decode("latin-1")
    req = urllib.request.Request(unit.url, headers={"User-Agent": ua, "Accept": "text/html,*/*"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 — http(s) only (validated)
            status = resp.status
            resp.read(65536)
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception as e:  # noqa: BLE001 — every failure is a probe result
        reason = failure_reason(e)
    elapsed = round(time.monotonic() - t0, 3)
    if reason is None and status is not None and status >= 400:
        reason = f"HTTP {status}"
    return ProbeResult(unit.id, unit.url, reason is None, status, reason, elapsed)


def failure_reason(e: BaseException) -> str:
    inner = getattr(e, "reason", None) if isinstance(e, urllib.error.URLError) else e
    inner = inner if isinstance(inner, BaseException) else e
    if isinstance(inner, socket.gaierror):
        return "dns"
    if isinstance(inner, (TimeoutError, socket.timeout)) or "timed out" in str(inner):
        return "timeout"
    if isinstance(inner, ConnectionRefusedError):
        return "refused"
    if isinstance(inner, ssl.SSLError):
        return "tls"
    if isinstance(inner, (ConnectionError, http.client.HTTPException)):
        return "connection lost"
    return f"error: {type(inner).__name__}"


def probe_units(units: list[Unit], timeout: float, user_agent: str, workers: int = 32) -> list[ProbeResult]:
    with cf.ThreadPoolExecutor(max_workers=max(1, min(workers, len(units) or 1))) as pool:
        return list(pool.map(lambda u: probe_one(u, timeout, user_agent), units))


@writes_out()
def run(args: argparse.Namespace) -> int:
    from govaudit.config import load_units  # start-up cost: a command loads its stages when it runs
    from govaudit.history import record_probe  # start-up cost: a command loads its stages when it runs
    from govaudit.pipeline import STORE_NAME  # start-up cost: a command loads its stages when it runs
    from govaudit.store import Store  # start-up cost: a command loads its stages when it runs

    units, defaults = load_units(Path(args.units))
    results = probe_units(units, args.timeout, defaults["user_agent"], args.workers)
    store = Store(Path(args.out) / STORE_NAME)
    try:
        with store.conn:
            store.conn.execute("BEGIN")
            for r in results:
                record_probe(store, r.unit_id, r.url, r.ok, r.status, r.reason, r.elapsed)
    finally:
        store.close()
    down = [r for r in results if not r.ok]
    for r in down:
        log.warning("%s: %s 无法访问（%s）", r.unit_id, r.url, r.reason)
    print(f"probed {len(results)} unit(s): {len(results) - len(down)} ok, {len(down)} failed")
    return 0
