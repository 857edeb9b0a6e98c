"""Scores: the rubric applied to one unit's findings (after reviewers' verdicts).

Per item: the machine's proposed score = max − min(cap, Σ deductions), where each deduction line of
the rubric counts the matching problem findings (`fail`, plus `needs_review` when the line says so;
a reviewer's verdict replaces the machine's outcome). Manual items get no proposed score. An item
whose rules could only say `not_measured` gets no proposed score either: the machine did not see it.
A rule that has produced no findings at all simply does not deduct.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from govaudit import schema
from govaudit.store import Store, now_iso
from govaudit.reports.reviews import Review, apply
from govaudit.reports.rubric import Deduction, Item, Rubric



@dataclass
class Line:
    """One deduction line applied: which findings it counted and how many points it took."""
    rule: str
    title: str
    per: str
    points: float
    cap: float
    fingerprints: list[str]
    deducted: float


@dataclass
class ItemScore:
    id: str
    title: str
    group: str
    group_title: str
    max: float
    kind: str
    manual: bool
    proposed: float | None
    deducted: float
    lines: list[Line] = field(default_factory=list)
    problems: int = 0            # problem findings counted against the item
    reviewed: int = 0            # of the item's findings, how many carry a verdict
    not_measured: list[str] = field(default_factory=list)   # rules that could not measure
    rules: list[str] = field(default_factory=list)          # rules with findings under this item
    status: str = ""             # 人工评分 / 未能检测 / 部分未能检测 / 机器评分


@dataclass
class UnitScore:
    unit_id: str
    profile: str
    rubric_title: str
    rubric_version: str
    rubric_sha256: str
    items: list[ItemScore]
    base: float
    bonus: float
    penalty: float
    total: float | None
    grade: str
    vetoes: list[dict[str, Any]]
    manual_open: int             # manual base items (waiting for the reviewer)
    manual_points: float         # their maxima
    unmeasured: int              # machine base items that could not be measured (no score)
    unmeasured_points: float     # their maxima
    max_total: float
    provisional: float           # total with the manual items at full marks, unmeasured ones at 0 (暂定)
    provisional_grade: str

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def counts_against(f: dict[str, Any], d: Deduction) -> bool:
    eff = f["effective"]
    if eff == "fail":
        return True
    return eff == "needs_review" and d.needs_review


def _line_points(d: Deduction, hits: list[dict[str, Any]]) -> float:
    if not hits:
        return 0.0
    if d.per == "once":
        return d.points
    if d.per == "finding":
        return d.points * len(hits)
    total = 0.0
    for f in hits:
        v = (f.get("data") or {}).get(d.field)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += d.points * float(v)
        elif isinstance(v, list):
            total += d.points * len(v)
    return total


def score_item(item: Item, group_title: str, findings: list[dict[str, Any]]) -> ItemScore:
    mine = [f for f in findings if any(d.matches_rule(f["rule"]) for d in item.deduct)]
    s = ItemScore(id=item.id, title=item.title, group=item.group, group_title=group_title, max=item.max,
                  kind=item.kind, manual=item.manual, proposed=None, deducted=0.0,
                  rules=sorted({f["rule"] for f in mine}))
    if item.manual:
        s.status = "人工评分"
        return s
    counted: set[str] = set()
    for d in item.deduct:
        hits = [f for f in mine if d.matches(f) and counts_against(f, d)]
        pts = _line_points(d, hits)
        if d.cap:
            pts = min(pts, d.cap)
        if hits:
            s.lines.append(Line(d.rule, d.title, d.per, d.points, d.cap, [f["fingerprint"] for f in hits], round(pts, 4)))
            counted.update(f["fingerprint"] for f in hits)
        s.deducted += pts
    s.deducted = round(min(s.deducted, item.max), 4)
    s.problems = len(counted)
    s.reviewed = sum(1 for f in mine if f.get("review"))
    rules_seen = {f["rule"] for f in mine}
    s.not_measured = sorted(r for r in rules_seen
                            if all(f["effective"] == "not_measured" for f in mine if f["rule"] == r))
    if rules_seen and len(s.not_measured) == len(rules_seen):
        s.status = "未能检测"
        return s
    s.status = "部分未能检测" if s.not_measured else "机器评分"
    s.proposed = round(item.max - s.deducted, 4) if item.kind == "base" else round(s.deducted, 4)
    return s


def score_unit(rubric: Rubric, unit_id: str, findings: list[dict[str, Any]],
               reviews: dict[str, Review] | None = None) -> UnitScore:
    """Score one unit. `findings` are store rows; reviews override their outcomes."""
    fs = [apply(f, reviews or {}) for f in findings]
    titles = {g.id: g.title for g in rubric.groups}
    items = [score_item(i, titles[i.group], fs) for i in rubric.items]
    base = sum(s.proposed or 0.0 for s in items if s.kind == "base")
    bonus = sum(s.proposed or 0.0 for s in items if s.kind == "bonus")
    penalty = sum(s.proposed or 0.0 for s in items if s.kind == "penalty")
    vetoes = []
    for v in rubric.vetoes:
        d = v.as_deduction()
        hits = [f for f in fs if d.matches(f) and counts_against(f, d)]
        if len(hits) >= v.min_count:
            vetoes.append({"id": v.id, "title": v.title, "rule": v.rule, "count": len(hits),
                           "fingerprints": [f["fingerprint"] for f in hits]})
    open_items = [s for s in items if s.proposed is None and s.kind == "base"]
    manual = [s for s in open_items if s.manual]
    unmeasured = [s for s in open_items if not s.manual]
    manual_points = sum(s.max for s in manual)
    total = round(max(0.0, base + bonus - penalty), 2)
    provisional = round(max(0.0, base + manual_points + bonus - penalty), 2)
    grade = rubric.grade(total, True) if vetoes else ("待人工评分" if open_items else rubric.grade(total))
    return UnitScore(unit_id=unit_id, profile=rubric.profile, rubric_title=rubric.title,
                     rubric_version=rubric.version, rubric_sha256=rubric.digest, items=items,
                     base=round(base, 2), bonus=round(bonus, 2), penalty=round(penalty, 2), total=total,
                     grade=grade, vetoes=vetoes, manual_open=len(manual), manual_points=manual_points,
                     unmeasured=len(unmeasured), unmeasured_points=sum(s.max for s in unmeasured),
                     max_total=rubric.total, provisional=provisional,
                     provisional_grade=rubric.grade(provisional, bool(vetoes)))


def _ensure_tables(store: Store) -> None:
    cols = [r[1] for r in store.conn.execute("PRAGMA table_info(scores)")]
    if cols and "score" not in cols or "items" in cols:   # an earlier layout: derived data, rebuild
        store.conn.execute("DROP TABLE scores")
    store.conn.executescript(schema.SCORES)


def save_scores(store: Store, run_id: str, scores: list[UnitScore], primary: bool = False) -> None:
    """Store each score with the rubric's profile, version and file hash; `primary`: also as the
    run's score (the `scores` table)."""
    _ensure_tables(store)
    with store.conn:
        for s in scores:
            store.conn.execute(
                "INSERT OR REPLACE INTO profile_scores VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, s.unit_id, s.profile, s.rubric_version, s.rubric_sha256, s.total, s.provisional, s.grade,
                 int(s.vetoed), json.dumps(s.to_dict(), ensure_ascii=False), now_iso()))
            if primary:
                store.conn.execute("INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?,?,?)",
                                   (run_id, s.unit_id, s.provisional, s.total, s.grade, s.profile, s.rubric_version))


def stored_scores(store: Store, run_id: str, profile: str = "standard") -> dict[str, dict[str, Any]]:
    _ensure_tables(store)
    rows = store.conn.execute("SELECT unit_id, total, provisional, grade, rubric_version, rubric_sha256, vetoed "
                              "FROM profile_scores WHERE run_id=? AND profile=?", (run_id, profile)).fetchall()
    return {r[0]: {"total": r[1], "provisional": r[2], "grade": r[3], "rubric_version": r[4],
                   "rubric_sha256": r[5], "vetoed": bool(r[6])} for r in rows}
