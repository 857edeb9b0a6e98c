"""govaudit review FINGERPRINT --verdict … — record a reviewer's verdict (复核) on a finding."""
from __future__ import annotations

import argparse
from pathlib import Path

from govaudit.commands._common import UsageError, writes_out
from govaudit.text import local_time


def register(sub: argparse._SubParsersAction) -> None:
    from govaudit.reports.reviews import VERDICTS  # start-up cost: a command loads its stages when it runs

    p = sub.add_parser("review", help="record a reviewer's verdict on a finding (confirmed, false-positive, fixed)")
    p.add_argument("fingerprint", nargs="?", help="the finding's fingerprint (a unique prefix is enough)")
    p.add_argument("--verdict", choices=VERDICTS)
    p.add_argument("--by", help="who decided (name)")
    p.add_argument("--note", default="", help="why")
    p.add_argument("--out", default="out", help="folder with the store (default: out)")
    p.add_argument("--reviews", metavar="FILE", help="reviews YAML kept in version control (default: OUT/reviews.yaml)")
    p.add_argument("--list", action="store_true", help="list the recorded verdicts")
    p.add_argument("--sync", action="store_true", help="copy verdicts edited in the YAML file into the store")
    p.add_argument("--clear", action="store_true", help="withdraw the verdict on FINGERPRINT (store and file)")
    p.add_argument("--no-report", action="store_true", help="do not re-render the outputs afterwards")
    p.set_defaults(func=run)


@writes_out(create=False)
def run(args: argparse.Namespace) -> int:
    from govaudit.commands.check import _open  # start-up cost: a command loads its stages when it runs
    from govaudit.reports.collect import reviews_path_for  # start-up cost: a command loads its stages when it runs
    from govaudit.reports.reviews import Review, clear_review, load_reviews, now, save_review, sync_to_store  # start-up cost: a command loads its stages when it runs

    store = _open(args.out)
    path = reviews_path_for(Path(args.out), args.reviews)
    try:
        if args.list:
            for r in sorted(load_reviews(store, path).values(), key=lambda r: r.at):
                print(f"{r.fingerprint}  {r.verdict:14} {r.by}  {r.at}  {r.rule} {r.url}  {r.note}")
            return 0
        if args.sync:
            print(f"{sync_to_store(store, path)} verdict(s) copied from {path} into the store")
        elif args.clear:
            if not args.fingerprint:
                raise UsageError("give the FINGERPRINT whose verdict to withdraw")
            known = {fp for fp in load_reviews(store, path) if fp.startswith(args.fingerprint.strip().lower())}
            if len(known) != 1:
                raise UsageError(f"{len(known) or 'no'} verdicts match {args.fingerprint!r}")
            fp = known.pop()
            clear_review(store, fp, path)
            print(f"{fp}: verdict withdrawn")
        else:
            if not args.fingerprint or not args.verdict or not args.by:
                raise UsageError("give FINGERPRINT --verdict confirmed|false-positive|fixed --by NAME [--note TEXT]")
            rows = store.conn.execute(
                "SELECT DISTINCT fingerprint, rule, unit_id, url FROM findings WHERE fingerprint LIKE ? "
                "ORDER BY id DESC", (args.fingerprint.strip().lower() + "%",)).fetchall()
            fps = {r[0]: r for r in rows}
            if not fps:
                raise UsageError(f"no finding with fingerprint {args.fingerprint!r} in {store.path}")
            if len(fps) > 1:
                raise UsageError(f"fingerprint prefix {args.fingerprint!r} is ambiguous ({len(fps)} findings)")
            fp, rule, unit, url = next(iter(fps.values()))
            review = Review(fingerprint=fp, verdict=args.verdict, by=args.by, at=now(), note=args.note,
                            rule=rule, unit=unit, url=url or "")
            save_review(store, review, path)
            print(f"{fp}：{review.label}（{review.by}，{local_time(review.at)}） → {path}")
        if not args.no_report:
            from govaudit.commands.audit import output_label  # start-up cost: a command loads its stages when it runs
            from govaudit.pipeline import render, summary_line  # start-up cost: a command loads its stages when it runs

            run_id = store.run()["id"]
            written = render(store, run_id, Path(args.out), reviews=path)
            print(f"检查批次 {run_id}：{summary_line(written.counts)}")
            for name, out in written.outputs.items():
                print(f"{output_label(name)}：{out}")
    finally:
        store.close()
    return 0
