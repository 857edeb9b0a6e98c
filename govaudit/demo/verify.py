"""Compare an audit of the demo portal with the defects planted in it."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urljoin

from govaudit.demo.site import Site
from govaudit.urls import normalize

PROBLEM = ("fail", "needs_review")


def expected_findings(site: Site, portal_url: str) -> list[dict[str, Any]]:
    out = []
    for e in site.expected:
        d = asdict(e)
        for k in ("url", "target"):
            if d[k] is not None:
                d[k] = normalize(urljoin(portal_url, d[k]))
        out.append(d)
    return out


def _matches(exp: dict[str, Any], f: dict[str, Any]) -> bool:
    if exp["rule"] != f["rule"] or exp["outcome"] != f["outcome"]:
        return False
    for k in ("url", "target"):
        if exp[k] is not None and normalize(f.get(k) or "") != exp[k]:
            return False
    return True


def compare(expected: list[dict[str, Any]], findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(planted defects not found, problem findings that were not planted)."""
    problems = [f for f in findings if f["outcome"] in PROBLEM]
    missing = [e for e in expected if not any(_matches(e, f) for f in problems)]
    unexpected = [f for f in problems if not any(_matches(e, f) for e in expected)]
    return missing, unexpected
