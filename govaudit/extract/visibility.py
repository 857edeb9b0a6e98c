"""Static visibility of a page's links: can a person see the anchor a crawler sees?

Signals, each with its reason, per anchor (`a[href]`, `area[href]`):

- inline styles on the anchor or an ancestor (display:none, visibility:hidden, font-size 0,
  off-screen positioning, zero/1 px boxes with overflow hidden, opacity 0, text colour equal to
  the background);
- rules of `<style>` blocks and of linked stylesheets (when their text is supplied) whose
  selectors match the element's classes and ids (matched with lxml's cssselect; rules inside
  @media/@supports blocks and selectors with pseudo-classes such as :hover are ignored);
- `<noscript>` ancestors; `<marquee>` of tiny height or width;
- anchors written by `document.write(...)` or `.innerHTML = ...` strings in inline scripts
  (unescape('%3C…') included), judged by the styles inside the written HTML and the script's
  ancestors.

Strength: `strong` signals (off-screen, font-size 0, tiny box, opacity 0, colour = background,
tiny marquee) have no ordinary use on a link; `weak` ones (display:none, visibility:hidden,
noscript) are also how tabs, drop-down menus and fallbacks work. The rule (link.hidden) decides
what a hidden link means; this module only reports what it sees. Pure: no network.
"""
from __future__ import annotations

import re
import urllib.parse
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from lxml import etree

from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse, text_of
from govaudit.extract.links import anchor_text, base_url, describe
from govaudit.urls import absolute
from cssselect import SelectorError
from lxml.cssselect import CSSSelector

STRONG, WEAK = "strong", "weak"
OFFSCREEN_PX = 500          # left/top/text-indent at or beyond -500px is off-screen
TINY_PX = 1.0               # width/height/font-size at or below this is invisible
TINY_MARQUEE_PX = 5.0


@dataclass
class LinkVisibility:
    """One anchor and whether a person can see it, with the reasons."""

    url: str
    text: str
    selector: str
    hidden: bool = False
    strength: str | None = None          # 'strong' or 'weak' when hidden
    reasons: list[str] = field(default_factory=list)
    hidden_by: str | None = None         # selector of the hiding element
    source: str = "html"                 # 'html' or 'script' (written by document.write/innerHTML)
    snippet: str = ""
    notes: list[str] = field(default_factory=list)  # display:none that a visitor can undo (tabs, menus)
    el: Any = field(default=None, repr=False, compare=False)  # the element, until `finish()`

    def finish(self) -> "LinkVisibility":
        """Compute the selector and snippet (done lazily: most links are never reported) and let
        go of the element (and so of the parsed page)."""
        if self.el is not None:
            self.selector = self.selector or selector_of(self.el)
            self.snippet = self.snippet or _snippet(self.el)
            self.el = None
        return self

    def to_dict(self) -> dict[str, Any]:
        self.finish()
        return {"url": self.url, "text": self.text, "selector": self.selector,
                "verdict": "hidden" if self.hidden else "visible", "strength": self.strength,
                "reasons": self.reasons, "hidden_by": self.hidden_by, "source": self.source,
                **({"notes": self.notes} if self.notes else {})}


# -- CSS -------------------------------------------------------------------------------------------
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_PX = re.compile(r"^\s*(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?\s*(?:!important)?\s*$", re.I)


def _px(value: str) -> float | None:
    m = _PX.match(value or "")
    if not m:
        return None
    n = float(m.group(1))
    unit = (m.group(2) or "px").lower()
    return {"px": n, "pt": n * 4 / 3, "em": n * 16, "rem": n * 16, "%": None}.get(unit, n) if unit != "%" else (0.0 if n == 0 else None)


def parse_declarations(style: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in _COMMENT.sub("", style or "").split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k.strip().lower()] = v.strip().lower().replace("!important", "").strip()
    return out


def _colour(v: str | None) -> str | None:
    if not v:
        return None
    v = v.strip().lower().replace(" ", "")
    names = {"white": "#ffffff", "black": "#000000", "red": "#ff0000", "#fff": "#ffffff", "#000": "#000000"}
    if v in names:
        return names[v]
    m = re.match(r"^#([0-9a-f]{3})$", v)
    if m:
        return "#" + "".join(c * 2 for c in m.group(1))
    m = re.match(r"^rgba?\((\d+),(\d+),(\d+)(?:,([\d.]+))?\)$", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) == 0:
            return None
        return "#" + "".join(f"{int(m.group(i)):02x}" for i in (1, 2, 3))
    return v if re.match(r"^#[0-9a-f]{6}$", v) else None


def hiding(decls: Mapping[str, str]) -> list[tuple[str, str]]:
    """(strength, reason) for each hiding technique in one declaration block."""
    out: list[tuple[str, str]] = []
    display = decls.get("display", "")
    if display.startswith("none"):
        out.append((WEAK, "display:none"))
    if decls.get("visibility", "").startswith(("hidden", "collapse")):
        out.append((WEAK, "visibility:hidden"))
    fs = _px(decls.get("font-size", ""))
    if fs is not None and fs <= TINY_PX:
        out.append((STRONG, f"font-size:{decls['font-size']}"))
    if decls.get("position", "").startswith(("absolute", "fixed")):
        for side in ("left", "top", "right", "margin-left", "margin-top"):
            v = _px(decls.get(side, ""))
            if v is not None and v <= -OFFSCREEN_PX:
                out.append((STRONG, f"off-screen ({side}:{decls[side]})"))
                break
    ti = _px(decls.get("text-indent", ""))
    if ti is not None and abs(ti) >= 999:
        out.append((STRONG, f"off-screen (text-indent:{decls['text-indent']})"))
    if decls.get("overflow", "").startswith("hidden"):
        for dim in ("height", "width", "max-height", "max-width"):
            v = _px(decls.get(dim, ""))
            if v is not None and v <= TINY_PX:
                out.append((STRONG, f"{dim}:{decls[dim]} with overflow:hidden"))
                break
    op = decls.get("opacity", "").strip()
    if op and re.match(r"^0*\.?0*$", op):
        out.append((STRONG, "opacity:0"))
    fg = _colour(decls.get("color"))
    bg = _colour(decls.get("background-color") or (decls.get("background", "").split() or [""])[0])
    if fg and bg and fg == bg:
        out.append((STRONG, f"text colour equals background ({fg})"))
    return out


def css_rules(css: str) -> Iterable[tuple[str, dict[str, str]]]:
    """(selector group, declarations) of top-level rules; @-blocks are skipped whole."""
    css = _COMMENT.sub("", css or "")
    i, n = 0, len(css)
    while i < n:
        j = css.find("{", i)
        if j < 0:
            return
        head = css[i:j].strip()
        depth, k = 1, j + 1
        while k < n and depth:
            if css[k] == "{":
                depth += 1
            elif css[k] == "}":
                depth -= 1
            k += 1
        body = css[j + 1:k - 1]
        head = head.split(";")[-1].strip()  # '@import …;' before a rule
        if head.startswith("@") or "{" in body:
            i = k
            continue
        if head:
            yield head, parse_declarations(body)
        i = k


def stylesheet_hiding(root: etree._Element, sheets: Iterable[str]) -> dict[Any, list[tuple[str, str]]]:
    """Elements hidden by stylesheet rules: element -> [(strength, reason)].

    display and visibility follow the cascade (specificity, then order: `.panel{display:none}`
    is undone by a later or more specific `.panel.on{display:block}`); the other techniques
    (off-screen, font-size 0 …) are collected from every matching rule."""
    found: dict[Any, list[tuple[str, str]]] = {}
    winners: dict[tuple[Any, str], tuple[tuple[int, int], str | None]] = {}  # (el, prop) -> (rank, reason)
    order = 0
    for css in sheets:
        for selectors, hides, shows in _hiding_rules(css):
            for sel in selectors.split(","):
                sel = sel.strip()
                order += 1
                if not sel or ":" in sel or "[" in sel and "]" not in sel:
                    continue  # :hover, ::before … describe states, not the page as loaded
                compiled = _selector(sel)
                if compiled is None:
                    continue
                try:
                    matched = compiled(root)
                except (etree.XPathError, ValueError):
                    continue
                rank = (_specificity(sel), order)
                for el in matched[:2000]:
                    for strength, reason in hides:
                        if reason in ("display:none", "visibility:hidden"):
                            prop = reason.split(":")[0]
                            if winners.get((el, prop), ((-1, -1), None))[0] <= rank:
                                winners[(el, prop)] = (rank, f"stylesheet rule '{sel}' {reason}")
                        else:
                            found.setdefault(el, []).append((strength, f"stylesheet rule '{sel}' {reason}"))
                    for prop in shows:
                        if winners.get((el, prop), ((-1, -1), None))[0] <= rank:
                            winners[(el, prop)] = (rank, None)
    for (el, _prop), (_rank, reason) in winners.items():
        if reason:
            found.setdefault(el, []).append((WEAK, reason))
    return found


def _specificity(sel: str) -> int:
    ids = sel.count("#")
    classes = sel.count(".") + sel.count("[")
    tags = len(re.findall(r"(?:^|[\s>+~])[a-zA-Z][\w-]*", sel))
    return ids * 10000 + classes * 100 + tags


_STATE = re.compile(r":(?:hover|focus-within|focus|active)\b", re.I)


@lru_cache(maxsize=256)
def _reveal_rules(css: str) -> tuple[str, ...]:
    """Selectors (state pseudo-classes removed) of rules that show something on :hover/:focus —
    the drop-down menus whose display:none a visitor undoes by pointing at them."""
    out = []
    for selectors, decls in css_rules(css):
        display, vis = decls.get("display", ""), decls.get("visibility", "")
        if (display and not display.startswith("none")) or vis == "visible":
            for sel in selectors.split(","):
                if _STATE.search(sel):
                    bare = _STATE.sub("", sel).strip()
                    if bare and ":" not in bare:
                        out.append(bare)
    return tuple(out)


def hover_revealed(root: etree._Element, sheets: Iterable[str]) -> set[Any]:
    """Elements that a stylesheet shows on :hover/:focus of an ancestor (drop-down menus)."""
    found: set[Any] = set()
    for css in sheets:
        for sel in _reveal_rules(css):
            compiled = _selector(sel)
            if compiled is None:
                continue
            try:
                found.update(compiled(root)[:2000])
            except (etree.XPathError, ValueError):
                continue
    return found


@lru_cache(maxsize=256)
def _hiding_rules(css: str) -> tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...]:
    """(selectors, hiding techniques, properties shown) of the rules of one stylesheet that hide
    or show something (cached: a site's pages share their stylesheets and <style> blocks)."""
    out = []
    for selectors, decls in css_rules(css):
        hides = hiding(decls)
        display, vis = decls.get("display", ""), decls.get("visibility", "")
        shows = tuple(p for p, on in (("display", bool(display) and not display.startswith("none")),
                                      ("visibility", vis == "visible")) if on)
        if hides or shows:
            out.append((selectors, tuple(hides), shows))
    return tuple(out)


@lru_cache(maxsize=4096)
def _selector(sel: str) -> Any:
    """A compiled CSS selector (cached: the same stylesheet serves every page of a site), or None."""

    try:
        return CSSSelector(sel)
    except (SelectorError, SyntaxError, ValueError, etree.XPathError):
        return None


# -- the page --------------------------------------------------------------------------------------
_WRITE = re.compile(r"(?:document\.write(?:ln)?\s*\(|\.innerHTML\s*[+]?=)", re.I)
_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.S)
_UNESCAPE = re.compile(r"unescape\s*\(\s*['\"]([^'\"]+)['\"]\s*\)", re.I)


def _own_hiding(el: etree._Element, sheet_hidden: Mapping[Any, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    tag = el.tag if isinstance(el.tag, str) else ""
    style = el.get("style")
    decls = parse_declarations(style) if style else {}
    inline = hiding(decls) if decls else []  # no declaration hides nothing (most elements)
    out.extend((s, "inline style " + r) for s, r in inline)
    rules = sheet_hidden.get(el, [])
    if rules:
        # an inline display/visibility overrides a stylesheet's display:none/visibility:hidden
        shown_display = decls.get("display", "") not in ("", "none")
        shown_vis = decls.get("visibility", "") == "visible"
        for s, r in rules:
            if shown_display and "display:none" in r or shown_vis and "visibility:hidden" in r:
                continue
            out.append((s, r))
    if tag == "noscript":
        out.append((WEAK, "inside <noscript>"))
    if el.get("hidden") is not None and tag not in ("input",):
        out.append((WEAK, "hidden attribute"))
    if tag == "marquee":
        for dim in ("height", "width"):
            v = _px(el.get(dim) or decls.get(dim, ""))
            if v is not None and v <= TINY_MARQUEE_PX:
                out.append((STRONG, f"<marquee> {dim} {v:g}px"))
                break
    return out


def _toggle_note(el: etree._Element, own: list[tuple[str, str]], sheet_hidden: Mapping[Any, list[tuple[str, str]]],
                 revealed: set[Any]) -> str | None:
    """Why el's display:none is one a visitor undoes (a drop-down shown on hover, an inactive tab
    panel next to its shown sibling), or None. Only for display:none/visibility alone."""
    if not own or any(s == STRONG or not ("display:none" in r or "visibility:hidden" in r) for s, r in own):
        return None
    if el in revealed:
        return "drop-down shown on hover (stylesheet :hover rule)"
    cls = (el.get("class") or "").split()[:1]
    parent = el.getparent()
    if cls and parent is not None:
        for sib in parent:  # same tag and first class (tab-con / tab-con on), shown
            if sib is not el and sib.tag == el.tag and (sib.get("class") or "").split()[:1] == cls \
                    and not _own_hiding(sib, sheet_hidden):
                return f"inactive tab panel ({describe(el)}; a sibling panel is shown)"
    return None


def _verdict(el: etree._Element, sheet_hidden: Mapping[Any, list[tuple[str, str]]],
             cache: dict[Any, tuple[list[tuple[str, str]], str | None, list[str]]],
             revealed: set[Any] = frozenset()) -> tuple[list[tuple[str, str]], str | None, list[str]]:  # type: ignore[assignment]
    """All hiding signals on el and its ancestors, the selector of the nearest hiding element, and
    notes on display:none a visitor undoes (menus, tabs: not hiding)."""
    chain: list[etree._Element] = []
    node: etree._Element | None = el
    while node is not None and node not in cache:
        chain.append(node)
        node = node.getparent()
    inherited = cache[node] if node is not None else ([], None, [])
    for n in reversed(chain):
        own = _own_hiding(n, sheet_hidden) if isinstance(n.tag, str) else []
        if own:
            note = _toggle_note(n, own, sheet_hidden, revealed)
            if note:
                inherited = (inherited[0], inherited[1], inherited[2] + [note])
            else:
                inherited = (inherited[0] + own, describe(n) if inherited[1] is None else inherited[1], inherited[2])
        cache[n] = inherited
    return cache[el]


def _decode_script_strings(script: str) -> str:
    """The HTML an inline script writes: concatenated string literals of its write calls."""
    parts: list[str] = []
    for m in _UNESCAPE.finditer(script):
        parts.append(urllib.parse.unquote(m.group(1)))
    for m in _WRITE.finditer(script):
        # the string literals of the call's argument / the assigned expression (';' inside strings kept)
        depth = 1 if m.group(0).endswith("(") else 0
        i, n = m.end(), len(script)
        while i < n:
            c = script[i]
            if c in "'\"`":
                lit_m = _STRING.match(script, i)
                if lit_m is None:
                    break
                lit = next(g for g in lit_m.groups() if g is not None)
                parts.append(_JS_ESCAPE.sub(_unescape_js, lit) if "\\" in lit else lit)
                i = lit_m.end()
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth <= 0:
                    break
            elif c == ";" or (c == "\n" and depth == 0):
                break
            i += 1
    return "".join(parts)


_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)


def _unescape_js(m: re.Match[str]) -> str:
    """One JavaScript string escape (\\u4e2d, \\x3C, \\', \\n …), keeping other text as written."""
    e = m.group(1)
    if e[0] in "ux" and len(e) > 1:
        return chr(int(e[1:], 16))
    return {"n": "\n", "t": "\t", "r": "\r"}.get(e, e)


MAX_WRITE_DEPTH = 2  # scripts writing scripts that write links: deeper nesting is not followed


def analyze(root: etree._Element | None, page_url: str, stylesheets: Iterable[str] = (),
            _depth: int = 0) -> list[LinkVisibility]:
    """Visibility of every anchor of a parsed page. `stylesheets`: texts of linked CSS files."""
    if root is None:
        return []
    base = base_url(root, page_url)
    sheets = [st.text or "" for st in root.iter("style")] + list(stylesheets)
    sheet_hidden = stylesheet_hiding(root, sheets) if any(sheets) else {}
    revealed = hover_revealed(root, sheets) if any(sheets) else set()
    cache: dict[Any, tuple[list[tuple[str, str]], str | None, list[str]]] = {}
    out: list[LinkVisibility] = []
    for el in root.iter("a", "area", "script"):
        if el.tag == "script":
            # the written HTML holds the scripts after this one too (an unclosed string swallows
            # them): following every level would take exponential time on such a page
            if _depth >= MAX_WRITE_DEPTH or el.get("src") or not el.text or not _WRITE.search(el.text):
                continue
            written = _decode_script_strings(el.text)
            if "<a" not in written.lower():
                continue
            outer, by, _ = _verdict(el, sheet_hidden, cache, revealed)
            sub = parse("<html><body>" + written + "</body></html>")
            if sub is None:
                continue
            for lv in analyze(sub, base, sheets, _depth + 1):
                lv.source = "script"
                lv.reasons = ["written by document.write/innerHTML"] + lv.reasons + [r for _, r in outer]
                strengths = ([lv.strength] if lv.strength else []) + [s for s, _ in outer]
                lv.hidden = bool(strengths)
                lv.strength = STRONG if STRONG in strengths else (WEAK if strengths else None)
                lv.hidden_by = lv.hidden_by or by
                lv.finish()
                lv.selector = describe(el) + " >> " + lv.selector
                out.append(lv)
            continue
        href = el.get("href")
        if href is None:
            continue
        url = absolute(base, href)
        if url is None:
            continue
        signals, by, notes = _verdict(el, sheet_hidden, cache, revealed)
        lv = LinkVisibility(url=url, text=anchor_text(el)[:200], selector="", el=el, notes=notes)
        if signals:
            lv.finish()
            lv.hidden = True
            lv.strength = STRONG if any(s == STRONG for s, _ in signals) else WEAK
            lv.reasons = list(dict.fromkeys(r for _, r in signals))
            lv.hidden_by = by
        out.append(lv)
    return out


def selector_of(el: etree._Element) -> str:
    """A CSS path for evidence: up to four ancestors, tag#id.class, with :nth-of-type."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str) and node.tag not in ("html", "body") and len(parts) < 5:
        part = describe(node)
        parent = node.getparent()
        if parent is not None and not node.get("id"):
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                part += f":nth-of-type({same.index(node) + 1})"
        parts.append(part)
        if node.get("id"):
            break
        node = parent
    return " > ".join(reversed(parts))


def _snippet(el: etree._Element) -> str:
    try:
        s = etree.tostring(el, encoding="unicode", with_tail=False)
    except (TypeError, ValueError):
        s = text_of(el)
    return " ".join(s.split())[:300]


def linked_stylesheets(root: etree._Element | None, page_url: str) -> list[str]:
    """Absolute URLs of the page's <link rel=stylesheet>."""
    if root is None:
        return []
    base = base_url(root, page_url)
    out = []
    for ln in root.iter("link"):
        if "stylesheet" in (ln.get("rel") or "").lower() and ln.get("href"):
            u = absolute(base, ln.get("href") or "")
            if u:
                out.append(u)
    return out


def annotate(root: etree._Element | None, page_url: str, links: list[dict[str, Any]],
             stylesheets: Iterable[str] = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Add a 'visibility' verdict to each anchor of `links` (Link.to_dict() dicts, in document
    order); return them and the anchors written by inline scripts (which are not in `links`)."""
    verdicts = analyze(root, page_url, stylesheets)
    queue: dict[str, list[LinkVisibility]] = {}
    for lv in verdicts:
        if lv.source == "html":
            queue.setdefault(lv.url, []).append(lv)
    for ln in links:
        if ln.get("tag") in ("a", "area") and queue.get(ln["url"]):
            ln["visibility"] = queue[ln["url"]].pop(0).to_dict()
    return links, [lv.to_dict() for lv in verdicts if lv.source == "script"]


def inspect_visibility(data: bytes, url: str, content_type: str = "", stylesheets: Iterable[str] = ()) -> dict[str, Any]:
    """`govaudit inspect visibility FILE_OR_URL`: every anchor's verdict, the hidden ones first.
    `stylesheets`: the texts of the page's linked stylesheets (the app fetches them for a URL, as the
    audit reads them from the store)."""
    root = parse(decode_html(data, content_type)[0])
    sheets = list(stylesheets)
    links = [lv.to_dict() for lv in analyze(root, url, sheets)]
    links.sort(key=lambda d: (d["verdict"] != "hidden", d["strength"] != "strong"))
    return {"url": url, "stylesheets_read": len(sheets), "hidden": sum(d["verdict"] == "hidden" for d in links),
            "links": links}
