"""Test helper: a stored 'crawl' of fixture pages (real parsing, real SQLite) and a CheckContext,
built with tests/crawlkit.py."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import get_rule
from govaudit.checks.run import run_rule
from govaudit.model import Purpose, Unit
from tests.crawlkit import Crawl

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
    unit = Unit(id="u", name="测试县人民政府", url=base + "/", columns=columns or {})
    crawl = Crawl(tmp / "t.sqlite", unit, today)
    for path, html in pages.items():
        crawl.page(base + path, html, purpose=Purpose.HOME if path == "/" else Purpose.PAGE)
    for i, (path, html) in enumerate((rendered or {}).items(), len(pages)):
        crawl.page(base + path, html, purpose=Purpose.RENDERED, screenshot=f"screenshots/u-{i}.jpg")
    for path, error in (render_errors or {}).items():
        crawl.render(base + path, error=error)
    return crawl.ctx(config)


def outcomes(ctx: CheckContext, rule_id: str) -> list[Any]:
    return run_rule(get_rule(rule_id), ctx)


def problems(ctx: CheckContext, rule_id: str) -> list[Any]:
    return [f for f in outcomes(ctx, rule_id) if f.outcome in ("fail", "needs_review")]
