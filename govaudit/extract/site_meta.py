"""Site identifiers of a page (usually in the footer): 网站标识码, ICP备案号, 公安机关备案号, the
党政机关 badge, and the SiteIDCode meta tag. Pure: works on a parsed page.

The footer is the last element whose class/id says footer/foot/bottom/copyright; identifiers are
searched there first and then in the whole page (templates put them in odd places), including
the strings of inline scripts (the 党政机关 badge is usually written by a conac.cn script).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from govaudit.extract.html import document_text, text_of
from govaudit.extract.page import view_page

SITE_CODE = re.compile(r"(?:网站标识码|网站识别码|标识码)\s*[:：]?\s*([A-Za-z0-9]{10})(?![A-Za-z0-9])")
ICP = re.compile(r"([\u4e00-\u9fa5]{0,2}\s*ICP\s*备\s*\d{6,}\s*号(?:\s*-\s*\d+)?|[\u4e00-\u9fa5]ICP证\s*\d+\s*号?)", re.I)
POLICE = re.compile(r"([\u4e00-\u9fa5]{0,2}公网安备\s*[:：]?\s*(\d{10,16})\s*号?)")
FOOTER_HINT = re.compile(r"foot|bottom|copyright|copy|banquan|bq|footer|\bft\b", re.I)


@dataclass
class SiteIdentifiers:
    site_code: str | None = None          # 网站标识码 in the visible text
    icp: str | None = None                # e.g. 蒙ICP备05001234号-1
    police: str | None = None             # 公安机关备案号 (digits)
    badge: str | None = None              # how the 党政机关 badge was found
    meta_site_code: str | None = None     # <meta name="SiteIDCode">, '' when present but empty
    in_footer: dict[str, bool] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def footer(root: etree._Element) -> etree._Element | None:
    found = None
    for el in root.iter("div", "footer", "table", "section"):
        sig = " ".join(filter(None, [el.get("id"), el.get("class")]))
        if el.tag == "footer" or (sig and FOOTER_HINT.search(sig)):
            found = el  # the last one in document order
    return found


def _scripts(root: etree._Element) -> str:
    return " ".join((s.text or "") + " " + (s.get("src") or "") for s in root.iter("script"))


def identifiers(root: etree._Element | None) -> SiteIdentifiers:
    ids = SiteIdentifiers()
    if root is None:
        return ids
    foot = footer(root)
    foot_text = text_of(foot) if foot is not None else ""
    page_text = document_text(root)
    for name, rx in (("site_code", SITE_CODE), ("icp", ICP), ("police", POLICE)):
        for where, text in (("footer", foot_text), ("page", page_text)):
            m = rx.search(text)
            if m:
                value = m.group(2) if name == "police" else m.group(1)
                setattr(ids, name, " ".join(value.split()))
                ids.in_footer[name] = where == "footer"
                break
    # the 党政机关 badge: a conac.cn link or script, or an image/link labelled 党政机关
    for el in root.iter("a", "script", "img", "span"):
        target = (el.get("href") or el.get("src") or "").lower()
        label = (el.get("alt") or el.get("title") or "") + (el.get("id") or "")
        if "conac.cn" in target or "_ideconac" in label.lower() or "党政机关" in label:
            ids.badge = f"<{el.tag}> {target or label}".strip()
            break
    if ids.badge is None:
        scripts = _scripts(root)
        if "conac.cn" in scripts or "党政机关" in scripts:
            ids.badge = "conac.cn script"
        elif "党政机关" in page_text:
            ids.badge = "text 党政机关"
    for m in root.iter("meta"):
        if (m.get("name") or "").strip().lower() == "siteidcode":
            ids.meta_site_code = (m.get("content") or "").strip()
            break
    return ids


def inspect_site(data: bytes, url: str, content_type: str = "") -> dict[str, Any]:
    """`govaudit inspect site FILE_OR_URL`: the identifiers and meta tags site.* rules read."""

    view = view_page(data, url, content_type)
    return {"url": url, "identifiers": identifiers(view.root).to_dict(), "meta": view.meta}
