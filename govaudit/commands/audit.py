"""govaudit audit URL — ad-hoc audit of one site: crawl, check, report."""
from __future__ import annotations

import argparse
from pathlib import Path

from govaudit.commands._common import (add_crawl_options, crawl_defaults, load_rules, parse_today,
                                       resolve_units, writes_out)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="crawl one site (or a units file), check it, write the report")
    p.add_argument("url", nargs="?", help="the portal's home page URL")
    p.add_argument("--name", help="the unit's name (default: the host)")
    p.add_argument("--kind", default="government", help="government (default) or department")
    p.add_argument("--units", metavar="FILE", help="audit the units of a units file instead of one URL")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    add_crawl_options(p)
    p.set_defaults(func=run)


@writes_out()
def run(args: argparse.Namespace) -> int:
    from govaudit.pipeline import audit

    units, file_defaults = resolve_units(args)
    rules_conf = load_rules(args)
    defaults = crawl_defaults(args, rules_conf, file_defaults)
    result = audit(units, Path(args.out), defaults, rules_conf, today=parse_today(args.today))
    print_summary(result)
    return result.exit_code


def print_summary(result: "object") -> None:
    from govaudit.pipeline import AuditResult, summary_line

    assert isinstance(result, AuditResult)
    for uid, s in result.summary.items():
        state = f"首页无法访问（{s['home_failed']}）" if s["status"] == "unreachable" else "已抓取"
        limits = f"，达到上限 {s['limits_hit']}" if s.get("limits_hit") else ""
        print(f"{uid}: {state}，{s['pages']} 个请求，{s['errors']} 个错误{limits}")
    print(summary_line(result.counts))
    for name, path in result.outputs.items():
        print(f"{name}: {path}")
    print(f"store: {result.store_path} (run {result.run_id})")
