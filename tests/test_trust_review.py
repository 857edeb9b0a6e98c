"""Issue 17 point 4 — a reviewer's verdict reaches every output with the same counts: findings.json
(`review` with verdict, by, at, note; `effective_outcome`), the terminal summary of `review`,
`report` and `check`, the report pages and the score sheet."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl

from tests.conftest import run_cli


def counts_line(stdout: str) -> dict[str, int]:
    line = next(x for x in stdout.splitlines() if "检查结果" in x)
    return {k: int(v) for k, v in re.findall(r"(不合格|待复核|通过|未能检测) (\d+)", line)}


def test_a_review_reaches_findings_json_terminal_report_and_sheet_with_equal_counts(demo_audit, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    target = next(f for f in doc["findings"] if f["outcome"] == "needs_review")
    other = next(f for f in doc["findings"] if f["outcome"] == "fail")
    assert target["review"] is None and target["effective_outcome"] == "needs_review"
    proc = run_cli("review", target["fingerprint"], "--verdict", "confirmed", "--by", "王审核", "--note", "已核实",
                   "--out", str(out), timeout=180)
    assert proc.returncode == 0, proc.stderr
    run_cli("review", other["fingerprint"], "--verdict", "false-positive", "--by", "李审核", "--note", "内网可用",
            "--out", str(out), timeout=180)
    terminal = counts_line(run_cli("report", "--out", str(out), timeout=180).stdout)

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    f = next(x for x in doc["findings"] if x["fingerprint"] == target["fingerprint"])
    assert f["outcome"] == "needs_review" and f["effective_outcome"] == "fail"      # the machine's, then the verdict
    assert f["review"]["verdict"] == "confirmed" and f["review"]["by"] == "王审核" and f["review"]["note"] == "已核实"
    assert f["review"]["at"]
    g = next(x for x in doc["findings"] if x["fingerprint"] == other["fingerprint"])
    assert g["effective_outcome"] == "pass" and g["review"]["verdict"] == "false-positive"
    effective = Counter(x["effective_outcome"] for x in doc["findings"])
    expected = {"不合格": effective["fail"], "待复核": effective["needs_review"], "通过": effective["pass"],
                "未能检测": effective["not_measured"]}
    assert terminal == expected
    assert counts_line(run_cli("check", "--out", str(out), timeout=180).stdout) == expected

    page = re.sub(r"<[^>]+>", " ", (out / "units" / "qingshan.html").read_text(encoding="utf-8"))
    m = re.search(r"不合格\s+(\d+)\s+待复核 (\d+) · 未能检测 (\d+)", page)
    assert m and (int(m[1]), int(m[2])) == (expected["不合格"], expected["待复核"]), m
    report = re.sub(r"<[^>]+>", " ", (out / "report.html").read_text(encoding="utf-8"))
    m = re.search(r"不合格问题\s+(\d+)\s+待复核 (\d+)", report)
    assert m and (int(m[1]), int(m[2])) == (expected["不合格"], expected["待复核"]), m

    ws = openpyxl.load_workbook(out / "scores.xlsx")["汇总"]
    head = [c.value for c in ws[4]]
    row = [c.value for c in ws[5]]
    assert (row[head.index("不合格")], row[head.index("待复核")]) == (expected["不合格"], expected["待复核"])
