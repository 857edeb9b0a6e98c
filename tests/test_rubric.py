"""Rubric files: the shipped profiles load; mistakes name the file, the line and the key."""
from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.config import ConfigError
from govaudit.reports.rubric import load_rubric


def test_shipped_profiles_load_and_cover_the_standard():
    std = load_rubric("standard")
    ids = {i.id for i in std.items}
    assert {"8.1.1", "8.2.6", "8.2.7", "8.4.4", "8.6.2", "8.8", "8.9.1", "8.9.2"} <= ids
    manual = {i.id for i in std.items if i.manual}
    assert {"8.1.1", "8.3.2", "8.7.1", "8.8", "8.9.1"} <= manual   # 8.1.2, 8.2.2, 8.2.5, 8.3.1 and 8.5 are prefilled (issue 20)
    assert sum(i.max for i in std.items if i.kind == "base") == std.total == 100
    assert [g for g, _ in std.grades] == ["优秀", "良好", "合格", "不合格"]
    assert std.grade(90) == "优秀" and std.grade(89.99) == "良好" and std.grade(60) == "合格" and std.grade(59) == "不合格"
    nat = load_rubric("national")
    assert nat.vetoes and nat.total == 100 and nat.version


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rubric.yaml"
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """profile: t
version: "1"
total: 10
grades:
  - {name: 合格, min: 6}
  - {name: 不合格, min: 0}
groups:
  - id: "8.6"
    title: 网站
    items:
      - id: "8.6.2"
        title: 规范建设
        max: 10
        deduct:
          - {rule: link.broken, per: finding, points: 1}
"""


@pytest.mark.parametrize("old, new, key, line", [
    ("per: finding", "per: each", "groups[0].items[0].deduct[0].per", 15),
    ("points: 1}", "points: 1, pionts: 2}", "groups[0].items[0].deduct[0].pionts", 15),
    ("max: 10", "max: ten", "groups[0].items[0].max", 13),
    ("total: 10", "total: 12", "total", 3),
    ("{name: 合格, min: 6}", "{name: 合格, min: -1}", "grades", 4),
    ("rule: link.broken, ", "", "groups[0].items[0].deduct[0].rule", 15),
])
def test_errors_name_file_line_and_key(tmp_path, old, new, key, line):
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ConfigError) as e:
        load_rubric(path)
    msg = str(e.value)
    assert msg.startswith(f"{path}:{line}: {key}: "), msg
    assert "\n" not in msg


def test_good_file_loads_and_count_needs_field(tmp_path):
    assert load_rubric(_write(tmp_path, GOOD)).items[0].deduct[0].rule == "link.broken"
    with pytest.raises(ConfigError, match=r"deduct\[0\]\.field: required for per: count"):
        load_rubric(_write(tmp_path, GOOD.replace("per: finding", "per: count")))


def test_manual_item_cannot_deduct_and_duplicates_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="manual item has no machine deductions"):
        load_rubric(_write(tmp_path, GOOD.replace("max: 10\n", "max: 10\n        manual: true\n")))
    dup = GOOD + """      - {id: "8.6.2", title: again, max: 1}\n"""
    with pytest.raises(ConfigError, match="duplicate item id"):
        load_rubric(_write(tmp_path, dup))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_rubric(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_rubric(_write(tmp_path, "groups: [\n"))


def test_cli_report_with_broken_rubric_exits_2_with_one_line(tmp_path):
    from tests.conftest import run_cli
    from tests.test_report_kit import make_store

    store, _ = make_store(tmp_path)
    store.close()
    bad = _write(tmp_path, GOOD.replace("per: finding", "per: each"))
    proc = run_cli("report", "--out", str(tmp_path), "--rubric", str(bad), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "deduct[0].per" in proc.stderr


@pytest.mark.parametrize("profile", ["standard", "national"])
def test_shipped_rubrics_name_only_registered_rules(profile):
    from govaudit.checks.registry import all_rules

    known = {r.id for r in all_rules()}
    rubric = load_rubric(profile)
    patterns = set(rubric.rule_items()) | {v.rule for v in rubric.vetoes}
    unknown = [p for p in patterns if not any(k == p or (p.endswith("*") and k.startswith(p[:-1])) for k in known)]
    assert unknown == [], f"{profile} rubric names rules that do not exist: {unknown}"

