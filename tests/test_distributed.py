"""Two scrapy-redis workers and one collector against a local redis-server: every page fetched
once, all of them in the store, and the run checked and reported like a nightly run."""
from __future__ import annotations

import collections
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govaudit.crawler.render import find_browser
from tests.conftest import ROOT, run_cli
from tests.test_nightly_fixtures import FixtureSite, page, portal, write_units

REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path):
    if REDIS is None:
        pytest.skip("redis-server is not installed (scripts/setup-system.sh installs it)")
    import redis

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "govaudit", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_two_workers_crawl_each_page_once_and_the_collector_stores_all(tmp_path, redis_url):
    import redis

    with FixtureSite(portal(40), delay=0.2) as a, FixtureSite(portal(20, broken=("x",), prefix="/b")) as b:
        units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲县", "url": a.url},
                                                      {"id": "b", "name": "乙县", "url": b.url}],
                            concurrency_per_site=2)
        out = tmp_path / "out"
        common = ["--redis", redis_url, "--units", str(units), "--run", "night-1"]
        collector = _spawn("collect", *common, "--out", str(out), "--workers", "2")
        a.gate.clear()  # hold the sites until both workers have joined, so that both take part
        b.gate.clear()
        workers = [_spawn("worker", *common, "--id", f"w{i}") for i in (1, 2)]
        r = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 120
        while r.hlen("govaudit:night-1:workers") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        a.gate.set()
        b.gate.set()
        results = [w.communicate(timeout=240) for w in workers]
        c_out, c_err = collector.communicate(timeout=240)
        site_a, site_b = a.requests(), b.requests()
    for w, (o, e) in zip(workers, results):
        assert w.returncode == 0, e[-3000:]
    assert collector.returncode == 0, c_err[-3000:]
    pages_by_worker = [int(o.split(":")[1].split("page")[0]) for o, _ in results]
    assert all(n > 0 for n in pages_by_worker), pages_by_worker  # both took part
    # each page of the sites fetched exactly once over both workers (soft-404 probes use random URLs);
    # the home page once more by the browser that renders it, as in one process
    for log in (site_a, site_b):
        counts = collections.Counter(p for p in log if not p.startswith("/govaudit-"))
        assert counts.pop("/") == (2 if find_browser() else 1)
        assert counts and max(counts.values()) == 1, counts.most_common(3)
    db = sqlite3.connect(out / "govaudit.sqlite")
    try:
        urls = [r[0] for r in db.execute("SELECT url FROM pages WHERE run_id='night-1' AND purpose IN ('home','page')")]
        assert len(urls) == len(set(urls))
        paths = {"/" + u.split("/", 3)[3] for u in urls}
        assert {p for p in portal(40)} <= paths and {p for p in portal(20, prefix="/b")} <= paths
        assert db.execute("SELECT status FROM runs WHERE id='night-1'").fetchone()[0] == "complete"
        units_rows = dict(db.execute("SELECT unit_id, status FROM units WHERE run_id='night-1'").fetchall())
        assert units_rows == {"a": "crawled", "b": "crawled"}
        broken = db.execute("SELECT target FROM findings WHERE run_id='night-1' AND rule='link.broken' "
                            "AND outcome='fail'").fetchall()
        assert [t[0].rsplit("/", 1)[1] for t in broken] == ["x.html"]
    finally:
        db.close()
    assert json.loads((out / "diff.json").read_text(encoding="utf-8"))["run"] == "night-1"
    # the collector cleared the run's keys
    assert redis.Redis.from_url(redis_url).keys("govaudit:night-1:*") == []


def test_worker_with_unreachable_redis_is_a_usage_error(tmp_path):
    units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲", "url": "http://127.0.0.1:9/"}])
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = run_cli("worker", "--redis", f"redis://127.0.0.1:{port}/0", "--units", str(units), "--run", "r", timeout=60)
    assert proc.returncode == 2 and "cannot reach" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("worker", "--redis", "http://x", "--units", str(units), "--run", "r", timeout=60)
    assert proc.returncode == 2 and "--redis" in proc.stderr


def test_collect_refuses_a_run_that_is_already_complete(tmp_path, redis_url):
    from govaudit import history  # noqa: F401
    from govaudit.store import Store

    out = tmp_path / "out"
    store = Store(out / "govaudit.sqlite")
    store.start_run("distributed", {}, run_id="night-1")
    store.finish_run("night-1", "complete")
    store.close()
    units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲", "url": "http://127.0.0.1:9/"}])
    proc = run_cli("collect", "--redis", redis_url, "--units", str(units), "--run", "night-1", "--out", str(out),
                   timeout=60)
    assert proc.returncode == 2 and "already complete" in proc.stderr


def test_a_worker_that_died_does_not_hold_up_the_others(tmp_path, redis_url):
    import redis

    r = redis.Redis.from_url(redis_url)
    r.hset("govaudit:night-2:workers", "ghost", "busy")  # joined, then killed: no heartbeat key
    with FixtureSite(portal(5)) as a:
        units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲县", "url": a.url}])
        common = ["--redis", redis_url, "--units", str(units), "--run", "night-2"]
        collector = _spawn("collect", *common, "--out", str(tmp_path / "out"), "--workers", "2")
        worker = _spawn("worker", *common, "--id", "w1")
        w_out, w_err = worker.communicate(timeout=240)
        c_out, c_err = collector.communicate(timeout=240)
    assert worker.returncode == 0, w_err[-2000:]
    assert collector.returncode == 0, c_err[-2000:]
    assert "工作进程 ghost 未完成就停止" in c_err
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM pages WHERE run_id='night-2' AND purpose IN ('home', 'page')"
                          ).fetchone()[0] == 7
    finally:
        db.close()


def test_collector_waits_for_a_worker_to_come_back_then_gives_up(tmp_path, redis_url):
    import redis

    r = redis.Redis.from_url(redis_url)
    r.hset("govaudit:night-3:workers", "w1", "done")         # stopped by SIGTERM ...
    r.hset("govaudit:night-3:requests", "id", b"a.gov.cn\0pickled-request")  # ... with work left in the queue
    units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲", "url": "http://127.0.0.1:9/"}])
    proc = run_cli("collect", "--redis", redis_url, "--units", str(units), "--run", "night-3",
                   "--out", str(tmp_path / "out"), "--give-up", "1", timeout=120)
    assert proc.returncode in (0, 3), proc.stderr[-2000:]
    assert "请再启动一个工作进程继续" in proc.stderr and "放弃：运行 night-3 有 1 个请求未抓取" in proc.stderr


def test_three_workers_keep_one_host_within_its_politeness(tmp_path, redis_url):
    """Per-host concurrency and delay hold across workers (LeasedDownloadHandler): three workers on a
    site configured for 2 requests at a time and 0.15 s between starts."""
    with FixtureSite(portal(24), delay=0.15) as a:
        units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲县", "url": a.url}],
                            concurrency_per_site=2, delay=0.15)
        common = ["--redis", redis_url, "--units", str(units), "--run", "night-4"]
        collector = _spawn("collect", *common, "--out", str(tmp_path / "out"), "--workers", "3")
        workers = [_spawn("worker", *common, "--id", f"w{i}") for i in (1, 2, 3)]
        results = [w.communicate(timeout=300) for w in workers]
        c_out, c_err = collector.communicate(timeout=300)
        starts, peak, served = sorted(a.starts), a.max_active, len(a.starts)
    for w, (o, e) in zip(workers, results):
        assert w.returncode == 0, e[-3000:]
    assert collector.returncode == 0, c_err[-3000:]
    assert served >= 26  # home, column page, 24 articles (+ probes)
    assert peak <= 2, peak
    gaps = sorted(b - a for a, b in zip(starts, starts[1:]))
    # starts are granted 0.15 s apart on Redis's clock; the server sees them shifted by the jitter of a
    # loaded machine, so it checks the rate and the typical gap (without the leases three workers
    # start requests a few milliseconds apart and both fail)
    assert starts[-1] - starts[0] >= 0.95 * 0.15 * (len(starts) - 1), (starts[-1] - starts[0], len(starts))
    assert gaps[len(gaps) // 2] >= 0.15 * 0.95, gaps[:10]


def test_a_units_page_budget_holds_across_workers_and_a_cut_unit_is_partial(tmp_path, redis_url):
    """max_pages is the unit's, not each worker's (SharedBudget): two workers together fetch at most
    max_pages pages of a site of 4 columns of 12 articles (each with its own budget, up to twice that),
    and the collector records the unit as partial, cut by max_pages, as one process would."""
    import redis

    columns = {f"/col{c}/": page(f"栏目{c}", [(f"文章{c}-{i}", f"/col{c}/{i}.html") for i in range(12)])
               for c in range(4)}
    articles = {f"/col{c}/{i}.html": page(f"文章{c}-{i}", [("返回", "/")], "正文") for c in range(4) for i in range(12)}
    home = {"/": page("甲县人民政府", [(f"栏目{c}", f"/col{c}/") for c in range(4)])}
    with FixtureSite({**home, **columns, **articles}) as a:
        units = write_units(tmp_path / "units.yaml", [{"id": "a", "name": "甲县", "url": a.url}],
                            concurrency_per_site=2, max_pages=12, render=False)
        out = tmp_path / "out"
        common = ["--redis", redis_url, "--units", str(units), "--run", "night-5"]
        collector = _spawn("collect", *common, "--out", str(out), "--workers", "2")
        a.gate.clear()  # both workers join before the site answers: both take part
        workers = [_spawn("worker", *common, "--id", f"w{i}") for i in (1, 2)]
        r = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 120
        while r.hlen("govaudit:night-5:workers") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        a.gate.set()
        results = [w.communicate(timeout=240) for w in workers]
        c_out, c_err = collector.communicate(timeout=240)
        served = [p for p in a.requests() if not p.startswith("/govaudit-")]
    for w, (o, e) in zip(workers, results):
        assert w.returncode == 0, e[-3000:]
    assert collector.returncode == 0, c_err[-3000:]
    assert len(served) <= 12, served  # the home page included, as in one process
    db = sqlite3.connect(out / "govaudit.sqlite")
    try:
        status, cov = db.execute("SELECT status, coverage FROM units WHERE run_id='night-5' AND unit_id='a'").fetchone()
        run_cov = json.loads(db.execute("SELECT coverage FROM runs WHERE id='night-5'").fetchone()[0])
    finally:
        db.close()
    cov = json.loads(cov)
    assert status == "partial" and cov["status"] == "partial" and "max_pages" in cov["reasons"], cov
    assert cov["fetched"] == 12 and cov["unreached"], cov
    assert run_cov["status"] == "partial" and run_cov["partial_units"] == ["a"]
