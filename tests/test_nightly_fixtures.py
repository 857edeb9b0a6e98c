"""Fixture sites for the nightly, history and distributed tests: small portals on 127.0.0.1 whose
content a test can switch between runs, with ETag/Last-Modified and a request log."""
from __future__ import annotations

import hashlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HTML = "text/html; charset=utf-8"
LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"


def page(title: str, links: list[tuple[str, str]], text: str = "") -> str:
    items = "".join(f'<li><a href="{href}">{label}</a></li>' for label, href in links)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{text}</p><ul>{items}</ul></body></html>")


class FixtureSite:
    """A portal whose pages (path -> html) can be changed between runs. Answers 304 to a matching
    If-None-Match; `delay` slows every answer; `log` records (method, path, if-none-match, status)."""

    def __init__(self, pages: dict[str, str], delay: float = 0.0, host: str = "127.0.0.1") -> None:
        self.pages = dict(pages)
        self.delay = delay
        self.gate = threading.Event()  # answers wait until the gate is open (open unless closed)
        self.gate.set()
        self.log: list[tuple[str, str, str | None, int]] = []
        self.lock = threading.Lock()
        self.active = 0          # requests being answered now
        self.max_active = 0      # the most at once (politeness: never above the configured concurrency)
        self.starts: list[float] = []  # monotonic time each request arrived (politeness: the gaps)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, head: bool) -> None:
                with site.lock:
                    site.active += 1
                    site.max_active = max(site.max_active, site.active)
                    site.starts.append(time.monotonic())
                try:
                    self._respond(head)
                finally:
                    with site.lock:
                        site.active -= 1

            def _respond(self, head: bool) -> None:
                site.gate.wait(60)
                if site.delay:
                    time.sleep(site.delay)
                path = self.path.split("?", 1)[0]
                body_s = site.pages.get(path)
                inm = self.headers.get("If-None-Match")
                if body_s is None:
                    status, body, etag = 404, b"<html><body>404 Not Found</body></html>", None
                else:
                    body = body_s.encode("utf-8")
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    status = 304 if inm == etag else 200
                with site.lock:
                    site.log.append((self.command, path, inm, status))
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                if status == 304:
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_header("Content-Type", HTML)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer(False)

            def do_HEAD(self) -> None:
                self._answer(True)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FixtureSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, method: str = "GET") -> list[str]:
        with self.lock:
            return [p for m, p, _, _ in self.log if m == method]


def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/"


def write_units(path: Path, units: list[dict[str, Any]], **defaults: Any) -> Path:
    import yaml

    base = {"delay": 0.0, "autothrottle": False, "concurrency_per_site": 4, "timeout": 5, "obey_robots": False,
            "check_external": False}
    base.update(defaults)
    path.write_text(yaml.safe_dump({"defaults": base, "units": units}, allow_unicode=True), encoding="utf-8")
    return path


def portal(n_articles: int = 6, broken: tuple[str, ...] = (), prefix: str = "") -> dict[str, str]:
    """A home page, a column list page and n articles; `broken` adds links to missing pages on
    the column page (one broken link per entry)."""
    arts = {f"{prefix}/art/{i}.html": page(f"文章{i}", [("返回", "/")], f"正文{i}") for i in range(n_articles)}
    col_links = [(f"文章{i}", f"{prefix}/art/{i}.html") for i in range(n_articles)]
    col_links += [(f"坏链接{b}", f"/missing/{b}.html") for b in broken]
    return {"/": page("首页", [("通知公告", "/col/index.html")]),
            "/col/index.html": page("通知公告", col_links), **arts}


LIST_SCRIPT = """<script>
fetch('list.json').then(function (r) { return r.json(); }).then(function (items) {
  var ul = document.getElementById('list');
  items.forEach(function (it) {
    var li = document.createElement('li');
    li.innerHTML = '<a href="' + it.url + '">' + it.title + '</a><span>' + it.date + '</span>';
    ul.appendChild(li);
  });
});
</script>"""


def script_portal(n_articles: int = 3, date: str = "2026-11-10") -> dict[str, str]:
    """A portal whose 通知公告 column is filled by a script from list.json (nothing in the HTML:
    govaudit.extract.lists.script_filled), so the crawler renders it; its articles are linked only
    from the rendered list."""
    import json

    items = [{"title": f"测试县第{i}期通知公告内容", "url": f"/tzgg/t{i}.html", "date": date} for i in range(n_articles)]
    column = ("<html><head><meta charset='utf-8'><title>通知公告</title></head><body>"
              "<div class='nav'><a href='/'>首页</a></div><div class='main'><h2>通知公告</h2>"
              f"<ul id='list'></ul>{LIST_SCRIPT}</div></body></html>")
    arts = {f"/tzgg/t{i}.html": page(f"第{i}期", [("返回", "/")], "正文内容。") for i in range(n_articles)}
    return {"/": page("测试县人民政府", [("通知公告", "/tzgg/index.html")], "欢迎访问测试县人民政府门户网站。"),
            "/tzgg/index.html": column, "/tzgg/list.json": json.dumps(items, ensure_ascii=False), **arts}
