"""Property tests (hypothesis): decoding + parsing + link extraction never raise, whatever the page.

Examples are derandomized (the same on every run, so CI is reproducible);
drop `derandomize=True` locally to explore new ones."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govaudit.extract.encoding import decode_html
from govaudit.extract.links import LINK_ATTRS
from govaudit.extract.page import view_page
from govaudit.urls import is_http

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

_hrefs = st.one_of(
    st.sampled_from(["/a", "b.html", "../c", "#top", "javascript:void(0)", "mailto:x@y.cn", "http://", "http:x",
                     "http://x:99999/", "http://[::1", "//cdn.example.com/j.js", "  /sp ace  ", "/中文.html",
                     "data:text/html,hi", "\x00/nul", "http://例子.中国/", "?q=1", ""]),
    st.text(max_size=30),
)
_tags = st.sampled_from(sorted(LINK_ATTRS) + ["div", "span", "noscript", "base", "meta", "style", "p", "ul", "li"])


@st.composite
def html_docs(draw):
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            parts.append(f"<!--{draw(st.text(max_size=20))}")  # possibly unterminated comment
        elif kind == 1:
            parts.append(draw(st.sampled_from(["-->", "--!>", "<!-->", "<!", "</", "<![CDATA[", "]]>", "<?php ?>"])))
        elif kind == 2:
            parts.append(draw(st.text(max_size=20)))
        else:
            tag = draw(_tags)
            attrs = LINK_ATTRS.get(tag, ("href", "style"))
            attr = draw(st.sampled_from(list(attrs) + ["style", "http-equiv", "content", "rel"]))
            value = draw(_hrefs).replace('"', "&quot;")
            if attr == "style":
                value = draw(st.sampled_from(["display:none", "visibility:hidden", f"background:url({value})"]))
            close = draw(st.booleans())
            parts.append(f'<{tag} {attr}="{value}">{draw(st.text(max_size=10))}' + (f"</{tag}>" if close else ""))
    return "<html><body>" * draw(st.integers(0, 1)) + "".join(parts)


@SETTINGS
@given(html_docs(), st.sampled_from(["utf-8", "gbk", "gb18030"]), st.sampled_from(["", "text/html; charset=utf-8",
                                                                                   "text/html; charset=gbk",
                                                                                   "text/html; charset=bogus"]))
def test_extract_never_raises_and_links_are_clean(doc, enc, ctype):
    body = doc.encode(enc, errors="replace")
    view = view_page(body, "http://www.example.gov.cn/dir/page.html", ctype)
    assert isinstance(view.title, str)
    for ln in view.links:
        assert ln.url and ln.url == ln.url.strip()
        assert not any(c in ln.url for c in "\n\r\t")
        assert not ln.url.lower().startswith(("javascript:", "mailto:", "data:"))
        assert len(ln.text) <= 500
        assert isinstance(ln.hints, dict)
        if ln.hints:
            assert ln.hints["hidden"] and ln.hints["hidden_by"]


@SETTINGS
@given(st.binary(max_size=3000), st.text(max_size=40))
def test_any_bytes_decode_and_parse(body, ctype):
    text, enc = decode_html(body, ctype)
    assert isinstance(text, str) and enc
    view_page(body, "http://x.gov.cn/", ctype)


@SETTINGS
@given(html_docs())
def test_comment_wrapped_links_vanish(doc):
    """Anything inside a properly closed comment contributes no links."""
    inner = doc
    while "--" in inner:  # a comment cannot contain "--" (it could close it); ">" first would too
        inner = inner.replace("--", "- -")
    inner = " " + inner
    base = "http://x.gov.cn/"
    wrapped = view_page(f"<html><body><!--{inner} --><a href='/only'>x</a></body></html>".encode(), base)
    assert [ln.url for ln in wrapped.links if is_http(ln.url)] == ["http://x.gov.cn/only"]
