"""Issue 22's distributed Done-when, on a local redis-server: three workers and a collector crawl a
fixture portal whose 通知公告 column is filled by a script. The worker that took the first request is
killed (SIGKILL) while it holds it: another worker finishes it. The host never sees more requests at
once than its limit, the browser's included; a worker renders the script-filled column and crawls the
links only the script wrote; the second night is answered with 304s and stores the earlier bodies."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govaudit.crawler.render import find_browser
from tests.conftest import ROOT, run_cli
from tests.test_distributed import redis_url  # noqa: F401 — the redis-server fixture
from tests.test_nightly_fixtures import FixtureSite, page, script_portal, write_units

DELAY = 0.1      # the host's configured delay between starts
LIMIT = 2        # the host's configured concurrency
LOST_AFTER = 4   # seconds without a heartbeat before a worker's requests go to the others
ARTICLES = 12


def _pages() -> dict[str, str]:
    pages = script_portal(3)
    arts = {f"/col/{i}.html": page(f"动态{i}", [("返回", "/")], f"正文{i}") for i in range(ARTICLES)}
    pages["/col/index.html"] = page("工作动态", [(f"动态{i}", f"/col/{i}.html") for i in range(ARTICLES)])
    pages["/"] = page("测试县人民政府", [("通知公告", "/tzgg/index.html"), ("工作动态", "/col/index.html")],
                      "欢迎访问测试县人民政府门户网站。")
    return {**pages, **arts}


def _spawn(log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as f:  # a file, not a pipe: a chatty process never blocks on a full pipe
        return subprocess.Popen([sys.executable, "-m", "govaudit", *args], cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _wait(cond, what: str, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _night(tmp_path: Path, url: str, units: Path, run: str, site: FixtureSite, kill_first: bool) -> dict[str, str]:
    import redis

    r = redis.Redis.from_url(url)
    common = ["--redis", url, "--units", str(units), "--run", run]
    collector = _spawn(tmp_path / f"{run}-collect.log", "collect", *common, "--out", str(tmp_path / "out"),
                       "--workers", "3", "--today", "2026-11-20")
    # the collector says so once the previous night's validators are published
    _wait(lambda: b"collecting run" in (tmp_path / f"{run}-collect.log").read_bytes(), "the collector")
    site.gate.clear()  # hold the site until all three workers have joined
    workers = {w: _spawn(tmp_path / f"{run}-{w}.log", "worker", *common, "--id", w, "--lost-after", str(LOST_AFTER),
                         "--check-store", str(tmp_path / "out"))
               for w in ("w1", "w2", "w3")}
    _wait(lambda: r.hlen(f"govaudit:{run}:workers") == 3, "three workers")
    killed = None
    if kill_first:  # the worker holding the home page (the only request so far) dies with it
        _wait(lambda: any(r.hlen(f"govaudit:{run}:inflight:{w}") for w in workers), "the first request")
        killed = next(w for w in workers if r.hlen(f"govaudit:{run}:inflight:{w}"))
        workers[killed].send_signal(signal.SIGKILL)
        workers[killed].wait(30)
    site.gate.set()
    for w, p in workers.items():
        if w != killed:
            assert p.wait(300) == 0, (tmp_path / f"{run}-{w}.log").read_text(errors="replace")[-3000:]
    assert collector.wait(300) == 0, (tmp_path / f"{run}-collect.log").read_text(errors="replace")[-3000:]
    logs = "".join((tmp_path / f"{run}-{n}.log").read_text(errors="replace") for n in ("collect", *workers))
    return {"killed": killed or "", "logs": logs}


def _findings(out: Path, run: str) -> list[tuple[str, ...]]:
    with sqlite3.connect(out / "govaudit.sqlite") as db:
        return sorted(db.execute("SELECT unit_id, rule, item, outcome, coalesce(url, ''), coalesce(target, ''), message "
                                 "FROM findings WHERE run_id=?", (run,)).fetchall())


def test_three_workers_render_resume_and_revalidate(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    if find_browser() is None:
        pytest.skip("no Chromium installed (scripts/setup-system.sh installs it)")
    with FixtureSite(_pages(), delay=0.05) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "测试县", "url": site.url}],
                            concurrency_per_site=LIMIT, delay=DELAY)
        one = _night(tmp_path, redis_url, units, "night-1", site, kill_first=True)
        peak1, starts1, log1 = site.max_active, sorted(site.starts), list(site.log)
        site.max_active, site.starts, site.log = 0, [], []
        two = _night(tmp_path, redis_url, units, "night-2", site, kill_first=False)
        peak2, log2 = site.max_active, list(site.log)

    # a killed worker's request is finished by another
    assert one["killed"] and not two["killed"]
    assert re.search(rf"工作进程 {one['killed']} (失联|未完成就停止).*它手上的 1 个请求已放回队列", one["logs"]), \
        one["logs"][-3000:]
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    try:
        q = lambda sql, *a: db.execute(sql, a).fetchall()  # noqa: E731
        for run in ("night-1", "night-2"):
            assert q("SELECT status FROM runs WHERE id=?", run) == [("complete",)]
            paths = {u.split("/", 3)[3] for (u,) in q("SELECT url FROM pages WHERE run_id=? AND status=200 AND "
                                                      "purpose IN ('home','page')", run)}
            # every page, also the articles only the rendered list links to
            assert paths == {"", "tzgg/index.html", "col/index.html", *(f"col/{i}.html" for i in range(ARTICLES)),
                             *(f"tzgg/t{i}.html" for i in range(3))}, (run, sorted(paths))
            # the script-filled column, rendered by a worker: its DOM and screenshot are in the store
            rendered = q("SELECT url, screenshot FROM pages WHERE run_id=? AND purpose='rendered' AND rendered=1", run)
            assert [u.rsplit("/", 2)[-2:] for u, _ in rendered] == [["tzgg", "index.html"]], rendered
            assert (tmp_path / "out" / rendered[0][1]).is_file()
            home = q("SELECT r.link_count, p.screenshot FROM renders r JOIN pages p ON p.run_id=r.run_id AND "
                     "p.url=r.url AND p.purpose='home' WHERE r.run_id=? AND r.error IS NULL", run)
            assert home and home[0][0] >= 2 and home[0][1]  # the home page's links judged in the browser
            blank = q("SELECT outcome, message FROM findings WHERE run_id=? AND rule='column.blank' "
                      "AND outcome IN ('fail','needs_review')", run)
            assert blank == [], blank  # not "not rendered"
            # each page stored once, though a worker died holding one
            dup = q("SELECT url, purpose, count(*) FROM pages WHERE run_id=? GROUP BY unit_id, url, purpose, method "
                    "HAVING count(*) > 1", run)
            assert dup == [], dup
            # one soft-404 probe of the host, whichever worker reached it first (the others' copies
            # are the same URL: dropped by the shared dupefilter)
            assert q("SELECT count(*) FROM pages WHERE run_id=? AND purpose='soft404-probe'", run) == [(1,)]
        # night 2: the unchanged pages were answered 304 and stored as the earlier bodies
        revalidated = q("SELECT count(*) FROM pages p JOIN pages o ON o.run_id='night-1' AND o.url=p.url AND "
                        "o.purpose=p.purpose AND o.sha256=p.sha256 WHERE p.run_id='night-2' "
                        "AND p.headers LIKE '%X-Govaudit-Revalidated%'")[0][0]
    finally:
        db.close()
    n_pages = 3 + ARTICLES + 3
    not_modified = [p for m, p, inm, status in log2 if status == 304]
    assert len(not_modified) >= n_pages and revalidated >= n_pages, (len(not_modified), revalidated)
    assert not [p for m, p, inm, status in log1 if status == 304]
    # the check stage ran per unit and rule group on the workers too, with a local run's findings
    for night in (one, two):
        m = re.search(r"检查完成：(\d+) 个任务中 (\d+) 个由工作进程完成", night["logs"])
        assert m and 0 < int(m.group(2)) <= int(m.group(1)), night["logs"][-3000:]
    assert not list((tmp_path / "out").glob("check-*.sqlite"))  # the collector's copy for the checkers is gone
    before = _findings(tmp_path / "out", "night-2")
    proc = run_cli("check", "--out", str(tmp_path / "out"), "--run", "night-2", "--today", "2026-11-20")
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert _findings(tmp_path / "out", "night-2") == before
    # politeness: never more than LIMIT requests at once, the browser's (the page and its list.json) included
    assert any(p == "/tzgg/list.json" for _, p, _, _ in log1)
    assert peak1 <= LIMIT and peak2 <= LIMIT, (peak1, peak2)
    gaps = sorted(b - a for a, b in zip(starts1, starts1[1:]))
    assert gaps[len(gaps) // 2] >= DELAY * 0.95, gaps[:10]


def test_a_collector_killed_mid_run_is_started_again_and_loses_nothing(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    import redis

    r = redis.Redis.from_url(redis_url)
    with FixtureSite(_pages(), delay=0.05) as site:
        units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "测试县", "url": site.url}],
                            concurrency_per_site=2, delay=0.2, render=False)
        common = ["--redis", redis_url, "--units", str(units), "--run", "n1"]
        out = ["--out", str(tmp_path / "out"), "--workers", "1"]
        first = _spawn(tmp_path / "c1.log", "collect", *common, *out)
        _wait(lambda: b"collecting run" in (tmp_path / "c1.log").read_bytes(), "the collector")
        worker = _spawn(tmp_path / "w.log", "worker", *common, "--id", "w1")
        _wait(lambda: len(site.log) >= 6, "a few pages")
        first.send_signal(signal.SIGKILL)  # with pages taken from Redis and maybe not yet written
        first.wait(30)
        second = _spawn(tmp_path / "c2.log", "collect", *common, *out)
        assert worker.wait(300) == 0, (tmp_path / "w.log").read_text(errors="replace")[-3000:]
        assert second.wait(300) == 0, (tmp_path / "c2.log").read_text(errors="replace")[-3000:]
        served = {p for m, p, _, status in site.log if m == "GET" and status == 200}
    assert "continuing the collection of run n1" in (tmp_path / "c2.log").read_text(errors="replace")
    with sqlite3.connect(tmp_path / "out" / "govaudit.sqlite") as db:
        stored = [u.split("/", 3)[3] for (u,) in db.execute(
            "SELECT url FROM pages WHERE run_id='n1' AND status=200 AND purpose IN ('home','page')")]
        status = db.execute("SELECT status FROM runs WHERE id='n1'").fetchone()[0]
    assert status == "complete" and len(stored) == len(set(stored))
    # every page the site served is in the store (the script-written articles need a render: off here)
    assert {"/" + p for p in stored} == served - {"/tzgg/list.json"} - {p for p in served if p.startswith("/govaudit-")}
