"""interact.* on the demo portal: every planted case found and nothing else; the messages stored."""
from __future__ import annotations

import sqlite3

from govaudit.demo.verify import compare
from tests.conftest import demo_problems, read_findings


def test_interact_planted_and_nothing_else(demo_audit) -> None:
    expected, got = demo_problems(demo_audit, "interact.")
    assert len(expected) >= 2
    missing, unexpected = compare(expected, got)
    assert missing == [] and unexpected == [], (missing, unexpected)


def test_demo_messages_and_statistics(demo_audit) -> None:
    found = {f["rule"]: f for f in read_findings(demo_audit) if f["rule"].startswith("interact.")}
    assert found["interact.column-missing"]["outcome"] == "pass"
    assert found["interact.stale"]["outcome"] == "pass"
    # the look-alikes: a letter only 20 days open, 在线访谈 items without replies → no unanswered finding but the plant
    unanswered = [f for f in read_findings(demo_audit) if f["rule"] == "interact.unanswered" and f["outcome"] == "fail"]
    assert len(unanswered) == 1 and unanswered[0]["data"]["age_days"] == 130
    db = sqlite3.connect(demo_audit / "govaudit.sqlite")
    rows = db.execute("SELECT column_label, column_kind, count(*), sum(answered = 0), sum(source = 'page') "
                      "FROM messages GROUP BY column_label ORDER BY column_label").fetchall()
    by = {r[0]: r[1:] for r in rows}
    assert by["县长信箱"][0] == "letter" and by["县长信箱"][1] >= 24 and by["县长信箱"][2] == 2
    assert by["县长信箱"][3] == by["县长信箱"][1]          # every letter's detail page was read
    assert by["在线访谈"][0] == "interview"
