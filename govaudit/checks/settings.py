"""The rules' settings: config/rules.yaml validated against every registered rule's defaults."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from govaudit import config
from govaudit.checks.registry import all_rules


def load_rules_config(path: str | Path | None = None) -> dict[str, Any]:
    """Rule thresholds and vocabularies (default config/rules.yaml), each rule's defaults merged in;
    a bad key or value is a ConfigError naming file, line and key."""
    return config.load_rules_config(path, {r.id: r.defaults for r in all_rules()})
