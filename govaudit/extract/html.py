"""Parse HTML once into an lxml tree, robustly, whatever the bytes."""
from __future__ import annotations

import logging
import re

from lxml import etree, html

log = logging.getLogger("govaudit.extract")

_PARSER = etree.HTMLParser(encoding="utf-8", recover=True, remove_comments=False, huge_tree=True,
                           no_network=True, remove_pis=True)


# When a page nests deeper than libxml2 allows (a trap, or a broken CMS), libxml2 drops everything
# after the limit, the page's remaining links included. The page is then parsed again with every
# tag removed except those that carry links or metadata (then only the essential ones): links,
# text and the rest of the page survive; only the nesting (and styles on it) is lost.
_KEEP = ({"html", "head", "body", "title", "meta", "base", "a", "area", "link", "img", "script", "style",
          "iframe", "frame", "embed", "source", "object", "video", "audio", "track", "input", "noscript",
          "applet", "form", "button", "param"},
         {"html", "head", "body", "title", "meta", "base", "a", "area", "img"})
_TAG = re.compile(rb"</?([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>")


def _too_deep() -> bool:
    return any(e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message for e in _PARSER.error_log)


def _flatten(data: bytes, keep: set[str]) -> bytes:
    return _TAG.sub(lambda m: m.group(0) if m.group(1).decode("ascii").lower() in keep else b" ", data)


def parse(text: str) -> etree._Element | None:
    """Parse decoded text (re-encoded as UTF-8 so declarations inside cannot mislead lxml).
    Returns None for documents with no elements at all. Documents nested beyond the parser's
    depth limit (2048) are parsed flattened (see _KEEP)."""
    data = text.encode("utf-8", errors="replace")
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, _PARSER)
        for keep in _KEEP:
            if not _too_deep():
                break
            log.debug("document nested beyond the parser's depth limit: parsed flattened")
            root = etree.fromstring(_flatten(data, keep), _PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root


def text_of(el: etree._Element) -> str:
    """Text of an element with whitespace folded, without script/style/comments."""
    if len(el) == 0:  # fast path: most anchors hold just their text
        return " ".join((el.text or "").split()) if isinstance(el.tag, str) and el.tag not in _SKIP else ""
    out: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    while stack:
        node, tail_only = stack.pop()
        if tail_only:
            if node.tail:
                out.append(node.tail)
            continue
        if isinstance(node.tag, str) and node.tag not in _SKIP:
            if node.text:
                out.append(node.text)
            for child in reversed(node):
                stack.append((child, True))
                stack.append((child, False))
    return " ".join(" ".join(out).split())


_SKIP = {"script", "style", "noscript", "template"}


def document_text(root: etree._Element | None) -> str:
    if root is None:
        return ""
    body = root.find("body")
    return text_of(body if body is not None else root)


__all__ = ["parse", "text_of", "document_text", "html"]
