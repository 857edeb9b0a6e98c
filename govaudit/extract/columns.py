"""The disclosure platform and its columns: which link is which column, by normalised label.

Labels on real sites are split by <br>, wrapped in <em>/<div>, padded with icons and "·",
abbreviated (年报) or varied (政府信息公开年度报告, 信息公开指南). `normalize_label` folds
whitespace, full-width forms and decoration; `match_label` tries the configured regular
expressions (full match on the normalised label), in order, so that the first pattern of a
key is its canonical form. Link texts come from the stored `links` table or from
`govaudit.extract.links.extract_links` (comments are not links, so a malformed comment hides
exactly what a browser hides).

Also here: the freshness class of a column by its name (动态/要闻 14 days …) and the main
content of a page outside navigation/header/footer (to tell a blank column from a page of text).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping, Sequence

from lxml import etree

from govaudit.extract.dates import normalize_digits
from govaudit.extract.html import text_of
from govaudit.extract.links import extract_links

# A link text that names the disclosure platform (the crawler follows such links off-site from the home page)
PLATFORM_TEXT = re.compile(r"政府信息公开|政务公开|信息公开")

# key -> regular expressions (full match on the normalised label), canonical first
DEFAULT_PATTERNS: dict[str, list[str]] = {
    "platform": [r"政府信息公开", r"政务公开", r"信息公开", r"(?:政府|政务)?信息公开(?:专栏|平台|栏目|网|目录)",
                 r"政务公开(?:专栏|平台|栏目)", r".{1,12}(?:政府|局|委|办|院)信息公开(?:专栏|平台)?"],
    "guide": [r"政府信息公开指南", r"(?:政务|政府)?信息公开(?:工作)?指南|政务公开(?:工作)?指南", r"公开指南",
              r".{1,20}政府信息公开指南(?:\(\d{4}年?(?:版|修订)?\))?"],
    "system": [r"政府信息公开制度", r"(?:(?:政务|政府)?信息|政务)公开(?:工作)?(?:制度|规定|办法|管理制度)", r"公开制度"],
    "statutory": [r"法定主动公开内容", r"法定(?:主动)?公开(?:内容|信息|目录)?", r"主动公开(?:内容|信息|目录)",
                  r"(?:政府)?信息公开目录"],
    "annual": [r"政府信息公开年报", r"(?:(?:政务|政府)?信息|政务)公开(?:工作)?(?:年度)?(?:报告|年报)", r"(?:公开)?年报",
               r"(?:政府信息公开)?年度报告"],
    "request": [r"依申请公开", r"依申请公开(?:信息|目录|平台)?", r"申请公开",
                # request.channel: the entry as 集约化 platforms and TRS/大汉 portals label it
                r"依申请公开(?:专栏|栏目|入口|系统|服务|申请|须知|指南|办理)", r"(?:政府)?信息公开(?:网上|在线)?申请(?:平台|系统|入口)?"],
}
SUBCOLUMNS = ("guide", "system", "statutory", "annual")
CANONICAL = {"platform": "政府信息公开", "guide": "政府信息公开指南", "system": "政府信息公开制度",
             "statutory": "法定主动公开内容", "annual": "政府信息公开年报", "request": "依申请公开"}

_DECOR = re.compile(r"[\s\u200b\ufeff·•●○■□◆◇►▶▸>》»«<《|｜/\\\-—_:：、,，.。!！?？\"'“”‘’()（）\[\]【】]+")
_MORE = re.compile(r"^(?:更多|more|MORE|More|查看更多|进入)$")


def normalize_label(text: str) -> str:
    """Fold a link text to its bare words: 政府信息<br>公开指南 → 政府信息公开指南, ·机构职责 → 机构职责."""
    s = normalize_digits(text or "")
    s = s.replace("（", "(").replace("）", ")")
    s = re.sub(r"(?:更多|more)\s*(?:>>|»|>)*\s*$", "", s, flags=re.I)
    return _DECOR.sub("", s)


def compile_patterns(patterns: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[re.Pattern[str]]]:
    pats = dict(DEFAULT_PATTERNS)
    pats.update({k: list(v) for k, v in (patterns or {}).items() if v})
    return {k: [re.compile(p) for p in v] for k, v in pats.items()}


def match_label(label: str, patterns: Mapping[str, Sequence[re.Pattern[str]]],
                keys: Iterable[str] | None = None) -> tuple[str, int] | None:
    """(key, pattern rank) of the first key whose patterns fully match the normalised label."""
    norm = normalize_label(label)
    if not norm or len(norm) > 40:
        return None
    best: tuple[str, int] | None = None
    for key in (keys or patterns):
        for rank, rx in enumerate(patterns.get(key, ())):
            if rx.fullmatch(norm):
                if best is None or rank < best[1]:
                    best = (key, rank)
                break
    return best


@dataclass
class ColumnHit:
    key: str
    label: str          # as written (folded whitespace)
    url: str
    source: str         # page the link was found on, or "config" for pinned columns
    how: str            # "link" | "pinned"
    rank: int = 0       # pattern rank (0 = canonical name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_columns(links: Iterable[tuple[str, str]], source: str, patterns: Mapping[str, Sequence[re.Pattern[str]]],
                 keys: Iterable[str] | None = None) -> dict[str, list[ColumnHit]]:
    """Column links among (url, text) pairs: key -> hits, best (lowest rank, shortest label) first."""
    keys = list(keys or patterns)
    out: dict[str, list[ColumnHit]] = {}
    for url, text in links:
        if not url or not url.lower().startswith(("http://", "https://", "file:")):
            continue
        m = match_label(text, patterns, keys)
        if m is None:
            continue
        hit = ColumnHit(m[0], " ".join((text or "").split()), url, source, "link", m[1])
        hits = out.setdefault(m[0], [])
        same = next((i for i, h in enumerate(hits) if h.url == url), None)
        if same is None:
            hits.append(hit)
        elif hit.rank < hits[same].rank:
            hits[same] = hit
    for hits in out.values():
        hits.sort(key=lambda h: (h.rank, len(normalize_label(h.label))))
    return out


def page_links(root: etree._Element | None, page_url: str) -> list[tuple[str, str]]:
    """(url, text) of the <a>/<area> links of a page (comments excluded by the parser)."""

    return [(ln.url.split("#")[0] if ln.url.startswith("http") else ln.url, ln.text)
            for ln in extract_links(root, page_url) if ln.tag in ("a", "area")]


def columns_on_page(root: etree._Element | None, page_url: str,
                    patterns: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[ColumnHit]]:
    return find_columns(page_links(root, page_url), page_url, compile_patterns(patterns))


# -- freshness classes ------------------------------------------------------------------------
DEFAULT_CLASSES: dict[str, dict[str, Any]] = {
    "dynamic": {"patterns": ["动态", "要闻", "新闻", "工作信息", "政务信息", "时政", "头条", "快讯"], "days": 14},
    "notice": {"patterns": ["通知公告", "公告", "通知", "公示", "政策文件", "规范性文件", "文件"], "days": 183},
    "yearly": {"patterns": ["人事", "任免", "规划", "计划", "招考", "招聘", "招录"], "days": 365},
    # days 0: names that are not judged even though they contain a pattern above (新闻发布会 is not 新闻)
    "exempt": {"patterns": ["新闻发布会", "发布会", "政策解读", "解读"], "days": 0},
}


def freshness_class(label: str, classes: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[str, int, str] | None:
    """(class, days allowed, the pattern that matched) for a column name; the longest matching
    pattern wins (新闻发布会 is exempt, not 新闻). None when no class applies or the best match is
    a class with 0 days."""
    norm = normalize_label(label)
    best: tuple[str, int, str] | None = None
    for name, spec in (classes or DEFAULT_CLASSES).items():
        days = int(spec.get("days") or 0)
        for pat in spec.get("patterns", []):
            if pat and pat in norm and (best is None or len(pat) > len(best[2])):
                best = (name, days, pat)
    return best if best is not None and best[1] > 0 else None


# -- main content of a page -------------------------------------------------------------------
_CHROME = re.compile(r"(^|[-_\s])(nav|navs|navbar|menu|header|head|footer|foot|top|topbar|banner|logo|breadcrumb|"
                     r"crumbs?|position|location|dhlm|yqlj|friend|share|toolbar|copyright|search)([-_\s\d]|$)", re.I)
_SKIP = {"script", "style", "noscript", "template", "head", "select", "option", "form", "button", "input"}


def is_chrome(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    if el.tag in ("nav", "header", "footer"):
        return True
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(marks.strip()) and bool(_CHROME.search(marks))


def main_content(root: etree._Element | None) -> tuple[str, list[tuple[str, str]]]:
    """(text, [(href, text) of links]) of the page body outside navigation, header, footer and forms."""
    if root is None:
        return "", []
    body = root.find("body")
    body = body if body is not None else root
    texts: list[str] = []
    links: list[tuple[str, str]] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in _SKIP or (node is not body and is_chrome(node)):
            return
        if node.text:
            texts.append(node.text)
        if node.tag == "a" and node.get("href"):
            links.append((node.get("href") or "", text_of(node)))
        for child in node:
            walk(child)
            if child.tail:
                texts.append(child.tail)

    walk(body)
    return " ".join(" ".join(texts).split()), links


__all__ = ["DEFAULT_PATTERNS", "SUBCOLUMNS", "CANONICAL", "ColumnHit", "normalize_label", "compile_patterns",
           "match_label", "find_columns", "page_links", "columns_on_page", "DEFAULT_CLASSES", "freshness_class",
           "main_content", "is_chrome"]
