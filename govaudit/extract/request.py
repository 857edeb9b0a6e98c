"""What stands behind a 依申请公开 entry: application forms, download links for the 申请表, links to a
shared application system, and the contact details the page gives.

Pure: a parsed page in, facts out. The rule (checks/request/channel.py) decides which pages to read.

An *application form* is a `<form>` whose fields ask for the applicant and the information wanted:
field names, ids, placeholders and the labels beside them are read (申请人/姓名/名称, 证件/身份证,
联系电话/手机, 通信地址/邮编, 所需信息/内容描述/信息名称/用途, and the English or pinyin names CMSs
use: pname, pcard, ptele, infotitle, sqr, lxdh …). At least `min_fields` different kinds must be
asked; a search box (one text input named q/keyword/searchword) is never a form here.

Contact details: `read_guide` (extract/guide.py) reads phones and the 地址 of a text the same way it
reads the guide's, so both sides are compared in one normalisation.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from govaudit.extract.columns import main_content
from govaudit.extract.encoding import decode_html
from govaudit.extract.guide import read_guide
from govaudit.extract.html import parse, text_of
from govaudit.extract.links import extract_links
from govaudit.extract.page import title_of
from govaudit.urls import normalize

# kind of field -> words in its label, name, id or placeholder
FIELD_KINDS: dict[str, re.Pattern[str]] = {
    "applicant": re.compile(r"申请人|姓\s*名|名\s*称|法人代表|联系人|pname|sqr|applicant|username|realname|xm\b|ename|"
                            r"elinkman|edeputy", re.I),
    "identity": re.compile(r"证件|身份证|营业执照|信用代码|pcard|zjhm|sfz|idcard|id_?no|ecode", re.I),
    "contact": re.compile(r"联系电话|电\s*话|手\s*机|邮\s*箱|e-?mail|ptele|lxdh|phone|mobile|tel\b|etele|eemail", re.I),
    "address": re.compile(r"地\s*址|邮\s*编|邮政编码|paddress|pzipcode|address|zipcode|dz\b", re.I),
    "wanted": re.compile(r"所需的?(?:政府)?信息|信息名称|内容描述|申请内容|文件名称|文号|用途|索引号|infotitle|commentinfo|"
                         r"purpose|indexnum|sqnr|xxmc|content", re.I),
}
_SEARCH = re.compile(r"^(?:q|kw|key|keys|keyword|keywords|searchword|searchkey|query|wd|word|title|s)$", re.I)
# a link to a shared application system or an online form: by its text or its address
APPLY_TEXT = re.compile(r"(?:在线|网上|网络|互联网)(?:提交)?申请|我要申请|申请入口|提交申请|填写申请|依申请公开(?:平台|系统|申请)|"
                        r"信息公开申请(?:平台|系统)?$|申请(?:平台|系统)$")
APPLY_URL = re.compile(r"ysqgk|ysq|applyopen|apply|sqgk|yishenqing|ApplyInfo", re.I)
# a download of the 申请表 (application form as a document)
FORM_TEXT = re.compile(r"申请表|申请书|申请(?:表格|模板|范本)")
DOC_EXT = re.compile(r"\.(?:docx?|xlsx?|wps|et|pdf)(?:$|[?#])", re.I)


@dataclass
class FormFound:
    selector: str
    action: str
    kinds: list[str] = field(default_factory=list)   # kinds of field asked for (FIELD_KINDS keys)
    fields: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _selector(el: etree._Element) -> str:
    if el.get("id"):
        return f"form#{el.get('id')}"
    if el.get("name"):
        return f"form[name={el.get('name')}]"
    cls = (el.get("class") or "").split()
    return "form." + cls[0] if cls else "form"


def _field_words(form: etree._Element, ctl: etree._Element) -> str:
    words = [ctl.get(a) or "" for a in ("name", "id", "placeholder", "title", "aria-label")]
    ident = ctl.get("id")
    if ident:
        for lab in form.iter("label"):
            if lab.get("for") == ident:
                words.append(text_of(lab))
    # the label cell beside the field in the table layouts CMS forms use: <td>申请人姓名</td><td><input></td>
    cell = ctl.getparent()
    while cell is not None and cell.tag not in ("td", "dd", "li", "p", "div", "form"):
        cell = cell.getparent()
    if cell is not None and cell.tag in ("td", "dd"):
        prev = cell.getprevious()
        if prev is not None:
            words.append(text_of(prev))
    elif cell is not None and cell.tag in ("li", "p", "div"):
        words.append((cell.text or "") + " ".join(text_of(c) for c in cell if c.tag in ("label", "span", "em", "b")))
    return " ".join(words)


def application_forms(root: etree._Element | None, min_fields: int = 2) -> list[FormFound]:
    """The forms of a page that ask for an applicant and the information wanted (module docstring)."""
    out: list[FormFound] = []
    if root is None:
        return out
    for form in root.iter("form"):
        controls = [c for c in form.iter("input", "textarea", "select")
                    if (c.get("type") or "text").lower() not in ("hidden", "submit", "button", "image", "reset")]
        if len(controls) == 1 and _SEARCH.match(controls[0].get("name") or controls[0].get("id") or ""):
            continue
        kinds: list[str] = []
        for ctl in controls:
            words = _field_words(form, ctl)
            for kind, rx in FIELD_KINDS.items():
                if kind not in kinds and rx.search(words):
                    kinds.append(kind)
        if len(kinds) >= min_fields:
            out.append(FormFound(selector=_selector(form), action=form.get("action") or "", kinds=kinds,
                                 fields=len(controls)))
    return out


def apply_link(text: str, url: str) -> bool:
    """A link to an online application (a form page or a shared application system)."""
    t = " ".join((text or "").split())
    return bool(APPLY_TEXT.search(t)) or (bool(APPLY_URL.search(url or "")) and "申请" in t)


def form_download(text: str, url: str) -> bool:
    """A link to the 申请表 as a document (Word, WPS, Excel, PDF)."""
    t = " ".join((text or "").split())
    return bool(DOC_EXT.search(url or "")) and (bool(FORM_TEXT.search(t)) or bool(FORM_TEXT.search(url or "")) or
                                               t in ("下载", "点击下载", "附件下载"))


@dataclass
class Contacts:
    phones: list[str] = field(default_factory=list)
    address: str | None = None       # the address as written (label stripped)
    address_text: str | None = None  # the sentence that states it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_CJK = re.compile(r"[\u4e00-\u9fa5]")
_ADDR_LABEL = re.compile(r"^(?:办公|通信|通讯|联系|受理)?(?:地\s*址|地点)\s*[:：]?\s*")


def contacts(text: str) -> Contacts:
    """Phones and the office address a text gives, read as the guide reader reads them."""
    rep = read_guide(text or "", {})
    addr = rep.elements.get("address") or {}
    match = addr.get("match") if addr.get("found") else None
    address = _ADDR_LABEL.sub("", match).strip() if match else None
    if address and len(_CJK.findall(address)) < 2:   # 网站地址：www.qs.gov.cn is no office address
        address = None
    return Contacts(phones=list(rep.phones), address=address, address_text=addr.get("text") if address else None)


def phone_digits(phone: str) -> str:
    """The digits of a phone number without its extension."""
    return re.sub(r"\D", "", re.split(r"转|ext", phone)[0])


def same_phone(a: str, b: str) -> bool:
    """Numbers agree when the digits of one end the other's (6234567 and 0471-6234567, (0471)6234567)."""
    da, db = phone_digits(a), phone_digits(b)
    return len(da) >= 5 and len(db) >= 5 and (da.endswith(db) or db.endswith(da))


def address_key(address: str) -> str:
    return re.sub(r"[\s,，。;；:：()（）\-—·]", "", address or "")


def same_address(a: str, b: str) -> bool:
    """Addresses agree when one contains the other once spaces and punctuation are dropped
    (青山县人民路1号 and 青山县人民路1号县政府办公室 agree)."""
    ka, kb = address_key(a), address_key(b)
    return bool(ka and kb) and (ka in kb or kb in ka)


def inspect_request(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect request FILE_OR_URL`: what request.channel reads on one 依申请公开 page —
    application forms, links to an online application, 申请表 downloads, phones and address."""
    text, _ = decode_html(data, content_type)
    root = parse(text)
    links = [(ln.url, ln.text) for ln in extract_links(root, url) if ln.tag in ("a", "area")]
    main, _ = main_content(root)
    found = contacts(main)
    return {"url": url, "title": title_of(root),
            "application_forms": [{"form_action": f.action, "fields": f.fields, "asks": "、".join(KIND_LABELS[k] for k in f.kinds)}
                      for f in application_forms(root)],
            "apply_links": [{"text": t, "url": u} for u, t in links
                            if apply_link(t, u) and normalize(u) != normalize(url)],   # not the page itself
            "form_downloads": [{"text": t, "url": u} for u, t in links if form_download(t, u)],
            "phones": found.phones, "address": found.address}


KIND_LABELS = {"applicant": "申请人", "identity": "证件", "contact": "联系方式", "address": "地址", "wanted": "所需信息"}

__all__ = ["inspect_request", "KIND_LABELS", "FormFound", "application_forms", "apply_link", "form_download", "Contacts", "contacts", "same_phone",
           "same_address", "FIELD_KINDS"]
