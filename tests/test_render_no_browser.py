"""Without a browser the audit still runs: static hidden-link signals are judged, and the rendered
part of link.hidden is reported as not_measured (never a silent pass)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import read_findings, run_cli


def test_demo_without_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAUDIT_CHROMIUM", "/nonexistent/chromium")
    proc = run_cli("demo", "--out", str(tmp_path))
    assert (tmp_path / "findings.json").exists(), proc.stderr[-3000:]
    findings = read_findings(tmp_path)
    hidden = [f for f in findings if f["rule"] == "link.hidden"]
    assert any(f["outcome"] == "not_measured" for f in hidden)
    assert not any(f["outcome"] == "pass" for f in hidden)
    home_fail = [f for f in hidden if f["outcome"] == "fail" and f["target"].endswith("/casino.html")]
    assert home_fail and not home_fail[0]["data"]["rendered"]   # found statically (inline off-screen style)
    assert not (tmp_path / "screenshots").exists() or not any((tmp_path / "screenshots").iterdir())
    expected = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    mine = [e for e in expected if e["rule"] == "link.hidden"]
    found = [f for f in hidden if f["outcome"] in ("fail", "needs_review")]
    assert len(found) == len(mine)

    # script-filled lists cannot be seen: reported for review, never blank, never stale
    scripted = {f["url"].rsplit("/xxgk/", 1)[-1]: f for f in findings if f["rule"] == "column.blank"
                and any(k in f["url"] for k in ("/bmdt/", "/gsgg/", "/sjgk/"))}
    assert {k: f["outcome"] for k, f in scripted.items()} == {
        "bmdt/index.html": "needs_review", "gsgg/index.html": "needs_review", "sjgk/index.html": "needs_review"}
    assert all(not f["data"]["rendered"] and "未渲染" in f["evidence"][0]["note"] for f in scripted.values())
    assert not [f for f in findings if f["rule"] == "column.stale" and "/bmdt/" in f["url"]]
    assert "findings not planted: 0" in proc.stdout, proc.stdout[-2000:]
