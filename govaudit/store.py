"""The SQLite store: one file, many runs. The contract between crawl, checks and reports.

One writer at a time (the crawl pipeline, or a check/report stage). WAL journaling means a
killed writer leaves every committed transaction intact; a run left in state 'running' by a
killed process is marked 'incomplete' the next time the store is opened for writing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import uuid
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlite_utils

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, started TEXT, finished TEXT, status TEXT, today TEXT,
  mode TEXT, tool_version TEXT, settings TEXT, pid INTEGER, note TEXT);
CREATE TABLE IF NOT EXISTS units (
  run_id TEXT, unit_id TEXT, name TEXT, kind TEXT, level TEXT, url TEXT, config TEXT,
  status TEXT, pages INTEGER DEFAULT 0, errors INTEGER DEFAULT 0, limits_hit TEXT,
  started TEXT, finished TEXT, PRIMARY KEY (run_id, unit_id));
CREATE TABLE IF NOT EXISTS pages (
  id INTEGER PRIMARY KEY, run_id TEXT, unit_id TEXT, url TEXT, final_url TEXT,
  redirects TEXT, status INTEGER, reason TEXT, method TEXT, purpose TEXT, headers TEXT,
  content_type TEXT, size INTEGER, sha256 TEXT, encoding TEXT, title TEXT,
  fetched_at TEXT, elapsed REAL, depth INTEGER, referer TEXT, rendered INTEGER DEFAULT 0,
  screenshot TEXT, note TEXT);
CREATE INDEX IF NOT EXISTS pages_run_url ON pages (run_id, url);
CREATE INDEX IF NOT EXISTS pages_run_unit ON pages (run_id, unit_id);
CREATE TABLE IF NOT EXISTS bodies (sha256 TEXT PRIMARY KEY, codec TEXT, size INTEGER, data BLOB);
CREATE TABLE IF NOT EXISTS links (
  run_id TEXT, unit_id TEXT, page_id INTEGER, source_url TEXT, target TEXT, raw TEXT,
  tag TEXT, attr TEXT, text TEXT, hints TEXT, external INTEGER);
CREATE INDEX IF NOT EXISTS links_run_target ON links (run_id, target);
CREATE INDEX IF NOT EXISTS links_run_unit ON links (run_id, unit_id);
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY, run_id TEXT, unit_id TEXT, rule TEXT, item TEXT, outcome TEXT,
  url TEXT, target TEXT, message TEXT, data TEXT, evidence TEXT, fingerprint TEXT);
CREATE INDEX IF NOT EXISTS findings_run ON findings (run_id, unit_id, rule);
CREATE INDEX IF NOT EXISTS findings_fp ON findings (fingerprint);
"""


class StoreError(Exception):
    """The store could not be written (disk full, file size limit, read-only); str() is one line."""


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """Thin wrapper over sqlite_utils.Database with the project's schema and queries."""

    def __init__(self, path: str | os.PathLike[str], readonly: bool = False) -> None:
        self.path = Path(path)
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise FileNotFoundError(f"no store at {self.path}")
        conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        if not readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
            extend_schema(conn)
            add_coverage_columns(conn)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.conn.close()

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, mode: str, settings: dict[str, Any], today: str | None = None,
                  run_id: str | None = None) -> str:
        from govaudit import __version__

        self.mark_abandoned_runs()
        run_id = run_id or dt.datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
        self.db["runs"].insert({
            "id": run_id, "started": now_iso(), "finished": None, "status": "running",
            "today": today or dt.date.today().isoformat(), "mode": mode,
            "tool_version": __version__, "settings": json.dumps(settings, ensure_ascii=False, default=str),
            "pid": os.getpid(), "note": None,
        })
        return run_id

    def finish_run(self, run_id: str, status: str = "complete", note: str | None = None) -> None:
        self.db["runs"].update(run_id, {"finished": now_iso(), "status": status, "note": note})

    def mark_abandoned_runs(self) -> None:
        """Runs still 'running' whose process is gone were killed: mark them incomplete."""
        for row in self.conn.execute("SELECT id, pid FROM runs WHERE status='running'").fetchall():
            if not _pid_alive(row[1]):
                self.finish_run(row[0], "incomplete", "process ended before the run finished")

    def run(self, run_id: str | None = None) -> dict[str, Any]:
        if run_id:
            rows = list(self.db.query("SELECT * FROM runs WHERE id=?", [run_id]))
        else:
            rows = list(self.db.query("SELECT * FROM runs ORDER BY started DESC, rowid DESC LIMIT 1"))
        if not rows:
            raise LookupError(f"no run {run_id or ''} in {self.path}".replace("  ", " "))
        return rows[0]

    def runs(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM runs ORDER BY started, rowid"))

    # -- units ------------------------------------------------------------------------------
    def add_unit(self, run_id: str, unit: Any) -> None:
        d = unit.to_dict()
        self.db["units"].insert({
            "run_id": run_id, "unit_id": unit.id, "name": unit.name, "kind": unit.kind,
            "level": unit.level, "url": unit.url, "config": json.dumps(d, ensure_ascii=False),
            "status": "pending", "pages": 0, "errors": 0, "limits_hit": None,
            "started": None, "finished": None,
        }, replace=True)

    def update_unit(self, run_id: str, unit_id: str, **fields: Any) -> None:
        self.db["units"].update((run_id, unit_id), fields)

    def units(self, run_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM units WHERE run_id=? ORDER BY unit_id", [run_id]))

    # -- bodies -----------------------------------------------------------------------------
    def body(self, digest: str) -> bytes | None:
        row = self.conn.execute("SELECT codec, data FROM bodies WHERE sha256=?", (digest,)).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[1]) if row[0] == "zlib" else row[1]

    # -- bulk writes (used by the crawl pipeline, in one transaction per batch) -------------
    def write_batch(self, pages: list[dict[str, Any]], links: list[dict[str, Any]],
                    bodies: list[tuple[str, bytes]]) -> list[int]:
        """Insert pages (returning their ids), their links (page_id filled from 'page_ref'
        index into pages) and bodies, atomically."""
        ids: list[int] = []
        with self.conn:  # one transaction
            self.conn.execute("BEGIN")
            self.conn.executemany(
                "INSERT OR IGNORE INTO bodies (sha256, codec, size, data) VALUES (?, 'zlib', ?, ?)",
                [(d, len(b), zlib.compress(b, 3)) for d, b in bodies])
            for p in pages:
                cur = self.conn.execute(
                    "INSERT INTO pages (" + ",".join(PAGE_COLS) + ") VALUES (" + ",".join("?" * len(PAGE_COLS)) + ")",
                    [_col(p.get(c)) for c in PAGE_COLS])
                ids.append(int(cur.lastrowid or 0))
            self.conn.executemany(
                "INSERT INTO links (" + ",".join(LINK_COLS) + ") VALUES (" + ",".join("?" * len(LINK_COLS)) + ")",
                _link_rows(links, ids))
        return ids

    # -- findings ---------------------------------------------------------------------------
    def replace_findings(self, run_id: str, unit_id: str, findings: Iterable[Any]) -> int:
        """Atomically replace a unit's findings for a run (a check stage re-run is idempotent)."""
        rows = [{
            "run_id": run_id, "unit_id": unit_id, "rule": f.rule, "item": f.item,
            "outcome": f.outcome, "url": f.url, "target": f.target, "message": f.message,
            "data": json.dumps(f.data, ensure_ascii=False, default=str),
            "evidence": json.dumps([e.to_dict() for e in f.evidence], ensure_ascii=False),
            "fingerprint": f.fingerprint,
        } for f in findings]
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("DELETE FROM findings WHERE run_id=? AND unit_id=?", (run_id, unit_id))
            if rows:
                cols = list(rows[0])
                self.conn.executemany(
                    f"INSERT INTO findings ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                    [[r[c] for c in cols] for r in rows])
        return len(rows)

    def findings(self, run_id: str, unit_id: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM findings WHERE run_id=?", [run_id]
        if unit_id:
            sql, args = sql + " AND unit_id=?", [run_id, unit_id]
        out = []
        for r in self.db.query(sql + " ORDER BY id", args):
            r["data"] = json.loads(r["data"] or "{}")
            r["evidence"] = json.loads(r["evidence"] or "[]")
            out.append(r)
        return out

    # -- reads for checks -------------------------------------------------------------------
    def pages(self, run_id: str, unit_id: str, where: str = "", args: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        sql = "SELECT * FROM pages WHERE run_id=? AND unit_id=?" + (f" AND ({where})" if where else "")
        yield from self.db.query(sql + " ORDER BY id", [run_id, unit_id, *args])

    def page_by_url(self, run_id: str, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query(
            "SELECT * FROM pages WHERE run_id=? AND url=? ORDER BY id DESC LIMIT 1", [run_id, url]))
        return rows[0] if rows else None


PAGE_COLS = ["run_id", "unit_id", "url", "final_url", "redirects", "status", "reason", "method",
             "purpose", "headers", "content_type", "size", "sha256", "encoding", "title",
             "fetched_at", "elapsed", "depth", "referer", "rendered", "screenshot", "note"]
LINK_COLS = ["run_id", "unit_id", "page_id", "source_url", "target", "raw", "tag", "attr", "text",
             "hints", "external"]

# Later stages add tables here (columns, items, probes, reviews …) so that one place lists the schema.
_EXTENSIONS: list[str] = []


def register_schema(sql: str) -> None:
    """Let a feature module add its own tables (idempotent CREATE … IF NOT EXISTS)."""
    if sql not in _EXTENSIONS:
        _EXTENSIONS.append(sql)


def extend_schema(conn: sqlite3.Connection) -> None:
    for sql in _EXTENSIONS:
        conn.executescript(sql)


# What a crawl covered (crawler/coverage.py): JSON in units.coverage and runs.coverage. Added by
# ALTER so that stores written before them open unchanged; readers treat NULL as "not recorded".
COVERAGE_COLUMNS = (("units", "coverage"), ("runs", "coverage"))


def add_coverage_columns(conn: sqlite3.Connection) -> None:
    for table, column in COVERAGE_COLUMNS:
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            try:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
            except sqlite3.OperationalError as e:  # another writer added it in between
                if "duplicate column" not in str(e):
                    raise


def _link_rows(links: list[dict[str, Any]], ids: list[int]) -> list[list[Any]]:
    """Rows for LINK_COLS (the hot loop of a crawl: ~60 links a page), page_id from page_ref."""
    at = LINK_COLS.index("page_id")
    rows = []
    for ln in links:
        row = list(map(ln.get, LINK_COLS))
        row[at] = ids[ln["page_ref"]]
        for i, v in enumerate(row):
            if isinstance(v, (dict, list)):
                row[i] = json.dumps(v, ensure_ascii=False)
        rows.append(row)
    return rows


def _col(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
