"""What a link leads to, by its text and URL: the classes the crawl budget is spent on first.

A crawl of a real portal (100,000 pages) always hits `max_pages`; what it fetched decides what the
rules can judge. The crawler asks this module which class a link target belongs to and fetches the
classes the rules look at first (home page, the disclosure platform and its sub-columns, column list
pages, the guide, annual reports, interpretations and their policies, interaction and request pages)
before articles and deep archives. The same classes say, after a partial crawl, which kinds of page
were left unreached (checks/coverage.py), so the vocabularies are the ones the checks use to find
these pages (extract.columns patterns, extract.interp labels and column names).
"""
from __future__ import annotations

import re
from typing import Mapping

from govaudit.extract.columns import DEFAULT_PATTERNS, match_label, normalize_label
from govaudit.extract.interact import CHANNEL_NAMES
from govaudit.extract.interp import DOC_COLUMN_NAMES, DOC_LABELS, INTERP_COLUMN_NAMES, INTERP_LABELS, INTERP_TITLE_WORDS

# Classes, most wanted first, and the Scrapy request priority of each (higher is fetched sooner).
# Articles and everything else keep the breadth-first order by depth below all of them.
PRIORITY: dict[str, int] = {
    "home": 1000,
    "platform": 900,
    "subcolumn": 850,     # guide/system/statutory/annual/request columns of the platform
    "guide": 800,
    "annual": 750,        # annual reports (年报) and their attachments
    "interp": 700,        # 政策解读 column and interpretations
    "policy": 690,        # 政策文件 column and the documents interpretations link
    "interaction": 650,   # 互动交流, 依申请公开, 信箱 …
    "column": 600,        # other column list pages (first page)
    "message": 300,       # later list pages and message pages of an interaction column (capped: max_message_pages)
    "article": 0,
    "archive": -100,      # pagination beyond the first page of a list, calendars, search results
}
WANTED = tuple(c for c, p in PRIORITY.items() if p > 0 and c != "home")

_COMPILED = {k: [re.compile(p) for p in v] for k, v in DEFAULT_PATTERNS.items()}
_SUBCOLUMN_KEYS = ("guide", "system", "statutory", "annual", "request")
_ANNUAL_TEXT = re.compile(r"(?:19|20|[一二〇零○]{2})[\d一二三四五六七八九〇零○]{2}\s*年?度?.{0,20}(?:年度报告|年报)"
                          r"|(?:信息公开|政务公开).{0,6}(?:年度报告|年报)")
_GUIDE_TEXT = re.compile(r"公开指南")
_INTERP_TEXT = re.compile("|".join(map(re.escape, sorted({*INTERP_LABELS, *INTERP_TITLE_WORDS}, key=len, reverse=True))))
_INTERP_COLUMN = re.compile("|".join(map(re.escape, INTERP_COLUMN_NAMES)))
_DOC_COLUMN = re.compile("|".join(map(re.escape, DOC_COLUMN_NAMES)))
_DOC_LABEL = re.compile("^(?:" + "|".join(map(re.escape, DOC_LABELS)) + ")")
# interaction channels (the interaction rules' vocabulary) and the request (依申请公开) pages
_INTERACTION = re.compile("|".join((*CHANNEL_NAMES, "互动", "交流", "征集", "调查", "建议", "政民", "依申请", "申请公开")))
_PAGINATION_TEXT = re.compile(r"^(?:上一?页|下一?页|尾页|末页|首页|前页|后页|\d{1,4}|第\d+页|\.\.\.|…|>>?|<<?|»|«)$")
_PAGINATION_URL = re.compile(r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageno|pageindex|p|pn|curpage)=\d+", re.I)
_ARCHIVE_URL = re.compile(r"[?&](?:date|year|month|day|keyword|q|searchword|sort|order)=", re.I)
_COLUMN_URL = re.compile(r"/(?:index|list|default)?\.s?html?$|/$|/(?:index|list)\.(?:jsp|php|aspx?)$", re.I)
# every default column pattern (extract.columns) contains one of these: a cheap test first, since
# most links are article titles that no pattern matches (match_label runs ~30 regular expressions)
_COLUMN_WORDS = re.compile(r"公开|年报|报告")
# what stands behind the 依申请公开 entry (request.channel reads it): fetched as interaction pages
_REQUEST_BEHIND = re.compile(r"在线申请|网上申请|申请表|申请须知")
MAX_COLUMN_LABEL = 12   # longer link texts are article titles, not columns (column.blank's default)

# children of a page of class K take class K.get(…) when their own text says nothing better
_INHERIT = {"platform": "column", "subcolumn": "column", "guide": "guide", "annual": "annual",
            "interp": "interp", "policy": "policy", "interaction": "message", "message": "message"}
# classes whose later list pages are read by the rules (the interaction rules read every message)
_PAGED = ("guide", "annual", "interp", "policy")


def classify(text: str, url: str, parent: str | None = None,
             patterns: Mapping[str, list[re.Pattern[str]]] | None = None) -> str:
    """The class of a link target (a key of PRIORITY) from its anchor text, its URL and the class
    of the page it was found on (the items of the 政策解读 list are interpretations …)."""
    label = normalize_label(text or "")
    pats = patterns or _COMPILED
    path = url.split("#", 1)[0]
    if label and _PAGINATION_TEXT.match(label) or _PAGINATION_URL.search(path):
        # the interp/policy/report rules read a column's later list pages too, the interaction rules
        # every page of a letter list (class "message", capped); other lists: first page only
        if parent in ("interaction", "message"):
            return "message"
        return parent if parent in _PAGED else "archive"
    if _ARCHIVE_URL.search(path):
        return "archive"
    if label and len(label) <= 40 and _COLUMN_WORDS.search(label):
        m = match_label(label, pats, ("platform",))
        if m is not None:
            return "platform"
        m = match_label(label, pats, _SUBCOLUMN_KEYS)
        if m is not None:
            return "guide" if m[0] == "guide" else "annual" if m[0] == "annual" else "subcolumn"
    if _GUIDE_TEXT.search(label):
        return "guide"
    if _ANNUAL_TEXT.search(label):
        return "annual"
    short = 0 < len(label) <= MAX_COLUMN_LABEL
    if short and _INTERP_COLUMN.search(label):
        return "interp"
    if short and _DOC_COLUMN.search(label):
        return "policy"
    if parent == "interp" and _DOC_LABEL.match(label):
        return "policy"
    if short and _REQUEST_BEHIND.search(label):
        return "interaction"
    if _INTERP_TEXT.search(label):
        return "interp"
    if short and _INTERACTION.search(label) and (parent not in ("interaction", "message") or _COLUMN_URL.search(path)):
        # under an interaction column a short 咨询/留言 title is a letter unless it links a column page
        return "interaction"
    inherited = _INHERIT.get(parent or "")
    if inherited in (*_PAGED, "message"):
        return inherited   # an item of the guide/年报/解读/文件 column, a letter of an interaction column
    if short and (parent in (None, "home") or _COLUMN_URL.search(path)):
        return "column"
    return "article"


def priority(cls: str, depth: int) -> int:
    """Scrapy request priority: the class first, then breadth-first (shallower sooner)."""
    return PRIORITY.get(cls, 0) * 100 - depth
