"""Bad input gives one line and exit code 2 (or 3 when nothing could be crawled), never a traceback."""
from __future__ import annotations

import socket

from tests.conftest import run_cli


def assert_clean(proc, code):
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_bad_url(tmp_path):
    proc = run_cli("audit", "ftp://example.gov.cn/", "--out", str(tmp_path))
    assert_clean(proc, 2)
    assert "unsupported URL scheme" in proc.stderr
    assert_clean(run_cli("audit", "http://", "--out", str(tmp_path)), 2)


def test_malformed_config(tmp_path):
    cfg = tmp_path / "units.yaml"
    cfg.write_text("units:\n  - id: a\n    name: A\n    url: http://127.0.0.1:1/\n    colour: red\n", encoding="utf-8")
    proc = run_cli("audit", "--units", str(cfg), "--out", str(tmp_path))
    assert_clean(proc, 2)
    assert proc.stderr.count("\n") == 1 and "units.yaml:5" in proc.stderr and "colour" in proc.stderr


def test_duplicate_unit_ids(tmp_path):
    cfg = tmp_path / "units.yaml"
    cfg.write_text("units:\n  - {id: a, name: A, url: 'http://127.0.0.1:1/'}\n"
                   "  - {id: a, name: B, url: 'http://127.0.0.1:2/'}\n", encoding="utf-8")
    proc = run_cli("audit", "--units", str(cfg), "--out", str(tmp_path))
    assert_clean(proc, 2)
    assert "duplicate unit id" in proc.stderr


def test_unreachable_host_exit_3(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connection refused
    proc = run_cli("audit", f"http://127.0.0.1:{port}/", "--out", str(tmp_path), "--timeout", "5")
    assert_clean(proc, 3)
    assert "首页无法访问" in proc.stdout


def test_unknown_rule_for_explain():
    proc = run_cli("explain", "link.nope")
    assert_clean(proc, 2)


def test_rules_lists_registry():
    proc = run_cli("rules")
    assert_clean(proc, 0)
    assert "link.broken" in proc.stdout
