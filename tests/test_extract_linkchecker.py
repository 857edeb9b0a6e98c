"""Link extraction against LinkChecker's own checker test pages (../shared/corpus/linkchecker).

For every HTML input with a .result file, the set of URLs we extract equals the set LinkChecker
expects, except for the differences listed in DIFFERENCES (each with its reason). Fragments are
compared away (a fragment is not a separate document; LinkChecker checks anchors, we do not), and
the page itself is left out (LinkChecker merges self-links into the page's own block).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from govaudit.extract.page import view_page
from govaudit.urls import invalid_reason, is_http, normalize

CUR, DATA, PORT = "/cur", "tests/checker/data", 8001
INVALID = "<invalid>"  # LinkChecker's "cache key None": a URL it could not parse

# file -> {url: reason}; "+url" = we extract it and LinkChecker does not, "-url" = the reverse.
DIFFERENCES: dict[str, dict[str, str]] = {
    "file.html": {
        "-javascript:loadthis()": "javascript: is not a fetchable link; scripts are not audited as links",
    },
    "file_url_quote.html": {
        "-http://localhost:8001/?quoted=%C3%BF": "LinkChecker re-reads the escape %FF as Latin-1 and "
        "re-encodes it as UTF-8; we keep percent escapes as written (browsers send %FF)",
        "+http://localhost:8001/?quoted=%FF": "same link as above, kept as written",
        "+http://localhost:8001/?quoted=%FC": "LinkChecker merges %FC with a literal ü; we keep the escape "
        "as written (browsers do too)",
        "-mailto:älvin@users.sourceforge.net": "mailto: addresses are not fetched or audited",
        "-mailto:ölvin@users.sourceforge.net": "mailto: addresses are not fetched or audited",
    },
    "http_url_quote.html": {},  # filled below: the same page as file_url_quote.html, served over HTTP
    "html5.html": {
        "-file:///cur/tests/checker/data/file.php": "manifest= sits on a stray second <html> tag that "
        "lxml drops; application-cache manifests are obsolete and removed from browsers",
    },
    "http.html": {
        "-clsid:12345-67890": "an ActiveX class id, not a URL",
        "-dns://www.example.org": "<link rel=dns-prefetch> names a host to resolve, not a document",
        "-dns://www.example.com": "<link rel=dns-prefetch> names a host to resolve, not a document",
    },
    "http_quotes.html": {
        "-http://localhost:8001/stalter%26sohn": "'&' is a legal path character (RFC 3986 sub-delim); "
        "browsers send it unescaped and so do we",
        "+http://localhost:8001/stalter&sohn": "same link as above",
    },
    "http_slash.html": {
        "+http://localhost:8001/": "'http:/' is relative to a base of the same scheme (WHATWG URL standard, "
        "what browsers do); LinkChecker calls it invalid",
        "+http://localhost:8001/tests/checker/data/www.example.com/": "'http:www.example.com/' is a relative "
        "path under WHATWG rules",
        "+http://localhost:8001/www.example.com/": "'http:/www.example.com/' is an absolute path under "
        "WHATWG rules",
        # 'http:' alone resolves to the page itself (WHATWG), which the comparison leaves out;
        # 'http://' has no host: both tools call it invalid.
    },
}
DIFFERENCES["http_url_quote.html"] = DIFFERENCES["file_url_quote.html"]
# LinkChecker recursed into these pages for the anchor test: their links count too.
RECURSE = {"anchor1.html": ["anchor2.html", "anchor3.html"]}


def _sub(s: str) -> str:
    return (s.replace("%(curdir)s", CUR).replace("%(datadir)s", DATA).replace("%(port)d", str(PORT))
            .replace("%%", "%"))


def expected_keys(result: Path) -> set[str]:
    keys = set()
    for block in result.read_text(encoding="utf-8").split("\n\n"):
        for line in block.splitlines():
            if line.startswith("cache key "):
                key = _sub(line[len("cache key "):])
                keys.add(INVALID if key == "None" else key)
    return keys


def page_url(path: Path, data: Path) -> str:
    """The page's own URL: over HTTP when its .result names it so (their suite serves those), else file://."""
    rel = path.relative_to(data).as_posix()
    result = Path(str(path) + ".result")
    served = result.exists() and f"url http://localhost:%(port)d/%(datadir)s/{rel}\n" in result.read_text(encoding="utf-8")
    return f"http://localhost:{PORT}/{DATA}/{rel}" if served else f"file://{CUR}/{DATA}/{rel}"


def canon(url: str) -> str:
    if is_http(url):
        n = normalize(url)
        return INVALID if invalid_reason(n) else n
    return url.split("#", 1)[0]


def extracted(path: Path, data: Path) -> set[str]:
    url = page_url(path, data)
    return {canon(ln.url) for ln in view_page(path.read_bytes(), url).links}


def html_inputs(corpus_dir: Path) -> list[Path]:
    return sorted(p.with_suffix("") for p in corpus_dir.glob("**/*.html.result")
                  if p.with_suffix("").exists()) + sorted(
        p.with_suffix("") for p in corpus_dir.glob("**/*.xhtml.result") if p.with_suffix("").exists())


def test_corpus_has_html_inputs(corpus):
    assert len(html_inputs(corpus / "linkchecker")) >= 25


@pytest.mark.parametrize("name", [
    "all_parts_linenos.html", "anchor1.html", "archive.html", "base1.html", "base2.html", "base3.html",
    "base4.html", "base_ignorewarnings.html", "base_ignorewarnings_with_warning.html",
    "charsets/cp1250.html", "charsets/iso8859-2.html", "charsets/utf8.html", "empty.html", "file.html",
    "file_url_quote.html", "frames.html", "html5.html", "http.html", "http.xhtml", "http_anchor.html",
    "http_empty.html", "http_file.html", "http_invalid_host.html", "http_lowercase.html",
    "http_quotes.html", "http_slash.html", "http_url_quote.html", "http_utf8.html", "misc.html",
    "redir.html", "urlencoding_anchor.html", "utf8.html",
])
def test_extracted_set_equals_linkchecker(corpus, name):
    data = corpus / "linkchecker"
    path = data / name
    if not (path.exists() and Path(str(path) + ".result").exists()):
        pytest.skip(f"{name} not in corpus")
    me = page_url(path, data)
    expected = {canon(k) for k in expected_keys(Path(str(path) + ".result"))} - {me}
    got = extracted(path, data)
    for extra in RECURSE.get(name, []):
        got |= extracted(data / extra, data)
    got -= {me}
    diffs = DIFFERENCES.get(name, {})
    allowed_missing = {k[1:] for k in diffs if k.startswith("-")}
    allowed_extra = {k[1:] for k in diffs if k.startswith("+")}
    assert expected - got == allowed_missing, f"missing: {sorted(expected - got)}"
    assert got - expected == allowed_extra, f"unexpected: {sorted(got - expected)}"


def test_every_input_with_a_result_is_covered(corpus):
    data = corpus / "linkchecker"
    names = {p.relative_to(data).as_posix() for p in html_inputs(data)}
    covered = set(test_extracted_set_equals_linkchecker.pytestmark[0].args[1])
    assert names <= covered, sorted(names - covered)


def test_comment_links_and_css_urls(corpus):
    """http.html: a link inside a comment is not a link; CSS url() in a style attribute is."""
    data = corpus / "linkchecker"
    links = view_page((data / "http.html").read_bytes(), page_url(data / "http.html", data)).links
    urls = [ln.url for ln in links]
    assert not any("nocheckin" in u for u in urls)
    css = {ln.url.rsplit("/", 1)[1] for ln in links if ln.attr == "style"}
    assert css == {"file.asc", "file.txt"}


def test_base_href_applies(corpus):
    data = corpus / "linkchecker"
    for name in ("base2.html", "base4.html"):
        got = extracted(data / name, data)
        assert got, name
    assert all("/base/" in u or u.endswith("base2.html") for u in extracted(data / "base2.html", data))
