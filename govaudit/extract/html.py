"""Parse HTML once into an lxml tree, robustly, whatever the bytes."""
from __future__ import annotations

from lxml import etree, html

_PARSER = etree.HTMLParser(encoding="utf-8", recover=True, remove_comments=False, huge_tree=True,
                           no_network=True, remove_pis=True)


def parse(text: str) -> etree._Element | None:
    """Parse decoded text (re-encoded as UTF-8 so declarations inside cannot mislead lxml).
    Returns None for documents with no elements at all."""
    data = text.encode("utf-8", errors="replace")
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root


def text_of(el: etree._Element) -> str:
    """Text of an element with whitespace folded, without script/style/comments."""
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
