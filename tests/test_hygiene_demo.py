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
