"""govaudit worker / collect — the distributed crawl (crawler/distributed.py, scrapy-redis).

Start the collector once (it owns the store), then one worker per machine or core, all with the
same --redis, --units and --run:

    govaudit collect --redis redis://10.0.0.5:6379/0 --units units.yaml --run 2026-11-26 --out out/nightly --workers 3
    govaudit worker  --redis redis://10.0.0.5:6379/0 --units units.yaml --run 2026-11-26

The collector waits for --workers workers to join and finish, writes every page into the store,
then runs the checks, the diff and the reports like `nightly`.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import socket
from pathlib import Path
from typing import Any

from govaudit.commands._common import (UsageError, add_crawl_options, crawl_defaults, load_rules, parse_today,
                                       writes_out)

log = logging.getLogger("govaudit.distributed")
_RUN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def register(sub: argparse._SubParsersAction) -> None:
    w = sub.add_parser("worker", help="crawl as one worker of a distributed run (scrapy-redis)")
    _common(w)
    w.add_argument("--id", help="worker name (default: host-pid)")
    w.add_argument("--lost-after", type=float, default=60, metavar="SECONDS",
                   help="a worker silent this long is taken for lost and its requests are crawled by the "
                        "others (default 60)")
    w.add_argument("--check-store", metavar="DIR",
                   help="after the crawl, check units for the collector: DIR is where this machine sees the "
                        "collector's --out folder (a shared disk); without it the collector checks alone")
    add_crawl_options(w)
    w.set_defaults(func=run_worker)
    c = sub.add_parser("collect", help="write a distributed run's pages into the store, then check and report")
    _common(c)
    c.add_argument("--out", default="out/nightly", help="output folder with the store (default: out/nightly)")
    c.add_argument("--workers", type=int, default=1, help="workers to wait for (default 1)")
    c.add_argument("--give-up", type=float, default=600, metavar="SECONDS",
                   help="when every worker stopped with requests still queued, wait this long for one to "
                        "come back before finishing without them (default 600)")
    c.add_argument("--keep-runs", type=int, default=30, help="retention, as for nightly (default 30)")
    c.add_argument("--no-incremental", action="store_true",
                   help="no conditional requests (the workers fetch every body again)")
    add_crawl_options(c)
    c.set_defaults(func=run_collect)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--redis", required=True, metavar="URL", help="redis://host:port/db shared by all workers")
    p.add_argument("--units", required=True, metavar="FILE", help="the units file (the same for every process)")
    p.add_argument("--run", required=True, help="run name shared by collector and workers, e.g. 2026-11-26")


def _setup(args: argparse.Namespace) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    from govaudit.config import load_units  # start-up cost: a command loads its stages when it runs

    if not _RUN_RE.match(args.run):
        raise UsageError(f"--run: letters, digits, _ . : - only: {args.run!r}")
    if not args.redis.startswith(("redis://", "rediss://", "unix://")):
        raise UsageError(f"--redis: expected redis://host:port/db, got {args.redis!r}")
    units, file_defaults = load_units(Path(args.units))
    rules_conf = load_rules(args)
    defaults = crawl_defaults(args, rules_conf, file_defaults)
    return units, defaults, rules_conf


def _ping(url: str) -> None:
    import redis  # start-up cost: a command loads its stages when it runs

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as e:
        raise UsageError(f"--redis: cannot reach {url}: {e}") from None


def run_worker(args: argparse.Namespace) -> int:
    from govaudit.crawler.distributed import work  # start-up cost: a command loads its stages when it runs
    from govaudit.commands._distcheck import serve_checks  # start-up cost: a command loads its stages when it runs
    import redis  # start-up cost: a command loads its stages when it runs

    units, defaults, rules_conf = _setup(args)
    _ping(args.redis)
    if args.lost_after < 3:
        raise UsageError("--lost-after 至少为 3 秒")
    worker_id = args.id or f"{socket.gethostname()}-{os.getpid()}"
    if args.check_store:
        if not Path(args.check_store).is_dir():
            raise UsageError(f"--check-store：文件夹不存在：{args.check_store}")
        redis.Redis.from_url(args.redis).hset(f"govaudit:{args.run}:checkers", worker_id, "1")
    counts = work(units, args.redis, args.run, defaults, rules_conf["shared"]["attachment_extensions"],
                  worker_id=worker_id, alive_ttl=args.lost_after)
    print(f"worker {args.id or ''}: {counts['pages']} page(s), {counts['errors']} error(s)".replace("  ", " "),
          flush=True)
    if args.check_store:
        n = serve_checks(args.redis, args.run, worker_id, Path(args.check_store), args.lost_after)
        print(f"工作进程 {worker_id}：完成检查任务 {n} 个")
    return 0


def unit_stats(store: Any, run_id: str) -> dict[str, dict[str, Any]]:
    """Per unit, from the stored pages: pages, errors, status (crawled/partial/unreachable) — what
    the single-process crawl takes from the spider's counters — and the coverage the collector
    recorded."""
    from govaudit.crawler.coverage import home_failure  # start-up cost: a command loads its stages when it runs

    out: dict[str, dict[str, Any]] = {}
    for u in store.units(run_id):
        uid = u["unit_id"]
        pages, errors = store.conn.execute(
            "SELECT count(*), coalesce(sum(reason IS NOT NULL OR coalesce(status, 0) >= 400), 0) FROM pages "
            "WHERE run_id=? AND unit_id=?", (run_id, uid)).fetchone()
        failed = home_failure(store, run_id, uid)
        cov = json.loads(u["coverage"]) if u.get("coverage") else None  # recorded by the collector
        status = "unreachable" if failed else "partial" if (cov or {}).get("status") == "partial" else "crawled"
        out[uid] = {"pages": pages, "errors": errors, "status": status, "home_failed": failed, "coverage": cov}
        store.update_unit(run_id, uid, status=status, pages=pages, errors=errors)
    return out


@writes_out()
def run_collect(args: argparse.Namespace) -> int:
    from govaudit.crawler.distributed import cleanup, collect, publish_validators  # start-up cost: a command loads its stages when it runs
    from govaudit.crawler.run import unit_limits  # start-up cost: a command loads its stages when it runs
    from govaudit.commands._distcheck import checker  # start-up cost: a command loads its stages when it runs
    import redis  # start-up cost: a command loads its stages when it runs
    from govaudit import history  # noqa: F401 — registers the history tables
    from govaudit.commands.nightly import _previous_crawl, finish_run  # start-up cost: a command loads its stages when it runs
    from govaudit.crawler.incremental import validators  # start-up cost: a command loads its stages when it runs
    from govaudit.store import STORE_NAME  # start-up cost: a command loads its stages when it runs
    from govaudit.store import Store  # start-up cost: a command loads its stages when it runs

    units, defaults, rules_conf = _setup(args)
    _ping(args.redis)
    today = parse_today(args.today)
    out = Path(args.out)
    store_path = out / STORE_NAME
    store = Store(store_path)
    try:
        store.mark_abandoned_runs()
        row = store.conn.execute("SELECT status, today FROM runs WHERE id=?", (args.run,)).fetchone()
        if row is not None and row[0] in ("complete", "running"):
            raise UsageError(f"run {args.run} is already {row[0]} in {store_path}: choose another --run")
        if row is not None:  # a collector that died: go on collecting into the same run
            log.info("continuing the collection of run %s", args.run)
            today = parse_today(row[1])
            store.db["runs"].update(args.run, {"status": "running", "pid": os.getpid(), "finished": None})
        else:
            store.start_run("distributed", {"crawl": defaults, "redis": args.redis}, today=today.isoformat(),
                            run_id=args.run)
        known = {u["unit_id"] for u in store.units(args.run)}
        for u in units:
            if u.id not in known:
                store.add_unit(args.run, u)
        previous = None if args.no_incremental else _previous_crawl(store, args.run)
    finally:
        store.close()
    if previous:
        log.info("运行 %s：按运行 %s 发条件请求", args.run, previous)
        publish_validators(args.redis, args.run, validators(str(store_path), previous))
    print(f"collecting run {args.run}: start {args.workers} worker(s) with "
          f"`govaudit worker --redis {args.redis} --units {args.units} --run {args.run}`", flush=True)
    n = collect(args.redis, args.run, str(store_path), expect_workers=args.workers, give_up=args.give_up,
                units=units, limits={u.id: unit_limits(u, defaults) for u in units})
    store = Store(store_path)
    try:
        summary = unit_stats(store, args.run)
    finally:
        store.close()
    log.info("run %s: %d page(s) collected: %s", args.run, n, json.dumps(
        {k: v["pages"] for k, v in summary.items()}, ensure_ascii=False))
    try:
        return finish_run(store_path, args.run, units, rules_conf, today, out, args.keep_runs, summary,
                          checker=checker(args.redis, out))
    finally:
        cleanup(redis.Redis.from_url(args.redis), args.run)
