"""govaudit audit URL — ad-hoc audit of one site: crawl, check, report."""
from __future__ import annotations

import argparse
from pathlib import Path

from govaudit.commands._common import (add_crawl_options, crawl_defaults, load_rules, parse_today,
                                       resolve_units, writes_out)
from govaudit.text import limits_text, reason as reason_zh


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="crawl one site (or a units file), check it, write the report")
    p.add_argument("url", nargs="?", help="the portal's home page URL")
    p.add_argument("--name", help="the unit's name (default: the host)")
    p.add_argument("--kind", default="government", help="government (default) or department")
    p.add_argument("--level", help="province, city, county or township (省级/市级/县级/乡镇); "
                                   "default: from the unit's name (…县 county, …镇 township …)")
    p.add_argument("--units", metavar="FILE", help="audit the units of a units file instead of one URL")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--resume", action="store_true",
                   help="continue the audit in --out that Ctrl-C interrupted (fetch only what it had not fetched)")
    add_crawl_options(p)
    p.set_defaults(func=run)


@writes_out()
def run(args: argparse.Namespace) -> int:
    from govaudit.pipeline import audit  # start-up cost: a command loads its stages when it runs

    units, file_defaults = resolve_units(args)
    rules_conf = load_rules(args)
    defaults = crawl_defaults(args, rules_conf, file_defaults)
    result = audit(units, Path(args.out), defaults, rules_conf, today=parse_today(args.today), resume=args.resume)
    print_summary(result)
    return result.exit_code


OUTPUT_LABELS = {"findings": "检查结果（JSON）", "report": "检查报告", "scores": "评分表", "fixlist": "整改通知",
                 "fixsheet": "整改清单", "brokenlinks": "失效链接清单", "bundle": "证据包", "pdf": "PDF"}


def output_label(name: str) -> str:
    """'fixlist:qingshan' → '整改通知' (the path beside it names the unit)."""
    kind = name.partition(":")[0]
    return OUTPUT_LABELS.get(kind, kind)


def print_summary(result: "object") -> None:
    """The summary on the terminal, in Chinese: per unit its name, what was crawled (partial or not),
    不合格 / 待复核 counts after reviewers' verdicts, the provisional score and grade; then the totals
    (the same numbers as the report and the score sheet)."""
    from govaudit.pipeline import AuditResult, summary_line  # start-up cost: a command loads its stages when it runs

    assert isinstance(result, AuditResult)
    for uid, s in result.summary.items():
        fig = result.units.get(uid, {})
        cov = s.get("coverage") or {}
        state = f"首页无法访问（{reason_zh(s['home_failed'])}）" if s["status"] == "unreachable" else \
            f"部分抓取（{cov.get('reason_text')}）" if s["status"] == "partial" else "已抓取"
        limits = f"，达到抓取上限：{limits_text(s['limits_hit'])}" if s.get("limits_hit") else ""
        print(f"{fig.get('name') or uid}：{state}，{s['pages']} 个请求，{s['errors']} 个错误{limits}")
        if fig:
            g = result.grades.get(uid) or {}
            score = f"暂定总分 {g['score']:g}，暂定等级 {g['grade']}" if g.get("score") is not None else "未评分"
            partial = f"（部分抓取，等级为暂定：{g['reason']}；依赖未抓取页面的规则记为未能检测）" if g.get("partial") else ""
            print(f"  不合格 {fig.get('fail', 0)}，待复核 {fig.get('needs_review', 0)}，未能检测 {fig.get('not_measured', 0)}；"
                  f"{score}{partial}")
    print(summary_line(result.counts))
    for name, path in result.outputs.items():
        print(f"{output_label(name)}：{path}")
    print(f"数据库：{result.store_path}（检查批次 {result.run_id}）")
    if result.interrupted:
        print(f"抓取在完成前被中断（{result.interrupted}），以上结果为暂定。已抓取的页面保存在 {result.store_path}。"
              f"继续抓取：在原命令后加 --resume 重新运行（同一 --out {result.out}），只抓取尚未抓取的页面；"
              f"或重新运行原命令完整重新抓取。")

