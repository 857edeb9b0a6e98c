"""govaudit rules / explain RULE — the catalogue, from the code."""
from __future__ import annotations

import argparse
import json
import string

from govaudit.text import OUTCOME_LABELS, SETTING_LABELS, label
from govaudit.commands._common import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="list the rules")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_rules)
    e = sub.add_parser("explain", help="what a rule checks, why, how, its limits and settings")
    e.add_argument("rule")
    e.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="zh: the Chinese summary and 整改建议 (default); en: the rule's full English notes")
    e.set_defaults(func=run_explain)


def run_rules(args: argparse.Namespace) -> int:
    from govaudit.checks.registry import all_rules  # start-up cost: a command loads its stages when it runs

    rules = all_rules()
    if args.json:
        print(json.dumps([{"id": r.id, "item": r.item, "title": r.title, "needs_browser": r.needs_browser,
                           "defaults": r.defaults} for r in rules], ensure_ascii=False, indent=1))
        return 0
    print(f"{'规则':26} {'考核项':6} 名称")
    for r in rules:
        print(f"{r.id:28} {r.item:9} {r.title}")
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from govaudit.checks.registry import get_rule  # start-up cost: a command loads its stages when it runs
    try:
        r = get_rule(args.rule)
    except KeyError:
        raise UsageError(f"no rule {args.rule!r} (see `govaudit rules`)") from None
    if args.lang == "en":
        print(f"{r.id} — {r.title} (item {r.item})\n")
        print(r.doc)
        if r.defaults:
            print("\nSettings (config/rules.yaml, key " + r.id + "):")
            for k, v in r.defaults.items():
                print(f"  {k}: {json.dumps(v, ensure_ascii=False)}")
        return 0
    print(f"{r.id} — {r.title}（考核项 {r.item}）\n")
    print(f"检查内容：{r.summary or r.title}")
    outcome = getattr(r, "outcome_on_failure", None)   # not every version of Rule carries it
    if outcome:
        print(f"发现问题时的结果：{OUTCOME_LABELS.get(outcome, outcome)}")
    if r.needs_browser:
        print("需要浏览器渲染：没有浏览器时，渲染相关的检查为“未能检测”")
    if r.fix:
        print(f"整改建议：{fix_outline(r.fix)}")
    if r.defaults:
        print(f"\n设置（config/rules.yaml 中 {r.id} 下各项，缺省值如下）：")
        for k, v in r.defaults.items():
            name = SETTING_LABELS.get(k) or label(k)
            print(f"  {r.id}.{k}{'（' + name + '）' if name != k else ''}：{json.dumps(v, ensure_ascii=False)}")
    print("\n英文详细说明（检查原理、依据与局限）：govaudit explain " + r.id + " --lang en")
    return 0


PLACEHOLDERS = {"url": "页面", "target": "链接目标", "item": "考核项", "message": "问题描述"}


def fix_outline(template: str) -> str:
    """A fix template with its fields named in words: {url} → 〈页面〉."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if name:
            out.append(f"〈{PLACEHOLDERS.get(name) or label(name)}〉")
    return "".join(out)
