"""Broken content at the extractor level: malformed comments (HTML5 tokenizer rules, as browsers
apply them), wrong/missing/mixed encodings, invalid bytes, binary served as HTML."""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govaudit.extract.encoding import decode_html
from govaudit.extract.page import view_page

# markup -> paths of the links a browser shows
COMMENTS = {
    "<!--><a href='/a'>a</a><!-- x --><a href='/b'>b</a>": ["/a", "/b"],          # <!--> is an empty comment
    "<!---><a href='/a'>a</a><a href='/b'>b</a>": ["/a", "/b"],                    # so is <!--->
    "<!-- c --!><a href='/a'>a</a>": ["/a"],                                       # --!> closes a comment
    "<a href='/a'>a</a><!-- never closed <a href='/b'>b</a>": ["/a"],               # open to the end
    "<!-- <!-- inner --> <a href='/a'>a</a> --> <a href='/b'>b</a>": ["/a", "/b"],  # comments do not nest
    "<!-- a -- b --> <a href='/a'>a</a>": ["/a"],
    "<!-- x -- > <a href='/h'>h</a> --> <a href='/a'>a</a>": ["/a"],               # '-- >' does not close
    "<!--[if IE]><a href='/ie'>ie</a><![endif]--><a href='/a'>a</a>": ["/a"],      # conditional comments
    "<script>var s='<!--';</script><a href='/a'>a</a>": ["/a"],                    # '<!--' inside a script
    "<! bogus ><a href='/a'>a</a>": ["/a"],
    "<?php echo 1 ?><a href='/a'>a</a>": ["/a"],
}


@pytest.mark.parametrize("markup", list(COMMENTS))
def test_malformed_comments(markup):
    links = view_page(f"<html><body>{markup}</body></html>".encode(), "http://x.gov.cn/").links
    assert [ln.url.replace("http://x.gov.cn", "") for ln in links] == COMMENTS[markup]


TEXT = "关于印发《青山县政务公开工作要点》的通知"


def test_mixed_encodings_pick_the_lesser_damage():
    body = ("<html><head><title>" + TEXT + "</title></head><body><p>" + "正文内容" * 30 + "</p>").encode("utf-8") + \
        ("<p>" + "政务公开" * 3 + "</p></body></html>").encode("gbk")  # a GBK fragment pasted into a UTF-8 page
    text, enc = decode_html(body)
    assert TEXT in text and enc == "utf-8"  # most of the page is UTF-8: its title survives


def test_mostly_gbk_with_a_utf8_fragment():
    body = ("<html><head><title>" + TEXT + "</title></head><body><p>" + "正文内容" * 50 + "</p>").encode("gbk") + \
        "<p>页脚</p></body></html>".encode("utf-8")
    text, enc = decode_html(body)
    assert TEXT in text and enc == "gb18030"


def test_invalid_utf8_declared_utf8():
    body = b"<html><head><meta charset='utf-8'><title>" + TEXT.encode() + b"</title></head><body>\xff\xfe\xc3" \
           b"<a href='/x'>" + "下载".encode() + b"</a></body></html>"
    v = view_page(body, "http://x.gov.cn/", "text/html; charset=utf-8")
    assert v.title == TEXT and v.links[0].text == "下载"


@pytest.mark.parametrize("declared", ["utf-8", "gbk", "gb2312", "iso-8859-1", "windows-1252", "x-unknown", None])
def test_gbk_page_whatever_it_declares(declared):
    meta = f"<meta charset='{declared}'>" if declared else ""
    body = f"<html><head>{meta}<title>{TEXT}</title></head><body><a href='/a'>{TEXT}</a></body></html>".encode("gbk")
    v = view_page(body, "http://x.gov.cn/")
    assert v.title == TEXT, (declared, v.encoding)


def test_utf16_with_bom():
    body = "\ufeff<html><head><title>标题</title></head><body><a href='/a'>链接</a></body></html>".encode("utf-16-le")
    v = view_page(body, "http://x.gov.cn/")
    assert v.title == "标题" and v.links[0].text == "链接"


@pytest.mark.parametrize("body", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50,
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n" + os.urandom(3000),
    b"PK\x03\x04" + os.urandom(5000),
    b"\x00" * 10000,
    b"",
])
def test_binary_served_as_html(body):
    v = view_page(body, "http://x.gov.cn/", "text/html")
    assert isinstance(v.title, str)
    assert all(ln.url.startswith("http") for ln in v.links)


def test_five_megabyte_single_line():
    body = ("<html><body><p>" + "一行" * 900_000 + "</p><a href='/end'>尾</a></body></html>").encode()
    assert len(body) > 5_000_000 and b"\n" not in body
    v = view_page(body, "http://x.gov.cn/")
    assert [ln.url for ln in v.links] == ["http://x.gov.cn/end"]


@pytest.mark.parametrize("opener", ["<div>", "<b><i>", "<q><abbr><kbd><var>", "<table><tr><td>", "<object>"])
def test_deeply_nested_markup_keeps_links_after_it(opener):
    body = ("<html><head><title>T</title></head><body>" + opener * 20_000 + "<a href='/deep'>深</a>"
            + "<a href='/after'>后</a></body></html>").encode()
    v = view_page(body, "http://x.gov.cn/")
    assert v.title == "T"
    assert [ln.url for ln in v.links][-2:] == ["http://x.gov.cn/deep", "http://x.gov.cn/after"]


def test_hundred_thousand_links():
    body = ("<html><body>" + "".join(f"<a href='/l/{i}'>{i}</a>" for i in range(100_000)) + "</body></html>").encode()
    v = view_page(body, "http://x.gov.cn/")
    assert len(v.links) == 100_000 and v.links[-1].url == "http://x.gov.cn/l/99999"


_CJK = st.text(alphabet=st.sampled_from("政务公开信息年度报告人民政府办公室关于印发通知县市区街道乡镇，。《》（）、"
                                       "0123456789abcABC "), min_size=8, max_size=200).filter(
    lambda t: sum(ord(c) > 127 for c in t) >= 12)  # fewer Chinese characters under a latin-1 label are ambiguous


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_CJK, st.sampled_from(["gbk", "gb18030", "utf-8"]),
       st.sampled_from(["", "text/html", "text/html; charset=utf-8", "text/html; charset=gbk",
                        "text/html; charset=iso-8859-1"]),
       st.sampled_from(["", "<meta charset='utf-8'>", "<meta charset='gb2312'>", "<meta charset='latin1'>"]))
def test_chinese_text_round_trips_whatever_the_declarations(text, enc, ctype, meta):
    """Chinese text encoded as GBK/GB18030/UTF-8 decodes back exactly, whatever header and <meta> say."""
    body = f"<html><head>{meta}</head><body>{text}</body></html>".encode(enc)
    decoded, _ = decode_html(body, ctype)
    assert text in decoded


@pytest.mark.parametrize("base", ["http://", "javascript:void(0)", "http://bad host/", "http://[::1/", "#top"])
def test_unusable_base_href_is_ignored(base):
    body = f"<html><head><base href='{base}'></head><body><a href='a.html'>a</a></body></html>".encode()
    assert [ln.url for ln in view_page(body, "http://x.gov.cn/dir/p.html").links] == ["http://x.gov.cn/dir/a.html"]


def test_usable_base_href_applies():
    body = b"<html><head><base href='/other/'></head><body><a href='a.html'>a</a></body></html>"
    assert [ln.url for ln in view_page(body, "http://x.gov.cn/dir/p.html").links] == ["http://x.gov.cn/other/a.html"]
