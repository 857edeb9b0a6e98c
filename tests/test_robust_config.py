"""Bad config and input: one line on stderr naming the file and the key, exit code 2, no traceback.

Config errors are raised before any crawling starts, so govaudit's main() runs in-process here
(the logging it configures is restored afterwards); two cases also go through a real subprocess.
"""
from __future__ import annotations

import logging

import pytest

from govaudit.cli import main
from tests.conftest import run_cli

UNIT = "units:\n  - id: a\n    name: 甲\n    url: http://127.0.0.1:9/\n"


@pytest.fixture
def cli(capsys):
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("govaudit").level)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    root.handlers[:], root.level = saved[0], saved[1]
    logging.getLogger("govaudit").setLevel(saved[2])


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


UNITS_CASES = {
    "unknown_key": (UNIT + "    colour: red\n", ["units[0].colour", "unknown key"]),
    "unknown_override": (UNIT + "    overrides: {max_pagez: 3}\n", ["units[0].overrides.max_pagez", "unknown key"]),
    "wrong_type_override": (UNIT + "    overrides: {max_pages: many}\n", ["units[0].overrides.max_pages", "expected int"]),
    "wrong_type_bool": (UNIT + "    overrides: {obey_robots: 'no'}\n", ["obey_robots", "expected bool"]),
    "wrong_type_defaults": ("defaults:\n  timeout: fast\n" + UNIT, ["defaults.timeout", "expected"]),
    "hosts_not_list": (UNIT + "    hosts: www.x.gov.cn\n", ["units[0].hosts", "expected a list"]),
    "duplicate_ids": (UNIT + "  - {id: a, name: 乙, url: 'http://127.0.0.1:8/'}\n", ["units[1].id", "duplicate unit id"]),
    "duplicate_yaml_key": ("units:\n  - id: a\n    id: b\n    name: 甲\n    url: http://127.0.0.1:9/\n", ["id", "duplicate key"]),
    "missing_url": ("units:\n  - {id: a, name: 甲}\n", ["units[0].url", "required"]),
    "bad_id": ("units:\n  - {id: 'a b/c', name: 甲, url: 'http://127.0.0.1:9/'}\n", ["units[0].id", "invalid id"]),
    "unsupported_scheme": ("units:\n  - {id: a, name: 甲, url: 'ftp://x.gov.cn/'}\n", ["units[0].url", "unsupported URL scheme"]),
    "javascript_scheme": ("units:\n  - {id: a, name: 甲, url: 'javascript:alert(1)'}\n", ["units[0].url", "unsupported URL scheme"]),
    "bad_port": ("units:\n  - {id: a, name: 甲, url: 'http://x.gov.cn:99999/'}\n", ["units[0].url", "malformed URL"]),
    "no_host": ("units:\n  - {id: a, name: 甲, url: 'http:///path'}\n", ["units[0].url", "malformed URL"]),
    "space_in_host": ("units:\n  - {id: a, name: 甲, url: 'http://exa mple.gov.cn/'}\n", ["units[0].url", "malformed URL"]),
    "bad_ipv6": ("units:\n  - {id: a, name: 甲, url: 'http://[::1/'}\n", ["units[0].url", "malformed URL"]),
    "bad_column_url": (UNIT + "    columns: {政策解读: 'mailto:x@y.cn'}\n", ["units[0].columns", "unsupported URL scheme"]),
    "not_a_mapping": ("- just\n- a list\n", ["expected a mapping"]),
    "unit_not_mapping": ("units:\n  - just text\n", ["units[0]", "expected a mapping"]),
    "empty": ("", ["units", "empty"]),
    "yaml_syntax": ("units: [\n  - id: a\n", ["invalid YAML"]),
    "tabs": ("units:\n\t- id: a\n", ["invalid YAML"]),
    "zero_limit_override": (UNIT + "    overrides: {max_bytes: 0}\n", ["units[0].overrides.max_bytes", "at least"]),
    "negative_defaults": ("defaults:\n  timeout: -5\n" + UNIT, ["defaults.timeout", "at least"]),
}


@pytest.mark.parametrize("case", sorted(UNITS_CASES))
def test_bad_units_file(cli, tmp_path, case):
    text, wanted = UNITS_CASES[case]
    f = tmp_path / "units.yaml"
    f.write_text(text, encoding="utf-8")
    code, _, err = cli("audit", "--units", str(f), "--out", str(tmp_path / "out"))
    assert code == 2, err
    line = one_line(err)
    assert str(f) in line, line
    for w in wanted:
        assert w in line, line
    assert not (tmp_path / "out" / "govaudit.sqlite").exists()


def test_units_file_not_utf8(cli, tmp_path):
    f = tmp_path / "units.yaml"
    f.write_bytes(UNIT.encode("gbk"))
    code, _, err = cli("audit", "--units", str(f), "--out", str(tmp_path / "out"))
    assert code == 2 and str(f) in one_line(err)


def test_units_file_missing(cli, tmp_path):
    code, _, err = cli("audit", "--units", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in one_line(err) and "not found" in err


RULES_CASES = {
    "unknown_rule": ("link.brokn:\n  max_sources: 3\n", ["link.brokn", "unknown key"]),
    "unknown_setting": ("link.broken:\n  max_source: 3\n", ["link.broken.max_source", "unknown key"]),
    "wrong_type": ("link.broken:\n  blocked_statuses: '403'\n", ["link.broken.blocked_statuses", "expected a list"]),
    "wrong_elem_type": ("link.broken:\n  blocked_statuses: [403, x]\n", ["link.broken.blocked_statuses[1]", "expected int"]),
    "crawl_wrong_type": ("crawl:\n  max_bytes: lots\n", ["crawl.max_bytes", "expected int"]),
    "crawl_unknown": ("crawl:\n  max_byte: 3\n", ["crawl.max_byte", "unknown key"]),
    # 0 would switch a protection off: Scrapy reads max_bytes 0 as "no limit"
    "crawl_zero_max_bytes": ("crawl:\n  max_bytes: 0\n", ["crawl.max_bytes", "at least", ":2"]),
    "crawl_zero_links": ("crawl:\n  timeout: 5\n  max_links_per_page: 0\n", ["crawl.max_links_per_page", ":3"]),
}


@pytest.mark.parametrize("case", sorted(RULES_CASES))
def test_bad_rules_config(cli, tmp_path, case):
    text, wanted = RULES_CASES[case]
    f = tmp_path / "rules.yaml"
    f.write_text(text, encoding="utf-8")
    code, _, err = cli("audit", "http://127.0.0.1:9/", "--rules-config", str(f), "--out", str(tmp_path / "out"))
    assert code == 2, err
    line = one_line(err)
    assert str(f) in line
    for w in wanted:
        assert w in line, line


@pytest.mark.parametrize("url,wanted", [
    ("ftp://x.gov.cn/", "unsupported URL scheme"), ("http://", "malformed URL"), ("http://x.gov.cn:0x50/", "malformed URL"),
    ("file:///etc/passwd", "unsupported URL scheme"), ("http://exa mple.gov.cn/", "malformed URL"),
    ("javascript:alert(1)", "unsupported URL scheme"),
])
def test_bad_url_argument(cli, tmp_path, url, wanted):
    code, _, err = cli("audit", url, "--out", str(tmp_path))
    assert code == 2 and wanted in one_line(err), err


@pytest.mark.parametrize("argv", [("--max-pages", "-1"), ("--max-pages", "many"), ("--today", "2024-13-01"),
                                  ("--kind", "company"), ("--timeout", "0"), ("--max-pages", "0"),
                                  ("--site-time", "0"), ("--concurrency", "0")])
def test_bad_options(cli, tmp_path, argv):
    with pytest.raises(SystemExit) as e:  # argparse's own errors exit through SystemExit
        code, _, err = cli("audit", "http://127.0.0.1:9/", "--out", str(tmp_path), *argv)
        raise SystemExit(code)
    assert e.value.code == 2


def test_subprocess_bad_config_one_line(tmp_path):
    f = tmp_path / "rules.yaml"
    f.write_text("crawl:\n  timeout: [1]\n", encoding="utf-8")
    proc = run_cli("audit", "http://127.0.0.1:9/", "--rules-config", str(f), "--out", str(tmp_path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "crawl.timeout" in proc.stderr
