"""History over a real SQLite store: the diff by fingerprint, retention, probe statistics, trends."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from govaudit import history
from govaudit.model import Evidence, Finding, Unit
from govaudit.store import Store, sha256

UNIT = Unit(id="u1", name="某县", url="http://www.x.gov.cn/")


def _finding(rule: str, outcome: str, target: str | None = None, url: str = "http://www.x.gov.cn/a.html",
             digest: str | None = None, **data: object) -> Finding:
    ev = [Evidence(url=url, sha256=digest, status=200)] if digest else []
    return Finding(rule=rule, item="8.6.1", outcome=outcome, unit=UNIT.id, url=url, message="m",
                   target=target, data=dict(data), evidence=ev)


def _run(store: Store, findings: list[Finding], pages: list[tuple[str, bytes]] = (), status: str = "complete",
         unit: Unit = UNIT) -> str:
    run_id = store.start_run("nightly", {})
    store.add_unit(run_id, unit)
    rows = [{"run_id": run_id, "unit_id": unit.id, "url": u, "status": 200, "method": "GET", "purpose": "page",
             "sha256": sha256(b)} for u, b in pages]
    links = [{"page_ref": i, "run_id": run_id, "unit_id": unit.id, "source_url": u, "target": u + "#x"}
             for i, (u, _) in enumerate(pages)]
    store.write_batch(rows, links, [(sha256(b), b) for _, b in pages])
    store.replace_findings(run_id, unit.id, findings)
    store.finish_run(run_id, status)
    return run_id


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "govaudit.sqlite")
    yield s
    s.close()


def _targets(fs: list[dict]) -> list[str]:
    return sorted((f["target"] or f["rule"]).rsplit("/", 1)[-1] for f in fs)


def test_new_fixed_open_by_fingerprint(store):
    r1 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a"),
                      _finding("link.broken", "fail", "http://www.x.gov.cn/b"),
                      _finding("site.metadata", "pass")])
    r2 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/b"),
                      _finding("link.broken", "needs_review", "http://www.x.gov.cn/c"),
                      _finding("site.metadata", "pass")])
    d = history.diff_unit(store, r2, UNIT.id)
    assert d["previous_run"] == r1
    assert _targets(d["new"]) == ["c"] and _targets(d["fixed"]) == ["a"] and _targets(d["open"]) == ["b"]
    assert d["unverified"] == []


def test_fingerprint_ignores_url_spelling_and_messages(store):
    _run(store, [_finding("link.broken", "fail", "http://WWW.X.gov.cn/b", url="http://www.x.gov.cn:80/a.html")])
    r2 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/b", url="http://www.x.gov.cn/a.html")])
    d = history.diff_unit(store, r2, UNIT.id)
    assert len(d["open"]) == 1 and not d["new"] and not d["fixed"]


def test_not_measured_tonight_is_unverified_not_fixed(store):
    _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a"), _finding("site.metadata", "fail")])
    r2 = _run(store, [_finding("link.broken", "not_measured", url=UNIT.url), _finding("site.metadata", "pass")])
    d = history.diff_unit(store, r2, UNIT.id)
    assert _targets(d["unverified"]) == ["a"]
    assert [f["rule"] for f in d["fixed"]] == ["site.metadata"]


def test_incomplete_runs_are_not_the_previous_run(store):
    r1 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a")])
    _run(store, [], status="incomplete")
    r3 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a")])
    assert history.diff_unit(store, r3, UNIT.id)["previous_run"] == r1


def test_diff_run_writes_the_diffs_table_and_text(store):
    _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a")])
    r2 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/c")])
    d = history.diff_run(store, r2)
    assert d["totals"] == {"new": 1, "fixed": 1, "open": 0, "unverified": 0}
    rows = store.conn.execute("SELECT change, target FROM diffs WHERE run_id=? ORDER BY change", (r2,)).fetchall()
    assert rows == [("fixed", "http://www.x.gov.cn/a"), ("new", "http://www.x.gov.cn/c")]
    history.diff_run(store, r2)  # idempotent
    assert store.conn.execute("SELECT count(*) FROM diffs WHERE run_id=?", (r2,)).fetchone()[0] == 2
    text = history.format_diff(d)
    assert "新增 1" in text and "+ link.broken" in text and "- link.broken" in text


def test_retention_prunes_old_bodies_and_links_but_keeps_findings_and_hashes(store):
    shared, old_only, new_only = b"<html>same every night</html>", b"<html>old</html>", b"<html>new</html>"
    r1 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a", digest=sha256(old_only))],
              pages=[("http://www.x.gov.cn/", shared), ("http://www.x.gov.cn/a.html", old_only)])
    r2 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a", digest=sha256(new_only))],
              pages=[("http://www.x.gov.cn/", shared), ("http://www.x.gov.cn/a.html", new_only)])
    before = store.findings(r1)
    assert history.prune(store, keep_runs=1) == [r1]
    assert store.body(sha256(old_only)) is None                       # only the old run used it
    assert store.body(sha256(shared)) == shared                       # the kept run still uses it
    assert store.body(sha256(new_only)) == new_only
    assert store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (r1,)).fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM links WHERE run_id=?", (r2,)).fetchone()[0] == 2
    after = store.findings(r1)
    assert after == before and after[0]["evidence"][0]["sha256"] == sha256(old_only)
    assert {r[0] for r in store.conn.execute("SELECT sha256 FROM pages WHERE run_id=?", (r1,))} == \
        {sha256(shared), sha256(old_only)}
    assert history.prune(store, keep_runs=1) == []                    # idempotent
    # the diff still works against a pruned run
    assert len(history.diff_unit(store, r2, UNIT.id)["open"]) == 1
    with pytest.raises(ValueError):
        history.prune(store, keep_runs=0)


def test_retention_never_touches_a_running_run(store):
    r1 = _run(store, [], pages=[("http://www.x.gov.cn/", b"one")], status="running")
    _run(store, [], pages=[("http://www.x.gov.cn/", b"two")])
    assert history.prune(store, keep_runs=1) == []
    assert store.body(sha256(b"one")) == b"one" and r1


def test_probe_stats_share_over_the_window(store):
    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)
    for i in range(40):  # every 30 minutes over 20 hours; 3 failures
        t = now - dt.timedelta(minutes=30 * i)
        ok = i not in (3, 4, 17)
        history.record_probe(store, "u1", UNIT.url, ok, 200 if ok else None, None if ok else "timeout", 0.1, t)
    history.record_probe(store, "u1", UNIT.url, False, None, "dns", 0.1, now - dt.timedelta(days=8))  # too old
    history.record_probe(store, "u1", UNIT.url, False, 503, "HTTP 503", 0.1, now, source="crawl")
    history.record_probe(store, "u2", "http://y/", False, None, "dns", 0.1, now)
    st = history.probe_stats(store, "u1", now=now, days=7)
    assert (st.total, st.failed) == (40, 3) and st.share == pytest.approx(0.075)
    assert st.failures[0]["reason"] == "timeout"
    both = history.probe_stats(store, "u1", now=now, days=7, sources=("probe", "crawl"))
    assert (both.total, both.failed) == (41, 4)
    assert history.probe_stats(store, "nobody", now=now).share is None


def test_probe_stats_on_a_store_without_probes_table(tmp_path):
    import sqlite3

    path = tmp_path / "plain.sqlite"
    sqlite3.connect(path).close()
    s = Store(path, readonly=True)
    try:
        assert history.probe_stats(s, "u1").total == 0
    finally:
        s.close()


def test_crawl_outcomes_become_probes(store):
    run_id = store.start_run("nightly", {})
    store.add_unit(run_id, UNIT)
    down = Unit(id="u2", name="乙", url="http://down.gov.cn/")
    store.add_unit(run_id, down)
    store.write_batch([
        {"run_id": run_id, "unit_id": "u1", "url": UNIT.url, "status": 200, "purpose": "home", "elapsed": 0.2,
         "fetched_at": "2026-11-26T02:00:00+08:00"},
        {"run_id": run_id, "unit_id": "u2", "url": down.url, "status": None, "reason": "timeout", "purpose": "home"},
    ], [], [])
    assert history.record_crawl_outcomes(store, run_id) == 2
    history.record_crawl_outcomes(store, run_id)  # idempotent
    rows = store.conn.execute("SELECT unit_id, ok, reason, time, source FROM probes ORDER BY unit_id").fetchall()
    assert rows[0] == ("u1", 1, None, "2026-11-25T18:00:00+00:00", "crawl")
    assert rows[1][:3] == ("u2", 0, "timeout") and len(rows) == 2


def test_trends_counts_scores_and_column_ages(store):
    _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a"),
                 _finding("column.stale", "fail", label="通知公告", age_days=20)])
    r2 = _run(store, [_finding("column.stale", "pass", label="通知公告", age_days=3),
                      _finding("site.not-updated", "pass", age_days=2)])
    # the report stage's table when its module is loaded, else a minimal one of the same contract
    store.conn.execute("CREATE TABLE IF NOT EXISTS scores (run_id TEXT, unit_id TEXT, score REAL)")
    store.conn.execute("INSERT INTO scores (run_id, unit_id, score) VALUES (?, 'u1', 91.5)", (r2,))
    t = history.trends(store, "u1")
    assert [x["counts"] for x in t] == [{"fail": 2}, {"pass": 2}]
    assert t[0]["problems_by_rule"] == {"link.broken": 1, "column.stale": 1}
    assert [x["column_ages"] for x in t] == [{"通知公告": 20}, {"通知公告": 3, history.SITE_AGE: 2}]
    assert [x["score"] for x in t] == [None, 91.5]
    assert json.dumps(t, ensure_ascii=False)


def test_reviewer_verdicts_travel_with_the_diff(store):
    r1 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a")])
    fp = store.findings(r1)[0]["fingerprint"]
    store.conn.execute("CREATE TABLE IF NOT EXISTS reviews (fingerprint TEXT PRIMARY KEY, verdict TEXT, by TEXT, "
                       "at TEXT, note TEXT, rule TEXT, unit_id TEXT, url TEXT)")
    store.conn.execute("INSERT INTO reviews (fingerprint, verdict) VALUES (?, 'false-positive')", (fp,))
    r2 = _run(store, [_finding("link.broken", "fail", "http://www.x.gov.cn/a"),
                      _finding("link.broken", "fail", "http://www.x.gov.cn/b")])
    d = history.diff_unit(store, r2, UNIT.id)
    assert d["open"][0]["review"] == "false-positive" and "review" not in d["new"][0]
