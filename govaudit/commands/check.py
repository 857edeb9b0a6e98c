"""govaudit check / report — re-run the checks, or only the outputs, over a stored crawl."""
from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from govaudit.commands._common import UsageError, load_rules, parse_today, writes_out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="re-run the checks over a stored crawl (no network), then the reports")
    p.add_argument("--out", default="out", help="folder with the store (default: out)")
    p.add_argument("--run", help="run id (default: the latest)")
    p.add_argument("--rule", action="append", help="only these rules or families (repeatable): link.broken, link")
    p.add_argument("--rules-config", metavar="FILE")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="audit date (default: the run's date)")
    p.set_defaults(func=run_check)
    r = sub.add_parser("report", help="re-render the outputs from the store (no crawling, no checks)")
    r.add_argument("--out", default="out", help="folder with the store (default: out)")
    r.add_argument("--run", help="run id (default: the latest)")
    r.add_argument("--rubric", metavar="FILE", help="the grading profile: a rubric file, or 'standard' / 'national' "
                   "(default: the profile config/grading.yaml names)")
    r.add_argument("--reviews", metavar="FILE", help="reviewers' verdicts YAML (default: OUT/reviews.yaml)")
    r.add_argument("--bundle", action="store_true", help="also write an evidence zip per unit to OUT/bundles/")
    r.add_argument("--warc", action="store_true", default=None, help="add a WARC of the cited responses to each bundle")
    r.add_argument("--pdf", action="store_true", help="also print report.pdf and units/<unit>.pdf (A4, with Chromium)")
    r.set_defaults(func=run_report)


def _open(out: str):  # noqa: ANN202
    from govaudit.store import STORE_NAME  # start-up cost: a command loads its stages when it runs
    from govaudit.store import Store  # start-up cost: a command loads its stages when it runs

    path = Path(out) / STORE_NAME
    if not path.exists():
        raise UsageError(f"no store at {path} (run `govaudit audit` first)")
    return Store(path)


def rule_patterns(patterns: list[str] | None) -> list[str] | None:
    """--rule values: each an id or a family (link, link.*) of the registry; anything else is a
    usage error naming the closest ids (a typo must never run nothing and replace everything)."""
    from govaudit.checks.registry import all_rules  # start-up cost: a command loads its stages when it runs
    if not patterns:
        return None
    ids = [r.id for r in all_rules()]
    families = sorted({i.split(".")[0] for i in ids})
    for p in patterns:
        family = p.rstrip("*").rstrip(".")
        if p in ids or family in families:
            continue
        close = difflib.get_close_matches(p, ids + families, n=3, cutoff=0.5)
        hint = f"；相近的规则：{', '.join(close)}" if close else ""
        raise UsageError(f"--rule: 未知规则 {p!r}{hint}（全部规则见 govaudit rules）")
    return patterns


@writes_out(create=False)
def run_check(args: argparse.Namespace) -> int:
    import datetime as dt  # start-up cost: a command loads its stages when it runs

    from govaudit.pipeline import check_and_report, summary_line, units_from_store  # start-up cost: a command loads its stages when it runs
    from govaudit.commands.audit import output_label  # start-up cost: a command loads its stages when it runs

    patterns = rule_patterns(args.rule)
    store = _open(args.out)
    try:
        run = store.run(args.run)
        units = units_from_store(store, run["id"])
    except LookupError as e:
        raise UsageError(str(e)) from None
    finally:
        store.close()
    today = parse_today(args.today) if args.today else dt.date.fromisoformat(run["today"])
    result = check_and_report(store.path, run["id"], units, load_rules(args), today, Path(args.out), patterns)
    print(f"检查批次 {run['id']}：{summary_line(result.counts)}")
    for name, path in result.outputs.items():
        print(f"{output_label(name)}：{path}")
    return exit_code(result.counts)


def exit_code(counts: dict[str, int]) -> int:
    """`check` and `report` alike: 1 when a finding is `fail` after reviewers' verdicts, else 0."""
    return 1 if counts.get("fail") else 0


@writes_out(create=False)
def run_report(args: argparse.Namespace) -> int:
    from govaudit.commands.audit import output_label  # start-up cost: a command loads its stages when it runs
    from govaudit.pipeline import render, summary_line  # start-up cost: a command loads its stages when it runs

    store = _open(args.out)
    try:
        try:
            run = store.run(args.run)
        except LookupError as e:
            raise UsageError(str(e)) from None
        options = {"rubric": args.rubric, "reviews": args.reviews, "bundle": args.bundle, "warc": args.warc}
        written = render(store, run["id"], Path(args.out), **options)
        outputs = dict(written.outputs)
        if args.pdf:
            from govaudit.commands._pdf import PdfError, write_report_pdfs  # Playwright: loaded only for --pdf

            try:
                outputs.update(write_report_pdfs(Path(args.out), [u["unit_id"] for u in store.units(run["id"])]))
            except PdfError as e:
                raise UsageError(str(e)) from None
        print(f"检查批次 {run['id']}：{summary_line(written.counts)}")
        for name, path in outputs.items():
            print(f"{output_label(name)}：{path}")
    finally:
        store.close()
    return exit_code(written.counts)
