"""The HTML report (Jinja2, autoescape on: every string from a crawled site stays inert)."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from checks.registry import all_rules
from govaudit import __version__
from govaudit.store import Store

OUTCOME_LABELS = {"fail": "不合格", "needs_review": "待复核", "pass": "通过",
                  "not_applicable": "不适用", "not_measured": "未能检测"}


def environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["outcome_label"] = lambda o: OUTCOME_LABELS.get(o, o)
    env.filters["safe_href"] = safe_href
    return env


def safe_href(url: str | None) -> str:
    """Only http(s) URLs become clickable; anything else (javascript:, data:) is shown, not linked."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return ""


def render_report(store: Store, run_id: str, path: Path) -> Path:
    run = store.run(run_id)
    rules = {r.id: r for r in all_rules()}
    units = []
    for u in store.units(run_id):
        findings = store.findings(run_id, u["unit_id"])
        by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in findings:
            by_rule[f["rule"]].append(f)
        counts = Counter(f["outcome"] for f in findings)
        groups = []
        for rule_id, fs in sorted(by_rule.items()):
            rule = rules.get(rule_id)
            groups.append({"rule": rule_id, "title": rule.title if rule else rule_id,
                           "item": fs[0]["item"], "findings": fs,
                           "problems": [f for f in fs if f["outcome"] in ("fail", "needs_review")],
                           "counts": Counter(f["outcome"] for f in fs)})
        units.append({**u, "groups": groups, "counts": counts})
    html = environment().get_template("report.html.j2").render(run=run, units=units, version=__version__)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
