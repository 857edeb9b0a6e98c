"""Shared fixtures: the real-page corpus (skipped when absent), the demo portal, CLI runs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"real-page corpus not found at {CORPUS} (it sits beside the checkout in ../shared)")
    return CORPUS


def run_cli(*args: str, timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `govaudit ARGS` in a fresh process (Twisted's reactor runs once per process)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "govaudit", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or ROOT, env=env)


def read_findings(out: Path) -> list[dict[str, Any]]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]


@pytest.fixture(scope="session")
def demo_audit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One audit of the demo portal, shared by every test that checks planted defects."""
    out = tmp_path_factory.mktemp("demo")
    proc = run_cli("demo", "--out", str(out))
    assert (out / "findings.json").exists(), proc.stderr[-3000:]
    (out / "stdout.txt").write_text(proc.stdout + "\nEXIT " + str(proc.returncode))
    return out


def demo_problems(out: Path, rule_prefix: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(expected planted defects, problem findings) for rules starting with rule_prefix."""
    expected = json.loads((out / "expected.json").read_text(encoding="utf-8"))
    findings = read_findings(out)
    exp = [e for e in expected if e["rule"].startswith(rule_prefix)]
    got = [f for f in findings if f["rule"].startswith(rule_prefix) and f["outcome"] in ("fail", "needs_review")]
    return exp, got
