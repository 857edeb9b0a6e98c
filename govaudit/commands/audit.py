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
    p.add_argument("--resume", action="store_true",
                   help="continue the audit in --out that Ctrl-C interrupted (fetch only what it had not fetched)")
    add_crawl_options(p)
    p.set_defaults(func=run)


@writes_out()
def run(args: argparse.Namespace) -> int:
    from govaudit.pipeline import audit

    units, file_defaults = resolve_units(args)
    rules_conf = load_rules(args)
    defaults = crawl_defaults(args, rules_conf, file_defaults)
    result = audit(units, Path(args.out), defaults, rules_conf, today=parse_today(args.today), resume=args.resume)
    print_summary(result)
    return result.exit_code


def print_summary(result: "object") -> None:
    from govaudit.pipeline import AuditResult, summary_line

    assert isinstance(result, AuditResult)
    for uid, s in result.summary.items():
        cov = s.get("coverage") or {}
        state = f"首页无法访问（{s['home_failed']}）" if s["status"] == "unreachable" else \
            f"部分抓取（{cov.get('reason_text')}）" if s["status"] == "partial" else "已抓取"
        limits = f"，达到上限 {s['limits_hit']}" if s.get("limits_hit") else ""
        print(f"{uid}: {state}，{s['pages']} 个请求，{s['errors']} 个错误{limits}")
        g = result.grades.get(uid)
        if g and g.get("grade"):
            provisional = f"（暂定：{g['reason']}；依赖未抓取页面的规则记为未能检测）" if g["partial"] else ""
            print(f"{uid}: 暂定总分 {g['score']:.1f}，等级 {g['grade']}{provisional}")
    print(summary_line(result.counts))
    for name, path in result.outputs.items():
        print(f"{name}: {path}")
    print(f"store: {result.store_path} (run {result.run_id})")
    if result.interrupted:
        print(f"抓取在完成前被中断（{result.interrupted}），以上结果为暂定。已抓取的页面保存在 {result.store_path}。"
              f"继续抓取：在原命令后加 --resume 重新运行（同一 --out {result.out}），只抓取尚未抓取的页面；"
              f"或重新运行原命令完整重新抓取。")
