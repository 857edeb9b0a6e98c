"""The evidence bundle stands on its own: index.html at its root opens offline and every evidence link
leads to an archived file named by its address, whose hash the manifest records; a Chinese readme."""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from govaudit.crawler.render import find_browser
from govaudit.reports.bundle import archive_name, verify_bundle
from tests.conftest import read_findings, run_cli


def test_archive_names_follow_the_address():
    taken: set[str] = set()
    assert archive_name("http://www.qs.gov.cn/xxgk/zn/guide.html", "text/html", taken) == \
        "pages/www.qs.gov.cn/xxgk/zn/guide.html"
    assert archive_name("http://www.qs.gov.cn:8080/", "text/html", taken) == "pages/www.qs.gov.cn_8080/index.html"
    assert archive_name("http://www.qs.gov.cn/xxgk/zn/guide.html", "text/html", taken) == \
        "pages/www.qs.gov.cn/xxgk/zn/guide~2.html"
    q = archive_name("http://www.qs.gov.cn/list.jsp?page=2&id=../../x", "text/html", taken)
    assert q.startswith("pages/www.qs.gov.cn/list_q") and q.endswith(".jsp") and ".." not in q
    assert archive_name("http://www.qs.gov.cn/../../etc/passwd", None, taken).startswith("pages/www.qs.gov.cn/etc/")
    assert archive_name("http://www.qs.gov.cn/附件/年报%202024.pdf", "application/pdf", taken) == \
        "pages/www.qs.gov.cn/附件/年报_2024.pdf"


@pytest.mark.skipif(find_browser() is None, reason="no Chromium: install chromium (scripts/setup-system.sh)")
def test_bundle_index_opens_offline_and_every_evidence_link_reaches_an_archived_file(demo_audit, tmp_path):
    from playwright.sync_api import sync_playwright

    proc = run_cli("report", "--out", str(demo_audit), "--bundle", "--warc")
    assert proc.returncode == 1, proc.stderr[-2000:]  # report exits 1: the demo has fail findings
    (zpath,) = (demo_audit / "bundles").glob("qingshan-*.zip")
    assert verify_bundle(zpath) == []
    root = tmp_path / "bundle"
    with zipfile.ZipFile(zpath) as z:
        z.extractall(root)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    hashes = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert not any(p.startswith("bodies/") for p in hashes)
    assert {"index.html", "说明.txt", "fixlist.docx", "evidence.warc.gz"} <= set(hashes)
    readme = (root / "说明.txt").read_text(encoding="utf-8")
    assert "sha256" in readme and "certutil" in readme and "WARC" in readme and "replayweb.page" in readme

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), headless=True, args=["--no-sandbox"])
        context = browser.new_context(offline=True)            # networking off
        page = context.new_page()
        page.goto((root / "index.html").as_uri())
        rows = page.evaluate("""() => [...document.querySelectorAll('tbody tr[id^="f-"]')].map(tr =>
            [tr.id.slice(2), [...tr.querySelectorAll('a.archived')].map(a => a.href)])""")
        followed = 0
        for _fp, links in rows:
            for href in links:
                path = Path(unquote(urlsplit(href).path))
                assert path.is_file() and root in path.parents, href
                rel = path.relative_to(root).as_posix()
                assert hashlib.sha256(path.read_bytes()).hexdigest() == hashes[rel]
                if rel.endswith(".html"):
                    resp = page.goto(href)
                    assert resp is None or resp.ok
                    assert Path(unquote(urlsplit(page.url).path)) == path
                followed += 1
        browser.close()
    # the unit page inside the bundle links the same archived copies (not only the live site)
    import re

    unit_page = (root / "units" / "qingshan.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a class="archived" href="([^"]+)"', unit_page)
    assert hrefs and all((root / "units" / unquote(h)).resolve().is_file() for h in hrefs)
    problems = [f for f in read_findings(demo_audit) if f["outcome"] in ("fail", "needs_review")]
    assert len(rows) == len(problems) and followed >= len(problems)
    # every problem whose cited page has a stored body links its archived copy
    with_body = {f["fingerprint"] for f in problems if any(e.get("sha256") for e in f["evidence"])}
    linked = {fp for fp, links in rows if links}
    assert with_body <= linked
