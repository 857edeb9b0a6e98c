"""site.unavailable through the CLI: a portal that refuses connections is a fail, with exit code 3,
and the other rules of this family say not_measured instead of pass."""
from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import read_findings, run_cli


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return port


def test_unreachable_portal(tmp_path: Path) -> None:
    proc = run_cli("audit", f"http://127.0.0.1:{_closed_port()}/", "--out", str(tmp_path), "--name", "测试县")
    assert proc.returncode == 3, proc.stderr[-2000:]
    findings = read_findings(tmp_path)
    unavailable = [f for f in findings if f["rule"] == "site.unavailable"]
    assert [f["outcome"] for f in unavailable] == ["fail"] and unavailable[0]["data"]["reason"]
    for rule in ("link.hidden", "link.illegal", "site.identifiers", "site.not-updated", "content.illegal-text"):
        assert {f["outcome"] for f in findings if f["rule"] == rule} == {"not_measured"}, rule
