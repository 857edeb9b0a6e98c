"""Everything the outputs show, gathered once from the store: units, findings with reviewers'
verdicts applied, scores per rubric profile, and what changed since the previous run."""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.checks.registry import all_rules
from govaudit.model import fingerprint
from govaudit.store import Store, now_iso
from govaudit.reports.reviews import REVIEWS_FILE, Review, apply, load_reviews
from govaudit.reports.rubric import Rubric, load_rubric
from govaudit.reports.scoring import UnitScore, save_scores, score_unit

log = logging.getLogger("govaudit.reports")

PROBLEMS = ("fail", "needs_review")
NOT_CHECKED = "未能检测：本次运行未执行此规则的检查（运行 govaudit check --out 目录 补齐）"

# Which rules the check stage ran, per run and unit: a rule the registry holds that was never run on
# a unit is `not_measured` in every output, never a silent full mark (see with_every_rule). Created
# by its writer, so a store that never had a check stage simply lacks it.
CHECKED_SCHEMA = """
CREATE TABLE IF NOT EXISTS checked_rules (
  run_id TEXT, unit_id TEXT, rule TEXT, at TEXT, PRIMARY KEY (run_id, unit_id, rule));
"""


def record_checked(store: Store, run_id: str, unit_ids: list[str], rule_ids: list[str]) -> None:
    store.conn.executescript(CHECKED_SCHEMA)
    at = now_iso()
    with store.conn:
        store.conn.executemany("INSERT OR REPLACE INTO checked_rules VALUES (?,?,?,?)",
                               [(run_id, u, r, at) for u in unit_ids for r in rule_ids])


def checked_rules(store: Store, run_id: str, unit_id: str) -> set[str] | None:
    """The rules run on the unit, or None when the store does not say (written before this record)."""
    if not store.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='checked_rules'").fetchone():
        return None
    rows = store.conn.execute("SELECT rule FROM checked_rules WHERE run_id=? AND unit_id=?", (run_id, unit_id))
    return {r[0] for r in rows} or None


@dataclass
class UnitView:
    row: dict[str, Any]                       # the store's units row
    findings: list[dict[str, Any]]            # with 'effective', 'review', 'machine_outcome'
    scores: dict[str, UnitScore]              # profile → score
    changes: dict[str, list[dict[str, Any]]] | None = None   # new / fixed / open, vs previous run
    previous_run: str | None = None
    screenshots: dict[str, str] = field(default_factory=dict)  # page url → screenshot file
    trend: list[dict[str, Any]] = field(default_factory=list)  # earlier runs: date, problems, score

    @property
    def id(self) -> str:
        return self.row["unit_id"]

    @property
    def problems(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["effective"] in PROBLEMS]

    @property
    def counts(self) -> Counter[str]:
        return Counter(f["effective"] for f in self.findings)


@dataclass
class Portfolio:
    run: dict[str, Any]
    units: list[UnitView]
    rubrics: list[Rubric]
    reviews: dict[str, Review] = field(default_factory=dict)
    reviews_path: Path | None = None
    rule_titles: dict[str, str] = field(default_factory=dict)  # as the check stage stored them

    def rule_title(self, rule: str) -> str:
        return self.rule_titles.get(rule, rule)

    @property
    def primary(self) -> Rubric:
        return self.rubrics[0]

    def ranked(self) -> list[UnitView]:
        p = self.primary.profile
        return sorted(self.units, key=lambda u: (-(u.scores[p].provisional), u.id))

    def rule_counts(self) -> list[tuple[str, int, int, int]]:
        """(rule, fail, needs_review, units affected) over all units, most problems first."""
        fails: Counter[str] = Counter()
        reviews: Counter[str] = Counter()
        units: dict[str, set[str]] = {}
        for u in self.units:
            for f in u.problems:
                (fails if f["effective"] == "fail" else reviews)[f["rule"]] += 1
                units.setdefault(f["rule"], set()).add(u.id)
        rules = sorted(units, key=lambda r: (-(fails[r] + reviews[r]), r))
        return [(r, fails[r], reviews[r], len(units[r])) for r in rules]


def with_every_rule(raw: list[dict[str, Any]], unit_id: str, url: str,
                    checked: set[str] | None = None) -> list[dict[str, Any]]:
    """The unit's stored findings with each rule's appraisal item read from the registry (its one
    source; stores written before an item moved say otherwise), plus a `not_measured` finding for
    every registered rule that was not run on the unit (`checked`: the rules the check stage
    recorded; None = not recorded, nothing added): a rule that never ran must not score full marks."""
    rules = all_rules()
    items = {r.id: r.item for r in rules}
    out = [{**f, "item": items.get(f["rule"], f["item"])} for f in raw]
    seen = {f["rule"] for f in raw}
    for r in rules:
        if checked is not None and r.id not in seen and r.id not in checked:
            out.append({"id": None, "run_id": None, "unit_id": unit_id, "rule": r.id, "item": r.item, "outcome": "not_measured",
                        "url": url, "target": None, "message": NOT_CHECKED, "data": {"reason": "not checked"},
                        "evidence": [], "fingerprint": fingerprint(r.id, unit_id, url, "", "not-checked")})
    return out


def default_rubrics() -> list[Rubric]:
    return [load_rubric("standard"), load_rubric("national")]


def unit_changes(store: Store, run_id: str, unit_id: str, fs: list[dict[str, Any]],
                 reviews: dict[str, Review]) -> tuple[dict[str, list[dict[str, Any]]] | None, str | None]:
    """new / fixed / open / unverified against the previous complete run (govaudit.history, which
    tells 'fixed' from 'could not be measured tonight'); (None, None) without a previous run."""
    from govaudit import history

    try:
        d = history.diff_unit(store, run_id, unit_id)
    except Exception:  # noqa: BLE001 — a history problem must not cost the report
        log.exception("history diff for %s failed; the report shows no changes", unit_id)
        return None, None
    if not d.get("previous_run"):
        return None, None
    return {k: d.get(k) or [] for k in ("new", "fixed", "open", "unverified")}, d["previous_run"]


def unit_trend(store: Store, unit_id: str, profile: str, run_id: str) -> list[dict[str, Any]]:
    """Per earlier complete run and this one: date, problems, and our stored score (when scored)."""
    rows = store.conn.execute(
        "SELECT r.id, r.today, (SELECT COUNT(*) FROM findings f WHERE f.run_id=r.id AND f.unit_id=? "
        "AND f.outcome IN ('fail','needs_review')) FROM runs r WHERE (r.status='complete' OR r.id=?) AND EXISTS "
        "(SELECT 1 FROM findings f WHERE f.run_id=r.id AND f.unit_id=?) ORDER BY r.started DESC, r.rowid DESC LIMIT 30",
        (unit_id, run_id, unit_id)).fetchall()[::-1]
    has_scores = store.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='profile_scores'").fetchone()
    out = []
    for rid, today, problems in rows:
        if not has_scores:
            out.append({"run": rid, "date": today, "problems": problems, "score": None})
            continue
        sc = store.conn.execute("SELECT provisional FROM profile_scores WHERE run_id=? AND unit_id=? AND profile=?",
                                (rid, unit_id, profile)).fetchone()
        provisional = sc[0] if sc else None
        out.append({"run": rid, "date": today, "problems": problems, "score": provisional})
    return out


def collect(store: Store, run_id: str, rubrics: list[Rubric] | None = None,
            reviews_path: Path | None = None, save: bool = True) -> Portfolio:
    rubrics = rubrics or default_rubrics()
    reviews = load_reviews(store, reviews_path)
    run = store.run(run_id)
    units: list[UnitView] = []
    for u in store.units(run_id):
        raw = with_every_rule(store.findings(run_id, u["unit_id"]), u["unit_id"], u["url"],
                              checked_rules(store, run_id, u["unit_id"]))
        fs = [apply(f, reviews) for f in raw]
        scores = {r.profile: score_unit(r, u["unit_id"], raw, reviews) for r in rubrics}
        shots = {r[0]: r[1] for r in store.conn.execute(
            "SELECT url, screenshot FROM pages WHERE run_id=? AND unit_id=? AND screenshot IS NOT NULL "
            "AND screenshot != ''", (run_id, u["unit_id"]))}
        view = UnitView(row=u, findings=fs, scores=scores, screenshots=shots)
        view.changes, view.previous_run = unit_changes(store, run_id, u["unit_id"], fs, reviews)
        units.append(view)
    if save:
        for i, r in enumerate(rubrics):
            save_scores(store, run_id, [u.scores[r.profile] for u in units], primary=i == 0)
    for u in units:
        u.trend = unit_trend(store, u.id, rubrics[0].profile, run_id)
        for t in u.trend:
            if t["run"] == run_id:
                t["score"] = u.scores[rubrics[0].profile].provisional
    return Portfolio(run=run, units=units, rubrics=rubrics, reviews=reviews, reviews_path=reviews_path,
                     rule_titles=store.rule_titles(run_id))


def reviews_path_for(out: Path, given: str | Path | None = None) -> Path:
    return Path(given) if given else out / REVIEWS_FILE
