"""Test helper: a stored 'crawl' of fixture pages (real parsing, real SQLite) and a CheckContext."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from govaudit.checks.context import CheckContext
from govaudit.checks.run import run_rule
from govaudit.checks.registry import get_rule
from govaudit.checks.settings import load_rules_config
from govaudit.extract.page import view_page
from govaudit.model import Unit
from govaudit.store import Store
from govaudit.urls import normalize

BASE = "http://www.example.gov.cn"


def page(title: str, body: str, meta: dict[str, str] | None = None) -> str:
    metas = "".join(f'<meta name="{k}" content="{v}">' for k, v in (meta or {}).items())
    return (f'<html><head><meta charset="utf-8">{metas}<title>{title}</title></head><body>'
            f'<div class="header"><a href="/">首页</a></div><div class="main">{body}</div>'
            f'<div class="footer"><a href="/lxwm/">联系我们</a> 网站标识码 1525990001</div></body></html>')


def build(tmp: Path, pages: dict[str, str], today: dt.date, columns: dict[str, str] | None = None,
          config: dict[str, Any] | None = None, base: str = BASE, rendered: dict[str, str] | None = None,
          render_errors: dict[str, str] | None = None) -> CheckContext:
    """Store `pages` (path -> HTML; '/' is the home page) as one crawl and return a CheckContext.
    `rendered` adds the DOM a browser built for some paths (as crawler/render.py stores it);
    `render_errors` records renders that failed (path -> reason)."""

    store = Store(tmp / "t.sqlite")
    run = store.start_run("test", {}, today.isoformat())
    unit = Unit(id="u", name="测试县人民政府", url=base + "/", columns=columns or {})
    store.add_unit(run, unit)
    rows, links, bodies = [], [], []
    entries = [(p, h, "home" if p == "/" else "page") for p, h in pages.items()]
    entries += [(p, h, "rendered") for p, h in (rendered or {}).items()]
    for i, (path, html, purpose) in enumerate(entries):
        url = normalize(base + path)
        data = html.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        view = view_page(data, url, "text/html; charset=utf-8")
        rows.append({"run_id": run, "unit_id": "u", "url": url, "final_url": url, "status": 200, "method": "GET",
                     "purpose": purpose, "content_type": "text/html; charset=utf-8",
                     "size": len(data), "sha256": digest, "encoding": view.encoding, "title": view.title,
                     "fetched_at": today.isoformat() + "T08:00:00+08:00", "depth": 0 if path == "/" else 1,
                     **({"rendered": 1, "screenshot": f"screenshots/u-{i}.jpg"} if purpose == "rendered" else {})})
        bodies.append((digest, data))
        for ln in view.links:
            links.append({"page_ref": i, "run_id": run, "unit_id": "u", "source_url": url,
                          "target": normalize(ln.url) if ln.url.startswith("http") else ln.url, "raw": ln.raw,
                          "tag": ln.tag, "attr": ln.attr, "text": ln.text, "external": 0})
    store.write_batch(rows, links, bodies)
    with store.conn:
        for path, error in (render_errors or {}).items():
            store.conn.execute("INSERT INTO renders (run_id, unit_id, url, error) VALUES (?,?,?,?)",
                               (run, "u", normalize(base + path), error))
    conf = load_rules_config()
    for k, v in (config or {}).items():
        conf[k] = {**conf.get(k, {}), **v}
    return CheckContext(store=store, run_id=run, unit=unit, config=conf, today=today)


def outcomes(ctx: CheckContext, rule_id: str) -> list[Any]:
    return run_rule(get_rule(rule_id), ctx)


def problems(ctx: CheckContext, rule_id: str) -> list[Any]:
    return [f for f in outcomes(ctx, rule_id) if f.outcome in ("fail", "needs_review")]
