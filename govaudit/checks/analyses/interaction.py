"""The interaction analysis shared by the interact.* rules (互动交流, 8.5), computed once per unit.

Finds the interaction channels — every link on a crawled page whose text names one (领导/局长/书记
信箱, 咨询, 留言, 政民互动, 我要写信, 12345, the province's shared letter system …) —, reads every
stored page of those columns (the list page, its later pages through the pager, the detail page of
each listed message) with govaudit/extract/interact.py, merges what a message's list row and its
detail page say, and computes per-column statistics: messages, answered, unanswered, latency in
working days (govaudit/extract/workdays.py), newest reply. A column that gave no message has a
`list_state`: empty (its list says 暂无信息 …), hub, form, or unread (the reader could not read its
list: `no_messages` then says not_measured, never not_applicable). Rules request it as
`ctx.get(InteractionAnalysis)`; the messages are also left in `ctx.records["messages"]` for the
check stage to store (the `messages` table: `serve` browses them, the nightly history diffs them).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from govaudit.checks import coverage
from govaudit.checks.analyses.pages import SitePages
from govaudit.checks.analyses.provider import Provider
from govaudit.checks.context import CheckContext
from govaudit.extract import interact as X
from govaudit.extract.columns import normalize_label
from govaudit.extract.workdays import OutOfRange, workdays_between
from govaudit.model import Evidence, Finding
from govaudit.urls import host_of, normalize

log = logging.getLogger("govaudit.checks.interaction")

SETTINGS_RULE = "interact.column-missing"   # whose settings hold the vocabulary every interact.* rule uses
VOCAB_DEFAULTS: dict[str, Any] = {
    # link texts (regular expressions searched in the folded text) that name an interaction channel
    "channel_names": list(X.CHANNEL_NAMES),
    # link texts that contain one of the names above and are no channel
    "not_channel_names": ["依申请", "申请公开", "咨询电话", "投诉电话", "举报电话", "监督电话", "办事指南",
                          "信箱地址", "电子信箱", "电子邮箱",
                          # the footer's 违法和不良信息举报 (12377) and 网络举报 badges are no channel of the unit
                          "不良信息", "12377", "举报中心", "网络举报", "举报专区"],
    "max_label_length": 16,  # longer link texts are message titles, not channel names
    # link texts that are message titles (关于…的咨询, questions), not channel names
    "title_pattern": r"^关于|的(?:咨询|问题|建议|反映|投诉|举报|留言|求助|诉求|意见)$|[?？]$|请问|如何|怎么|为什么|能否|何时",
    "max_list_pages": 50,    # list pages read per column (the first page and its pager)
}


@dataclass
class Msg:
    """One published message, merged from its list row and its detail page."""
    title: str
    column: Column
    url: str | None = None                  # its detail page
    number: str | None = None
    asked_at: str | None = None
    answered_at: str | None = None
    answered_by: str | None = None
    status: str | None = None
    answered: bool | None = None
    has_reply: bool = False
    row_page: str | None = None             # the list page whose row shows it
    row_snippet: str = ""
    detail_read: bool = False               # its detail page was crawled and read
    detail_snippet: str = ""
    latency: int | None = None              # working days from message to reply
    latency_note: str = ""

    @property
    def key(self) -> str:
        return normalize(self.url) if self.url else f"no:{self.number}" if self.number else f"title:{self.title}"

    @property
    def source(self) -> str:
        return "page" if self.detail_read else "row"

    @property
    def source_url(self) -> str | None:
        return self.url if self.detail_read else self.row_page

    def asked(self) -> dt.date | None:
        return dt.date.fromisoformat(self.asked_at) if self.asked_at else None

    def replied(self) -> dt.date | None:
        return dt.date.fromisoformat(self.answered_at) if self.answered_at else None

    def brief(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "number": self.number, "asked_at": self.asked_at,
                "answered_at": self.answered_at, "answered_by": self.answered_by, "status": self.status,
                "answered": self.answered, "latency_workdays": self.latency, "source": self.source,
                "source_url": self.source_url, "column": self.column.label}

    def record(self) -> dict[str, Any]:
        c = self.column
        return {"column_label": c.label, "column_url": c.url, "column_kind": c.kind, "url": self.url,
                "number": self.number, "title": self.title, "asked_at": self.asked_at,
                "answered_at": self.answered_at, "answered_by": self.answered_by, "status": self.status,
                "answered": self.answered, "latency_workdays": self.latency, "source": self.source,
                "source_url": self.source_url, "key": self.key}


@dataclass
class Column:
    label: str
    url: str
    source: str                             # the page that links it
    kind: str | None = None
    crawled: bool = False
    external: bool = False                  # on another host (the province's letter system …): not crawled
    page_kind: str = "none"                 # what its first page is: list | detail | none
    messages: list[Msg] = field(default_factory=list)
    list_pages: list[str] = field(default_factory=list)
    detail_pages: int = 0
    fields: set[str] = field(default_factory=set)   # fields its rows or pages name
    stats: dict[str, Any] | None = None     # a 收到…件/办结…件 block on one of its pages
    stats_url: str | None = None
    # no message read from its first page: what that page says instead (extract/interact.py)
    placeholder: str | None = None          # 暂无信息 … where the list would be: the list is empty
    placeholder_rendered: bool = False      # seen in the DOM the crawler rendered
    list_script: str | None = None          # why its list looks filled by a script
    letter_form: bool = False               # a writing form (我要写信)
    hub: bool = False                       # its page links other judged channels (a 政民互动 hub)
    list_items: list[str] = field(default_factory=list)   # its page's list rows not read as messages

    @property
    def judged(self) -> bool:
        """The census judges 咨询/信箱/留言 columns; 在线访谈, 调查征集, 举报投诉 are excluded."""
        return self.kind in X.JUDGED_KINDS

    @property
    def kind_label(self) -> str:
        return X.KIND_LABELS.get(self.kind or "", "互动")

    @property
    def list_state(self) -> str | None:
        """What reading the column gave: messages | empty (its list says 暂无信息 …) | hub (it links
        other channels, which tell) | form (a writing form, no list and no script to fill one) |
        unread (crawled, nothing read, nothing saying it is empty: a JSON API, a script-filled
        list, a markup the reader misses); None when it was not crawled."""
        if self.messages:
            return "messages"
        if not self.crawled:
            return None
        if self.placeholder:
            return "empty"
        if self.hub:
            return "hub"
        if self.letter_form and not self.list_script:
            return "form"
        return "unread"

    def summary(self) -> dict[str, Any]:
        answered = [m for m in self.messages if m.answered]
        lat = [m.latency for m in self.messages if m.latency is not None]
        replies = [m.answered_at for m in self.messages if m.answered_at]
        return {
            "label": self.label, "url": self.url, "kind_label": self.kind_label,
            "judged": self.judged, "external": self.external, "crawled": self.crawled,
            "messages": len(self.messages), "answered": len(answered),
            "unanswered": sum(1 for m in self.messages if m.answered is False),
            "unknown": sum(1 for m in self.messages if m.answered is None),
            "latency_count": len(lat), "latency_median": statistics.median(lat) if lat else None,
            "latency_max": max(lat) if lat else None,   # working days
            "newest_reply": max(replies) if replies else None,
            "list_pages": len(self.list_pages), "detail_pages": self.detail_pages,
            "statistics_block": self.stats, "statistics_url": self.stats_url,
        }


@dataclass
class InteractionAnalysis(Provider):
    columns: list[Column] = field(default_factory=list)    # every channel found (crawled or not)
    stats_pages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (url, block)

    needs = (SitePages,)

    @property
    def channels(self) -> list[Column]:
        """Columns that are channels: crawled with a list, detail or hub page, or linked outside."""
        return self.columns

    @property
    def judged(self) -> list[Column]:
        return [c for c in self.columns if c.judged and c.messages]

    def messages(self, judged_only: bool = True) -> list[Msg]:
        return [m for c in self.columns if (c.judged or not judged_only) for m in c.messages]

    def excluded(self) -> list[dict[str, Any]]:
        return [{"label": c.label, "url": c.url, "kind_label": c.kind_label, "messages": len(c.messages)}
                for c in self.columns if c.kind and not c.judged]

    def column_stats(self) -> list[dict[str, Any]]:
        return [c.summary() for c in self.columns if c.messages]

    @classmethod
    def compute(cls, ctx: CheckContext) -> InteractionAnalysis:
        out = cls()
        _Reader(ctx, out).run()
        ctx.records["messages"] = [m.record() for m in out.messages(judged_only=False)]
        log.debug("unit %s: %d interaction columns, %d messages", ctx.unit.id, len(out.columns),
                  len(ctx.records["messages"]))
        return out


def vocab(ctx: CheckContext) -> dict[str, Any]:
    conf = ctx.settings(SETTINGS_RULE)
    return {k: conf[k] for k in VOCAB_DEFAULTS}


_STATS_LINK = re.compile(r"统计|情况通报|办理情况|受理情况|答复情况")


class _Reader:
    def __init__(self, ctx: CheckContext, out: InteractionAnalysis) -> None:
        self.ctx, self.out = ctx, out
        self.site = ctx.get(SitePages)
        v = vocab(ctx)
        self.names = re.compile("|".join(v["channel_names"])) if v["channel_names"] else None
        self.not_names = re.compile("|".join(v["not_channel_names"])) if v["not_channel_names"] else None
        self.max_label = int(v["max_label_length"])
        self.title_like = re.compile(v["title_pattern"]) if v["title_pattern"] else None
        self.max_list_pages = int(v["max_list_pages"])
        self.hosts = set(ctx.unit.scope_hosts())
        self.seen_messages: dict[str, Msg] = {}
        self.first_pages: dict[str, tuple[dict[str, Any] | None, X.InteractPage | None]] = {}
        self.channel_memo: dict[str, bool] = {}   # link text → names a channel (nav links repeat on every page)
        self.rendered_empty: set[str] = set()   # pages whose rendered DOM showed no message either

    def is_channel(self, text: str) -> bool:
        if text not in self.channel_memo:
            label = normalize_label(text or "")
            self.channel_memo[text] = bool(
                label and len(label) <= self.max_label and self.names is not None
                and not (self.title_like and self.title_like.search(label)) and self.names.search(label)
                and not (self.not_names and self.not_names.search(label)))
        return self.channel_memo[text]

    def channel_links(self) -> list[tuple[str, str, str]]:
        """(source page, target, text) of every stored link whose text names a channel, home page first."""
        ctx = self.ctx
        rows = ctx.store.conn.execute(
            "SELECT source_url, target, text FROM links WHERE run_id=? AND unit_id=? AND tag IN ('a','area')",
            (ctx.run_id, ctx.unit.id))
        found = [(s, t, x or "") for s, t, x in rows if t and t.startswith("http") and self.is_channel(x or "")]
        home = normalize(ctx.home["url"]) if ctx.home else normalize(ctx.unit.url)
        rendered = [(home, t, x) for t, x in self.site.rendered_links(ctx.home["url"] if ctx.home else ctx.unit.url)
                    if t.startswith("http") and self.is_channel(x)]
        found.sort(key=lambda r: normalize(r[0]) != home)
        return found + rendered

    def run(self) -> None:
        cols: dict[str, Column] = {}
        for source, target, text in self.channel_links():
            n = normalize(target)
            if n in cols:
                continue
            label = " ".join(text.split())
            cols[n] = Column(label=label, url=target, source=source, kind=X.column_kind(label)[0],
                             external=host_of(target) not in self.hosts)
        # a message shown in two places (a hub's 最新来信, its own column) belongs to the column whose
        # rows say most about it; message pages that a channel-like link reaches (a short 咨询 title)
        # are messages of their column, not columns: the richest list columns first
        ordered = sorted(cols.values(), key=lambda c: (c.external, *self._richness(c)))
        for col in ordered:
            if col.external:
                self.out.columns.append(col)
                continue
            if normalize(col.url) in self.seen_messages:
                continue   # a letter of a column read before (its title names a channel)
            self.read_column(col)
            self.out.columns.append(col)
        for col in self.out.columns:
            for m in col.messages:
                _latency(m)
        self._mark_hubs()
        if not self.out.stats_pages:
            self._stats_pages()

    def _mark_hubs(self) -> None:
        """A crawled column with nothing read whose page links other judged channels is their hub
        (政民互动 → 县长信箱, 在线咨询): those channels tell whether anything is published. Not a
        page whose list looks script-filled, nor one listing rows that are neither messages read
        elsewhere nor channels: a list page whose side menu links its sibling channels stays unread."""
        by_url = {normalize(c.url): c for c in self.out.columns}
        for col in self.out.columns:
            if not col.crawled or col.messages or col.placeholder or col.list_script:
                continue
            if any(normalize(u) not in self.seen_messages and normalize(u) not in by_url for u in col.list_items):
                continue
            linked = {normalize(t) for t, _ in self.site.links_from(col.url)} - {normalize(col.url)}
            col.hub = any(by_url[n].judged for n in linked if n in by_url)

    def _stats_pages(self) -> None:
        """Statistics published on a page of their own (来信统计, 办理情况通报 …) linked from a column."""
        for col in self.out.columns:
            if not col.crawled:
                continue
            for target, text in self.site.links_from(col.url):
                label = normalize_label(text)
                if not label or len(label) > 20 or not _STATS_LINK.search(label):
                    continue
                page, ip = self._read(target, col.label)
                if page is not None and ip is not None and ip.stats:
                    col.stats, col.stats_url = ip.stats, page["url"]
                    self.out.stats_pages.append((page["url"], ip.stats))
                    return

    def _read(self, url: str, label: str, min_rows: int = 2) -> tuple[dict[str, Any] | None, X.InteractPage | None]:
        """One stored page read; a letter list that a script fills is read from the DOM the crawler
        rendered (crawler/render.py stores it when the HTML list is empty)."""
        page, root = self.site.root(url)
        if page is None or root is None:
            return page, None
        ip = X.read_interact_root(root, page["url"], label, self.ctx.today, min_rows)
        if not ip.messages:
            _, rroot = self.site.rendered(url)
            if rroot is not None:
                rendered = X.read_interact_root(rroot, page["url"], label, self.ctx.today, min_rows)
                if rendered.messages:
                    return page, rendered
                # what a visitor sees decides whether the list is empty: the browser's DOM
                ip.empty_placeholder = rendered.empty_placeholder
                self.rendered_empty.add(normalize(url))
        return page, ip

    def _first(self, col: Column) -> tuple[dict[str, Any] | None, X.InteractPage | None]:
        """The column's first page, read once."""
        n = normalize(col.url)
        if n not in self.first_pages:
            self.first_pages[n] = self._read(col.url, col.label)
        return self.first_pages[n]

    def _richness(self, col: Column) -> tuple[int, int, int]:
        """Sort key: list pages before others, then more fields per row, then more rows."""
        ip = self._first(col)[1]
        if ip is None:
            return (1, 0, 0)
        return (ip.page_kind != "list", -len(ip.fields), -len(ip.messages))

    def read_column(self, col: Column) -> None:
        page, first = self._first(col)
        if page is None or first is None:
            return
        col.crawled = True
        col.page_kind = first.page_kind
        if not first.messages:
            col.placeholder, col.list_script, col.letter_form = (first.empty_placeholder, first.list_script,
                                                                 first.letter_form)
            col.list_items = first.list_items
            col.placeholder_rendered = bool(col.placeholder) and normalize(col.url) in self.rendered_empty
        if col.kind in (None, "message") and first.kind not in (None, "message"):
            col.kind = first.kind   # a 政民互动 link to a page that says 领导信箱
        self._take_stats(col, first, page["url"])
        if first.page_kind == "detail":
            self._add(col, first.messages[0], None, detail=True)
            return
        todo = [(page["url"], first)]
        seen = {normalize(page["url"])}
        while todo and len(col.list_pages) < self.max_list_pages:
            url, lp = todo.pop(0)
            col.list_pages.append(url)
            col.fields.update(lp.fields)
            for row in lp.messages:
                self._add(col, row, url, detail=False)
            for nxt in [*lp.next_pages, *lp.page_links]:
                if normalize(nxt) in seen:
                    continue
                seen.add(normalize(nxt))
                p2, more = self._read(nxt, col.label, min_rows=1)
                if p2 is None or more is None:
                    continue
                self._take_stats(col, more, p2["url"])
                if more.page_kind == "list":
                    todo.append((p2["url"], more))
        for m in col.messages:
            self._read_detail(col, m)

    def _take_stats(self, col: Column, ip: X.InteractPage, url: str) -> None:
        if ip.stats and col.stats is None:
            col.stats, col.stats_url = ip.stats, url
            self.out.stats_pages.append((url, ip.stats))

    def _add(self, col: Column, row: X.Message, page_url: str | None, detail: bool) -> None:
        m = Msg(title=row.title, column=col, url=row.url, number=row.number, asked_at=row.asked_at,
                answered_at=row.answered_at, answered_by=row.answered_by, status=row.status,
                answered=row.answered, has_reply=row.has_reply, row_page=page_url, row_snippet=row.snippet)
        if detail:
            m.detail_read, m.detail_snippet, m.row_snippet = True, row.snippet, ""
            col.detail_pages += 1
        if m.key in self.seen_messages:
            return
        self.seen_messages[m.key] = m
        col.messages.append(m)

    def _read_detail(self, col: Column, m: Msg) -> None:
        if not m.url or m.detail_read:
            return
        page, root = self.site.root(m.url)
        if page is None or root is None:
            return
        ip = X.read_interact_root(root, page["url"], col.label, self.ctx.today)
        if ip.page_kind != "detail":
            return
        d = ip.messages[0]
        m.detail_read, m.detail_snippet = True, d.snippet
        col.detail_pages += 1
        col.fields.update(ip.fields)
        m.number = m.number or d.number
        m.asked_at = m.asked_at or d.asked_at
        m.answered_at = m.answered_at or d.answered_at
        m.answered_by = m.answered_by or d.answered_by
        m.status = m.status or d.status
        m.has_reply = m.has_reply or d.has_reply
        # the strongest evidence wins: a published reply or an answered status on either page
        if m.answered is not True:
            m.answered = True if (d.answered or m.has_reply or m.answered_at) else (
                d.answered if d.answered is not None else m.answered)


def _latency(m: Msg) -> None:
    a, r = m.asked(), m.replied()
    if a is None or r is None:
        return
    try:
        m.latency = workdays_between(a, r)
    except OutOfRange as e:
        m.latency_note = str(e)


# -- what the interact.* rules share beyond the analysis: evidence of a message, no messages ------
def message_evidence(ctx: CheckContext, m: Msg) -> list[Evidence]:
    """The list row and the detail page that show a message, with both dates."""
    site = ctx.get(SitePages)
    dates = f"留言时间 {m.asked_at or '未标注'}；答复时间 {m.answered_at or '未标注'}"
    out: list[Evidence] = []
    if m.row_page:
        page = site.stored(m.row_page)
        if page is not None:
            out.append(ctx.evidence(page, snippet=(m.row_snippet or m.title)[:300], note=f"列表行：{dates}"))
    if m.detail_read and m.url:
        page = site.stored(m.url)
        if page is not None:
            out.append(ctx.evidence(page, snippet=(m.detail_snippet or m.title)[:300], note=f"详情页：{dates}"))
    return out


def clean(ctx: CheckContext, rule: Any, a: InteractionAnalysis, url: str | None, message: str,
          data: dict[str, Any]) -> Finding:
    """A clean result — `pass` for what was published — or `not_measured` when the crawl left
    interaction pages (later list pages, letters) unreached, or a crawled column's list could not
    be read (no_messages says why): unread letters are never vouched for."""
    unread = [c for c in a.columns if c.judged and c.list_state == "unread"]
    if unread:
        return ctx.finding(
            rule, "not_measured", unread[0].url,
            f"未能检测完整：互动栏目“{unread[0].label}”" + (f"等{len(unread)}个栏目" if len(unread) > 1 else "")
            + f"已抓取但未能读出留言列表，请人工核对；已读出部分：{message}",
            target=unread[0].url, data={**data, "original_outcome": "pass", "unread_columns": [c.url for c in unread]})
    missing = coverage.unseen(rule.id, ctx.coverage)
    if not missing:
        return ctx.finding(rule, "pass", url, message, data=data)
    n = sum(v for k, v in missing.items() if k != "unknown")
    cov = ctx.coverage or {}
    return ctx.finding(
        rule, "not_measured", url,
        f"未能检测：抓取不完整（{cov.get('reason_text') or cov.get('reason')}）"
        + (f"，{n} 个互动栏目相关页面未抓取" if n else "") + f"；已抓取部分：{message}",
        data={**data, "original_outcome": "pass", "coverage": {"status": cov.get("status"), "reason": cov.get("reason"),
                                                               "unreached_here": missing}})


def no_messages(ctx: CheckContext, rule: Any, a: InteractionAnalysis) -> Finding:
    """No published message in a judged column. `not_applicable` only when nothing was left unread:
    no judged channel at all, or every crawled one says its list is empty (暂无信息 …; a hub is
    judged by the channels it links, a writing form publishes no list). `not_measured` when a
    crawled column's list could not be read (a JSON API, a script-filled list, a markup the reader
    misses: no placeholder says it is empty), or when the only channels are on other hosts or were
    not crawled. A grade is only as good as its coverage."""
    home = ctx.home or {"url": ctx.unit.url}
    judged = [c for c in a.columns if c.judged]
    unread = [c for c in judged if c.list_state == "unread"]
    empty = [c for c in judged if c.list_state == "empty"]
    data = {"channels": [{"label": c.label, "url": c.url, "kind_label": c.kind_label, "crawled": c.crawled,
                          "external": c.external, "list_state": c.list_state, "placeholder": c.placeholder,
                          "list_script": c.list_script} for c in a.columns[:20]],
            "excluded_columns": a.excluded()}
    if unread:
        col = unread[0]
        page = ctx.get(SitePages).stored(col.url)
        why = "（可能由脚本或接口加载）" if col.list_script else "（列表可能由脚本或接口加载，或页面结构未能识别）"
        more = f"等{len(unread)}个栏目" if len(unread) > 1 else ""
        return ctx.finding(
            rule, "not_measured", col.url,
            f"未能检测：互动栏目“{col.label}”{more}已抓取但未能读出留言列表{why}，页面也未显示“暂无信息”之类的空列表提示，"
            "请人工核对该栏目是否公开了留言，或安装浏览器并开启列表渲染（crawl.render、crawl.max_list_renders）后重新检查",
            target=col.url,
            evidence=[ctx.evidence(page, note="已抓取的互动栏目页面：未读出留言，也无空列表提示")] if page else [],
            data={**data, "unread_columns": [c.url for c in unread]})
    crawled = [c for c in judged if c.crawled]
    uncrawled = [c for c in judged if not c.crawled]
    if uncrawled and not empty:
        # nothing crawled here says the unit publishes nothing: its letters may all sit on the other host
        return ctx.finding(rule, "not_measured", uncrawled[0].url,
                           f"未能检测：互动栏目“{uncrawled[0].label}”未被抓取（位于其他网站或超出抓取范围），无法读取留言",
                           target=uncrawled[0].url, data=data)
    if empty:
        col = empty[0]
        page = ctx.get(SitePages).stored(col.url)
        names = "、".join(f"“{c.label}”" for c in empty[:5])
        return ctx.finding(
            rule, "not_applicable", col.url,
            f"未发现已公开的咨询、信箱或留言类留言：互动栏目{names}页面显示“{col.placeholder}”",
            evidence=[ctx.evidence(page, snippet=col.placeholder or "",
                                   note="栏目列表显示空列表提示" + ("（浏览器渲染后）" if col.placeholder_rendered else ""))]
            if page else [], data=data)
    forms = [c for c in crawled if c.list_state == "form"]
    return ctx.finding(rule, "not_applicable", home["url"],
                       "未发现已公开的咨询、信箱或留言类留言"
                       + (f"（“{forms[0].label}”仅提供写信表单，未公开留言列表）" if forms else ""), data=data)


__all__ = ["InteractionAnalysis", "Column", "Msg", "VOCAB_DEFAULTS", "SETTINGS_RULE", "vocab", "message_evidence",
           "no_messages", "clean"]
