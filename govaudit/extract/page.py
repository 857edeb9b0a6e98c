"""One page, as the extractors see it: what `govaudit inspect page` prints and the crawler stores."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse
from govaudit.extract.links import Link, extract_links
from govaudit.extract.visibility import annotate


@dataclass
class PageView:
    url: str
    encoding: str
    title: str
    meta: dict[str, str]
    links: list[Link]
    root: etree._Element | None = field(repr=False, default=None)
    text: str = field(repr=False, default="")

    def to_dict(self) -> dict[str, Any]:
        links, written = annotate(  # each anchor's visibility verdict and reasons
            self.root, self.url, [ln.to_dict() for ln in self.links])
        return {"url": self.url, "encoding": self.encoding, "title": self.title, "meta": self.meta,
                "links": links, "script_links": written}


def meta_tags(root: etree._Element | None) -> dict[str, str]:
    """<meta name|property|http-equiv=… content=…>, first occurrence wins, names as written."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for m in root.iter("meta"):
        name = m.get("name") or m.get("property") or m.get("http-equiv")
        if name and name not in out:
            out[name.strip()] = (m.get("content") or "").strip()
    return out


def title_of(root: etree._Element | None) -> str:
    if root is None:
        return ""
    t = root.find(".//title")
    return " ".join((t.text or "").split()) if t is not None else ""


def view_page(body: bytes, url: str, content_type: str = "") -> PageView:
    text, encoding = decode_html(body, content_type)
    root = parse(text)
    return PageView(url=url, encoding=encoding, title=title_of(root), meta=meta_tags(root),
                    links=extract_links(root, url), root=root, text=text)
