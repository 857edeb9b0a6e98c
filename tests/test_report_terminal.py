"""The terminal for people: `inspect` prints a readable Chinese view (JSON with --json), and a closed
pipe (`govaudit … | head`) ends quietly, without a traceback."""
from __future__ import annotations

import json
import subprocess
import sys

from tests._english import english_words
from tests.conftest import ROOT, run_cli


def _page(tmp_path, links: int):
    body = "".join(f'<li><a href="/xxgk/{i}.html">第{i}条通知公告</a></li>' for i in range(links))
    path = tmp_path / "page.html"
    path.write_text('<html><head><meta charset="utf-8"><title>青山县人民政府 通知公告</title>'
                    '<meta name="SiteName" content="青山县人民政府"></head>'
                    f'<body><ul>{body}</ul></body></html>', encoding="utf-8")
    return path


def test_inspect_prints_a_readable_chinese_view_and_json_on_request(tmp_path):
    page = _page(tmp_path, 40)
    proc = run_cli("inspect", "page", str(page), "--url", "http://www.qs.gov.cn/tzgg/index.html")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "标题：青山县人民政府 通知公告" in out and "链接（40 项）：" in out and "另有 25 项" in out
    assert not out.lstrip().startswith("{") and len(out) < 8000
    assert not english_words(out), sorted(set(english_words(out)))
    full = run_cli("inspect", "page", str(page), "--url", "http://www.qs.gov.cn/tzgg/index.html", "--all")
    assert "另有" not in full.stdout and full.stdout.count("第39条通知公告") == 1
    data = json.loads(run_cli("inspect", "page", str(page), "--json").stdout)
    assert len(data["links"]) == 40


def test_closed_pipe_ends_quietly(tmp_path):
    page = _page(tmp_path, 3000)      # JSON far larger than a pipe's buffer
    proc = subprocess.Popen([sys.executable, "-m", "govaudit", "inspect", "page", str(page), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout.read(100).startswith(b"{")
    proc.stdout.close()                # the reader goes away, like `| head`
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == 141 and "Traceback" not in err and "BrokenPipe" not in err, err
    rules = subprocess.run(f"'{sys.executable}' -m govaudit rules | head -1", shell=True, capture_output=True,
                           text=True, cwd=ROOT)
    assert rules.stdout.startswith("规则") and "Traceback" not in rules.stderr
