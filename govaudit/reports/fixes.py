"""整改建议: the concrete fix for one finding, from its rule's `fix` template and the finding's data.

A template names fields of the finding ({url}, {target}, {item}, {message}) and keys of its data
({reason}, {missing} …). Values are written the way a person reads them (lists joined with 、,
codes through the label catalogue); a field the finding lacks is left out, not printed as a key.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from govaudit.checks.registry import Rule, all_rules
from govaudit.text import label, value, zh

_FORMATTER = string.Formatter()
_EMPTY_BRACKETS = re.compile(r"（\s*）|“\s*”|\(\s*\)")


def _words(v: Any, key: str = "") -> str:
    """A data value as words: lists joined, mappings as 'label 数量', codes through the catalogue."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return f"{v:g}" if isinstance(v, float) else str(v)
    if isinstance(v, str):
        return v if v.startswith(("http://", "https://")) else value(v, key)
    if isinstance(v, dict):
        if isinstance(v.get("url"), str):
            return str(v.get("title") or v.get("name") or v["url"])
        return "、".join(label(k) for k in v)
    if isinstance(v, (list, tuple)):
        return "、".join(w for w in (_words(x, key) for x in v[:12]) if w)
    return str(v)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Rule]:
    return {r.id: r for r in all_rules()}


def fix_text(finding: dict[str, Any], rules: dict[str, Rule] | None = None) -> str:
    """The 整改建议 for a finding (a findings.json record), with the appraisal item it rests on."""
    rules = rules if rules is not None else _rules()
    rule = rules.get(str(finding.get("rule")))
    if rule is None or not rule.fix or finding.get("outcome") in ("pass", "not_applicable"):
        return ""
    data = finding.get("data") if isinstance(finding.get("data"), dict) else {}
    fields: dict[str, Any] = {**data, "url": finding.get("url") or "", "target": finding.get("target") or "",
                              "item": finding.get("item") or rule.item, "message": finding.get("message") or ""}
    out = []
    for literal, name, _spec, _conv in _FORMATTER.parse(rule.fix):
        out.append(literal)
        if name:
            out.append(zh(_words(fields.get(name), name)))
    text = _EMPTY_BRACKETS.sub("", "".join(out))
    return f"{text}（依据考核项 {finding.get('item') or rule.item}《{rule.title}》）"
