"""govaudit check / report — re-run the checks, or only the outputs, over a stored crawl."""
from __future__ import annotations

import argparse
from pathlib import Path

from govaudit.commands._common import load_rules, parse_today


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
    r.add_argument("--rubric", metavar="FILE", help="scoring rubric file, or 'standard' / 'national' (default config/rubric.yaml)")
    r.add_argument("--reviews", metavar="FILE", help="reviewers' verdicts YAML (default: OUT/reviews.yaml)")
    r.add_argument("--bundle", action="store_true", help="also write an evidence zip per unit to OUT/bundles/")
    r.add_argument("--warc", action="store_true", default=None, help="add a WARC of the cited responses to each bundle")
    r.add_argument("--pdf", action="store_true", help="also print report.pdf and units/<unit>.pdf (A4, with Chromium)")
    r.set_defaults(func=run_report)


def _open(out: str):  # noqa: ANN202
    from govaudit.cli import UsageError
    from govaudit.pipeline import STORE_NAME
    from govaudit.store import Store

    path = Path(out) / STORE_NAME
    if not path.exists():
        raise UsageError(f"no store at {path} (run `govaudit audit` first)")
    return Store(path)


def run_check(args: argparse.Namespace) -> int:
    import datetime as dt

    from govaudit.commands.audit import output_label  # start-up cost: a command loads its stages when it runs
    from govaudit.pipeline import check_and_report, units_from_store

    store = _open(args.out)
    try:
        run = store.run(args.run)
        units = units_from_store(store, run["id"])
    except LookupError as e:
        from govaudit.cli import UsageError

        raise UsageError(str(e)) from None
    finally:
        store.close()
    today = parse_today(args.today) if args.today else dt.date.fromisoformat(run["today"])
    result = check_and_report(store.path, run["id"], units, load_rules(args), today, Path(args.out), args.rule)
    c = result.counts
    print(f"检查批次 {run['id']}：不合格 {c.get('fail', 0)}，待复核 {c.get('needs_review', 0)}，通过 {c.get('pass', 0)}")
    for name, path in result.outputs.items():
        print(f"{output_label(name)}：{path}")
    return 1 if c.get("fail") else 0


def run_report(args: argparse.Namespace) -> int:
    from govaudit.commands.audit import output_label  # start-up cost: a command loads its stages when it runs
    from govaudit.pipeline import write_reports

    store = _open(args.out)
    try:
        try:
            run = store.run(args.run)
        except LookupError as e:
            from govaudit.cli import UsageError

            raise UsageError(str(e)) from None
        options = {"rubric": args.rubric, "reviews": args.reviews, "bundle": args.bundle, "warc": args.warc}
        outputs = write_reports(store, run["id"], Path(args.out), **options)
        if args.pdf:
            from govaudit.commands._pdf import PdfError, write_report_pdfs  # Playwright: loaded only for --pdf

            try:
                outputs.update(write_report_pdfs(Path(args.out), [u["unit_id"] for u in store.units(run["id"])]))
            except PdfError as e:
                from govaudit.cli import UsageError

                raise UsageError(str(e)) from None
        for name, path in outputs.items():
            print(f"{output_label(name)}：{path}")
    finally:
        store.close()
    return 0
