"""Shared types: the unit under audit, findings and their evidence."""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from govaudit.urls import normalize

OUTCOMES = ("fail", "needs_review", "pass", "not_applicable", "not_measured")
KINDS = ("government", "department")

# -- administrative level of a unit (requirements §7: rules that apply to some levels only) -----
LEVELS = ("province", "city", "county", "township")
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇"}
# Chinese words accepted for a level in units files and on the command line
LEVEL_SYNONYMS = {"省级": "province", "省": "province", "省级政府": "province", "自治区": "province",
                  "市级": "city", "地市级": "city", "设区的市": "city", "市": "city", "州": "city", "盟": "city",
                  "县级": "county", "区县": "county", "县区": "county", "县": "county", "旗": "county",
                  "区": "county", "县级市": "county", "乡镇": "township", "乡镇级": "township",
                  "乡": "township", "镇": "township", "街道": "township", "苏木": "township"}
# Words that hold a division character but name no division (市场监督管理局 is no city, 城乡 no township)
_NOT_DIVISION = re.compile(r"市场|市政|城市|都市|市容|市民|超市|区域|园区|景区|社区|小区|区划|县域|乡村|城乡|镇域|"
                           r"开发区|示范区|试验区|保税区|产业区|功能区")
_DIVISIONS = (("township", re.compile(r"[\u4e00-\u9fa5]{1,10}?(?:乡|镇|街道|苏木)(?:人民政府|政府|办事处)?")),
              # a 市 under a city (呼伦贝尔市扎兰屯市) is a county-level city
              ("county", re.compile(r"[\u4e00-\u9fa5]{1,10}?(?:县|旗|(?<!自治)区)|(?:市|州|盟|地区)[\u4e00-\u9fa5]{1,10}?市")),
              ("city", re.compile(r"[\u4e00-\u9fa5]{1,10}?(?:市|自治州|州|盟|地区)(?:人民政府|政府)?")),
              ("province", re.compile(r"[\u4e00-\u9fa5]{1,10}?(?:省|自治区)(?:人民政府|政府)?")))
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")   # 直辖市: province level


def parse_level(value: str) -> str:
    """A configured level in its canonical form: province/city/county/township, or a Chinese synonym
    (省级、市级、县级、乡镇 …); "" stays "" (derive it). ValueError, in Chinese, for anything else."""
    v = (value or "").strip()
    if not v or v.lower() in LEVELS:
        return v.lower()
    if v in LEVEL_SYNONYMS:
        return LEVEL_SYNONYMS[v]
    allowed = "、".join(f"{k}（{n}）" for k, n in LEVEL_NAMES.items())
    raise ValueError(f"单位层级“{v}”无法识别，应为 {allowed} 之一")


def level_from_name(name: str) -> str:
    """The level a unit's name states, "" when it states none. The lowest division named wins:
    青山县人民政府 → county, 某市某区某街道办事处 → township, 青山县教育局 → county (a department sits at
    its government's level), 内蒙古自治区人民政府 → province, 北京市人民政府 → province (直辖市).
    A 市 under a city (呼伦贝尔市扎兰屯市) is a county-level city; a name that names only one …市 is taken
    as a prefecture-level city: a county-level city named alone (满洲里市) cannot be told from its name,
    so its units file sets `level: county`."""
    s = _NOT_DIVISION.sub("", re.sub(r"[\s()（）]", "", name or ""))
    if not s:
        return ""
    for muni in _MUNICIPALITIES:
        if s.startswith(muni) and not any(rx.search(s[len(muni):]) for lv, rx in _DIVISIONS if lv != "city"):
            return "province"
    for level, rx in _DIVISIONS:   # lowest level first
        if rx.search(s):
            return level
    return ""


_SUFFIX = r"(?:自治区|省|自治州|市|州|盟|地区|自治县|县|自治旗|旗|区|乡|镇|街道|苏木)"
_PLACE = re.compile(r"^[\u4e00-\u9fa5]{1,10}?" + _SUFFIX + r"(?:[\u4e00-\u9fa5]{0,10}?" + _SUFFIX + ")*")


def place_name(name: str) -> str:
    """The place a unit's name starts with, down to its own division: 青山县人民政府 → 青山县, 青山县教育局
    and 青山县市场监督管理局 → 青山县, 呼和浩特市赛罕区人民政府 → 呼和浩特市赛罕区; "" when it names none."""
    s = _NOT_DIVISION.sub("", re.sub(r"[\s()（）]", "", name or ""))
    m = _PLACE.match(s)
    return m.group(0) if m else ""


def unit_level(unit: "Unit") -> str:
    """The unit's level: as configured, else as its name states, else "" (unknown). A store written
    when `level` was free text may hold a word parse_level refuses: the name decides then."""
    try:
        return parse_level(unit.level) or level_from_name(unit.name)
    except ValueError:
        return level_from_name(unit.name)


class Purpose(StrEnum):
    """Why a row of `pages` was fetched: the crawler writes it, checks and reports select by it.
    A StrEnum, so it equals its string in Python and binds as that string in SQL."""

    HOME = "home"                    # the unit's portal home page as configured
    PAGE = "page"                    # an in-scope page, parsed and followed
    ATTACHMENT = "attachment"        # an in-scope document (PDF, DOCX …), stored, not followed
    CHECK = "check"                  # an external or out-of-scope target: answered, never parsed
    RENDER = "render"                # a browser render of a page: visibility verdicts, screenshot
    RENDERED = "rendered"            # the DOM a browser built for a script-filled list
    SOFT404_PROBE = "soft404-probe"  # a URL that cannot exist, for the host's not-found fingerprint
    HTTPS_PROBE = "https-probe"      # the https:// twin of an http:// portal
    TITLE_CHECK = "title-check"      # GET of a hidden external link's target, for its title


CONTENT_PURPOSES = (Purpose.HOME, Purpose.PAGE)  # the site's own pages, parsed
UNCOUNTED_PURPOSES = (Purpose.SOFT404_PROBE, Purpose.HTTPS_PROBE, Purpose.TITLE_CHECK)  # never crawl errors


@dataclass
class Unit:
    """One audited organisation and its web presence."""

    id: str
    name: str
    url: str
    kind: str = "government"
    level: str = ""              # province/city/county/township; "" = from the name (unit_level)
    hosts: list[str] = field(default_factory=list)  # extra in-scope hosts
    allow_domains: list[str] = field(default_factory=list)  # allowlisted external domains
    columns: dict[str, str] = field(default_factory=dict)  # pinned column URLs by name
    overrides: dict[str, Any] = field(default_factory=dict)  # per-unit limits/politeness

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def scope_hosts(self) -> set[str]:
        """The unit's own hosts: its portal's, that host with or without `www.` (the same site on
        every portal seen so far), and the configured extra hosts."""
        hosts = {self.host, *(h.lower() for h in self.hosts)}
        twin = www_twin(self.host)
        return hosts | {twin} if twin else hosts

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def www_twin(host: str) -> str | None:
    """www.x.gov.cn <-> x.gov.cn; None for IP addresses and single-label hosts."""
    if not host or ":" in host or host.replace(".", "").isdigit() or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else "www." + host


@dataclass
class Evidence:
    """What a person needs to see the problem for themselves."""

    url: str
    fetched_at: str | None = None
    status: int | None = None
    sha256: str | None = None
    snippet: str | None = None
    selector: str | None = None
    screenshot: str | None = None
    warc_record_id: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Finding:
    rule: str
    item: str
    outcome: str
    unit: str
    url: str | None
    message: str
    target: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    key: str = ""  # what makes this finding distinct within rule+unit+url

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.unit, self.url or "", self.target or "", self.key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "item": self.item,
            "outcome": self.outcome,
            "unit": self.unit,
            "url": self.url,
            "target": self.target,
            "message": self.message,
            "data": self.data,
            "evidence": [e.to_dict() for e in self.evidence],
            "fingerprint": self.fingerprint,
        }


def fingerprint(rule: str, unit: str, url: str, target: str = "", key: str = "") -> str:
    """Stable across runs: rule + unit + normalised url + key (no dates, no run ids)."""

    parts = [rule, unit, normalize(url) if url else "", normalize(target) if target else "", key]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
