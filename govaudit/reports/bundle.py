"""Evidence bundle: one zip per unit that holds up when a unit disputes a deduction.

Contents: the unit's report page (units/<unit>.html), its score sheet (scores.xlsx), the screenshots
cited, the raw body of every page cited by a finding (bodies/<sha256>), optionally a WARC file of the
cited responses rebuilt from the store (replayable in standard web-archive players), and
manifest.json: sha256 and size of every file, each cited page's URL, fetch time, status and body
hash, the run and the tool version.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import mimetypes
import zipfile
from pathlib import Path
from typing import Any

from govaudit import __version__
from govaudit.store import Store, now_iso

log = logging.getLogger("govaudit.reports")

STATUS_TEXT = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 403: "Forbidden",
               404: "Not Found", 410: "Gone", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def cited_pages(store: Store, run_id: str, unit: Any) -> list[dict[str, Any]]:
    """The stored fetches behind the evidence of the unit's problem findings (and reviewed ones)."""
    urls: dict[str, str | None] = {}
    for f in unit.findings:
        if f["effective"] not in ("fail", "needs_review") and not f.get("review"):
            continue
        for e in f.get("evidence") or []:
            if e.get("url"):
                urls.setdefault(e["url"], e.get("sha256"))
    pages = []
    for url, digest in urls.items():
        row = None
        if digest:
            row = store.conn.execute("SELECT * FROM pages WHERE run_id=? AND url=? AND sha256=? ORDER BY id DESC LIMIT 1",
                                     (run_id, url, digest)).fetchone()
        if row is None:
            row = store.conn.execute("SELECT * FROM pages WHERE run_id=? AND url=? ORDER BY id DESC LIMIT 1",
                                     (run_id, url)).fetchone()
        if row is not None:
            cols = [d[0] for d in store.conn.execute("SELECT * FROM pages LIMIT 0").description]
            pages.append(dict(zip(cols, row)))
    return pages


def _ext(content_type: str | None, url: str) -> str:
    ct = (content_type or "").split(";")[0].strip().lower()
    ext = {"text/html": ".html", "application/pdf": ".pdf", "text/plain": ".txt"}.get(ct) or mimetypes.guess_extension(ct) or ""
    if not ext:
        tail = url.rsplit("/", 1)[-1]
        ext = ("." + tail.rsplit(".", 1)[-1].lower()) if "." in tail and len(tail.rsplit(".", 1)[-1]) <= 5 else ".bin"
    return ext


def warc_bytes(store: Store, pages: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
    """A gzipped WARC of the cited responses (request + response records); record ids by URL."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("govaudit-evidence.warc.gz", {
        "software": f"govaudit {__version__}", "format": "WARC File Format 1.1",
        "description": "Responses cited by findings, rebuilt from the audit store"}))
    ids: dict[str, str] = {}
    for p in pages:
        body = store.body(p["sha256"]) if p.get("sha256") else None
        if body is None or not p.get("status"):
            continue
        headers = json.loads(p["headers"]) if p.get("headers") else {}
        headers = [(k, v) for k, v in headers.items()
                   if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
        headers.append(("Content-Length", str(len(body))))
        status = int(p["status"])
        http = StatusAndHeaders(f"{status} {STATUS_TEXT.get(status, 'Status')}", headers, protocol="HTTP/1.1")
        date = _warc_date(p.get("fetched_at"))
        rec = writer.create_warc_record(p["url"], "response", payload=io.BytesIO(body), http_headers=http,
                                        warc_headers_dict={"WARC-Date": date} if date else None)
        writer.write_record(rec)
        ids[p["url"]] = rec.rec_headers.get_header("WARC-Record-ID")
    return buf.getvalue(), ids


def _warc_date(fetched_at: str | None) -> str | None:
    import datetime as dt

    if not fetched_at:
        return None
    try:
        d = dt.datetime.fromisoformat(fetched_at)
    except ValueError:
        return None
    if d.tzinfo is not None:
        d = d.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_bundle(store: Store, portfolio: Any, unit: Any, out: Path, warc: bool = False) -> Path:
    """OUT/bundles/<unit>-<run>.zip for one unit; returns its path."""
    from govaudit.reports.html import render_unit
    from govaudit.reports.xlsx import write_scores_xlsx

    run_id = portfolio.run["id"]
    files: dict[str, bytes] = {}
    files[f"units/{unit.id}.html"] = render_unit(portfolio, unit, out).encode("utf-8")
    tmp = out / "bundles" / f".{unit.id}.xlsx.tmp"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    write_scores_xlsx(portfolio, tmp, [unit])
    files["scores.xlsx"] = tmp.read_bytes()
    tmp.unlink()
    pages_meta = []
    for p in cited_pages(store, run_id, unit):
        entry: dict[str, Any] = {"url": p["url"], "final_url": p.get("final_url"), "fetched_at": p.get("fetched_at"),
                                 "status": p.get("status"), "reason": p.get("reason"), "sha256": p.get("sha256"),
                                 "content_type": p.get("content_type")}
        body = store.body(p["sha256"]) if p.get("sha256") else None
        if body is not None:
            name = f"bodies/{p['sha256']}{_ext(p.get('content_type'), p['url'])}"
            files[name] = body
            entry["file"] = name
        shot = p.get("screenshot")
        if shot:
            sp = Path(shot) if Path(shot).is_absolute() else out / shot
            if sp.is_file():
                name = f"screenshots/{sp.name}"
                files[name] = sp.read_bytes()
                entry["screenshot"] = name
        pages_meta.append(entry)
    for f in unit.findings:                       # screenshots cited by evidence itself
        if f["effective"] not in ("fail", "needs_review") and not f.get("review"):
            continue
        for e in f.get("evidence") or []:
            shot = e.get("screenshot")
            if shot:
                sp = Path(shot) if Path(shot).is_absolute() else out / shot
                if sp.is_file() and f"screenshots/{sp.name}" not in files:
                    files[f"screenshots/{sp.name}"] = sp.read_bytes()
    if warc:
        data, ids = warc_bytes(store, [p for p in cited_pages(store, run_id, unit)])
        files["evidence.warc.gz"] = data
        for e in pages_meta:
            e["warc_record_id"] = ids.get(e["url"])
    manifest = {
        "tool": "govaudit", "version": __version__, "created": now_iso(),
        "run": {k: portfolio.run.get(k) for k in ("id", "started", "finished", "today", "status")},
        "unit": {"id": unit.id, "name": unit.row["name"], "url": unit.row["url"]},
        "scores": {p: {"total": s.total, "grade": s.grade, "provisional": s.provisional,
                       "rubric_version": s.rubric_version, "rubric_sha256": s.rubric_sha256}
                   for p, s in unit.scores.items()},
        "findings": [{"fingerprint": f["fingerprint"], "rule": f["rule"], "outcome": f["effective"],
                      "machine_outcome": f["machine_outcome"], "url": f["url"], "target": f.get("target"),
                      "review": f.get("review")} for f in unit.findings if f["machine_outcome"] in ("fail", "needs_review")],
        "pages": pages_meta,
        "files": [{"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in sorted(files.items())],
    }
    path = out / "bundles" / f"{unit.id}-{run_id}.zip"
    part = path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in sorted(files.items()):
            z.writestr(name, data)
    part.replace(path)
    log.info("evidence bundle for %s: %s (%d files)", unit.id, path, len(files))
    return path


def verify_bundle(path: Path) -> list[str]:
    """Problems found when checking a bundle's files against its manifest (empty: all good)."""
    problems = []
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        names = set(z.namelist()) - {"manifest.json"}
        listed = {f["path"] for f in manifest["files"]}
        problems += [f"not in manifest: {n}" for n in sorted(names - listed)]
        for f in manifest["files"]:
            if f["path"] not in names:
                problems.append(f"missing: {f['path']}")
            elif hashlib.sha256(z.read(f["path"])).hexdigest() != f["sha256"]:
                problems.append(f"sha256 mismatch: {f['path']}")
    return problems
