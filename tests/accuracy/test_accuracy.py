"""The real-page accuracy harness (tests/accuracy/harness.py) over ../shared/corpus."""
from __future__ import annotations

from tests.accuracy import harness


def test_every_corpus_page_has_an_expectation(corpus) -> None:
    named = {e["page"] for e in harness.expectations()}
    assert set(harness.corpus_pages(corpus)) <= named, sorted(set(harness.corpus_pages(corpus)) - named)


def test_accuracy_at_least_98_percent_and_no_false_present(corpus) -> None:
    scores = harness.run(corpus)
    table = harness.summary(scores)
    right = sum(c.get("right", 0) for c in table.values())
    n = sum(c.get("right", 0) + c.get("wrong", 0) + c.get("missing", 0) for c in table.values())
    bad = [(s.kind, s.page, s.field, s.status, s.expected, s.got) for s in scores if s.status != "right"]
    assert n > 100 and right / n >= harness.TARGET, bad
    assert sum(c.get("false_present", 0) for c in table.values()) == 0, bad
    assert {"list", "article", "guide", "platform", "links"} <= set(table)
