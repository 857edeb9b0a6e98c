"""The metadata block (公开属性 / 文件属性) of a policy-document page, and the 文号 its body shows.

Pure: a parsed page in, facts out. `read_meta(root, title)` → `DocMeta`:

- the block's fields, label → value, whatever the markup: sibling cells (`<th>索引号：</th><td>…</td>`,
  gov.cn's `<td><b>索 引 号：</b></td><td>…</td>`), one cell holding both (`<td><b>索 引 号:</b> …</td>`,
  `<li><span>索引号：</span>…</li>`, `<p><strong>索引号</strong>：…</p>`, `<div>索 引 号：<label>…</label></div>`),
  `<dt>/<dd>` pairs, and 2×N tables (a row of labels over a row of values). Labels are matched by
  meaning with synonyms (LABELS: 发文机关 = 发布机构, 印发日期 = 成文日期 …), letters split by spaces,
  full-width spaces or &nbsp;, with or without a colon; text in HTML comments (fields a template
  commented out) is not on the page and does not count;
- the body's own 文号: a line outside the block that is only a 文号 (青政发〔2024〕5号, [2024]12号 and
  （2024）12号 styles, with the issuer's abbreviation), never one the text merely cites;
- the validity status (有效性 field, or a standalone 【已废止】-style mark) and the signals that
  the document is a 行政规范性文件 (规 in its 文号, a 文件类型 field saying 规范性文件).

The block is found by its labels, not by a CMS's class names. What is a policy document is the
caller's decision (checks/doc/metadata.py: the documents of the InterpPairs analysis — 政策文件
column items, pages with their own 文号, documents an interpretation links).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from lxml import etree

from govaudit.extract.dates import parse_match
from govaudit.extract.interp import DocNo, article_title, doc_numbers, nfkc, title_key
from govaudit.extract.page import view_page

# canonical field -> the labels real sites write for it (longest first when matched)
LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "信息索引号", "索取号", "索引编号"),
    "issuer": ("发布机构", "发文机关", "发布单位", "来源机构", "发文单位", "发文机构", "制发机关", "发布机关", "公开机构",
               "责任部门", "信息来源机构"),
    "written": ("成文日期", "生成日期", "印发日期", "产生日期", "形成日期", "签发日期", "成文时间", "印发时间", "制发日期"),
    "published": ("发布日期", "公开日期", "发文日期", "公开时间"),
    "doc_no": ("文号", "发文字号", "发文文号", "文件编号", "文件字号"),
    "subject": ("主题分类", "信息分类", "分类", "主题词", "组配分类", "公开分类", "主题"),
    "validity": ("有效性", "时效性", "效力状态", "效力状况", "有效状态", "时效状态", "文件效力", "效力", "有效期", "是否有效",
                 "时效", "文件状态"),
    "title": ("标题", "名称", "文件名称", "信息名称", "公文标题"),
    "kind": ("文件类型", "公文种类", "文种", "体裁分类", "文件类别"),
}
FIELDS = ("index_no", "issuer", "written", "published", "doc_no", "subject", "validity")
FIELD_LABELS = {"index_no": "索引号", "issuer": "发布机构", "written": "成文日期", "published": "发布日期",
                "doc_no": "文号", "subject": "主题分类", "validity": "有效性", "title": "标题", "kind": "文件类型"}
# fields that only a metadata block has (an article's info line has 发布日期 and 来源, not these)
BLOCK_FIELDS = ("index_no", "written", "doc_no", "subject", "validity", "issuer")
# a value that says "nothing": 文号：无, 索引号：——
EMPTY_VALUES = {"", "无", "暂无", "空", "-", "--", "—", "——", "/", "\\", "null", "none", "undefined", "nan", "未知",
                "其他", "无文号"}
VALIDITY = (("部分失效", "部分失效"), ("已废止", "废止"), ("废止", "废止"), ("已失效", "失效"), ("失效", "失效"),
            ("已修订", "已修订"), ("修订", "已修订"), ("修改", "已修订"), ("尚未生效", "尚未生效"), ("未生效", "尚未生效"),
            ("现行有效", "有效"), ("有效", "有效"), ("生效", "有效"))

_GAP = r"[\s\u3000\xa0]*"
_ALL_LABELS = sorted({(lab, key) for key, labs in LABELS.items() for lab in labs}, key=lambda x: -len(x[0]))
_LABEL_KEY = {lab: key for lab, key in _ALL_LABELS}
_LABEL_ALT = "|".join(_GAP.join(map(re.escape, lab)) for lab, _ in _ALL_LABELS)
_LABEL = re.compile(rf"(?:^|(?<=[\s|｜;；,，]))({_LABEL_ALT}){_GAP}[:：]{_GAP}")   # 'label：' anywhere in a line
_BARE = re.compile(rf"^[【\[]?({_LABEL_ALT})[】\]]?{_GAP}[:：]?{_GAP}$")              # a line that is only a label
_MARK = re.compile(r"^[【\[(（〔]?\s*(现行有效|已失效|已废止|部分失效|已修订|失效|废止|有效)\s*[】\])）〕]?$")
_TITLE_MARK = re.compile(r"[【\[(（]\s*(现行有效|已失效|已废止|部分失效|已修订|失效|废止)\s*[】\])）]\s*$")
_PLACEHOLDER = re.compile(r"\{\{|\$\{|<%|%>|#\{")
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article", "dd", "dt",
           "blockquote", "table", "ul", "ol", "dl", "tbody", "thead", "form", "header", "footer", "nav", "center"}
_CELLS = {"td", "th", "dd", "dt", "li"}            # kept as a line even when empty: an empty value cell
_GROUPS = {"table", "dl", "ul", "ol"}             # a label left without a value expires at their end
_SKIP = {"script", "style", "noscript", "template", "select", "option", "textarea"}
BREAK = "\x00"                                    # a line marking the end of a group
MAX_VALUE = 200


@dataclass
class Line:
    text: str
    el: etree._Element | None = field(default=None, repr=False)


def lines_of(el: etree._Element) -> list[Line]:
    """The page as lines: one per block element and <br>, table/list cells kept even when empty, a
    BREAK line at the end of each table or list. Comments, scripts and styles are left out."""
    out: list[Line] = []
    buf: list[str] = []
    owner: list[etree._Element | None] = [None]

    def flush(node: etree._Element | None, keep_empty: bool = False) -> None:
        text = " ".join("".join(buf).replace("\xa0", " ").replace("\u3000", " ").split())
        if text or keep_empty:
            out.append(Line(text, node if node is not None else owner[0]))
        buf.clear()

    # iterative walk (deep pages must not exhaust the stack): (node, phase) with phase 0 = enter, 1 = leave
    stack: list[tuple[etree._Element, int]] = [(el, 0)]
    while stack:
        node, phase = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else None
        if phase == 1:
            if tag in _BLOCKS:
                flush(node, keep_empty=tag in _CELLS)
                if tag in _GROUPS:
                    out.append(Line(BREAK, node))
            if node.tail and node is not el:
                buf.append(node.tail)
            continue
        if tag is None or tag in _SKIP:  # a comment or processing instruction, or no text
            if node.tail and node is not el:
                buf.append(node.tail)
            continue
        if tag in _BLOCKS or tag == "br":
            flush(None)
            owner[0] = node
        if node.text:
            buf.append(node.text)
        stack.append((node, 1))
        for child in reversed(node):
            stack.append((child, 0))
    flush(None)
    return out


@dataclass
class Field:
    key: str              # canonical: index_no, issuer, written …
    label: str            # as written on the page (索 引 号 → 索引号, spacing folded)
    value: str            # as written ('' when the label stands with nothing after it)


@dataclass
class DocMeta:
    title: str = ""
    fields: dict[str, Field] = field(default_factory=dict)
    block_found: bool = False
    snippet: str = ""                                           # the block as read: 索引号：…；发布机构：…
    body_doc_numbers: list[str] = field(default_factory=list)   # the body's own 文号 (outside the block)
    validity: str | None = None                                  # 有效 | 失效 | 废止 | 已修订 | 部分失效 | 尚未生效
    validity_source: str | None = None                           # field | mark | title
    normative_signals: list[str] = field(default_factory=list)

    @property
    def doc_kind(self) -> str:
        """What the page itself shows it is: 规范性文件 (a normative signal), 政策文件 (its own 文号),
        else 其他 (a column may still list it as a policy document: the caller knows the columns)."""
        if self.normative_signals:
            return "规范性文件"
        return "政策文件" if self.body_doc_numbers or self.block_doc_numbers else "其他"

    def value(self, key: str) -> str | None:
        """The field's value, None when the block lacks it or it says nothing (无, —, a template slot)."""
        f = self.fields.get(key)
        if f is None:
            return None
        v = f.value.strip()
        if v.lower() in EMPTY_VALUES or _PLACEHOLDER.search(v):
            return None
        return v

    def missing(self, required: list[str] | tuple[str, ...]) -> list[str]:
        return [k for k in required if self.value(k) is None]

    @property
    def block_doc_numbers(self) -> list[str]:
        return [d.text for d in doc_numbers(self.value("doc_no") or "")]

    def date(self, key: str) -> dt.date | None:
        m = parse_match(self.value(key), partial=False)
        return m.date if m else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["fields"] = {k: {"label": f.label, "value": f.value} for k, f in self.fields.items()}
        d["block_doc_numbers"] = self.block_doc_numbers
        d["doc_kind"] = self.doc_kind
        for key in ("written", "published"):
            day = self.date(key)
            d[f"{key}_date"] = day.isoformat() if day else ""
        return d


def _fold(label: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", label)


def field_key(label: str) -> str | None:
    """The canonical field a label names (发文机关 → issuer), None for no known label."""
    return _LABEL_KEY.get(_fold(nfkc(label)).rstrip(":"))


def _pairs(lines: list[Line]) -> Iterator[tuple[int, str, str, list[int]]]:
    """(line index, label, value, indices of the lines read) for every label on the page: labels with
    their value in the same line, and bare labels paired in order with the value lines that follow
    (th/td, dt/dd, a 2×N table's label row over its value row)."""
    pending: list[tuple[int, str]] = []
    for i, ln in enumerate(lines):
        if ln.text == BREAK:
            for j, lab in pending:  # labels whose values never came: present with nothing
                yield j, lab, "", [j]
            pending = []
            continue
        t = nfkc(ln.text) if not ln.text.isascii() else ln.text
        m = _BARE.match(t)
        if m and _is_link(ln.el, ln.text):
            continue  # a navigation tab (主题分类 | 机构分类 | 体裁分类 as links), not a label
        if m:
            pending.append((i, _fold(m.group(1))))
            continue
        hits = list(_LABEL.finditer(t))
        if hits and hits[0].start() == 0:
            for j, lab in pending:
                yield j, lab, "", [j]
            pending = []
            for k, h in enumerate(hits):
                end = hits[k + 1].start() if k + 1 < len(hits) else len(t)
                yield i, _fold(h.group(1)), t[h.end():end].strip(" ;；|｜,，"), [i]
            continue
        if pending:
            if len(pending) >= 2 and _links_a_page(ln.el):
                pending = []  # a list's header row over its rows (名称 | 索引号 | 发布日期): no block
                continue
            j, lab = pending.pop(0)
            if len(t) > MAX_VALUE:  # prose, not a value: the label has nothing
                yield j, lab, "", [j]
                for j2, lab2 in pending:
                    yield j2, lab2, "", [j2]
                pending = []
            else:
                yield j, lab, t, [j, i]
    for j, lab in pending:
        yield j, lab, "", [j]


def _is_link(el: etree._Element | None, text: str) -> bool:
    """The line is the text of an anchor in it: a label is never a link, a navigation tab is."""
    if el is None:
        return False
    folded = _fold(text)
    return any(_fold("".join(a.itertext())) == folded for a in el.iter("a"))


def _links_a_page(el: etree._Element | None) -> bool:
    """A cell that links another page by a title (a list row), which no metadata value does."""
    if el is None:
        return False
    for a in el.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if href and not href.startswith(("#", "javascript:", "mailto:")) and len("".join(a.itertext()).strip()) >= 6:
            return True
    return False


def read_meta(root: etree._Element | None, title: str = "") -> DocMeta:
    """The metadata block, the body's own 文号, the validity and the normative signals of one page."""
    meta = DocMeta(title=title)
    if root is None:
        return meta
    body = root.find("body")
    lines = lines_of(body if body is not None else root)
    used: set[int] = set()
    order: list[str] = []
    for _, lab, value, idx in _pairs(lines):
        key = _LABEL_KEY.get(lab)
        if key is None:
            continue
        value = value[:MAX_VALUE]
        old = meta.fields.get(key)
        # the first occurrence wins, except that a label with a value beats an empty one and a better
        # synonym (主题分类 over 主题词) beats a looser one
        if old is not None and (old.value or not value) and LABELS[key].index(old.label) <= LABELS[key].index(lab):
            continue
        if old is not None and old.value and not value:
            continue
        meta.fields[key] = Field(key, lab, value)
        used.update(idx)
        if key not in order:
            order.append(key)
    meta.block_found = sum(1 for k in meta.fields if k in BLOCK_FIELDS) >= 2
    if not meta.block_found:
        meta.fields = {}
        used = set()
    meta.snippet = "；".join(f"{meta.fields[k].label}：{meta.fields[k].value}" for k in order if k in meta.fields)
    # the body's own 文号: a line that is only a 文号, outside the block
    own: list[DocNo] = []
    for i, ln in enumerate(lines):
        if i in used or ln.text == BREAK or "号" not in ln.text:
            continue
        t = nfkc(ln.text)
        nums = doc_numbers(t)
        if nums and len(title_key(t)) <= len(title_key(nums[0].text)) + 2 and not _LABEL.match(t):
            own.extend(n for n in nums if n not in own)
    meta.body_doc_numbers = [d.text for d in own]
    # validity: the field, else a standalone mark (【已废止】) outside the block
    v = meta.value("validity")
    if v:
        meta.validity, meta.validity_source = _status(v), "field"
    else:
        for i, ln in enumerate(lines):
            m = _MARK.match(nfkc(ln.text)) if i not in used and len(ln.text) <= 8 else None
            if m:
                meta.validity, meta.validity_source = _status(m.group(1)), "mark"
                break
        t = _TITLE_MARK.search(nfkc(title))
        if meta.validity is None and t:  # 青山县某某办法（已废止）
            meta.validity, meta.validity_source = _status(t.group(1)), "title"
    # normative: 规 in its own 文号, or the block says so
    for d in [n for t in meta.block_doc_numbers for n in doc_numbers(t)] + own:
        if d.normative:
            meta.normative_signals.append(f"文号 {d.text}")
            break
    kind = meta.value("kind") or ""
    if "规范性文件" in kind:
        meta.normative_signals.append(f"{meta.fields['kind'].label}：{kind}")
    return meta


def _status(text: str) -> str | None:
    t = nfkc(text)
    for word, status in VALIDITY:
        if word in t:
            return status
    return None


def inspect_meta(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect meta FILE_OR_URL`: the metadata block of one page as the rule reads it."""
    v = view_page(data, url, content_type)
    m = read_meta(v.root, article_title(v.root, v.meta, v.title))
    d = m.to_dict()
    d["missing"] = [FIELD_LABELS[k] for k in m.missing(FIELDS[:6])] if m.block_found else []
    return d
