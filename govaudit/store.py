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

from govaudit import __version__, schema
from govaudit.model import CONTENT_PURPOSES

STORE_NAME = "govaudit.sqlite"  # the store's file in an output folder


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
            schema.create(conn)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.conn.close()

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, mode: str, settings: dict[str, Any], today: str | None = None,
                  run_id: str | None = None) -> str:
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

    # -- attachment text (read once per body by the checks, shared by every rule) -------------
    def attachment_text(self, digest: str) -> dict[str, Any] | None:
        """The stored text of an attachment body: format, status, reason, pages, ocr_pages, text."""
        row = self.conn.execute("SELECT format, status, reason, pages, ocr_pages, seconds, text "
                                "FROM attachment_texts WHERE sha256=?", (digest,)).fetchone()
        if row is None:
            return None
        keys = ("format", "status", "reason", "pages", "ocr_pages", "seconds")
        return {**dict(zip(keys, row[:6])), "text": zlib.decompress(row[6]).decode("utf-8") if row[6] else ""}

    def save_attachment_text(self, digest: str, res: dict[str, Any]) -> None:
        """Store what extract.attachments read from one body (compressed, content-addressed)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO attachment_texts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (digest, res.get("format"), res.get("status"), res.get("reason"), res.get("pages"),
             res.get("ocr_pages"), res.get("seconds"), now_iso(),
             zlib.compress((res.get("text") or "").encode("utf-8"), 6)))

    def prune_attachment_texts(self) -> int:
        """Delete the texts whose body is gone (retention pruned it): personal data is kept no
        longer than the body it was read from. Returns the rows deleted."""
        return self.conn.execute("DELETE FROM attachment_texts WHERE sha256 NOT IN (SELECT sha256 FROM bodies)").rowcount

    # -- bulk writes (used by the crawl pipeline, in one transaction per batch) -------------
    def write_batch(self, pages: list[dict[str, Any]], links: list[dict[str, Any]],
                    bodies: list[tuple[str, bytes]]) -> list[int]:
        """Insert pages (returning their ids), their links (each link's 'page_ref' indexes `pages`)
        and bodies, atomically. A page whose (unit, URL, body) was stored before, in this run or an
        earlier one, reuses that link set instead of storing its links again."""
        ids: list[int] = []
        by_page: dict[int, list[dict[str, Any]]] = {}
        for ln in links:
            by_page.setdefault(ln["page_ref"], []).append(ln)
        with self.conn:  # one transaction
            self.conn.execute("BEGIN")
            self.conn.executemany(
                "INSERT OR IGNORE INTO bodies (sha256, codec, size, data) VALUES (?, 'zlib', ?, ?)",
                [(d, len(b), zlib.compress(b, 3)) for d, b in bodies])
            new_rows: list[list[Any]] = []
            for ref, p in enumerate(pages):
                row = [_col(p.get(c)) for c in PAGE_COLS]
                if ref in by_page:
                    set_id, fresh = self._link_set(p)
                    row[PAGE_COLS.index("link_set")] = set_id
                    if fresh:
                        new_rows.extend(_link_rows(by_page[ref], set_id))
                cur = self.conn.execute(
                    "INSERT INTO pages (" + ",".join(PAGE_COLS) + ") VALUES (" + ",".join("?" * len(PAGE_COLS)) + ")", row)
                ids.append(int(cur.lastrowid or 0))
            self.conn.executemany(_INSERT_LINKS, new_rows)
        return ids

    def add_links(self, page_id: int, links: list[dict[str, Any]]) -> None:
        """Links of an already stored page (found later, e.g. by a tool or a test), appended to a set
        of the page's own: a set shared with other pages is copied first, so they do not change."""
        with self.conn:
            self.conn.execute("BEGIN")
            old = self.conn.execute("SELECT link_set FROM pages WHERE id=?", (page_id,)).fetchone()[0]
            new = int(self.conn.execute("INSERT INTO link_set_keys (key) VALUES (NULL)").lastrowid or 0)
            if old is not None:
                self.conn.execute("INSERT INTO link_sets SELECT ?, target, raw, tag, attr, text, hints, external "
                                  "FROM link_sets WHERE set_id=? ORDER BY rowid", (new, old))
            self.conn.execute("UPDATE pages SET link_set=? WHERE id=?", (new, page_id))
            self.conn.executemany(_INSERT_LINKS, _link_rows(links, new))

    def _link_set(self, page: dict[str, Any]) -> tuple[int, bool]:
        """(set id, whether it is new) for a page's links: keyed by unit, URL and body digest (a
        page without a body gets a set of its own)."""
        if not page.get("sha256"):
            cur = self.conn.execute("INSERT INTO link_set_keys (key) VALUES (NULL)")
            return int(cur.lastrowid or 0), True
        key = hashlib.sha1(f"{page.get('unit_id')} {page.get('url')} {page['sha256']}".encode()).hexdigest()
        row = self.conn.execute("SELECT set_id FROM link_set_keys WHERE key=?", (key,)).fetchone()
        if row:
            return int(row[0]), False
        cur = self.conn.execute("INSERT INTO link_set_keys (key) VALUES (?)", (key,))
        return int(cur.lastrowid or 0), True

    def write_renders(self, renders: list[dict[str, Any]]) -> None:
        """Browser renders (crawler/render.py items: a `renders` row each, its links' verdicts in
        `rendered_links`, its screenshot linked to the page row it shows), atomically."""
        with self.conn:
            self.conn.execute("BEGIN")
            for it in renders:
                links = it["links"]
                row = {k: v for k, v in it.items() if k not in ("links", "kind")}
                row["link_count"] = len(links)
                cols = list(row)
                self.conn.execute(f"INSERT INTO renders ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                                  [row[c] for c in cols])
                self.conn.executemany(
                    "INSERT INTO rendered_links VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [(row["run_id"], row["unit_id"], row["url"], ln.get("href"), ln.get("text"), ln.get("selector"),
                      int(bool(ln.get("visible"))), ln.get("strength"), json.dumps(ln.get("reasons") or [], ensure_ascii=False),
                      json.dumps(ln.get("rect"))) for ln in links])
                if row["screenshot"]:
                    self.conn.execute(
                        "UPDATE pages SET screenshot=?, rendered=1 WHERE run_id=? AND unit_id=? AND url=? "
                        "AND purpose IN (?, ?)", (row["screenshot"], row["run_id"], row["unit_id"], row["url"], *CONTENT_PURPOSES))

    # -- findings ---------------------------------------------------------------------------
    def replace_findings(self, run_id: str, unit_id: str, findings: Iterable[Any],
                         rules: Iterable[str] | None = None) -> int:
        """Atomically replace a unit's findings for a run (a check stage re-run is idempotent);
        with `rules`, only those rules' findings (`check --rule`: the other rules' findings stay)."""
        rows = [{
            "run_id": run_id, "unit_id": unit_id, "rule": f.rule, "item": f.item,
            "outcome": f.outcome, "url": f.url, "target": f.target, "message": f.message,
            "data": json.dumps(f.data, ensure_ascii=False, default=str),
            "evidence": json.dumps([e.to_dict() for e in f.evidence], ensure_ascii=False),
            "fingerprint": f.fingerprint,
        } for f in findings]
        with self.conn:
            self.conn.execute("BEGIN")
            if rules is None:
                self.conn.execute("DELETE FROM findings WHERE run_id=? AND unit_id=?", (run_id, unit_id))
            else:
                ids = list(rules)
                self.conn.execute(f"DELETE FROM findings WHERE run_id=? AND unit_id=? AND rule IN "
                                  f"({','.join('?' * len(ids))})", (run_id, unit_id, *ids))
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

    # -- the rule catalogue of a run (written by the check stage, read by the reports) ------------
    def save_rule_catalog(self, run_id: str, rules: Iterable[tuple[str, str, str]]) -> None:
        """(rule id, item, title) of every rule the check stage knew."""
        with self.conn:
            self.conn.execute("DELETE FROM rule_catalog WHERE run_id=?", (run_id,))
            self.conn.executemany("INSERT INTO rule_catalog (run_id, rule, item, title) VALUES (?, ?, ?, ?)",
                                  [(run_id, *r) for r in rules])

    def rule_catalog(self, run_id: str) -> dict[str, tuple[str, str]]:
        """Rule id -> (item, title) for a run; empty for a store checked before the catalogue existed."""
        try:
            rows = self.conn.execute("SELECT rule, item, title FROM rule_catalog WHERE run_id=? ORDER BY rule",
                                     (run_id,)).fetchall()
        except sqlite3.OperationalError:  # a store opened read-only that predates the table
            return {}
        return {r: (item, title) for r, item, title in rows}

    def record_checked(self, run_id: str, unit_ids: list[str], rule_ids: list[str]) -> None:
        at = now_iso()
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO checked_rules VALUES (?,?,?,?)",
                                  [(run_id, u, r, at) for u in unit_ids for r in rule_ids])

    def checked_rules(self, run_id: str, unit_id: str) -> set[str] | None:
        """The rules run on the unit, or None when the store does not say (checked before this record)."""
        try:
            rows = self.conn.execute("SELECT rule FROM checked_rules WHERE run_id=? AND unit_id=?", (run_id, unit_id))
            return {r[0] for r in rows} or None
        except sqlite3.OperationalError:
            return None

    # -- interaction messages (written by the check stage: checks/analyses/interaction.py) ---------
    MESSAGE_COLS = ("column_label", "column_url", "column_kind", "url", "number", "title", "asked_at",
                    "answered_at", "answered_by", "status", "answered", "latency_workdays", "source",
                    "source_url", "key")

    def replace_messages(self, run_id: str, unit_id: str, rows: Iterable[dict[str, Any]]) -> int:
        """Atomically replace the messages read for a unit in a run (a re-run of the checks is idempotent)."""
        cols = self.MESSAGE_COLS
        vals = [[run_id, unit_id, *(_col(r.get(c)) for c in cols)] for r in rows]
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("DELETE FROM messages WHERE run_id=? AND unit_id=?", (run_id, unit_id))
            self.conn.executemany(f"INSERT INTO messages (run_id, unit_id, {','.join(cols)}) "
                                  f"VALUES ({','.join('?' * (len(cols) + 2))})", vals)
        return len(vals)

    def messages(self, run_id: str, unit_id: str | None = None) -> list[dict[str, Any]]:
        """The messages of a run (of one unit), column by column in reading order; [] for a store
        checked before the table existed."""
        sql, args = "SELECT * FROM messages WHERE run_id=?", [run_id]
        if unit_id:
            sql, args = sql + " AND unit_id=?", [run_id, unit_id]
        try:
            return list(self.db.query(sql + " ORDER BY rowid", args))
        except sqlite3.OperationalError:  # a read-only store that predates the table
            return []

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
             "fetched_at", "elapsed", "depth", "referer", "rendered", "screenshot", "note", "link_set"]
LINK_COLS = ["set_id", "target", "raw", "tag", "attr", "text", "hints", "external"]
_INSERT_LINKS = f"INSERT INTO link_sets ({','.join(LINK_COLS)}) VALUES ({','.join('?' * len(LINK_COLS))})"

def _link_rows(links: list[dict[str, Any]], set_id: int) -> list[list[Any]]:
    """Rows for LINK_COLS (the hot loop of a crawl: ~60 links a page)."""
    rows = []
    for ln in links:
        row = list(map(ln.get, LINK_COLS))
        row[0] = set_id
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
