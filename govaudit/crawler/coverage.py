"""What a crawl covered, per unit: complete, or partial with the reason and what was reached.

A unit is `complete` only when its crawl ended by itself with nothing left to fetch. It is `partial`
when the crawl was stopped by a signal (`interrupted`), by its time budget (`site_time`), by its
page budget (`max_pages`), or when most of its page fetches failed (`errors`). The record, stored
as JSON in `units.coverage` (and the run's summary in `runs.coverage`), is what the checks
(checks/coverage.py) and every output read:

    {"status": "partial", "reason": "max_pages", "reasons": [...], "reason_text": "…",
     "pages": 500, "fetched": 500, "errors": 3,
     "reached": {"home": 1, "platform": 1, "subcolumn": 4, "column": 30, "article": 420, …},
     "unreached": {"article": 19500, "archive": 800}, "unreached_depth": {"article": 4, "archive": 2},
     "platform_reached": true, "columns_reached": 35}
"""
from __future__ import annotations

import json
import logging
from typing import Any

from govaudit.crawler.scope import UnitState
from govaudit.store import Store

log = logging.getLogger("govaudit.crawl")

REASON_TEXT = {
    "interrupted": "抓取被中断（{signal}）",
    "site_time": "达到单站抓取时长上限（site_time {site_time:g} 秒）",
    "max_pages": "达到单站页面数上限（max_pages {max_pages}）",
    "errors": "多数页面请求失败（{failures}/{fetches}）",
    "stopped": "抓取异常结束（{close_reason}）",
    "max_message_pages": "达到互动栏目留言页面上限（max_message_pages {max_message_pages}）",
}
MIN_FETCHES_FOR_ERRORS = 4   # one failed page of three is no verdict on a site


def unit_coverage(st: UnitState, close_reason: str | None, interrupted: str | None) -> dict[str, Any]:
    reasons: list[str] = []
    if interrupted:
        reasons.append("interrupted")
    elif close_reason not in (None, "finished"):
        reasons.append("stopped")
    if st.limits_hit.get("site_time"):
        reasons.append("site_time")
    if st.limits_hit.get("max_pages"):
        reasons.append("max_pages")
    if st.page_fetches >= MIN_FETCHES_FOR_ERRORS and st.page_failures * 2 > st.page_fetches:
        reasons.append("errors")
    if st.limits_hit.get("max_message_pages"):   # letters left unread: the interact.* verdicts depend on them
        reasons.append("max_message_pages")
    unreached = dict(st.unreached)
    for cls, n in st.pending.items():  # queued when the crawl stopped
        if n > 0:
            unreached[cls] = unreached.get(cls, 0) + n
    unreached = {k: v for k, v in sorted(unreached.items()) if v > 0}
    depth = dict(st.unreached_depth)
    for (cls, d), n in st.pending_at.items():
        if n > 0 and d < depth.get(cls, d + 1):
            depth[cls] = d
    if unreached and not reasons:  # dropped by a limit that does not make a run partial (depth …)
        unreached = {}
    depth = {k: v for k, v in sorted(depth.items()) if k in unreached}
    values = {"signal": interrupted or "", "site_time": float(st.limits.get("site_time") or 0),
              "max_pages": st.limits.get("max_pages"), "failures": st.page_failures,
              "fetches": st.page_fetches, "close_reason": close_reason,
              "max_message_pages": st.limits.get("max_message_pages")}
    reached = {k: v for k, v in sorted(st.reached.items()) if v > 0}
    return {
        "status": "partial" if reasons else "complete",
        "reason": reasons[0] if reasons else None,
        "reasons": reasons,
        "reason_text": "；".join(REASON_TEXT[r].format(**values) for r in reasons),
        "pages": st.pages, "fetched": st.fetched, "errors": st.errors,
        "reached": reached, "unreached": unreached,
        "unreached_depth": depth,   # class → the shallowest link depth of a page not reached
        "platform_reached": bool(reached.get("platform")),
        "columns_reached": sum(reached.get(k, 0) for k in ("platform", "subcolumn", "column", "guide", "annual",
                                                             "interp", "policy", "interaction")),
    }


def run_coverage(units: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The run's coverage: partial when any unit is, with the units and reasons."""
    partial = {uid: c for uid, c in units.items() if c["status"] == "partial"}
    reasons = list(dict.fromkeys(r for c in partial.values() for r in c["reasons"]))
    return {"status": "partial" if partial else "complete", "reasons": reasons,
            "reason_text": "；".join(dict.fromkeys(c["reason_text"] for c in partial.values())),
            "partial_units": sorted(partial)}


def home_failure(store: Store, run_id: str, unit_id: str) -> str | None:
    """Why the unit's stored home page failed (its reason, or its HTTP status), or None when it was
    fetched: what the single-process crawl keeps as home_failed, read back from the store."""
    home = next(store.pages(run_id, unit_id, "purpose='home'"), None)
    if home is None:
        return "not fetched"
    if home["reason"] is None and (home["status"] or 0) < 400:
        return None
    return home["reason"] or f"HTTP {home['status']}"


def stored(store: Store, run_id: str) -> dict[str, dict[str, Any]]:
    """The coverage recorded for each unit of a run (before it is resumed)."""
    return {u["unit_id"]: json.loads(u["coverage"]) for u in store.units(run_id) if u.get("coverage")}


def record(store: Store, run_id: str, states: dict[str, UnitState], close_reason: str | None,
           interrupted: str | None, before: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Store each unit's coverage (units.coverage, and status 'partial' for a partial unit that
    was crawled) and the run's (runs.coverage). `before`: the coverage of the interrupted crawl
    this one resumed (what it reached counts too). Returns the coverage by unit."""
    out: dict[str, dict[str, Any]] = {}
    for uid, st in states.items():
        for cls, n in ((before or {}).get(uid, {}).get("reached") or {}).items():
            st.reached[cls] = st.reached.get(cls, 0) + n
        cov = unit_coverage(st, close_reason, interrupted)
        out[uid] = cov
        status = "unreachable" if st.home_failed else "partial" if cov["status"] == "partial" else "crawled"
        store.update_unit(run_id, uid, status=status, pages=st.pages, errors=st.errors,
                          limits_hit=json.dumps(st.limits_hit) if st.limits_hit else None,
                          coverage=json.dumps(cov, ensure_ascii=False))
    store.db["runs"].update(run_id, {"coverage": json.dumps(run_coverage(out), ensure_ascii=False)})
    return out
