"""Scaffold a new rule: its module, its golden cases and its entry in docs/rules.md.

    .venv/bin/python scripts/new_rule.py family.name --item 8.x.y --title 标题

writes
    govaudit/checks/<family dir>/<name>.py        RULE metadata, What/Why/How/Limits docstring, check(ctx)
    tests/rules/<family.name>/fires/              a stored crawl where the rule must fire
    tests/rules/<family.name>/look-alike/         one that looks the same and must not
and regenerates docs/rules.md from the registry (the docstring is the rule's documentation).
The template is a working rule (a page whose text holds one of `words` fails) so every piece runs
at once: replace it, then rewrite the cases and their expected.json (see docs/adding-a-rule.md).

A script rather than a `govaudit` subcommand: it writes into a source checkout (the package
directory and tests/), which an installed govaudit has no business doing.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULE_ID = re.compile(r"^[a-z]+\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
ITEM = re.compile(r"^\d+(?:\.\d+){1,3}$")

MODULE = '''"""{id} — TODO one line: what the rule finds (appraisal {item}).

What: TODO what in the stored crawl is a problem: which pages, which elements, which threshold.

Why: TODO the appraisal item {item} (or the regulation, the national inspection) this serves and
what the appraisal deducts for it.

How: TODO how the stored crawl is read (pages, links, renders, which analysis), one finding per
what, which evidence; what is `needs_review` rather than `fail`, what is `not_measured`.

Limits: TODO what the rule cannot see (script-filled pages, attachments, pages over the limits).
"""
from __future__ import annotations

from typing import Iterable

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.model import CONTENT_PURPOSES, Finding

RULE = Rule(id="{id}", item="{item}", title="{title}", defaults={{"words": ["待替换的示例词"]}})


def check(ctx: CheckContext) -> Iterable[Finding]:
    """TODO replace the example: a page of the site whose text holds one of `words` fails."""
    words = ctx.settings(RULE.id)["words"]
    for page in ctx.pages("purpose IN (?, ?)", tuple(CONTENT_PURPOSES)):
        text = ctx.body_text(page) or ""
        hit = next((w for w in words if w in text), None)
        if hit:
            yield ctx.finding(RULE, "fail", page["url"], f"页面含有“{{hit}}”", data={{"word": hit}},
                              evidence=[ctx.evidence(page, snippet=hit)], key=hit)
'''

CASE = '''# {what}
# Pages are the files under site/ (site/index.html is the home page); list a page below to give
# it a status, a purpose or another URL. Format: tests/rules/README.md.
today: {today}
unit: {{id: u, name: 青山县人民政府, url: "http://www.qs.gov.cn/", kind: government}}
fires: {fires}
pages:    # optional: a status, a purpose, another URL; pages with no file (body: null)
#  - {{path: /gone.html, status: 404, body: null}}
#  - {{path: "http://www.example.com/", purpose: check, method: HEAD, status: 200, body: null}}
'''

PAGE = '''<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>青山县人民政府</title></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/news.html">要闻动态</a></div>
<div class="main"><p>{text}</p></div>
</body></html>
'''


def family_dir(root: Path, family: str) -> Path:
    """The package an existing rule of this family lives in (link → checks/links), else checks/<family>."""
    checks = root / "govaudit" / "checks"
    for path in sorted(checks.glob("*/*.py")):
        if re.search(rf'\bid="{re.escape(family)}\.', path.read_text(encoding="utf-8")):
            return path.parent
    return checks / family


def rule_exists(root: Path, rule_id: str) -> Path | None:
    for path in sorted((root / "govaudit" / "checks").glob("*/*.py")):
        if f'id="{rule_id}"' in path.read_text(encoding="utf-8"):
            return path
    return None


def scaffold(root: Path, rule_id: str, item: str, title: str, today: str = "2024-06-20") -> list[Path]:
    """Write the three pieces of a new rule under `root`; returns the files written."""
    if not RULE_ID.match(rule_id):
        raise SystemExit(f"规则 id {rule_id!r} 不合格式：应为 family.name（小写，名称内用连字符）")
    if not ITEM.match(item):
        raise SystemExit(f"考核项 {item!r} 不合格式：应为考核项编号，如 8.6.1")
    if (found := rule_exists(root, rule_id)) is not None:
        raise SystemExit(f"规则 {rule_id} 已存在：{found.relative_to(root)}")
    family, name = rule_id.split(".", 1)
    pkg = family_dir(root, family)
    module = pkg / (name.replace("-", "_") + ".py")
    cases = root / "tests" / "rules" / rule_id
    if module.exists() or cases.exists():
        raise SystemExit(f"{module.relative_to(root)} 或 {cases.relative_to(root)} 已存在")
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    if not (pkg / "__init__.py").exists():
        write(pkg / "__init__.py", f'"""{family}.* rules."""\n')
    write(module, MODULE.format(id=rule_id, item=item, title=title))
    write(cases / "fires" / "case.yaml",
          CASE.format(what="TODO: the defect this case plants (the rule must fire).", today=today, fires="true"))
    write(cases / "fires" / "site" / "index.html", PAGE.format(text="本页含有待替换的示例词。"))
    write(cases / "look-alike" / "case.yaml",
          CASE.format(what="TODO: what looks like the defect but is not (the rule must stay silent).",
                      today=today, fires="false"))
    write(cases / "look-alike" / "site" / "index.html", PAGE.format(text="本页内容正常。"))
    docs = root / "scripts" / "gen_docs.py"
    if docs.exists():  # docs/rules.md comes from the registry: regenerate it with the new rule in it
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        subprocess.run([sys.executable, str(docs)], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        written.append(root / "docs" / "rules.md")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="新建规则：规则模块、黄金用例、docs/rules.md 条目。")
    ap.add_argument("rule", help="规则 id：family.name，如 link.redirect-chain")
    ap.add_argument("--item", required=True, help="考核项，如 8.6.1")
    ap.add_argument("--title", required=True, help="报告中显示的简短中文标题")
    ap.add_argument("--root", type=Path, default=ROOT, help="源码目录（默认：本仓库）")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    for path in scaffold(root, args.rule, args.item, args.title):
        print(path.relative_to(root))
    print("下一步：实现 check()，改写两个用例（site/ 与 case.yaml），"
          "运行 GOVAUDIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_rules_golden.py 生成 expected.json 并核对。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
