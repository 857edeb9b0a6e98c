"""Links of one page with their context: tag, attribute, anchor text, visibility hints.

Links inside HTML comments are not links (the parser keeps comments as comment nodes, which
are skipped). Hints record why a crawler-visible link may be invisible to a person: an inline
display:none / visibility:hidden on the element or an ancestor, or a <noscript> ancestor.
Rules that need computed styles (link.hidden) add the rendered page's verdicts on top.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from govaudit.extract.html import text_of
from govaudit.urls import absolute, invalid_reason, is_http, normalize

# tag -> attributes that hold a URL
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "srcset", "lowsrc"),
    "script": ("src",), "iframe": ("src",), "frame": ("src",), "embed": ("src",),
    "source": ("src", "srcset"), "object": ("data", "archive", "codebase"), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "input": ("src",), "body": ("background",),
    "table": ("background",), "td": ("background",), "th": ("background",),
    "applet": ("archive", "src", "code"), "form": ("action",), "blockquote": ("cite",),
    "q": ("cite",), "del": ("cite",), "ins": ("cite",), "button": ("formaction",),
    "html": ("manifest",),
}
_LIST_ATTRS = {"archive"}  # comma-separated lists of URLs
_ICON_REL = re.compile(r"\bicon\b", re.I)
SKIP_REL = {"dns-prefetch", "preconnect"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
_REFRESH = re.compile(r"""^\s*\d*\s*[;,]?\s*(?:url\s*=\s*)?['"]?([^'"]+)""", re.I)


@dataclass
class Link:
    url: str                 # absolute, as resolved against the page (fragment kept)
    raw: str                 # as written
    tag: str
    attr: str
    text: str = ""
    hints: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "raw": self.raw, "tag": self.tag, "attr": self.attr,
                "text": self.text, "hints": self.hints}


def base_url(root: etree._Element, page_url: str) -> str:
    """The first <base href>, resolved; ignored (as browsers do) when it is not a usable URL."""
    for b in root.iter("base"):
        href = (b.get("href") or "").strip()
        if href:
            base = absolute(page_url, href)
            if base is None or (is_http(base) and invalid_reason(normalize(base))):
                return page_url
            return base
    return page_url


def extract_links(root: etree._Element | None, page_url: str) -> list[Link]:
    if root is None:
        return []
    base = base_url(root, page_url)
    hidden = _hidden_elements(root)
    out: list[Link] = []
    for el in root.iter(*LINK_ATTRS, "meta", "style"):
        tag = el.tag
        if tag == "meta":
            _meta_refresh(el, base, out, hidden)
            if el.get("href") and _ICON_REL.search(el.get("rel") or ""):  # <meta rel="icon" href> (old CMSs)
                _add(out, base, el.get("href") or "", el, "meta", "href", hidden, text="")
            continue
        if tag == "link" and (el.get("rel") or "").lower().strip() in SKIP_REL:
            continue
        if tag == "style":
            for m in _CSS_URL.finditer(el.text or ""):
                _add(out, base, m.group(2), el, "style", "css-url", hidden, text="")
            continue
        el_base = base
        if tag in ("applet", "object") and (el.get("codebase") or "").strip():
            # codebase is the base for the element's other URLs (and, on <object>, a link itself)
            el_base = absolute(base, el.get("codebase") or "") or base
        for attr in LINK_ATTRS[tag]:
            value = el.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for cand in value.split(","):
                    cand = cand.strip().split()
                    if cand:
                        _add(out, base, cand[0], el, tag, attr, hidden)
            elif attr in _LIST_ATTRS:
                for part in value.split(","):
                    _add(out, el_base, part, el, tag, attr, hidden)
            elif attr == "codebase":
                _add(out, base, value, el, tag, attr, hidden)
            elif tag in ("applet", "object"):
                _add(out, el_base, value, el, tag, attr, hidden)
            elif tag == "form" and not value.strip():
                continue
            else:
                _add(out, base, value, el, tag, attr, hidden)
        style = el.get("style")
        if style and "url(" in style:
            for m in _CSS_URL.finditer(style):
                _add(out, base, m.group(2), el, tag, "style", hidden)
    # style="" on tags outside LINK_ATTRS
    for el in root.xpath("//*[@style and contains(@style, 'url(')]"):
        if el.tag not in LINK_ATTRS:
            for m in _CSS_URL.finditer(el.get("style") or ""):
                _add(out, base, m.group(2), el, el.tag, "style", hidden)
    return out


def _add(out: list[Link], base: str, raw: str, el: etree._Element, tag: str, attr: str,
         hidden: dict[Any, str], text: str | None = None) -> None:
    url = absolute(base, raw)
    if url is None:
        return
    if text is None:
        text = anchor_text(el) if tag in ("a", "area") else (el.get("alt") or el.get("title") or "").strip()
    out.append(Link(url=url, raw=raw.strip(), tag=tag, attr=attr, text=text[:500],
                    hints=_hints(el, hidden) if hidden else {}))


def anchor_text(el: etree._Element) -> str:
    text = text_of(el)
    if not text:
        for img in el.iter("img"):
            text = (img.get("alt") or "").strip()
            if text:
                break
    return text or (el.get("title") or "").strip()


def _meta_refresh(el: etree._Element, base: str, out: list[Link], hidden: dict[Any, str]) -> None:
    if (el.get("http-equiv") or "").lower() != "refresh":
        return
    m = _REFRESH.match(el.get("content") or "")
    if m and m.group(1).strip():
        _add(out, base, m.group(1), el, "meta", "refresh", hidden, text="")


def _hidden_elements(root: etree._Element) -> dict[Any, str]:
    """Elements that hide their subtree, with the reason. Empty on most pages (fast path)."""
    hidden: dict[Any, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "noscript":
            hidden[el] = "noscript"
            continue
        style = el.get("style")
        if style and _HIDDEN_STYLE.search(style):
            hidden[el] = "inline style: " + _HIDDEN_STYLE.search(style).group(0).replace(" ", "")
    return hidden


def _hints(el: etree._Element, hidden: dict[Any, str]) -> dict[str, Any]:
    node = el
    while node is not None:
        if node in hidden:
            reason = hidden[node]
            hints: dict[str, Any] = {"hidden": reason, "hidden_by": describe(node)}
            if reason == "noscript":
                hints["noscript"] = True
            return hints
        node = node.getparent()
    return {}


def describe(el: etree._Element) -> str:
    """A short CSS-like selector for evidence: tag#id.class."""
    sel = el.tag if isinstance(el.tag, str) else "node"
    if el.get("id"):
        sel += "#" + el.get("id", "").strip()
    if el.get("class"):
        sel += "".join("." + c for c in el.get("class", "").split()[:3])
    return sel
