"""The floor plan (docs/architecture.md): imports sit at the top of each module; an import inside a
function is allowed only with a comment on its line saying why. (The floors themselves are checked by
`lint-imports` in `make test`.)"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "govaudit"


def function_imports(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    src = path.read_text(encoding="utf-8")
    lines = src.splitlines()
    out = []
    for fn in ast.walk(ast.parse(src)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and "#" not in lines[node.lineno - 1]:
                out.append(f"{path.relative_to(root)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return out


def test_no_unexplained_import_inside_a_function() -> None:
    found = sorted({hit for p in PACKAGE.rglob("*.py") for hit in function_imports(p)})
    assert not found, "imports inside functions without a comment saying why:\n" + "\n".join(found)


def test_the_checker_sees_a_bare_function_import(tmp_path: Path) -> None:
    mod = tmp_path / "probe.py"
    mod.write_text("import os\n\ndef f():\n    import json\n    import csv  # why: start-up cost\n", encoding="utf-8")
    assert [h.split(": ", 1)[1] for h in function_imports(mod, tmp_path)] == ["import json"]
