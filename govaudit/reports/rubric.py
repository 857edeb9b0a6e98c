"""The rubric: appraisal items with their points, how findings deduct, grade bands and vetoes.

Loaded from YAML (config/rubric.yaml, config/rubric-national.yaml) and validated with the project's
config schema machinery, so a mistake names the file, the line and the key.
"""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govaudit.config import CONFIG_DIR, ConfigError, load_yaml, validate

PERS = ("finding", "once", "count", "ratio")
PROFILES = ("standard", "national")
GRADING_FILE = CONFIG_DIR / "grading.yaml"

DEDUCT_SCHEMA: dict[str, Any] = {"rule": "", "per": "finding", "points": 0.0, "cap": 0.0,
                                 "needs_review": False, "where": {"*": None}, "field": "", "title": ""}
ITEM_SCHEMA: dict[str, Any] = {"id": "", "title": "", "max": 0.0, "manual": False, "bonus": False,
                               "penalty": False, "note": "", "deduct": [DEDUCT_SCHEMA]}
RUBRIC_SCHEMA: dict[str, Any] = {
    "profile": "", "title": "", "version": "", "total": 100.0, "note": "",
    "grades": [{"name": "", "min": 0.0}],
    "vetoes": [{"id": "", "title": "", "rule": "", "where": {"*": None}, "min_count": 1, "needs_review": False}],
    "groups": [{"id": "", "title": "", "items": [ITEM_SCHEMA]}],
}


@dataclass(frozen=True)
class Deduction:
    rule: str
    per: str = "finding"
    points: float = 0.0
    cap: float = 0.0
    needs_review: bool = False
    where: dict[str, Any] = field(default_factory=dict)
    field: str = ""
    title: str = ""

    def matches_rule(self, rule_id: str) -> bool:
        if self.rule.endswith("*"):
            return rule_id.startswith(self.rule.rstrip("*"))
        return rule_id == self.rule

    def matches(self, finding: dict[str, Any]) -> bool:
        if not self.matches_rule(finding["rule"]):
            return False
        data = finding.get("data") or {}
        for k, want in self.where.items():
            have = data.get(k)
            if isinstance(want, list):
                if have not in want:
                    return False
            elif have != want and not (want is False and have is None):
                return False
        return True


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    max: float
    group: str
    manual: bool = False
    bonus: bool = False
    penalty: bool = False
    note: str = ""
    deduct: tuple[Deduction, ...] = ()

    @property
    def kind(self) -> str:
        return "bonus" if self.bonus else "penalty" if self.penalty else "base"


@dataclass(frozen=True)
class Veto:
    id: str
    title: str
    rule: str
    where: dict[str, Any]
    min_count: int = 1
    needs_review: bool = False

    def as_deduction(self) -> Deduction:
        return Deduction(rule=self.rule, where=self.where, needs_review=self.needs_review)


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Rubric:
    profile: str
    title: str
    version: str
    total: float
    grades: tuple[tuple[str, float], ...]   # (name, minimum), highest first
    groups: tuple[Group, ...]
    vetoes: tuple[Veto, ...] = ()
    source: str = ""
    digest: str = ""                          # sha256 of the file: which exact rubric scored

    @property
    def items(self) -> list[Item]:
        return [i for g in self.groups for i in g.items]

    def grade(self, score: float | None, vetoed: bool = False) -> str:
        if score is None:
            return ""
        if vetoed:
            return self.grades[-1][0]
        for name, minimum in self.grades:
            if score >= minimum - 1e-9:
                return name
        return self.grades[-1][0]

    def rule_items(self) -> dict[str, list[str]]:
        """rule pattern → item ids that deduct for it (the rubric's coverage)."""
        out: dict[str, list[str]] = {}
        for i in self.items:
            for d in i.deduct:
                out.setdefault(d.rule, []).append(i.id)
        return out


def default_path(profile: str = "standard") -> Path:
    return CONFIG_DIR / ("rubric.yaml" if profile == "standard" else f"rubric-{profile}.yaml")


def governing_profile(path: Path | None = None) -> str:
    """The profile whose grade is *the* grade (config/grading.yaml `profile`): `standard` (the
    appraisal standard, DB15/T; the default), `national` (the national website inspection) or a
    rubric file (relative to the grading file). The other shipped profile is a secondary view."""
    path = path or GRADING_FILE
    if not path.exists():
        return "standard"
    raw = load_yaml(path) or {}
    conf = validate(raw, {"profile": "standard"}, path)
    value = str(conf["profile"]).strip() or "standard"
    if value in PROFILES:
        return value
    target = Path(value) if Path(value).is_absolute() else path.parent / value
    if not target.is_file():
        raise ConfigError(path, "profile", f"standard, national or a rubric file; {target} not found",
                          _line(raw, "profile"))
    return str(target)


def load_rubric(path: str | Path | None = None, rule_items: dict[str, str] | None = None) -> Rubric:
    """Read and validate a rubric file; a path of 'national' or 'standard' names a shipped profile.
    `rule_items` (rule id -> appraisal item, from the rule registry or a run's rule catalogue): every rule
    the rubric names must exist and deduct under its own item."""
    if path is None or str(path) in ("standard", "national"):
        path = default_path(str(path or "standard"))
    path = Path(path)
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(path, "", "a rubric is a mapping (profile, version, grades, groups)")
    conf = validate(raw, RUBRIC_SCHEMA, path)
    return _build(raw, conf, path, rule_items)


def _line(raw: Any, key: str) -> int | None:
    return getattr(raw, "lines", {}).get(key) or getattr(raw, "line", None)


def _build(raw: dict[str, Any], conf: dict[str, Any], path: Path, rule_items: dict[str, str] | None = None) -> Rubric:
    for req in ("version", "groups", "grades"):
        if not raw.get(req):
            raise ConfigError(path, req, "required", _line(raw, req))
    if conf["total"] <= 0:
        raise ConfigError(path, "total", "must be positive", _line(raw, "total"))
    grades = []
    for i, (g_raw, g) in enumerate(zip(raw["grades"], conf["grades"])):
        if not g["name"]:
            raise ConfigError(path, f"grades[{i}].name", "required", _line(g_raw, "name"))
        grades.append((g["name"], float(g["min"])))
    mins = [m for _, m in grades]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise ConfigError(path, "grades", "list the bands from the highest minimum down, each minimum once",
                          _line(raw, "grades"))
    seen: dict[str, str] = {}
    groups = []
    for gi, (gr_raw, gr) in enumerate(zip(raw["groups"], conf["groups"])):
        gkey = f"groups[{gi}]"
        if not gr["id"]:
            raise ConfigError(path, f"{gkey}.id", "required", _line(gr_raw, "id"))
        items = []
        for ii, (it_raw, it) in enumerate(zip(gr_raw.get("items") or [], gr["items"])):
            key = f"{gkey}.items[{ii}]"
            if not it["id"]:
                raise ConfigError(path, f"{key}.id", "required", _line(it_raw, "id"))
            if it["id"] in seen:
                raise ConfigError(path, f"{key}.id", f"duplicate item id {it['id']!r}", _line(it_raw, "id"))
            seen[it["id"]] = key
            if "max" not in it_raw or it["max"] <= 0:
                raise ConfigError(path, f"{key}.max", "required: the item's maximum points (> 0)",
                                  _line(it_raw, "max"))
            if it["bonus"] and it["penalty"]:
                raise ConfigError(path, f"{key}", "an item is a bonus or a penalty, not both", _line(it_raw, "bonus"))
            deds = []
            for di, (d_raw, d) in enumerate(zip(it_raw.get("deduct") or [], it["deduct"])):
                dkey = f"{key}.deduct[{di}]"
                if not d["rule"]:
                    raise ConfigError(path, f"{dkey}.rule", "required: a rule id or family (link.broken, column.*)",
                                      _line(d_raw, "rule"))
                if d["per"] not in PERS:
                    raise ConfigError(path, f"{dkey}.per", f"must be one of {', '.join(PERS)}", _line(d_raw, "per"))
                if d["per"] in ("count", "ratio") and not d["field"]:
                    raise ConfigError(path, f"{dkey}.field", f"required for per: {d['per']} (the data key to read)",
                                      _line(d_raw, "per"))
                if d["points"] < 0 or d["cap"] < 0:
                    raise ConfigError(path, f"{dkey}.points", "points and cap must not be negative",
                                      _line(d_raw, "points"))
                if rule_items is not None:
                    _check_rule(rule_items, d["rule"], str(it["id"]), path, f"{dkey}.rule", _line(d_raw, "rule"))
                deds.append(Deduction(rule=d["rule"], per=d["per"], points=float(d["points"]), cap=float(d["cap"]),
                                      needs_review=d["needs_review"], where=dict(d["where"]), field=d["field"],
                                      title=d["title"]))
            if it["manual"] and deds:
                raise ConfigError(path, f"{key}.deduct", "a manual item has no machine deductions",
                                  _line(it_raw, "deduct"))
            items.append(Item(id=str(it["id"]), title=it["title"], max=float(it["max"]), group=str(gr["id"]),
                              manual=it["manual"], bonus=it["bonus"], penalty=it["penalty"], note=it["note"],
                              deduct=tuple(deds)))
        if not items:
            raise ConfigError(path, f"{gkey}.items", "a group lists at least one item", _line(gr_raw, "items"))
        groups.append(Group(id=str(gr["id"]), title=gr["title"], items=tuple(items)))
    base = sum(i.max for g in groups for i in g.items if i.kind == "base")
    if abs(base - conf["total"]) > 1e-6:
        raise ConfigError(path, "total", f"the base items' maxima add up to {base:g}, not {conf['total']:g}",
                          _line(raw, "total"))
    vetoes = []
    for vi, (v_raw, v) in enumerate(zip(raw.get("vetoes") or [], conf["vetoes"])):
        if not v["rule"]:
            raise ConfigError(path, f"vetoes[{vi}].rule", "required", _line(v_raw, "rule"))
        if rule_items is not None:
            _check_rule(rule_items, v["rule"], "", path, f"vetoes[{vi}].rule", _line(v_raw, "rule"))
        if v["min_count"] < 1:
            raise ConfigError(path, f"vetoes[{vi}].min_count", "must be at least 1", _line(v_raw, "min_count"))
        vetoes.append(Veto(id=v["id"] or f"V{vi + 1}", title=v["title"] or v["rule"], rule=v["rule"],
                           where=dict(v["where"]), min_count=v["min_count"], needs_review=v["needs_review"]))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Rubric(profile=conf["profile"] or path.stem, title=conf["title"] or path.stem, version=str(conf["version"]),
                  total=float(conf["total"]), grades=tuple(grades), groups=tuple(groups), vetoes=tuple(vetoes),
                  source=str(path), digest=digest)


def _check_rule(items: dict[str, str], pattern: str, item_id: str, path: Path, key: str, line: int | None) -> None:
    """A deduction or veto names rules of the registry (a typo would never deduct, silently), and a
    rule deducts under the appraisal item the registry gives it: the rule's item has one source
    (checks/<family>/<rule>.py RULE.item) that `rules`, the report, the sheet and findings.json read."""
    if pattern.endswith("*"):
        if not any(rid.startswith(pattern.rstrip("*")) for rid in items):
            raise ConfigError(path, key, f"no rule matches {pattern!r}", line)
        return
    if pattern not in items:
        close = difflib.get_close_matches(pattern, list(items), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `govaudit rules`)"
        raise ConfigError(path, key, f"unknown rule {pattern!r}{hint}", line)
    standard_items = set(items.values())
    if item_id in standard_items and items[pattern] != item_id:
        raise ConfigError(path, key, f"rule {pattern} belongs to appraisal item {items[pattern]} "
                                     f"(its RULE.item), not {item_id}", line)
