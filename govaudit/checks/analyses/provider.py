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

import importlib
import pkgutil
from typing import TYPE_CHECKING, ClassVar, Iterable

import govaudit.checks.analyses

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


def all_providers() -> list[type[Provider]]:
    """Every named analysis defined in govaudit/checks/analyses/, by name (the provider registry)."""
    found: dict[str, type[Provider]] = {}
    for info in pkgutil.iter_modules(govaudit.checks.analyses.__path__, "govaudit.checks.analyses."):
        for obj in vars(importlib.import_module(info.name)).values():
            if isinstance(obj, type) and issubclass(obj, Provider) and obj is not Provider \
                    and obj.__module__ == info.name:
                found[obj.__name__] = obj
    return [found[k] for k in sorted(found)]
