"""The benchmark's own tools, and the guard behind the crawl-speed work: a fast crawl that loses
nothing. A small synthetic portal (bench/gen_site.py) is served from disk on 127.0.0.1 and
audited through the CLI; every URL the generator wrote must be in the store, once, and every
link of every page must be stored. Not timed: speed is measured by `make bench`, not by tests."""
from __future__ import annotations

import filecmp
import functools
import hashlib
import re
import sqlite3
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from govaudit.config import load_units
from tests.conftest import ROOT, run_cli

GEN = ROOT / "bench" / "gen_site.py"


def generate(out: Path, *args: str) -> int:
    proc = subprocess.run([sys.executable, str(GEN), str(out), *args], capture_output=True, text=True,
                          timeout=120, check=True)
    return int(re.search(r": (\d+) in-site URLs", proc.stdout).group(1))


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *a: object) -> None:
        pass


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("bench") / "site"
    expected = generate(site, "--articles", "150", "--columns", "4", "--ext-host", "")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, expected, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_generator_is_deterministic_and_counts_its_urls(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    n = generate(a, "--articles", "50", "--columns", "3")
    assert generate(b, "--articles", "50", "--columns", "3") == n
    assert tree_digest(a) == tree_digest(b)
    assert filecmp.cmp(a / "index.html", b / "index.html", shallow=False)
    art = (a / "art").rglob("*.html")
    page = next(iter(art)).read_text(encoding="utf-8")
    assert len(re.findall(r"<a ", page)) >= 30  # nav-heavy CMS pages, the point of the benchmark
    assert "发布日期" in page and "索引号" in page
    # plain: exactly / and /index.html + list pages + articles + sitemap/contact + logo/css + the search 404
    p = tmp_path / "plain"
    assert generate(p, "--articles", "232", "--columns", "8", "--plain") == 2 + 16 + 232 + 2 + 2 + 1
    assert not (p / "files").exists() or not any((p / "files").iterdir())


def test_multi_units_file_is_valid(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from multi_units import units_yaml
    finally:
        sys.path.pop(0)
    f = tmp_path / "units.yaml"
    f.write_text(units_yaml(40, 18081), encoding="utf-8")
    units, defaults = load_units(f)
    assert len(units) == 40 and len({u.host for u in units}) == 40  # one host (download slot) each
    assert defaults["delay"] == 0.25 and defaults["concurrency_per_site"] == 1 and defaults["autothrottle"]


def test_fast_crawl_stores_every_url_and_link(small_site, tmp_path: Path) -> None:
    site, expected, url = small_site
    out = tmp_path / "out"
    proc = run_cli("audit", url, "--out", str(out), "--delay", "0", "--no-autothrottle", "--concurrency", "16",
                   "--no-external", "--max-depth", "100", timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    db = sqlite3.connect(out / "govaudit.sqlite")
    rows = db.execute("SELECT url, status FROM pages WHERE purpose IN ('home','page','check','attachment')").fetchall()
    urls = [u for u, _ in rows]
    assert len(urls) == len(set(urls)), "a URL was fetched twice"
    assert len(urls) == expected
    on_disk = {"/" + str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    stored = {"/" + u.split("/", 3)[3] for u in urls}
    assert on_disk - {"/index.html"} <= stored  # the home page is stored as "/"
    status = dict(rows)
    assert status[url + "search.html"] == 404
    linked = {m for p in site.rglob("*.html") for m in re.findall(r'href="(/art/[^"]*gone-\d+\.html)"',
                                                                p.read_text(encoding="utf-8", errors="replace"))}
    gone = {u for u in urls if "/gone-" in u}
    assert {"/" + u.split("/", 3)[3] for u in gone} == linked
    assert all(status[u] == 404 for u in gone)
    # every link of every parsed page is stored: compare with the <a>/<img>/<link>/<form> in the files
    for rel in ("index.html", "contact.html", next(site.glob("art/*/*.html")).relative_to(site).as_posix()):
        html = (site / rel).read_text(encoding="utf-8")
        n = len(re.findall(r"<(?:a|img|link|form) [^>]*(?:href|src|action)=", html))
        page_url = url if rel == "index.html" else url + rel
        got = db.execute("SELECT count(*) FROM links l JOIN pages p ON p.id = l.page_id WHERE p.url = ?",
                         (page_url,)).fetchone()[0]
        assert got == n, rel
