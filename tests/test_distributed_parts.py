"""The parts of distributed mode that make it resumable, on a real redis-server, in process: the
in-flight record of a popped request and its return to the queue when its worker is lost (its host
leases freed too), the render's own fingerprint in the shared dupefilter, and a collector killed
after taking items and before writing them."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import redis
from scrapy import Spider
from scrapy.http import Request
from scrapy.settings import Settings

from govaudit.crawler.distributed import Collector, RenderAwareDupeFilter, encode_item, key, recover_lost
from govaudit.crawler.hostqueue import HELD, HOLD_PER_HOST, HostQueue, queued, release
from govaudit.store import Store
from tests.test_distributed import redis_url  # noqa: F401 — the redis-server fixture

RUN = "r1"


@pytest.fixture(autouse=True)
def _nothing_held():
    HELD.clear()  # what this process's queue holds, by host: one worker per process, one test at a time
    yield
    HELD.clear()


def _spider(worker: str, out: Path) -> Spider:
    spider = Spider(name="govaudit")
    spider.settings = Settings({"GOVAUDIT_RUN": RUN, "GOVAUDIT_WORKER": worker, "GOVAUDIT_OUT_DIR": str(out)})
    return spider


def test_a_lost_workers_requests_go_back_to_the_queue(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    r = redis.Redis.from_url(redis_url)
    q1 = HostQueue(r, _spider("w1", tmp_path / "w1"), key(RUN, "requests"))
    q2 = HostQueue(r, _spider("w2", tmp_path / "w2"), key(RUN, "requests"))
    q1.push(Request("http://a.gov.cn/", priority=5, meta={"unit": "a"}))
    q1.push(Request("http://a.gov.cn/x.html", priority=1, meta={"unit": "a"}))
    r.hset(key(RUN, "workers"), mapping={"w1": "busy", "w2": "busy"})
    r.set(key(RUN, "alive:w2"), "1")
    first = q1.pop()
    assert first.url == "http://a.gov.cn/" and first.meta["govaudit_inflight"]
    assert len(q1) == 1 and r.hlen(key(RUN, "inflight:w1")) == 1
    r.zadd(key(RUN, "hostlease:a.gov.cn"), {"w1:1": 10 ** 13, "w2:7": 10 ** 13})
    # w1 never beat (killed): its request is put back with its priority, its lease freed, it is 'lost'
    assert recover_lost(r, RUN) == {"w1": 1}
    assert r.hget(key(RUN, "workers"), "w1") == b"lost" and not r.exists(key(RUN, "inflight:w1"))
    assert r.zrange(key(RUN, "hostlease:a.gov.cn"), 0, -1) == [b"w2:7"]
    again = q2.pop()
    assert again.url == "http://a.gov.cn/" and r.hlen(key(RUN, "inflight:w2")) == 1
    assert recover_lost(r, RUN) == {}  # w2 is alive, w1 already recovered


def test_a_popped_render_writes_its_screenshot_on_the_worker_that_renders(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    from scrapy_playwright.page import PageMethod

    r = redis.Redis.from_url(redis_url)
    made = Request("http://a.gov.cn/", meta={"playwright": True, "screenshot": "screenshots/a-1.jpg",
                                             "playwright_page_methods": [PageMethod("screenshot", path="/elsewhere/a-1.jpg")]})
    HostQueue(r, _spider("w1", tmp_path / "w1"), key(RUN, "requests")).push(made)
    got = HostQueue(r, _spider("w2", tmp_path / "w2"), key(RUN, "requests")).pop()
    assert got.meta["playwright_page_methods"][0].kwargs["path"] == str(tmp_path / "w2" / "screenshots" / "a-1.jpg")
    assert (tmp_path / "w2" / "screenshots").is_dir()


def test_a_render_passes_the_shared_dupefilter_once(redis_url: str) -> None:  # noqa: F811
    df = RenderAwareDupeFilter(redis.Redis.from_url(redis_url), key=key(RUN, "dupefilter"))
    page = Request("http://a.gov.cn/col/")
    render = Request("http://a.gov.cn/col/", meta={"playwright": True})
    list_render = Request("http://a.gov.cn/col/", meta={"playwright": True, "list_render": "script"})
    assert [df.request_seen(x) for x in (page, render, list_render)] == [False, False, False]
    assert [df.request_seen(x.copy()) for x in (page, render, list_render)] == [True, True, True]


def test_the_shared_dupefilter_is_per_unit_for_pages_and_per_run_for_external_targets(redis_url: str) -> None:  # noqa: F811
    """As in one process: two units of one platform host both fetch a page both link to."""
    df = RenderAwareDupeFilter(redis.Redis.from_url(redis_url), key=key(RUN, "dupefilter"))
    page = "http://zwgk.x.gov.cn/zcwj/index.html"
    assert not df.request_seen(Request(page, meta={"unit": "a"}))
    assert not df.request_seen(Request(page, meta={"unit": "b"}))
    assert df.request_seen(Request(page, meta={"unit": "b"}))
    ext = "http://www.gov.cn/"
    assert not df.request_seen(Request(ext, method="HEAD", meta={"unit": "a", "external": True}))
    assert df.request_seen(Request(ext, method="HEAD", meta={"unit": "b", "external": True}))


def _item(url: str, body: bytes) -> dict:
    import hashlib

    return {"kind": "page", "run_id": RUN, "unit_id": "a", "url": url, "final_url": url, "status": 200,
            "method": "GET", "purpose": "page", "headers": {"Content-Type": "text/html"}, "body": body,
            "sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "links": []}


def test_a_collector_killed_before_writing_loses_nothing_and_stores_nothing_twice(tmp_path: Path,
                                                                                   redis_url: str) -> None:  # noqa: F811
    r = redis.Redis.from_url(redis_url)
    store_path = tmp_path / "govaudit.sqlite"
    s = Store(store_path)
    s.start_run("distributed", {}, run_id=RUN)
    s.close()
    a, b = encode_item(_item("http://a.gov.cn/1.html", b"<html>1</html>")), encode_item(_item("http://a.gov.cn/2.html", b"<html>2</html>"))
    # the dead collector had moved `a` out of `items` (BLMOVE) and not committed it; `b` waits, and
    # `a` again: re-done by a worker that was taken for lost
    r.rpush(key(RUN, "items:collecting"), a)
    r.rpush(key(RUN, "items"), b, a)
    c = Collector(redis_url, RUN, str(store_path))
    c.open()
    assert not r.exists(key(RUN, "items:collecting"))
    while (data := r.lmove(key(RUN, "items"), key(RUN, "items:collecting"))) is not None:
        c.take(data)
    c.flush()
    c.close()
    with sqlite3.connect(store_path) as db:
        urls = sorted(u for (u,) in db.execute("SELECT url FROM pages WHERE run_id=?", (RUN,)))
    assert urls == ["http://a.gov.cn/1.html", "http://a.gov.cn/2.html"] and c.duplicates == 1
    assert not r.exists(key(RUN, "items:collecting"))


def test_a_browsers_request_books_the_hosts_next_start_ahead_of_the_fetches(redis_url: str) -> None:  # noqa: F811
    import asyncio
    import time

    from govaudit.crawler.distributed import BROWSER_AHEAD, BrowserLeases, HostLeases

    fetches = HostLeases(redis_url, RUN, {"a.gov.cn": (2, 0.4)}, 4, 0.0, "w1")
    browser = BrowserLeases(HostLeases(redis_url, RUN, {"a.gov.cn": (2, 0.4)}, 4, 0.0, "w2"))
    starts: dict[str, float] = {}

    async def take(name: str, gate, pause: float) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(pause)
        held = await gate.acquire("http://a.gov.cn/x")
        starts[name] = time.monotonic()
        gate.release(held)

    async def night() -> None:
        await take("first", fetches, 0)
        # a fetch and a browser request wait for the same next start; the browser's booked it first
        await asyncio.gather(take("fetch", fetches, 0.0), take("browser", browser, 0.05))

    asyncio.run(night())
    assert starts["browser"] < starts["fetch"]
    assert starts["browser"] - starts["first"] >= 0.4 - 0.02 and starts["fetch"] - starts["browser"] >= 0.4 - 0.02
    assert BROWSER_AHEAD < 0.4


def test_a_retry_of_a_popped_request_takes_over_its_in_flight_record(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    r = redis.Redis.from_url(redis_url)
    q = HostQueue(r, _spider("w1", tmp_path), key(RUN, "requests"))
    q.push(Request("https://a.gov.cn/", meta={"unit": "a"}))
    first = q.pop()
    assert r.hlen(key(RUN, "inflight:w1")) == 1
    q.push(first.replace(dont_filter=True))  # Scrapy's RetryMiddleware: a copy, meta and all
    assert r.hlen(key(RUN, "inflight:w1")) == 0 and len(q) == 1
    assert q.pop().url == "https://a.gov.cn/" and r.hlen(key(RUN, "inflight:w1")) == 1


def test_a_browsers_static_file_keeps_the_hosts_concurrency_not_its_delay(redis_url: str) -> None:  # noqa: F811
    import asyncio
    import time

    from govaudit.crawler.distributed import BrowserLeases, HostLeases

    browser = BrowserLeases(HostLeases(redis_url, RUN, {"b.gov.cn": (2, 1.0)}, 4, 0.0, "w1"))

    async def night() -> tuple[float, bool]:
        page = await browser.acquire("http://b.gov.cn/")                     # the page: paced
        t0 = time.monotonic()
        style = await browser.acquire("http://b.gov.cn/a.css", paced=False)  # no delay to wait
        waited = time.monotonic() - t0
        # both places of the host are taken: a third request waits for one, static or not
        third = asyncio.ensure_future(browser.acquire("http://b.gov.cn/b.png", paced=False))
        await asyncio.sleep(0.3)
        blocked = not third.done()
        browser.release(style)
        browser.release(await third)
        browser.release(page)
        return waited, blocked

    waited, blocked = asyncio.run(night())
    assert waited < 0.5 and blocked


def test_a_worker_holds_no_more_than_its_share_of_one_host(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    """Holding HOLD_PER_HOST requests of one host (a slow 集约化 platform waiting for its turns), a
    worker pops no more of it, though they are all that is left; once one of them is finished, the
    host's come up again."""
    r = redis.Redis.from_url(redis_url)
    q = HostQueue(r, _spider("w1", tmp_path), key(RUN, "requests"))
    for i in range(HOLD_PER_HOST + 5):
        q.push(Request(f"http://a.gov.cn/{i}.html", priority=5, meta={"unit": "a"}))
    got = [q.pop() for _ in range(HOLD_PER_HOST)]
    assert {g.url.split("/")[2] for g in got} == {"a.gov.cn"}
    assert q.pop() is None and len(q) == 5  # they wait for another worker or one of these to finish
    q.push(Request("http://b.gov.cn/0.html", priority=1, meta={"unit": "b"}))
    assert q.pop().url == "http://b.gov.cn/0.html"
    release(got[0])
    assert q.pop().url.startswith("http://a.gov.cn/")


def _paced_spider(worker: str, out: Path, hosts: dict[str, tuple[int, float]]) -> Spider:
    spider = _spider(worker, out)
    spider.settings.set("GOVAUDIT_HOST_LIMITS", hosts)
    return spider


def test_hosts_come_up_side_by_side_each_at_its_pace(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    """A host's best request first; after a pop the host waits its politeness delay before it is
    popped again (by any worker), while the other hosts' requests come up; a host whose queue ran
    empty keeps its pace when new requests of it arrive."""
    r = redis.Redis.from_url(redis_url)
    hosts = {"slow.gov.cn": (2, 30.0), "b.gov.cn": (2, 0.0)}
    q1 = HostQueue(r, _paced_spider("w1", tmp_path, hosts), key(RUN, "requests"))
    q2 = HostQueue(r, _paced_spider("w2", tmp_path, hosts), key(RUN, "requests"))
    for i in range(3):
        q1.push(Request(f"http://slow.gov.cn/{i}.html", priority=i, meta={"unit": "s"}))
    q1.push(Request("http://b.gov.cn/0.html", meta={"unit": "b"}))
    q1.push(Request("http://b.gov.cn/1.html", meta={"unit": "b"}))
    assert q1.pop().url == "http://slow.gov.cn/2.html"  # ready first (pushed first), its best request
    assert {q2.pop().url, q1.pop().url} == {"http://b.gov.cn/0.html", "http://b.gov.cn/1.html"}
    assert q2.pop() is None and q1.pop() is None and len(q1) == 2  # slow.gov.cn waits its 30 s
    ready = r.zscore(key(RUN, "requests:hosts"), "slow.gov.cn")
    now = float(r.time()[0])
    assert 28 <= ready / 1000 - now <= 31
    r.zadd(key(RUN, "requests:hosts"), {"slow.gov.cn": 0})  # its 30 s are over
    assert q2.pop().url == "http://slow.gov.cn/1.html"
    assert q1.pop() is None
    r.zadd(key(RUN, "requests:hosts"), {"slow.gov.cn": 0})
    assert q1.pop().url == "http://slow.gov.cn/0.html" and len(q1) == 0
    q1.push(Request("http://slow.gov.cn/new.html", meta={"unit": "s"}))  # its queue was empty
    assert q1.pop() is None and queued(r, key(RUN, "requests")) == 1


def test_a_hosts_next_request_starts_a_delay_after_the_last_one_was_answered(redis_url: str) -> None:  # noqa: F811
    """However late a granted request leaves its worker, the next one (any worker's) is granted only
    once the last was answered, and a delay later: two requests never reach the host closer."""
    import asyncio
    import time

    from govaudit.crawler.distributed import HostLeases

    w1 = HostLeases(redis_url, RUN, {"a.gov.cn": (2, 0.2)}, 4, 0.0, "w1")
    w2 = HostLeases(redis_url, RUN, {"a.gov.cn": (2, 0.2)}, 4, 0.0, "w2")

    async def night() -> tuple[bool, float]:
        first = await w1.acquire("http://a.gov.cn/1.html")
        second = asyncio.ensure_future(w2.acquire("http://a.gov.cn/2.html"))
        await asyncio.sleep(0.5)  # over twice the delay: the first has not left yet (a starved worker)
        waited = not second.done()
        w1.answered(first)
        t = time.monotonic()
        held = await asyncio.wait_for(second, 5)
        after = time.monotonic() - t
        w2.release(held)
        w1.release(first)
        return waited, after

    waited, after = asyncio.run(night())
    assert waited and after >= 0.2 - 0.02


SEND_PROBE = """
import asyncio, sys
from twisted.internet import asyncioreactor
asyncioreactor.install()
from twisted.internet import reactor
from scrapy import Spider
from scrapy.http import Request
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.test import get_crawler
from govaudit.crawler.distributed import LeasedDownloadHandler

redis_url, site = sys.argv[1], sys.argv[2]
crawler = get_crawler(Spider, {"GOVAUDIT_RUN": "t", "GOVAUDIT_REDIS_URL": redis_url, "GOVAUDIT_WORKER": "w1",
                               "GOVAUDIT_HOST_LIMITS": {"127.0.0.1": (2, 0.2)}, "CONCURRENT_REQUESTS_PER_DOMAIN": 2})
crawler.spider = crawler._create_spider("t")
handler = LeasedDownloadHandler(crawler)

async def main():
    got = await asyncio.gather(*(handler.download_request(Request(f"{site}{i}.html")) for i in range(2)))
    print([r.status for r in got])
    await handler.close()

d = deferred_from_coro(main())
d.addErrback(lambda f: f.printTraceback())
d.addBoth(lambda _: reactor.stop())
reactor.run()
"""


def test_a_host_waits_a_delay_after_a_request_left_not_until_it_was_answered(tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    """A plain-HTTP request tells the leases when its bytes left (LeasedDownloadHandler's
    connections): on a host that takes 1 s to answer, the second of two requests (delay 0.2 s,
    2 at a time) starts 0.2 s after the first, not a delay after the first's answer (1.2 s)."""
    import subprocess
    import sys

    from tests.test_nightly_fixtures import FixtureSite

    probe = tmp_path / "probe.py"
    probe.write_text(SEND_PROBE, encoding="utf-8")
    with FixtureSite({"/0.html": "<p>甲</p>", "/1.html": "<p>乙</p>"}, delay=1.0) as site:
        proc = subprocess.run([sys.executable, str(probe), redis_url, site.url], capture_output=True, text=True,
                              timeout=60, cwd=Path(__file__).resolve().parent.parent)
        starts = sorted(site.starts)
    assert proc.stdout.strip() == "[200, 200]", proc.stderr[-3000:]
    assert 0.2 - 0.02 <= starts[1] - starts[0] < 0.9, starts
