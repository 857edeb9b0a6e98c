"""Per-unit crawl state: what is in scope, what was seen, which limits were hit."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.model import Unit
from govaudit.urls import host_of

# Session ids that make one page look like endless pages.
_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^?#/]*|(?<=[?&])(?:jsessionid|phpsessid|sessionid|sid)=[^&#]*&?", re.I)


def strip_session(url: str) -> str:
    return _SESSION_RE.sub("", url).rstrip("?&")


@dataclass
class UnitState:
    unit: Unit
    limits: dict[str, Any]
    hosts: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    requested: int = 0
    pages: int = 0
    errors: int = 0
    started: float = field(default_factory=time.monotonic)
    limits_hit: dict[str, int] = field(default_factory=dict)
    query_variants: dict[str, int] = field(default_factory=dict)
    home_failed: str | None = None
    finished: bool = False

    def __post_init__(self) -> None:
        self.hosts = set(self.unit.scope_hosts())

    def in_scope(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def hit(self, limit: str) -> None:
        self.limits_hit[limit] = self.limits_hit.get(limit, 0) + 1

    def out_of_time(self) -> bool:
        if time.monotonic() - self.started > self.limits["site_time"]:
            self.hit("site_time")
            return True
        return False

    def admit(self, url: str, depth: int, is_page: bool) -> bool:
        """May this new URL be requested under the unit's limits? Records the limit it hits."""
        if self.requested >= self.limits["max_pages"]:
            self.hit("max_pages")
            return False
        if is_page and depth > self.limits["max_depth"]:
            self.hit("max_depth")
            return False
        parts = urlsplit(url)
        if parts.query:
            key = parts.netloc + parts.path
            n = self.query_variants.get(key, 0) + 1
            self.query_variants[key] = n
            if n > self.limits["max_query_variants"]:
                self.hit("max_query_variants")
                return False
        if self.out_of_time():
            return False
        self.requested += 1
        return True
