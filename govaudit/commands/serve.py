"""govaudit serve --out DIR — browse the store in Datasette, read-only, with canned queries.

Datasette opens the store with read-only connections (SQLite mode=ro: it sees a nightly run that
is still writing, and can change nothing); `--immutable` opens a copied snapshot without locks.
The canned queries (broken links by unit, stale columns, findings new tonight, fixed tonight,
availability, runs) live in config/datasette.yaml. A store made by `audit` has no nightly tables
(diffs, probes, pruned_runs): the queries read them as empty tables there (a copy of the metadata
in a temporary folder), so every query answers. Datasette runs as a child that stops with us:
Ctrl-C, SIGTERM, SIGHUP, or our death (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import argparse
import ctypes
import logging
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from govaudit.config import CONFIG_DIR
from govaudit.store import Store
from govaudit.commands._common import UsageError

log = logging.getLogger("govaudit.serve")
METADATA = CONFIG_DIR / "datasette.yaml"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="browse the store in Datasette (read-only) with canned queries")
    p.add_argument("--out", default="out/nightly", help="folder with the store (default: out/nightly)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    p.add_argument("--metadata", default=str(METADATA), help="Datasette metadata with the canned queries")
    p.add_argument("--immutable", action="store_true", help="the file never changes (a copied snapshot)")
    p.add_argument("--dry-run", action="store_true", help="print the Datasette command instead of running it")
    p.set_defaults(func=run)


def datasette_command(store: Path, host: str, port: int, metadata: str, immutable: bool = False) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", *(["-i"] if immutable else []), str(store),
            "--metadata", metadata, "--host", host, "--port", str(port),
            "--setting", "sql_time_limit_ms", "10000", "--setting", "max_returned_rows", "5000"]


def known_tables() -> dict[str, list[str]]:
    """Every table the project's stores can hold, with its columns: those of a new, empty store."""
    # imported here, not at the top: importing history registers the nightly tables, and every
    # command's module is loaded at start-up (an audit store would then grow them)
    from govaudit import history  # noqa: F401
    from govaudit.reports import reviews, scoring  # noqa: F401 — their tables too

    with tempfile.TemporaryDirectory(prefix="govaudit-schema-") as tmp:
        store = Store(Path(tmp) / "empty.sqlite")
        try:
            names = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {n: [c[1] for c in store.conn.execute(f"PRAGMA table_info({n})")] for n in names}
        finally:
            store.close()


def adapt_query(sql: str, missing: dict[str, list[str]]) -> str:
    """The query with each table it reads that this store lacks defined as an empty table (a CTE
    of the same name and columns): it answers with no rows instead of `no such table`."""
    used = [t for t in missing if re.search(rf"\b(?:FROM|JOIN)\s+{re.escape(t)}\b", sql, re.I)]
    if not used:
        return sql
    ctes = ", ".join(f"{t}({', '.join(missing[t])}) AS (SELECT {', '.join('NULL' for _ in missing[t])} WHERE 0)"
                     for t in used)
    head = re.match(r"\s*WITH\s+", sql, re.I)
    return f"WITH {ctes}, {sql[head.end():]}" if head else f"WITH {ctes} {sql}"


def adapt_metadata(store: Path, metadata: Path) -> tuple[dict[str, Any], list[str]]:
    """The metadata for this store: queries over missing tables read them as empty, and a query
    that still does not compile (a damaged or foreign store) is left out (its name returned)."""
    meta = yaml.safe_load(metadata.read_text(encoding="utf-8")) or {}
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    hidden: list[str] = []
    try:
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        missing = {t: cols for t, cols in known_tables().items() if t not in have}
        for db in (meta.get("databases") or {}).values():
            queries = db.get("queries") or {}
            for name in list(queries):
                q = queries[name]
                q["sql"] = adapt_query(q["sql"], missing)
                try:
                    conn.execute("EXPLAIN " + q["sql"], {p: "" for p in re.findall(r":(\w+)", q["sql"])})
                except sqlite3.Error as e:
                    log.warning("canned query %s hidden: %s", name, e)
                    hidden.append(name)
                    del queries[name]
    finally:
        conn.close()
    return meta, hidden


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the signal handlers below still stop the child


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run(args: argparse.Namespace) -> int:
    from govaudit.pipeline import STORE_NAME  # start-up cost: a command loads its stages when it runs

    store = Path(args.out) / STORE_NAME
    if not store.exists():
        raise UsageError(f"no store at {store} (run `govaudit nightly` or `govaudit audit` first)")
    if not Path(args.metadata).exists():
        raise UsageError(f"--metadata: file not found: {args.metadata}")
    try:
        meta, hidden = adapt_metadata(store, Path(args.metadata))
    except yaml.YAMLError as e:
        raise UsageError(f"--metadata {args.metadata}: not YAML ({e})") from None
    tmp = Path(tempfile.mkdtemp(prefix="govaudit-serve-"))
    metadata = tmp / "datasette.yaml"  # never beside the store: serve writes nothing there
    metadata.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cmd = datasette_command(store, args.host, args.port, str(metadata), args.immutable)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    if hidden:
        print(f"这些预设查询不适用于此存储，已隐藏：{', '.join(hidden)}", flush=True)
    print(f"datasette: http://{args.host}:{args.port}/{store.stem} (Ctrl-C to stop)", flush=True)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # unwinds into the finally below, which stops the child

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    child = subprocess.Popen(cmd, preexec_fn=_die_with_parent)  # noqa: PLW1509 — only prctl, before exec
    try:
        return child.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(child)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(tmp, ignore_errors=True)
