"""What a named analysis is: a typed result computed once per unit, which rules request by type.

    class InterpPairs(Provider):
        needs = ()                       # the analyses its computation requests
        @classmethod
        def compute(cls, ctx) -> InterpPairs: …

    pairs = ctx.get(InterpPairs)          # in a rule: computed on first request, then shared

A rule declares the analyses it requests (`Rule(uses=(InterpPairs,))`); the runner keeps the rules
that share an analysis, directly or through `needs`, in one task of a parallel run, so that each
analysis is computed once per unit (checks/run.py rule_groups).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Iterable

if TYPE_CHECKING:  # the context imports this module: a run-time import would be a circle
    from govaudit.checks.context import CheckContext


class Provider:
    """Base of every named analysis (govaudit/checks/analyses/)."""

    needs: ClassVar[tuple[type[Provider], ...]] = ()

    @classmethod
    def compute(cls, ctx: CheckContext) -> Provider:
        raise NotImplementedError(cls.__name__)


def closure(kinds: Iterable[type[Provider]]) -> frozenset[type[Provider]]:
    """The analyses given and every analysis they need, transitively."""
    out: set[type[Provider]] = set()
    todo = list(kinds)
    while todo:
        kind = todo.pop()
        if kind not in out:
            out.add(kind)
            todo.extend(kind.needs)
    return frozenset(out)
