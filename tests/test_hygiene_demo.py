"""Link hygiene, site and content rules on the demo portal: every planted case found, no look-alike
flagged, rendered findings carry the screenshot and the element's selector."""
from __future__ import annotations

from urllib.parse import urlsplit

from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings

RULES = ("link.soft-404", "link.hidden", "link.illegal", "site.", "content.illegal-text", "content.future-date",
         "content.obsolete-name")


def test_planted_cases_found_and_look_alikes_silent(demo_audit):
    for prefix in RULES:
        expected, got = demo_problems(demo_audit, prefix)
        missing, unexpected = compare(expected, got)
        assert missing == [], (prefix, missing)
        assert unexpected == [], (prefix, unexpected)
    expected, _ = demo_problems(demo_audit, "link.hidden")
    assert len(expected) >= 3


def test_rendered_hidden_link_has_screenshot_and_selector(demo_audit):
    home = [f for f in read_findings(demo_audit) if f["rule"] == "link.hidden" and f["outcome"] == "fail"
            and urlsplit(f["url"]).path == "/"]
    assert len(home) == 1, home
    f = home[0]
    assert f["data"]["rendered"] is True
    assert any(r.startswith("rendered: off-screen") for r in f["data"]["reasons"])
    ev = f["evidence"][0]
    assert ev["selector"] and ev["screenshot"].startswith("screenshots/")
    assert (demo_audit / ev["screenshot"]).stat().st_size > 1000


def test_look_alikes_are_not_flagged(demo_audit):
    findings = read_findings(demo_audit)
    flagged = {f["url"] for f in findings if f["outcome"] in ("fail", "needs_review")}
    for path in ("/zwdt/hygiene/t3.html", "/zwdt/hygiene/t4.html", "/tzgg/hygiene/t6.html", "/tzgg/hygiene/t8.html",
                 "/tzgg/hygiene/t9.html"):
        assert not any(u.endswith(path) for u in flagged), path
    hidden_targets = {f["target"] for f in findings if f["rule"] == "link.hidden"}
    assert not any("conac.cn" in (t or "") or (t or "").endswith(("/tzgg/index.html", "/xxgk/zn/index.html"))
                   for t in hidden_targets)


def test_renders_stored_and_linked_to_the_pages(demo_audit):
    import sqlite3

    db = sqlite3.connect(str(demo_audit / "govaudit.sqlite"))
    try:
        renders = db.execute("SELECT url, status, screenshot, error, link_count FROM renders").fetchall()
        # the home page, the platform entry and the four script-filled lists of the platform section
        assert len(renders) == 6 and all(r[1] == 200 and r[2] and r[3] is None and r[4] > 5 for r in renders)
        home = db.execute("SELECT screenshot, rendered FROM pages WHERE purpose='home'").fetchone()
        assert home[0] and home[0].startswith("screenshots/") and home[1] == 1
        hidden = db.execute("SELECT href, reasons FROM rendered_links WHERE visible=0 AND href LIKE '%casino%'").fetchall()
        assert len(hidden) == 1 and "off-screen" in hidden[0][1]
        probes = db.execute("SELECT purpose, status, reason FROM pages WHERE purpose IN ('soft404-probe','https-probe')").fetchall()
        assert ("soft404-probe", 404, None) in probes and any(p[0] == "https-probe" and p[2] for p in probes)
    finally:
        db.close()
