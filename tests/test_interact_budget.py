"""Issue 20, crawling: the pager and letters of an interaction column are followed (class "message")
but capped by crawl.max_message_pages, so a letter system of thousands of letters cannot eat the
budget of the platform, its columns and the other pages the rules need."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from govaudit.commands.demo import DEMO_SKIP_HOSTS
from govaudit.demo.server import DemoServers
from govaudit.demo.site import Resource
from tests.test_coverage_budget import TODAY, wait

ROOT = Path(__file__).resolve().parent.parent
LETTERS = 4000
PER_LIST = 20
CAP = 40


def _letter(n: int) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>市民来信{n}</title></head><body><table>"
            f"<tr><td>来信标题：</td><td>关于第{n}号小区物业管理问题的反映</td></tr><tr><td>来信时间：</td><td>2026-10-01</td></tr>"
            f"<tr><td>答复单位：</td><td>县住房和城乡建设局</td></tr><tr><td>答复时间：</td><td>2026-10-03</td></tr>"
            f"<tr><td>答复内容：</td><td>已督促物业整改。</td></tr></table></body></html>").encode("utf-8")


def _list(k: int) -> bytes:
    rows = "".join(f"<tr><td><a href='/smlx/t{m}.html'>关于第{m}号小区物业管理问题的反映</a></td><td>2026-10-01</td>"
                   f"<td>已办结</td></tr>" for m in range(k * PER_LIST, (k + 1) * PER_LIST))
    page = (lambda i: "/smlx/index.html" if i == 0 else f"/smlx/index_{i}.html")
    pager = " ".join(f"<a href='{page(i)}'>{i + 1}</a>" for i in range(k + 1, min(k + 6, LETTERS // PER_LIST)))
    return (f"<html><head><meta charset='utf-8'><title>市民来信</title></head><body><table>"
            f"<tr><th>来信标题</th><th>来信时间</th><th>办理状态</th></tr>{rows}</table>"
            f"<div class='page'>{pager} <a href='{page(k + 1)}'>下一页</a></div></body></html>").encode("utf-8")


class WithLetters(dict):
    def get(self, path, default=None):  # type: ignore[override]
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/smlx/"):
            if name == "index.html":
                return Resource(body=_list(0))
            if name.startswith("index_") and name[6:-5].isdigit() and int(name[6:-5]) < LETTERS // PER_LIST:
                return Resource(body=_list(int(name[6:-5])))
            if name.startswith("t") and name[1:-5].isdigit() and int(name[1:-5]) < LETTERS:
                return Resource(body=_letter(int(name[1:-5])))
        return super().get(path, default)


def test_a_letter_system_of_4000_letters_stays_within_its_cap(tmp_path: Path) -> None:
    with DemoServers(today=TODAY, rendering=False) as srv:
        res = WithLetters(srv.site.resources)
        for path in ("/", "/index.html"):
            body = res[path].body.decode("utf-8").replace(
                "<body>", "<body><div class='hd'><a href='/smlx/index.html'>市民来信</a></div>", 1)
            res[path] = Resource(body=body.encode("utf-8"))
        srv.site.resources = res
        units = tmp_path / "units.yaml"
        units.write_text(f"units:\n  - id: qingshan\n    name: 青山县人民政府\n    kind: government\n    url: {srv.url}\n"
                         f"    overrides: {{skip_hosts: {json.dumps(DEMO_SKIP_HOSTS)}, max_message_pages: {CAP}}}\n",
                         encoding="utf-8")
        rules = tmp_path / "rules.yaml"
        rules.write_text((ROOT / "config" / "rules.yaml").read_text(encoding="utf-8").replace(
            "\ncrawl:\n", "\ncrawl:\n  render: false\n", 1), encoding="utf-8")
        out = tmp_path / "out"
        proc = subprocess.Popen(
            [sys.executable, "-m", "govaudit", "audit", "--units", str(units), "--out", str(out), "--delay", "0",
             "--rules-config", str(rules), "--concurrency", "8", "--no-autothrottle", "--timeout", "10",
             "--today", TODAY.isoformat(), "--max-pages", "600"],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait(proc)
    db = sqlite3.connect(out / "govaudit.sqlite")
    letters = db.execute("SELECT COUNT(*) FROM pages WHERE url LIKE '%/smlx/%' AND url NOT LIKE '%/smlx/index.html'").fetchone()[0]
    cov = json.loads(db.execute("SELECT coverage FROM units").fetchone()[0])
    limits = json.loads(db.execute("SELECT limits_hit FROM units").fetchone()[0] or "{}")
    assert 0 < letters <= CAP + 5, letters          # the cap (the demo's own 县长信箱 letters share it)
    assert limits.get("max_message_pages"), limits
    assert cov["status"] == "partial" and cov["unreached"].get("message"), cov
    for cls in ("home", "platform", "subcolumn", "guide", "annual", "interp", "policy", "interaction"):
        assert cov["reached"].get(cls), (cls, cov["reached"])
    # the letters that were read are stored; the column of 4000 letters is judged on what was reached
    stored = db.execute("SELECT COUNT(*) FROM messages WHERE column_label = '市民来信'").fetchone()[0]
    assert stored >= PER_LIST
    found = {f["rule"]: f for f in json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
             if f["rule"] == "interact.unanswered"}
    assert found["interact.unanswered"]["outcome"] != "pass"     # a partial crawl never vouches for unread letters
