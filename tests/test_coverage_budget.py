"""Issue 17, point 2: the page budget goes where the rules look first.

The demo portal with a deep archive bolted on — 200 headline links to it at the top of the home page
and 20,000 archive articles (generated on the fly, never written to disk) that link each other —
audited with `max_pages` 500 still reaches the platform, every statutory column, the guide, the
annual reports and the interpretations, and the column, guide, report and interp rules find exactly
what an unlimited crawl of the plain demo portal finds."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from govaudit.commands.demo import DEMO_SKIP_HOSTS
from govaudit.demo.server import DemoServers
from govaudit.demo.site import Resource

ROOT = Path(__file__).resolve().parent.parent

TODAY = dt.date(2026, 12, 6)
ARCHIVE = 20_000
PER_LIST = 20
HEADLINES = 200
FAMILIES = ("column.", "guide.", "report.", "interp.")
# counts documents over the whole site, like the link and content scans: on a budgeted crawl it says
# not_measured (too few documents of the year fetched), never a verdict the full crawl would not give
SITE_WIDE = {"report.consistency"}


def _title(n: int) -> str:
    return f"青山县第{n}期工作简报：关于做好第{n}项重点工作的情况通报"


def _article(n: int) -> bytes:
    day = dt.date(2019, 1, 1) + dt.timedelta(days=n % 1500)
    related = "".join(f'<li><a href="/archive/{m // 1000}/t{m}.html">{_title(m)}</a></li>'
                      for m in ((n * 7 + j * 131 + 1) % ARCHIVE for j in range(8)))
    return (f"<html><head><meta charset='utf-8'><title>{_title(n)}</title></head><body><h1>{_title(n)}</h1>"
            f"<p>发布日期：{day.isoformat()}</p><p>{'工作简报正文。' * 20}</p><h3>相关阅读</h3><ul>{related}</ul>"
            f'<a href="/archive/index.html">查看全部往期工作简报和历史归档信息</a></body></html>').encode("utf-8")


def _list(k: int) -> bytes:
    first = k * PER_LIST
    items = "".join(f'<li><a href="/archive/{m // 1000}/t{m}.html">{_title(m)}</a><span>2019-01-01</span></li>'
                    for m in range(first, min(first + PER_LIST, ARCHIVE)))
    last = ARCHIVE // PER_LIST - 1
    page = (lambda i: "/archive/index.html" if i == 0 else f"/archive/index_{i}.html")
    pager = " ".join(f'<a href="{page(i)}">{i + 1}</a>' for i in range(k + 1, min(k + 6, last + 1)))
    nav = (f'<a href="{page(0)}">首页</a> <a href="{page(max(k - 1, 0))}">上一页</a> {pager} '
           f'<a href="{page(min(k + 1, last))}">下一页</a> <a href="{page(last)}">尾页</a>')
    return (f"<html><head><meta charset='utf-8'><title>往期工作简报</title></head><body><ul>{items}</ul>"
            f"<div class='page'>{nav}</div></body></html>").encode("utf-8")


class WithArchive(dict):
    """The demo's resources, plus archive pages made when asked for (the server calls .get)."""

    def get(self, path, default=None):  # type: ignore[override]
        if path.startswith("/archive/"):
            name = path.rsplit("/", 1)[-1]
            if name == "index.html":
                return Resource(body=_list(0))
            if name.startswith("index_") and name[6:-5].isdigit() and int(name[6:-5]) < ARCHIVE // PER_LIST:
                return Resource(body=_list(int(name[6:-5])))
            if name.startswith("t") and name[1:-5].isdigit() and int(name[1:-5]) < ARCHIVE:
                return Resource(body=_article(int(name[1:-5])))
        return super().get(path, default)


def add_archive(resources: dict[str, Resource]) -> WithArchive:
    out = WithArchive(resources)
    headlines = "".join(f'<li><a href="/archive/{n // 1000}/t{n}.html">{_title(n)}</a></li>'
                        for n in range(ARCHIVE - HEADLINES, ARCHIVE))
    block = (f'<div class="headlines"><h3>工作简报</h3><ul>{headlines}</ul>'
             f'<a href="/archive/index.html">查看全部往期工作简报和历史归档信息</a></div>')
    for path in ("/", "/index.html"):
        body = resources[path].body.decode("utf-8").replace("<body>", "<body>" + block, 1)
        out[path] = Resource(body=body.encode("utf-8"))
    return out


def start_audit(tmp: Path, url: str, name: str, *extra: str) -> tuple[Path, subprocess.Popen[str]]:
    out = tmp / name
    units = tmp / f"{name}.yaml"
    units.write_text(f"units:\n  - id: qingshan\n    name: 青山县人民政府\n    kind: government\n"
                     f"    url: {url}\n    overrides: {{skip_hosts: {json.dumps(DEMO_SKIP_HOSTS)}}}\n", encoding="utf-8")
    # no browser: rendering costs both audits alike and is not what this test is about
    rules = tmp / f"{name}-rules.yaml"
    rules.write_text((ROOT / "config" / "rules.yaml").read_text(encoding="utf-8").replace(
        "\ncrawl:\n", "\ncrawl:\n  render: false\n", 1), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "govaudit", "audit", "--units", str(units), "--out", str(out), "--delay", "0",
         "--rules-config", str(rules),
         "--concurrency", "8", "--no-autothrottle", "--timeout", "10", "--today", TODAY.isoformat(), *extra],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return out, proc


def wait(proc: subprocess.Popen[str]) -> None:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1), out + err[-3000:]


def judged(out: Path) -> set[tuple[str, str, str, str]]:
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    path = (lambda u: urlsplit(u).path if u else "")
    return {(f["rule"], path(f["url"]), path(f["target"]), f["outcome"]) for f in doc["findings"]
            if f["rule"].startswith(FAMILIES) and f["rule"] not in SITE_WIDE}


def test_max_pages_500_reaches_what_the_rules_need_before_20000_archive_pages(tmp_path):
    t0 = time.monotonic()
    rendering = False
    # both audits at once (two copies of the portal): the test's wall time is the slower one's
    with DemoServers(today=TODAY, rendering=rendering) as plain, DemoServers(today=TODAY, rendering=rendering) as big:
        big.site.resources = add_archive(big.site.resources)
        full, p1 = start_audit(tmp_path, plain.url, "full")
        limited, p2 = start_audit(tmp_path, big.url, "limited", "--max-pages", "500")
        wait(p1)
        wait(p2)
    elapsed = time.monotonic() - t0

    db = sqlite3.connect(limited / "govaudit.sqlite")
    unit_pages, coverage = db.execute("SELECT pages, coverage FROM units").fetchone()
    cov = json.loads(coverage)
    assert cov["status"] == "partial" and cov["reason"] == "max_pages", cov
    assert cov["fetched"] <= 500
    archive = db.execute("SELECT COUNT(*) FROM pages WHERE url LIKE '%/archive/%'").fetchone()[0]
    assert archive > 100, "the archive competed for the budget"
    # every class of page the rules look at was reached; only articles and archives were left
    assert set(cov["unreached"]) <= {"article", "archive"}, cov["unreached"]
    for cls in ("home", "platform", "subcolumn", "guide", "annual", "interp", "policy"):
        assert cov["reached"].get(cls), (cls, cov["reached"])
    assert cov["platform_reached"] is True

    assert judged(limited) == judged(full), (sorted(judged(limited) - judged(full)),
                                             sorted(judged(full) - judged(limited)))
    # rules that read every page say how much of the site they saw
    doc = json.loads((limited / "findings.json").read_text(encoding="utf-8"))
    scans = [f for f in doc["findings"] if f["rule"].startswith(("link.", "content."))]
    assert scans and all(f["data"]["coverage"]["status"] == "partial" and f["data"]["coverage"]["pages"] == unit_pages
                         for f in scans)
    print(f"both audits: {elapsed:.0f} s")   # ~40 s on 2 idle cores; not asserted (shared CI machines)
