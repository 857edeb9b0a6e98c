"""Policy interpretations (政策解读) and policy documents (政策文件) on one page, and how to pair them.

Pure functions over a parsed page (`govaudit.extract.html.parse`):

- `page_facts(root, url, title)` → `PageFacts`: the article title, its 文号 (from a labelled field
  such as 文号/发文字号, a paragraph that is only a 文号, or the title), the titles it quotes 《…》,
  labelled links to a policy document (相关文件, 原文链接, 政策原文 …) or to interpretations
  (相关解读, 政策解读, 图解 …), whether such a label is present with no static link (rendered by
  JavaScript), a stated reason for not interpreting, the publish date and the interpretation form.
- `title_key(s)`: a comparison key tolerant of whitespace, quote variants (“” "" ‘’ 「」), other
  punctuation and full-width forms; `core_title(s)` strips the 关于印发《X》的通知 wrapper and the
  解读/图解/问答 decorations; `doc_numbers(s)` finds 文号 like 青政规〔2024〕1号 in any bracket style.
- `classify_form(root)`: 图解 (image-dominant body), 视频 (video element, video file, player embed),
  问答 (question/answer pattern), H5, or text — with the signals that decided it.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Sequence

from lxml import etree

from govaudit.extract.html import text_of
from govaudit.urls import absolute
from govaudit.extract.dates import publish_date
from govaudit.extract.page import meta_tags
from govaudit.extract.page import view_page

FORMS = ("graphic", "video", "qa", "h5", "text")
FORM_LABELS = {"graphic": "图解", "video": "视频/动漫", "qa": "问答", "h5": "H5", "text": "文字"}

INTERP_TITLE_WORDS = ["解读", "图解", "一图读懂", "一图看懂", "问答", "答记者问", "新闻发布会"]
DOC_LABELS = ["相关文件", "原文链接", "政策原文", "文件原文", "相关政策", "查看原文", "原文"]
INTERP_LABELS = ["相关解读", "政策解读", "解读", "图解", "一图读懂", "一图看懂", "问答", "答记者问"]
NO_INTERP_REASONS = ["不予解读", "无需解读", "不需解读", "不作解读", "不进行解读", "暂不解读", "不宜解读"]
DOCNO_LABELS = ("文号", "发文字号", "发文文号", "文件编号")
# names of the 政策解读 and 政策文件 columns (checks/interp and the crawler's budget both look for them)
INTERP_COLUMN_NAMES = ["政策解读", "解读回应", "政策解读回应", "政策解读与回应", "解读与回应", "政策问答"]
DOC_COLUMN_NAMES = ["政策文件", "规范性文件", "行政规范性文件", "政府文件", "本级政策文件", "政府规章", "政府令", "部门文件"]

# 文号: issuer abbreviation, year in any bracket, number, 号. NFKC turns （）［］ into ASCII.
_DOCNO = re.compile(r"([\u4e00-\u9fff]{1,8})\s*[〔\[【(〖]\s*((?:19|20)\d{2})\s*[〕\]】)〗]\s*(?:第\s*)?(\d{1,5})\s*号")
# The part of a 文号 from the year bracket on: scanned first (it starts with a bracket, which the
# regex engine finds fast), since every _DOCNO match contains one.
_DOCNO_CORE = re.compile(r"[〔\[【(〖]\s*(?:19|20)\d{2}\s*[〕\]】)〗]\s*(?:第\s*)?\d{1,5}\s*号")
_DOCNO_LABEL = re.compile(r"^(?:" + "|".join(DOCNO_LABELS) + r")[:：]")
_QUOTED = re.compile(r"《([^《》]{2,120})》")
_WRAPPER = re.compile(r"关于(?:印发|发布|公布|转发|颁布|修订|修改|出台)(.+?)的(?:通知|决定|公告|通告)$")
_QUOTE_CHARS = "“”„‟\"'‘’‚‛「」『』〝〞〟＂＇`´"
_PUNCT_CLASS = re.compile(r"[\s\u3000·•・、，,。．.：:；;！!？?（）()\[\]【】〔〕〈〉<>《》—–\-_~～/|｜+＋*#…]")
_INTERP_DECOR = re.compile(
    r"^(?:[\[【]?(?:图解|一图读懂|一图看懂|一图了解|图说|视频解读|动漫解读|H5解读|H5|文字解读|政策解读|专家解读|"
    r"解读|问答|微视频)[\]】|｜:：丨\s]*)+|(?:的?(?:政策)?解读(?:材料|稿)?|的?图解|问答|答记者问|新闻发布会|的?说明)$")
_SPLIT_SITE = re.compile(r"\s*(?:_|\s-\s|\s—\s|\|)\s*")
_SKIP_AREA = re.compile(r"(^|[\s_-])(nav|menu|header|head|top|footer|foot|bottom|crumb|breadcrumb|position|location|"
                        r"weizhi|dqwz|sitemap|side|sidebar)", re.I)
_CONTENT_HINT = re.compile(r"TRS_Editor|TRS_UEDITOR|Custom_UnionStyle|zoom|content|article|detail|main-?text|"
                           r"xxgk_?con|wzy|con_?text|text_?con|pages_content|ccontent|zw|body-text|bt_content|view",
                           re.I)
_VIDEO_EXT = re.compile(r"\.(?:mp4|flv|m3u8|mov|wmv|avi|webm|mkv|f4v|rmvb|mpg|mpeg)(?:$|[?#'\"\s])", re.I)
_PLAYER = re.compile(r"ckplayer|player\.swf|v\.qq\.com/|player\.youku|youku\.com/embed|player\.bilibili|"
                     r"bilibili\.com/video|ixigua\.com|vod\.|/video/|aliplayer|tcplayer|videojs|prism-player", re.I)
_H5_URL = re.compile(r"(?:^|[/._=-])h5(?:[/._=-]|$)", re.I)
_H5_WORD = re.compile(r"(?<![A-Za-z0-9])[Hh]5(?![A-Za-z0-9])")
_Q_LINE = re.compile(r"^\s*(?:问|提问|Q|记者)\s*[0-9一二三四五六七八九十]*\s*[:：、.．]")
_A_LINE = re.compile(r"^\s*(?:答|A)\s*[:：]")
_ICON = re.compile(r"icon|logo|share|print|close|ewm|qrcode|erweima|btn|button|arrow|dot|line|spacer|blank", re.I)
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article", "dd", "dt",
          "blockquote", "table", "ul", "ol"}
# an attachment (the policy itself as a file) and its name without the extension
_DOC_FILE = re.compile(r"\.(?:docx?|pdf|wps|ofd|xlsx?|et|zip|rar)(?:$|[?#])", re.I)
_FILE_SUFFIX = re.compile(r"\s*[.．]\s*(?:docx?|pdf|wps|ofd|xlsx?|et|zip|rar)\s*$", re.I)
# the site's own navigation: a column name, not a link to one interpretation (解读回应, 政策解读, 部门文件解读)
_NAV_TEXT = re.compile(r"(?:政策|文件|政府文件|部门文件|部门|政府|重要|重大|热点|专家|媒体|图文|视频|权威|最新|更多|本地|"
                       r"省级|市级|县级|区级|国务院|省政府|市政府|县政府)*(?:解读回应|政策解读|解读|图解|问答|回应关切|回应)"
                       r"(?:与回应|和回应|回应|专栏|栏目|信息|材料|列表|专区)?")
# a link slot a script fills, left empty or as a template placeholder: {{url}}, ${url}, <%=url%>
_PLACEHOLDER_HREF = re.compile(r"^\s*$|\{\{|\$\{|<%|%>|\bundefined\b|\bnull\b")
_EMPTY_URL = re.compile(r"\b(?:url|href|link|linkurl|docurl)\s*[:=]\s*(['\"])\1", re.I)
_ANY_URL = re.compile(r"\b(?:url|href|link|linkurl|docurl)\s*[:=]\s*(['\"])(?!\1)", re.I)
_TITLE_FORM = [("video", re.compile(r"视频|动漫|动画|微视频|短视频")), ("h5", _H5_WORD),
               ("graphic", re.compile(r"图解|一图|图说|长图|海报|图文解读|漫画")),
               ("qa", re.compile(r"问答|答记者问|答问|问与答|一问一答|百问|热点问题"))]


# -- text keys ----------------------------------------------------------------------------------
def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


def title_key(s: str) -> str:
    """A comparison key: NFKC, no whitespace, no quotes of any style, no punctuation, lower case."""
    s = nfkc(s)
    s = s.translate({ord(c): None for c in _QUOTE_CHARS})
    return _PUNCT_CLASS.sub("", s).lower()


def unwrap(title: str) -> str:
    """'关于印发《X》的通知' → 'X' (also without the book-title marks); otherwise the title."""
    t = " ".join(nfkc(title).split())
    m = _WRAPPER.search(t)
    if m:
        inner = m.group(1).strip()
        q = _QUOTED.search(inner)
        return q.group(1) if q else inner.strip("《》 ")
    return t


def core_title(title: str) -> str:
    """The policy a title is about: the wrapper and interpretation decorations removed."""
    t = unwrap(title)
    for _ in range(3):
        new = _INTERP_DECOR.sub("", t).strip(" ：:｜|丨-—")
        if new == t:
            break
        t = new
    q = _QUOTED.findall(t)
    if len(q) == 1 and len(title_key(q[0])) >= 4:
        return unwrap(q[0])
    return t


def quoted_titles(text: str) -> list[str]:
    """Titles in 《…》 (each unwrapped), in order, without duplicates by key."""
    out: list[str] = []
    seen: set[str] = set()
    for q in _QUOTED.findall(nfkc(text)):
        for cand in (q, unwrap(q)):
            k = title_key(cand)
            if len(k) >= 4 and k not in seen:
                seen.add(k)
                out.append(cand)
    return out


def article_title(root: etree._Element | None, meta: dict[str, str], html_title: str = "") -> str:
    """ArticleTitle meta, else the page's <h1>, else <title> without the site-name suffix."""
    for k in ("ArticleTitle", "articletitle", "Title"):
        if meta.get(k):
            return " ".join(meta[k].split())
    if root is not None:
        for h in root.iter("h1", "h2"):
            t = text_of(h)
            if len(t) >= 6:
                return t
    parts = [p for p in _SPLIT_SITE.split(html_title or "") if p]
    return max(parts[:1] or [""], key=len)


# -- 文号 ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocNo:
    prefix: str
    year: int
    number: int

    @property
    def text(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.number}号"

    @property
    def normative(self) -> bool:
        """规〔2024〕1号: the issuer marks a 行政规范性文件 by 规 in the 文号."""
        return self.prefix.endswith("规") or "规" in self.prefix[-2:]

    def same(self, other: "DocNo") -> bool:
        if (self.year, self.number) != (other.year, other.number):
            return False
        a, b = sorted((self.prefix, other.prefix), key=len)
        return len(a) >= 2 and b.endswith(a)


def has_doc_number(text: str) -> bool:
    """bool(_DOCNO.search(nfkc(text))), fast: no other character's NFKC form holds 号, a raw-text
    hint (see _docno_hint) rules out most pages, and NFKC never joins characters across a line
    break (so ASCII lines are skipped)."""
    if "号" not in text or not _docno_hint().search(text[::-1]):
        return False
    norm = "\n".join(ln if ln.isascii() else nfkc(ln) for ln in text.split("\n"))
    return bool(_DOCNO_CORE.search(norm)) and bool(_DOCNO.search(norm))


@lru_cache(maxsize=1)
def _docno_hint() -> re.Pattern[str]:
    """What the raw text must hold for its NFKC form to hold a 文号's tail '〕 12 号': a character
    whose NFKC form has a closing bracket, then characters whose NFKC forms are only spaces, 第
    and digits, then 号. (NFKC maps each character on its own here: none of these characters
    composes with a neighbour.) Built once from the Unicode tables (~0.3 s); it reads the text
    reversed, so that the search starts from the literal 号 (fast) rather than a large class."""
    close, mid = [], []
    for cp in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n == c and not (c.isspace() or c.isdecimal() or c in _CLOSE):
            continue
        if any(ch in _CLOSE for ch in n):
            close.append(c)
        if n and _MID.fullmatch(n):
            mid.append(c)
    cls = lambda chars: "".join(re.escape(c) for c in chars)  # noqa: E731
    ascii_mid = "".join(c for c in map(chr, range(0x80)) if _MID.fullmatch(c))
    return re.compile(f"号[{re.escape(ascii_mid)}{cls(mid)}第]*[{re.escape(_CLOSE)}{cls(close)}]")


_CLOSE = "〕]】)〗"
_MID = re.compile(r"[\s第\d]+")


def doc_numbers(text: str) -> list[DocNo]:
    out: list[DocNo] = []
    for m in _DOCNO.finditer(nfkc(text)):
        prefix = m.group(1)
        # keep the issuer abbreviation only: cut the words before it ('根据青政规' → '青政规')
        for cut in ("根据", "按照", "依据", "依照", "印发", "文件", "通知", "号", "《", "》"):
            if cut in prefix:
                prefix = prefix.rsplit(cut, 1)[1]
        # prose words before the issuer ('会议传达了青政规'): cut at a function word, keeping ≥ 2 characters
        for cut in "了将据照是在对把即及和与的按":
            if cut in prefix[:-2]:
                prefix = prefix.rsplit(cut, 1)[1] if len(prefix.rsplit(cut, 1)[1]) >= 2 else prefix
        if prefix:
            d = DocNo(prefix[-6:], int(m.group(2)), int(m.group(3)))
            if d not in out:
                out.append(d)
    return out


# -- content area -------------------------------------------------------------------------------
def _attrs(el: etree._Element) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}"


def _in_skip_area(el: etree._Element) -> bool:
    node = el
    while node is not None and isinstance(node.tag, str):
        if node.tag in ("nav", "header", "footer", "aside") or _SKIP_AREA.search(_attrs(node)):
            return True
        node = node.getparent()
    return False


def content_element(root: etree._Element | None) -> etree._Element | None:
    """The article body: the most specific content-looking container that holds most of the text,
    else the container with the most paragraphs, else <body>."""
    if root is None:
        return None
    body = root.find("body")
    body = body if body is not None else root
    cands = [el for el in body.iter("div", "td", "section", "article", "span")
             if _CONTENT_HINT.search(_attrs(el)) and not _in_skip_area(el)]
    scored = [(el, len(text_of(el)), _media_count(el)) for el in cands]
    scored = [s for s in scored if s[1] >= 10 or s[2]]
    if scored:
        best = max(scored, key=lambda s: (s[1] + 200 * s[2]))
        # descend to a nested candidate that still holds most of the text and media
        for el, n, media in sorted(scored, key=lambda s: s[1]):
            if el is not best[0] and _is_descendant(el, best[0]) and n >= 0.6 * best[1] and media >= best[2]:
                return el
        return best[0]
    counts: dict[Any, int] = {}
    for p in body.iter("p"):
        parent = p.getparent()
        if parent is not None and not _in_skip_area(parent):
            counts[parent] = counts.get(parent, 0) + 1
    if counts:
        return max(counts, key=lambda k: counts[k])
    return body


def _media_count(el: etree._Element) -> int:
    """Content images (icons and buttons left out) and players in an element."""
    return len(_content_images(el)) + sum(1 for _ in el.iter("video", "iframe", "embed", "object"))


def _is_descendant(el: etree._Element, ancestor: etree._Element) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def block_lines(el: etree._Element) -> list[str]:
    """The text of an element split at block boundaries and <br>, each line whitespace-folded."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buf).split())
        if line:
            out.append(line)
        buf.clear()

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript", "template"):
            return
        block = node.tag in _BLOCK
        if block or node.tag == "br":
            flush()
        if node.text:
            buf.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(el)
    flush()
    return out


# -- forms --------------------------------------------------------------------------------------
def _content_images(el: etree._Element) -> list[etree._Element]:
    out = []
    for img in el.iter("img"):
        src = img.get("src") or img.get("data-src") or ""
        if not src or _ICON.search(src) or _ICON.search(img.get("class") or ""):
            continue
        small = [v for v in (img.get("width"), img.get("height")) if v and v.strip().rstrip("px").isdigit()]
        if small and all(int(v.strip().rstrip("px")) < 60 for v in small):
            continue
        out.append(img)
    return out


def classify_form(root: etree._Element | None, title: str = "") -> tuple[str, list[str]]:
    """(form, signals): 'video', 'h5', 'graphic', 'qa' or 'text', and what decided it."""
    el = content_element(root)
    if el is None:
        return _title_form(title) or ("text", [])
    signals: list[str] = []
    # video: an element, a video file, or a known player
    for v in el.iter("video", "embed", "object", "iframe", "source", "a"):
        url = v.get("src") or v.get("data") or v.get("href") or ""
        if v.tag == "video":
            signals.append("<video>")
        elif _VIDEO_EXT.search(url + " "):
            signals.append(f"video file {url}")
        elif v.tag != "a" and _PLAYER.search(url):
            signals.append(f"player embed {url}")
    for s in el.iter("script"):
        body = s.text or ""
        if _PLAYER.search(body) or _VIDEO_EXT.search(body):
            signals.append("video player script")
    if signals:
        return "video", signals[:3]
    # H5: an embedded or linked H5 page
    for v in el.iter("iframe", "a"):
        url = v.get("src") or v.get("href") or ""
        if _H5_URL.search(url.split("?")[0]) or (v.tag == "a" and _H5_WORD.search(text_of(v))):
            signals.append(f"H5 page {url}")
    if signals or _H5_WORD.search(title):
        return "h5", signals[:3] or ["H5 in title"]
    lines = block_lines(el)
    text_len = sum(len(ln) for ln in lines)
    imgs = _content_images(el)
    if imgs and (text_len <= 300 or text_len <= 150 * len(imgs)):
        return "graphic", [f"{len(imgs)} image(s), {text_len} characters of text"]
    qs = sum(1 for ln in lines if _Q_LINE.match(ln))
    ans = sum(1 for ln in lines if _A_LINE.match(ln))
    asked = sum(1 for ln in lines if len(ln) <= 80 and ln.rstrip().endswith(("？", "?")))
    if (qs >= 2 and ans >= 1) or asked >= 3:
        return "qa", [f"{max(qs, asked)} questions, {ans} answers"]
    return _title_form(title) or ("text", [])


def _title_form(title: str) -> tuple[str, list[str]] | None:
    for form, rx in _TITLE_FORM:
        m = rx.search(title or "")
        if m:
            return form, [f"title says {m.group(0)}"]
    return None


# -- labelled links -----------------------------------------------------------------------------
@dataclass
class RelLink:
    url: str
    text: str
    label: str        # the label that marks it ('相关文件', '政策解读' …), or 'title' when the text names it
    static: bool = True  # False: javascript:/empty href (the real link is built by a script)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _preceding_text(a: etree._Element, levels: int = 4, limit: int = 40,
                    memo: dict[etree._Element, str] | None = None) -> str:
    """Up to `limit` characters of text just before an anchor within its enclosing blocks.
    `memo` (element -> its text without links) spares re-reading the siblings that several
    anchors of one page share; it holds the elements, so their proxies stay the same objects."""
    parts: list[str] = []
    node = a
    total = 0
    for _ in range(levels):
        parent = node.getparent()
        if parent is None or not isinstance(parent.tag, str) or parent.tag == "body":
            break
        # read the siblings backwards from the anchor, and stop once `limit` visible characters
        # are in hand: the folded text's last `limit` characters cannot change (a nav list of
        # n links would otherwise cost n² sibling reads)
        rev: list[str] = []
        seen = 0
        for sib in node.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                own = ""
            elif memo is None:
                own = _text_without_links(sib)
            elif sib in memo:
                own = memo[sib]
            else:
                own = memo[sib] = _text_without_links(sib)
            pieces = [sib.tail or "", own]
            rev.extend(pieces)
            seen += sum(len(w) for p in pieces for w in p.split())  # visible characters read
            if seen >= limit:
                break
        else:
            rev.append(parent.text or "")
        chunk = "".join(reversed(rev))
        parts.insert(0, chunk)
        if seen >= limit:
            break
        total += len(chunk.strip())
        node = parent
        if total >= limit:
            break
    return " ".join("".join(parts).split())[-limit:]


def _text_without_links(el: etree._Element) -> str:
    """Text of an element minus the text of the anchors in it (another link's words are no label)."""
    if el.tag in ("a", "area"):
        return " "
    if not any(True for _ in el.iter("a")):
        return text_of(el)
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style"):
            out.append(_text_without_links(child))
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def nearest_label(a: etree._Element, doc_labels: Sequence[str], interp_labels: Sequence[str],
                  memo: dict[etree._Element, str] | None = None) -> tuple[str, str] | None:
    """('doc'|'interp', label) for an anchor: a label in its own text wins, else the label written
    nearest before it in its enclosing blocks ('相关文件：<a>…</a>')."""
    own = " ".join(text_of(a).split())
    best: tuple[int, int, str, str] | None = None
    for kind, labels in (("interp", interp_labels), ("doc", doc_labels)):
        for lab in labels:
            if lab in own:
                cand = (1, len(lab), kind, lab)
                if best is None or cand > best:
                    best = cand
    if best:
        return best[2], best[3]
    before = _preceding_text(a, memo=memo)
    for kind, labels in (("doc", doc_labels), ("interp", interp_labels)):
        for lab in labels:
            pos = before.rfind(lab)
            if pos >= 0:
                cand = (pos + len(lab), len(lab), kind, lab)
                if best is None or cand > best:
                    best = cand
    return (best[2], best[3]) if best else None


# -- one page -----------------------------------------------------------------------------------
@dataclass
class PageFacts:
    url: str
    title: str
    date: str | None = None
    date_source: str | None = None
    doc_numbers: list[str] = field(default_factory=list)        # its own 文号 (documents)
    normative: bool = False                                     # 规〔…〕 in its own 文号
    mentioned_numbers: list[str] = field(default_factory=list)  # 文号 named anywhere in the body
    interp_title: bool = False                                  # the title says 解读/图解/问答 …
    title_keys: list[str] = field(default_factory=list)         # keys of the policy it is / is about
    ref_keys: list[str] = field(default_factory=list)           # keys of policies it names 《…》
    doc_links: list[RelLink] = field(default_factory=list)      # labelled links to a policy document
    interp_links: list[RelLink] = field(default_factory=list)   # labelled links to interpretations
    named_doc_unlinked: str | None = None      # a document label with no static link, likely built by JS
    named_interp_unlinked: str | None = None
    named_doc_text: str | None = None          # 相关文件：《X》 written as plain text, no link at all
    named_interp_text: str | None = None
    no_interp_reason: str | None = None
    form: str = "text"
    form_signals: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d


def page_facts(root: etree._Element | None, url: str, meta: dict[str, str] | None = None, html_title: str = "",
               *, interp_words: Sequence[str] = INTERP_TITLE_WORDS, doc_labels: Sequence[str] = DOC_LABELS,
               interp_labels: Sequence[str] = INTERP_LABELS,
               no_interp_reasons: Sequence[str] = NO_INTERP_REASONS) -> PageFacts:
    """Everything the interp.* rules need from one page."""

    meta = meta if meta is not None else meta_tags(root)
    title = article_title(root, meta, html_title)
    facts = PageFacts(url=url, title=title)
    facts.interp_title = is_interp_title(title, interp_words)
    if root is None:
        return facts
    pd = publish_date(root, meta=meta)
    if pd is not None:
        facts.date, facts.date_source = pd.date.isoformat(), pd.source
    body = root.find("body")
    body = body if body is not None else root
    content = content_element(root)
    lines = block_lines(body)
    # own 文号: a labelled field, a line that is only a 文号, or the title
    own: list[DocNo] = []
    for ln in lines:
        if "号" not in ln:
            continue
        n = nfkc(ln)
        nums = doc_numbers(n)
        if not nums:
            continue
        labelled = bool(_DOCNO_LABEL.match(n.replace(" ", "")))
        if labelled or len(title_key(n)) <= len(title_key(nums[0].text)) + 2:
            own.extend(x for x in nums if x not in own)
    if not facts.interp_title:
        own.extend(x for x in doc_numbers(title) if x not in own)
    if facts.interp_title:
        own = []  # an interpretation quotes its document's 文号; it has none of its own
    facts.doc_numbers = [d.text for d in own]
    facts.normative = any(d.normative for d in own)
    text = "\n".join(lines)
    facts.mentioned_numbers = [d.text for d in doc_numbers(text) if d not in own][:20]
    # keys
    core = core_title(title)
    facts.title_keys = _keys([core, unwrap(title)] + ([] if facts.interp_title else [title]))
    head = "\n".join(block_lines(content)[:6]) if content is not None else ""
    facts.ref_keys = _keys(quoted_titles(title) + quoted_titles(head))
    # labelled links
    memo: dict[etree._Element, str] = {}  # sibling texts, shared by the anchors of one block
    for a in body.iter("a", "area"):
        if _in_skip_area(a):
            continue
        href = (a.get("href") or "").strip()
        text_a = " ".join(text_of(a).split())
        if _PLACEHOLDER_HREF.search(href) and not text_a or "{{" in href or "${" in href or "<%" in href:
            continue  # a slot a script would fill: no link
        if is_nav_text(text_a):
            continue  # the site's 政策解读 / 解读回应 column, not this page's interpretation
        static = bool(href) and not href.lower().startswith(("javascript:", "#", "mailto:"))
        target = absolute(url, href) if static else None
        if static and not target:
            continue
        found = nearest_label(a, doc_labels, interp_labels, memo)
        if found is None and content is not None and _is_descendant(a, content) and (
                _QUOTED.search(nfkc(text_a)) or doc_numbers(text_a)):
            found = ("doc", "title")
        if found is None and static and _DOC_FILE.search(href) and _named_like(text_a, facts.title_keys + facts.ref_keys):
            found = ("doc", "attachment")  # the policy itself as an attachment: …应急预案.docx
        if found and found[0] == "doc":
            facts.doc_links.append(RelLink(target or href, text_a, found[1], static))
        elif found:
            facts.interp_links.append(RelLink(target or href, text_a, found[1], static))
    # a label with no static link: built by a script (the label is in a script, its anchor has no
    # real href, or the label stands alone with an empty place after it), or written as plain text
    scripts = " ".join(s.text or "" for s in body.iter("script"))
    if _EMPTY_URL.search(scripts) and not _ANY_URL.search(scripts):
        scripts = ""  # the script's related-file slots are all empty (url: ""): it links nothing
    visible = " ".join(lines)
    if not any(ln.static for ln in facts.doc_links):
        js, text_only = _unlinked_label(lines, scripts, [x for x in doc_labels if x != "原文"],
                                        any(not ln.static for ln in facts.doc_links))
        facts.named_doc_unlinked, facts.named_doc_text = js, text_only
    if not any(ln.static for ln in facts.interp_links):
        js, text_only = _unlinked_label(lines, scripts, ["相关解读", "解读材料", "政策解读"],
                                        any(not ln.static for ln in facts.interp_links))
        facts.named_interp_unlinked, facts.named_interp_text = js, text_only
    for reason in no_interp_reasons:
        if reason in visible:
            i = visible.index(reason)
            facts.no_interp_reason = visible[max(0, i - 30): i + 30]
            break
    facts.form, facts.form_signals = classify_form(root, title)
    return facts


def is_nav_text(text: str) -> bool:
    """A column name of the site's navigation (政策解读, 解读回应, 部门文件解读 …), not a title."""
    t = _PUNCT_CLASS.sub("", nfkc(text or ""))
    return 2 <= len(t) <= 10 and bool(_NAV_TEXT.fullmatch(t))


def attachment_key(text: str) -> str:
    """The comparison key of an attachment's name: '…应急预案 .docx' → key of '…应急预案'."""
    return title_key(_FILE_SUFFIX.sub("", nfkc(text or "")))


def _named_like(text: str, keys: Sequence[str]) -> bool:
    """An attachment named like the policy the page is about (one name holds the other)."""
    k = attachment_key(text)
    if len(k) < 6:
        return False
    k2 = title_key(core_title(_FILE_SUFFIX.sub("", nfkc(text))))
    return any(len(x) >= 6 and (x in k or k in x or x == k2) for x in keys)


def is_interp_title(title: str, words: Sequence[str] = INTERP_TITLE_WORDS) -> bool:
    """The title says 解读/图解/问答 … outside the quoted policy title (关于印发《解读工作办法》的通知
    is a document, not an interpretation)."""
    bare = bare_title(title)
    return any(w in bare for w in words)


def bare_title(title: str) -> str:
    """The title without the quoted policy titles 《…》 in it."""
    return _QUOTED.sub("", nfkc(title))


def _unlinked_label(lines: list[str], scripts: str, labels: Sequence[str],
                    dead_anchor: bool) -> tuple[str | None, str | None]:
    """(label that looks script-built, text named after a label without any link)."""
    for lab in labels:
        if lab in scripts:
            return lab, None
    for ln in lines:
        m = re.match(rf"^\s*(?:【)?({'|'.join(map(re.escape, labels))})(?:】)?\s*[:：]\s*(.*)$", ln)
        if not m:
            continue
        rest = _PUNCT_CLASS.sub("", m.group(2))
        if dead_anchor or not rest:
            return m.group(1), None
        return None, m.group(2)[:120]
    if dead_anchor:
        return labels[0] if labels else None, None
    return None, None


def _keys(titles: Iterable[str]) -> list[str]:
    out: list[str] = []
    for t in titles:
        k = title_key(t)
        if len(k) >= 4 and k not in out:
            out.append(k)
    return out


_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp)$", re.I)


def file_facts(url: str, title: str, date: str | None, content_type: str = "", column: str | None = None) -> PageFacts:
    """An interpretation published as a file (an image, a PDF, a video) and listed in the column:
    what its list entry says. An image is 图解, a video file 视频; a document file counts as text."""
    path = url.split("?")[0]
    ctype = (content_type or "").lower()
    if _IMAGE_EXT.search(path) or ctype.startswith("image/"):
        form, sig = "graphic", [f"image file {path.rsplit('/', 1)[-1]}"]
    elif _VIDEO_EXT.search(path + " ") or ctype.startswith("video/"):
        form, sig = "video", [f"video file {path.rsplit('/', 1)[-1]}"]
    else:
        form, sig = (_title_form(title) or ("text", [f"file {path.rsplit('/', 1)[-1]}"]))
    return PageFacts(url=url, title=title, date=date, date_source=f"list:{column}" if date and column else None,
                     interp_title=True, title_keys=_keys([core_title(title)]), ref_keys=_keys(quoted_titles(title)),
                     form=form, form_signals=sig)


def interp_keys(interp: PageFacts) -> set[str]:
    """The title keys an interpretation names: its own core title, quoted titles, linked titles."""
    keys = set(interp.ref_keys) | set(interp.title_keys)
    for ln in interp.doc_links:
        text = _FILE_SUFFIX.sub("", nfkc(ln.text))  # an attachment's name without its .docx
        keys |= {k for k in (title_key(text), title_key(unwrap(text)), title_key(core_title(text))) if len(k) >= 4}
    return keys


def pair_by_title(interp: PageFacts, doc: PageFacts) -> str | None:
    """'title' when the interpretation names the document's title, 'docno' when it names its 文号."""
    if set(doc.title_keys) & interp_keys(interp):
        return "title"
    own = [d for t in doc.doc_numbers for d in doc_numbers(t)]
    named = [d for t in interp.mentioned_numbers for d in doc_numbers(t)]
    if any(a.same(b) for a in own for b in named):
        return "docno"
    return None


def inspect_interp(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect interp FILE_OR_URL`: what the interpretation extractor sees on one page."""

    v = view_page(data, url, content_type)
    f = page_facts(v.root, url, v.meta, v.title)
    d = f.to_dict()
    d["form_label"] = FORM_LABELS[f.form]
    d["core_title"] = core_title(f.title)
    return d
