"""Print a store's findings as sorted `rule outcome fingerprint` lines and their md5: the check stage's
output in a form two versions can be compared by (same store, `govaudit check` with each version).

usage: python bench/findings_digest.py STORE [RUN_ID]
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys


def main() -> None:
    db = sqlite3.connect(sys.argv[1])
    run = sys.argv[2] if len(sys.argv) > 2 else db.execute(
        "SELECT id FROM runs ORDER BY started DESC, rowid DESC LIMIT 1").fetchone()[0]
    rows = sorted(f"{r} {o} {fp}" for r, o, fp in db.execute(
        "SELECT rule, outcome, fingerprint FROM findings WHERE run_id=?", (run,)))
    text = "\n".join(rows) + "\n"
    sys.stdout.write(text)
    print(f"# {len(rows)} findings, md5 {hashlib.md5(text.encode()).hexdigest()}", file=sys.stderr)


if __name__ == "__main__":
    main()
