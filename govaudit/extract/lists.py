"""The items of a column's list page (title, URL, date) and its pagination.

How: every group of same-tag siblings (li under ul/ol, tr under table/tbody, div/dd/p under a
common parent) whose members each hold a title link is a candidate list; the group with the
most dated rows wins (undated groups only when their titles read like article titles and they
sit outside navigation/header/footer blocks), merged with sibling groups of the same shape
(lists split into several <ul>). A row's date is an element whose text is just a date
(`<span>2024-03-05</span>`, `<td>2024年3月5日</td>`, `[03-05]`), else a date in the row's
text outside the title link; dates inside the title ("4月26日（0-24时）…") are content, not the
publish date. Year-less dates get their year from neighbouring rows and the crawl date.

Pagination: next-page links (下一页, >, »), page-number links (index_1.html, ?page=2), and
JavaScript pagers (createPageHTML, pagination({totalPage}), countPage=…) which are recorded
with their page count but never turned into guessed URLs. Placeholders such as 暂无信息 are
reported so that a blank column is told apart from a column whose list did not parse.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from itertools import islice
from typing import Any, Iterator
from urllib.parse import urlsplit

from lxml import etree

from govaudit.extract.columns import is_chrome, main_content
from govaudit.extract.dates import DateMatch, find_dates, infer_years, normalize_digits, publish_date
from govaudit.extract.html import parse, text_of
from govaudit.extract.links import describe
from govaudit.urls import absolute
from govaudit.extract.links import base_url
from govaudit.extract.html import parse
from govaudit.extract.columns import columns_on_page
from govaudit.extract.encoding import decode_html
from govaudit.extract.page import meta_tags, title_of

ITEM_TAGS = {"li", "tr", "div", "dd", "dt", "p", "section", "article", "h2", "h3", "h4", "h5", "span"}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "select", "option", "form"}
CHROME_RE = re.compile(r"(^|[-_\s])(nav|navs|menu|header|head|footer|foot|top|banner|logo|breadcrumb|crumb|"
                       r"position|location|dhlm|yqlj|links?|friend|share|toolbar|side|sidebar|tabs?)([-_\s\d]|$)",
                       re.I)
PLACEHOLDER_RE = re.compile(r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|公开信息|资料)|暂时没有(?:相关)?(?:信息|数据|内容)|"
                            r"没有(?:相关|找到)?(?:信息|数据|记录|内容)|无相关(?:信息|数据|记录|内容)|"
                            r"(?:栏目|页面|信息)?正在(?:建设|完善|更新|维护)中?|敬请期待|信息整理中")
NEXT_TEXT = re.compile(r"^(?:下一页|下页|后一页|后页|下一頁|>|>>|›|»|next|Next|NEXT|下一页>|下一页>>)$")
PAGE_HREF = re.compile(r"(?:index|list|default)?_\d+\.(?:s?html?|jsp|aspx?|php)(?:$|\?)|[?&](?:page|pageNo|pageno|"
                       r"pageIndex|pageindex|curPage|currentPage|pagenum|pageNum|p|pn)=\d+", re.I)
JS_PAGER = re.compile(r"createPageHTML\s*\(\s*['\"]?[\w-]*['\"]?\s*,?\s*(\d+)|"
                      r"totalPage\s*[:=]\s*['\"]?(\d+)|countPage\s*=\s*(\d+)|pageCount\s*[:=]\s*['\"]?(\d+)|"
                      r"totalPages?\s*[:=]\s*['\"]?(\d+)|\bpagination\s*\(|\blaypage\b|\bPageBar\b", re.I)
TOTAL_ITEMS = re.compile(r"共\s*(\d+)\s*条")
TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*页|第\s*\d+\s*页\s*/\s*共?\s*(\d+)\s*页|\d+\s*/\s*(\d+)\s*页")
JS_LIST_HINT = re.compile(r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|axios\.|\bv-for=|"
                          r"\{\{\s*\w+|template\s*\(|\.load\s*\(|document\.write\s*\(", re.I)
# a script that writes into the page (the behaviour, whatever the data source: an inline array, JSONP …)
DOM_TOUCH = re.compile(r"\.(?:innerHTML|outerHTML)\s*\+?=|createElement\s*\(|appendChild\s*\(|insertAdjacentHTML\s*\(|"
                       r"document\.write(?:ln)?\s*\(|\.(?:append|prepend|html|after|before)\s*\(\s*[\w'\"<$`]")
LIBRARY_SRC = re.compile(r"jquery|bootstrap|layui|vue|react|angular|echarts|swiper|html5shiv|respond|polyfill|"
                         r"analytics|tongji|hm\.baidu|cnzz|gtag|jiathis|share|wza|aria|barrier|accessib", re.I)
TEMPLATE_HINT = re.compile(r"\{\{\s*[\w.$\[\]'\"]+\s*\}\}")
MIN_TITLE = 4


@dataclass
class ListItem:
    title: str
    url: str
    date: dt.date | None = None
    date_text: str | None = None
    selector: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        return d


@dataclass
class ListPage:
    url: str
    items: list[ListItem] = field(default_factory=list)
    container: str = ""                     # CSS-like selector of the list found
    next_pages: list[str] = field(default_factory=list)   # next-page links, best first
    page_links: list[str] = field(default_factory=list)   # other page-number links
    js_pager: dict[str, Any] | None = None  # {"script": snippet, "total_pages": n} — noted, not followed
    total_items: int | None = None
    total_pages: int | None = None
    placeholder: str | None = None          # 暂无信息 … when shown
    js_list: bool = False                   # scripts that look like they fill the list at run time
    rendered: bool = False                  # read from the DOM a browser built (set by the caller)

    @property
    def newest(self) -> dt.date | None:
        dates = [i.date for i in self.items if i.date]
        return max(dates) if dates else None

    @property
    def dated(self) -> int:
        return sum(1 for i in self.items if i.date)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "count": len(self.items), "dated": self.dated,
                "newest": self.newest.isoformat() if self.newest else None, "container": self.container,
                "items": [i.to_dict() for i in self.items], "next_pages": self.next_pages,
                "page_links": self.page_links, "js_pager": self.js_pager, "total_items": self.total_items,
                "total_pages": self.total_pages, "placeholder": self.placeholder, "js_list": self.js_list,
                "rendered": self.rendered}


def _title_link(row: etree._Element, base: str) -> tuple[etree._Element, str, str] | None:
    best: tuple[etree._Element, str, str] | None = None
    for a in row.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        text = text_of(a)
        title = (a.get("title") or "").strip()
        if title and (not text or text.endswith(("...", "…", "..")) or len(title) > len(text)):
            text = " ".join(title.split())
        if best is None or len(text) > len(best[1]):
            url = absolute(base, href)
            if url:
                best = (a, text, url)
    if best is None or len(best[1]) < MIN_TITLE:
        return None
    return best


def _just_date(t: str) -> DateMatch | None:
    """The date when a text is nothing but a date (with brackets or a 发布日期 label)."""
    if not t or len(t) > 32:
        return None
    found = find_dates(t)
    if len(found) == 1:
        rest = (normalize_digits(t)[:found[0].start] + normalize_digits(t)[found[0].end:])
        rest = re.sub(r"[\s\[\]()（）【】:：|·]|发布|日期|时间|更新", "", rest)
        if not rest:
            return found[0]
    return None


def _date_in_row(row: etree._Element, link: etree._Element, link_text: str) -> DateMatch | None:
    """An element whose text is just a date (outside the title link first), else a date in the row
    text outside the title link."""
    inside = set(link.iter())
    for el in sorted(row.iter(), key=lambda e: e in inside):  # stable: document order within each part
        if not isinstance(el.tag, str) or el is row or el.tag in SKIP_TAGS:
            continue
        dm = _just_date(text_of(el))
        if dm is not None:
            return dm
    rest_parts: list[str] = []
    _text_outside(row, link, rest_parts)
    found = find_dates(" ".join(rest_parts))
    return found[-1] if found else None


def _text_outside(node: etree._Element, skip: etree._Element, out: list[str]) -> None:
    if node is skip:
        return
    if isinstance(node.tag, str) and node.tag not in SKIP_TAGS and node.text:
        out.append(node.text)
    for child in node:
        if isinstance(child.tag, str):
            _text_outside(child, skip, out)
        if child.tail:
            out.append(child.tail)


def _in_chrome(el: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None:
        if isinstance(node.tag, str):
            if node.tag in ("nav", "header", "footer"):
                return True
            marks = f"{node.get('class') or ''} {node.get('id') or ''}"
            if marks.strip() and CHROME_RE.search(marks):
                return True
        node = node.getparent()
    return False


@dataclass
class _Group:
    parent: etree._Element
    tag: str
    rows: list[tuple[etree._Element, str, str, DateMatch | None]]

    @property
    def dated(self) -> int:
        return sum(1 for r in self.rows if r[3] is not None)

    @property
    def avg_title(self) -> float:
        return sum(len(r[1]) for r in self.rows) / max(1, len(self.rows))

    def score(self) -> float:
        return self.dated * 3 + len(self.rows) + min(self.avg_title, 30) / 10


def _groups(root: etree._Element, base: str) -> Iterator[_Group]:
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in SKIP_TAGS:
            continue
        by_tag: dict[str, list[etree._Element]] = {}
        before: bool | None = None   # which side the date siblings are on: read only when needed
        for child in parent:
            if isinstance(child.tag, str) and child.tag in ITEM_TAGS:
                by_tag.setdefault(child.tag, []).append(child)
        for tag, kids in by_tag.items():
            rows = []
            for kid in kids:
                # a row holding a whole nested list is a container, not an item; counted first
                # (cheap), before the title link is looked for among all of a container's anchors
                if tag != "tr" and sum(1 for _ in islice(kid.iter("a"), 4)) > 3:
                    continue
                tl = _title_link(kid, base)
                if tl is None or _holds_list(kid):
                    continue
                dm = _date_in_row(kid, tl[0], tl[1])
                if dm is None:  # <dd><a>title</a></dd><dd>2024-03-05</dd>: the date is a sibling
                    before = _dates_before(parent) if before is None else before
                    dm = _sibling_date(kid, before)
                if dm is None and tag == "dt":  # <dt><a>title</a></dt><dd>发布日期：2024-03-05 来源：…</dd>
                    nxt = kid.getnext()
                    if nxt is not None and nxt.tag == "dd" and next(nxt.iter("a"), None) is None:
                        found = find_dates(text_of(nxt))
                        dm = found[0] if found else None
                rows.append((kid, tl[1], tl[2], dm))
            if rows:
                yield _Group(parent, tag, rows)
        bare = _bare_links(parent, base)
        if bare:
            yield _Group(parent, "a", bare)


def _dateless(el: etree._Element) -> DateMatch | None:
    """The date of a sibling that is nothing but a date (no link)."""
    if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or next(el.iter("a"), None) is not None:
        return None
    return _just_date(text_of(el))


def _dates_before(parent: etree._Element) -> bool:
    """Whether this parent's date siblings come before their titles (<dd>date</dd><dd><a>…): the
    first child that is just a date precedes the first child holding a link."""
    for child in parent:
        if not isinstance(child.tag, str) or child.tag in SKIP_TAGS:
            continue
        if next(child.iter("a"), None) is not None or child.tag == "a":
            return False
        if _dateless(child) is not None:
            return True
    return False


def _sibling_date(row: etree._Element, before: bool) -> DateMatch | None:
    sib = row.getprevious() if before else row.getnext()
    while sib is not None and not isinstance(sib.tag, str):  # comments between the two
        sib = sib.getprevious() if before else sib.getnext()
    return _dateless(sib) if sib is not None else None


def _bare_links(parent: etree._Element, base: str) -> list[tuple[etree._Element, str, str, DateMatch | None]]:
    """Lists without item elements: <a>title</a><span>2024-03-05</span><br><a>…</a> in one parent;
    each link's date is in what follows it, up to the next link."""
    links = [c for c in parent if isinstance(c.tag, str) and c.tag == "a"]
    if len(links) < 2:
        return []
    rows = []
    for a in links:
        tl = _title_link_of(a, base)
        if tl is None:
            continue
        parts = [a.tail or ""]
        sib = a.getnext()
        while sib is not None and not (isinstance(sib.tag, str) and sib.tag == "a"):
            if isinstance(sib.tag, str) and sib.tag not in SKIP_TAGS:
                parts.append(text_of(sib))
            parts.append(sib.tail or "")
            sib = sib.getnext()
        found = find_dates(" ".join(parts)[:60])
        rows.append((a, tl[0], tl[1], found[0] if found else None))
    return rows


def _title_link_of(a: etree._Element, base: str) -> tuple[str, str] | None:
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
        return None
    text = text_of(a)
    title = (a.get("title") or "").strip()
    if title and (not text or text.endswith(("...", "…", "..")) or len(title) > len(text)):
        text = " ".join(title.split())
    url = absolute(base, href)
    if not url or len(text) < MIN_TITLE:
        return None
    return text, url


_LIST_TAGS = {"ul", "ol", "table", "li", "tr", "dl"}


def _holds_list(el: etree._Element) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _LIST_TAGS for d in el.iterdescendants())


def _skip_ancestor(el: etree._Element) -> bool:
    node = el
    while node is not None:
        if isinstance(node.tag, str) and node.tag in SKIP_TAGS:
            return True
        node = node.getparent()
    return False


def _best(groups: list[_Group]) -> _Group | None:
    """The list among candidate groups: the most dated, else a plain one of article-like titles."""
    dated = [g for g in groups if g.dated]
    if dated:
        return max(dated, key=lambda g: (g.score(), -len(list(g.parent.iterancestors()))))
    plain = [g for g in groups if g.avg_title >= 10 and len(g.rows) >= 2 and not _in_chrome(g.parent)]
    return max(plain, key=lambda g: g.score()) if plain else None


_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def datastore(root: etree._Element) -> etree._Element | None:
    """大汉 (Hanweb) pages carry a column's items as XML inside a script — <datastore><recordset>
    <record><![CDATA[<li><a …>title</a><span>date</span></li>]]></record> … — that the jpage script
    shows in the browser: the records parsed as one fragment, or None."""
    records: list[str] = []
    for sc in root.iter("script"):
        body = sc.text or ""
        if "<record" in body and "CDATA" in body:
            records += _RECORD.findall(body)
    if not records:
        return None
    return parse("<html><body><div class='datastore'>" + "".join(records) + "</div></body></html>")


def list_items(root: etree._Element | None, page_url: str, today: dt.date | None = None) -> list[ListItem]:
    """Just the items of a column page's list (what extract_list finds), without its pagination,
    placeholder and script hints: for rules that compare items only over every page of a crawl."""
    if root is None:
        return []
    return _items(root, base_url(root, page_url), today)[0]


def _items(root: etree._Element, base: str, today: dt.date | None) -> tuple[list[ListItem], str]:
    """The list's items and its container's selector ('' when no list is found)."""
    items: list[ListItem] = []
    groups = [g for g in _groups(root, base) if not _skip_ancestor(g.parent)]
    best = _best(groups)
    store = datastore(root)
    if store is not None:  # 大汉's list sits in <script type="text/xml"><record><![CDATA[<li>…]]>: read it
        sgroups = list(_groups(store, base))
        sbest = _best(sgroups)
        if sbest is not None and (best is None or (sbest.dated, len(sbest.rows)) >= (best.dated, len(best.rows))):
            root, groups, best = store, sgroups, sbest
    if best is None:
        return items, ""
    chosen = [best]
    grand = best.parent.getparent()
    sig = (best.parent.tag, best.parent.get("class"), best.tag)
    for g in groups:
        if g is not best and g.parent.getparent() is grand and grand is not None \
                and (g.parent.tag, g.parent.get("class"), g.tag) == sig and (g.dated or not best.dated):
            chosen.append(g)
    order = {id(el): i for i, el in enumerate(root.iter())}
    rows = sorted((r for g in chosen for r in g.rows), key=lambda r: order.get(id(r[0]), 0))
    resolved = infer_years([r[3] for r in rows], today)
    seen: set[str] = set()
    for (row, title, url, dm), date in zip(rows, resolved):
        if url in seen:
            continue
        seen.add(url)
        items.append(ListItem(title=title, url=url, date=date, date_text=dm.text if dm else None,
                              selector=describe(best.parent) + ">" + row.tag))
    return items, describe(best.parent) if root is not store else "datastore " + describe(best.parent)


def extract_list(root: etree._Element | None, page_url: str, today: dt.date | None = None) -> ListPage:
    """The list of one column page. `today` (the crawl date) resolves year-less dates."""
    page = ListPage(url=page_url)
    if root is None:
        return page

    base = base_url(root, page_url)
    page.items, page.container = _items(root, base, today)
    _pagination(root, base, page)
    text = main_content(root)[0]
    m = PLACEHOLDER_RE.search(text)
    if m:
        page.placeholder = m.group(0)
    m = TOTAL_ITEMS.search(text)
    if m:
        page.total_items = int(m.group(1))
    m = TOTAL_PAGES.search(text)
    if m:
        page.total_pages = int(next(g for g in m.groups() if g))
    scripts = " ".join((s.text or "") + " " + (s.get("src") or "") for s in root.iter("script"))
    if not page.items:
        empty = None if JS_LIST_HINT.search(scripts) else _empty_container(root, bare=True)
        page.js_list = bool(JS_LIST_HINT.search(scripts)) or empty is not None and bool(_dom_script(root, page_url, empty))
    return page


def _dom_script(root: etree._Element, page_url: str, container: etree._Element) -> str | None:
    """A script that fills this empty container, as a short hint: an inline script writing into the
    DOM that addresses the container or its box (id or class), or one inside it (document.write);
    else a same-site script file (its code is not read: extractors do not fetch) that is not a
    well-known library, when the container has an id or class for it to address."""
    host = urlsplit(page_url).hostname or ""
    names = [n for n in [container.get("id") or ""] + (container.get("class") or "").split() if n]
    parent = container.getparent()  # scripts also address the list through its box: '.list-box ul'
    boxes = [n for n in [parent.get("id") or ""] + (parent.get("class") or "").split() if n] \
        if parent is not None and parent.tag not in ("body", "html") else []
    own_file = None
    for sc in root.iter("script"):
        src = (sc.get("src") or "").strip()
        if src:
            url = absolute(page_url, src) or ""
            if own_file is None and names and (urlsplit(url).hostname or "") == host \
                    and not LIBRARY_SRC.search(src.rsplit("/", 1)[-1]):
                own_file = "same-site script " + src.rsplit("/", 1)[-1][:40]
            continue
        body = sc.text or ""
        m = DOM_TOUCH.search(body)
        if m is None:
            continue
        inside = any(x is container for x in sc.iterancestors())
        if inside or any(re.search(r"['\"#.\s]%s\b" % re.escape(n), body) for n in names + boxes):
            return "script: " + " ".join(m.group(0).split())[:40]
    return own_file


def _pagination(root: etree._Element, base: str, page: ListPage) -> None:
    nexts: list[str] = []
    numbered: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "#", "mailto:")):
            continue
        url = absolute(base, href)
        if not url or url.split("#")[0] == page.url.split("#")[0]:
            continue
        text = text_of(a).replace(" ", "")
        if NEXT_TEXT.match(text) and url not in nexts:
            nexts.append(url)
        elif PAGE_HREF.search(href) and (text.isdigit() or text in ("尾页", "末页", "最后一页")) and url not in numbered:
            numbered.append(url)
    page.next_pages = nexts
    page.page_links = [u for u in numbered if u not in nexts]
    for s in root.iter("script"):
        pager = js_pager(s.text or "")
        if pager is not None:
            page.js_pager = pager
            if pager.get("total_pages") and page.total_pages is None:
                page.total_pages = pager["total_pages"]
            if pager.get("total_items") and page.total_items is None:  # a script's 0 may be a default
                page.total_items = pager["total_items"]
            break


_NUM_OR_VAR = r"\s*(?:['\"]?(\d+)['\"]?|([A-Za-z_$][\w$]*))\s*"
_RECORDS = re.compile(r"\b(?:recordCount|totalRecords?|totalCount|recordTotal|totalRows|totalNum|allRecordNumber|"
                      r"rowCount)['\"]?\s*[:=]" + _NUM_OR_VAR, re.I)
_PER_PAGE = re.compile(r"\b(?:prepage|perPage|pageSize|pagesize|numPerPage|perpage|limit|rows)['\"]?\s*[:=]"
                       + _NUM_OR_VAR, re.I)
_PAGES = re.compile(r"\b(?:countPage|totalPages?|pageCount|pageTotal|pages|maxPage)['\"]?\s*[:=]" + _NUM_OR_VAR, re.I)
_CREATE_PAGE = re.compile(r"\bcreatePageHTML\s*\(([^()]*)\)", re.I)
_VAR = r"(?:var|let|const)?\s*\b%s\s*=\s*['\"]?(\d+)"


def _value(body: str, m: re.Match[str]) -> int | None:
    """The number a `key: 10` / `key = countPage` match stands for (a variable is looked up)."""
    if m.group(1):
        return int(m.group(1))
    v = re.search(_VAR % re.escape(m.group(2)), body)
    return int(v.group(1)) if v else None


def _statement(body: str, start: int, end: int) -> str:
    """The whole statement around a match — from its line's start to the end of its brackets —
    so that the evidence quotes `pagebar: {prepage: 10, recordCount: 20}`, not a cut fragment."""
    a = body.rfind("\n", 0, start) + 1
    end = start + len(body[start:end].rstrip())  # the match may have run over the line's end
    depth, i = 0, a
    while i < len(body) and i - a < 400:
        c = body[i]
        depth += c in "([{"
        depth -= c in ")]}"
        if i >= end and (depth <= 0 and c in ";\n" or depth < 0):
            break
        i += 1
    return " ".join(body[a:i + (body[i:i + 1] == ";")].split())[:300]


def js_pager(body: str) -> dict[str, Any] | None:
    """A script pager and its totals: TRS createPageHTML(countPage, currentPage, …), `countPage = 5`,
    Hanweb/集约化 `pagebar: {prepage: 10, recordCount: 20}`, pagination({totalPage: 54}) …;
    {"script", "total_pages", "total_items"} or None. Never turned into guessed URLs."""
    if not body or not JS_PAGER.search(body) and not (_RECORDS.search(body) and re.search(r"page", body, re.I)):
        return None
    pages: int | None = None
    items: int | None = None
    where: re.Match[str] | None = None
    m = _CREATE_PAGE.search(body)
    if m:  # the first numeric (or variable) argument is the page count: (5, 0, "index", "html")
        where = m
        for arg in m.group(1).split(","):
            arg = arg.strip().strip("'\"")
            if arg.isdigit():
                pages = int(arg)
                break
            if re.fullmatch(r"[A-Za-z_$][\w$]*", arg):
                v = re.search(_VAR % re.escape(arg), body)
                if v:
                    pages = int(v.group(1))
                    break
    pm = _PAGES.search(body)
    if pages is None and pm:
        pages, where = _value(body, pm), where or pm
    rm = _RECORDS.search(body)
    if rm and _value(body, rm) is not None:
        items, where = _value(body, rm), where or rm
        per = _PER_PAGE.search(body)
        size = _value(body, per) if per else None
        if pages is None and items is not None and size:
            pages = max(1, -(-items // size))
    if where is None:
        jm = JS_PAGER.search(body)
        if jm is None:
            return None
        where = jm
    return {"script": _statement(body, where.start(), where.end()), "total_pages": pages, "total_items": items}


_LISTISH = re.compile(r"list|news|lb|xxgk_?con", re.I)
SCRIPT_FILLED_MAX_TEXT = 500   # main-area characters; an article page has more


def _empty_container(root: etree._Element, bare: bool = False) -> etree._Element | None:
    for el in root.iter("ul", "ol", "dl", "table", "div", "tbody"):
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not (_LISTISH.search(marks) or bare and el.tag in ("ul", "ol", "dl", "tbody")):
            continue
        if is_chrome(el) or any(is_chrome(x) for x in el.iterancestors()) or _skip_ancestor(el):
            continue
        if not text_of(el) and next(el.iter("a"), None) is None and next(el.iter("img"), None) is None:
            return el
    return None


def empty_list_container(root: etree._Element | None, bare: bool = False) -> str | None:
    """Selector of an empty list container in the main area (ul.list, table#list … without text);
    with `bare`, any empty <ul>/<ol>/<dl>/<tbody> too (for the behaviour test of script_filled)."""
    el = _empty_container(root, bare) if root is not None else None
    return describe(el) if el is not None else None


def empty_list_box(root: etree._Element | None, bare: bool = False) -> etree._Element | None:
    """The empty list container itself (what empty_list_container describes), for a reader that
    looks at what sits around the slot a script fills (extract/interact.py's empty-list placeholder)."""
    return _empty_container(root, bare) if root is not None else None


def script_filled(root: etree._Element | None, page_url: str) -> str | None:
    """Why this page looks like a column whose list a script fills in the browser, or None.

    The crawler renders such pages (crawler/render.py). It takes: a script that fetches or
    templates a list or builds a pager (or a client-side template in the markup), no list items
    and no placeholder in the HTML, and either an empty list container or a main area too short
    for an article. Or, by behaviour, whatever the data source: an empty list container and an
    inline script writing the DOM (forEach + createElement/innerHTML, document.write) or a
    same-site script file. Cheap tests first: most pages are never list-extracted here."""
    if root is None:
        return None
    scripts = " ".join((s.text or "") + " " + (s.get("src") or "") for s in root.iter("script"))
    if not scripts.strip():
        return None
    m = JS_LIST_HINT.search(scripts) or JS_PAGER.search(scripts)
    hint = "script: " + " ".join(m.group(0).split())[:40] if m else None
    text: str | None = None
    if hint is None:  # a client-side template in the markup (Vue, Angular): <li v-for=…>{{ it.title }}
        marked = root.xpath("//*[@v-for or @ng-repeat or @x-for]")
        text = main_content(root)[0]
        t = TEMPLATE_HINT.search(text)
        hint = f"template {describe(marked[0])}" if marked else f"template {t.group(0)}" if t else None
    el = _empty_container(root)
    if el is None:  # behaviour: any empty list and a script that writes into the DOM
        el = _empty_container(root, bare=True)
        if el is not None and publish_date(root) is not None:  # an article with an empty <ul>
            el = None
    container = describe(el) if el is not None else None
    if hint is None:
        hint = _dom_script(root, page_url, el) if el is not None else None
        if hint is None:
            return None
    if container is None:
        # document.write mostly prints badges and dates; an article states its publish date
        text = main_content(root)[0] if text is None else text
        if hint.startswith("script: document.write") or len(text) > SCRIPT_FILLED_MAX_TEXT \
                or publish_date(root) is not None:
            return None
    lp = extract_list(root, page_url)  # the costly test last
    if lp.items or lp.placeholder or lp.total_items == 0:
        return None
    return f"{f'empty list {container}' if container else 'no list in the HTML'}; {hint}"


def list_from_html(text: str, url: str, today: dt.date | None = None) -> ListPage:

    return extract_list(parse(text), url, today)


__all__ = ["ListItem", "ListPage", "extract_list", "list_items", "list_from_html", "PLACEHOLDER_RE",
           "empty_list_container", "empty_list_box", "script_filled"]


def inspect_list(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect list FILE_OR_URL`: the list, its dates, pagination and column links."""

    text, enc = decode_html(data, content_type)
    root = parse(text)
    lp = extract_list(root, url)
    cols = columns_on_page(root, url)
    return {"url": url, "encoding": enc, "title": title_of(root), "column_name": meta_tags(root).get("ColumnName"),
            **lp.to_dict(), "columns": {k: [h.to_dict() for h in v] for k, v in cols.items()},
            # why the crawler would render this page (its list looks script-filled), or null
            "script_filled": script_filled(root, url)}
