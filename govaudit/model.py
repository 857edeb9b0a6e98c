"""Shared types: the unit under audit, findings and their evidence."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from govaudit.urls import normalize

OUTCOMES = ("fail", "needs_review", "pass", "not_applicable", "not_measured")
KINDS = ("government", "department")


class Purpose(StrEnum):
    """Why a row of `pages` was fetched: the crawler writes it, checks and reports select by it.
    A StrEnum, so it equals its string in Python and binds as that string in SQL."""

    HOME = "home"                    # the unit's portal home page as configured
    PAGE = "page"                    # an in-scope page, parsed and followed
    ATTACHMENT = "attachment"        # an in-scope document (PDF, DOCX …), stored, not followed
    CHECK = "check"                  # an external or out-of-scope target: answered, never parsed
    RENDER = "render"                # a browser render of a page: visibility verdicts, screenshot
    RENDERED = "rendered"            # the DOM a browser built for a script-filled list
    SOFT404_PROBE = "soft404-probe"  # a URL that cannot exist, for the host's not-found fingerprint
    HTTPS_PROBE = "https-probe"      # the https:// twin of an http:// portal
    TITLE_CHECK = "title-check"      # GET of a hidden external link's target, for its title


CONTENT_PURPOSES = (Purpose.HOME, Purpose.PAGE)  # the site's own pages, parsed
UNCOUNTED_PURPOSES = (Purpose.SOFT404_PROBE, Purpose.HTTPS_PROBE, Purpose.TITLE_CHECK)  # never crawl errors


@dataclass
class Unit:
    """One audited organisation and its web presence."""

    id: str
    name: str
    url: str
    kind: str = "government"
    level: str = ""
    hosts: list[str] = field(default_factory=list)  # extra in-scope hosts
    allow_domains: list[str] = field(default_factory=list)  # allowlisted external domains
    columns: dict[str, str] = field(default_factory=dict)  # pinned column URLs by name
    overrides: dict[str, Any] = field(default_factory=dict)  # per-unit limits/politeness

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def scope_hosts(self) -> set[str]:
        """The unit's own hosts: its portal's, that host with or without `www.` (the same site on
        every portal seen so far), and the configured extra hosts."""
        hosts = {self.host, *(h.lower() for h in self.hosts)}
        twin = www_twin(self.host)
        return hosts | {twin} if twin else hosts

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def www_twin(host: str) -> str | None:
    """www.x.gov.cn <-> x.gov.cn; None for IP addresses and single-label hosts."""
    if not host or ":" in host or host.replace(".", "").isdigit() or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else "www." + host


@dataclass
class Evidence:
    """What a person needs to see the problem for themselves."""

    url: str
    fetched_at: str | None = None
    status: int | None = None
    sha256: str | None = None
    snippet: str | None = None
    selector: str | None = None
    screenshot: str | None = None
    warc_record_id: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Finding:
    rule: str
    item: str
    outcome: str
    unit: str
    url: str | None
    message: str
    target: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    key: str = ""  # what makes this finding distinct within rule+unit+url

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.unit, self.url or "", self.target or "", self.key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "item": self.item,
            "outcome": self.outcome,
            "unit": self.unit,
            "url": self.url,
            "target": self.target,
            "message": self.message,
            "data": self.data,
            "evidence": [e.to_dict() for e in self.evidence],
            "fingerprint": self.fingerprint,
        }


def fingerprint(rule: str, unit: str, url: str, target: str = "", key: str = "") -> str:
    """Stable across runs: rule + unit + normalised url + key (no dates, no run ids)."""

    parts = [rule, unit, normalize(url) if url else "", normalize(target) if target else "", key]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
