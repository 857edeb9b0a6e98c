"""tests/crawlkit.py stores what the crawler stores: the same fixture site crawled by `govaudit
audit` and rebuilt by the kit from the crawled bodies gives the same link rows and page facts."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

from govaudit.model import Unit
from govaudit.store import Store
from tests.conftest import run_cli
from tests.crawlkit import Crawl
from tests.fixtures.server import FixtureServer

LINK = ("source_url", "target", "raw", "tag", "attr", "text", "hints", "external")
PAGE = ("url", "purpose", "status", "title", "encoding")


def test_crawlkit_rows_equal_the_crawlers(tmp_path: Path) -> None:
    s = FixtureServer()
    ext = f"http://localhost:{s.port}"  # another host to the crawler: an external site
    s.page("/", f"""<div class=nav><a href="/a">一</a> <a href="/b;jsessionid=ABC123">二</a>
        <a href="/b?sid=9&amp;x=1">二（带参数）</a> <a href="{ext}/ext">外部</a>
        <a href="{ext}/xxgk/">政府信息公开</a> <a href="mailto:zfb@qs.gov.cn">信箱</a>
        <a href="javascript:void(0)">收藏</a> <img src="/logo.png" alt="标识">
        <script src="/s.js"></script> <a href="/a#top" style="display:none">隐藏</a></div>""", title="首页")
    s.page("/a", f'<a href="/">首页</a> <a href="/b">二</a> <iframe src="/frame.html"></iframe> <a href="{ext}/ext">外部</a>',
           title="一")
    s.page("/b", "<p>二</p>", title="二")
    s.page("/frame.html", "<p>框架</p>", title="框架")
    s.page("/ext", "外部页")
    s.page("/xxgk/", "平台")
    s.route("/logo.png", body=b"\x89PNG\r\n", headers={"Content-Type": "image/png"})
    s.route("/s.js", body="var a;", headers={"Content-Type": "application/javascript"})
    out = tmp_path / "out"
    with s:
        proc = run_cli("audit", s.url("/"), "--out", str(out), "--delay", "0", "--no-autothrottle",
                       "--timeout", "3", "--concurrency", "1", timeout=240)
    assert (out / "govaudit.sqlite").exists(), proc.stderr[-3000:]
    crawled = Store(out / "govaudit.sqlite")
    run_id = crawled.run()["id"]
    [urow] = crawled.units(run_id)
    parsed = [p for p in crawled.pages(run_id, urow["unit_id"]) if p["purpose"] in ("home", "page") and p["sha256"]]
    assert len(parsed) >= 4, [p["url"] for p in parsed]

    kit = Crawl(tmp_path / "kit.sqlite", Unit(id=urow["unit_id"], name=urow["name"], url=urow["url"]), dt.date.today())
    for p in parsed:  # in crawl order: the home page first (the platform host joins the scope there)
        kit.page(p["url"], crawled.body(p["sha256"]), purpose=p["purpose"], status=p["status"],
                 content_type=p["content_type"], final_url=p["final_url"], depth=p["depth"])

    def links(db: sqlite3.Connection, run: str) -> Counter[tuple[object, ...]]:
        rows = db.execute(f"SELECT {','.join(LINK)} FROM links WHERE run_id=? AND source_url IN "
                          f"(SELECT url FROM pages WHERE run_id=? AND purpose IN ('home','page'))", (run, run))
        return Counter(tuple(r) for r in rows)

    def facts(store: Store, run: str, unit_id: str) -> list[tuple[object, ...]]:
        return sorted(tuple(p[k] for k in PAGE) for p in store.pages(run, unit_id, "purpose IN ('home','page')"))

    assert links(kit.store.conn, kit.run_id) == links(crawled.conn, run_id)
    assert facts(kit.store, kit.run_id, urow["unit_id"]) == facts(crawled, run_id, urow["unit_id"])
    got = links(kit.store.conn, kit.run_id)
    assert any(t[1].endswith("/b") and t[3] == "a" for t in got)  # the session id was stripped
    assert any(t[1] == f"{ext}/xxgk/" and t[7] == 0 for t in got)  # the platform host came into scope
    crawled.close()
