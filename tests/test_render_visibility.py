"""The in-browser visibility verdicts (crawler/render.py VISIBILITY_JS) on a fixture page, in the
real Chromium through Playwright. Skipped when no browser is installed."""
from __future__ import annotations

import pytest

from govaudit.crawler.render import BROWSER_ARGS, MAX_LINKS, VISIBILITY_JS, find_browser, render_settings

PAGE = """<!DOCTYPE html><html><head><style>
.tabs .off{display:none} .tiny{font-size:0} .far{position:absolute;left:-5000px}
.clip{height:0;overflow:hidden} .ghost{opacity:0} .white{color:#fff}
</style></head><body style="background:#fff">
<a id="ok" href="http://ok.example/">正常链接</a>
<ul class="tabs"><li class="off"><a id="tab" href="/tab.html">标签页</a></li></ul>
<a id="tiny" class="tiny" href="http://tiny.example/">小字</a>
<div class="far"><a id="far" href="http://far.example/">屏幕外</a></div>
<div class="clip"><a id="clip" href="http://clip.example/">裁剪</a></div>
<a id="ghost" class="ghost" href="http://ghost.example/">透明</a>
<a id="white" class="white" href="http://white.example/">白字</a>
<a id="empty" href="http://empty.example/"></a>
<span style="overflow:hidden"><a id="inl" href="http://inline.example/">行内</a></span>
<script>document.write('<a id="js" href="http://js.example/" style="visibility:hidden">脚本</a>');</script>
</body></html>"""


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict]:
    browser_path = find_browser()
    if browser_path is None:
        pytest.skip("no Chromium installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=BROWSER_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.set_content(PAGE)
            result = page.evaluate(VISIBILITY_JS, MAX_LINKS)
            page.close()
        finally:
            browser.close()
    return {ln["selector"].split("#")[-1]: ln for ln in result["links"]}


def test_visible_link_is_visible(verdicts: dict[str, dict]) -> None:
    assert verdicts["ok"]["visible"] and verdicts["ok"]["rect"]["w"] > 10


def test_empty_anchor_and_inline_overflow_are_not_hiding(verdicts: dict[str, dict]) -> None:
    assert verdicts["empty"]["visible"] and verdicts["inl"]["visible"], (verdicts["empty"], verdicts["inl"])


def test_hidden_tab_is_weak(verdicts: dict[str, dict]) -> None:
    assert verdicts["tab"]["visible"] is False and verdicts["tab"]["strength"] == "weak"


@pytest.mark.parametrize("key,word", [("tiny", "font-size"), ("far", "off-screen"), ("clip", "clipped"),
                                      ("ghost", "opacity"), ("white", "colour")])
def test_strong_hiding_techniques(verdicts: dict[str, dict], key: str, word: str) -> None:
    v = verdicts[key]
    assert v["visible"] is False and v["strength"] == "strong"
    assert any(word in r for r in v["reasons"]), v["reasons"]


def test_script_written_link_is_judged(verdicts: dict[str, dict]) -> None:
    assert verdicts["js"]["visible"] is False and "visibility:hidden" in verdicts["js"]["reasons"]


def test_settings_bound_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAUDIT_CHROMIUM", "/nonexistent/chromium")
    assert render_settings({"timeout": 15}) == {"GOVAUDIT_RENDER": False}
    assert render_settings({"render": False}) == {"GOVAUDIT_RENDER": False}
    if find_browser.__module__ and (path := __import__("shutil").which("chromium")):
        monkeypatch.setenv("GOVAUDIT_CHROMIUM", path)
        s = render_settings({"timeout": 15})
        assert s["PLAYWRIGHT_MAX_CONTEXTS"] == 1 and s["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] <= 2
        assert "--no-sandbox" in s["PLAYWRIGHT_LAUNCH_OPTIONS"]["args"]
