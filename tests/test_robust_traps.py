"""Traps and limits: a hostile fixture site, one audit through the CLI, then the store is read.

Every trap has its protection, and each assertion below fails without it: calendar and session-id
loops (query-variant cap, session-id stripping, depth cap), endless and bomb bodies (byte cap on
the decompressed body), silent and dripping servers (per-request timeout), a 5 MB one-line page,
a 100,000-link page (links-per-page cap), deeply nested markup (flattened re-parse), binary
content served as text/html.
"""
from __future__ import annotations

import json
import os
import sqlite3

import pytest
from lxml import html as lhtml

from tests.conftest import run_cli
from tests.fixtures.server import FixtureServer, bomb_body, drip, endless, hang

pytestmark = pytest.mark.timeout(900)

RULES = """crawl:
  max_bytes: 8000000
  max_query_variants: 20
  max_links_per_page: 5000
  retries: 0
"""


def _calendar(req):
    d = int(req.path.split("d=", 1)[1].split("&", 1)[0] or 0)
    body = f'<a href="/cal?d={d - 1}">上一天</a> <a href="/cal?d={d + 1}">下一天</a>'.encode()
    _html(req, body)


def _session(req):
    body = f'<a href="/sess;jsessionid={os.urandom(6).hex()}">再来</a><a href="/sess?sid={os.urandom(4).hex()}">又来</a>'
    _html(req, body.encode())


def _pathcal(req):
    n = int(req.path.rstrip("/").rsplit("/", 1)[1])
    _html(req, f'<a href="/pathcal/{n + 1}/">下一页</a>'.encode())


def _html(req, body: bytes, ctype: str = "text/html; charset=utf-8", extra: dict | None = None):
    req.send_response(200)
    req.send_header("Content-Type", ctype)
    for k, v in (extra or {}).items():
        req.send_header(k, v)
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


def _short_body(req):
    """Promises 100,000 bytes, sends 10, hangs up."""
    req.send_response(200)
    req.send_header("Content-Type", "text/html")
    req.send_header("Content-Length", "100000")
    req.end_headers()
    req.wfile.write(b"<html><bo")
    req.wfile.flush()


@pytest.fixture(scope="module")
def trap_audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("traps")
    rules = out / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    s = FixtureServer()
    links = ["/cal?d=0", "/sess", "/pathcal/0/", "/endless", "/gzip-bomb", "/deflate-bomb", "/br-bomb", "/hang",
             "/drip", "/bigline", "/many-links", "/binary", "/deep", "/short", "/bad-gzip"]
    s.page("/", "".join(f'<a href="{u}">{u}</a> ' for u in links))
    s.route("/cal", handler=_calendar)
    s.route("/sess", handler=_session, prefix=True)
    s.route("/pathcal/", handler=_pathcal, prefix=True)
    s.route("/endless", handler=endless)
    for enc, name in (("gzip", "gzip"), ("deflate", "deflate"), ("br", "br")):
        s.route(f"/{name}-bomb", body=bomb_body(enc, 60_000_000),
                headers={"Content-Type": "text/html", "Content-Encoding": enc})
    s.route("/hang", handler=hang)
    s.route("/drip", handler=drip)
    s.page("/bigline", "<p>" + "一行" * 850_000 + '</p><a href="/bigline-end">尾</a>')
    s.page("/bigline-end", "ok")
    s.page("/many-links", "".join(f'<a href="/ml/{i % 50}">{i}</a>' for i in range(100_000)))
    s.page("/ml/", "x", prefix=True)
    s.route("/binary", body=bytes(range(256)) * 4000 + b"\x89PNG\r\n\x1a\n" + os.urandom(50_000),
            headers={"Content-Type": "text/html"})
    s.page("/deep", "<div>" * 50_000 + '<a href="/deep-target">深处</a>' + "</div>" * 50_000)
    s.page("/deep-target", "ok")
    s.route("/short", handler=_short_body)
    s.route("/bad-gzip", body=b"\x1f\x8b\x08\x00garbage-not-gzip" * 10,
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with s:
        proc = run_cli("audit", s.url("/"), "--out", str(out), "--delay", "0", "--no-autothrottle", "--timeout", "8",
                       "--max-depth", "12", "--max-pages", "2000", "--rules-config", str(rules), timeout=600)
        hits = list(s.hits)
    db = sqlite3.connect(out / "govaudit.sqlite")
    db.row_factory = sqlite3.Row
    yield s, proc, db, hits, out
    db.close()


def _page(db, s, path):
    return db.execute("SELECT * FROM pages WHERE url=? ORDER BY id DESC", (s.url(path),)).fetchone()


def _limits(db):
    return json.loads(db.execute("SELECT limits_hit FROM units").fetchone()[0] or "{}")


def _gets(hits, prefix):
    return [p for m, p in hits if m == "GET" and p.startswith(prefix)]


def test_audit_completes_cleanly(trap_audit):
    _, proc, db, _, _ = trap_audit
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert db.execute("SELECT status FROM runs").fetchone()[0] == "complete"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_calendar_trap_capped(trap_audit):
    _, _, db, hits, _ = trap_audit
    assert len(_gets(hits, "/cal")) <= 21
    assert _limits(db)["max_query_variants"] >= 1


def test_session_id_loop_fetched_once(trap_audit):
    _, _, _, hits, _ = trap_audit
    # the path form (;jsessionid=) is stripped; the query form (?sid=) is stripped as well
    assert _gets(hits, "/sess") == ["/sess"]


def test_path_calendar_stopped_by_depth(trap_audit):
    _, _, db, hits, _ = trap_audit
    assert 5 <= len(_gets(hits, "/pathcal/")) <= 12
    assert _limits(db)["max_depth"] >= 1


@pytest.mark.parametrize("path", ["/endless", "/gzip-bomb", "/deflate-bomb", "/br-bomb"])
def test_endless_and_bomb_bodies_cut_off(trap_audit, path):
    s, _, db, _, _ = trap_audit
    row = _page(db, s, path)
    # an endless body is stopped by whichever limit comes first: 8 MB or the 8 s request timeout
    allowed = ("too large", "timeout") if path == "/endless" else ("too large",)
    assert row is not None and row["reason"] in allowed, dict(row) if row else None
    assert db.execute("SELECT MAX(size) FROM bodies").fetchone()[0] <= 8_000_000


@pytest.mark.parametrize("path", ["/hang", "/drip"])
def test_silent_and_dripping_servers_time_out(trap_audit, path):
    s, _, db, _, _ = trap_audit
    assert _page(db, s, path)["reason"] == "timeout"


def test_five_megabyte_single_line_page(trap_audit):
    s, _, db, hits, _ = trap_audit
    row = _page(db, s, "/bigline")
    assert row["status"] == 200 and row["size"] > 5_000_000
    assert "/bigline-end" in _gets(hits, "/bigline-end")


def test_hundred_thousand_links_capped(trap_audit):
    s, _, db, hits, _ = trap_audit
    row = _page(db, s, "/many-links")
    n = db.execute("SELECT COUNT(*) FROM links WHERE page_id=?", (row["id"],)).fetchone()[0]
    assert n == 5000
    assert _limits(db)["max_links_per_page"] == 1
    assert len(set(_gets(hits, "/ml/"))) == 50


def test_deeply_nested_markup_keeps_its_links(trap_audit):
    _, _, _, hits, _ = trap_audit
    assert _gets(hits, "/deep-target") == ["/deep-target"]


def test_binary_served_as_html(trap_audit):
    s, _, db, _, _ = trap_audit
    row = _page(db, s, "/binary")
    assert row["status"] == 200 and row["reason"] is None
    assert db.execute("SELECT COUNT(*) FROM links WHERE page_id=?", (row["id"],)).fetchone()[0] == 0


def test_limits_hit_shown_without_findings(trap_audit):
    """The limits hit are recorded on the unit and shown in the report and the summary line."""
    _, proc, db, _, out = trap_audit
    assert "同一路径查询串上限" in proc.stdout           # max_query_variants, named in Chinese
    text = lhtml.fromstring((out / "report.html").read_bytes()).text_content()
    assert "同一路径查询串上限" in text
    rules = {r[0] for r in db.execute("SELECT DISTINCT rule FROM findings")}
    assert not any("limit" in r for r in rules)


def test_truncated_and_corrupt_bodies(trap_audit):
    """A body shorter than its Content-Length, and a gzip body that is not gzip: recorded, not fatal."""
    s, _, db, _, _ = trap_audit
    assert _page(db, s, "/short")["reason"] == "incomplete response"
    row = _page(db, s, "/bad-gzip")
    assert row is not None and (row["reason"] is not None or row["status"] == 200)
