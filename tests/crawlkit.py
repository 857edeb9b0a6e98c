"""The one builder of stored crawls for tests: pages, links, renders and probes written through
govaudit.store.Store the way the crawl pipeline writes them, then a CheckContext to run rules on.

    crawl = Crawl(tmp_path / "t.sqlite", Unit(id="u", name="青山县人民政府", url="http://www.qs.gov.cn/"),
                  today=dt.date(2024, 6, 20))
    crawl.page("/", "<html>…</html>")                      # '/' is the home page (purpose home)
    crawl.page("/a.pdf", pdf_bytes, purpose=Purpose.ATTACHMENT, content_type="application/pdf")
    crawl.page("http://other.example/x", None, purpose=Purpose.CHECK, status=404, method="HEAD")
    findings = crawl.run("link.broken")

Links of a parsed page are extracted with govaudit.extract.page.view_page and stored as the
spider's `follow` stores them (target normalised without session ids, `external` by the unit's
scope hosts). Pages are written one `Store.write_batch` each, in the order they are added.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

import yaml

from govaudit.checks.context import CheckContext
from govaudit.checks.registry import get_rule
from govaudit.checks.run import run_rule
from govaudit.crawler.scope import strip_session
from govaudit.extract.columns import PLATFORM_TEXT
from govaudit.extract.page import view_page
from govaudit.history import record_probe
from govaudit.model import CONTENT_PURPOSES, Finding, Purpose, Unit
from govaudit.store import Store
from govaudit.urls import host_of, is_http, normalize

from govaudit.checks.settings import load_rules_config

HTML = "text/html; charset=utf-8"
BEIJING = dt.timezone(dt.timedelta(hours=8))


class Crawl:
    """A stored crawl of one unit in one run, built by hand."""

    def __init__(self, path: str | Path, unit: Unit, today: dt.date, *, store: Store | None = None,
                 mode: str = "test", fetched_at: str | None = None) -> None:
        self.store = store or Store(path)
        self.unit = unit
        self.today = today
        self.run_id = self.store.start_run(mode, {}, today.isoformat())
        self.store.add_unit(self.run_id, unit)
        self.fetched_at = fetched_at or f"{today.isoformat()}T08:00:00+08:00"
        self.hosts = set(unit.scope_hosts())  # grows like the spider's: a platform linked from home
        self.base = unit.url.split("/", 3)[:3]

    # -- urls -------------------------------------------------------------------------------
    def url(self, path_or_url: str) -> str:
        """'/a/b.html' → the unit's host + path; absolute URLs as given; both normalised."""
        if is_http(path_or_url):
            return normalize(path_or_url)
        return normalize("/".join(self.base) + path_or_url)

    def in_scope(self, url: str) -> bool:
        return host_of(url) in self.hosts

    # -- pages ------------------------------------------------------------------------------
    def page(self, path_or_url: str, body: str | bytes | None = "", *, purpose: str | None = None,
             status: int | None = 200, content_type: str | None = None, headers: dict[str, str] | None = None,
             reason: str | None = None, method: str = "GET", final_url: str | None = None,
             redirects: list[Any] | None = None, depth: int | None = None, referer: str | None = None,
             title: str | None = None, parse: bool | None = None, links: list[dict[str, Any]] | None = None,
             rendered: bool = False, screenshot: str | None = None, note: str | None = None,
             fetched_at: str | None = None, size: int | None = None, encoding: str | None = None) -> int:
        """Store one fetch (a row of `pages`, its body and its links); returns the page id.

        `purpose` defaults to home for the unit URL and page otherwise. The body is parsed and its
        links stored when the spider would parse it (home/page/rendered, status < 300, HTML), unless
        `parse` says otherwise; `links` gives the rows instead (target, text, tag, attr, raw …)."""
        url = self.url(path_or_url)
        if purpose is None:
            purpose = Purpose.HOME if url == normalize(self.unit.url) else Purpose.PAGE
        data = body.encode("utf-8") if isinstance(body, str) else body
        if method == "HEAD":
            data = data or None
        ctype = content_type if content_type is not None else (HTML if data is not None or status else None)
        if headers is None and ctype:
            headers = {"Content-Type": ctype}
        digest = hashlib.sha256(data).hexdigest() if data else None
        final = self.url(final_url) if final_url else url
        row: dict[str, Any] = {
            "run_id": self.run_id, "unit_id": self.unit.id, "url": url, "final_url": final,
            "redirects": redirects, "status": status, "reason": reason, "method": method, "purpose": str(purpose),
            "headers": headers, "content_type": ctype, "size": size if size is not None else (len(data) if data else None),
            "sha256": digest, "encoding": encoding, "title": title, "fetched_at": fetched_at or self.fetched_at,
            "elapsed": 0.05, "depth": depth if depth is not None else (0 if purpose == Purpose.HOME else 1),
            "referer": referer, "rendered": int(rendered or purpose == Purpose.RENDERED), "screenshot": screenshot,
            "note": note,
        }
        if parse is None:  # crawler.spider.parse: the site's own HTML pages, answered, in scope,
            # and not a deep link that was sent to the home page
            parse = bool(data) and (purpose in (*CONTENT_PURPOSES, Purpose.RENDERED)) and (status or 0) < 300 \
                and "html" in (ctype or "") and self.in_scope(final) \
                and not (purpose == Purpose.PAGE and redirects and final == normalize(self.unit.url))
        out_links = [dict(ln) for ln in links or []]
        if parse and data:
            view = view_page(data, final, ctype or "")
            row["encoding"] = encoding or view.encoding
            row["title"] = title if title is not None else view.title[:500]
            out_links += self._links(view, home=purpose == Purpose.HOME)
        for ln in out_links:
            ln.setdefault("tag", "a")
            ln.setdefault("attr", "href")
            ln.setdefault("raw", ln["target"])
            ln.setdefault("external", int(is_http(ln["target"]) and not self.in_scope(ln["target"])))
            ln.update(page_ref=0, run_id=self.run_id, unit_id=self.unit.id, source_url=url)
        [page_id] = self.store.write_batch([row], out_links, [(digest, data)] if digest and data else [])
        return page_id

    def _links(self, view: Any, home: bool) -> list[dict[str, Any]]:
        """As crawler.spider.follow records them."""
        out = []
        for ln in view.links:
            target = normalize(strip_session(ln.url)) if is_http(ln.url) else ln.url
            external = is_http(ln.url) and not self.in_scope(ln.url)
            if home and external and PLATFORM_TEXT.search(ln.text or ""):
                self.hosts.add(host_of(ln.url))  # the spider brings the disclosure platform into scope
                external = False
            out.append({"target": target, "raw": ln.raw[:2000], "tag": ln.tag, "attr": ln.attr,
                        "text": ln.text, "hints": ln.hints or None, "external": int(external)})
        return out

    def link(self, source: str, target: str, text: str = "", **kw: Any) -> None:
        """One extra link row from an already stored page (for links no HTML carries)."""
        src = self.url(source)
        row = next(self.store.pages(self.run_id, self.unit.id, "url=?", (src,)))
        tgt = self.url(target) if target.startswith("/") else target
        ln = {"target": tgt, "raw": kw.get("raw", target), "tag": kw.get("tag", "a"), "attr": kw.get("attr", "href"),
              "text": text, "hints": kw.get("hints"), "external": int(kw.get("external", is_http(tgt) and not self.in_scope(tgt)))}
        self.store.add_links(row["id"], [ln])

    # -- renders, probes, unit row ------------------------------------------------------------
    def render(self, path_or_url: str, links: Iterable[dict[str, Any]] = (), *, status: int | None = 200,
               screenshot: str | None = None, error: str | None = None, title: str = "") -> None:
        """A browser render (crawler/render.py RenderPipeline): the `renders` row and one
        `rendered_links` row per link {href, text, selector, visible, strength, reasons, rect}."""
        url = self.url(path_or_url)
        item = {"run_id": self.run_id, "unit_id": self.unit.id, "url": url, "final_url": url,
                "status": None if error else status, "screenshot": None if error else screenshot,
                "fetched_at": self.fetched_at, "elapsed": 1.0, "error": error, "title": title,
                "links": [dict(ln) for ln in links]}
        for ln in item["links"]:
            ln.setdefault("text", "")
            ln.setdefault("selector", "a")
            ln.setdefault("visible", True)
        self.store.write_renders([item])

    def probe(self, when: dt.datetime, ok: bool, status: int | None = 200, reason: str | None = None,
              url: str | None = None, source: str = "probe", elapsed: float | None = 0.2) -> None:
        """An availability probe (govaudit probe / nightly), as govaudit.history records it."""
        with self.store.conn:
            record_probe(self.store, self.unit.id, url or self.unit.url, ok, status, reason, elapsed, when,
                         source=source, run_id=self.run_id if source == "crawl" else None)

    def unit_fields(self, **fields: Any) -> None:
        """Crawl bookkeeping on the unit row (status, pages, errors, limits_hit …)."""
        self.store.update_unit(self.run_id, self.unit.id,
                               **{k: json.dumps(v) if isinstance(v, dict) else v for k, v in fields.items()})

    # -- checks ------------------------------------------------------------------------------
    def ctx(self, config: dict[str, dict[str, Any]] | None = None) -> CheckContext:
        """A fresh CheckContext over the stored crawl; `config` is merged over config/rules.yaml."""
        conf = load_rules_config()
        for k, v in (config or {}).items():
            conf[k] = {**conf.get(k, {}), **v}
        return CheckContext(store=self.store, run_id=self.run_id, unit=self.unit, config=conf, today=self.today)

    def run(self, rule_id: str, config: dict[str, dict[str, Any]] | None = None,
            ctx: CheckContext | None = None) -> list[Finding]:
        """One rule through the real runner (outcome discipline included)."""
        return run_rule(get_rule(rule_id), ctx or self.ctx(config))


def problems(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.outcome in ("fail", "needs_review")]


# -- golden cases: a stored crawl described as files (tests/rules/<rule-id>/<case>/) ---------------
CONTENT_TYPES = {".html": HTML, ".htm": HTML, ".css": "text/css", ".js": "application/javascript",
                 ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".txt": "text/plain",
                 ".doc": "application/msword",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx")
CASE_KEYS = {"today", "unit", "fires", "config", "pages", "renders", "probes", "unit_fields", "earlier"}
DEFAULT_UNIT = {"id": "u", "name": "青山县人民政府", "url": "http://www.qs.gov.cn/", "kind": "government"}


def file_path(rel: str) -> str:
    """The URL path of a file under site/: its own path, except that index.html is its folder
    (site/index.html is the home page '/', site/xxgk/index.html is '/xxgk/'). List a page in
    case.yaml to give it another URL."""
    if rel == "index.html" or rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def load_case(case_dir: Path, store_path: Path) -> tuple[Crawl, dict[str, Any]]:
    """Build the stored crawl a case folder describes: case.yaml + site/ (see tests/rules/README.md)."""
    spec = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8")) or {}
    unknown = set(spec) - CASE_KEYS
    if unknown:  # a typo would silently drop part of the case
        raise ValueError(f"{case_dir}/case.yaml: unknown keys {sorted(unknown)} (known: {sorted(CASE_KEYS)})")
    unit = Unit(**{**DEFAULT_UNIT, **(spec.get("unit") or {})})
    store = Store(store_path)
    if spec.get("earlier"):  # an earlier complete run of the unit (history: column.backfilled …)
        before = Crawl(store_path, unit, _date(spec["earlier"]), store=store, mode="nightly")
        _fill(before, case_dir / "earlier", {})
        store.finish_run(before.run_id, "complete")
    crawl = Crawl(store_path, unit, _date(spec["today"]), store=store)
    _fill(crawl, case_dir / "site", spec)
    return crawl, spec


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _fill(crawl: Crawl, site: Path, spec: dict[str, Any]) -> None:
    """Store the pages of a site folder (and the case's renders, probes and unit fields)."""
    unit = crawl.unit
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) if site.is_dir() else []
    listed = [dict(p) for p in spec.get("pages") or []]
    used = {p["file"] for p in listed if p.get("file")}
    by_path = {p["path"]: p for p in listed}
    for rel in files:  # a file not listed is a page at its own path; listed pages name their file
        path = file_path(rel)
        if rel not in used and path not in by_path:
            listed.append({"path": path, "file": rel})
        elif path in by_path and not by_path[path].get("file") and "body" not in by_path[path]:
            by_path[path]["file"] = rel
    home = [p for p in listed if crawl.url(p["path"]) == normalize(unit.url)]
    listed = home + [p for p in listed if p not in home]  # the home page first, as in a crawl
    for p in listed:
        p = dict(p)
        path, rel = p.pop("path"), p.pop("file", None)
        body: str | bytes | None = p.pop("body", None)
        if rel:
            body = (site / rel).read_bytes()
            suffix = Path(rel).suffix.lower()
            p.setdefault("content_type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
            if suffix in ATTACHMENT_SUFFIXES:
                p.setdefault("purpose", Purpose.ATTACHMENT)
        crawl.page(path, body, **p)
    for r in spec.get("renders") or []:
        r = dict(r)
        crawl.render(r.pop("path"), r.pop("links", []), **r)
    for pr in spec.get("probes") or []:
        pr = dict(pr)
        when = pr.pop("time")
        when = when if isinstance(when, dt.datetime) else dt.datetime.fromisoformat(str(when))
        crawl.probe(when if when.tzinfo else when.replace(tzinfo=BEIJING), **pr)
    if spec.get("unit_fields"):
        crawl.unit_fields(**spec["unit_fields"])


VOLATILE = {"fetched_at", "elapsed", "sha256", "screenshot", "warc_record_id", "time", "started", "finished",
            "absent_run"}  # run ids differ on every build


def stable(value: Any) -> Any:
    """A finding's data without what changes from run to run (times, hashes, screenshots)."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def golden(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """What a golden expected.json holds of each finding: rule, outcome, url, target, the
    fingerprint (reviews and the nightly diff hang on it), data and the evidence URLs; not the
    message wording (it moves to a message catalogue) nor fetch times and hashes."""
    out = [{"rule": f.rule, "outcome": f.outcome, "url": f.url, "target": f.target, "fingerprint": f.fingerprint,
            "data": stable(json.loads(json.dumps(f.data, ensure_ascii=False, default=str))), "evidence": sorted({e.url for e in f.evidence})} for f in findings]
    return sorted(out, key=lambda d: (d["outcome"], d["url"] or "", d["target"] or "", d["fingerprint"]))
