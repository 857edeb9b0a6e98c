"""doc.metadata on the demo portal: the one finding names exactly the planted documents per defect."""
from __future__ import annotations

from urllib.parse import urlsplit

from govaudit.demo.sections.doc_meta import PLANTS
from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings


def test_the_planted_documents_and_only_they_are_reported_per_defect(demo_audit):
    expected, got = demo_problems(demo_audit, "doc.")
    assert [e["rule"] for e in expected] == ["doc.metadata"]
    missing, unexpected = compare(expected, got)
    assert missing == [] and unexpected == [], (missing, unexpected)
    [f] = [f for f in read_findings(demo_audit) if f["rule"] == "doc.metadata"]
    reported: dict[str, set[str]] = {}
    for kind, examples in f["data"]["examples"].items():
        for e in examples:
            reported.setdefault(urlsplit(e["url"]).path, set()).add(kind)
    assert reported == {path: set(kinds) for path, kinds in PLANTS.items()}
    assert f["data"]["documents_with_defects"] == len(PLANTS)
    # every other policy document of the portal (interp, safety, platform columns and the look-alikes of
    # the 部门文件 column) has a complete block: the chrome's table or the section's own markups
    assert f["data"]["documents"] >= len(PLANTS) + 3 + 20
    dup = f["data"]["examples"]["index_duplicate"][0]
    assert dup["others"] and urlsplit(dup["others"][0]["url"]).path in PLANTS
    assert f["evidence"] and all(ev.get("snippet") for ev in f["evidence"])
