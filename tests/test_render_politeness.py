"""The single process's politeness hole (issue 22, bench/RESULTS.md "Province benchmark"): renders
have a download slot of their own, and used to reach a host without its delay. Now every HTTP request
the browser makes (the document and its script's AJAX) takes its turn in the host's slot, so the
server sees one request at a time and no two starts closer than the delay's lower bound."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from govaudit.crawler.render import find_browser
from tests.conftest import run_cli
from tests.test_nightly_fixtures import FixtureSite, script_portal

DELAY = 0.4


def test_renders_keep_the_hosts_delay_and_concurrency(tmp_path: Path) -> None:
    if find_browser() is None:
        pytest.skip("no Chromium installed (scripts/setup-system.sh installs it)")
    with FixtureSite(script_portal(3)) as site:
        proc = run_cli("audit", site.url, "--out", str(tmp_path), "--delay", str(DELAY), "--concurrency", "1",
                       "--no-autothrottle", "--no-external", "--today", "2026-11-20", timeout=300)
        starts, peak, log = sorted(site.starts), site.max_active, list(site.log)
    assert (tmp_path / "findings.json").exists(), proc.stderr[-3000:]
    with sqlite3.connect(tmp_path / "govaudit.sqlite") as db:
        rendered = db.execute("SELECT count(*) FROM pages WHERE purpose='rendered' AND rendered=1").fetchone()[0]
        renders = db.execute("SELECT count(*) FROM renders WHERE error IS NULL").fetchone()[0]
    assert rendered == 1 and renders >= 2  # the home page and the script-filled column were rendered
    assert sum(1 for _, p, _, _ in log if p == "/tzgg/list.json") >= 1  # the browser's AJAX reached the host
    assert peak == 1, peak
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    # Scrapy randomises a delay to 0.5–1.5×; the server's clock adds a little jitter
    assert min(gaps) >= 0.5 * DELAY - 0.05, sorted(gaps)[:5]
