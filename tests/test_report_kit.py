"""Helpers for the report tests: a real SQLite store filled with a crawl and findings, no network.
(No tests here; the name keeps it beside the tests that use it.)"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from govaudit.model import Evidence, Finding, Unit
from govaudit.store import Store

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def page_row(run_id: str, unit_id: str, url: str, body: bytes, status: int = 200, purpose: str = "page",
             fetched_at: str = "2026-11-20T10:00:00+08:00", screenshot: str | None = None) -> dict[str, Any]:
    return {"run_id": run_id, "unit_id": unit_id, "url": url, "final_url": url, "status": status, "method": "GET",
            "purpose": purpose, "headers": {"Content-Type": "text/html; charset=utf-8", "Server": "test"},
            "content_type": "text/html; charset=utf-8", "size": len(body), "sha256": hashlib.sha256(body).hexdigest(),
            "fetched_at": fetched_at, "depth": 0, "screenshot": screenshot}


def make_store(out: Path, findings_by_unit: dict[str, list[Finding]] | None = None, run_id: str | None = None,
               started_offset: int = 0) -> tuple[Store, str]:
    """A store with one run, units 'a' (and any in findings_by_unit), a home page each, and findings."""
    out.mkdir(parents=True, exist_ok=True)
    store = Store(out / "govaudit.sqlite")
    rid = store.start_run("audit", {"crawl": {}}, today="2026-11-26", run_id=run_id)
    if started_offset:
        store.db["runs"].update(rid, {"started": f"2026-11-2{started_offset}T00:00:00+08:00"})
    findings_by_unit = findings_by_unit if findings_by_unit is not None else {"a": default_findings("a")}
    for uid, fs in findings_by_unit.items():
        url = f"http://{uid}.example.gov.cn/"
        store.add_unit(rid, Unit(id=uid, name=f"测试单位{uid}", url=url))
        body = f"<html><title>{uid}</title><a href='/x'>{XSS}</a></html>".encode()
        store.write_batch([page_row(rid, uid, url, body, purpose="home")], [], [(hashlib.sha256(body).hexdigest(), body)])
        store.update_unit(rid, uid, status="crawled", pages=1)
        store.replace_findings(rid, uid, fs)
    store.finish_run(rid)
    return store, rid


def ev(url: str, body: bytes | None = None, **kw: Any) -> Evidence:
    digest = hashlib.sha256(body).hexdigest() if body is not None else None
    return Evidence(url=url, fetched_at="2026-11-20T10:00:00+08:00", status=200, sha256=digest, **kw)


def home_body(uid: str) -> bytes:
    return f"<html><title>{uid}</title><a href='/x'>{XSS}</a></html>".encode()


def broken(uid: str, n: int, on_home: bool, outcome: str = "fail", text: str = "链接") -> Finding:
    home = f"http://{uid}.example.gov.cn/"
    src = home if on_home else f"{home}page{n}.html"
    return Finding(rule="link.broken", item="8.6.2", outcome=outcome, unit=uid, url=src,
                   message=f"页面链接失效：{text}（HTTP 404）", target=f"{home}missing{n}.html",
                   data={"on_home": on_home, "status": 404, "anchor": text},
                   evidence=[ev(home, home_body(uid), snippet=f'<a href="/missing{n}.html">{text}</a>')])


def default_findings(uid: str) -> list[Finding]:
    return [broken(uid, 1, True), broken(uid, 2, False), broken(uid, 3, False),
            broken(uid, 4, False, outcome="needs_review"),
            Finding(rule="column.stale", item="8.6.2", outcome="fail", unit=uid, url=f"http://{uid}.example.gov.cn/dt/",
                    message="栏目“工作动态”超过14天未更新", data={"class": "dynamic", "newest": "2026-10-01", "age_days": 56}),
            Finding(rule="column.statutory-missing", item="8.2.4", outcome="pass", unit=uid,
                    url=f"http://{uid}.example.gov.cn/", message="未发现问题",
                    data={"columns": [{"name": "政府信息公开指南", "url": f"http://{uid}.example.gov.cn/zn/",
                                       "newest": "2026-11-01"},
                                      {"name": "政府信息公开年报", "url": "javascript:alert(1)", "newest": "2026-01-20"}]}),
            Finding(rule="guide.incomplete", item="8.2.7", outcome="not_measured", unit=uid, url=None,
                    message="未能检测：指南页无法解析")]


def findings_json(out: Path) -> dict[str, Any]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))
