"""link.broken on the demo portal: every planted broken link, and nothing else."""
from __future__ import annotations

from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings


def test_every_planted_broken_link_found_and_nothing_else(demo_audit):
    expected, got = demo_problems(demo_audit, "link.broken")
    assert len(expected) >= 9
    missing, unexpected = compare(expected, got)
    assert missing == [], missing
    assert unexpected == [], unexpected


def test_home_page_and_other_pages_counted_apart(demo_audit):
    _, got = demo_problems(demo_audit, "link.broken")
    home = [f for f in got if f["data"]["on_home"]]
    assert len(home) == 1 and home[0]["target"].endswith("/zt/2023/index.html")
    assert all(not f["data"]["on_home"] for f in got if f not in home)


def test_findings_carry_evidence_and_fingerprints(demo_audit):
    for f in read_findings(demo_audit):
        if f["rule"] == "link.broken" and f["outcome"] == "fail":
            assert f["fingerprint"] and len(f["fingerprint"]) == 20
            src = f["evidence"][0]
            assert src["url"] == f["url"] and src["sha256"] and src["fetched_at"] and src["status"] == 200
            assert f["evidence"][1]["url"] == f["target"]


def test_demo_exit_code_says_planted_defects_all_found(demo_audit):
    text = (demo_audit / "stdout.txt").read_text()
    assert "findings not planted: 0" in text and text.rstrip().endswith("EXIT 0")
