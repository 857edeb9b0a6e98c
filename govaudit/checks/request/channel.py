"""request.channel — the 依申请公开 entry and what stands behind it (appraisal 8.3.1; requirements §7).

What: on the disclosure platform, no 依申请公开 entry; or an entry behind which there is none of an
online application form, a link to the shared application system, or a 申请表 that downloads and
opens; or a request page whose address or phone differs from the disclosure guide's.

Why: 条例 arts. 27–29 let anyone apply for government information in writing, including online;
8.3.1 (依申请公开内部机制、申请渠道和工作流程完善) scores the channel, and the national inspection
checks that the 依申请公开 entry works. The guide (art. 12) and the request page must name the same
office: an applicant who follows either must reach it.

How: the entry is the platform's 依申请公开 sub-column (ColumnsAnalysis `subs["request"]`, pinned as
`request`/`依申请公开` in the unit config or found by its label: 依申请公开, 信息公开申请 …). An entry on
another host (the province's shared 依申请公开 system) is itself the channel when its check did not
fail. Otherwise the entry page is read, with its frames and up to `max_pages` pages it links whose
text says 申请 (申请须知, 在线申请 …): an application form (govaudit.extract.request: a `<form>` asking
for at least `min_fields` kinds of field — applicant, identity, contact, address, information
wanted; a search box never counts); a link to an online application on another host (在线申请, 网上
申请, 依申请公开平台 …: counted, not crawled); a 申请表 download (.doc/.docx/.wps/.xls/.pdf) fetched
with a good status and readable by govaudit.extract.attachments (the crawler downloads attachments
named 申请表: crawl.fetch_attachments). The phones and 地址 of those pages are read as the guide's
are (extract/guide.py) and compared with the guide's (GuideFound) when both give them (`compare`:
phone, address): no phone in common, or addresses of which neither contains the other, is `needs_review`.
No entry → `fail`; an entry with nothing behind it (or an entry page that answers an error) →
`needs_review`; an entry page the crawl did not fetch → `not_measured` (an application may still be possible by letter: a person confirms); differing
contact details → `needs_review`. Evidence: where the entry is linked, the entry page, what was
found behind it.

Limits: forms that a script builds after load are seen only on pages the crawler rendered; a form
on the shared system (another host) is not examined; a 申请表 that was only checked with HEAD (not
downloaded) counts as not opened and the finding says so; an entry reached only through a script
menu is not found (pin it in the unit config).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import urlsplit

from govaudit.checks.analyses.columns import ColumnsAnalysis
from govaudit.checks.analyses.guide import GuideFound
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.attachments import read_text
from govaudit.extract.columns import main_content
from govaudit.extract.request import (KIND_LABELS, Contacts, application_forms, apply_link, contacts,
                                      form_download, same_address, same_phone)
from govaudit.model import Finding
from govaudit.urls import normalize

RULE = Rule(id="request.channel", item="8.3.1", title="依申请公开渠道不畅通",
            defaults={"min_fields": 2, "max_pages": 10, "compare": ["phone", "address"]},
            uses=(ColumnsAnalysis, SitePages, GuideFound))


@dataclass
class Behind:
    """What the rule found behind the entry."""
    forms: list[dict[str, Any]] = field(default_factory=list)        # application forms (page, action, what they ask)
    systems: list[dict[str, Any]] = field(default_factory=list)      # links to an online application elsewhere
    downloads: list[dict[str, Any]] = field(default_factory=list)    # 申请表 downloads that open
    problems: list[dict[str, Any]] = field(default_factory=list)     # downloads/links that do not work
    pages: list[str] = field(default_factory=list)                   # pages read
    phones: list[str] = field(default_factory=list)
    address: str | None = None

    @property
    def channels(self) -> int:
        return len(self.forms) + len(self.systems) + len(self.downloads)

    def to_dict(self) -> dict[str, Any]:
        return {"application_forms": self.forms, "systems": self.systems, "downloads": self.downloads,
                "problems": self.problems, "pages_read": self.pages, "phones": self.phones, "address": self.address}


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    cols = ctx.get(ColumnsAnalysis)
    site = ctx.get(SitePages)
    entry = cols.subs.get("request")
    if entry is None:
        where = cols.platform.url if cols.platform else (ctx.home or {"url": ctx.unit.url})["url"]
        page = site.stored(where) or {"url": where}
        what = "政府信息公开平台" if cols.platform else "首页（未找到政府信息公开平台）"
        yield ctx.finding(RULE, "fail", where, f"{what}未设置“依申请公开”入口：应提供在线申请、申请表下载或统一申请平台链接",
                          evidence=[ctx.evidence(page, note="未找到“依申请公开”栏目或入口链接")],
                          data={"problem": "no-entry", "platform": cols.platform.url if cols.platform else None})
        return
    source = site.stored(entry.source) if entry.source != "config" else None
    ev_entry = ctx.evidence(source or {"url": entry.source if entry.source != "config" else entry.url},
                            snippet=f"{entry.label} → {entry.url}", note="依申请公开入口")
    entry_data = {"problem": "channel", "entry": entry.url, "label": entry.label, "linked_from": entry.source}
    if not _in_scope(ctx, entry.url):
        row = _fetch_row(ctx, entry.url)
        if _broken(row):
            yield ctx.finding(RULE, "needs_review", entry.url, f"“{entry.label}”入口指向的申请平台无法打开"
                              f"（{_status_text(row)}），请核实并修复链接", target=entry.url, key="channel",
                              evidence=[ev_entry, ctx.evidence(row or {"url": entry.url})],
                              data={**entry_data, "status": (row or {}).get("status"), "reason": (row or {}).get("reason")})
            return
        yield ctx.finding(RULE, "pass", entry.url, f"“{entry.label}”入口指向统一的依申请公开平台（{_host(entry.url)}）",
                          target=entry.url, evidence=[ev_entry], data={**entry_data, "problem": None, "external": True})
        return
    page, root = site.root(entry.url)
    if page is None or root is None:
        row = _fetch_row(ctx, entry.url)
        if not _broken(row):   # never fetched (or nothing parseable): the crawl did not show what is behind it
            yield ctx.finding(RULE, "not_measured", entry.url, f"找到依申请公开入口“{entry.label}”，但入口页面未抓取，"
                              "未能检查其后的申请渠道", evidence=[ev_entry], data=entry_data)
            return
        yield ctx.finding(RULE, "needs_review", entry.url, f"依申请公开入口页面无法打开（{_status_text(row)}），"
                          "请修复入口，提供在线申请、申请表下载或统一申请平台链接", key="channel",
                          evidence=[ev_entry, ctx.evidence(row or {"url": entry.url})],
                          data={**entry_data, "status": (row or {}).get("status"), "reason": (row or {}).get("reason")})
        return
    behind = _behind(ctx, entry.url, conf)
    ev_page = ctx.evidence(page, snippet=f"依申请公开页面：{page.get('title') or entry.label}")
    data = {**entry_data, **behind.to_dict()}
    if not behind.channels:
        why = "；".join(p["why"] for p in behind.problems[:3])
        yield ctx.finding(RULE, "needs_review", page["url"],
                          "依申请公开页面未提供在线申请表单、统一申请平台链接或可下载打开的申请表"
                          + (f"（{why}）" if why else "") + "，请补充至少一种申请渠道", key="channel",
                          evidence=[ev_entry, ev_page, *[ctx.evidence({"url": p["url"], "status": p.get("status")},
                                                                     note=p["why"]) for p in behind.problems[:3]]],
                          data=data)
    differ = _contacts_differ(ctx, behind, conf["compare"])
    if differ is not None:
        guide, parts = differ
        yield ctx.finding(RULE, "needs_review", page["url"],
                          f"依申请公开页面与政府信息公开指南的{'和'.join(p['what'] for p in parts)}不一致："
                          + "；".join(f"{p['what']}：本页 {p['here']}，指南 {p['guide']}" for p in parts)
                          + "，请核实后统一", key="contact",
                          evidence=[ev_page, ctx.evidence(guide.page or {"url": guide.url},
                                                          snippet=f"指南：{guide.title}")],
                          data={**data, "problem": "contact", "differences": parts, "guide": guide.url})
    if behind.channels and differ is None:
        yield ctx.finding(RULE, "pass", page["url"], f"依申请公开入口“{entry.label}”后有：{_summary(behind)}",
                          evidence=[ev_entry, ev_page], data={**data, "problem": None})


def _in_scope(ctx: CheckContext, url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in ctx.unit.scope_hosts()


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _fetch_row(ctx: CheckContext, url: str) -> dict[str, Any] | None:
    return ctx.store.page_by_url(ctx.run_id, url) or ctx.store.page_by_url(ctx.run_id, normalize(url))


def _broken(row: dict[str, Any] | None) -> bool:
    """A fetch that failed; a target never checked (None) is not taken as broken."""
    return row is not None and (bool(row.get("reason")) or (row.get("status") or 0) >= 400)


def _status_text(row: dict[str, Any] | None) -> str:
    if row is None:
        return "未抓取"
    if row.get("status"):
        return f"HTTP {row['status']}"
    return str(row.get("reason") or "无响应")


def _behind(ctx: CheckContext, entry_url: str, conf: dict[str, Any]) -> Behind:
    """Read the entry page, its frames and the pages it links about applying (module docstring)."""
    site = ctx.get(SitePages)
    out = Behind()
    queue = [entry_url]
    seen: set[str] = set()
    known: set[str] = set()
    while queue and len(out.pages) < int(conf["max_pages"]):
        url = queue.pop(0)
        if normalize(url) in seen:
            continue
        seen.add(normalize(url))
        page, root = site.root(url)
        if page is None or root is None:
            continue
        out.pages.append(page["url"])
        for form in application_forms(root, int(conf["min_fields"])):
            out.forms.append({"page": page["url"], "form_action": form.action,
                              "fields": form.fields, "asks": "、".join(KIND_LABELS[k] for k in form.kinds)})
        text, _ = main_content(root)
        found = contacts(text)
        _merge_contacts(out, found)
        for furl, _fpage, froot in site.frames(root, page["url"]):
            if froot is not None and normalize(furl) not in seen:
                queue.insert(0, furl)
        for target, label in site.links_from(page["url"]):
            n = normalize(target)
            if n in known or not target.startswith("http"):
                continue
            if form_download(label, target):
                known.add(n)
                _download(ctx, target, label, page["url"], out)
            elif apply_link(label, target) and not _in_scope(ctx, target):
                known.add(n)
                row = _fetch_row(ctx, target)
                item = {"url": target, "text": label, "page": page["url"], "status": (row or {}).get("status")}
                if _broken(row):
                    out.problems.append({**item, "why": f"申请平台链接“{label}”无法打开（{_status_text(row)}）"})
                else:
                    out.systems.append(item)
            elif "申请" in label and _in_scope(ctx, target) and n not in seen:
                queue.append(target)
    return out


def _merge_contacts(out: Behind, found: Contacts) -> None:
    for p in found.phones:
        if not any(same_phone(p, q) for q in out.phones):
            out.phones.append(p)
    if out.address is None and found.address:
        out.address = found.address


def _download(ctx: CheckContext, url: str, label: str, page_url: str, out: Behind) -> None:
    """A 申请表 link: it counts when it was downloaded with a good status and its text can be read."""
    label = label.strip("《》 ") or label   # 《…申请表》 quoted again in the messages
    row = _fetch_row(ctx, url)
    item = {"url": url, "text": label, "page": page_url, "status": (row or {}).get("status")}
    if row is None:
        out.problems.append({**item, "why": f"申请表“{label}”未被抓取，无法确认能否下载"})
        return
    if _broken(row):
        out.problems.append({**item, "why": f"申请表“{label}”无法下载（{_status_text(row)}）"})
        return
    body = ctx.store.body(row["sha256"]) if row.get("sha256") else None
    if not body:
        out.problems.append({**item, "why": f"申请表“{label}”只检查了链接可访问，未下载，无法确认能否打开"})
        return
    cached = ctx.store.attachment_text(row["sha256"])
    status = cached["status"] if cached else read_text(body, url, row.get("content_type") or "").status
    if status == "unreadable":
        out.problems.append({**item, "why": f"申请表“{label}”下载后无法打开（文件损坏或格式不符）"})
        return
    out.downloads.append(item)


def _contacts_differ(ctx: CheckContext, behind: Behind, compare: list[str]) -> tuple[Any, list[dict[str, str]]] | None:
    """(the guide, the differing details) when the request pages and the guide disagree on what
    `compare` names ("phone", "address")."""
    if not compare:
        return None
    guide = ctx.get(GuideFound).doc
    if guide is None or not guide.text or guide.report is None:
        return None
    theirs = contacts(guide.text)
    parts: list[dict[str, str]] = []
    if "phone" in compare and behind.phones and theirs.phones and not any(same_phone(a, b) for a in behind.phones for b in theirs.phones):
        parts.append({"what": "联系电话", "here": "、".join(behind.phones[:3]), "guide": "、".join(theirs.phones[:3])})
    if "address" in compare and behind.address and theirs.address and not same_address(behind.address, theirs.address):
        parts.append({"what": "地址", "here": behind.address, "guide": theirs.address})
    return (guide, parts) if parts else None


def _summary(b: Behind) -> str:
    parts = []
    if b.forms:
        parts.append(f"在线申请表单（{b.forms[0]['asks']}）")
    if b.systems:
        parts.append(f"申请平台链接“{b.systems[0]['text']}”（{_host(b.systems[0]['url'])}）")
    if b.downloads:
        parts.append(f"可下载打开的申请表“{b.downloads[0]['text']}”")
    return "；".join(parts)
