"""Crash safety: kill -9 in the middle of a crawl, and a disk that fills up while writing.

Both run the real CLI in a subprocess against a fixture site, on a store that already holds a
completed run, and then check: earlier runs intact, the interrupted run marked (incomplete /
failed), no findings for it, PRAGMA integrity_check ok, a clear one-line error for the disk.
"""
from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from govaudit.store import Store
from tests.conftest import ROOT, run_cli
from tests.fixtures.server import FixtureServer

FAST = ("--delay", "0", "--no-autothrottle", "--timeout", "10")


def _snapshot(db_path: Path, run_id: str) -> tuple[int, int, int, str]:
    db = sqlite3.connect(db_path)
    try:
        pages = db.execute("SELECT COUNT(*) FROM pages WHERE run_id=?", (run_id,)).fetchone()[0]
        links = db.execute("SELECT COUNT(*) FROM links WHERE run_id=?", (run_id,)).fetchone()[0]
        findings = db.execute("SELECT COUNT(*) FROM findings WHERE run_id=?", (run_id,)).fetchone()[0]
        status = db.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()[0]
    finally:
        db.close()
    return pages, links, findings, status


def _first_run(site: FixtureServer, out: Path) -> str:
    proc = run_cli("audit", site.url("/"), "--out", str(out), *FAST, "--max-pages", "5")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    db = sqlite3.connect(out / "govaudit.sqlite")
    run_id = db.execute("SELECT id FROM runs").fetchone()[0]
    db.close()
    return run_id


def _slow_site(s: FixtureServer, n: int = 400) -> None:
    def slow(req):
        time.sleep(0.15)
        i = int(req.path.strip("/").replace("p", "") or 0)
        body = "".join(f'<a href="/p{i * 3 + k}">{k}</a>' for k in (1, 2, 3)).encode() + b"<p>" + os.urandom(2000).hex().encode()
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    s.route("/", handler=slow)
    s.route("/p", handler=slow, prefix=True)
    s.page("/broken-target-for-findings", "x", status=404)


def test_kill_9_mid_crawl(tmp_path):
    out = tmp_path / "out"
    with FixtureServer() as s:
        _slow_site(s)
        first = _first_run(s, out)
        before = _snapshot(out / "govaudit.sqlite", first)
        assert before[0] > 0 and before[2] > 0 and before[3] == "complete"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "govaudit", "audit", s.url("/"), "--out", str(out), *FAST],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            uri = f"file:{out / 'govaudit.sqlite'}?mode=ro"
            deadline = time.monotonic() + 180
            second = None
            while time.monotonic() < deadline:
                db = sqlite3.connect(uri, uri=True, timeout=5)
                try:
                    row = db.execute("SELECT id FROM runs WHERE id != ? ORDER BY rowid DESC", (first,)).fetchone()
                    if row:
                        second = row[0]
                        n = db.execute("SELECT COUNT(*) FROM pages WHERE run_id=?", (second,)).fetchone()[0]
                        if n >= 20:
                            break
                except sqlite3.OperationalError:
                    pass
                finally:
                    db.close()
                time.sleep(0.2)
            assert second, "the second run never started writing"
            assert proc.poll() is None, "the crawl finished before it could be killed"
            os.killpg(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
        assert proc.returncode == -signal.SIGKILL

    db_path = out / "govaudit.sqlite"
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    assert _snapshot(db_path, first) == before, "the earlier run changed"
    pages, links, findings, status = _snapshot(db_path, second)
    assert pages >= 20 and findings == 0, "an interrupted run must have no (half-written) findings"
    # every stored link belongs to a stored page: batches are written whole or not at all
    db = sqlite3.connect(db_path)
    orphans = db.execute("SELECT COUNT(*) FROM links l LEFT JOIN pages p ON p.id = l.page_id "
                         "WHERE l.run_id=? AND p.id IS NULL", (second,)).fetchone()[0]
    db.close()
    assert orphans == 0
    # re-checking the killed run works, and leaves it marked incomplete (never "complete")
    proc = run_cli("check", "--out", str(out), "--run", second, timeout=240)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    store = Store(db_path)
    assert store.run(second)["status"] == "incomplete"
    assert store.run(first)["status"] == "complete"
    store.close()
    assert _snapshot(db_path, first) == before


def test_disk_full_gives_clear_error_and_keeps_earlier_data(tmp_path):
    out = tmp_path / "out"
    with FixtureServer() as s:
        s.page("/", "".join(f'<a href="/p{i}">{i}</a>' for i in range(60)))
        for i in range(60):  # incompressible bodies: the store must grow
            s.page(f"/p{i}", os.urandom(20000).hex())
        first = _first_run(s, out)
        db_path = out / "govaudit.sqlite"
        before = _snapshot(db_path, first)
        limit = db_path.stat().st_size + 300_000

        def small_disk() -> None:  # files of this process may not grow past `limit` (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        proc = subprocess.run([sys.executable, "-m", "govaudit", "audit", s.url("/"), "--out", str(out), *FAST],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=small_disk)
    assert proc.returncode == 4, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("govaudit: cannot write") and "govaudit.sqlite" in last, last
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    runs = dict(db.execute("SELECT id, status FROM runs").fetchall())
    db.close()
    assert _snapshot(db_path, first) == before
    second = next(r for r in runs if r != first)
    assert runs[second] in ("failed", "running", "incomplete")
    assert _snapshot(db_path, second)[2] == 0


def test_store_that_is_not_a_database(tmp_path):
    """--out pointing at a folder whose govaudit.sqlite is something else: one line, exit 4, the file untouched."""
    out = tmp_path / "out"
    out.mkdir()
    junk = os.urandom(5000)
    (out / "govaudit.sqlite").write_bytes(junk)
    for argv in (("audit", "http://127.0.0.1:9/", "--out", str(out)), ("check", "--out", str(out))):
        proc = run_cli(*argv, timeout=120)
        assert proc.returncode == 4, (argv, proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") == 0
        assert "not a database" in proc.stderr
    assert (out / "govaudit.sqlite").read_bytes() == junk
