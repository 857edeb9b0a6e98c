"""govaudit probe: one GET of each unit's home page, recorded in `probes` for site.unavailable."""
from __future__ import annotations

import sqlite3

from govaudit.commands.probe import probe_one
from govaudit.model import Unit
from tests.conftest import run_cli
from tests.test_nightly_fixtures import FixtureSite, dead_url, portal, write_units


def test_probe_records_up_down_slow_and_error_sites(tmp_path):
    with FixtureSite(portal(1)) as up, FixtureSite({}) as missing, FixtureSite(portal(1), delay=3) as slow:
        units = write_units(tmp_path / "units.yaml", [
            {"id": "up", "name": "甲", "url": up.url},
            {"id": "missing", "name": "乙", "url": missing.url},
            {"id": "slow", "name": "丙", "url": slow.url},
            {"id": "dead", "name": "丁", "url": dead_url()},
        ])
        out = tmp_path / "out"
        for _ in range(2):
            proc = run_cli("probe", "--units", str(units), "--out", str(out), "--timeout", "1", timeout=60)
            assert proc.returncode == 0, proc.stderr[-2000:]
        assert up.requests() == ["/", "/"]  # one request per probe, nothing crawled
    assert "probed 4 unit(s): 1 ok, 3 failed" in proc.stdout
    conn = sqlite3.connect(out / "govaudit.sqlite")
    rows = conn.execute("SELECT unit_id, ok, status, reason, source, elapsed, time FROM probes ORDER BY id").fetchall()
    conn.close()
    assert len(rows) == 8
    last = {r[0]: r[1:5] for r in rows[4:]}
    assert last["up"] == (1, 200, None, "probe")
    assert last["missing"] == (0, 404, "HTTP 404", "probe")
    assert last["slow"] == (0, None, "timeout", "probe")
    assert last["dead"] == (0, None, "refused", "probe")
    assert all(r[5] is not None and r[6].endswith("+00:00") for r in rows)


def test_probe_follows_a_redirecting_home_page():
    pages = portal(1)
    with FixtureSite(pages) as site:
        r = probe_one(Unit(id="x", name="x", url=site.url + "art/0.html"), 5, "govaudit-test")
    assert r.ok and r.status == 200 and r.reason is None


def test_probe_dns_failure_is_named():
    r = probe_one(Unit(id="x", name="x", url="http://no-such-host.invalid/"), 5, "govaudit-test")
    assert not r.ok and r.reason in ("dns", "timeout")


def test_probe_needs_a_units_file(tmp_path):
    proc = run_cli("probe", "--units", str(tmp_path / "nope.yaml"), "--out", str(tmp_path), timeout=60)
    assert proc.returncode == 2 and "file not found" in proc.stderr
