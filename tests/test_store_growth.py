"""Links are stored once per (unit, page URL, body): an unchanged night costs almost nothing, every
reader still sees one `links` row per link per run, and a store written before link sets is migrated."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from govaudit import history
from govaudit.store import Store, sha256


def _night(store: Store, run: str, pages: int, links: int, changed: set[int] = frozenset()) -> None:
    batch_pages, batch_links, bodies = [], [], []
    for i in range(pages):
        body = f"<html><body>page {i} {'changed' if i in changed else ''}</body></html>".encode()
        digest = sha256(body)
        bodies.append((digest, body))
        batch_pages.append({"run_id": run, "unit_id": "u", "url": f"http://x.test/p{i}.html", "status": 200,
                            "purpose": "page", "sha256": digest, "fetched_at": "2026-12-01T00:00:00+08:00"})
        for j in range(links):
            batch_links.append({"page_ref": i, "target": f"http://x.test/p{(i + j) % pages}.html", "raw": f"p{j}.html",
                                "tag": "a", "attr": "href", "text": f"第{j}条信息的标题，足够长以像真实站点", "hints": None,
                                "external": 0})
    store.write_batch(batch_pages, batch_links, bodies)


def _size(path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    n = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return n


def test_unchanged_night_adds_under_ten_percent(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = Store(path)
    empty = _size(path)
    r1 = store.start_run("nightly", {})
    _night(store, r1, pages=300, links=60)
    first = _size(path) - empty
    r2 = store.start_run("nightly", {})
    _night(store, r2, pages=300, links=60)
    second = _size(path) - empty - first
    assert second <= 0.10 * first, (first, second)
    # every reader still sees each run's links, per page, in document order
    for run in (r1, r2):
        assert store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (run,)).fetchone()[0] == 300 * 60
    rows = store.conn.execute("SELECT raw FROM links WHERE run_id=? AND source_url=?", (r2, "http://x.test/p7.html")).fetchall()
    assert [r[0] for r in rows] == [f"p{j}.html" for j in range(60)]
    store.close()


def test_changed_page_gets_its_own_links(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    r1 = store.start_run("nightly", {})
    _night(store, r1, pages=5, links=3)
    r2 = store.start_run("nightly", {})
    _night(store, r2, pages=5, links=3, changed={2})
    sets = store.conn.execute("SELECT count(*) FROM link_set_keys").fetchone()[0]
    assert sets == 6  # five pages, one of them changed once
    assert store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (r2,)).fetchone()[0] == 15
    store.close()


def test_retention_keeps_shared_sets_and_drops_orphans(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    runs = []
    for k in range(3):
        run = store.start_run("nightly", {})
        _night(store, run, pages=4, links=2, changed={0} if k == 0 else set())
        store.finish_run(run)
        runs.append(run)
    history.prune(store, keep_runs=1)
    assert store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (runs[0],)).fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (runs[2],)).fetchone()[0] == 8
    # the first night's changed page 0 set is referenced by nobody any more
    assert store.conn.execute("SELECT count(*) FROM link_set_keys").fetchone()[0] == 4
    store.close()


def test_store_with_links_table_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
    CREATE TABLE pages (id INTEGER PRIMARY KEY, run_id TEXT, unit_id TEXT, url TEXT, final_url TEXT,
      redirects TEXT, status INTEGER, reason TEXT, method TEXT, purpose TEXT, headers TEXT,
      content_type TEXT, size INTEGER, sha256 TEXT, encoding TEXT, title TEXT, fetched_at TEXT, elapsed REAL,
      depth INTEGER, referer TEXT, rendered INTEGER DEFAULT 0, screenshot TEXT, note TEXT);
    CREATE TABLE links (run_id TEXT, unit_id TEXT, page_id INTEGER, source_url TEXT, target TEXT, raw TEXT,
      tag TEXT, attr TEXT, text TEXT, hints TEXT, external INTEGER);
    INSERT INTO pages (id, run_id, unit_id, url, status, purpose) VALUES (1, 'r', 'u', 'http://x.test/', 200, 'home');
    INSERT INTO links VALUES ('r', 'u', 1, 'http://x.test/', 'http://x.test/a', 'a', 'a', 'href', 'A', NULL, 0);
    INSERT INTO links VALUES ('r', 'u', 1, 'http://x.test/', 'http://x.test/b', 'b', 'a', 'href', 'B', NULL, 0);
    """)
    db.commit()
    db.close()
    store = Store(path)
    assert store.conn.execute("SELECT type FROM sqlite_master WHERE name='links'").fetchone()[0] == "view"
    rows = store.conn.execute("SELECT page_id, source_url, target, text FROM links WHERE run_id='r'").fetchall()
    assert rows == [(1, "http://x.test/", "http://x.test/a", "A"), (1, "http://x.test/", "http://x.test/b", "B")]
    # a new page after the migration gets a set id above every migrated one
    r2 = store.start_run("nightly", {})
    _night(store, r2, pages=1, links=1)
    assert store.conn.execute("SELECT min(set_id) FROM link_set_keys WHERE key NOT LIKE 'page %'").fetchone()[0] > 1
    store.close()
