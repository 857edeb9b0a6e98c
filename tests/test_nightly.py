"""govaudit nightly end to end: many units in one process, a dead one among them, a killed run
resumed, and the new/fixed/open diff with conditional requests across two runs."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.test_nightly_fixtures import FixtureSite, dead_url, portal, write_units


def _rows(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_dead_unit_among_live_ones_neither_blocks_nor_fails_them(tmp_path):
    with FixtureSite(portal(4)) as a, FixtureSite(portal(3, prefix="/b")) as b:
        units = write_units(tmp_path / "units.yaml", [
            {"id": "alive-a", "name": "甲县", "url": a.url},
            {"id": "down", "name": "乙县", "url": dead_url()},
            {"id": "alive-b", "name": "丙县", "url": b.url, "overrides": {"concurrency_per_site": 1}},
        ])
        out = tmp_path / "out"
        proc = run_cli("nightly", "--units", str(units), "--out", str(out), timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    db = out / "govaudit.sqlite"
    (run_id, status), = _rows(db, "SELECT id, status FROM runs")
    assert status == "complete"
    units_rows = {r[0]: r[1:] for r in _rows(db, "SELECT unit_id, status, pages FROM units WHERE run_id=?", (run_id,))}
    assert units_rows["down"][0] == "unreachable"
    assert units_rows["alive-a"] == ("crawled", 6) and units_rows["alive-b"] == ("crawled", 5)
    # the crawl outcome of every unit is in `probes` for site.unavailable
    probes = {r[0]: r[1:] for r in _rows(db, "SELECT unit_id, ok, reason, source, run_id FROM probes")}
    assert probes["down"] == (0, "refused", "crawl", run_id)
    assert probes["alive-a"][:2] == (1, None) and probes["alive-b"][:2] == (1, None)
    # rules could not measure the dead site: not_measured, never pass
    outcomes = {r[0] for r in _rows(db, "SELECT outcome FROM findings WHERE unit_id='down'")}
    assert "pass" not in outcomes and "not_measured" in outcomes
    # progress and a log file, the reports and the diff
    log = (out / "nightly.log").read_text(encoding="utf-8")
    assert "down: 首页无法访问" in log and "alive-a: 已抓取" in log
    assert all(f"{u}: done," in log for u in ("down", "alive-a", "alive-b"))  # units done, as they finish
    assert "已抓取" in proc.stderr and "首页无法访问 1" in proc.stdout
    diff = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert {d["unit"]: d["status"] for d in diff["units"]} == {"alive-a": "crawled", "alive-b": "crawled",
                                                                "down": "unreachable"}
    assert (out / "findings.json").exists() and (out / "report.html").exists()


def test_all_units_dead_exits_3(tmp_path):
    units = write_units(tmp_path / "units.yaml", [{"id": "down", "name": "乙县", "url": dead_url()}])
    proc = run_cli("nightly", "--units", str(units), "--out", str(tmp_path / "out"), timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]


def test_bad_units_file_is_a_one_line_usage_error(tmp_path):
    bad = tmp_path / "units.yaml"
    bad.write_text("units:\n  - id: a\n    name: 甲\n    url: http://a.gov.cn/\n    colour: red\n", encoding="utf-8")
    proc = run_cli("nightly", "--units", str(bad), "--out", str(tmp_path / "out"), timeout=60)
    assert proc.returncode == 2
    assert "units[0].colour" in proc.stderr and ":5:" in proc.stderr and "Traceback" not in proc.stderr


def test_killed_run_is_resumed_without_fetching_stored_pages_again(tmp_path):
    n = 80
    with FixtureSite(portal(n), delay=0.05) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "slow", "name": "慢县", "url": site.url}],
                            concurrency_per_site=1)
        out = tmp_path / "out"
        db = out / "govaudit.sqlite"
        cmd = [sys.executable, "-m", "govaudit", "nightly", "--units", str(units), "--out", str(out)]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        stored: set[str] = set()
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if db.exists():
                    try:
                        stored = {r[0] for r in _rows(db, "SELECT url FROM pages")}
                    except sqlite3.OperationalError:
                        stored = set()
                    if len(stored) >= 10:
                        break
                time.sleep(0.2)
            assert proc.poll() is None, "the run ended before it could be interrupted"
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
        stored = {r[0] for r in _rows(db, "SELECT url FROM pages WHERE purpose IN ('home', 'page')")}
        assert 10 <= len(stored) < n + 2
        (killed_run, status), = _rows(db, "SELECT id, status FROM runs")
        assert status == "running"  # the killed process could not say otherwise
        before = len(site.log)

        again = run_cli("nightly", "--units", str(units), "--out", str(out), "--resume", timeout=240)
        assert again.returncode == 0, again.stderr[-3000:]
        site_paths = set(site.pages)
        refetched = {p for m, p, _, _ in site.log[before:] if m == "GET" and p in site_paths}
    runs = _rows(db, "SELECT id, status, note FROM runs")
    assert runs == [(killed_run, "complete", None)] or [r[:2] for r in runs] == [(killed_run, "complete")]
    urls = [r[0] for r in _rows(db, "SELECT url FROM pages WHERE run_id=? AND purpose IN ('home', 'page')",
                                (killed_run,))]
    assert len(urls) == len(set(urls)) == n + 2, "every page once, none lost"
    stored_paths = {"/" + u.split("/", 3)[3] for u in stored}
    assert not refetched & stored_paths, f"fetched again: {sorted(refetched & stored_paths)[:5]}"
    assert len(refetched) == n + 2 - len(stored)
    assert "resum" in again.stderr


def test_diff_new_fixed_open_across_two_runs_with_conditional_requests(tmp_path):
    pages = portal(4, broken=("a", "b"))
    with FixtureSite(pages) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "x", "name": "某县", "url": site.url}])
        out = tmp_path / "out"
        first = run_cli("nightly", "--units", str(units), "--out", str(out), "--today", "2026-11-25", timeout=240)
        assert first.returncode == 0, first.stderr[-3000:]
        d1 = json.loads((out / "diff.json").read_text(encoding="utf-8"))
        assert d1["units"][0]["previous_run"] is None
        assert len([f for f in d1["units"][0]["new"] if f["rule"] == "link.broken"]) == 2
        # overnight: broken link a fixed, c added, b left; the articles are unchanged
        site.pages["/col/index.html"] = site.pages["/col/index.html"].replace(
            "/missing/a.html", "/art/0.html").replace("</ul>", '<li><a href="/missing/c.html">新坏链接</a></li></ul>')
        mark = len(site.log)
        second = run_cli("nightly", "--units", str(units), "--out", str(out), "--today", "2026-11-26", timeout=240)
        assert second.returncode == 0, second.stderr[-3000:]
        night2 = site.log[mark:]
    d2 = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    u = d2["units"][0]
    assert u["previous_run"] == d1["run"]
    assert [t["run"] for t in u["trend"]] == [d1["run"], d2["run"]]  # for the report's charts
    assert (out / "history" / f"{d1['run']}-diff.json").exists()
    target = lambda fs: sorted(f["target"].rsplit("/", 1)[1] for f in fs if f["rule"] == "link.broken")  # noqa: E731
    assert target(u["new"]) == ["c.html"]
    assert target(u["fixed"]) == ["a.html"]
    assert target(u["open"]) == ["b.html"]
    assert d2["totals"]["new"] >= 1 and d2["totals"]["fixed"] >= 1
    assert "新增" in second.stdout and "/missing/c.html" in second.stdout
    # conditional requests: unchanged pages answered 304 and their body reused (same sha256)
    arts = [(p, inm, st) for m, p, inm, st in night2 if p.startswith("/art/")]
    assert arts and all(inm and st == 304 for _, inm, st in arts)
    col = [st for m, p, inm, st in night2 if p == "/col/index.html"]
    assert col == [200]
    db = out / "govaudit.sqlite"
    run1, run2 = d1["run"], d2["run"]
    same = _rows(db, "SELECT a.sha256 = b.sha256, b.headers FROM pages a JOIN pages b ON a.url=b.url "
                     "WHERE a.run_id=? AND b.run_id=? AND a.url LIKE '%/art/%'", (run1, run2))
    assert same and all(eq == 1 and "X-Govaudit-Revalidated" in h for eq, h in same)
    # the 304 pages' links are recorded for tonight (the home page was a 304 too)
    assert _rows(db, "SELECT count(*) FROM links WHERE run_id=? AND source_url=?", (run2, site.url))[0][0] == 1
    # and the diff is in the store for Datasette
    changes = dict(_rows(db, "SELECT change, count(*) FROM diffs WHERE run_id=? GROUP BY change", (run2,)))
    assert changes["new"] >= 1 and changes["fixed"] >= 1 and changes["open"] >= 1


@pytest.mark.parametrize("flag", ["--no-incremental"])
def test_no_incremental_fetches_everything(tmp_path, flag):
    with FixtureSite(portal(2)) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "x", "name": "某县", "url": site.url}])
        out = tmp_path / "out"
        assert run_cli("nightly", "--units", str(units), "--out", str(out), timeout=240).returncode == 0
        mark = len(site.log)
        assert run_cli("nightly", "--units", str(units), "--out", str(out), flag, timeout=240).returncode == 0
        night2 = [(inm, st) for _, p, inm, st in site.log[mark:] if p in site.pages]
        assert night2 and all(inm is None and st == 200 for inm, st in night2)


def test_a_second_nightly_on_a_busy_store_is_refused(tmp_path):
    from govaudit import history  # noqa: F401
    from govaudit.store import Store

    out = tmp_path / "out"
    store = Store(out / "govaudit.sqlite")
    store.start_run("nightly", {})  # running, and this (live) process owns it
    store.close()
    units = write_units(tmp_path / "units.yaml", [{"id": "x", "name": "某县", "url": dead_url()}])
    proc = run_cli("nightly", "--units", str(units), "--out", str(out), timeout=60)
    assert proc.returncode == 2 and "still running" in proc.stderr


def test_a_slow_site_does_not_hold_up_the_others(tmp_path):
    # different hosts (127.0.0.2 / 127.0.0.1): each its own download slot, as real sites are
    with FixtureSite(portal(3), delay=2.5, host="127.0.0.2") as slow, FixtureSite(portal(12)) as fast:
        units = write_units(tmp_path / "units.yaml", [
            {"id": "slow", "name": "慢县", "url": slow.url, "overrides": {"concurrency_per_site": 1}},
            {"id": "fast", "name": "快县", "url": fast.url},
        ])
        out = tmp_path / "out"
        proc = run_cli("nightly", "--units", str(units), "--out", str(out), "--progress", "1", timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = (out / "nightly.log").read_text(encoding="utf-8")
    assert log.index("fast: done,") < log.index("slow: done,"), log[-2000:]
    pages = dict(_rows(out / "govaudit.sqlite", "SELECT unit_id, pages FROM units"))
    assert pages["fast"] >= 14 and pages["slow"] >= 5


def test_sigterm_stops_cleanly_and_the_run_is_resumed(tmp_path):
    with FixtureSite(portal(80), delay=0.05) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "slow", "name": "慢县", "url": site.url}],
                            concurrency_per_site=1)
        out = tmp_path / "out"
        db = out / "govaudit.sqlite"
        proc = subprocess.Popen([sys.executable, "-m", "govaudit", "nightly", "--units", str(units), "--out", str(out)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if len(site.log) >= 10:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)  # what systemd sends on stop
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err[-3000:]
        assert "--resume" in err
        (run_id, status), = _rows(db, "SELECT id, status FROM runs")
        assert status == "incomplete"
        assert _rows(db, "SELECT count(*) FROM findings")[0][0] == 0  # a partial crawl is not judged
        again = run_cli("nightly", "--units", str(units), "--out", str(out), "--resume", timeout=240)
        assert again.returncode == 0, again.stderr[-3000:]
    assert _rows(db, "SELECT id, status FROM runs") == [(run_id, "complete")]
    urls = [r[0] for r in _rows(db, "SELECT url FROM pages WHERE purpose IN ('home', 'page')")]
    assert len(urls) == len(set(urls)) == 82
