"""Reader safety: strings from a crawled site (titles, anchor texts, URLs, snippets) stay inert in
report.html and findings.json. One audit of a hostile fixture site through the CLI."""
from __future__ import annotations

import json

import pytest
from lxml import html as lhtml

from tests.conftest import read_findings, run_cli
from tests.fixtures.server import FixtureServer

XSS_TEXT = "<script>alert('anchor')</script>"
IMG_TEXT = "<img src=x onerror=alert('img')>"


@pytest.fixture(scope="module")
def hostile_audit(tmp_path_factory):
    out = tmp_path_factory.mktemp("reader")
    with FixtureServer() as s:
        s.route("/", body=(
            "<html><head><title><script>alert('title')</script></title></head><body>"
            "<a href='/gone1'>&lt;script&gt;alert('anchor')&lt;/script&gt;</a>"
            "<a href='/gone2'>&lt;img src=x onerror=alert('img')&gt;</a>"
            "<a href='/gone3\"><script>alert(\"url\")</script>'>坏链接</a>"
            "<a href=\"javascript:alert('js')\">js</a>"
            "<a href='/jump'>跳转</a>"
            "<a href='/gone4' title='\" onmouseover=\"alert(1)'>属性</a>"
            "</body></html>").encode(), headers={"Content-Type": "text/html; charset=utf-8"})
        s.redirect("/jump", "javascript:alert('redirect')")
        for p in ("/gone1", "/gone2", "/gone4"):
            s.page(p, "gone", status=404)
        s.route("/gone3", status=404, prefix=True)
        proc = run_cli("audit", s.url("/"), "--out", str(out), "--delay", "0", "--no-autothrottle", timeout=240)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return out


def test_findings_carry_the_hostile_strings_as_data(hostile_audit):
    raw = (hostile_audit / "findings.json").read_text(encoding="utf-8")
    data = json.loads(raw)  # valid JSON whatever the site said
    findings = read_findings(hostile_audit)
    broken = [f for f in findings if f["rule"] == "link.broken" and f["outcome"] == "fail"]
    messages = " ".join(f["message"] for f in broken)
    assert XSS_TEXT in messages and IMG_TEXT in messages  # kept as data, not dropped
    assert data["tool"] == "govaudit"
    # URLs are normalised: quotes and angle brackets are percent-encoded in targets
    for f in findings:
        for value in (f["url"], f["target"]):
            assert value is None or not any(c in value for c in '<>"\' '), value


def test_report_has_no_active_content_from_the_site(hostile_audit):
    doc = lhtml.fromstring((hostile_audit / "report.html").read_bytes())
    for script in doc.iter("script"):
        assert "alert" not in (script.text or ""), script.text
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name, value)
            if name.lower() in ("href", "src", "action", "formaction", "data", "srcdoc"):
                assert not value.strip().lower().startswith(("javascript:", "data:text/html", "vbscript:")), value
    assert not any(el.tag == "img" and el.get("src") == "x" for el in doc.iter("img"))
    text = doc.text_content()
    assert XSS_TEXT in text  # shown to the reader, as text


def test_javascript_redirect_recorded_not_followed(hostile_audit):
    import sqlite3

    db = sqlite3.connect(hostile_audit / "govaudit.sqlite")
    row = db.execute("SELECT reason FROM pages WHERE url LIKE '%/jump'").fetchone()
    db.close()
    assert row[0] == "redirect to unsupported scheme"
