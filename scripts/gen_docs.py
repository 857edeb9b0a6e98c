"""Generate docs/rules.md, the rule catalogue, from the rule registry (ids, items, titles, the
docstrings' What/Why/How/Limits, the settings and their defaults). The catalogue is never edited by
hand: tests/test_rules_golden.py fails when docs/rules.md differs from what this prints.

    .venv/bin/python scripts/gen_docs.py            # rewrite docs/rules.md
    .venv/bin/python scripts/gen_docs.py --check    # exit 1 when docs/rules.md is out of date
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from govaudit.checks.registry import Rule, all_rules

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "rules.md"
COMMAND = ".venv/bin/python scripts/gen_docs.py"
SECTIONS = ("What", "Why", "How", "Limits")
_HEAD = re.compile(r"^(What|Why|How|Limits)( \([^)\n]*\))?:[ \t]*", re.M)


def summary(rule: Rule) -> str:
    """The docstring's first line after 'id —', without the trailing '(appraisal …)'."""
    first = rule.doc.splitlines()[0] if rule.doc else ""
    text = first.split("—", 1)[1].strip() if "—" in first else first
    return re.sub(r"\s*\((?:appraisal|\d|条例|national)[^()]*(?:\([^()]*\)[^()]*)*\)\.?$", "", text).rstrip(".")


def sections(rule: Rule) -> dict[str, str]:
    """{'What': text, …} from the docstring paragraphs that start with 'What:' … 'Limits:'."""
    marks = list(_HEAD.finditer(rule.doc))
    out: dict[str, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(rule.doc)
        note = (m.group(2) or "").strip()
        out[m.group(1)] = ((note + ":") if note else "") + rule.doc[m.end():end].rstrip()
    return out


def _markdown(text: str) -> str:
    """Docstring lines to Markdown: '(a) …' lines become list items, other lines one paragraph."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if re.match(r"^\([a-z]\) ", line):
            lines.append("\n- " + line if not lines or not lines[-1].startswith(("\n- ", "- ")) else "- " + line)
        elif lines and lines[-1].startswith(("\n- ", "- ")) and line:
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines).strip()


def _anchor(rule: Rule) -> str:
    return re.sub(r"[^a-z0-9-]", "", rule.id.lower())


def render(rules: list[Rule] | None = None) -> str:
    rules = rules if rules is not None else all_rules()
    out = ["# The rules", "",
           f"<!-- Generated from the rule registry by `{COMMAND}`: do not edit by hand. -->", "",
           f"{len(rules)} rules. Each is one module `govaudit/checks/<family>/<name>.py` whose docstring is "
           "the text below (`govaudit explain RULE` prints it too); its golden cases are in "
           "`tests/rules/<rule-id>/`. Settings go in `config/rules.yaml` under the rule id. "
           "Adding a rule: [adding-a-rule.md](adding-a-rule.md).", "",
           "| rule | item | title | what it checks |", "|---|---|---|---|"]
    for r in rules:
        out.append(f"| [`{r.id}`](#{_anchor(r)}) | {r.item} | {r.title} | {summary(r).replace('|', '/')} |")
    for r in rules:
        path = r.module.replace(".", "/") + ".py"
        out += ["", f"## {r.id}", "",
                f"**{r.title}** · 考核项 {r.item} · `{path}` · golden cases `tests/rules/{r.id}/`"
                + (" · needs a browser render" if r.needs_browser else ""), ""]
        for name, text in sections(r).items():
            out += [f"**{name}**: {_markdown(text)}", ""]
        if r.defaults:
            out += [f"Settings (`config/rules.yaml`, key `{r.id}`):", ""]
            out += [f"- `{k}`: `{json.dumps(v, ensure_ascii=False, default=str)}`" for k, v in r.defaults.items()]
            out.append("")
        while out[-1] == "":
            out.pop()
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when docs/rules.md is out of date")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"docs/rules.md is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(all_rules())} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
