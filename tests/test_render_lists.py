"""Columns whose list a script fills, crawled for real: the crawler renders them in Chromium, stores
the DOM the browser built (also from a GBK page), crawls the links only the script wrote, and stops
rendering at max_list_renders. `inspect list --render` shows the same DOM. Skipped without a browser."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from govaudit.crawler.render import find_browser
from tests.conftest import read_findings, run_cli

TODAY = dt.date(2026, 11, 20)
SCRIPT = """<script>
fetch('list.json').then(function (r) { return r.json(); }).then(function (items) {
  var ul = document.getElementById('list');
  items.forEach(function (it) {
    var li = document.createElement('li');
    li.innerHTML = '<a href="' + it.url + '">' + it.title + '</a><span>' + it.date + '</span>';
    ul.appendChild(li);
  });
});
</script>"""


def _column(title: str, charset: str = "utf-8") -> bytes:
    html = (f'<html><head><meta charset="{charset}"><title>{title}</title></head><body>'
            f'<div class="nav"><a href="/">首页</a></div><div class="main"><h2>{title}</h2>'
            f'<ul id="list"></ul>{SCRIPT}</div></body></html>')
    return html.encode("gbk" if charset == "gbk" else "utf-8")


def _items(folder: str, ages: list[int]) -> bytes:
    items = [{"title": f"测试县{folder}第{i}期信息公开内容", "url": f"/{folder}/t{i}.html",
              "date": (TODAY - dt.timedelta(days=n)).isoformat()} for i, n in enumerate(ages)]
    return json.dumps(items, ensure_ascii=False).encode("utf-8")


PAGES: dict[str, tuple[str, bytes]] = {
    "/": ("text/html; charset=utf-8", (
        '<html><head><meta charset="utf-8"><title>测试县人民政府</title></head><body><div class="nav">'
        '<a href="/gzdt/index.html">工作动态</a><a href="/tzgg/index.html">通知公告</a>'
        '<a href="/rsxx/index.html">人事信息</a></div><p>欢迎访问测试县人民政府门户网站。</p></body></html>').encode()),
    # a GBK page (header and meta say so) whose script writes Chinese titles
    "/gzdt/index.html": ("text/html; charset=gbk", _column("工作动态", "gbk")),
    "/gzdt/list.json": ("application/json", _items("gzdt", [30, 45])),
    "/tzgg/index.html": ("text/html; charset=utf-8", _column("通知公告")),
    "/tzgg/list.json": ("application/json", _items("tzgg", [10])),
    "/rsxx/index.html": ("text/html; charset=utf-8", _column("人事信息")),
    "/rsxx/list.json": ("application/json", _items("rsxx", [500])),
}
for _folder in ("gzdt", "tzgg", "rsxx"):
    for _i in range(2):
        PAGES[f"/{_folder}/t{_i}.html"] = ("text/html; charset=utf-8", (
            f'<html><head><meta charset="utf-8"><title>第{_i}期</title></head><body><h1>第{_i}期</h1>'
            f'<p>正文内容。</p></body></html>').encode())


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        ctype, body = PAGES.get(self.path.split("?")[0], ("text/plain", b"not found"))
        self.send_response(200 if self.path.split("?")[0] in PAGES else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def portal() -> Iterator[str]:
    if find_browser() is None:
        pytest.skip("no Chromium installed")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _audit(portal: str, out: Path, max_list_renders: int) -> list[dict]:
    rules = out / "rules.yaml"
    out.mkdir(parents=True, exist_ok=True)
    rules.write_text(f"crawl:\n  max_list_renders: {max_list_renders}\n", encoding="utf-8")
    proc = run_cli("audit", portal, "--out", str(out), "--delay", "0", "--no-autothrottle", "--no-external",
                   "--rules-config", str(rules), "--today", TODAY.isoformat())
    assert (out / "findings.json").exists(), proc.stderr[-3000:]
    return read_findings(out)


def test_script_filled_columns_rendered_and_judged(portal: str, tmp_path: Path) -> None:
    findings = _audit(portal, tmp_path, 20)
    stale = {f["url"].rsplit("/", 2)[-2]: f for f in findings if f["rule"] == "column.stale" and f["outcome"] == "fail"}
    # 工作动态 30 days (14 allowed) and 人事信息 500 days (365) are stale; 通知公告 10 days is fresh
    assert set(stale) == {"gzdt", "rsxx"}, [f["message"] for f in findings if f["rule"].startswith("column.")]
    assert stale["gzdt"]["data"]["rendered"] and stale["gzdt"]["data"]["age_days"] == 30
    assert stale["gzdt"]["data"]["newest_item"]["title"] == "测试县gzdt第0期信息公开内容"   # GBK page, read right
    assert (tmp_path / stale["gzdt"]["evidence"][0]["screenshot"]).is_file()
    assert not [f for f in findings if f["rule"] == "column.blank" and f["outcome"] in ("fail", "needs_review")]
    with sqlite3.connect(tmp_path / "govaudit.sqlite") as db:
        rendered = db.execute("SELECT count(*) FROM pages WHERE purpose='rendered' AND rendered=1").fetchone()[0]
        articles = db.execute("SELECT count(*) FROM pages WHERE url LIKE '%/t0.html' AND status=200").fetchone()[0]
        links = db.execute("SELECT count(*) FROM links l JOIN pages p ON p.id=l.page_id "
                           "WHERE p.purpose='rendered' AND l.target LIKE '%/tzgg/t0.html'").fetchone()[0]
    assert rendered == 3 and articles == 3 and links == 1   # script-written links stored once and crawled


def test_max_list_renders_caps_the_renders(portal: str, tmp_path: Path) -> None:
    findings = _audit(portal, tmp_path, 1)
    with sqlite3.connect(tmp_path / "govaudit.sqlite") as db:
        rendered = db.execute("SELECT count(*) FROM pages WHERE purpose='rendered'").fetchone()[0]
        hit = json.loads(db.execute("SELECT limits_hit FROM units").fetchone()[0] or "{}")
    assert rendered == 1 and hit.get("max_list_renders") == 2
    review = [f for f in findings if f["rule"] == "column.blank" and f["outcome"] == "needs_review"]
    assert len(review) == 2 and all("max_list_renders" in f["evidence"][0]["note"] for f in review)
    assert not [f for f in findings if f["rule"] == "column.blank" and f["outcome"] == "fail"]


def test_inspect_list_render(portal: str) -> None:
    plain = json.loads(run_cli("inspect", "list", portal + "tzgg/index.html", "--json").stdout)
    assert plain["count"] == 0 and plain["script_filled"].startswith("empty list ul#list; script: fetch(")
    proc = run_cli("inspect", "list", portal + "tzgg/index.html", "--render", "--json")
    rendered = json.loads(proc.stdout)
    assert rendered["count"] == 1 and rendered["items"][0]["date"] == (TODAY - dt.timedelta(days=10)).isoformat()
    assert rendered["script_filled"] is None
