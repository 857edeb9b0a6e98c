"""Evidence bundle: one zip per unit that holds up when a unit disputes a deduction.

Contents: index.html (every finding with links to the archived copies: opens offline, no script),
说明.txt (how to verify a hash and replay the WARC), the unit's report page (units/<unit>.html), its
score sheet (scores.xlsx) and 整改通知 (fixlist.docx), the screenshots cited, the raw body of every
page cited by a finding, named by its address (pages/<host>/<path>), optionally a WARC file of the
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
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from govaudit import __version__
from govaudit.reports.fixes import fix_text
from govaudit.reports.html import environment, item_of
from govaudit.store import Store, now_iso
from govaudit.text import tz_label
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
import datetime as dt
from govaudit.reports.html import render_unit
from govaudit.reports.xlsx import write_scores_xlsx

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


_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def archive_name(url: str, content_type: str | None, taken: set[str]) -> str:
    """pages/<host>/<path> for a fetched URL: readable, unique within the bundle, safe on every OS."""
    parts = urlsplit(url)
    host = _UNSAFE.sub("_", (parts.hostname or "host") + (f"_{parts.port}" if parts.port else ""))
    segs = [_UNSAFE.sub("_", unquote(s))[:80] or "_" for s in parts.path.split("/") if s and s not in (".", "..")]
    if not segs or parts.path.endswith("/"):
        segs.append("index")
    stem, dot, ext = segs[-1].rpartition(".")
    if not dot or len(ext) > 5:
        stem, ext = segs[-1], _ext(content_type, url).lstrip(".")
    if parts.query:
        stem += "_q" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
    segs[-1] = f"{stem}.{ext}" if ext else stem
    name = "pages/" + "/".join([host, *segs])
    n = 2
    while name in taken:   # the same address fetched twice with different bodies
        base, dot, ext = name.rpartition(".")
        name = f"{base}~{n}.{ext}" if dot else f"{name}~{n}"
        n += 1
    taken.add(name)
    return name


def warc_bytes(store: Store, pages: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
    """A gzipped WARC of the cited responses (request + response records); record ids by URL."""

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

    run_id = portfolio.run["id"]
    files: dict[str, bytes] = {}
    tmp = out / "bundles" / f".{unit.id}.xlsx.tmp"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    write_scores_xlsx(portfolio, tmp, [unit])
    files["scores.xlsx"] = tmp.read_bytes()
    tmp.unlink()
    pages_meta = []
    taken: set[str] = set()
    for p in cited_pages(store, run_id, unit):
        entry: dict[str, Any] = {"url": p["url"], "final_url": p.get("final_url"), "fetched_at": p.get("fetched_at"),
                                 "status": p.get("status"), "reason": p.get("reason"), "sha256": p.get("sha256"),
                                 "content_type": p.get("content_type")}
        body = store.body(p["sha256"]) if p.get("sha256") else None
        if body is not None:
            name = archive_name(p["url"], p.get("content_type"), taken)
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
    archive = {p["url"]: "../" + p["file"] for p in pages_meta if p.get("file")}   # the unit page sits in units/
    files[f"units/{unit.id}.html"] = render_unit(portfolio, unit, out, archive=archive).encode("utf-8")
    fixlist = out / "fixlists" / f"{unit.id}.docx"
    if fixlist.is_file():
        files["fixlist.docx"] = fixlist.read_bytes()
    files["说明.txt"] = README_TEXT.format(unit=unit.row["name"], run=run_id,
                                          warc="evidence.warc.gz" if warc else "（本证据包未含 WARC）").encode("utf-8")
    files["index.html"] = render_index(portfolio, unit, pages_meta, files, warc).encode("utf-8")
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
    log.info("证据包 %s：%s（%d 个文件）", unit.id, path, len(files))
    return path


README_TEXT = """{unit} 证据包（检查批次 {run}）说明
================================================

一、包内文件
  index.html        从这里开始：每个问题的说明、整改建议和证据，“存档副本”链接到包内保存的原始页面。
  units/            本单位的检查报告页面。
  scores.xlsx       评分表；fixlist.docx 为整改通知（如有）。
  pages/<网站>/<路径>  检查时抓取到的原始页面和附件，按网址命名，内容未作任何改动。
  screenshots/      浏览器截图（如有）。
  manifest.json     每个文件的 sha256 摘要和字节数，以及每个被引用页面的网址、抓取时间、状态码和正文摘要。
  {warc}  网页存档（WARC 格式），记录被引用页面当时的完整应答。

二、核对文件是否被改动（sha256 摘要）
  把文件的 sha256 摘要与 manifest.json 中 "files" 下该文件的 "sha256" 比对，一致即未被改动。
  Windows（命令提示符）：certutil -hashfile pages\某网站\某页面.html SHA256
  Windows（PowerShell）：Get-FileHash pages\某网站\某页面.html -Algorithm SHA256
  Linux / macOS：sha256sum pages/某网站/某页面.html   （macOS 也可用 shasum -a 256）
  报告和问题证据中列出的 sha256 是页面正文的摘要，与 pages/ 下对应文件的摘要相同。

三、回放网页存档（WARC）
  1. 用浏览器打开 https://replayweb.page （或安装其桌面版，可离线使用），选择“打开本地文件”，
     选中 evidence.warc.gz，即可按网址浏览检查时的页面原貌。
  2. 也可使用 pywb：pip install pywb；wb-manager init 证据；wb-manager add 证据 evidence.warc.gz；
     wayback，然后在浏览器中访问 http://localhost:8080/证据/<页面网址>。

四、注意
  存档页面是被检查网站的原始文件，可能含有该网站的脚本或外部资源引用；建议在断网环境下查看。
  “未能检测”表示本次抓取无法判断，不等于通过。
"""


def render_index(portfolio: Any, unit: Any, pages_meta: list[dict[str, Any]], files: dict[str, bytes],
                 warc: bool) -> str:
    """index.html of the bundle: every problem (and reviewed finding) with links to its archived copies."""
    archived = {p["url"]: p for p in pages_meta}
    ids = {i.id for i in portfolio.primary.items}
    rows = []
    for f in unit.findings:
        if f["effective"] not in ("fail", "needs_review") and not f.get("review"):
            continue
        evidence = []
        for e in f.get("evidence") or []:
            page = archived.get(e.get("url") or "", {})
            shot = page.get("screenshot")
            if e.get("screenshot") and f"screenshots/{Path(e['screenshot']).name}" in files:
                shot = f"screenshots/{Path(e['screenshot']).name}"
            evidence.append({**e, "file": page.get("file"), "shot": shot})
        rows.append({"f": f, "item": item_of(f, portfolio.primary, ids), "fix": fix_text(f), "evidence": evidence})
    listing = [(name, len(data), hashlib.sha256(data).hexdigest()) for name, data in sorted(files.items())
               if name not in ("index.html", "说明.txt")]
    return environment().get_template("bundle_index.html.j2").render(
        unit=unit, run=portfolio.run, rows=rows, listing=listing, warc=warc, generated=now_iso(), tz=tz_label(),
        has_fixlist="fixlist.docx" in files)


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
