"""The elements of a 政府信息公开指南 (条例 art. 12, DB15/T 2091), each with the text that satisfied it.

Text is normalised first: traditional characters to simplified (辦公時間, 傳真, 受理機構), full-width
digits, letters and punctuation to ASCII, ＠ to @, and spaces inside labels tolerated (传 真, 电　话,
地 址 are common). Phone and fax numbers are read in Chinese formats: 0471-1234567, (0471)1234567,
0471 1234567, 0471-12345678转801, mobile numbers, 12345.

An element counts when its pattern matches in a sentence that states it, and that sentence is its
evidence. Sentences are cut at 。；！？ and before enumerations (一、 （一） 1.), each under its
heading. Not statements: definitions of catalogue fields (编排体系's "3.发布机构：政府信息发布主体", the
索引号's "由单位代码、信息类别…组成"), 监督 inside a department's name (市场监督管理局), the reply clause of
依申请公开 for the proactive channels, a fax number for the phone, a reading room's number before the
office's own, an "office" that is no organisation (a hijacked copy's brand).

Outdated signals: the pre-2019 answer time (15个工作日), the pre-2019 regulation (国务院令第492号,
2008年5月1日起施行) cited without the 2019 revision (第711号); the guide's age is judged by the rule
from the page's publish date.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from govaudit.extract.dates import normalize_digits
import opencc
from govaudit.extract.columns import main_content
from govaudit.extract.html import parse
from govaudit.extract.dates import publish_date
from govaudit.extract.encoding import decode_html
from govaudit.extract.page import title_of


def spaced(word: str) -> str:
    """A regex for a label that tolerates spaces between its characters: 传 真, 电　话."""
    return r"\s*".join(re.escape(c) for c in word)


PHONE = (r"(?:(?:\(\s*0\d{2,3}\s*\)|0\d{2,3})\s*[-－—]?\s*\d{7,8}|[2-9]\d{6,7})(?:\s*(?:转|ext\.?)\s*\d{1,5})?"
         r"|1[3-9]\d{9}|400-?\d{3}-?\d{4}|12345")
PHONE_RE = re.compile(r"(?<![\d])(?:" + PHONE + r")(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# URL characters are ASCII: a URL stops where Chinese text begins (网址:http://x.gov.cn电子邮箱:…)
URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+[A-Za-z0-9/_=#-]|"
                    r"www\.[A-Za-z0-9.-]+\.[a-z]{2,}(?:/[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*[A-Za-z0-9/_=#-])?", re.I)
_LABEL_GAP = r"[^\d。；\n]{0,12}?"
FAX_LABEL = r"(?:" + spaced("传真") + r"|fax)"
_ORG = (r"[\u4e00-\u9fa5()（）]{1,30}?(?:办公室|人民政府|政府|委员会|管理局|局|委|办|中心|院|厅|处|科|室|所|站|部|"
        r"政务公开办|信息公开办)")

# element -> (Chinese name, regexes); the first regex with a match in a sentence that states the
# element (not a definition, not a department's name) gives the evidence: that sentence
DEFAULT_ELEMENTS: dict[str, dict[str, Any]] = {
    "classification": {"name": "信息分类", "patterns": [r"(?<!主题)(?<!体裁)分\s*类", r"类\s*别"]},  # 主题分类: article metadata
    "arrangement": {"name": "编排体系", "patterns": [r"编排体系", r"编\s*排", r"排列(?:方式|顺序)"]},
    "proactive": {"name": "主动公开方式", "patterns": [
        r"主动公开[^。]{0,80}?(?:方式|途径|渠道|形式|网站|平台|公报|查阅|发布会|公开栏)",
        r"(?:方式|途径|渠道)[^。]{0,30}?主动公开"]},
    "on_request": {"name": "依申请公开方式", "patterns": [r"依申请公开", r"申请获取", r"提出[^。]{0,12}?申请"]},
    "office": {"name": "工作机构名称", "patterns": [
        r"(?<!发布)(?<!制作)(?<!生成)(?:受理|工作|办理|承办|负责|公开)?(?:机构|部门|单位)(?:名称)?\s*[:：为是]\s*"
        + _ORG + r"(?![\u4e00-\u9fa5]{0,2}(?:的名称|主体))",
        r"名\s*称\s*[:：]\s*" + _ORG,
        r"[\u4e00-\u9fa5]{2,24}(?:办公室|政务公开办|信息公开办|政务服务中心|服务中心)"]},
    "address": {"name": "办公地址", "patterns": [
        spaced("地址") + r"\s*[:：]?\s*[^\s，。；@]{4,40}", r"办公地点\s*[:：]?\s*[^\s，。；]{4,40}",
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
    # 监督 inside a department's name (市场监督管理局) supervises nothing here
    "remedy": {"name": "监督和救济", "patterns": [r"行政复议", r"行政诉讼", r"投诉|举报", r"监督(?![\u4e00-\u9fa5]{0,2}管理)(?![局委])"]},
}

OUTDATED = {
    "answer_15_days": (r"15\s*个?\s*工作日", "仍写“15个工作日”答复期限（2019年修订后为20个工作日）"),
    "old_regulation": (r"(?:国务院令)?第\s*492\s*号|2008\s*年\s*5\s*月\s*1\s*日(?:起)?(?:施行|实施|起)",
                       "引用2008年施行的旧《条例》（国务院令第492号）"),
}
NEW_REGULATION = re.compile(r"第\s*711\s*号|2019\s*年\s*4\s*月\s*3\s*日|2019\s*年\s*5\s*月\s*15\s*日")

# a sentence that defines a field (编排体系's "3.发布机构：政府信息发布主体", the 索引号 "由单位代码、信息类别…组成")
# states no element of the guide
_FIELDS = (r"索引号|信息名称|名称|发布机构|生成日期|发文日期|成文日期|发布日期|文号|发文字号|主题词|关键词|内容概述|摘要|"
           r"信息分类|主题分类|体裁分类|所属类别|信息类别|公开方式|公开范围|公开时限|公开形式|有效性|载体类型|记录形式")
DEFINITION_RE = re.compile(r"索引号[^。；]{0,40}?(?:由|组成|构成|编码|编制规则)|"
                           r"^\s*\(?\d{1,2}\s*[.、)）]\s*(?:" + _FIELDS + r")\s*[:：]|"
                           r"(?:" + _FIELDS + r")\s*[:：]?\s*(?:是指|指|即)|的名称$|发布主体")
# where the proactive channels are listed (网站/微信/档案馆 …), not the reply clause of 依申请公开
CHANNELS = re.compile(r"网站|门户|公报|发布会|微信|微博|新媒体|客户端|APP|档案馆|图书馆|查阅点|查阅场所|公开栏|"
                      r"电子屏|报刊|报纸|广播|电视|便民服务|政务服务中心|公共查阅")
ARCHIVE = re.compile(r"档案馆|图书馆|阅览室|查阅室|查阅点|查阅场所")
_ENUM = re.compile(r"(?=[(（][一二三四五六七八九十]{1,3}[)）])|(?<![\d.:])(?=[一二三四五六七八九十]{1,3}\s*、)|"
                   r"(?<![\d.:/-])(?=\d{1,2}\s*[、.](?![\d/]))|(?=第[一二三四五六七八九十]{1,3}[条章])")
_STOPS = re.compile(r"[。；;！？!?]")
# a short heading followed by a space (a line break, folded): "三、工作机构 受理机构：…" is two sentences
_HEAD_CUT = re.compile(r"(?:^|(?<=\s))(?:[一二三四五六七八九十]{1,3}\s*、|[(（][一二三四五六七八九十]{1,3}[)）])\s*"
                       r"[\u4e00-\u9fa5、和与及]{2,14}(?=\s)")
_HEADING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]{1,3}[)）、]|\d{1,2}\s*[、.])\s*([\u4e00-\u9fa5、和与及]{2,14})\s*$")


# -- traditional characters and full-width forms ----------------------------------------------
def _t2s_table() -> dict[int, str]:
    """The characters of a guide's labels, for when OpenCC is not installed."""
    pairs = ("辦办 時时 間间 傳传 機机 構构 電电 話话 聯联 繫系 郵邮 編编 號号 碼码 網网 資资 訊讯 開开 請请 與与 為为 於于 "
             "這这 對对 會会 關关 發发 經经 過过 還还 處处 類类 別别 體体 係系 務务 權权 監监 濟济 訴诉 訟讼 復复 議议 "
             "舉举 報报 門门 戶户 國国 縣县 區区 鄉乡 鎮镇 統统 計计 劃划 規规 項项 點点 讀读 覽览 館馆 檔档 導导 "
             "應应 當当 們们 條条 說说 單单 員员 廳厅 辭辞 費费 稅税 衛卫 醫医 義义 際际 營营 產产 "
             "標标 準准 輯辑 錄录 寫写 眞真 圖图 書书 內内 週周 節节 誤误 屬属 據据 徑径 徵征 質质 詢询 "
             "線线 層层 級级 歲岁 歸归 廣广 場场 進进 動动 執执 評评 審审 設设 創创 強强 專专 參参 樓楼")
    out: dict[int, str] = {}
    for pair in pairs.split():
        out[ord(pair[0])] = pair[1]
    return out


_T2S = _t2s_table()
_TRAD_HINT = re.compile("[" + "".join(chr(k) for k, v in _T2S.items() if chr(k) != v) + "]")
_converter: Any = None


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (辦公時間 → 办公时间, 政府資訊公開 → 政府信息公开) when the text
    has any: OpenCC when installed, else a table of the characters guides use."""
    global _converter
    if not text or not _TRAD_HINT.search(text):
        return text
    if _converter is None:
        try:  # imported here: OpenCC loads its dictionaries, only needed for traditional text

            _converter = opencc.OpenCC("t2s")  # characters only: Taiwan phrases would turn 文件 into 文档
        except Exception:  # noqa: BLE001 — not installed or no dictionary: the table below
            _converter = False
    out = str(_converter.convert(text)) if _converter else text.translate(_T2S)
    return out.replace("资讯公开", "信息公开").replace("政府资讯", "政府信息")  # the Taiwan term for 信息


_FULLWIDTH = {c: c - 0xFEE0 for c in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_FULLWIDTH.update({ord("＠"): "@", ord("＿"): "_", ord("＆"): "&", ord("＝"): "=", ord("？"): "?", ord("＃"): "#",
                   ord("％"): "%", ord("＋"): "+", ord("～"): "~"})


def normalize_text(text: str) -> str:
    s = to_simplified(text or "")
    s = normalize_digits(s).replace("（", "(").replace("）", ")")
    if not s.isascii():
        s = s.translate(_FULLWIDTH)
    return " ".join(s.split())


@dataclass
class GuideReport:
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)   # key -> {name, found, text, match, sentence}
    phones: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    outdated: list[dict[str, str]] = field(default_factory=list)
    length: int = 0
    simplified: bool = False   # the text was in traditional characters and was read converted

    @property
    def missing(self) -> list[str]:
        return [k for k, v in self.elements.items() if not v["found"]]

    def to_dict(self) -> dict[str, Any]:
        return {"elements": self.elements, "missing": self.missing, "phones": self.phones, "faxes": self.faxes,
                "emails": self.emails, "urls": self.urls, "outdated": self.outdated, "length": self.length,
                "simplified": self.simplified}


def _snippet(s: str, m: re.Match[str], pad: int = 12) -> str:
    return s[max(0, m.start() - pad): m.end() + pad].strip()


def sentences(s: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a normalised text: cut at 。；！？ and before enumerations
    (一、 （一） 1. 第一条), so that a heading and a numbered field are sentences of their own."""
    cuts = {0, len(s)}
    for m in _STOPS.finditer(s):
        cuts.add(m.end())
    for m in _ENUM.finditer(s):
        cuts.add(m.start())
    for m in _HEAD_CUT.finditer(s):
        cuts.add(m.end())
    marks = sorted(cuts)
    return [(a, b) for a, b in zip(marks, marks[1:]) if s[a:b].strip()]


def _quote(s: str, span: tuple[int, int], m: re.Match[str], limit: int = 160) -> str:
    a, b = span
    if b - a > limit:  # a run-on "sentence" (a table flattened to text): the part around the label
        a, b = max(a, m.start() - 40), min(b, m.end() + limit - 40 - (m.end() - m.start()))
    return s[a:b].strip(" ,，、")


def _is_heading(sent: str) -> bool:
    """A heading alone ("二、依申请公开", "(二)编排体系。"): numbering and a few words."""
    return bool(_HEADING.match(sent.rstrip("。:： ")))


def _sections(s: str, spans: list[tuple[int, int]]) -> list[str]:
    """The heading each sentence sits under (一、主动公开 → "主动公开"), "" before any."""
    out, current = [], ""
    for a, b in spans:
        h = _HEADING.match(s[a:b])
        if h:
            current = h.group(1)
        out.append(current)
    return out


def _acceptable(key: str, s: str, sent: str, section: str, m: re.Match[str], fax_spans: list[tuple[int, int]]) -> bool:
    """Whether a match states the element: not in a definition, not a department's name, a fax
    number is not a phone, the proactive channels are not the reply clause of 依申请公开."""
    if DEFINITION_RE.search(sent) and key not in ("arrangement", "remedy", "on_request"):
        return False
    if key == "phone" and any(a <= m.start() < b for a, b in fax_spans):
        return False
    if key == "proactive" and re.search(r"申请", sent) and "主动公开" not in section:
        return False
    if key == "office" and not re.search(r"受理|机构|负责|承办|办理|工作|联系|名称|地址|办公", sent.replace(m.group(0), "", 1)) \
            and not re.search(r"机构|部门|单位|名称", m.group(0)):
        return False  # a bare "…办公室" in a list of departments
    return True


def _proactive_channels(s: str, spans: list[tuple[int, int]], sections: list[str]) -> tuple[int, int] | None:
    """The sentence that lists the channels of proactive disclosure (网站、公报、档案馆 …)."""
    for (a, b), sec in zip(spans, sections):
        sent = s[a:b]
        if "申请" in sent and "主动公开" not in sent:
            continue
        if ("主动公开" in sent or "主动公开" in sec or "公开方式" in sent or "公开渠道" in sent or "公开途径" in sent) \
                and len(set(CHANNELS.findall(sent))) >= 2 and not DEFINITION_RE.search(sent):
            return a, b
    return None


def read_guide(text: str, elements: Mapping[str, Mapping[str, Any]] | None = None) -> GuideReport:
    """Check a guide's visible text for its elements. `elements` overrides DEFAULT_ELEMENTS per key.
    Each element found carries the sentence that states it (`text`, `sentence`) and the words
    that matched (`match`)."""
    raw = " ".join((text or "").split())
    s = normalize_text(text)
    spec = {k: dict(v) for k, v in DEFAULT_ELEMENTS.items()}
    for k, v in (elements or {}).items():
        spec.setdefault(k, {"name": k, "patterns": []}).update({kk: vv for kk, vv in v.items() if vv})
    rep = GuideReport(length=len(s), simplified=bool(_TRAD_HINT.search(raw)))
    spans = sentences(s)
    sections = _sections(s, spans)
    starts = [a for a, _ in spans]

    def sentence_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    fax_spans = [m.span() for m in re.finditer(FAX_LABEL + _LABEL_GAP + r"(" + PHONE + r")", s, re.I)]
    for key, el in spec.items():
        found: dict[str, Any] = {"name": el.get("name", key), "found": False, "text": None}
        chosen: tuple[re.Match[str], int] | None = None
        if key == "proactive":
            span = _proactive_channels(s, spans, sections)
            if span is not None:
                m = CHANNELS.search(s, span[0], span[1])
                assert m is not None
                chosen = (m, spans.index(span))
        for pat in el.get("patterns", []) if chosen is None else []:
            if not pat:
                continue
            cands = []
            for x in re.finditer(pat, s, re.I):
                i = sentence_of(x.start())
                if _acceptable(key, s, s[spans[i][0]:spans[i][1]] if spans else s, sections[i] if spans else "",
                               x, fax_spans):
                    cands.append((x, i))
            if key == "phone":  # an archive reading room's number is not the office's
                cands.sort(key=lambda c: bool(ARCHIVE.search(s[spans[c[1]][0]:spans[c[1]][1]])))
            if cands:
                chosen = cands[0]
                break
        if chosen is not None:
            m, i = chosen
            quote = _quote(s, spans[i], m) if spans else _snippet(s, m)
            if spans and i + 1 < len(spans) and _is_heading(quote):  # a heading names; the next sentence states
                quote = (quote + " " + _quote(s, spans[i + 1], m)).strip()
            found.update(found=True, text=quote, sentence=quote, match=m.group(0).strip())
        rep.elements[key] = found
    for m in re.finditer(FAX_LABEL + _LABEL_GAP + r"(" + PHONE + r")", s, re.I):
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

    root = parse(text)
    body, _ = main_content(root)
    return read_guide(body, elements)


def guide_like(title: str, patterns: Sequence[str] = (r"公开指南", r"公开工作指南")) -> bool:
    return any(re.search(p, title or "") for p in patterns)


__all__ = ["DEFAULT_ELEMENTS", "OUTDATED", "GuideReport", "read_guide", "guide_from_html", "normalize_text",
           "guide_like", "PHONE_RE", "EMAIL_RE", "spaced"]


def inspect_guide(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect guide FILE_OR_URL`: the guide's elements with the text that satisfied each."""

    text, enc = decode_html(data, content_type)
    root = parse(text)
    body, _ = main_content(root)
    pd = publish_date(root) if root is not None else None
    return {"url": url, "encoding": enc, "title": title_of(root), "publish_date": pd.to_dict() if pd else None,
            **read_guide(body).to_dict()}
