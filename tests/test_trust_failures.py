"""Issue 17 point 6 — clean failures: for every command that writes under --out (audit, nightly,
probe, check, report, review, demo, collect), an --out that is a file, a path under a file, a
read-only folder or a full disk is one line naming the path, exit 4, and everything that was there
before is intact."""
from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


def commands(out: Path, units: Path, fp: str = "0000") -> dict[str, tuple[str, ...]]:
    o = str(out)
    return {
        "audit": ("audit", "http://127.0.0.1:9/", "--out", o, "--timeout", "2"),
        "nightly": ("nightly", "--units", str(units), "--out", o),
        "probe": ("probe", "--units", str(units), "--out", o, "--timeout", "2"),
        "check": ("check", "--out", o),
        "report": ("report", "--out", o),
        "review": ("review", fp, "--verdict", "confirmed", "--by", "王审核", "--out", o),
        "demo": ("demo", "--out", o),
        "collect": ("collect", "--redis", "redis://127.0.0.1:9/0", "--units", str(units), "--run", "r1", "--out", o),
    }


@pytest.fixture()
def units(tmp_path: Path) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text("units:\n  - {id: u1, name: 某县, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    return path


def assert_clean(proc: subprocess.CompletedProcess[str], name: str, path: Path) -> None:
    assert proc.returncode == 4, (name, proc.returncode, proc.stderr[-2000:])
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, (name, err)
    assert err.count("\n") == 0, (name, err)
    assert str(path) in err, (name, err)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_out_is_a_file(tmp_path, units):
    out = tmp_path / "out.txt"
    out.write_text("我的笔记", encoding="utf-8")
    for name, argv in commands(out, units).items():
        assert_clean(run_cli(*argv, timeout=120), name, out)
        assert out.read_text(encoding="utf-8") == "我的笔记"


def test_out_under_a_file(tmp_path, units):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "sub" / "out"
    for name, argv in commands(out, units).items():
        assert_clean(run_cli(*argv, timeout=120), name, out)
        assert blocker.read_text(encoding="utf-8") == "x"


def _read_only(folder: Path) -> None:
    """Read-only for this process: root ignores permission bits, so an immutable folder (ext4, xfs)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            pytest.skip("running as root without chattr +i: cannot make a read-only folder")
    else:
        folder.chmod(0o555)


def _writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=False)
    folder.chmod(0o755)


def test_read_only_out_keeps_everything(demo_audit, tmp_path, units):
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    fp = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"][0]["fingerprint"]
    before = snapshot(out)
    _read_only(out)
    try:
        for name, argv in commands(out, units, fp).items():
            assert_clean(run_cli(*argv, timeout=120), name, out)
            assert snapshot(out) == before, name
    finally:
        _writable(out)


def test_full_disk_while_reporting_keeps_the_earlier_outputs(demo_audit, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(demo_audit, out)
    before = {n: (out / n).read_bytes() for n in ("findings.json", "report.html", "scores.xlsx")}
    findings = sqlite3.connect(out / "govaudit.sqlite").execute("SELECT count(*) FROM findings").fetchone()[0]

    def small_disk() -> None:  # no file of the process may grow past 20 kB (EFBIG, like a full disk)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run([sys.executable, "-m", "govaudit", "report", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, preexec_fn=small_disk)
    assert_clean(proc, "report", out)
    assert {n: (out / n).read_bytes() for n in before} == before
    assert not list(out.rglob("*.tmp"))
    db = sqlite3.connect(out / "govaudit.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == findings
    db.close()
