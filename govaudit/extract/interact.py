"""Interaction pages (互动交流): the messages a 领导信箱/咨询/留言 column publishes, read from one page.

    page = read_interact(html_text, url, label="领导信箱", today=date)
    page.kind          # letter | consult | message | interview | survey | complaint | None
    page.messages      # Message: title, url, number, asked_at, answered_at, answered_by, status, answered
    page.next_pages    # the pager's next pages (and page-number links in page_links)
    page.stats         # {"received": N, "answered": M, "text": …} from a 收到…件 / 办结…件 block
    page.empty_placeholder   # 暂无信息 … shown where the list would be, on a page with no rows
    page.list_script   # why its empty list looks filled by a script (lists.script_filled), or None

Read from structure and meaning, not from one CMS's class names:

- list rows: the rows of a `<table>` whose header row names the fields (标题, 留言时间, 答复时间,
  状态, 答复单位 …), and repeated `<li>`/`<dl>`/`<div>` rows holding one title link and a date or a
  status; their cells are read by their labels (留言时间：…) or by what they hold (a status word, a
  date — the first is the message's, a second the reply's —, a unit name, a letter number);
- detail pages: labelled fields anywhere in the page (a label cell and its value cell, `dt`/`dd`,
  `label：value` text) and the question/answer blocks (留言内容/答复内容, 来信/回复, 问/答).
- an empty list: a page with no rows that says so where the list would be (暂无信息, 暂无留言,
  没有找到相关数据 … in the message table, beside the empty list slot, in the main area) — never
  a placeholder in the header, footer or a side box, one that is hidden or a script's template,
  nor on a page whose list has rows: the difference between "no message published" and "the
  reader could not read the list" (a JSON API, a script-filled list, unknown markup).

Pure: text in, facts out (govaudit/extract/dates.py reads the dates).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from lxml import etree

from govaudit.extract.columns import is_chrome, normalize_label
from govaudit.extract.dates import find_dates, normalize_digits
from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse, text_of
from govaudit.extract.lists import empty_list_box, extract_list, script_filled
from govaudit.urls import absolute

# -- vocabularies ---------------------------------------------------------------------------
# column kinds, most specific first: an 在线访谈 page under 政民互动 is an interview
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("interview", r"在线访谈|访谈|在线直播|网上直播"),
    ("survey", r"调查征集|意见征集|民意征集|网上调查|民意调查|征集|调查"),
    ("complaint", r"举报投诉|投诉举报|举报|投诉"),
    ("letter", r"信箱|来信|写信|12345|信件|热线"),
    ("consult", r"咨询|问答|答问|答疑"),
    ("message", r"留言|政民互动|互动交流|问政|民声|网民"),
)
# link texts (regular expressions searched in the folded text) that name an interaction channel: the
# crawler's link classes (extract/linkclass.py) and the interaction analysis share them
CHANNEL_NAMES: tuple[str, ...] = ("信箱", "咨询", "留言", "政民互动", "互动交流", "写信", "来信", "12345", "问政", "民声",
                                  "在线访谈", "访谈", "意见征集", "调查征集", "民意征集", "网上调查", "投诉", "举报",
                                  "网上信访", "热线")
KIND_LABELS = {"letter": "信箱", "consult": "咨询", "message": "留言", "interview": "在线访谈",
               "survey": "调查征集", "complaint": "举报投诉"}
# kinds the census judges (国办函〔2015〕15号: 在线访谈, 调查征集, 举报投诉 are excluded from the veto)
JUDGED_KINDS = ("letter", "consult", "message")

# field → label pattern (folded labels: no spaces or colons)
FIELD_LABELS: dict[str, str] = {
    "number": r"(?:信件|留言|来信|咨询|受理|办件|查询)?编号|信件号|受理号",
    "title": r"(?:信件|来信|留言|咨询|问题|事项)?(?:标题|主题)|标题名称|事项|问题",
    "asked": r"(?:留言|来信|提问|咨询|写信|提交|发信|投诉|来件|发布|信件)(?:时间|日期)",
    "answered": r"(?:答复|回复|办结|办理|处理|回信|反馈)(?:时间|日期)",
    "unit": r"(?:答复|回复|办理|承办|处理|受理|回信|反馈)(?:单位|部门|机构|机关)|责任单位|办理机构",
    "status": r"(?:办理|处理|回复|答复|办件|信件|受理|留言|来信|咨询|当前)?状态|办理情况",
    "question": r"(?:留言|来信|咨询|信件|投诉|问题)(?:内容|详情)|内容|问",
    "answer": r"(?:答复|回复|办理|处理|回信)(?:内容|意见|结果|情况)|答复|回复|答",
}
_FIELD_RE = {k: re.compile(f"^(?:{v})$") for k, v in FIELD_LABELS.items()}
_GENERIC_DATE = re.compile(r"^(?:时间|日期|发布时间|发布日期)$")
# a label at the start of a text piece, its value after the colon (any field above)
_INLINE = re.compile(r"^\s*(?P<label>[\u4e00-\u9fa5]{1,8}?)\s*[:：]\s*(?P<value>.*)$", re.S)

ANSWERED_RE = re.compile(r"已回复|已答复|已办结|已处理|已反馈|已解答|已回信|办结|已完成|已受理并答复")
UNANSWERED_RE = re.compile(r"未回复|未答复|未办结|未处理|待回复|待答复|待处理|待办理|处理中|办理中|正在办理|"
                           r"正在处理|受理中|已受理|转办中|已转办|待审核|审核中|未反馈|暂未回复|尚未回复")
_STATUS_CELL = re.compile(f"^(?:{ANSWERED_RE.pattern}|{UNANSWERED_RE.pattern}|回复|答复)$")
# a cell that names an answering body
_UNIT_CELL = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}(?:局|办|委|委员会|政府|中心|所|院|厅|处|站|队|部|科|室|公司|街道|镇|乡|"
                        r"办公室|管委会|分局|支队|大队|法院|检察院|医院|学校|集团|银行|社区)$")
_NUMBER_CELL = re.compile(r"^[A-Za-z]{0,6}[-_]?\d{6,}[A-Za-z0-9-]*$")
_NO_REPLY_TEXT = re.compile(r"^(?:暂无|无|暂未回复|尚未回复|未回复|正在办理|办理中|处理中|待回复|—|-|/)?$")
# 收到/受理 N 件 … 答复/办结 M 件
_RECEIVED = re.compile(r"(?:共|累计|本年|今年|本月)?(?:收到|受理|接收|接到|收到来信|受理来信|来信总数|留言总数)"
                       r"(?:各类)?(?:来信|留言|信件|咨询|诉求|件)?(?:共|总数)?[:：]?\s*(\d+)\s*(?:件|封|条|个)")
_ANSWERED_N = re.compile(r"(?:已)?(?:答复|回复|办结|处理|回信|办理)(?:来信|留言|信件|咨询|诉求)?(?:共|总数)?[:：]?\s*(\d+)"
                         r"\s*(?:件|封|条|个)")
MIN_TITLE = 4
_TITLE_BAD = re.compile(r"^(?:首页|上一页|下一页|尾页|末页|更多|查看|详情|查看详情|我要写信|我要咨询|我要留言|"
                        r"\d+|>>?|<<?|返回|打印|关闭)$")


@dataclass
class Message:
    title: str
    url: str | None = None              # the detail page (absolute), or None
    number: str | None = None
    asked_at: str | None = None         # ISO date
    answered_at: str | None = None
    answered_by: str | None = None
    status: str | None = None           # as written (已回复, 办理中 …)
    answered: bool | None = None        # from the status or a published reply; None: the page does not say
    has_reply: bool = False             # a reply text or reply date is published
    source: str = "row"                 # 'row' (a list row) | 'page' (a detail page)
    status_hint: str | None = None      # why `answered` is False without a status (a detail page with no reply)
    snippet: str = ""                   # the row's text or the detail page's fields (evidence)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class InteractPage:
    url: str
    kind: str | None = None             # a key of KIND_LABELS
    kind_text: str = ""                 # the text that told the kind
    page_kind: str = "none"             # 'list' | 'detail' | 'none'
    messages: list[Message] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    page_links: list[str] = field(default_factory=list)
    stats: dict[str, Any] | None = None
    fields: list[str] = field(default_factory=list)   # the fields the page's rows or labels name
    # a page with no rows: the placeholder it shows where the list would be (the list is empty), or None
    empty_placeholder: str | None = None
    # a page with no rows: why its list looks filled by a script (lists.script_filled, or scripts that
    # fetch or template a list), or None
    list_script: str | None = None
    letter_form: bool = False           # a writing form (a <textarea>): 我要写信 pages publish no list
    # a page with no message read: the items of the list the general list reader finds (their URLs),
    # rows this reader could not read as messages
    list_items: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "kind": self.kind, "kind_label": KIND_LABELS.get(self.kind or "", ""),
                "kind_text": self.kind_text, "page_kind": self.page_kind, "fields": self.fields,
                "messages": [m.to_dict() for m in self.messages], "next_pages": self.next_pages,
                "page_links": self.page_links, "stats": self.stats, "empty_placeholder": self.empty_placeholder,
                "list_script": self.list_script, "letter_form": self.letter_form, "list_items": self.list_items}


# -- small helpers ----------------------------------------------------------------------------
def column_kind(*texts: str | None) -> tuple[str | None, str]:
    """The kind of an interaction column from its texts (label, breadcrumb, title), first text first."""
    for t in texts:
        t = t or ""
        for kind, pat in KIND_WORDS:
            m = re.search(pat, t)
            if m:
                return kind, m.group(0)
    return None, ""


def answered_of(status: str | None) -> bool | None:
    """True for 已回复/已办结 …, False for 未回复/办理中 …, None when the text says neither."""
    s = (status or "").replace(" ", "")
    if not s:
        return None
    if UNANSWERED_RE.search(s):
        return False
    if ANSWERED_RE.search(s):
        return True
    return None


def field_of(label: str) -> str | None:
    """The field a label names (留言时间 → asked …), or None."""
    lab = normalize_label(label)
    if not lab or len(lab) > 10:
        return None
    for k in ("number", "asked", "answered", "unit", "status", "title", "question", "answer"):
        if _FIELD_RE[k].match(lab):
            return k
    if _GENERIC_DATE.match(lab):
        return "date"
    return None


def _date(text: str) -> str | None:
    for m in find_dates(text, partial=False):
        if m.date is not None:
            return m.date.isoformat()
    return None


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _cells(row: etree._Element) -> list[etree._Element]:
    """A row's cells: td/th of a tr, dt/dd of a dl, else its element children (one wrapper unwrapped)."""
    if row.tag == "tr":
        return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    kids = [c for c in row if isinstance(c.tag, str) and c.tag not in ("script", "style", "br")]
    if len(kids) == 1 and kids[0].tag not in ("a",) and len([k for k in kids[0] if isinstance(k.tag, str)]) > 1:
        return _cells(kids[0])
    return kids


def _title_link(row: etree._Element, base: str) -> tuple[str, str | None]:
    """The row's title: its longest link text (and the link), else ''."""
    best: tuple[str, str | None] = ("", None)
    for a in row.iter("a"):
        t = _clean(a.get("title") or "") or _clean(text_of(a))
        t2 = _clean(text_of(a))
        t = t2 if len(t2) >= len(t) or not t else t
        if len(t) < MIN_TITLE or _TITLE_BAD.match(t.replace(" ", "")):
            continue
        if len(t) > len(best[0]):
            href = (a.get("href") or "").strip()
            url = absolute(base, href) if href and not href.lower().startswith(("javascript:", "#", "mailto:")) else None
            best = (t, url if url and url.startswith("http") else None)
    return best


def _fill(msg: Message, fld: str, value: str) -> None:
    """Put one labelled value into a message (first value of a field wins)."""
    v = _clean(value)
    if not v:
        return
    if fld in ("asked", "date") and msg.asked_at is None:
        msg.asked_at = _date(v)
    elif fld == "answered" and msg.answered_at is None:
        msg.answered_at = _date(v)
    elif fld == "unit" and msg.answered_by is None and not _NO_REPLY_TEXT.match(v):
        msg.answered_by = v[:60]
    elif fld == "status" and msg.status is None:
        msg.status = v[:20]
    elif fld == "number" and msg.number is None:
        msg.number = v[:40]
    elif fld == "title" and not msg.title:
        msg.title = v[:200]


def _finish(msg: Message) -> Message:
    st = answered_of(msg.status)
    if msg.answered_at or msg.has_reply:
        msg.has_reply = True
    msg.answered = st if st is not None else (True if msg.has_reply else False if msg.status_hint else None)
    if st is False and msg.answered_at:   # a status that says 办理中 beside a reply date: the date wins
        msg.answered = True
    return msg


# -- list rows --------------------------------------------------------------------------------
def _header_map(row: etree._Element) -> dict[int, str] | None:
    """Cell index → field for a header row (no title link; two or more cells name fields)."""
    cells = _cells(row)
    if len(cells) < 2 or any(len(_clean(text_of(a))) >= MIN_TITLE for a in row.iter("a")):
        return None
    out: dict[int, str] = {}
    for i, c in enumerate(cells):
        f = field_of(text_of(c))
        if f == "question":
            f = "title"
        if f is not None:
            out[i] = f
    return out if len(out) >= 2 and "title" in out.values() else None


def _row_message(row: etree._Element, base: str, header: dict[int, str] | None) -> Message | None:
    title, url = _title_link(row, base)
    cells = _cells(row)
    msg = Message(title=title, url=url, source="row", snippet=_clean(text_of(row))[:300])
    dates: list[str] = []
    for i, c in enumerate(cells):
        t = _clean(text_of(c))
        if not t:
            continue
        fld = header.get(i) if header else None
        if fld == "title":
            if not msg.title and len(t) >= MIN_TITLE:
                msg.title = t[:200]
            continue
        if fld is not None:
            _fill(msg, fld, t)
            continue
        m = _INLINE.match(t)
        if m and field_of(m.group("label")):
            f = field_of(m.group("label")) or ""
            if f in ("title", "question"):
                if not msg.title:
                    msg.title = _clean(m.group("value"))[:200]
            else:
                _fill(msg, f, m.group("value"))
            continue
        if title and title in t:
            # the title cell; labelled dates may follow it in the same cell
            dates.extend(d for d in _labelled(t, msg) if d)
            continue
        bare = t.replace(" ", "")
        if _STATUS_CELL.match(bare):
            _fill(msg, "status", bare)
        elif _date(t) and len(t) <= 25:
            dates.append(_date(t) or "")
        elif _NUMBER_CELL.match(bare):
            _fill(msg, "number", bare)
        elif _UNIT_CELL.match(bare):
            _fill(msg, "unit", bare)
        else:
            dates.extend(d for d in _labelled(t, msg) if d)
    if not header or "asked" not in header.values() and "date" not in header.values():
        for d in dates:
            if msg.asked_at is None:
                msg.asked_at = d
            elif msg.answered_at is None and d >= msg.asked_at:
                msg.answered_at = d
    if not msg.title or len(msg.title) < MIN_TITLE:
        return None
    return _finish(msg)


_LABEL_ANY = re.compile(r"([\u4e00-\u9fa5]{2,8})\s*[:：]\s*")


def _labelled(text: str, msg: Message) -> list[str]:
    """Fill the fields labelled inside one text (留言时间：… 回复时间：…); bare dates returned."""
    marks = list(_LABEL_ANY.finditer(text))
    used = False
    for i, m in enumerate(marks):
        fld = field_of(m.group(1))
        if fld is None or fld in ("title", "question", "answer"):
            continue
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        _fill(msg, fld, text[m.end():end])
        used = True
    if used:
        return []
    return [d for d in (_date(text),) if d and len(text) <= 40]


def _row_groups(root: etree._Element, least: int = 2) -> Iterator[list[etree._Element]]:
    """Candidate row groups: a table's rows, and the repeated li/dl/div/p children of one parent."""
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in ("script", "style", "head", "select"):
            continue
        if parent.tag in ("table", "tbody", "thead"):
            continue
        kids = [c for c in parent if isinstance(c.tag, str)]
        if parent.tag in ("tbody",):
            continue
        by_tag: dict[str, list[etree._Element]] = {}
        for c in kids:
            if c.tag in ("li", "dl", "div", "p", "tr", "section", "article"):
                by_tag.setdefault(c.tag, []).append(c)
        for rows in by_tag.values():
            if len(rows) >= least:
                yield rows
    for table in root.iter("table"):
        rows = [r for r in table.iter("tr") if _nearest_table(r) is table]
        if len(rows) >= 2:
            yield rows


def _nearest_table(el: etree._Element) -> etree._Element | None:
    for a in el.iterancestors("table"):
        return a
    return None


def _in_chrome(el: etree._Element) -> bool:
    return is_chrome(el) or any(is_chrome(a) for a in el.iterancestors())


def _read_rows(root: etree._Element, base: str, min_rows: int = 2) -> tuple[list[Message], list[str]]:
    """The messages of the page's best row group, and the fields its header or labels name. A group
    of one row counts when a header row names its fields (the last page of a paged table)."""
    best: tuple[list[Message], list[str]] = ([], [])
    best_score = 0
    for rows in _row_groups(root, min(2, max(1, min_rows))):
        if _in_chrome(rows[0]):
            continue
        header = None
        start = 0
        for i, r in enumerate(rows[:2]):
            h = _header_map(r)
            if h:
                header, start = h, i + 1
                break
        msgs = [m for m in (_row_message(r, base, header) for r in rows[start:]) if m is not None]
        # a message row holds a date, a status or a reply unit besides its title
        good = [m for m in msgs if m.asked_at or m.status or m.answered_at]
        if len(good) < (1 if header else min_rows) or len(good) < len(msgs) / 2:
            continue
        score = len(good) * 2 + sum(1 for m in good if m.status or m.answered_at or m.answered_by) \
            + (len(good) if header else 0)
        if score > best_score:
            names = sorted(set(header.values())) if header else sorted(
                {k for m in good for k, v in (("asked", m.asked_at), ("answered", m.answered_at),
                                              ("unit", m.answered_by), ("status", m.status),
                                              ("number", m.number)) if v})
            best, best_score = (good, names), score
    return best


# -- detail pages -----------------------------------------------------------------------------
def _pieces(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """The page's text pieces in document order (each text node, stripped), outside chrome."""
    body = root.find("body")
    body = body if body is not None else root
    out: list[tuple[str, etree._Element]] = []
    skip = {"script", "style", "noscript", "template", "head", "select", "option", "form", "button"}

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in skip or (node is not body and is_chrome(node)):
            return
        if node.text and node.text.strip():
            out.append((_clean(node.text), node))
        for c in node:
            walk(c)
            if c.tail and c.tail.strip():
                out.append((_clean(c.tail), node))

    walk(body)
    return out


def _read_detail(root: etree._Element, url: str) -> tuple[Message | None, list[str]]:
    """One message from a detail page's labelled fields and question/answer blocks."""
    pieces = _pieces(root)
    msg = Message(title="", url=url, source="page")
    found: dict[str, str] = {}
    blocks: dict[str, list[str]] = {"question": [], "answer": []}
    current: str | None = None
    i = 0
    while i < len(pieces):
        text = pieces[i][0]
        label, value = text, ""
        m = _INLINE.match(text)
        if m:
            label, value = m.group("label"), m.group("value")
        fld = field_of(label) if len(normalize_label(label)) <= 10 else None
        if fld is None and m is None and len(text) <= 2 and text in ("问", "答"):
            fld = "question" if text == "问" else "answer"
        if fld is not None:
            if not value and fld not in ("question", "answer") and i + 1 < len(pieces):
                nxt = pieces[i + 1][0]
                nm = _INLINE.match(nxt)
                if not (nm and field_of(nm.group("label"))) and field_of(nxt) is None:
                    value = nxt
                    i += 1
            if fld in ("question", "answer"):
                current = fld
                if value:
                    blocks[fld].append(value)
            else:
                current = None
                found.setdefault(fld, value)
                _fill(msg, fld, value)
        elif current is not None:
            blocks[current].append(text)
        i += 1
    answer = _clean(" ".join(blocks["answer"]))
    signals = {k for k in found} | {k for k, v in blocks.items() if v}
    if not ({"asked", "date"} & signals and ({"answer", "answered", "unit", "question", "status"} & signals)) \
            and not (blocks["question"] and (blocks["answer"] or "answered" in signals)):
        return None, []
    if not msg.title:
        h = next((text_of(e) for e in root.iter("h1", "h2", "h3") if not _in_chrome(e) and len(text_of(e)) >= MIN_TITLE), "")
        t = root.find(".//title")
        msg.title = _clean(h) or _clean(text_of(t) if t is not None else "") or url
    msg.has_reply = bool(answer and not _NO_REPLY_TEXT.match(answer.replace(" ", "")))
    if msg.status is None and not msg.has_reply and not msg.answered_at:
        msg.status_hint = "页面未刊登答复"
    parts = [f"{k}:{v}" for k, v in found.items() if v]
    msg.snippet = _clean("；".join(parts) + (f"；答复：{answer[:80]}" if answer else ""))[:300]
    names = sorted((signals - {"question", "title"}) | ({"answer"} if msg.has_reply else set()))
    return _finish(msg), names


# -- an empty list ----------------------------------------------------------------------------
# what a list says when it has nothing to show; real wordings: 暂无信息, 暂无数据, 暂无留言, 暂无记录,
# 暂无来信数据, 暂时没有邮件, ※没有找到相关数据!, 抱歉，没有找到相关数据。, 无相关信件, 查询结果为空
_NOTHING = r"(?:信息|数据|留言|记录|信件|来信|邮件|咨询|内容|问题|结果|资料|诉求|事项|办件)"
EMPTY_LIST_RE = re.compile(
    rf"(?:暂无|暂时没有|目前没有|目前暂无|尚无|还没有|当前没有)(?:相关|任何|符合条件的|已?公开的?)?{_NOTHING}"
    rf"|(?:没有|未)(?:找到|查询到|检索到|查到|搜索到)(?:相关|任何|符合条件的|匹配的)?的?{_NOTHING}"
    rf"|(?:没有|无)(?:相关|符合条件的){_NOTHING}|查询结果为空|(?:列表|数据|结果)为空")
PLACEHOLDER_MAX = 40   # characters of the element that shows it: a placeholder stands alone
_EMPTY_WORD = re.compile(r"暂|没|无|未|尚|还|目前|当前|为空")   # a text that may start or hold one
_PLACEHOLDER_SKIP = {"script", "style", "noscript", "template", "head", "title", "select", "option", "textarea",
                     "button", "a"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = {"hide", "hidden", "none", "d-none", "dn", "display-none", "is-hidden"}
# a framework's attributes (Vue, Angular, Alpine, mini-programs): what they hold is a template
_TEMPLATE_ATTR = re.compile(r"^(?:v-|ng-|x-|data-ng-|wx:|:|@)")
# a side box (hot letters, rankings, related links) beside the column's own list
_SIDE = re.compile(r"(^|[-_\s])(side|sidebar|aside|hot|rank|ranking|tuijian|recommend|related|xgxx|rdxx|rmxx)"
                   r"([-_\s\d]|$)", re.I)
# a footer that no class names: what it says around the placeholder
_FOOTER_TEXT = re.compile(r"版权所有|Copyright|ICP备|网站标识码|公网安备|主办单位|承办单位|技术支持", re.I)


def _hidden_or_template(el: etree._Element) -> bool:
    for n in (el, *el.iterancestors()):
        if n.get("hidden") is not None or _HIDDEN_STYLE.search(n.get("style") or ""):
            return True
        if _HIDDEN_CLASS & set((n.get("class") or "").lower().split()):
            return True
        if any(_TEMPLATE_ATTR.match(str(a)) for a in n.attrib):
            return True
    return False


def _aside(el: etree._Element) -> bool:
    for n in (el, *el.iterancestors()):
        if n.tag == "aside" or is_chrome(n):
            return True
        marks = f"{n.get('class') or ''} {n.get('id') or ''}"
        if marks.strip() and _SIDE.search(marks):
            return True
    return False


def _footer_like(el: etree._Element, own: str) -> bool:
    """The block the placeholder sits in (its first ancestor saying more) reads as a footer."""
    for n in el.iterancestors():
        if n.tag in ("body", "html"):
            return False
        t = text_of(n)
        if len(t) > len(own):
            return len(t) < 1000 and bool(_FOOTER_TEXT.search(t))
    return False


def _list_header(root: etree._Element) -> bool:
    """A table outside the chrome whose first or second row is a message list's header row: every
    cell, or nearly, names a field (a detail page's label/value rows name every other one)."""
    for table in root.iter("table"):
        if _in_chrome(table):
            continue
        for r in [r for r in table.iter("tr") if _nearest_table(r) is table][:2]:
            named = _header_map(r)
            filled = [c for c in _cells(r) if _clean(text_of(c))]
            if named and len(named) >= 0.75 * len(filled):
                return True
    return False


def _message_table(el: etree._Element) -> bool:
    """Inside a table whose header row names message fields (标题, 留言时间, 状态 …)."""
    table = _nearest_table(el)
    if table is None:
        return False
    rows = [r for r in table.iter("tr") if _nearest_table(r) is table]
    return any(_header_map(r) for r in rows[:2])


def _candidates(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Elements whose whole (short) text is a placeholder, the innermost first, in document order."""
    seen: set[int] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _PLACEHOLDER_SKIP:
            continue
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if not own.strip() or len(own.strip()) > PLACEHOLDER_MAX * 4 or not _EMPTY_WORD.search(own):
            continue
        node: etree._Element | None = el
        for _ in range(2):   # 暂无<b>数据</b>: the text split over an element and its child
            if node is None or not isinstance(node.tag, str) or node.tag in _PLACEHOLDER_SKIP:
                break
            t = text_of(node)
            if len(t.replace(" ", "")) > PLACEHOLDER_MAX:
                break
            m = EMPTY_LIST_RE.search(t.replace(" ", ""))
            if m:
                if id(node) not in seen:
                    seen.add(id(node))
                    yield node, m.group(0)
                break
            node = node.getparent()


def empty_placeholder(root: etree._Element | None, url: str = "", rows: bool | None = None) -> str | None:
    """The placeholder a page with no list rows shows where its list would be (暂无信息 …), or None.

    Counted: in the message table (its header row names the fields), beside the empty list slot
    (ul.list … without text: the placeholder must sit in the slot's box), else in the main area.
    Not counted: in the header, navigation, footer (marked, or a block saying 版权所有/ICP备 …)
    or a side box; hidden (display:none, hidden, class hide) or inside a framework's template
    (v-if, ng-show …: a script shows it or not); any page whose list has rows (`rows`: whether the
    caller's list extraction found some; found here when None)."""
    if root is None:
        return None
    body = root.find("body")
    body = body if body is not None else root
    if not EMPTY_LIST_RE.search(text_of(body).replace(" ", "")):
        return None   # cheap test first
    has_rows = rows if rows is not None else bool(extract_list(root, url).items)
    if has_rows:
        return None   # a list with rows is never empty, whatever else the page says
    slot = empty_list_box(root)
    box = slot.getparent() if slot is not None else None
    while box is not None and box.tag not in ("body", "html") and not text_of(box):
        box = box.getparent()   # the slot's box: its first ancestor that says anything (a heading, a placeholder)
    for el, said in _candidates(body):
        if _hidden_or_template(el) or _aside(el) or _footer_like(el, text_of(el)):
            continue
        if _message_table(el):
            return said
        if slot is not None and (box is None or box.tag in ("body", "html") or box is not el
                                 and box not in el.iterancestors()):
            continue   # the list is the empty slot a script fills: a placeholder elsewhere is not its own
        return said
    return None


# -- the page ---------------------------------------------------------------------------------
def _breadcrumb(root: etree._Element) -> str:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        marks = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if re.search(r"crumb|position|location|dqwz|weizhi|mianbao|curpos", marks):
            return _clean(text_of(el))[:200]
    for el in root.iter("div", "p", "span", "td"):
        t = _clean(text_of(el))
        if t.startswith(("当前位置", "您的位置", "您现在的位置", "所在位置")) and len(t) < 200:
            return t
    return ""


def _stats(text: str) -> dict[str, Any] | None:
    s = normalize_digits(text)
    r = _RECEIVED.search(s)
    if r is None:
        return None
    a = _ANSWERED_N.search(s, r.end())
    if a is None or a.start() - r.end() > 80:
        return None
    return {"received": int(r.group(1)), "answered": int(a.group(1)), "text": s[r.start():a.end()][:120]}


def read_interact(text: str, url: str, label: str = "", today: dt.date | None = None,
                  min_rows: int = 2) -> InteractPage:
    """The messages, kind, pager and statistics of one interaction page (list or detail).
    `min_rows`: rows that make a list (1 for a later page of a column known to be a list)."""
    root = parse(text)
    return read_interact_root(root, url, label, today, min_rows)


def read_interact_root(root: etree._Element | None, url: str, label: str = "",
                       today: dt.date | None = None, min_rows: int = 2) -> InteractPage:
    page = InteractPage(url=url)
    if root is None:
        return page
    title_el = root.find(".//title")
    title = _clean(text_of(title_el)) if title_el is not None else ""
    heads = " ".join(_clean(text_of(h)) for h in list(root.iter("h1", "h2"))[:3])
    page.kind, page.kind_text = column_kind(label, _breadcrumb(root), heads, title)
    rows, names = _read_rows(root, url, min_rows)
    # a dated list with nothing about replies, on a page that names no interaction column, is news
    if rows and (page.kind is not None or set(names) - {"asked", "number"}):
        page.page_kind, page.messages, page.fields = "list", rows, names
        lp = extract_list(root, url, today)
        page.next_pages, page.page_links = list(lp.next_pages), list(lp.page_links)
    elif not rows and _list_header(root):
        # a message table with its header row and no rows is an empty list, not a detail page's
        # label cells (标题 … 办理状态 read as labels)
        page.page_kind = "list"
        lp = extract_list(root, url, today)
        page.next_pages, page.page_links = list(lp.next_pages), list(lp.page_links)
    else:
        msg, names = _read_detail(root, url)
        if msg is not None:
            page.page_kind, page.messages, page.fields = "detail", [msg], names
    if not page.messages:   # nothing read: an empty list says so, an unread one may be a script's
        lp = extract_list(root, url, today)
        page.empty_placeholder = empty_placeholder(root, url, rows=bool(lp.items))
        page.list_script = script_filled(root, url) or (
            "scripts that fetch or template a list" if lp.js_list and not lp.items else None)
        page.letter_form = next(root.iter("textarea"), None) is not None
        page.list_items = [i.url for i in lp.items]
    body = root.find("body")
    page.stats = _stats(text_of(body if body is not None else root))
    return page


FIELD_NAMES = {"number": "信件编号", "title": "标题", "asked": "留言时间", "date": "时间", "answered": "答复时间",
               "unit": "答复单位", "status": "办理状态", "question": "留言内容", "answer": "答复内容"}
_REPLY_STATE = {True: "已答复", False: "未答复", None: "页面未标明"}
_SOURCE = {"row": "列表行", "page": "详情页"}


def inspect_interact(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect interact`: what the reader takes from one page, keyed for the Chinese view."""
    text = decode_html(data, content_type)[0]
    p = read_interact(text, url, min_rows=1)
    return {
        "url": p.url, "column_kind": KIND_LABELS.get(p.kind or "", "（未识别）"), "kind_text": p.kind_text,
        "page_kind": {"list": "列表页", "detail": "详情页"}.get(p.page_kind, "（非互动页面）"),
        "fields": [FIELD_NAMES.get(f, f) for f in p.fields],
        "messages": [{"title": m.title, "url": m.url, "letter_no": m.number, "asked_at": m.asked_at,
                      "answered_at": m.answered_at, "answered_by": m.answered_by, "status": m.status,
                      "reply_state": _REPLY_STATE[m.answered], "source": _SOURCE[m.source]} for m in p.messages],
        "next_pages": p.next_pages, "page_links": p.page_links,
        "statistics": {"received": p.stats["received"], "answered_count": p.stats["answered"], "text": p.stats["text"]}
        if p.stats else None,
        # no rows read: the empty-list placeholder, or why the list may be a script's
        "placeholder": p.empty_placeholder, "script_filled": p.list_script,
    }


__all__ = ["CHANNEL_NAMES", "Message", "InteractPage", "read_interact", "read_interact_root", "column_kind", "answered_of",
           "field_of", "inspect_interact", "KIND_LABELS", "JUDGED_KINDS", "KIND_WORDS", "EMPTY_LIST_RE",
           "empty_placeholder"]
