"""Pages are decoded by their real encoding when served with wrong or missing charsets: a crawl
through the CLI of a fixture site, asserting on the titles and anchor texts in the store."""
from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import run_cli
from tests.fixtures.server import FixtureServer

TITLE = "青山县人民政府信息公开年报"
LINK = "政府信息公开指南（2024年版）"
CZ = "Žluťoučký kúň úpěl ďábelské ódy ůůůů"


def doc(meta: str = "") -> str:
    return (f"<html><head>{meta}<title>{TITLE}</title></head><body><p>{'内容' * 30}</p>"
            f"<a href='/target'>{LINK}</a></body></html>")


# path -> (body, Content-Type header)
CASES: dict[str, tuple[bytes, str]] = {
    "/gbk-declared-served-as-utf8": (doc('<meta charset="gb2312">').encode("gbk"), "text/html; charset=utf-8"),
    "/gbk-undeclared-no-header": (doc().encode("gbk"), "text/html"),
    "/gbk-undeclared-served-as-utf8": (doc().encode("gbk"), "text/html; charset=UTF-8"),
    "/gb18030-declared-gbk": (doc('<meta http-equiv="Content-Type" content="text/html; charset=gbk">').encode("gb18030"),
                              "text/html"),
    "/utf8-served-as-gbk": (doc().encode("utf-8"), "text/html; charset=gbk"),
    "/utf8-declared-gb2312": (doc('<meta charset="gb2312">').encode("utf-8"), "text/html"),
    "/utf8-bom-served-as-gbk": (b"\xef\xbb\xbf" + doc().encode("utf-8"), "text/html; charset=gbk"),
    "/utf8-latin1-header": (doc().encode("utf-8"), "text/html; charset=iso-8859-1"),
    "/gbk-latin1-header": (doc().encode("gbk"), "text/html; charset=iso-8859-1"),
    "/bogus-charset": (doc('<meta charset="x-no-such">').encode("gbk"), "text/html; charset=x-nonsense"),
}


@pytest.fixture(scope="module")
def encoded_site(tmp_path_factory, corpus_optional):
    out = tmp_path_factory.mktemp("enc")
    s = FixtureServer()
    home = "".join(f'<a href="{p}">{p}</a>' for p in CASES)
    for path, (body, ctype) in CASES.items():
        s.route(path, body=body, headers={"Content-Type": ctype})
    s.page("/target", "ok")
    if corpus_optional is not None:
        for name in ("cp1250.html", "iso8859-2.html", "utf8.html"):
            body = (corpus_optional / "linkchecker" / "charsets" / name).read_bytes()
            s.route(f"/cz/{name}", body=body, headers={"Content-Type": "text/html; charset=utf-8"})  # wrong for 2 of 3
            s.route(f"/cz-nohdr/{name}", body=body, headers={"Content-Type": "text/html"})
            home += f'<a href="/cz/{name}">{name}</a><a href="/cz-nohdr/{name}">{name}</a>'
    s.page("/", home)
    with s:
        proc = run_cli("audit", s.url("/"), "--out", str(out), "--delay", "0", "--no-autothrottle", timeout=240)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    db = sqlite3.connect(out / "govaudit.sqlite")
    db.row_factory = sqlite3.Row
    yield s, db
    db.close()


@pytest.fixture(scope="module")
def corpus_optional():
    from tests.conftest import CORPUS

    return CORPUS if CORPUS.is_dir() else None


@pytest.mark.parametrize("path", sorted(CASES))
def test_title_and_anchor_text_decoded(encoded_site, path):
    s, db = encoded_site
    row = db.execute("SELECT id, title, encoding FROM pages WHERE url=?", (s.url(path),)).fetchone()
    assert row is not None, path
    assert row["title"] == TITLE, (path, row["title"], row["encoding"])
    texts = [r[0] for r in db.execute("SELECT text FROM links WHERE page_id=?", (row["id"],))]
    assert texts == [LINK]


@pytest.mark.parametrize("prefix", ["/cz/", "/cz-nohdr/"])
@pytest.mark.parametrize("name", ["cp1250.html", "iso8859-2.html", "utf8.html"])
def test_corpus_charsets(encoded_site, corpus_optional, prefix, name):
    if corpus_optional is None:
        pytest.skip("corpus not found")
    s, db = encoded_site
    row = db.execute("SELECT id FROM pages WHERE url=?", (s.url(prefix + name),)).fetchone()
    texts = {r[0] for r in db.execute("SELECT text FROM links WHERE page_id=?", (row["id"],))}
    assert texts == {CZ}
