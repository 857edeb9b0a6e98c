"""整改建议: the concrete fix for one finding, from its rule's template (govaudit.text.RULE_ADVICE,
the same text the registry puts on Rule.fix) and the finding's data. Reports never import the rules.

A template names fields of the finding ({url}, {target}, {item}, {message}) and keys of its data
({reason}, {missing} …). Values are written the way a person reads them (lists joined with 、,
codes through the label catalogue); a field the finding lacks is left out, not printed as a key.
"""
from __future__ import annotations

import re
import string
from typing import Any

from govaudit.text import RULE_ADVICE, label, value, zh

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
        return "、".join(label(k, key) for k in v)
    if isinstance(v, (list, tuple)):
        return "、".join(w for w in (_words(x, key) for x in v[:12]) if w)
    return str(v)


def fix_text(finding: dict[str, Any], title: str = "") -> str:
    """The 整改建议 for a finding (a findings.json record), with the appraisal item it rests on
    (and the rule's title when the caller knows it: reports read titles from the store)."""
    template = RULE_ADVICE.get(str(finding.get("rule")), ("", ""))[0]
    if not template or finding.get("outcome") in ("pass", "not_applicable"):
        return ""
    data = finding.get("data") if isinstance(finding.get("data"), dict) else {}
    fields: dict[str, Any] = {**data, "url": finding.get("url") or "", "target": finding.get("target") or "",
                              "item": finding.get("item") or "", "message": finding.get("message") or ""}
    out = []
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        out.append(literal)
        if name:
            out.append(zh(_words(fields.get(name), name)))
    text = _EMPTY_BRACKETS.sub("", "".join(out))
    basis = f"依据考核项 {finding.get('item')}" if finding.get("item") else "依据考核标准"
    return f"{text}（{basis}{'《' + title + '》' if title else ''}）"
