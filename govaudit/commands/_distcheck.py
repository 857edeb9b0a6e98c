"""The check stage of a distributed run, per unit, on the workers (issue 22).

Workers started with `--check-store DIR` register as checkers (hash `govaudit:<run>:checkers`). Once
the crawl is collected, the collector — still the one writer — checkpoints the store and copies it
(SQLite `VACUUM INTO`, `OUT/check-<run>.sqlite`: nothing writes that copy, so any number of readers
on any disk can share it), then queues one task per unit and rule group (checks.run.rule_groups:
rules that share an analysis stay together) in `checktasks`. A worker moves a task to its own
`checking:<worker>` list (BLMOVE: a worker killed with a task does not lose it), checks the unit
against the copy it sees under DIR, and pushes the findings to `checkresults`. The collector
stores a unit's findings as soon as all its groups are back (in rule order, as a local run does),
checks tasks itself whenever the queue still holds some and no result is coming, and puts a lost
checker's tasks (no heartbeat for its --lost-after) back in the queue. Without a registered
checker the check stage runs locally (checks.run.run_checks), as before.

Tasks and findings travel pickled, like scrapy-redis's requests: keep Redis private.
"""
from __future__ import annotations

import datetime as dt
import logging
import pickle
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable

import redis

from govaudit.checks.registry import all_rules
from govaudit.checks.run import check_unit, record, rule_groups, run_checks
from govaudit.crawler.distributed import key
from govaudit.model import Finding, Unit
from govaudit.store import Store

log = logging.getLogger("govaudit.distributed")

CHECK_WAIT = 900.0  # seconds a worker waits after its crawl for the collector's check tasks


def snapshot(store: Store, path: Path) -> Path:
    """A copy of the store that nothing writes: the checkers' read-only source."""
    path.unlink(missing_ok=True)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("VACUUM INTO ?", (str(path),))
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # readers need no -wal/-shm files beside it
    finally:
        conn.close()
    return path


def checker(redis_url: str, out: Path) -> Callable[..., list[Finding]]:
    """finish_run's check stage for `collect`: distributed when workers registered as checkers."""

    def run(store: Store, run_id: str, units: list[Unit], config: dict[str, Any], today: dt.date) -> list[Finding]:
        r = redis.Redis.from_url(redis_url, socket_timeout=60)
        names = sorted(k.decode() for k in r.hkeys(key(run_id, "checkers")))
        if not names:
            return run_checks(store, run_id, units, config, today)
        snap = snapshot(store, out / f"check-{run_id}.sqlite")
        try:
            return _distribute(r, store, run_id, units, config, today, snap.name, names)
        finally:
            r.set(key(run_id, "checkend"), "1", ex=3600)
            snap.unlink(missing_ok=True)

    return run


def _distribute(r: Any, store: Store, run_id: str, units: list[Unit], config: dict[str, Any], today: dt.date,
                snap: str, names: list[str]) -> list[Finding]:
    rules = all_rules()
    record(store, run_id, units, rules)
    order = {rule.id: i for i, rule in enumerate(rules)}
    by_id = {rule.id: rule for rule in rules}
    groups = [[rule.id for rule in g] for g in rule_groups(rules)]
    tasks = {i: (u, g) for i, (u, g) in enumerate((u, g) for u in units for g in groups)}
    r.set(key(run_id, "checkconf"), pickle.dumps({"config": config, "today": today, "snapshot": snap}))
    r.delete(key(run_id, "checktasks"), key(run_id, "checkresults"))
    if tasks:
        r.rpush(key(run_id, "checktasks"), *[pickle.dumps((i, u, g)) for i, (u, g) in tasks.items()])
    log.info("检查 %d 个单位：%d 个工作进程与收集进程分担 %d 个任务", len(units), len(names), len(tasks))
    pending: dict[str, list[Finding]] = {u.id: [] for u in units}
    left = {u.id: len(groups) for u in units}
    out: list[Finding] = []
    done = 0
    by_workers = 0
    mine = key(run_id, "checking:collector")

    def arrived(i: int, found: list[Finding]) -> None:
        nonlocal done
        unit = tasks[i][0]
        pending[unit.id].extend(found)
        left[unit.id] -= 1
        if left[unit.id] == 0:
            found_all = sorted(pending.pop(unit.id), key=lambda f: order.get(f.rule, 0))
            store.replace_findings(run_id, unit.id, found_all)
            done += 1
            problems = sum(1 for f in found_all if f.outcome in ("fail", "needs_review"))
            log.info("已检查 %s（%d/%d）：%d 条结果，其中 %d 条需处理", unit.id, done, len(units), len(found_all), problems)
            out.extend(found_all)

    seen: set[int] = set()
    while left and any(left.values()):
        got = r.blpop([key(run_id, "checkresults")], timeout=0.5)
        if got is not None:
            i, found, error = pickle.loads(got[1])
            if i in seen:  # a lost checker's task, done twice
                continue
            seen.add(i)
            if error:  # the worker could not check it (its copy unreadable …): here
                log.warning("工作进程未能完成检查任务 %d（%s）：改由收集进程检查", i, error)
                unit, g = tasks[i]
                found = check_unit(store, run_id, unit, config, today, [by_id[x] for x in g])
            else:
                by_workers += 1
            arrived(i, found)
            continue
        for w in names:  # a checker without heartbeat: its tasks go back to the queue
            if not r.exists(key(run_id, f"alive:{w}")):
                while r.lmove(key(run_id, f"checking:{w}"), key(run_id, "checktasks"), "RIGHT", "LEFT"):
                    log.warning("检查进程 %s 失联：它的任务放回队列", w)
        data = r.lmove(key(run_id, "checktasks"), mine, "LEFT", "RIGHT")
        if data is not None:  # nothing came back meanwhile: check one here
            i, unit, g = pickle.loads(data)
            found = check_unit(store, run_id, unit, config, today, [by_id[x] for x in g])
            r.lrem(mine, 1, data)
            if i not in seen:
                seen.add(i)
                arrived(i, found)
    log.info("检查完成：%d 个任务中 %d 个由工作进程完成", len(tasks), by_workers)
    return out


def serve_checks(redis_url: str, run_id: str, worker: str, store_dir: Path, alive_ttl: float,
                 wait: float = CHECK_WAIT) -> int:
    """A worker after its crawl: check units for the collector until it says the stage is over.
    Returns the number of tasks done."""
    r = redis.Redis.from_url(redis_url, socket_timeout=60)
    stop = threading.Event()

    def beat() -> None:  # the collector takes a silent checker's tasks back
        hb = redis.Redis.from_url(redis_url, socket_timeout=30)
        while True:
            try:
                hb.set(key(run_id, f"alive:{worker}"), "1", px=int(alive_ttl * 1000))
            except redis.RedisError:
                pass
            if stop.wait(alive_ttl / 4):
                return

    threading.Thread(target=beat, daemon=True, name="govaudit-check-heartbeat").start()
    by_id = {rule.id: rule for rule in all_rules()}
    stores: dict[str, Store] = {}
    mine = key(run_id, f"checking:{worker}")
    n = 0
    t0 = time.monotonic()
    try:
        while not r.exists(key(run_id, "checkend")):
            data = r.blmove(key(run_id, "checktasks"), mine, 1.0, "LEFT", "RIGHT")
            if data is None:
                if not r.exists(key(run_id, "checkconf")) and time.monotonic() - t0 > wait:
                    log.warning("工作进程 %s：%.0f 秒内没有等到检查任务，退出", worker, wait)
                    break
                continue
            i, unit, g = pickle.loads(data)
            conf = pickle.loads(r.get(key(run_id, "checkconf")))
            found: list[Finding] = []
            error = None
            try:
                store = stores.get(conf["snapshot"])
                if store is None:
                    store = stores[conf["snapshot"]] = Store(store_dir / conf["snapshot"], readonly=True)
                found = check_unit(store, run_id, unit, conf["config"], conf["today"], [by_id[x] for x in g])
            except (OSError, sqlite3.Error) as e:
                error = f"{type(e).__name__}: {e}"
            p = r.pipeline()
            p.rpush(key(run_id, "checkresults"), pickle.dumps((i, found, error)))
            p.lrem(mine, 1, data)
            p.execute()
            n += 1
    finally:
        stop.set()
        for s in stores.values():
            s.close()
        r.hdel(key(run_id, "checkers"), worker)
    return n
