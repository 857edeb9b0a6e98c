"""Everything the outputs show, gathered once from the store: units, findings with reviewers'
verdicts applied, scores per rubric profile, and what changed since the previous run."""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.model import fingerprint
from govaudit.store import Store, now_iso
from govaudit.reports.reviews import REVIEWS_FILE, Review, apply, load_reviews
from govaudit.reports.rubric import Rubric, load_rubric
from govaudit.reports.scoring import UnitScore, save_scores, score_unit
from govaudit import history

log = logging.getLogger("govaudit.reports")

PROBLEMS = ("fail", "needs_review")
NOT_CHECKED = "未能检测：本次运行未执行此规则的检查（运行 govaudit check --out 目录 补齐）"

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


def with_every_rule(raw: list[dict[str, Any]], unit_id: str, url: str, checked: set[str] | None,
                    catalog: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The unit's stored findings with each rule's appraisal item from the run's rule catalogue (its
    one source; findings stored before an item moved say otherwise), plus a `not_measured` finding
    for every catalogued rule that was not run on the unit (`checked`: the rules the check stage
    recorded; None = not recorded, nothing added): a rule that never ran must not score full marks."""
    out = [{**f, "item": catalog[f["rule"]][0] if f["rule"] in catalog else f["item"]} for f in raw]
    seen = {f["rule"] for f in raw}
    for rule, (item, _title) in catalog.items():
        if checked is not None and rule not in seen and rule not in checked:
            out.append({"id": None, "run_id": None, "unit_id": unit_id, "rule": rule, "item": item, "outcome": "not_measured",
                        "url": url, "target": None, "message": NOT_CHECKED, "data": {"reason": "not checked"},
                        "evidence": [], "fingerprint": fingerprint(rule, unit_id, url, "", "not-checked")})
    return out


def rule_items(store: Store, run_id: str) -> dict[str, str] | None:
    """Rule id -> appraisal item as the run's check stage recorded it (None before any check): a
    rubric's deductions are validated against it."""
    return {r: item for r, (item, _t) in store.rule_catalog(run_id).items()} or None


def unit_findings(store: Store, run_id: str, unit: dict[str, Any]) -> list[dict[str, Any]]:
    """A unit's findings as every output shows them (with_every_rule over the store's record)."""
    return with_every_rule(store.findings(run_id, unit["unit_id"]), unit["unit_id"], unit["url"],
                           store.checked_rules(run_id, unit["unit_id"]), store.rule_catalog(run_id))


def default_rubrics(items: dict[str, str] | None = None) -> list[Rubric]:
    return [load_rubric("standard", items), load_rubric("national", items)]


def unit_changes(store: Store, run_id: str, unit_id: str, fs: list[dict[str, Any]],
                 reviews: dict[str, Review]) -> tuple[dict[str, list[dict[str, Any]]] | None, str | None]:
    """new / fixed / open / unverified against the previous complete run (govaudit.history, which
    tells 'fixed' from 'could not be measured tonight'); (None, None) without a previous run."""

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
    rubrics = rubrics or default_rubrics(rule_items(store, run_id))
    reviews = load_reviews(store, reviews_path)
    run = store.run(run_id)
    units: list[UnitView] = []
    for u in store.units(run_id):
        raw = unit_findings(store, run_id, u)
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
                     rule_titles={r: title for r, (_item, title) in store.rule_catalog(run_id).items()})


def reviews_path_for(out: Path, given: str | Path | None = None) -> Path:
    return Path(given) if given else out / REVIEWS_FILE
