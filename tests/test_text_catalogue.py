"""The Chinese catalogue (govaudit/text.py) is a set of flat dict literals that several rules append
to: a key written twice would silently give one rule the other's label."""
from __future__ import annotations

import ast
from pathlib import Path

import govaudit.text


def test_no_label_key_is_written_twice() -> None:
    tree = ast.parse(Path(govaudit.text.__file__).read_text(encoding="utf-8"))
    twice: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            seen: set[object] = set()
            for k in node.keys:
                if isinstance(k, ast.Constant):
                    if k.value in seen:
                        twice.append(f"{k.value!r} (line {k.lineno})")
                    seen.add(k.value)
    assert not twice, "keys written twice in govaudit/text.py: " + ", ".join(twice)
