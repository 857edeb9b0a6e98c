"""Issue 17 point 6 — `serve` on a store made by `audit` (no nightly tables): every canned query
answers (empty where it reads diffs, probes or pruned_runs), and the Datasette child stops with
`serve`: on SIGTERM, and even when `serve` is killed outright."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from govaudit.commands.serve import METADATA, adapt_query
from tests.conftest import ROOT


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def gone(pid: int, wait: float = 15.0) -> bool:
    end = time.time() + wait
    while time.time() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def start(out: Path, port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "govaudit", "serve", "--out", str(out), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/govaudit"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + ".json", timeout=5).read()
            return proc
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read()[-2000:])  # type: ignore[union-attr]
            time.sleep(0.1)
    proc.kill()
    pytest.fail("datasette did not start")


def test_adapt_query_reads_a_missing_table_as_empty():
    sql = "WITH r AS (SELECT 1 AS id) SELECT * FROM diffs d JOIN r ON d.run_id = r.id"
    assert adapt_query(sql, {"diffs": ["run_id", "rule"]}).startswith(
        "WITH diffs(run_id, rule) AS (SELECT NULL, NULL WHERE 0), r AS")
    assert adapt_query("SELECT 1 FROM runs", {"diffs": ["run_id"]}) == "SELECT 1 FROM runs"


def test_serve_on_an_audit_store_answers_every_query_and_stops_its_child(demo_audit, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    port = free_port()
    proc = start(out, port)
    try:
        kids = children(proc.pid)
        assert kids, "no datasette child"
        queries = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["govaudit"]["queries"]
        for name in queries:
            url = f"http://127.0.0.1:{port}/govaudit/{name}.json?_shape=objects&run=&unit="
            data = json.loads(urllib.request.urlopen(url, timeout=30).read())
            assert "rows" in data and data.get("ok", True), (name, data)
        runs = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/govaudit/runs_overview.json?_shape=objects",
                                                 timeout=30).read())["rows"]
        assert len(runs) == 1 and runs[0]["pruned"] == 0
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        assert all(gone(k) for k in kids)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_the_child_stops_when_serve_is_killed(demo_audit, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    proc = start(out, free_port())
    kids = children(proc.pid)
    try:
        assert kids
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        assert all(gone(k) for k in kids)
    finally:
        for k in kids:
            if not gone(k, 0.1):
                os.kill(k, signal.SIGKILL)
