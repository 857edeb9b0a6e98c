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

DELAY = 1.2  # longer than the list render's quiet window (SETTLE_JS, 0.75 s): its AJAX waits a turn that long


def test_renders_keep_the_hosts_delay_and_concurrency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAUDIT_RENDER_GATE", "1")  # off by default (render.RenderPipeline says why)
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


class _Page:
    """Just what gate_page uses of a Playwright page: events, a route, closing."""

    def __init__(self) -> None:
        self.handlers: dict[str, list] = {}
        self.closed = False
        self.route_handler = None

    def on(self, event: str, fn) -> None:  # type: ignore[no-untyped-def]
        self.handlers.setdefault(event, []).append(fn)

    def emit(self, event: str, *args: object) -> None:
        for fn in self.handlers.get(event, []):
            fn(*args)

    async def route(self, pattern: str, handler) -> None:  # type: ignore[no-untyped-def]
        self.route_handler = handler

    def is_closed(self) -> bool:
        return self.closed


class _Route:
    async def fallback(self) -> None:  # Playwright ignores a fallback on a closed page, silently
        return None


class _Req:
    def __init__(self, url: str, resource_type: str = "document") -> None:
        self.url, self.resource_type = url, resource_type


class _Gate:
    def __init__(self) -> None:
        import asyncio

        self.open = asyncio.Event()
        self.held: list[str] = []

    async def acquire(self, url: str, paced: bool = True) -> str:
        await self.open.wait()
        self.held.append(url)
        return url

    def release(self, token: str) -> None:
        self.held.remove(token)


def test_a_turn_taken_for_a_page_that_closed_meanwhile_is_given_back() -> None:
    import asyncio

    from govaudit.crawler import render

    async def scenario() -> list[str]:
        gate, page = _Gate(), _Page()
        render.set_gate(gate)
        try:
            await render.gate_page(page, None)
            done = _Req("http://a.gov.cn/")
            first = asyncio.ensure_future(page.route_handler(_Route(), done))
            gate.open.set()
            await first
            page.emit("requestfinished", done)  # answered: its turn is given back
            assert gate.held == []
            gate.open.clear()
            waiting = asyncio.ensure_future(page.route_handler(_Route(), _Req("http://a.gov.cn/list.json")))
            await asyncio.sleep(0.01)
            page.closed = True          # the navigation timed out while the request waited for its turn
            page.emit("close")
            gate.open.set()
            await waiting
            return gate.held
        finally:
            render.set_gate(None)

    assert asyncio.run(scenario()) == []
