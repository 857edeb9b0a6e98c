"""Issue 17, point 1: Ctrl-C during an audit of the demo portal stops the crawl within 5 s, keeps what
was fetched, and every output says the run is partial and the grade provisional; no `fail` rests
on pages the crawl never reached."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from govaudit.checks.coverage import ABSENCE
from govaudit.commands.demo import DEMO_SKIP_HOSTS
from govaudit.crawler.render import find_browser
from govaudit.demo.server import DemoServers
from govaudit.demo.verify import compare, expected_findings

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 6)
CRAWL_STOPPED = "抓取已中断：检查已抓取的页面"   # pipeline.audit logs it when the crawl has returned


class Audit:
    """`govaudit audit` of the demo portal in a subprocess, its stderr lines timestamped."""

    def __init__(self, tmp: Path, url: str, *extra: str) -> None:
        self.out = tmp / "out"
        units = tmp / "units.yaml"
        units.write_text(f"units:\n  - id: qingshan\n    name: 青山县人民政府\n    kind: government\n"
                         f"    url: {url}\n    overrides: {{skip_hosts: {json.dumps(DEMO_SKIP_HOSTS)}}}\n",
                         encoding="utf-8")
        self.lines: list[tuple[float, str]] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "govaudit", "audit", "--units", str(units), "--out", str(self.out),
             "--delay", "0.5", "--concurrency", "1", "--no-autothrottle", "--today", TODAY.isoformat(), *extra],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.stdout = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append((time.monotonic(), line.rstrip()))

    def pages(self) -> int:
        db = self.out / "govaudit.sqlite"
        if not db.exists():
            return 0
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            try:
                return conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return 0

    def wait_pages(self, n: int, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        while self.pages() < n:
            assert self.proc.poll() is None, self.log()
            assert time.monotonic() < end, f"no {n} pages stored in {timeout} s\n{self.log()}"
            time.sleep(0.2)

    def line_time(self, text: str, timeout: float = 30) -> float:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for t, line in self.lines:
                if text in line:
                    return t
            time.sleep(0.05)
        raise AssertionError(f"no line with {text!r}\n{self.log()}")

    def finish(self, timeout: float = 120) -> int:
        # not communicate(): it would read stderr too, racing the reader thread for the last lines;
        # stdout is a short summary, it fits the pipe while we wait
        assert self.proc.stdout is not None
        self.proc.wait(timeout=timeout)
        self.stdout = self.proc.stdout.read()
        self._reader.join(10)
        return self.proc.returncode

    def log(self) -> str:
        return "\n".join(line for _, line in self.lines)[-4000:]


@pytest.fixture()
def demo_portal():
    with DemoServers(today=TODAY, rendering=find_browser() is not None) as servers:
        yield servers


def _store(out: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(out / "govaudit.sqlite")
    conn.row_factory = sqlite3.Row
    return conn


def test_ctrl_c_stops_within_5_s_and_every_output_says_partial(tmp_path, demo_portal):
    audit = Audit(tmp_path, demo_portal.url)
    audit.wait_pages(15)
    sent = time.monotonic()
    audit.proc.send_signal(signal.SIGINT)
    stopped = audit.line_time(CRAWL_STOPPED)
    assert stopped - sent < 5, f"the crawl took {stopped - sent:.1f} s to stop\n{audit.log()}"
    rc = audit.finish()
    assert rc == 130, audit.stdout + audit.log()

    # the store: a partial unit and run, with the reason and what was reached
    db = _store(audit.out)
    run = db.execute("SELECT * FROM runs").fetchone()
    assert json.loads(run["coverage"])["status"] == "partial"
    unit = db.execute("SELECT * FROM units").fetchone()
    assert unit["status"] == "partial"
    cov = json.loads(unit["coverage"])
    assert cov["status"] == "partial" and cov["reason"] == "interrupted", cov
    assert cov["pages"] == unit["pages"] > 0 and cov["reached"].get("home") == 1
    assert sum(cov["unreached"].values()) > 0, cov   # the demo portal has ~130 pages: most were not fetched
    assert "platform_reached" in cov
    fetched = {r[0] for r in db.execute("SELECT url FROM pages WHERE status < 400 AND reason IS NULL")}

    # no fail that rests on unseen pages: every problem was planted, no "not found" rule fails,
    # and every fail shows on a page that was fetched
    doc = json.loads((audit.out / "findings.json").read_text(encoding="utf-8"))
    findings = doc["findings"]
    _, unexpected = compare(expected_findings(demo_portal.site, demo_portal.url), findings)
    assert not unexpected, [(f["rule"], f["url"], f["message"]) for f in unexpected]
    fails = [f for f in findings if f["outcome"] == "fail"]
    assert not [f for f in fails if f["rule"] in ABSENCE]
    assert all(f["url"] in fetched for f in fails), [f["url"] for f in fails if f["url"] not in fetched]
    measured_not = [f for f in findings if f["outcome"] == "not_measured"]
    assert any(f["rule"] == "report.missing" or f["rule"] == "guide.missing" for f in measured_not) or \
        cov["reached"].get("annual"), "a partial crawl that missed the reports must not call them missing"
    assert not [f for f in findings if f["rule"] == "content.illegal-text" and f["outcome"] == "pass"]
    scans = [f for f in findings if f["rule"].startswith(("link.", "content."))]
    assert scans and all(f["data"]["coverage"]["status"] == "partial" for f in scans)

    # findings.json, report.html, scores.xlsx and the terminal say it
    ucov = doc["units"][0]["coverage"]
    assert ucov["status"] == "partial" and ucov["provisional"] is True and ucov["reason"] == "interrupted"
    assert ucov["pages"] > 0 and "reached" in ucov and "unreached" in ucov
    report = (audit.out / "report.html").read_text(encoding="utf-8")
    assert "部分抓取" in report and "暂定" in report and "抓取被中断" in report
    unit_page = (audit.out / "units" / "qingshan.html").read_text(encoding="utf-8")
    assert "部分抓取：抓取被中断（SIGINT）" in unit_page and "暂定等级" in unit_page
    wb = load_workbook(audit.out / "scores.xlsx")
    summary = wb["汇总"]
    head = [c.value for c in summary[4]]
    col = head.index("抓取覆盖")
    assert "部分抓取，等级为暂定" in summary.cell(5, col + 1).value
    unit_sheet = wb[wb.sheetnames[1]]
    assert "部分抓取" in (unit_sheet["A5"].value or "")
    assert "部分抓取（抓取被中断（SIGINT））" in audit.stdout and "暂定" in audit.stdout
    assert "--resume" in audit.stdout

    # --resume fetches what was left, in the same run, and the result is the full audit's
    pages_before = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    db.close()
    again = Audit(tmp_path, demo_portal.url, "--resume", "--delay", "0", "--concurrency", "8")
    assert again.finish() in (0, 1), again.stdout + again.log()
    db = _store(audit.out)
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    cov = json.loads(db.execute("SELECT coverage FROM units").fetchone()[0])
    assert cov["status"] == "complete" and cov["reached"].get("home") == 1, cov
    urls = [r[0] for r in db.execute("SELECT url FROM pages WHERE purpose IN ('home', 'page')")]
    assert len(urls) == len(set(urls)) and len(urls) > pages_before // 2
    doc = json.loads((audit.out / "findings.json").read_text(encoding="utf-8"))
    missing, unexpected = compare(expected_findings(demo_portal.site, demo_portal.url), doc["findings"])
    assert not missing and not unexpected, (missing, unexpected)
    assert doc["units"][0]["coverage"]["provisional"] is False


def test_second_ctrl_c_exits_at_once_and_keeps_the_pages(tmp_path, demo_portal):
    audit = Audit(tmp_path, demo_portal.url)
    audit.wait_pages(10)
    sent = time.monotonic()
    audit.proc.send_signal(signal.SIGINT)
    audit.line_time("正在停止抓取")
    audit.proc.send_signal(signal.SIGINT)
    rc = audit.finish(timeout=30)
    assert rc == 130, audit.log()
    assert time.monotonic() - sent < 5, audit.log()
    assert "govaudit check --out" in audit.log()
    db = _store(audit.out)
    run = db.execute("SELECT * FROM runs").fetchone()
    assert run["status"] == "incomplete"
    unit = db.execute("SELECT * FROM units").fetchone()
    assert json.loads(unit["coverage"])["reason"] == "interrupted"
    assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] >= 10
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class SlowSite:
    """A home page linking two fast pages and three that answer after a minute."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path.startswith("/slow"):
                    time.sleep(60)
                links = "".join(f'<a href="/slow{i}.html">慢页面{i}</a>' for i in range(3)) if self.path == "/" else ""
                body = (f"<html><head><title>t</title></head><body>{links}<a href='/a.html'>甲</a>"
                        f"<a href='/b.html'>乙</a></body></html>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass   # the crawler hangs up on the slow pages: expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_downloads_in_progress_are_cut_not_recorded_as_broken(tmp_path):
    site = SlowSite()
    try:
        out = tmp_path / "out"
        proc = subprocess.Popen(
            [sys.executable, "-m", "govaudit", "audit", site.url, "--out", str(out), "--timeout", "50",
             "--delay", "0", "--concurrency", "4", "--no-external", "--today", TODAY.isoformat()],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        db = out / "govaudit.sqlite"
        assert proc.stderr is not None
        for line in proc.stderr:   # the progress line: the fast pages are in, the slow ones in transfer
            if "已抓取 3 页" in line and "进行中 3" in line:
                break
        else:
            raise AssertionError(proc.communicate()[0])
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert time.monotonic() - sent < 10, stderr[-3000:]   # the crawl itself: < 5 s (GRACE 1.5 s + closing)
        assert proc.returncode == 130, stderr[-3000:]
    finally:
        site.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM pages WHERE url LIKE '%slow%'").fetchone()[0] == 0
    cov = json.loads(conn.execute("SELECT coverage FROM units").fetchone()[0])
    assert cov["status"] == "partial" and sum(cov["unreached"].values()) >= 3, cov
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert not [f for f in findings if "slow" in (f["target"] or "") + (f["url"] or "") and f["outcome"] == "fail"]
