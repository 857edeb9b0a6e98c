"""govaudit inspect KIND FILE_OR_URL — run one extractor on one document and print what it found."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any, Callable

from govaudit.commands._common import UsageError
from govaudit.extract import annual_report, visibility
from govaudit.extract.page import view_page
from govaudit.urls import host_of
from govaudit.text import label, value

# kind -> "module:function(data: bytes, url: str, content_type: str) -> dict"
INSPECTORS: dict[str, str] = {
    "request": "govaudit.extract.request:inspect_request",   # issue 20: request.channel
    "page": "govaudit.commands.inspect:inspect_page",
    "list": "govaudit.extract.lists:inspect_list",
    "guide": "govaudit.extract.guide:inspect_guide",
    "annual-report": "govaudit.commands.inspect:inspect_annual_report",
    "interp": "govaudit.extract.interp:inspect_interp",
    "interact": "govaudit.extract.interact:inspect_interact",
    "visibility": "govaudit.commands.inspect:inspect_visibility",
    "site": "govaudit.extract.site_meta:inspect_site",
    "meta": "govaudit.extract.doc_meta:inspect_meta",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inspect", help="what the extractors see in one document (HTML, PDF, DOCX)")
    p.add_argument("kind", choices=sorted(INSPECTORS))
    p.add_argument("source", metavar="FILE_OR_URL")
    p.add_argument("--json", action="store_true", help="JSON output for scripts (default: a readable Chinese view)")
    p.add_argument("--all", action="store_true", help="text view: every list item (default: the first %d)" % LIST_LIMIT)
    p.add_argument("--url", help="the URL the file was saved from (resolves relative links)")
    p.add_argument("--render", action="store_true",
                   help="run the extractor on the DOM Chromium builds (scripts run), as the crawler does "
                        "for lists a script fills")
    p.set_defaults(func=run)


def fetch(source: str, timeout: float = 15.0) -> tuple[bytes, str, str]:
    """(body, url, content type) from a file path or an http(s) URL."""
    if source.lower().startswith(("http://", "https://")):
        import urllib.request  # start-up cost: a command loads its stages when it runs

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
        from govaudit.crawler.render import render_dom  # optional: Playwright only for --render

        try:
            data, ctype = render_dom(url), "text/html; charset=utf-8"
        except RuntimeError as e:
            raise UsageError(str(e)) from None
    module, func = INSPECTORS[args.kind].split(":")
    fn: Callable[[bytes, str, str], dict[str, Any]] = getattr(importlib.import_module(module), func)
    result = fn(data, args.url or url, ctype)
    if isinstance(result, dict):
        result["content_checks"] = content_checks(data, args.url or url, ctype)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    for line in text_view(result, limit=None if args.all else LIST_LIMIT):
        sys.stdout.write(line + "\n")
    return 0


def content_checks(data: bytes, url: str, content_type: str) -> dict[str, Any]:
    """What the content rules would say about this one document, by their default settings: illegal
    terms (content.illegal-text), hidden links to other sites (link.hidden), personal data, shown
    masked (content.privacy), and serious wording errors or typos (content.wording)."""
    from govaudit.checks.analyses.documents import page_text  # start-up cost: loaded when it runs
    from govaudit.checks.analyses.vocab import find_terms, in_context  # start-up cost: loaded when it runs
    from govaudit.checks.content.wording import find_errors  # start-up cost: loaded when it runs
    from govaudit.checks.settings import load_rules_config  # start-up cost: loaded when it runs
    from govaudit.extract.attachments import read_text  # start-up cost: loaded when it runs
    from govaudit.extract.personal_data import find_personal_data, snippet  # start-up cost: loaded when it runs

    conf = load_rules_config()
    html = "html" in content_type.lower() or data.lstrip()[:1] == b"<"
    title = ""
    if html:
        view = view_page(data, url, content_type)
        text, title = page_text(view.text), view.title
        hidden = [lv.to_dict() for lv in visibility.analyze(view.root, url, ())
                  if lv.hidden and lv.url.startswith("http") and host_of(lv.url) != host_of(url)]
    else:
        text, hidden = read_text(data, url, content_type).text, []
    illegal = conf["link.illegal"]
    terms = [{"term": t, "context": text[max(0, i - 20): i + 20]} for t, i in find_terms(text, illegal["terms"])
             if not in_context(text, i, illegal["context_words"])]
    wording = conf["content.wording"]
    return {
        "illegal_terms": terms[:20],
        "hidden_links": [{"url": h["url"], "text": h.get("text"), "reasons": h.get("reasons")} for h in hidden[:20]],
        "personal_data": [{"kind": h.kind, "masked": h.masked, "snippet": snippet(text, h)}
                          for h in find_personal_data(text)[:20]],
        "wording_errors": [{k: e[k] for k in ("error", "correct", "sentence")} for key in ("serious", "typos")
                           for e in find_errors(text, title, wording[key], wording["correction_words"],
                                                wording["context_span"])][:20],
    }


LIST_LIMIT = 15
SCALAR_MAX = 160


def _scalar(v: Any, key: str = "") -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, str):
        v = " ".join(v.split())
        v = v if v.startswith(("http://", "https://", "file://")) else value(v, key)
        return v if len(v) <= SCALAR_MAX else v[:SCALAR_MAX - 1] + "…"
    return str(v)


def _flat(v: Any) -> bool:
    return not isinstance(v, (dict, list)) or (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v))


def _record(r: dict[str, Any]) -> str:
    """One record on one line: its scalar fields as 标签：值, nested structures counted."""
    parts = []
    for k, x in r.items():
        if x is None or x == "" or x == [] or x == {}:
            continue
        if isinstance(x, list) and _flat(x):
            parts.append(f"{label(k)}：{'、'.join(_scalar(i, k) for i in x[:8])}{'…' if len(x) > 8 else ''}")
        elif isinstance(x, (dict, list)):
            parts.append(f"{label(k)}：{len(x)} 项")
        else:
            parts.append(f"{label(k)}：{_scalar(x, k)}")
    return "；".join(parts)


def text_view(result: Any, limit: int | None = LIST_LIMIT, indent: str = "") -> list[str]:
    """What an extractor found, as readable Chinese lines: 标签：值, lists numbered, long lists cut."""
    if not isinstance(result, dict):
        return [indent + _scalar(result)]
    lines: list[str] = []
    for k, v in result.items():
        name = label(k)
        if _flat(v):
            shown = "、".join(_scalar(x, k) for x in v) if isinstance(v, list) else _scalar(v, k)
            lines.append(f"{indent}{name}：{shown or '（无）'}")
        elif isinstance(v, list):
            lines.append(f"{indent}{name}（{len(v)} 项）：")
            for i, x in enumerate(v[:limit] if limit else v, 1):
                lines.append(f"{indent}  {i}. {_record(x) if isinstance(x, dict) else _scalar(x, k)}")
            if limit and len(v) > limit:
                lines.append(f"{indent}  ……另有 {len(v) - limit} 项（--all 显示全部，--json 输出完整数据）")
        else:
            lines.append(f"{indent}{name}：")
            lines.extend(text_view(v, limit, indent + "  "))
    return lines
