"""Pages are decoded by their real encoding, declared or not."""
from __future__ import annotations

from govaudit.extract.encoding import decode_html
from govaudit.extract.page import view_page

TEXT = "青山县人民政府政务公开工作年度报告"


def page(charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>{TEXT}</title></head><body><a href='/a'>{TEXT}</a></body></html>"


def test_gbk_with_declaration():
    text, enc = decode_html(page("gb2312").encode("gbk"))
    assert TEXT in text and enc == "gb18030"


def test_gbk_without_declaration():
    text, enc = decode_html(page(None).encode("gbk"))
    assert TEXT in text and enc == "gb18030"


def test_gbk_served_as_utf8_header():
    text, _ = decode_html(page(None).encode("gbk"), "text/html; charset=utf-8")
    assert TEXT in text


def test_utf8_declared_as_gbk():
    text, enc = decode_html(page("gbk").encode("utf-8"))
    assert TEXT in text and enc == "utf-8"


def test_header_charset_wins_for_latin_pages():
    body = "<html><body>caf\u00e9</body></html>".encode("cp1252")
    text, _ = decode_html(body, "text/html; charset=iso-8859-1")
    assert "café" in text


def test_invalid_bytes_do_not_raise():
    text, _ = decode_html(b"<html><body>\xff\xfe\xfa ok " + "中文".encode() + b"\x80</body></html>")
    assert "ok" in text


def test_view_page_title_and_links_from_gbk():
    v = view_page(page("gbk").encode("gbk"), "http://x.gov.cn/p/index.html")
    assert v.title == TEXT
    assert [ln.url for ln in v.links] == ["http://x.gov.cn/a"]
    assert v.links[0].text == TEXT
