"""Crawl scope, politeness and failure recording, through the real CLI against fixture sites.

Each audit runs `govaudit audit` in a subprocess (Twisted's reactor runs once per process) against
servers on 127.0.0.1 / 127.0.0.2 and asserts on the store it leaves (govaudit.sqlite).
`localhost` resolves to 127.0.0.1 but is another *host* to the crawler: it stands in for an
external site, served by the same fixture server.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.fixtures.server import FixtureServer, free_port, hang

FAST = ("--delay", "0", "--no-autothrottle", "--timeout", "3")


def audit(url: str, out: Path, *extra: str, timeout: float = 240) -> tuple[Any, sqlite3.Connection]:
    proc = run_cli("audit", url, "--out", str(out), *FAST, *extra, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert (out / "govaudit.sqlite").exists(), proc.stderr[-3000:]
    db = sqlite3.connect(out / "govaudit.sqlite")
    db.row_factory = sqlite3.Row
    return proc, db


def pages(db: sqlite3.Connection) -> dict[str, sqlite3.Row]:
    """url -> the last row fetched for it."""
    return {r["url"]: r for r in db.execute("SELECT * FROM pages ORDER BY id")}


def unit(db: sqlite3.Connection) -> sqlite3.Row:
    return db.execute("SELECT * FROM units").fetchone()


def limits_hit(db: sqlite3.Connection) -> dict[str, int]:
    return json.loads(unit(db)["limits_hit"] or "{}")


# -- one site, one audit, many assertions ------------------------------------------------------
@pytest.fixture(scope="module")
def main_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("crawl_main")
    s = FixtureServer()
    dead = free_port()
    ext = f"http://localhost:{s.port}"
    s.page("/robots.txt", "", headers={"Content-Type": "text/plain"})
    s.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    s.page("/", f"""<div class=nav><a href="/a1">一</a><a href="/a2">二</a><a href="/a3">三</a></div>
        <a href="{ext}/ext">外部</a> <a href="{ext}/nohead">外部2</a> <a href="/private/x">内部</a>
        <a href="/r1">跳转</a> <a href="/loop1">循环</a> <a href="/many0">多次跳转</a>
        <a href="http://127.0.0.1:{dead}/">拒绝</a> <a href="/hang">无响应</a>
        <a href="http://bad host/">坏</a> <a href="/a1;jsessionid=ABC123">一</a>""", title="首页")
    for i in (1, 2, 3):
        s.page(f"/a{i}", f'<a href="/a{i}/child">子</a> <a href="{ext}/ext">外部</a> <a href="/">首页</a>')
        s.page(f"/a{i}/child", f'<a href="/a{i}/child/grand">孙</a>')
        s.page(f"/a{i}/child/grand", "grand")
    s.page("/ext", f'<a href="{ext}/ext-child">不应抓取</a>')
    s.page("/ext-child", "never")
    s.page("/nohead", "GET works", head_status=405)
    s.page("/private/x", "secret")
    s.redirect("/r1", "/r2", 301)
    s.redirect("/r2", f"http://127.0.0.1:{s.port}/r3", 302)
    s.redirect("/r3", "/final", 307)
    s.page("/final", "终点")
    s.redirect("/loop1", "/loop2")
    s.redirect("/loop2", "/loop1")
    for i in range(15):
        s.redirect(f"/many{i}", f"/many{i + 1}")
    s.route("/hang", handler=hang)
    with s:
        proc, db = audit(s.url("/"), out, "--concurrency", "1")
        yield s, proc, db, ext, dead
    db.close()


def test_scope_pages_crawled_external_not(main_site):
    s, proc, db, ext, _ = main_site
    p = pages(db)
    base = s.url("")
    for i in (1, 2, 3):
        for path in (f"/a{i}", f"/a{i}/child", f"/a{i}/child/grand"):
            assert p[base + path]["purpose"] == "page" and p[base + path]["status"] == 200
    assert p[base + "/a1/child/grand"]["depth"] == 3
    assert s.requested("/ext-child") == 0, "an external page's links must not be followed"
    assert p[ext + "/ext"]["purpose"] == "check" and p[ext + "/ext"]["status"] == 200


def test_external_target_checked_once_with_head(main_site):
    s, _, db, ext, _ = main_site
    assert s.requested("/ext", "HEAD") == 1 and s.requested("/ext", "GET") == 0
    n = db.execute("SELECT COUNT(*) FROM links WHERE target=?", (ext + "/ext",)).fetchone()[0]
    assert n == 4  # linked from / and /a1../a3, fetched once


def test_head_refused_falls_back_to_get(main_site):
    s, _, db, ext, _ = main_site
    assert s.requested("/nohead", "HEAD") == 1 and s.requested("/nohead", "GET") == 1
    rows = db.execute("SELECT method, status FROM pages WHERE url=? ORDER BY id", (ext + "/nohead",)).fetchall()
    assert [tuple(r) for r in rows][-1] == ("GET", 200)


def test_robots_txt_obeyed_by_default(main_site):
    s, _, db, _, _ = main_site
    assert s.requested("/private/x") == 0
    row = pages(db)[s.url("/private/x")]
    assert row["reason"] == "robots.txt"
    broken = [f for f in json.loads((Path(db.execute("PRAGMA database_list").fetchone()[2]).parent
                                     / "findings.json").read_text())["findings"]
              if f["rule"] == "link.broken" and f["target"] == s.url("/private/x") and f["outcome"] == "fail"]
    assert not broken, "a robots.txt exclusion is not a broken link"


def test_redirect_chain_recorded(main_site):
    s, _, db, _, _ = main_site
    row = pages(db)[s.url("/r1")]
    assert row["status"] == 200 and row["final_url"] == s.url("/final")
    chain = json.loads(row["redirects"])
    assert [c[0] for c in chain] == [s.url("/r1"), s.url("/r2"), s.url("/r3")]
    assert [c[1] for c in chain] == [301, 302, 307]


def test_failure_reasons(main_site):
    s, _, db, _, dead = main_site
    p = pages(db)
    assert p[s.url("/loop1")]["reason"] == "redirect loop"
    assert p[s.url("/many0")]["reason"] == "too many redirects"
    assert len(json.loads(p[s.url("/many0")]["redirects"])) == 11
    assert p[f"http://127.0.0.1:{dead}/"]["reason"] == "refused"
    assert p[s.url("/hang")]["reason"] == "timeout"
    assert p["http://bad host/"]["reason"].startswith("malformed URL")
    findings = json.loads((Path(db.execute("PRAGMA database_list").fetchone()[2]).parent / "findings.json").read_text())
    broken = {f["target"]: f for f in findings["findings"] if f["rule"] == "link.broken" and f["outcome"] == "fail"}
    for t in (s.url("/loop1"), s.url("/many0"), f"http://127.0.0.1:{dead}/", s.url("/hang"), "http://bad host/"):
        assert t in broken, t


def test_session_ids_stripped(main_site):
    s, _, db, _, _ = main_site
    assert not any("jsessionid" in u.lower() for u in pages(db))
    assert s.requested("/a1") == 1


def test_breadth_first_order(main_site):
    s, _, _, _, _ = main_site
    gets = [p for m, p in s.hits if m == "GET"]
    order = {p: i for i, p in reversed(list(enumerate(gets)))}
    depth1 = [order[f"/a{i}"] for i in (1, 2, 3)]
    depth2 = [order[f"/a{i}/child"] for i in (1, 2, 3)]
    depth3 = [order[f"/a{i}/child/grand"] for i in (1, 2, 3)]
    assert max(depth1) < min(depth2) and max(depth2) < min(depth3), gets


def test_progress_and_summary(main_site):
    _, proc, db, _, _ = main_site
    assert proc.returncode == 1  # broken links planted: fail findings
    assert "已抓取" in proc.stdout and "report" in proc.stdout
    assert db.execute("SELECT status FROM runs").fetchone()[0] == "complete"


# -- limits --------------------------------------------------------------------------------------
def _wide_site(s: FixtureServer, n: int = 60) -> None:
    s.page("/", "".join(f'<a href="/p{i}">{i}</a>' for i in range(n)))
    for i in range(n):
        s.page(f"/p{i}", f'<a href="/p{i}/c">c</a>')
        s.page(f"/p{i}/c", "leaf")


def test_max_pages(tmp_path):
    with FixtureServer() as s:
        _wide_site(s)
        proc, db = audit(s.url("/"), tmp_path, "--max-pages", "10")
    # crawl requests only: probes other modules add (soft-404, https) are not pages of the site
    n = db.execute("SELECT COUNT(*) FROM pages WHERE purpose IN ('home', 'page', 'check', 'attachment')").fetchone()[0]
    assert n <= 10
    assert limits_hit(db)["max_pages"] > 0
    assert "max_pages" in proc.stdout


def test_max_depth(tmp_path):
    with FixtureServer() as s:
        s.page("/", '<a href="/d1">1</a>')
        for i in range(1, 8):
            s.page(f"/d{i}", f'<a href="/d{i + 1}">{i + 1}</a>')
        s.page("/d8", "end")
        proc, db = audit(s.url("/"), tmp_path, "--max-depth", "3")
        assert s.requested("/d3") == 1 and s.requested("/d4") == 0
    assert limits_hit(db)["max_depth"] == 1


def test_site_time_limit(tmp_path):
    """Pages answer slowly and fan out: the per-site budget stops the crawl, and says so."""
    import time

    def slow(req):
        time.sleep(0.4)
        n = req.path.strip("/").replace("s", "") or "0"
        body = "".join(f'<a href="/s{n}{k}">x</a>' for k in range(4)).encode()
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    with FixtureServer() as s:
        s.route("/", handler=slow)
        s.route("/s", handler=slow, prefix=True)
        proc, db = audit(s.url("/"), tmp_path, "--site-time", "3", "--concurrency", "2")
    assert limits_hit(db).get("site_time", 0) > 0
    assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] < 200


def test_bytes_per_response(tmp_path):
    """A declared body over max_bytes is not downloaded, but the page is recorded as answered (status,
    size from Content-Length, a note) and the limit is shown; a link check that falls back from HEAD
    to GET stops after the headers; neither is a broken link."""
    rules = tmp_path / "rules.yaml"
    rules.write_text("crawl:\n  max_bytes: 100000\n", encoding="utf-8")
    with FixtureServer() as s:
        ext = f"http://localhost:{s.port}"
        s.page("/", f'<a href="/big">大</a><a href="/small">小</a><a href="{ext}/iso">镜像</a>')
        s.page("/big", "<p>" + "大" * 200_000 + "</p>")
        s.page("/small", "ok")
        s.route("/iso", body=b"\0" * 3_000_000, headers={"Content-Type": "application/octet-stream"}, head_status=405)
        proc, db = audit(s.url("/"), tmp_path / "out", "--rules-config", str(rules))
    p = pages(db)
    big = p[s.url("/big")]
    assert big["status"] == 200 and big["reason"] is None and big["size"] > 100_000
    assert "max_bytes" in big["note"]
    assert db.execute("SELECT COUNT(*) FROM bodies WHERE size > 100000").fetchone()[0] == 0
    assert limits_hit(db)["max_bytes"] == 1
    assert p[s.url("/small")]["status"] == 200
    iso = db.execute("SELECT method, status, size, reason FROM pages WHERE url=? ORDER BY id DESC", (ext + "/iso",)).fetchone()
    assert tuple(iso) == ("GET", 200, 3_000_000, None)
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert not [f for f in findings if f["rule"] == "link.broken" and f["outcome"] == "fail"]


def test_ignore_robots_is_logged(tmp_path):
    with FixtureServer() as s:
        s.route("/robots.txt", body="User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"})
        s.page("/", '<a href="/inside">内</a>')
        s.page("/inside", "ok")
        proc, db = audit(s.url("/"), tmp_path, "--ignore-robots")
        assert s.requested("/inside") == 1 and s.requested("/robots.txt") == 0
    assert "不遵守 robots.txt" in proc.stderr


def test_robots_disallow_all_blocks_home(tmp_path):
    with FixtureServer() as s:
        s.route("/robots.txt", body="User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"})
        s.page("/", '<a href="/inside">内</a>')
        proc, db = audit(s.url("/"), tmp_path)
        assert s.requested("/") == 0
    assert pages(db)[s.url("/")]["reason"] == "robots.txt"


def test_extra_hosts_and_disclosure_platform(tmp_path):
    """Scope = the portal's host + configured hosts + the 政府信息公开 platform linked from home."""
    with FixtureServer() as portal, FixtureServer("127.0.0.2") as platform:
        alias = f"http://localhost:{portal.port}"
        portal.page("/", f'<a href="{platform.url("/")}">政府信息公开</a> <a href="{alias}/cfg">配置的主机</a>'
                         f' <a href="{platform.url("/other")}">其他</a>')
        portal.page("/cfg", '<a href="/cfg/child">子</a>')
        portal.page("/cfg/child", "ok")
        platform.page("/", '<a href="/zfxxgkzn/">指南</a><a href="/zfxxgknb/">年报</a>')
        platform.page("/zfxxgkzn/", '<a href="/zfxxgkzn/1.html">一</a>')
        platform.page("/zfxxgkzn/1.html", "指南正文")
        platform.page("/zfxxgknb/", "年报")
        platform.page("/other", "x")
        units = tmp_path / "units.yaml"
        units.write_text(f"units:\n  - id: county\n    name: 青山县人民政府\n    url: {portal.url('/')}\n"
                         f"    hosts: [localhost]\n", encoding="utf-8")
        proc = run_cli("audit", "--units", str(units), "--out", str(tmp_path / "out"), *FAST, timeout=240)
        assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert platform.requested("/zfxxgkzn/1.html", "GET") == 1, platform.hits
        assert portal.requested("/cfg/child", "GET") == 1
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    db.row_factory = sqlite3.Row
    p = pages(db)
    assert p[platform.url("/zfxxgkzn/1.html")]["purpose"] == "page"
    assert p[platform.url("/zfxxgkzn/1.html")]["depth"] == 3
    assert p[f"{alias}/cfg/child"]["purpose"] == "page"
    ext_flags = {r["target"]: r["external"] for r in db.execute("SELECT target, external FROM links")}
    assert ext_flags[platform.url("/")] == 0


def test_platform_host_only_from_home_link_text(tmp_path):
    """A link to another host without 政府信息公开 in its text stays external (checked, not crawled)."""
    with FixtureServer() as portal, FixtureServer("127.0.0.2") as other:
        portal.page("/", f'<a href="{other.url("/")}">友情链接</a>')
        other.page("/", '<a href="/deep">深</a>')
        other.page("/deep", "x")
        proc, db = audit(portal.url("/"), tmp_path)
        assert other.requested("/deep") == 0
        assert other.requested("/", "HEAD") == 1


@pytest.mark.parametrize("robots", ["hang", "loop", "garbage"])
def test_hostile_robots_txt_does_not_stop_the_crawl(tmp_path, robots):
    """robots.txt that never answers, redirects in a loop or is binary garbage: the site is crawled
    (as if it had no robots.txt), after at most one request timeout."""
    with FixtureServer() as s:
        if robots == "hang":
            s.route("/robots.txt", handler=hang)
        elif robots == "loop":
            s.redirect("/robots.txt", "/robots2.txt")
            s.redirect("/robots2.txt", "/robots.txt")
        else:
            s.route("/robots.txt", body=bytes(range(256)) * 400, headers={"Content-Type": "text/plain"})
        s.page("/", '<a href="/inside">内</a>')
        s.page("/inside", "ok")
        proc, db = audit(s.url("/"), tmp_path)
        assert s.requested("/inside", "GET") == 1, s.hits
    assert pages(db)[s.url("/")]["status"] == 200


def test_www_and_bare_host_are_one_site():
    from govaudit.crawler.scope import UnitState
    from govaudit.config import CRAWL_DEFAULTS
    from govaudit.model import Unit

    st = UnitState(Unit(id="u", name="某县", url="http://www.x.gov.cn/"), dict(CRAWL_DEFAULTS))
    assert st.in_scope("http://x.gov.cn/xxgk/index.html") and st.in_scope("https://www.x.gov.cn/a.html")
    assert not st.in_scope("http://y.x.gov.cn/") and not st.in_scope("http://www.y.gov.cn/")
    assert Unit(id="b", name="乙", url="http://x.gov.cn/").scope_hosts() == {"x.gov.cn", "www.x.gov.cn"}
    assert Unit(id="ip", name="丙", url="http://127.0.0.1:8080/").scope_hosts() == {"127.0.0.1"}
