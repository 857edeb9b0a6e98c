"""Reviews (复核): a verdict changes the score and the report, and survives later runs."""
from __future__ import annotations

import shutil

import yaml

from govaudit.store import Store
from govaudit.reports.collect import collect
from govaudit.reports.reviews import Review, save_review
from govaudit.reports.scoring import stored_scores
from tests.conftest import run_cli
from tests.test_report_kit import broken, make_store


def score_of(out, unit="a"):
    store = Store(out / "govaudit.sqlite")
    try:
        p = collect(store, store.run()["id"], reviews_path=out / "reviews.yaml", save=False)
        return next(u for u in p.units if u.id == unit).scores["standard"]
    finally:
        store.close()


def item(score, item_id):
    return next(s for s in score.items if s.id == item_id)


def test_review_changes_the_score_and_survives_a_second_run(tmp_path):
    out = tmp_path / "out"
    findings = [broken("a", 1, True), broken("a", 2, True)]
    store, _ = make_store(out, {"a": findings}, run_id="run1", started_offset=1)
    store.close()
    assert item(score_of(out), "8.6.2").proposed == 14.0
    fp = findings[0].fingerprint
    proc = run_cli("review", fp[:8], "--verdict", "false-positive", "--by", "王审核", "--note", "链接实际可用",
                   "--out", str(out), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert item(score_of(out), "8.6.2").proposed == 14.5
    doc = yaml.safe_load((out / "reviews.yaml").read_text(encoding="utf-8"))
    assert doc["reviews"][0]["fingerprint"] == fp and doc["reviews"][0]["by"] == "王审核"
    html = (out / "units" / "a.html").read_text(encoding="utf-8")
    assert "误报" in html and "王审核" in html and "链接实际可用" in html
    # a second run finds the same problems: the verdict applies by fingerprint
    store, rid2 = make_store(out, {"a": [broken("a", 1, True), broken("a", 2, True), broken("a", 3, True)]},
                             run_id="run2", started_offset=2)
    store.close()
    proc = run_cli("report", "--out", str(out), timeout=120)
    assert proc.returncode == 1, proc.stderr  # fail findings: report exits as check does
    assert item(score_of(out), "8.6.2").proposed == 14.0            # 3 found, 1 reviewed away
    store = Store(out / "govaudit.sqlite")
    assert stored_scores(store, rid2)["a"]["rubric_version"] == "2026.1"
    store.close()
    # the version-controlled file alone carries the verdict into a fresh store
    fresh = tmp_path / "fresh"
    store, _ = make_store(fresh, {"a": findings})
    store.close()
    shutil.copy(out / "reviews.yaml", fresh / "reviews.yaml")
    assert item(score_of(fresh), "8.6.2").proposed == 14.5


def test_confirmed_needs_review_counts_and_later_verdict_wins(tmp_path):
    f = broken("a", 1, True, outcome="needs_review")
    store, rid = make_store(tmp_path, {"a": [f]})
    save_review(store, Review(f.fingerprint, "confirmed", "甲", "2026-11-26T09:00:00+08:00"), tmp_path / "reviews.yaml")
    assert item(collect(store, rid, reviews_path=tmp_path / "reviews.yaml").units[0].scores["standard"], "8.6.2").proposed == 14.5
    # someone edits the YAML by hand later: the file's newer verdict wins
    doc = yaml.safe_load((tmp_path / "reviews.yaml").read_text(encoding="utf-8"))
    doc["reviews"][0].update(verdict="fixed", by="乙", at="2026-11-27T09:00:00+08:00")
    (tmp_path / "reviews.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    u = collect(store, rid, reviews_path=tmp_path / "reviews.yaml").units[0]
    assert item(u.scores["standard"], "8.6.2").proposed == 15 and u.findings[0]["review"]["by"] == "乙"
    store.close()


def test_review_usage_errors(tmp_path):
    store, _ = make_store(tmp_path)
    store.close()
    proc = run_cli("review", "ffffffffff", "--verdict", "fixed", "--by", "x", "--out", str(tmp_path), timeout=120)
    assert proc.returncode == 2 and "no finding with fingerprint" in proc.stderr
    proc = run_cli("review", "--out", str(tmp_path), timeout=120)
    assert proc.returncode == 2 and "--verdict" in proc.stderr
    (tmp_path / "reviews.yaml").write_text("reviews:\n  - fingerprint: abc\n    verdict: maybe\n    by: x\n", encoding="utf-8")
    proc = run_cli("report", "--out", str(tmp_path), timeout=120)
    assert proc.returncode == 2
    assert f"{tmp_path / 'reviews.yaml'}:3: reviews[0].verdict: must be one of" in proc.stderr


def test_review_sync_and_list(tmp_path):
    f = broken("a", 1, True)
    store, _ = make_store(tmp_path, {"a": [f]})
    store.close()
    (tmp_path / "reviews.yaml").write_text(
        f"reviews:\n  - fingerprint: {f.fingerprint}\n    verdict: confirmed\n    by: 丙\n"
        f"    at: '2026-11-26T08:00:00+08:00'\n    note: 人工核实\n", encoding="utf-8")
    proc = run_cli("review", "--sync", "--no-report", "--out", str(tmp_path), timeout=120)
    assert proc.returncode == 0 and "1 verdict(s) copied" in proc.stdout
    proc = run_cli("review", "--list", "--out", str(tmp_path), timeout=120)
    assert f.fingerprint in proc.stdout and "confirmed" in proc.stdout and "丙" in proc.stdout


def test_review_clear_withdraws_the_verdict(tmp_path):
    f = broken("a", 1, True)
    store, _ = make_store(tmp_path, {"a": [f]})
    store.close()
    assert run_cli("review", f.fingerprint, "--verdict", "fixed", "--by", "丁", "--out", str(tmp_path),
                   "--no-report", timeout=120).returncode == 0
    assert item(score_of(tmp_path), "8.6.2").proposed == 15
    proc = run_cli("review", f.fingerprint[:6], "--clear", "--out", str(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert item(score_of(tmp_path), "8.6.2").proposed == 14.5
    assert yaml.safe_load((tmp_path / "reviews.yaml").read_text(encoding="utf-8"))["reviews"] == []
