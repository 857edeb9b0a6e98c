"""govaudit inspect KIND FILE_OR_URL — run one extractor on one document and print what it found."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any, Callable

from govaudit.cli import UsageError
from govaudit.extract import annual_report, visibility
from govaudit.extract.page import view_page

# kind -> "module:function(data: bytes, url: str, content_type: str) -> dict"
INSPECTORS: dict[str, str] = {
    "page": "govaudit.commands.inspect:inspect_page",
    "list": "govaudit.extract.lists:inspect_list",
    "guide": "govaudit.extract.guide:inspect_guide",
    "annual-report": "govaudit.commands.inspect:inspect_annual_report",
    "interp": "govaudit.extract.interp:inspect_interp",
    "visibility": "govaudit.commands.inspect:inspect_visibility",
    "site": "govaudit.extract.site_meta:inspect_site",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inspect", help="what the extractors see in one document (HTML, PDF, DOCX)")
    p.add_argument("kind", choices=sorted(INSPECTORS))
    p.add_argument("source", metavar="FILE_OR_URL")
    p.add_argument("--json", action="store_true", help="JSON output (the default; kept for scripts)")
    p.add_argument("--url", help="the URL the file was saved from (resolves relative links)")
    p.add_argument("--render", action="store_true",
                   help="run the extractor on the DOM Chromium builds (scripts run), as the crawler does "
                        "for lists a script fills")
    p.set_defaults(func=run)


def fetch(source: str, timeout: float = 15.0) -> tuple[bytes, str, str]:
    """(body, url, content type) from a file path or an http(s) URL."""
    if source.lower().startswith(("http://", "https://")):
        import urllib.request

        req = urllib.request.Request(source, headers={"User-Agent": "govaudit-inspect"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 — http(s) only
                return r.read(50_000_000), r.geturl(), r.headers.get("Content-Type", "")
        except OSError as e:
            raise UsageError(f"cannot fetch {source}: {e}") from None
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"no such file: {source}")
    return path.read_bytes(), path.resolve().as_uri(), ""


def inspect_annual_report(data: bytes, url: str, content_type: str) -> dict[str, Any]:
    """A report page that only links its PDF/DOCX is followed to it (extractors never fetch)."""
    follow = fetch if url.lower().startswith(("http://", "https://")) else None
    return annual_report.inspect_report(data, url, content_type, fetch=follow)


def inspect_visibility(data: bytes, url: str, content_type: str) -> dict[str, Any]:
    """For a URL the linked stylesheets are fetched too (as the audit reads them from the store)."""
    sheets: list[str] = []
    if url.lower().startswith(("http://", "https://")):
        for css_url in visibility.linked_stylesheets(view_page(data, url, content_type).root, url)[:20]:
            try:
                sheets.append(fetch(css_url)[0][:2_000_000].decode("utf-8", "replace"))
            except UsageError:
                continue
    return visibility.inspect_visibility(data, url, content_type, sheets)


def inspect_page(data: bytes, url: str, content_type: str) -> dict[str, Any]:
    return view_page(data, url, content_type).to_dict()


def run(args: argparse.Namespace) -> int:
    data, url, ctype = fetch(args.source)
    if args.render:
        from govaudit.crawler.render import render_dom

        try:
            data, ctype = render_dom(url), "text/html; charset=utf-8"
        except RuntimeError as e:
            raise UsageError(str(e)) from None
    module, func = INSPECTORS[args.kind].split(":")
    fn: Callable[[bytes, str, str], dict[str, Any]] = getattr(importlib.import_module(module), func)
    result = fn(data, args.url or url, ctype)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")
    return 0
