"""What a rule sees: the stored crawl of one unit in one run, its config and the audit date."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from govaudit.model import Evidence, Finding, Unit
from govaudit.store import Store


@dataclass
class CheckContext:
    store: Store
    run_id: str
    unit: Unit
    config: dict[str, Any]              # validated rules.yaml: {rule_id: settings, "shared": …}
    today: dt.date
    browser_available: bool = False
    extras: dict[str, Any] = field(default_factory=dict)  # computed once per unit, shared by rules

    def settings(self, rule_id: str) -> dict[str, Any]:
        return self.config.get(rule_id, {})

    @cached_property
    def unit_row(self) -> dict[str, Any]:
        rows = list(self.store.db.query("SELECT * FROM units WHERE run_id=? AND unit_id=?",
                                        [self.run_id, self.unit.id]))
        return rows[0] if rows else {}

    @cached_property
    def coverage(self) -> dict[str, Any] | None:
        """What the crawl of this unit covered (crawler/coverage.py); None when not recorded."""
        return loads(self.unit_row.get("coverage"))

    def pages(self, where: str = "", args: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
        return self.store.pages(self.run_id, self.unit.id, where, args)

    @cached_property
    def home(self) -> dict[str, Any] | None:
        """The fetch of the portal's home page (the unit URL as configured)."""
        rows = list(self.pages("purpose='home'"))
        return rows[0] if rows else None

    def body_text(self, page: dict[str, Any]) -> str | None:
        """The decoded body of a stored page, by the encoding the crawler detected."""
        if not page.get("sha256"):
            return None
        raw = self.store.body(page["sha256"])
        if raw is None:
            return None
        from govaudit.extract.encoding import decode_html

        return decode_html(raw, page.get("content_type") or "")[0]

    def evidence(self, page: dict[str, Any], **kw: Any) -> Evidence:
        return Evidence(url=page["url"], fetched_at=page.get("fetched_at"), status=page.get("status"),
                        sha256=page.get("sha256"), **kw)

    def finding(self, rule: Any, outcome: str, url: str | None, message: str, **kw: Any) -> Finding:
        return Finding(rule=rule.id, item=rule.item, outcome=outcome, unit=self.unit.id, url=url,
                       message=message, **kw)


def loads(value: str | None, default: Any = None) -> Any:
    return json.loads(value) if value else default
