"""The elements of a 政府信息公开指南 (条例 art. 12, DB15/T 2091), each with the text that satisfied it.

Text is normalised first: full-width digits and punctuation to ASCII, ＠ to @, and spaces inside
labels tolerated (传 真, 电　话, 地 址 are common). Phone and fax numbers are read in Chinese
formats: 0471-1234567, (0471)1234567, 0471 1234567, 0471-12345678转801, mobile numbers, 12345.
An element counts when its pattern matches; the snippet around the match is kept as evidence.

Outdated signals: the pre-2019 answer time (15个工作日), the pre-2019 regulation (国务院令第492号,
2008年5月1日起施行) cited without the 2019 revision (第711号); the guide's age is judged by the rule
from the page's publish date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from govaudit.extract.dates import normalize_digits


def spaced(word: str) -> str:
    """A regex for a label that tolerates spaces between its characters: 传 真, 电　话."""
    return r"\s*".join(re.escape(c) for c in word)


PHONE = (r"(?:(?:\(\s*0\d{2,3}\s*\)|0\d{2,3})\s*[-－—]?\s*\d{7,8}|[2-9]\d{6,7})(?:\s*(?:转|ext\.?)\s*\d{1,5})?"
         r"|1[3-9]\d{9}|400-?\d{3}-?\d{4}|12345")
PHONE_RE = re.compile(r"(?<![\d])(?:" + PHONE + r")(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
URL_RE = re.compile(r"https?://[^\s，。；）)]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}[^\s，。；）)]*", re.I)
_LABEL_GAP = r"[^\d。；\n]{0,12}?"

# element -> (Chinese name, regexes); the first regex that matches gives the snippet
DEFAULT_ELEMENTS: dict[str, dict[str, Any]] = {
    "classification": {"name": "信息分类", "patterns": [r"(?<!主题)分\s*类", r"类\s*别"]},  # 主题分类: article metadata
    "arrangement": {"name": "编排体系", "patterns": [r"编排体系", r"编\s*排", r"排列(?:方式|顺序)"]},
    "proactive": {"name": "主动公开方式", "patterns": [
        r"主动公开[^。]{0,80}?(?:方式|途径|渠道|形式|网站|平台|公报|查阅|发布会|公开栏)",
        r"(?:方式|途径|渠道)[^。]{0,30}?主动公开"]},
    "on_request": {"name": "依申请公开方式", "patterns": [r"依申请公开", r"申请获取", r"提出[^。]{0,12}?申请"]},
    "office": {"name": "工作机构名称", "patterns": [
        r"(?:受理|工作|办理|承办|负责)?(?:机构|部门|单位)(?:名称)?\s*[:：为是]\s*[^\s，。；]{2,30}",
        r"[\u4e00-\u9fa5]{2,24}(?:办公室|政务公开办|信息公开办|政务服务中心|服务中心)"]},
    "address": {"name": "办公地址", "patterns": [
        spaced("地址") + r"\s*[:：]?\s*[^\s，。；]{4,40}", r"办公地点\s*[:：]?\s*[^\s，。；]{4,40}",
        r"[\u4e00-\u9fa5]{2,20}(?:路|街|大道|大街|巷|道)\s*\d+\s*号"]},
    "hours": {"name": "办公时间", "patterns": [
        r"(?:办公|受理|工作|接待)\s*时\s*间\s*[:：]?[^。；]{0,20}",
        r"(?:周|星期)[一1]\s*(?:至|到|-|~)\s*(?:周|星期)?[五5]",
        r"\d{1,2}[:：]\d{2}\s*(?:-|—|至|~|到)\s*\d{1,2}[:：]\d{2}"]},
    "phone": {"name": "联系电话", "patterns": [
        r"(?:联系|咨询|受理|办公|服务|监督|投诉)?" + spaced("电话") + _LABEL_GAP + r"(?:" + PHONE + r")",
        r"(?<![\d])\(?0\d{2,3}\)?\s*-\s*\d{7,8}(?!\d)"]},
    "fax": {"name": "传真", "patterns": [spaced("传真") + _LABEL_GAP + r"(?:" + PHONE + r")",
                                        r"fax\s*[:：]?\s*(?:" + PHONE + r")"]},
    "internet": {"name": "电子邮箱或网址", "patterns": [
        EMAIL_RE.pattern, URL_RE.pattern, r"(?:电子)?邮\s*箱\s*[:：]", r"网上申请|在线申请|网络申请|互联网申请"]},
    "remedy": {"name": "监督和救济", "patterns": [r"行政复议", r"行政诉讼", r"投诉|举报", r"监督"]},
}

OUTDATED = {
    "answer_15_days": (r"15\s*个?\s*工作日", "仍写“15个工作日”答复期限（2019年修订后为20个工作日）"),
    "old_regulation": (r"(?:国务院令)?第\s*492\s*号|2008\s*年\s*5\s*月\s*1\s*日(?:起)?(?:施行|实施|起)",
                       "引用2008年施行的旧《条例》（国务院令第492号）"),
}
NEW_REGULATION = re.compile(r"第\s*711\s*号|2019\s*年\s*4\s*月\s*3\s*日|2019\s*年\s*5\s*月\s*15\s*日")


def normalize_text(text: str) -> str:
    s = normalize_digits(text or "").replace("＠", "@").replace("（", "(").replace("）", ")")
    return " ".join(s.split())


@dataclass
class GuideReport:
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)   # key -> {name, found, text}
    phones: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    outdated: list[dict[str, str]] = field(default_factory=list)
    length: int = 0

    @property
    def missing(self) -> list[str]:
        return [k for k, v in self.elements.items() if not v["found"]]

    def to_dict(self) -> dict[str, Any]:
        return {"elements": self.elements, "missing": self.missing, "phones": self.phones, "faxes": self.faxes,
                "emails": self.emails, "urls": self.urls, "outdated": self.outdated, "length": self.length}


def _snippet(s: str, m: re.Match[str], pad: int = 12) -> str:
    return s[max(0, m.start() - pad): m.end() + pad].strip()


def read_guide(text: str, elements: Mapping[str, Mapping[str, Any]] | None = None) -> GuideReport:
    """Check a guide's visible text for its elements. `elements` overrides DEFAULT_ELEMENTS per key."""
    s = normalize_text(text)
    spec = {k: dict(v) for k, v in DEFAULT_ELEMENTS.items()}
    for k, v in (elements or {}).items():
        spec.setdefault(k, {"name": k, "patterns": []}).update({kk: vv for kk, vv in v.items() if vv})
    rep = GuideReport(length=len(s))
    fax_spans = [m.span() for m in re.finditer(spaced("传真") + _LABEL_GAP + r"(" + PHONE + r")", s)]
    for key, el in spec.items():
        found: dict[str, Any] = {"name": el.get("name", key), "found": False, "text": None}
        for pat in el.get("patterns", []):
            m = next((x for x in re.finditer(pat, s, re.I)
                      if key != "phone" or not any(a <= x.start() < b for a, b in fax_spans)), None)
            if m:
                found.update(found=True, text=_snippet(s, m), match=m.group(0).strip())
                break
        rep.elements[key] = found
    for m in re.finditer(spaced("传真") + _LABEL_GAP + r"(" + PHONE + r")", s):
        rep.faxes.append(re.sub(r"\s+", "", m.group(1)))
    for m in PHONE_RE.finditer(s):
        if any(a <= m.start() < b for a, b in fax_spans):
            continue
        num = re.sub(r"\s+", "", m.group(0))
        if len(re.sub(r"\D", "", num)) >= 7 and num not in rep.phones and not _is_date_or_code(s, m):
            rep.phones.append(num)
    rep.emails = list(dict.fromkeys(EMAIL_RE.findall(s)))
    rep.urls = list(dict.fromkeys(URL_RE.findall(s)))
    for key, (pat, why) in OUTDATED.items():
        m = re.search(pat, s)
        if not m:
            continue
        if key == "old_regulation" and NEW_REGULATION.search(s):
            continue
        rep.outdated.append({"reason": key, "message": why, "text": _snippet(s, m, 20)})
    return rep


def _is_date_or_code(s: str, m: re.Match[str]) -> bool:
    """Numbers that only look like phones: postcodes after 邮编, years, document numbers."""
    before = s[max(0, m.start() - 6): m.start()]
    return bool(re.search(r"邮\s*编|邮政编码|标识码|备案号|ICP|〔|\[", before))


def guide_from_html(text: str, url: str = "", elements: Mapping[str, Mapping[str, Any]] | None = None) -> GuideReport:
    from govaudit.extract.columns import main_content
    from govaudit.extract.html import parse

    root = parse(text)
    body, _ = main_content(root)
    return read_guide(body, elements)


def guide_like(title: str, patterns: Sequence[str] = (r"公开指南", r"公开工作指南")) -> bool:
    return any(re.search(p, title or "") for p in patterns)


__all__ = ["DEFAULT_ELEMENTS", "OUTDATED", "GuideReport", "read_guide", "guide_from_html", "normalize_text",
           "guide_like", "PHONE_RE", "EMAIL_RE", "spaced"]


def inspect_guide(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect guide FILE_OR_URL`: the guide's elements with the text that satisfied each."""
    from govaudit.extract.columns import main_content
    from govaudit.extract.dates import publish_date
    from govaudit.extract.encoding import decode_html
    from govaudit.extract.html import parse
    from govaudit.extract.page import title_of

    text, enc = decode_html(data, content_type)
    root = parse(text)
    body, _ = main_content(root)
    pd = publish_date(root) if root is not None else None
    return {"url": url, "encoding": enc, "title": title_of(root), "publish_date": pd.to_dict() if pd else None,
            **read_guide(body).to_dict()}
