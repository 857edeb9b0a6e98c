"""govaudit audit URL — ad-hoc audit of one site: crawl, check, report."""
from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path
from typing import Any

from govaudit.commands._common import (add_crawl_options, crawl_defaults, load_rules, parse_today,
                                       resolve_units)
from govaudit.store import Store, StoreError
from govaudit.text import limits_text, reason as reason_zh


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="crawl one site (or a units file), check it, write the report")
    p.add_argument("url", nargs="?", help="the portal's home page URL")
    p.add_argument("--name", help="the unit's name (default: the host)")
    p.add_argument("--kind", default="government", help="government (default) or department")
    p.add_argument("--units", metavar="FILE", help="audit the units of a units file instead of one URL")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    add_crawl_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from govaudit.pipeline import audit

    units, file_defaults = resolve_units(args)
    rules_conf = load_rules(args)
    defaults = crawl_defaults(args, rules_conf, file_defaults)
    result = audit(units, Path(args.out), defaults, rules_conf, today=parse_today(args.today))
    print_summary(result)
    return result.exit_code


OUTPUT_LABELS = {"findings": "检查结果（JSON）", "report": "检查报告", "scores": "评分表", "fixlist": "整改通知",
                 "fixsheet": "整改清单", "brokenlinks": "失效链接清单", "bundle": "证据包", "pdf": "PDF"}


def output_label(name: str) -> str:
    """'fixlist:qingshan' → '整改通知' (the path beside it names the unit)."""
    kind = name.partition(":")[0]
    return OUTPUT_LABELS.get(kind, kind)


def print_summary(result: "object") -> None:
    """The summary on the terminal, in Chinese: per unit its name, what was crawled, 不合格 / 待复核
    counts, the provisional score and grade (from the store the reports were written from)."""
    from govaudit.pipeline import AuditResult

    assert isinstance(result, AuditResult)
    per_unit = unit_figures(result.store_path, result.run_id)
    for uid, s in result.summary.items():
        fig = per_unit.get(uid, {})
        state = f"首页无法访问（{reason_zh(s['home_failed'])}）" if s["status"] == "unreachable" else "已抓取"
        limits = f"，达到抓取上限：{limits_text(s['limits_hit'])}" if s.get("limits_hit") else ""
        print(f"{fig.get('name') or uid}：{state}，{s['pages']} 个请求，{s['errors']} 个错误{limits}")
        if fig:
            score = f"暂定总分 {fig['score']:g}，暂定等级 {fig['grade']}" if fig.get("score") is not None else "未评分"
            print(f"  不合格 {fig['fail']}，待复核 {fig['needs_review']}，未能检测 {fig['not_measured']}；{score}")
    c = result.counts
    print(f"检查结果合计：不合格 {c.get('fail', 0)}，待复核 {c.get('needs_review', 0)}，通过 {c.get('pass', 0)}，"
          f"未能检测 {c.get('not_measured', 0)}")
    for name, path in result.outputs.items():
        print(f"{output_label(name)}：{path}")
    print(f"数据库：{result.store_path}（检查批次 {result.run_id}）")


def unit_figures(store_path: Path, run_id: str) -> dict[str, dict[str, Any]]:
    """Name, outcome counts, provisional score and grade of each unit of a run, from the store."""
    try:
        store = Store(store_path)
    except (StoreError, sqlite3.Error):
        return {}
    try:
        out: dict[str, dict[str, Any]] = {}
        for u in store.units(run_id):
            out[u["unit_id"]] = {"name": u.get("name"), "fail": 0, "needs_review": 0, "not_measured": 0}
        for f in store.findings(run_id):
            fig = out.setdefault(f["unit_id"], {"name": None, "fail": 0, "needs_review": 0, "not_measured": 0})
            if f["outcome"] in ("fail", "needs_review", "not_measured"):
                fig[f["outcome"]] += 1
        try:
            rows = store.conn.execute("SELECT unit_id, profile, items FROM profile_scores p WHERE run_id=? AND "
                                      "profile=(SELECT profile FROM scores s WHERE s.run_id=p.run_id AND "
                                      "s.unit_id=p.unit_id)", (run_id,)).fetchall()
        except sqlite3.Error:  # no scores written (reports failed): counts only
            rows = []
        for uid, _profile, items in rows:
            sc = json.loads(items or "{}")
            if uid in out:
                out[uid].update(score=sc.get("provisional"), grade=sc.get("provisional_grade"))
        return out
    finally:
        store.close()
