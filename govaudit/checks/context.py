"""What a rule sees: the stored crawl of one unit in one run, its config and the audit date."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator, TYPE_CHECKING, TypeVar

from govaudit.extract.encoding import decode_html
from govaudit.model import CONTENT_PURPOSES, Evidence, Finding, Purpose, Unit
from govaudit.store import Store

if TYPE_CHECKING:  # the analyses import the context: a run-time import would be a circle
    from govaudit.checks.analyses.provider import Provider

P = TypeVar("P", bound="Provider")


@dataclass
class CheckContext:
    store: Store
    run_id: str
    unit: Unit
    config: dict[str, Any]              # validated rules.yaml: {rule_id: settings, "shared": …}
    today: dt.date
    analyses: dict[type[Provider], Provider] = field(default_factory=dict)  # computed once per unit
    # rows an analysis derives for the store (e.g. "messages": checks/analyses/interaction.py); the
    # check stage's one writer stores them with the unit's findings (checks/run.py _save)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def get(self, kind: type[P]) -> P:
        """The named analysis `kind` of this unit (govaudit/checks/analyses/), computed on first request."""
        if kind not in self.analyses:
            self.analyses[kind] = kind.compute(self)
        return self.analyses[kind]  # type: ignore[return-value]

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
        raw = self.unit_row.get("coverage")
        return json.loads(raw) if raw else None

    def pages(self, where: str = "", args: tuple[Any, ...] = (),
              purposes: Iterable[Purpose] | None = None) -> Iterator[dict[str, Any]]:
        """The unit's stored fetches (in fetch order), of the given purposes only when given."""
        if purposes is not None:
            cond, pargs = purpose_in(purposes)
            where, args = (f"{cond} AND ({where})" if where else cond), (*pargs, *args)
        return self.store.pages(self.run_id, self.unit.id, where, args)

    def content_pages(self, where: str = "", args: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
        """The site's own parsed pages (home page and in-scope pages)."""
        return self.pages(where, args, CONTENT_PURPOSES)

    @cached_property
    def home(self) -> dict[str, Any] | None:
        """The fetch of the portal's home page (the unit URL as configured)."""
        rows = list(self.pages(purposes=(Purpose.HOME,)))
        return rows[0] if rows else None

    def body_text(self, page: dict[str, Any]) -> str | None:
        """The decoded body of a stored page, by the encoding the crawler detected."""
        if not page.get("sha256"):
            return None
        raw = self.store.body(page["sha256"])
        if raw is None:
            return None
        return decode_html(raw, page.get("content_type") or "")[0]

    def evidence(self, page: dict[str, Any], **kw: Any) -> Evidence:
        return Evidence(url=page["url"], fetched_at=page.get("fetched_at"), status=page.get("status"),
                        sha256=page.get("sha256"), **kw)

    def finding(self, rule: Any, outcome: str, url: str | None, message: str, **kw: Any) -> Finding:
        return Finding(rule=rule.id, item=rule.item, outcome=outcome, unit=self.unit.id, url=url,
                       message=message, **kw)


def purpose_in(purposes: Iterable[Purpose], column: str = "purpose") -> tuple[str, tuple[str, ...]]:
    """`purpose IN (?,?)` and its parameters: SQL that names page purposes by the enum, not by literals."""
    values = tuple(Purpose(p).value for p in purposes)
    return f"{column} IN ({','.join('?' * len(values))})", values
