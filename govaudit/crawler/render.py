"""Rendering with Playwright (through scrapy-playwright), only where a rule needs it.

The spider renders the home page and the disclosure platform's entry page of each unit, in
addition to their ordinary fetch: a request with meta={"playwright": True} whose page methods
compute the visibility of every link in the browser and save a full-page screenshot under the
output folder's `screenshots/`. The verdicts go to the `rendered_links` table, the render itself
to `renders`, and the screenshot path to `pages.screenshot` of the page's ordinary fetch.

A column page whose list a script fills (govaudit.extract.lists.script_filled: an AJAX or
template script, no items in the HTML) is rendered too, up to `max_list_renders` per unit: the
browser waits until the page stops changing, and the DOM it built is stored as a page row with
purpose 'rendered' (rendered=1, its screenshot), which the column checks read instead of the
empty HTML. Links that only the script wrote are stored with that row and crawled like any other.

Politeness: renders have a download slot of their own (RENDER_SLOT: the browser's concurrency),
but every HTTP request the browser makes for a rendered page first takes its turn in its host's
politeness, through a page init callback (gate_page): the page and its scripts' AJAX keep the
host's concurrency and delay, static files (images, styles, scripts) its concurrency. In one
process the turn is taken in the host's own Scrapy download slot (SlotGate, shared with the ordinary
fetches), in a distributed worker in the host's lease in Redis (distributed.HostLeases).

Memory is bounded: one browser context, at most two open pages, pages closed by scrapy-playwright
after each response (playwright_include_page is never set), media and fonts not downloaded.
Without a browser (no system Chromium, no Playwright download) nothing is rendered, and the
rules that need it report `not_measured`.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import glob
import hashlib
import json
import logging
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any, Iterator, Protocol

from scrapy.http import Request

from govaudit.crawler.soft404 import probe_url
from govaudit.extract.columns import PLATFORM_TEXT
from govaudit.extract.lists import script_filled
from govaudit.extract.page import view_page
from govaudit.model import UNCOUNTED_PURPOSES, Purpose
from govaudit.store import Store
from govaudit.urls import host_of, in_domains, normalize

log = logging.getLogger("govaudit.crawl")

RENDER_SLOT = "govaudit-render"  # renders get a download slot of their own (crawler/settings.py):
# it bounds the browser's pages; the host's own politeness is kept per HTTP request (HostGate)
MAX_TITLE_CHECKS = 100          # per unit
TITLE_CHECK_SKIP = ["gov.cn", "conac.cn"]   # + the unit's allow_domains and skip_hosts
SCREENSHOT_DIR = "screenshots"
MAX_LINKS = 3000


CONTEXT = {"viewport": {"width": 1366, "height": 900}, "ignore_https_errors": False, "java_script_enabled": True}
BROWSER_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
                "--disable-extensions", "--disable-sync", "--disable-default-apps", "--no-first-run",
                "--mute-audio", "--disable-component-update", "--disable-features=Translate,MediaRouter",
                "--js-flags=--max-old-space-size=256"]

# Computed visibility of every link, in the browser. Strong: no ordinary use on a link.
VISIBILITY_JS = r"""
(maxLinks) => {
  const W = Math.max(document.documentElement.scrollWidth, window.innerWidth);
  const sel = (el) => {
    const parts = []; let n = el;
    while (n && n.nodeType === 1 && n.tagName !== 'HTML' && n.tagName !== 'BODY' && parts.length < 5) {
      let p = n.tagName.toLowerCase();
      if (n.id) { parts.unshift(p + '#' + n.id); break; }
      if (n.classList && n.classList.length) p += '.' + Array.from(n.classList).slice(0, 3).join('.');
      const par = n.parentElement;
      if (par) { const same = Array.from(par.children).filter(c => c.tagName === n.tagName);
                 if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(n) + 1) + ')'; }
      parts.unshift(p); n = par;
    }
    return parts.join(' > ');
  };
  const transparent = (c) => !c || c === 'transparent' || /rgba\(.*,\s*0\)$/.test(c);
  const background = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      if (!transparent(s.backgroundColor)) return s.backgroundColor;
    }
    return 'rgb(255, 255, 255)';
  };
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (out.length >= maxLinks) break;
    const reasons = []; let strength = null;
    const strong = (r) => { reasons.push(r); strength = 'strong'; };
    const weak = (r) => { reasons.push(r); strength = strength || 'weak'; };
    const cs = getComputedStyle(a);
    const hasImg = !!a.querySelector('img,svg,canvas');
    const text = (a.innerText || a.textContent || '').trim();
    let rect = null;
    const rects = a.getClientRects();
    if (!rects.length) {
      weak('not rendered (display:none on the link or an ancestor)');
    } else {
      let box = a.getBoundingClientRect();
      for (const c of a.querySelectorAll('*')) {
        const r = c.getBoundingClientRect();
        if (r.width * r.height > box.width * box.height) box = r;
      }
      rect = {x: Math.round(box.left + scrollX), y: Math.round(box.top + scrollY),
              w: Math.round(box.width), h: Math.round(box.height)};
      if (cs.visibility !== 'visible') weak('visibility:' + cs.visibility);
      if ((text || hasImg) && (box.width <= 1 || box.height <= 1)) (hasImg ? weak : strong)('box ' + rect.w + 'x' + rect.h + ' px');
      if (rect.x + rect.w <= 0 || rect.y + rect.h <= 0 || rect.x >= W) strong('off-screen at ' + rect.x + ',' + rect.y);
      if (!hasImg && parseFloat(cs.fontSize) < 2) strong('font-size ' + cs.fontSize);
      let op = 1;
      for (let n = a; n && n.nodeType === 1; n = n.parentElement) op *= parseFloat(getComputedStyle(n).opacity || '1');
      if (op < 0.05) strong('opacity ' + op.toFixed(2));
      const bg = background(a);
      if (!hasImg && text && bg && cs.color === bg) strong('text colour equals background ' + bg);
      for (let n = a.parentElement; n && n.nodeType === 1 && n.tagName !== 'BODY'; n = n.parentElement) {
        const s = getComputedStyle(n);
        if (n.tagName === 'MARQUEE' && (n.clientHeight <= 5 || n.clientWidth <= 5)) { strong('tiny marquee'); break; }
        if (s.display !== 'inline' && (s.overflow.includes('hidden') || s.overflow.includes('clip'))
            && (n.clientHeight <= 1 || n.clientWidth <= 1)) {
          strong('clipped by ' + sel(n) + ' (' + n.clientWidth + 'x' + n.clientHeight + ' px, overflow hidden)'); break; }
      }
    }
    out.push({href: a.href, text: text.slice(0, 200), selector: sel(a), visible: reasons.length === 0,
              strength, reasons, rect});
  }
  return {links: out, title: document.title};
}
"""


# Wait (in the browser) until scripts stop changing the page: 3 quiet checks 250 ms apart,
# at most maxMs. A list filled by AJAX appears within this; a page that keeps changing (a
# ticker, a clock) is taken as it is at the end.
SETTLE_JS = r"""
async (maxMs) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const size = () => (document.body ? document.body.innerHTML.length : 0);
  let last = size(), quiet = 0, waited = 0;
  while (waited < maxMs && quiet < 3) {
    await sleep(250); waited += 250;
    const now = size();
    if (now === last) { quiet++; } else { quiet = 0; last = now; }
  }
  return waited;
}
"""
SETTLE_MS = 5000


async def settle(page: Any, max_ms: int) -> int:
    """SETTLE_JS for a crawl's render: wait until the page's DOM has not changed for 3 ticks of 250
    ms and none of its requests waits for its host's turn or is on its way (gate_page), at most
    max_ms of changes plus as long again of waiting for turns. A list's AJAX held back by the gate
    left the DOM quiet, and the DOM's quiet alone was taken for the end: the page closed before
    the list came (tests/test_render_politeness.py)."""
    turns = getattr(page, "govaudit_turns", None) or (lambda: 0)
    size = "() => document.body ? document.body.innerHTML.length : 0"
    last, quiet, waited, held = await page.evaluate(size), 0, 0, 0
    while waited < max_ms and held < max_ms and quiet < 3:
        await asyncio.sleep(0.25)
        now = await page.evaluate(size)
        if turns():
            held += 250
            quiet = 0
        else:
            waited += 250
            quiet = quiet + 1 if now == last else 0
        last = now
    return waited + held


def find_browser() -> str | None:
    """The Chromium executable to use: GOVAUDIT_CHROMIUM, the system's, or Playwright's download."""
    env = os.environ.get("GOVAUDIT_CHROMIUM")
    if env:
        return env if os.path.exists(env) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or os.path.expanduser("~/.cache/ms-playwright")
    found = sorted(glob.glob(os.path.join(root, "chromium-*", "chrome-linux*", "chrome")))
    return found[-1] if found else None


def render_dom(url: str, timeout: float = 30.0) -> bytes:
    """The DOM Chromium builds for `url` (http(s) or file://), after scripts settle, as UTF-8 HTML:
    what the crawler stores for a script-filled list. For `govaudit inspect --render`."""
    from playwright.sync_api import Error, sync_playwright  # optional: loaded only when a page is rendered

    browser_path = find_browser()
    if browser_path is None:
        raise RuntimeError("no Chromium found (install chromium or set GOVAUDIT_CHROMIUM)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=BROWSER_ARGS, headless=True)
        try:
            page = browser.new_context(**CONTEXT).new_page()
            page.goto(url, wait_until="load", timeout=timeout * 1000)
            page.evaluate(SETTLE_JS, SETTLE_MS)
            return page.content().encode("utf-8")
        except Error as e:
            raise RuntimeError(f"cannot render {url}: {str(e).splitlines()[0]}") from None
        finally:
            browser.close()


def render_settings(defaults: dict[str, Any]) -> dict[str, Any]:
    """Scrapy settings that enable rendering (empty when disabled or no browser is installed)."""
    if not defaults.get("render", True):
        return {"GOVAUDIT_RENDER": False}
    browser = find_browser()
    if browser is None:
        log.warning("no Chromium found: pages are not rendered; rendering checks report not_measured")
        return {"GOVAUDIT_RENDER": False}
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    timeout_ms = int(defaults.get("timeout", 15) * 2000)
    return {
        "GOVAUDIT_RENDER": True,
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": browser, "headless": True, "args": BROWSER_ARGS,
                                      "timeout": timeout_ms},
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_ms,
        "PLAYWRIGHT_ABORT_REQUEST": "govaudit.crawler.render.abort_request",
    }


def abort_request(request: Any) -> bool:
    """Do not download media and fonts while rendering (memory and time)."""
    return request.resource_type in ("media", "font")


# -- requests -------------------------------------------------------------------------------------
def extra_requests(spider: Any, st: Any, response: Any, links: list[dict[str, Any]]) -> Iterator[Any]:
    """After an in-scope HTML page was parsed: the soft-404 probe of its host (once per host) and,
    for the home page, renders of the home page and of the disclosure platform entry."""

    probed: set[str] = st.__dict__.setdefault("probed_hosts", set())
    host = host_of(response.url)
    if host and host not in probed and st.in_scope(response.url):
        probed.add(host)
        url = probe_url(response.url, seed=f"{spider.run_id}:{st.unit.id}")
        if st.admit(url, response.meta["depth"], is_page=False):  # probes count against max_pages
            yield spider.make_request(url, st, response.meta["depth"], Purpose.SOFT404_PROBE, None)
    checked: set[str] = st.__dict__.setdefault("title_checked", set())
    never = [*TITLE_CHECK_SKIP, *st.unit.allow_domains, *(st.limits.get("skip_hosts") or [])]
    for ln in links:  # hidden off-site anchors: read the target's title once (what is it selling?)
        if ln["tag"] == "a" and ln["external"] and (ln.get("hints") or {}).get("hidden") \
                and st.limits.get("check_external", True) and ln["target"].startswith("http") \
                and ln["target"] not in checked and len(checked) < MAX_TITLE_CHECKS \
                and not in_domains(host_of(ln["target"]), never):
            checked.add(ln["target"])
            if st.admit(ln["target"], response.meta["depth"] + 1, is_page=False):
                yield spider.make_request(ln["target"], st, response.meta["depth"] + 1, Purpose.TITLE_CHECK, response.url)
    if response.meta.get("purpose") != "home":
        return
    https = "https://" + response.url[len("http://"):]
    if response.url.startswith("http://") and st.admit(https, 0, is_page=False):  # HTTPS too? (site.https)
        yield spider.make_request(https, st, response.meta["depth"], Purpose.HTTPS_PROBE, None)
    if not spider.settings.getbool("GOVAUDIT_RENDER") or not st.limits.get("render", True):
        return  # no browser, or rendering switched off (globally or in this unit's overrides)
    targets = [response.url]

    for ln in links:
        if ln["tag"] == "a" and PLATFORM_TEXT.search(ln.get("text") or "") and ln["target"].startswith("http") \
                and st.in_scope(ln["target"]) and normalize(ln["target"]) != normalize(response.url):
            targets.append(ln["target"])
            break
    for url in targets:
        yield render_request(spider, st, url, response.meta["depth"])


def list_render_requests(spider: Any, st: Any, response: Any, view: Any, links: list[dict[str, Any]]) -> Iterator[Any]:
    """A render of a crawled page whose list looks script-filled (at most max_list_renders a unit)."""
    if not spider.settings.getbool("GOVAUDIT_RENDER") or not st.limits.get("render", True):
        return
    reason = script_filled(view.root, response.url)
    if reason is None:
        return
    done: list[str] = st.__dict__.setdefault("list_renders", [])
    limit = st.limits.get("max_list_renders", 20)
    if len(done) >= limit or (st.shared is not None and not st.shared.take(st.unit.id, "list_renders", limit)):
        st.hit("max_list_renders")
        log.info("%s: %s looks script-filled (%s) but max_list_renders is reached", st.unit.id, response.url, reason)
        return
    done.append(response.url)
    log.info("%s: rendering %s: its list looks script-filled (%s)", st.unit.id, response.url, reason)
    yield render_request(spider, st, response.url, response.meta["depth"], list_reason=reason,
                         known_links=sorted({ln["target"] for ln in links}))


def render_request(spider: Any, st: Any, url: str, depth: int, list_reason: str | None = None,
                   known_links: list[str] | None = None) -> Any:
    """A render of `url`: link visibility and a screenshot; for a list (list_reason given) the
    browser first waits until scripts stop changing the page, and the DOM is kept."""
    from scrapy_playwright.page import PageMethod  # optional: loaded only when a page is rendered


    out = output_dir(spider.settings)
    name = f"{st.unit.id}-{hashlib.sha1(url.encode()).hexdigest()[:12]}.jpg"
    (out / SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
    settling = [PageMethod(settle, SETTLE_MS)] if list_reason else []
    extra = {"list_render": list_reason, "known_links": known_links or []} if list_reason else {}
    return spider.make_request(
        url, st, depth, Purpose.RENDER, None, playwright=True, playwright_context="render",
        # its own download slot, not the site's, and no AutoThrottle on it (crawler/settings.py)
        download_slot=RENDER_SLOT, autothrottle_dont_adjust_delay=True,
        # the context (and the browser) is created by the first render, not at crawl start
        playwright_context_kwargs=CONTEXT,
        # every HTTP request of the browser waits for its host's turn (politeness, see HostGate)
        playwright_page_init_callback="govaudit.crawler.render.gate_page",
        playwright_page_goto_kwargs={"wait_until": "load"},
        playwright_page_methods=[*settling, PageMethod("evaluate", VISIBILITY_JS, MAX_LINKS),
                                 PageMethod("screenshot", path=str(out / SCREENSHOT_DIR / name), full_page=True,
                                            type="jpeg", quality=60)],
        screenshot=f"{SCREENSHOT_DIR}/{name}", **extra)


# -- responses ------------------------------------------------------------------------------------
def render_item(spider: Any, st: Any, response: Any) -> dict[str, Any]:
    meta = response.meta
    results = [getattr(m, "result", None) for m in meta.get("playwright_page_methods") or []]
    result = next((r for r in results if isinstance(r, dict) and "links" in r), {"links": [], "title": ""})
    return {"kind": "render", "run_id": spider.run_id, "unit_id": st.unit.id, "url": normalize(response.request.url),
            "final_url": response.url, "status": response.status, "screenshot": meta.get("screenshot"),
            "fetched_at": _now(), "elapsed": round(time.time() - meta["started_at"], 3), "error": None,
            "title": (result.get("title") or "")[:500], "links": result.get("links") or []}


def rendered_list_items(spider: Any, st: Any, response: Any) -> Iterator[Any]:
    """The DOM a browser built for a script-filled list, as a page row (purpose 'rendered'), and
    requests for the links the script wrote (those not already on the page's HTML)."""
    body = response.text.encode("utf-8")  # re-encoded: the DOM's own <meta charset> may say GBK
    ctype = "text/html; charset=utf-8"
    view = view_page(body, response.url, ctype)
    meta = response.meta
    links: list[dict[str, Any]] = []
    yield from spider.follow(st, view, response.url, meta["depth"], links, known=set(meta.get("known_links") or []))
    item = spider.page_item(response, st)
    shot = output_dir(spider.settings) / (meta.get("screenshot") or "-")
    item.update(url=normalize(response.request.url), purpose=Purpose.RENDERED, body=body, size=len(body),
                sha256=hashlib.sha256(body).hexdigest(), content_type=ctype, encoding="utf-8",
                title=view.title[:500], rendered=1, screenshot=meta["screenshot"] if shot.is_file() else None,
                note=f"rendered in Chromium: {meta['list_render']}", links=links)
    yield item


def render_failed_item(spider: Any, st: Any, request: Any, reason: str, failure: Any = None) -> dict[str, Any]:
    text = str(getattr(failure, "value", "") or "")
    net = re.search(r"net::ERR_[A-Z_]+", text)  # the browser's own reason (ERR_CERT_… for site.https)
    if net:
        reason = f"{reason} ({net.group(0)})"
    log.warning("%s: rendering %s failed: %s", st.unit.id, request.url, reason)
    return {"kind": "render", "run_id": spider.run_id, "unit_id": st.unit.id, "url": normalize(request.url),
            "final_url": request.url, "status": None, "screenshot": None, "fetched_at": _now(),
            "elapsed": round(time.time() - request.meta["started_at"], 3), "error": reason, "title": None,
            "links": []}


# -- politeness of the browser ---------------------------------------------------------------------
class HostGate(Protocol):
    """A host's turn for one HTTP request: waits for the host's concurrency (and, when paced, its
    delay), holds a place until released. SlotGate in one process, the Redis host lease in
    distributed workers."""

    async def acquire(self, url: str, paced: bool = True) -> Any: ...

    def release(self, token: Any) -> None: ...


_GATE: HostGate | None = None  # one crawl per process: set by its RenderPipeline or the worker's lease middleware
# The browser's requests that keep the host's delay too: the page and what its scripts ask the
# server for. Static files (images, styles, scripts, fonts) keep only its concurrency: a page with
# 50 of them would otherwise take 50 delays (with AutoThrottle, minutes) and its render time out.
PACED_TYPES = frozenset({"document", "xhr", "fetch", "eventsource", "websocket"})


def set_gate(gate: HostGate | None) -> None:
    global _GATE
    _GATE = gate


async def gate_page(page: Any, request: Any) -> None:
    """scrapy-playwright page init callback of every render: each request the browser makes for
    the page waits for its host's turn and holds it until answered, so a render counts against the
    host's concurrency like any fetch, and its page and AJAX requests against its delay too
    (PACED_TYPES). Registered after scrapy-playwright's own route, so it runs first and then falls
    back to it."""
    gate = _GATE
    if gate is None:
        return
    held: dict[Any, Any] = {}
    waiting = [0]
    page.govaudit_turns = lambda: waiting[0] + len(held)  # settle(): this page's requests not done

    async def route(rt: Any, req: Any) -> None:
        if req.url.startswith(("http://", "https://")) and not page.is_closed():
            waiting[0] += 1
            try:
                held[req] = await gate.acquire(req.url, req.resource_type in PACED_TYPES)
            finally:
                waiting[0] -= 1
        try:
            await rt.fallback()
        except Exception:  # noqa: BLE001 — whatever failed, the turn is given back below
            done(req)
        if page.is_closed():  # closed while this request waited (a navigation timeout): Playwright
            done(req)         # ignores the fallback and fires no event for it any more

    def done(req: Any) -> None:
        token = held.pop(req, None)
        if token is not None:
            gate.release(token)

    def closed(*_: Any) -> None:
        for req in list(held):
            done(req)

    page.on("requestfinished", done)
    page.on("requestfailed", done)
    page.on("close", closed)
    await page.route("**", route)


SEND_PAD = 0.2     # seconds: a granted browser request leaves later (Playwright's route): the next start waits more


class SlotGate:
    """One process: the browser's requests take turns in their host's own Scrapy download slot
    (the slot of the unit's ordinary fetches, with its concurrency and delay). While a browser
    request waits, a blocker stands in the slot's transfers: Scrapy, which hands each freed place
    to its own queue at once, then sees the slot full, so the next place goes to the browser (a
    page's AJAX would otherwise wait behind a busy host's fetches until its render timed out). A
    granted request books the slot's next start (lastseen), so Scrapy's next request waits after
    it. Uses the downloader's slots (`_get_slot`, `_process_queue`): Scrapy has no public API to
    take a slot's turn from outside the downloader."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.waiting: dict[Any, int] = {}    # slot -> browser requests waiting for a place in it
        self.blockers: dict[Any, Any] = {}   # slot -> the stand-in that keeps Scrapy out meanwhile

    def _block(self, slot: Any) -> None:
        if slot not in self.blockers:
            blocker = Request("about:blank#govaudit-gate")
            self.blockers[slot] = blocker
            slot.transferring.add(blocker)
            slot.active.add(blocker)  # an active slot is not garbage-collected meanwhile

    def _unblock(self, slot: Any, downloader: Any) -> None:
        blocker = self.blockers.pop(slot, None)
        if blocker is not None:
            slot.transferring.discard(blocker)
            slot.active.discard(blocker)
            downloader._process_queue(slot)  # the place the blocker kept may go to Scrapy now

    async def acquire(self, url: str, paced: bool = True) -> Any:
        downloader = self.crawler.engine.downloader
        probe = Request(url)  # no download_slot meta: the slot its host's ordinary requests use
        _, slot = downloader._get_slot(probe)
        self.waiting[slot] = self.waiting.get(slot, 0) + 1
        self._block(slot)
        try:
            while True:
                busy = len(slot.transferring) - (slot in self.blockers)
                if busy < slot.concurrency:  # a place is free: it is the browser's, Scrapy was kept out
                    break
                await asyncio.sleep(0.01)
        finally:
            self.waiting[slot] -= 1
            if not self.waiting[slot]:
                del self.waiting[slot]
                self._unblock(slot, downloader)
        slot.transferring.add(probe)
        slot.active.add(probe)
        if paced:  # book the next start now, so that Scrapy's queue cannot take it meanwhile
            now = time.monotonic()  # Scrapy's slots keep lastseen on the monotonic clock
            start = max(now, slot.lastseen + slot.download_delay())
            slot.lastseen = start + SEND_PAD
            if start > now:
                await asyncio.sleep(start - now)
        return downloader, slot, probe

    def release(self, token: Any) -> None:
        downloader, slot, probe = token
        slot.transferring.discard(probe)
        slot.active.discard(probe)
        downloader._process_queue(slot)  # a request of the host may be waiting for this place


def output_dir(settings: Any) -> Path:
    """Where screenshots go: the store's folder, or (a distributed worker) GOVAUDIT_OUT_DIR."""
    out = settings.get("GOVAUDIT_OUT_DIR")
    return Path(out) if out else Path(settings.get("GOVAUDIT_STORE") or ".").resolve().parent


class RenderPipeline:
    """Stores render items (the ordinary StorePipeline ignores them). Runs before StorePipeline,
    so its close_spider runs after StorePipeline's: the pages rows exist when screenshots are linked."""

    def __init__(self, store_path: str) -> None:
        self.store_path = store_path
        self.items: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RenderPipeline":
        # the one per-crawl component of rendering: it also installs the browser's politeness
        # GOVAUDIT_RENDER_GATE=1: the browser's requests take turns in their host's download slot.
        # Off by default: on a busy host (the budget test's 20,000-page archive, a loaded machine)
        # a script-filled list's render still timed out waiting for its turns, and the list read as
        # blank (bench/RESULTS.md, session 6). Distributed workers always gate (Redis leases).
        gate = crawler.settings.getbool("GOVAUDIT_RENDER") and os.environ.get("GOVAUDIT_RENDER_GATE") == "1"
        set_gate(SlotGate(crawler) if gate else None)
        return cls(crawler.settings.get("GOVAUDIT_STORE"))

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        if item.get("kind") == "render":
            self.items.append(item)
            return {}
        return item

    def close_spider(self, spider: Any = None) -> None:
        if not self.items or not self.store_path:
            return
        out = Path(self.store_path).resolve().parent
        for it in self.items:
            if it["error"] is None and it["screenshot"] and not (out / it["screenshot"]).exists():
                it["screenshot"] = None  # the browser failed to write it: no dangling reference
        store = Store(self.store_path)
        try:
            store.write_renders(self.items)
        finally:
            store.close()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
