"""Vocabularies shared by link.illegal, link.hidden and content.illegal-text, and their matching.

The defaults live in link.illegal's RULE.defaults (config/rules.yaml `link.illegal:` overrides
them); the other rules read them from there so that one list is maintained.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from govaudit.urls import in_domains

# Phrases that have no ordinary use on a government page (gambling brands, porn, fake invoices,
# private game servers). Deliberately phrases, not single words: 成人 alone is 成人教育, 色情 alone
# is 打击淫秽色情 in enforcement news.
ILLEGAL_TERMS = [
    # gambling
    "澳门赌场", "网上赌场", "在线赌场", "赌场网站", "娱乐城", "真人娱乐", "真人视讯", "百家乐", "六合彩",
    "时时彩", "北京赛车pk10", "博彩网", "博彩公司", "线上博彩", "体育投注", "足球投注", "网上投注",
    "棋牌游戏平台", "开元棋牌", "皇冠体育", "皇冠足球", "葡京娱乐", "威尼斯人娱乐", "金沙娱乐", "银河娱乐",
    "太阳城娱乐", "永利娱乐", "亚博体育", "开云体育", "乐鱼体育", "九游娱乐", "万博体育", "bob体育",
    "bet365", "365bet", "beat365", "bet9", "bwin", "188bet", "12bet", "dafabet", "bet007", "ag真人", "老虎机",
    "电子游艺", "捕鱼游戏", "注册送彩金", "首存送", "彩金",
    # pornography
    "成人视频", "成人影院", "成人电影", "成人网站", "成人直播", "色情视频", "色情网站", "黄色网站",
    "黄色视频", "免费黄片", "av女优", "无码av", "一夜情", "裸聊", "约炮", "援交", "午夜福利",
    # fake invoices, private servers, other spam
    "代开发票", "代开增值税发票", "代开各类发票", "发票代开", "开发票联系", "传奇私服", "私服发布",
    "魔域私服", "私服网", "办证刻章", "代办证件", "枪支出售", "迷药", "高仿手表",
]
# Tokens in a host name that mark a gambling/porn host (bet365-style brands and pinyin).
HOST_TOKENS = ["bet365", "365bet", "beat365", "bet9", "188bet", "12bet", "dafabet", "bwin", "casino",
               "porn", "xvideos", "xhamster", "bocai", "duchang", "yulecheng", "liuhecai", "baijiale",
               "amxpj", "hg0088", "sbobet"]  # no short tokens: 'lebo' is in celebook, 'kaiyun' a company name
# Words around a match that show a page reports on enforcement or warns, not advertises.
CONTEXT_WORDS = ["打击", "整治", "查处", "严禁", "取缔", "依法", "违法", "非法", "专项行动", "警惕", "谨防",
                 "举报", "案件", "犯罪", "抓获", "判处", "禁止", "清理", "防范", "诈骗", "涉赌", "涉黄"]
# Domains that are never a 暗链 target: gov.cn plus the badge, filing and statistics hosts every
# portal links, and the government CMS vendors whose templates carry a hidden "Produced By" link
# (大汉 hanweb: <a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络</a>).
ALLOW_DOMAINS = ["gov.cn", "conac.cn", "beian.gov.cn", "miit.gov.cn", "12377.cn", "cyberpolice.cn",
                 "cnzz.com", "51.la", "hm.baidu.com", "ucap.com.cn", "mps.gov.cn", "12345.gov.cn",
                 "hanweb.com", "trs.com.cn", "trs.cn", "foundersoft.com", "jcms.cn",
                 "kaipuyun.cn", "121.43.68.40"]  # 我为政府网站找错 (jiucuo) widget host


@lru_cache(maxsize=64)
def _terms_re(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    terms = tuple(t for t in terms if t)
    if not terms:
        return None
    parts = []
    for t in sorted(set(terms), key=len, reverse=True):
        p = re.escape(t)
        if t.isascii() and t[:1].isalnum():
            p = r"(?<![a-z0-9])" + p + r"(?![a-z0-9])" if len(t) <= 5 else p
        parts.append(p)
    return re.compile("|".join(parts), re.I)


def find_terms(text: str, terms: Iterable[str]) -> list[tuple[str, int]]:
    """(term as written, position) for every vocabulary term in text."""
    if not text:
        return []
    key = _key(terms)
    rx = _terms_re(key)
    if rx is None:
        return []
    if len(text) <= _SHORT:  # anchor texts and titles: the same few thousand, matched millions of times
        hits = _SHORT_HITS.setdefault(rx, {})
        found = hits.get(text)
        if found is None:
            if len(hits) >= _SHORT_MAX:
                hits.clear()
            found = hits[text] = tuple((m.group(0), m.start()) for m in rx.finditer(text))
        return list(found)
    # page texts: the alternation costs ~100 branch attempts per character, so first an exact
    # pre-test — a match under re.I implies the lower-cased term in the lower-cased text, unless
    # the text holds one of the four non-ASCII letters re.I equates with an ASCII one
    pre = _lowered(key)
    if pre is not None and not any(c in text for c in _ODD_CASE) and pre.search(text.lower()) is None:
        return []
    return [(m.group(0), m.start()) for m in rx.finditer(text)]


_SHORT, _SHORT_MAX = 256, 1 << 16
_SHORT_HITS: dict[re.Pattern[str], dict[str, tuple[tuple[str, int], ...]]] = {}
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K: re.I matches them to i, i, s, k
_LAST_KEY: list[Any] = [None, ()]


def _key(terms: Iterable[str]) -> tuple[str, ...]:
    """The terms as a tuple; the callers pass the same (never mutated) list millions of times."""
    if isinstance(terms, tuple):
        return terms
    if _LAST_KEY[0] is terms and len(_LAST_KEY[1]) == len(terms):  # type: ignore[arg-type]
        return _LAST_KEY[1]
    key = tuple(terms)
    _LAST_KEY[:] = [terms, key]
    return key


@lru_cache(maxsize=64)
def _lowered(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """The terms lower-cased, as one plain alternation for the pre-test; None (no pre-test) when a
    term holds a non-ASCII cased character, whose re.I equivalents are not all its lower case."""
    terms = tuple(t for t in terms if t)
    if not terms or any(not c.isascii() and (c.lower() != c or c.upper() != c) for t in terms for c in t):
        return None
    low = sorted(dict.fromkeys(t.lower() for t in terms), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in low))


def in_context(text: str, pos: int, words: Iterable[str], span: int = 40) -> str | None:
    """The enforcement/warning word near position pos, if any."""
    window = text[max(0, pos - span): pos + span]
    for w in words:
        if w in window:
            return w
    return None


def host_flag(host: str, blocked_hosts: Iterable[str], tokens: Iterable[str]) -> str | None:
    """Why a host is an illegal-content host (blocklist entry or brand token), or None."""
    return _host_flag((host or "").lower(), tuple(blocked_hosts), tuple(tokens))


@lru_cache(maxsize=65536)
def _host_flag(host: str, blocked: tuple[str, ...], tokens: tuple[str, ...]) -> str | None:
    if not host:
        return None
    if blocked and in_domains(host, blocked):
        return "blocklisted host"
    for t in tokens:
        if t and t.lower() in host:
            return f"host contains '{t}'"
    return None


def allowed(host: str, own: Iterable[str], allow: Iterable[str]) -> bool:
    """Is a host the unit's own or allowlisted (suffix match)?"""
    host = (host or "").lower()
    return in_domains(host, list(own)) or in_domains(host, list(allow))


def snippet(text: str, pos: int, span: int = 40) -> str:
    return text[max(0, pos - span): pos + span].replace("\n", " ")
