"""govaudit rules / explain RULE — the catalogue, from the code."""
from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="list the rules")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_rules)
    e = sub.add_parser("explain", help="what a rule checks, why, how, its limits and settings")
    e.add_argument("rule")
    e.set_defaults(func=run_explain)


def run_rules(args: argparse.Namespace) -> int:
    from govaudit.checks.registry import all_rules

    rules = all_rules()
    if args.json:
        print(json.dumps([{"id": r.id, "item": r.item, "title": r.title, "needs_browser": r.needs_browser,
                           "defaults": r.defaults} for r in rules], ensure_ascii=False, indent=1))
        return 0
    for r in rules:
        print(f"{r.id:28} {r.item:8} {r.title}")
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from govaudit.checks.registry import get_rule
    from govaudit.cli import UsageError

    try:
        r = get_rule(args.rule)
    except KeyError:
        raise UsageError(f"no rule {args.rule!r} (see `govaudit rules`)") from None
    print(f"{r.id} — {r.title} (考核项 {r.item})\n")
    print(r.doc)
    if r.defaults:
        print("\nSettings (config/rules.yaml, key " + r.id + "):")
        for k, v in r.defaults.items():
            print(f"  {k}: {json.dumps(v, ensure_ascii=False)}")
    return 0
