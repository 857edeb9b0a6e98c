"""The HTML report: crawled strings stay inert in a real browser; data renders generically; the
portfolio ranks units and shows what changed since the previous run."""
from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.model import Finding
from govaudit.reports.collect import collect
from govaudit.reports.html import data_blocks, write_html
from tests.test_report_kit import XSS, broken, ev, home_body, make_store


def xss_findings(uid: str) -> list[Finding]:
    home = f"http://{uid}.example.gov.cn/"
    return [
        Finding(rule="link.broken", item="8.6.2", outcome="fail", unit=uid, url=home, target="javascript:alert(1)",
                message=f"首页链接失效：{XSS}", data={"on_home": True, "anchor": XSS, "list": [{"name": XSS, "url": "javascript:alert(3)"}]},
                evidence=[ev(home, home_body(uid), snippet=f"<a href='/x'>{XSS}</a>", selector=XSS, note=XSS)]),
        broken(uid, 2, False, text=XSS),
    ]


def test_script_in_anchor_text_renders_inert_in_a_real_browser(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = Path("/usr/bin/chromium")
    if not exe.exists():
        pytest.skip("no system chromium")
    store, rid = make_store(tmp_path, {"evil": xss_findings("evil"), "ok": [broken("ok", 1, True)]})
    store.update_unit(rid, "evil", name="某局" + XSS)          # a unit name from a crawled title
    write_html(collect(store, rid), tmp_path)
    store.close()
    pages = [tmp_path / "report.html", tmp_path / "units" / "evil.html"]
    for p in pages:
        html = p.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned" in html
        assert 'href="javascript:' not in html
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for p in pages:
                page.goto(p.as_uri())
                page.wait_for_load_state("load")
                assert page.evaluate("typeof window.__pwned") == "undefined"
                assert page.locator("script").count() == 0
                assert "<script>window.__pwned = 1</script>" in page.inner_text("body")   # shown as text
                assert page.locator("a[href^='javascript']").count() == 0
            assert dialogs == []
        finally:
            browser.close()


def test_unit_page_shows_scores_evidence_lists_and_not_measured(tmp_path):
    store, rid = make_store(tmp_path)
    write_html(collect(store, rid), tmp_path)
    store.close()
    html = (tmp_path / "units" / "a.html").read_text(encoding="utf-8")
    assert "8.6.2" in html and "link.broken" in html and "column.stale" in html      # rule ids visible
    assert 'id="item-8.6.2"' in html and "sha256" in html and "抓取于" in html
    assert "政府信息公开指南" in html and "最新日期" in html                              # the rule's list, as a table
    assert "未能检测" in html and "guide.incomplete" in html
    assert "<svg" in html and "http://" not in html.split("<body>")[0].replace("http-equiv", "")  # no CDN in head
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "单位排名" in report and "units/a.html" in report and "测试单位a" in report


def test_data_of_unknown_shape_renders_as_tables_or_json():
    blocks = data_blocks({"count": 3, "ok": False, "tags": ["a", "b"], "rows": [{"x": 1}, {"y": "http://e.gov.cn/"}],
                          "by_year": {"2024": {"ok": True}}, "deep": {"a": [1, {"b": 2}]}})
    kinds = [b["kind"] for b in blocks]
    assert kinds == ["kv", "table", "table"]
    kv = dict(blocks[0]["rows"])
    assert kv["count"]["text"] == "3" and kv["ok"]["cls"] == "bad" and kv["tags"]["text"] == "a、b"
    assert kv["deep"]["cls"] == "json"
    assert blocks[1]["cols"] == ["x", "y"] and blocks[1]["rows"][1][1]["href"] == "http://e.gov.cn/"
    assert data_blocks([1, 2])[0]["kind"] == "json" and data_blocks(None) == []


def test_portfolio_ranks_units_and_shows_changes_since_previous_run(tmp_path):
    store, _ = make_store(tmp_path, {"a": [broken("a", 1, True), broken("a", 2, False)], "b": []},
                          run_id="run1", started_offset=1)
    store.close()
    store, rid = make_store(tmp_path, {"a": [broken("a", 2, False), broken("a", 3, False)],
                                       "b": [broken("b", 1, True)] * 1 + [broken("b", i, False) for i in range(2, 40)]},
                            run_id="run2", started_offset=2)
    p = collect(store, rid)
    write_html(p, tmp_path)
    store.close()
    a = next(u for u in p.units if u.id == "a")
    assert [len(a.changes[k]) for k in ("new", "fixed", "open")] == [1, 1, 1] and a.previous_run == "run1"
    assert [u.id for u in p.ranked()] == ["a", "b"]
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert report.index("测试单位a") < report.index("测试单位b")
    assert "新 1 · 消除 1" in report
    unit = (tmp_path / "units" / "a.html").read_text(encoding="utf-8")
    assert "与上次检查相比" in unit and "run1" in unit


def test_unreachable_unit_is_flagged_and_not_ranked_as_perfect(tmp_path):
    down = [Finding(rule=r, item=i, outcome="not_measured", unit="down", url="http://down.example.gov.cn/",
                    message="未能检测：首页无法访问（timeout）") for r, i in
            (("link.broken", "8.6.2"), ("report.missing", "8.2.6"), ("guide.missing", "8.2.7"))]
    down.append(Finding(rule="site.unavailable", item="8.6.1", outcome="fail", unit="down",
                        url="http://down.example.gov.cn/", message="首页无法访问（timeout）"))
    store, rid = make_store(tmp_path, {"ok": [broken("ok", 1, True)], "down": down})
    store.update_unit(rid, "down", status="unreachable")
    p = collect(store, rid)
    write_html(p, tmp_path)
    store.close()
    assert [u.id for u in p.ranked()] == ["ok", "down"]
    s = next(u for u in p.units if u.id == "down").scores["standard"]
    assert s.unmeasured == 3 and s.provisional == 100 - 15 - 5 - 4 - 5  # 8.6.2, 8.2.6, 8.2.7 at 0; 8.6.1 lost
    page = (tmp_path / "units" / "down.html").read_text(encoding="utf-8")
    assert "首页无法访问" in page and "未能检测 3 项" in page


def test_pages_are_self_contained(tmp_path):
    store, rid = make_store(tmp_path)
    write_html(collect(store, rid), tmp_path)
    store.close()
    for p in [tmp_path / "report.html", *(tmp_path / "units").glob("*.html")]:
        html = p.read_text(encoding="utf-8")
        assert "<script" not in html and "<link" not in html and "@import" not in html
        assert 'src="http' not in html and "url(http" not in html
        assert "Content-Security-Policy" in html
