"""interp.* on the demo portal: every planted case found, nothing else, and the pair table."""
from __future__ import annotations

from govaudit.demo.verify import compare
from govaudit.extract.workdays import covered_years
from tests.conftest import demo_problems, read_findings


def test_every_planted_interp_case_found_and_nothing_else(demo_audit):
    expected, got = demo_problems(demo_audit, "interp.")
    assert {e["rule"] for e in expected} == {"interp.unlinked", "interp.late", "interp.missing"}
    missing, unexpected = compare(expected, got)
    assert missing == [], missing
    assert unexpected == [], unexpected


def _table(out):
    [fd] = [f for f in read_findings(out) if f["rule"] == "interp.form-diversity"]
    return fd


def test_every_form_is_counted(demo_audit):
    fd = _table(demo_audit)
    assert fd["outcome"] == "pass"
    assert all(fd["data"]["counts"][form] >= 1 for form in ("graphic", "video", "qa", "h5", "text"))


def test_pair_table_lists_method_gap_and_form(demo_audit):
    pairs = {p["interp"]["url"].split("/")[-1]: p for p in _table(demo_audit)["data"]["interpretations"]}
    # titles differ in punctuation (“” vs ""), linked both ways
    assert pairs["i1.html"]["method"] == "link-both" and '"十四五"' in pairs["i1.html"]["interp"]["title"]
    assert "“十四五”" in pairs["i1.html"]["doc"]["title"]
    # across a public holiday: late in working days, and a look-alike on time in working days
    late, on_time = pairs["i6.html"], pairs["i7.html"]
    assert late["gap_workdays"] == 5 and late["gap_days"] > late["gap_workdays"]
    assert on_time["gap_days"] > 3 >= on_time["gap_workdays"]
    assert pairs["i5.html"]["method"] == "link-interp-to-doc" and pairs["i5.html"]["form"] == "h5"
    assert all(p["doc"] for p in pairs.values())
    # every gap is measured where the holiday calendar covers both dates (not_measured beyond it)
    first, last = covered_years()
    for p in pairs.values():
        years = {int(p["interp"]["date"][:4]), int(p["doc"]["date"][:4])}
        assert (p["gap_workdays"] is not None) == all(first <= y <= last for y in years)
