"""The scheduling files in deploy/ call real subcommands with options that parse."""
from __future__ import annotations

import re
import shlex

import pytest

from govaudit.cli import build_parser
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def _commands() -> list[list[str]]:
    cmds = []
    for line in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "$GOVAUDIT" in line:
            words = shlex.split(line.split("$GOVAUDIT", 1)[1].split(">>", 1)[0])
            cmds.append(words)
    for unit in DEPLOY.glob("*.service"):
        m = re.search(r"^ExecStart=\S+/govaudit (.+)$", unit.read_text(encoding="utf-8"), re.M)
        assert m, unit
        cmds.append(shlex.split(m.group(1)))
    return cmds


def test_every_scheduled_command_parses():
    cmds = _commands()
    assert {c[c.index("nightly") if "nightly" in c else c.index("probe")] for c in cmds} == {"nightly", "probe"}
    assert len(cmds) == 4
    for words in cmds:
        args = build_parser().parse_args(words)
        assert args.func and args.units == "/etc/govaudit/units.yaml"


@pytest.mark.parametrize("name", ["govaudit-nightly", "govaudit-probe"])
def test_each_service_has_its_timer(name):
    timer = (DEPLOY / f"{name}.timer").read_text(encoding="utf-8")
    assert "OnCalendar=" in timer and "WantedBy=timers.target" in timer
    assert "Type=oneshot" in (DEPLOY / f"{name}.service").read_text(encoding="utf-8")
