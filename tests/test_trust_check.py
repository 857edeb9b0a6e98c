"""Issue 17 point 3 — never lose findings: `check --rule` re-runs only the named rules and replaces
only their findings; a typo is a usage error; a rule that never ran is `not_measured`, never full
marks; `check` and `report` print the same counts and exit alike; no command rewrites the crawl's
end time. On a copy of the demo audit."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from govaudit.checks.registry import all_rules
from tests.conftest import run_cli


def copy_demo(demo_audit: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    return out


def rows(out: Path, sql: str, args: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(out / "govaudit.sqlite")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def standard_score(out: Path) -> tuple[float, str]:
    return rows(out, "SELECT provisional, json_extract(items, '$.provisional_grade') FROM profile_scores "
                     "WHERE profile='standard'")[0]


def summary(proc) -> str:  # noqa: ANN001
    return next(line for line in proc.stdout.splitlines() if "检查结果" in line).split("检查结果", 1)[1]


def test_typo_in_rule_is_a_usage_error_and_changes_nothing(demo_audit, tmp_path):
    out = copy_demo(demo_audit, tmp_path)
    before_json = (out / "findings.json").read_bytes()
    before = rows(out, "SELECT rule, fingerprint, outcome FROM findings ORDER BY id")
    proc = run_cli("check", "--out", str(out), "--rule", "link.brokn", timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "link.brokn" in proc.stderr and "link.broken" in proc.stderr   # the closest ids
    assert rows(out, "SELECT rule, fingerprint, outcome FROM findings ORDER BY id") == before
    assert (out / "findings.json").read_bytes() == before_json


def test_rule_rerun_keeps_the_other_rules_findings_the_grade_and_the_crawl_times(demo_audit, tmp_path):
    out = copy_demo(demo_audit, tmp_path)
    before = sorted(rows(out, "SELECT rule, fingerprint, outcome FROM findings"))
    times = rows(out, "SELECT started, finished, status FROM runs")
    score = standard_score(out)
    assert score[1] == "合格"
    proc = run_cli("check", "--out", str(out), "--rule", "link.broken", timeout=180)
    assert proc.returncode == 1, proc.stderr      # the demo has fail findings
    assert sorted(rows(out, "SELECT rule, fingerprint, outcome FROM findings")) == before
    assert standard_score(out) == score           # 合格 78.8 stays 合格 78.8 (was 优秀 98.8)
    assert rows(out, "SELECT started, finished, status FROM runs") == times
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert {f["rule"] for f in doc["findings"]} == {r.id for r in all_rules()}
    assert doc["run"]["finished"] == times[0][1]


def test_a_family_reruns_only_that_family(demo_audit, tmp_path):
    out = copy_demo(demo_audit, tmp_path)
    others = sorted(rows(out, "SELECT id, rule, fingerprint FROM findings WHERE rule NOT LIKE 'guide.%'"))
    proc = run_cli("check", "--out", str(out), "--rule", "guide", timeout=180)
    assert proc.returncode == 1, proc.stderr
    assert sorted(rows(out, "SELECT id, rule, fingerprint FROM findings WHERE rule NOT LIKE 'guide.%'")) == others


def test_rules_never_run_are_not_measured_not_full_marks(demo_audit, tmp_path):
    """A run whose checks never ran (a crawl stopped before them), then `check --rule link.broken`:
    the other rules are `not_measured` in findings.json and the report, and the grade is not 优秀."""
    out = copy_demo(demo_audit, tmp_path)
    db = sqlite3.connect(out / "govaudit.sqlite")
    db.execute("DELETE FROM findings")
    db.execute("DELETE FROM checked_rules")
    db.commit()
    db.close()
    proc = run_cli("check", "--out", str(out), "--rule", "link.broken", timeout=180)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    by_rule: dict[str, set[str]] = {}
    for f in doc["findings"]:
        by_rule.setdefault(f["rule"], set()).add(f["effective_outcome"])
    assert set(by_rule) == {r.id for r in all_rules()}
    assert all(v == {"not_measured"} for k, v in by_rule.items() if k != "link.broken"), by_rule
    provisional, grade = standard_score(out)
    assert grade != "优秀" and provisional < 60, (provisional, grade)
    page = (out / "units" / "qingshan.html").read_text(encoding="utf-8")
    assert "本次运行未执行此规则的检查" in page


def test_check_and_report_agree_on_counts_and_exit_code(demo_audit, tmp_path):
    out = copy_demo(demo_audit, tmp_path)
    check = run_cli("check", "--out", str(out), timeout=180)
    report = run_cli("report", "--out", str(out), timeout=180)
    assert check.returncode == report.returncode == 1, (check.stderr, report.stderr)
    assert summary(check) == summary(report)
