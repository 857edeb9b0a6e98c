"""govaudit serve --out DIR — browse the store in Datasette, read-only, with canned queries.

Datasette opens the store with read-only connections (SQLite mode=ro: it sees a nightly run that
is still writing, and can change nothing); `--immutable` opens a copied snapshot without locks.
The canned queries (broken links by unit, stale columns, findings new tonight, fixed tonight,
availability, runs) live in config/datasette.yaml.
"""
from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path

from govaudit.config import CONFIG_DIR

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


def run(args: argparse.Namespace) -> int:
    from govaudit.cli import UsageError
    from govaudit.pipeline import STORE_NAME

    store = Path(args.out) / STORE_NAME
    if not store.exists():
        raise UsageError(f"no store at {store} (run `govaudit nightly` or `govaudit audit` first)")
    if not Path(args.metadata).exists():
        raise UsageError(f"--metadata: file not found: {args.metadata}")
    cmd = datasette_command(store, args.host, args.port, args.metadata, args.immutable)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print(f"datasette: http://{args.host}:{args.port}/{store.stem} (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0
