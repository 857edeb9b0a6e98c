"""Reviewers' verdicts (复核) on findings, keyed by the finding's stable fingerprint.

Kept in two places that agree: the store's `reviews` table (what the reports read) and a YAML file
(default OUT/reviews.yaml) that people can edit and keep in version control. Loading merges both;
for one fingerprint the most recent verdict wins. A verdict overrides the machine's outcome:
confirmed → fail, false-positive → pass, fixed → pass (shown as 已整改).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from govaudit.config import ConfigError, load_yaml, validate
from govaudit import schema
from govaudit.store import Store

log = logging.getLogger("govaudit.reviews")

VERDICTS = ("confirmed", "false-positive", "fixed")
VERDICT_LABELS = {"confirmed": "确认问题", "false-positive": "误报", "fixed": "已整改"}
EFFECTIVE = {"confirmed": "fail", "false-positive": "pass", "fixed": "pass"}
REVIEWS_FILE = "reviews.yaml"


_FILE_SCHEMA: dict[str, Any] = {"reviews": [{"fingerprint": "", "verdict": "", "by": "", "at": "", "note": "",
                                             "rule": "", "unit": "", "url": ""}]}


@dataclass
class Review:
    fingerprint: str
    verdict: str
    by: str
    at: str
    note: str = ""
    rule: str = ""
    unit: str = ""
    url: str = ""

    @property
    def label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)

    @property
    def outcome(self) -> str:
        return EFFECTIVE[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def ensure_table(store: Store) -> None:
    store.conn.executescript(schema.REVIEWS)  # a store opened read-only may predate the table


def store_reviews(store: Store) -> dict[str, Review]:
    ensure_table(store)
    rows = store.conn.execute("SELECT fingerprint, verdict, by, at, note, rule, unit_id, url FROM reviews").fetchall()
    return {r[0]: Review(r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "", r[6] or "", r[7] or "")
            for r in rows}


def file_reviews(path: Path) -> dict[str, Review]:
    """Reviews from a YAML file (missing file: none); errors name the file, line and key."""
    if not path.exists():
        return {}
    raw = load_yaml(path)
    if raw is None:
        return {}
    conf = validate(raw, _FILE_SCHEMA, path)
    out: dict[str, Review] = {}
    for i, (r_raw, r) in enumerate(zip(raw.get("reviews") or [], conf["reviews"])):
        lines = getattr(r_raw, "lines", {})
        if not r["fingerprint"]:
            raise ConfigError(path, f"reviews[{i}].fingerprint", "required", getattr(r_raw, "line", None))
        if r["verdict"] not in VERDICTS:
            raise ConfigError(path, f"reviews[{i}].verdict", f"must be one of {', '.join(VERDICTS)}",
                              lines.get("verdict"))
        if not r["by"]:
            raise ConfigError(path, f"reviews[{i}].by", "required: who decided", getattr(r_raw, "line", None))
        out[r["fingerprint"]] = Review(r["fingerprint"], r["verdict"], r["by"], str(r["at"]), r["note"],
                                       r["rule"], r["unit"], r["url"])
    return out


def load_reviews(store: Store, path: Path | None) -> dict[str, Review]:
    """Both sources merged; for the same fingerprint the later verdict (by `at`) wins."""
    merged = store_reviews(store)
    for fp, r in (file_reviews(path) if path else {}).items():
        if fp not in merged or (r.at or "") >= (merged[fp].at or ""):
            merged[fp] = r
    return merged


def save_review(store: Store, review: Review, path: Path | None) -> None:
    """Record a verdict in the store and in the YAML file (rewritten sorted, atomically)."""
    ensure_table(store)
    with store.conn:
        store.conn.execute("INSERT OR REPLACE INTO reviews VALUES (?,?,?,?,?,?,?,?)",
                           (review.fingerprint, review.verdict, review.by, review.at, review.note,
                            review.rule, review.unit, review.url))
    if path is not None:
        all_reviews = file_reviews(path)
        all_reviews[review.fingerprint] = review
        write_file(path, all_reviews.values())


def clear_review(store: Store, fingerprint: str, path: Path | None) -> bool:
    """Withdraw a verdict (from the store and the file); True when there was one."""
    ensure_table(store)
    with store.conn:
        n = store.conn.execute("DELETE FROM reviews WHERE fingerprint=?", (fingerprint,)).rowcount
    if path is not None and path.exists():
        reviews = file_reviews(path)
        if reviews.pop(fingerprint, None) is not None:
            write_file(path, reviews.values())
            n += 1
    return n > 0


def sync_to_store(store: Store, path: Path) -> int:
    """Copy the file's verdicts into the store where they are newer (a file edited by hand)."""
    current = store_reviews(store)
    n = 0
    for fp, r in file_reviews(path).items():
        if fp not in current or (r.at or "") >= (current[fp].at or ""):
            if current.get(fp) != r:
                save_review(store, r, None)
                n += 1
    return n


def write_file(path: Path, reviews: Any) -> None:
    rows = sorted((r.to_dict() for r in reviews), key=lambda d: (d["unit"], d["rule"], d["fingerprint"]))
    text = ("# Reviewers' verdicts (复核) on findings, by fingerprint. Keep this file in version control;\n"
            "# edit it or use `govaudit review FINGERPRINT --verdict confirmed|false-positive|fixed --by NAME`.\n"
            + yaml.safe_dump({"reviews": rows}, allow_unicode=True, sort_keys=False, width=120))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def apply(finding: dict[str, Any], reviews: dict[str, Review]) -> dict[str, Any]:
    """The finding with `effective` outcome and its `review` (if any) attached (a new dict)."""
    r = reviews.get(finding.get("fingerprint") or "")
    out = dict(finding)
    out["machine_outcome"] = finding["outcome"]
    out["review"] = r.to_dict() | {"label": r.label} if r else None
    out["effective"] = r.outcome if r and finding["outcome"] in ("fail", "needs_review") else finding["outcome"]
    return out
