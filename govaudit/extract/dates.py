"""Dates as Chinese government sites write them, and the publish date of an article page.

Stable API (other extractors and rules rely on it):

- `normalize_digits(s)`: full-width digits and punctuation to ASCII.
- `find_dates(text)`: every date in a string, as `DateMatch` (year may be unknown for `[03-05]`).
- `parse_date(s, today=None, neighbours=())`: the first date of a string as `datetime.date`;
  a year-less date gets its year from the neighbours (dates around it) or the crawl date.
- `infer_years(matches, today)`: the dates of a list in order, year-less ones resolved.
- `publish_date(root, text="", meta=None)`: an article's publish date and where it came from
  (`PublishDate`): publish meta tags first (PubDate, firstpublishedtime …), then visible labels
  (发布日期, 发布时间, 日期 …). Never HTTP headers, never attributes (a template's stale
  `alt="时间：…"` is not visible text), never page-generation stamps.

Formats: 2024-03-05, 2024/3/5, 2024.03.05, 2024年3月5日, 2024 年 3 月 5 日, 二〇二四年三月五日,
20240305 (whole string only), full-width digits, the same with a time (14:30, 14:30:05,
2007-08-20-23:59:59), and year-less 03-05, [03-05], 3月5日.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence
from govaudit.extract.html import document_text
from govaudit.extract.page import meta_tags

_FW = {ord("０") + i: ord("0") + i for i in range(10)}
_FW.update({ord("－"): "-", ord("／"): "/", ord("．"): ".", ord("："): ":", ord("［"): "[", ord("］"): "]",
            ord("（"): "(", ord("）"): ")", ord("\u3000"): " ", ord("\xa0"): " ", ord("—"): "-",
            ord("–"): "-", ord("―"): "-", ord("【"): "[", ord("】"): "]"})
_FW_PAIRS = tuple((chr(k), chr(v) if isinstance(v, int) else v) for k, v in _FW.items())  # all 1 → 1, to ASCII

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

MIN_YEAR, MAX_YEAR = 1949, 2100

_TIME = r"(?:[\sT日-]*(?P<h>[01]?\d|2[0-3])[:时](?P<mi>[0-5]\d)分?(?::(?P<s>[0-5]\d)秒?)?)?"
_FULL = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d\d)\s*(?:(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日?)(?!\d)" + _TIME)
_CN_FULL = re.compile(r"(?P<y>[〇○零一二三四五六七八九OＯ]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
                      r"(?P<d>[一二三四五六七八九十]{1,3})日")
_PARTIAL = re.compile(
    r"(?<![\d./年-])(?:(?P<m>[01]?\d)\s*月\s*(?P<d>[0-3]?\d)\s*日|(?P<m2>[01]\d)-(?P<d2>[0-3]\d))(?![\d./-])"
    + _TIME)
_COMPACT = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)(?:\s*(\d\d):?(\d\d)(?::?(\d\d))?)?\s*$")


@dataclass(frozen=True)
class DateMatch:
    """One date found in a string; `year` is None for a year-less date such as [03-05]."""

    year: int | None
    month: int
    day: int
    text: str
    start: int = 0
    end: int = 0
    time: str | None = None  # "HH:MM" or "HH:MM:SS" when written

    @property
    def date(self) -> dt.date | None:
        if self.year is None:
            return None
        return _mkdate(self.year, self.month, self.day)

    def with_year(self, year: int) -> "DateMatch":
        return DateMatch(year, self.month, self.day, self.text, self.start, self.end, self.time)


def normalize_digits(s: str) -> str:
    """Full-width digits, dashes, slashes, colons and brackets to ASCII; ideographic space to space.
    (str.replace per mapped character present: 20× faster than str.translate on CJK pages.)"""
    if s.isascii():
        return s
    for ch, ascii_ in _FW_PAIRS:
        if ch in s:
            s = s.replace(ch, ascii_)
    return s


def _mkdate(y: int, m: int, d: int) -> dt.date | None:
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _cn_number(s: str) -> int | None:
    """一 … 三十一 (month/day numerals)."""
    if not s:
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(s) == 1:
        return _CN_DIGITS.get(s)
    return None


def _time_of(m: re.Match[str]) -> str | None:
    if m.group("h") is None:
        return None
    t = f"{int(m.group('h')):02d}:{m.group('mi')}"
    return t + f":{m.group('s')}" if m.group("s") else t


def find_dates(text: str, partial: bool = True) -> list[DateMatch]:
    """All dates in `text`, in order of position. Offsets refer to the normalised string (same length)."""
    if not text:
        return []
    s = normalize_digits(text)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for m in _FULL.finditer(s):
        y = int(m.group("y"))
        mo = int(m.group("m") or m.group("m2"))
        d = int(m.group("d") or m.group("d2"))
        if _mkdate(y, mo, d) is None:
            continue
        found.append(DateMatch(y, mo, d, m.group(0).strip(), m.start(), m.end(), _time_of(m)))
        taken.append((m.start(), m.end()))
    for m in _CN_FULL.finditer(s):
        digits = [_CN_DIGITS.get(c) for c in m.group("y")]
        mo, d = _cn_number(m.group("m")), _cn_number(m.group("d"))
        if None in digits or mo is None or d is None:
            continue
        y = int("".join(str(x) for x in digits))
        if _mkdate(y, mo, d) is None:
            continue
        found.append(DateMatch(y, mo, d, m.group(0), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    if partial:
        for m in _PARTIAL.finditer(s):
            if any(a <= m.start() < b for a, b in taken):
                continue
            mo = int(m.group("m") or m.group("m2"))
            d = int(m.group("d") or m.group("d2"))
            if _mkdate(2000, mo, d) is None:  # leap-year-safe validity of month/day
                continue
            found.append(DateMatch(None, mo, d, m.group(0).strip(), m.start(), m.end(), _time_of(m)))
    found.sort(key=lambda x: x.start)
    return found


def _closest_year(month: int, day: int, anchor: dt.date, today: dt.date | None) -> int:
    """The year that puts month-day closest to `anchor`, never after `today`."""
    best: tuple[int, int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = _mkdate(y, month, day) or _mkdate(y, month, 28)
        if d is None or (today is not None and d > today):
            continue
        dist = abs((d - anchor).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1] if best else anchor.year - 1


def infer_year(month: int, day: int, today: dt.date | None = None,
               neighbours: Sequence[dt.date] = ()) -> int:
    """The year of a year-less date: nearest a neighbouring date when there is one, else the latest
    year that does not put it after the crawl date."""
    today = today or dt.date.today()
    if neighbours:
        return _closest_year(month, day, neighbours[0], today)
    return _closest_year(month, day, today, today)


def infer_years(matches: Sequence[DateMatch | None], today: dt.date | None = None) -> list[dt.date | None]:
    """Dates of a list's items in order; each year-less one takes its year from the nearest item with
    a full date or, failing that, from the previous resolved item (lists run newest first or oldest
    first; either way neighbours are close), the first one from the crawl date."""
    today = today or dt.date.today()
    out: list[dt.date | None] = [m.date if m is not None else None for m in matches]
    full = [i for i, m in enumerate(matches) if m is not None and m.date is not None]
    prev: dt.date | None = None
    for i, m in enumerate(matches):
        if m is None:
            continue
        if out[i] is not None:
            prev = out[i]
            continue
        if m.year is not None:  # had a year but invalid date
            continue
        if full:
            j = min(full, key=lambda k: abs(k - i))
            anchor = out[j]
        else:
            anchor = prev or today
        assert anchor is not None
        y = _closest_year(m.month, m.day, anchor, today)
        out[i] = _mkdate(y, m.month, m.day)
        prev = out[i] or prev
    return out


def parse_date(s: str | None, today: dt.date | None = None,
               neighbours: Sequence[dt.date] = ()) -> dt.date | None:
    """The first date in `s`, or None. Year-less dates are resolved (see `infer_year`)."""
    dm = parse_match(s)
    if dm is None:
        return None
    if dm.year is None:
        return _mkdate(infer_year(dm.month, dm.day, today, neighbours), dm.month, dm.day)
    return dm.date


def parse_match(s: str | None, partial: bool = True) -> DateMatch | None:
    """The first date in `s` as a DateMatch (also accepts a bare 20240305)."""
    if not s:
        return None
    m = _COMPACT.match(normalize_digits(s))
    if m and _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        t = f"{m.group(4)}:{m.group(5)}" if m.group(4) else None
        return DateMatch(int(m.group(1)), int(m.group(2)), int(m.group(3)), s.strip(), 0, len(s), t)
    found = find_dates(s, partial=partial)
    return found[0] if found else None


def parse_datetime(s: str | None) -> dt.datetime | None:
    """The first full date with its time (00:00 when none is written)."""
    dm = parse_match(s, partial=False)
    if dm is None or dm.date is None:
        return None
    h, mi, sec = (list(map(int, dm.time.split(":"))) + [0, 0])[:3] if dm.time else (0, 0, 0)
    return dt.datetime(dm.year, dm.month, dm.day, h, mi, sec)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Publish date of an article page

# meta names (lower-cased) that carry the publish date, best first
PUBLISH_META = ("pubdate", "publishdate", "publish_date", "publishtime", "firstpublishedtime",
                "article:published_time", "og:article:published_time", "datepublished",
                "dc.date.issued", "dcterms.issued", "dc.date.created", "dc.date", "contentdate")
# visible labels, best first
PUBLISH_LABELS = ("发布日期", "发布时间", "发文日期", "公开日期", "发表时间", "发表日期", "上传时间",
                  "更新时间", "更新日期", "印发日期", "成文日期", "日期", "时间")
GENERIC_LABELS = ("日期", "时间")  # only on their own: 开标时间, 截止日期, 办公时间 are not publish dates
# (the leading lookahead changes no match: it lets the engine skip positions no label starts at)
_LABEL_RE = re.compile(r"(?=[%s])(%s|(?<![\u4e00-\u9fa5])(?:%s))\s*[:：]?\s*[\[\(（【]?\s*" % (
    "".join(sorted({x[0] for x in PUBLISH_LABELS})),
    "|".join(x for x in PUBLISH_LABELS if x not in GENERIC_LABELS), "|".join(GENERIC_LABELS)))


@dataclass
class PublishDate:
    date: dt.date
    source: str          # "meta:PubDate" | "label:发布日期"
    raw: str             # the text that gave the date
    time: str | None = None
    others: list[dict[str, Any]] = field(default_factory=list)  # other candidates, for review

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source": self.source, "raw": self.raw, "time": self.time,
                "others": self.others}


def _visible_text(root: Any) -> str:

    return document_text(root)


def publish_candidates(root: Any, text: str = "", meta: Mapping[str, str] | None = None) -> list[PublishDate]:
    """Every publish-date candidate, best first: meta tags, then labelled visible dates."""
    if meta is None:

        meta = meta_tags(root)
    out: list[PublishDate] = []
    lowered = {k.lower().strip(): (k, v) for k, v in meta.items()}
    for name in PUBLISH_META:
        if name in lowered:
            key, value = lowered[name]
            dm = parse_match(value, partial=False)
            if dm is not None and dm.date is not None:
                out.append(PublishDate(dm.date, f"meta:{key}", value, dm.time))
    if not text or "<" in text:  # raw HTML would expose attributes; read the visible text instead
        text = _visible_text(root) if root is not None else ""
    norm = normalize_digits(text)
    labelled: list[tuple[int, PublishDate]] = []
    for m in _LABEL_RE.finditer(norm):
        window = norm[m.end(): m.end() + 40]
        dm = parse_match(window, partial=False)
        if dm is None or dm.date is None or dm.start > 4:
            continue
        raw = norm[m.start(): m.end() + dm.end].strip()
        labelled.append((PUBLISH_LABELS.index(m.group(1)), PublishDate(dm.date, f"label:{m.group(1)}", raw, dm.time)))
    labelled.sort(key=lambda x: x[0])  # stable: label rank, then position in the page
    out.extend(p for _, p in labelled)
    return out


def publish_date(root: Any, text: str = "", meta: Mapping[str, str] | None = None) -> PublishDate | None:
    """The publish date of an article page and its source, or None when the page states none.

    `root` is the parsed page (govaudit.extract.html.parse), `text` its visible text (computed from
    root when empty or when raw HTML is passed), `meta` its meta tags (computed when None)."""
    cands = publish_candidates(root, text, meta)
    if not cands:
        return None
    best = cands[0]
    seen = {best.date}
    for c in cands[1:]:
        if c.date not in seen:
            seen.add(c.date)
            best.others.append({"date": c.date.isoformat(), "source": c.source, "raw": c.raw})
    return best


def dates_in(values: Iterable[str]) -> list[dt.date]:
    """Full dates found in several strings (helper for rules that scan many snippets)."""
    out: list[dt.date] = []
    for v in values:
        out.extend(d.date for d in find_dates(v, partial=False) if d.date is not None)
    return out


__all__ = ["DateMatch", "PublishDate", "normalize_digits", "find_dates", "parse_date", "parse_match",
           "parse_datetime", "infer_year", "infer_years", "publish_date", "publish_candidates", "dates_in"]
