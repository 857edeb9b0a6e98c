"""govaudit serve: every canned query runs on a real store with two runs; Datasette answers them
read-only over HTTP on 127.0.0.1."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import yaml

from govaudit import history
from govaudit.commands.serve import METADATA, datasette_command
from govaudit.model import Finding, Unit
from govaudit.store import Store
from tests.conftest import run_cli

UNIT = Unit(id="u1", name="某县", url="http://www.x.gov.cn/")


def _store(path):
    s = Store(path)
    for targets in (["a", "b"], ["b", "c"]):
        run_id = s.start_run("nightly", {})
        s.add_unit(run_id, UNIT)
        s.write_batch([{"run_id": run_id, "unit_id": "u1", "url": UNIT.url, "status": 200, "purpose": "home"}], [], [])
        fs = [Finding("link.broken", "8.6.1", "fail", "u1", UNIT.url, "失效链接", target=f"http://www.x.gov.cn/{t}",
                      data={"on_home": True}) for t in targets]
        fs.append(Finding("column.stale", "8.6.2", "fail", "u1", UNIT.url + "tzgg/", "栏目不更新",
                          data={"label": "通知公告", "age_days": 200}))
        s.replace_findings(run_id, "u1", fs)
        s.finish_run(run_id, "complete")
        history.diff_run(s, run_id)
    history.record_probe(s, "u1", UNIT.url, False, None, "timeout", 15.0)
    history.record_probe(s, "u1", UNIT.url, True, 200, None, 0.2)
    s.close()
    return run_id


def _queries():
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["govaudit"]["queries"]


def test_every_canned_query_runs_and_answers(tmp_path):
    import sqlite3

    path = tmp_path / "govaudit.sqlite"
    last = _store(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    results = {}
    for name, q in _queries().items():
        params = {p: "" for p in re.findall(r":(\w+)", q["sql"])}
        cur = conn.execute(q["sql"], params)
        results[name] = [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]
    conn.close()
    assert results["broken_links_by_unit"] == [{"unit_id": "u1", "name": "某县", "broken_links": 2, "on_home_page": 2,
                                                 "pages_with_broken_links": 1}]
    assert [r["target"].rsplit("/", 1)[1] for r in results["new_tonight"]] == ["c"]
    assert [r["target"].rsplit("/", 1)[1] for r in results["fixed_tonight"]] == ["a"]
    assert results["stale_columns"][0]["column_name"] == "通知公告" and results["stale_columns"][0]["age_days"] == 200
    assert results["availability"][0]["failed_percent"] == 50.0
    assert results["runs_overview"][0]["id"] == last and len(results["runs_overview"]) == 2


def test_serve_dry_run_and_missing_store(tmp_path):
    _store(tmp_path / "govaudit.sqlite")
    proc = run_cli("serve", "--out", str(tmp_path), "--dry-run", timeout=60)
    assert proc.returncode == 0 and "datasette serve" in proc.stdout and "datasette.yaml" in proc.stdout
    proc = run_cli("serve", "--out", str(tmp_path / "none"), timeout=60)
    assert proc.returncode == 2 and "no store" in proc.stderr


def test_datasette_serves_the_canned_queries_read_only(tmp_path):
    path = tmp_path / "govaudit.sqlite"
    _store(path)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen(datasette_command(path, "127.0.0.1", port, str(METADATA)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/govaudit"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + ".json", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
                time.sleep(0.1)
        data = json.loads(urllib.request.urlopen(base + "/new_tonight.json?_shape=objects&run=", timeout=10).read())
        assert [r["target"].rsplit("/", 1)[1] for r in data["rows"]] == ["c"]
        data = json.loads(urllib.request.urlopen(base + "/broken_links_by_unit.json?_shape=objects", timeout=10).read())
        assert data["rows"][0]["broken_links"] == 2
        sql = urllib.parse.quote("DELETE FROM findings")
        try:
            body = urllib.request.urlopen(base + f".json?sql={sql}", timeout=10).read()
            assert b"error" in body.lower()
        except urllib.error.HTTPError as e:
            assert e.code in (400, 403)
        import sqlite3

        assert sqlite3.connect(path).execute("SELECT count(*) FROM findings").fetchone()[0] == 6
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stderr.close()  # type: ignore[union-attr]
