"""Per-unit crawl state: what is in scope, what was seen, which limits were hit."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govaudit.extract.linkclass import WANTED
from govaudit.model import Unit
from govaudit.urls import host_of

# Session ids that make one page look like endless pages.
_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^?#/]*|(?<=[?&])(?:jsessionid|phpsessid|sessionid|sid)=[^&#]*&?", re.I)


# the queue may hold this many times max_pages of wanted pages (bounded memory on trap sites)
FRONTIER_FACTOR = 3
# pages of interaction columns beyond their first list page (later list pages, letters) per site
MAX_MESSAGE_PAGES = 300


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
    # coverage (crawler/coverage.py): the budget is spent at fetch time, by priority; what each
    # class of page (extract/linkclass.py) got: fetched, waiting, and dropped by a limit or a stop
    fetched: int = 0
    requested_other: int = 0
    reached: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    pending_at: dict[tuple[str, int], int] = field(default_factory=dict)   # (class, depth) → waiting
    unreached: dict[str, int] = field(default_factory=dict)
    unreached_depth: dict[str, int] = field(default_factory=dict)        # class → shallowest not reached
    page_fetches: int = 0
    messages: int = 0                   # pages of class "message" admitted (max_message_pages)
    page_failures: int = 0
    # distributed workers: the unit's one page and render budget across all workers (a
    # distributed.SharedBudget in Redis); None in one process
    shared: Any = None

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

    def admit(self, url: str, depth: int, is_page: bool, cls: str | None = None) -> bool:
        """May this new URL be queued under the unit's limits? Records the limit it hits.
        `max_pages` is enforced when a request is fetched (SiteBudgetMiddleware), by priority;
        here it only bounds the queue: pages the rules look for (WANTED classes) may queue up
        to FRONTIER_FACTOR × max_pages, the others (articles, archives) up to max_pages."""
        wanted = cls in WANTED
        if cls == "message":
            # letters of interaction columns: wanted, but a letter system of 10,000 letters must not
            # eat the budget of everything else
            if self.messages >= self.limits.get("max_message_pages", MAX_MESSAGE_PAGES):
                self.hit("max_message_pages")
                self.drop(cls, depth)
                return False
        if (self.requested >= FRONTIER_FACTOR * self.limits["max_pages"] if wanted
                else self.requested_other >= self.limits["max_pages"]):
            self.hit("max_pages")
            self.drop(cls, depth)
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
            self.drop(cls, depth)
            return False
        self.requested += 1
        if cls == "message":
            self.messages += 1
        if not wanted:
            self.requested_other += 1
        return True

    def spend_home(self) -> None:
        """The home page: always fetched, and counted in the page budget."""
        self.fetched += 1
        if self.shared is not None:
            self.shared.take(self.unit.id, "pages", self.fetched + self.limits["max_pages"])

    def spend(self) -> bool:
        """One fetch of the page budget (max_pages), at download time; False when it is spent
        (by this process, or by all workers of a distributed run together)."""
        limit = self.limits["max_pages"]
        if self.fetched >= limit or (self.shared is not None and not self.shared.take(self.unit.id, "pages", limit)):
            self.hit("max_pages")
            return False
        self.fetched += 1
        return True

    def drop(self, cls: str | None, depth: int | None = None) -> None:
        """A page of class `cls` (at link depth `depth`) that will not be fetched (a limit, a stop)."""
        if cls:
            self.unreached[cls] = self.unreached.get(cls, 0) + 1
            if depth is not None and depth < self.unreached_depth.get(cls, depth + 1):
                self.unreached_depth[cls] = depth

    def queued(self, cls: str | None, n: int = 1, depth: int | None = None) -> None:
        if cls:
            self.pending[cls] = self.pending.get(cls, 0) + n
            if depth is not None:
                self.pending_at[(cls, depth)] = self.pending_at.get((cls, depth), 0) + n
