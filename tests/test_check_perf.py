"""The check stage's fast paths give exactly the answers of the plain code they replace.

Each fast path (memoised URL normalisation, the vocabulary pre-test, the 文号 pre-test, the
backwards label scan, the digit folding) is compared with a reference copy of the original code,
on crafted look-alikes and on the real pages of the corpus.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from lxml import etree

from govaudit.checks.analyses import vocab
from govaudit.extract import interp as X
from govaudit.extract.dates import _FW, normalize_digits
from govaudit.extract.encoding import decode_html
from govaudit.extract.html import parse
from govaudit.urls import _normalize, normalize


# -- reference copies of the replaced code ---------------------------------------------------------
def ref_find_terms(text: str, terms: list[str]) -> list[tuple[str, int]]:
    rx = vocab._terms_re(tuple(terms))
    return [] if rx is None or not text else [(m.group(0), m.start()) for m in rx.finditer(text)]


def ref_has_doc_number(text: str) -> bool:
    return bool(X._DOCNO.search(X.nfkc(text)))


def ref_preceding_text(a: etree._Element, levels: int = 4, limit: int = 40) -> str:
    parts: list[str] = []
    node, total = a, 0
    for _ in range(levels):
        parent = node.getparent()
        if parent is None or not isinstance(parent.tag, str) or parent.tag == "body":
            break
        buf = [parent.text or ""]
        for sib in parent:
            if sib is node:
                break
            if isinstance(sib.tag, str):
                buf.append(X._text_without_links(sib))
            buf.append(sib.tail or "")
        chunk = "".join(buf)
        parts.insert(0, chunk)
        total += len(chunk.strip())
        node = parent
        if total >= limit:
            break
    return " ".join("".join(parts).split())[-limit:]


def corpus_pages(corpus: Path, limit: int = 400) -> list[str]:
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".html", ".htm", ".shtml", ".jsp", ".xhtml"))[:limit]
    return [decode_html(p.read_bytes(), "")[0] for p in files]


# -- vocabulary --------------------------------------------------------------------------------------
TERMS = vocab.ILLEGAL_TERMS


@pytest.mark.parametrize("text", [
    "", "本站首页", "澳门赌场" + "x" * 300, "x" * 300 + "BET365 注册", "x" * 300 + "Bet365a",
    "x" * 300 + "B\u0130t", "y" * 300 + "\u017fp" + "B\u0131N", "z" * 300 + "BWIN", "z" * 300 + "bw\u0130n",
    "严厉打击网上赌场违法犯罪活动。" * 30, "成人教育 " * 80, "ag真人娱乐" + "。" * 300, "a" * 300 + "pk10",
])
def test_find_terms_matches_the_plain_regex(text: str) -> None:
    assert vocab.find_terms(text, TERMS) == ref_find_terms(text, TERMS)
    assert vocab.find_terms(text, TERMS) == vocab.find_terms(text, TERMS)  # cached answers are copies


def test_find_terms_with_cased_non_ascii_terms_skips_the_pretest() -> None:
    terms = ["ΚΑΖΙΝΟ", "casino"]
    text = "x" * 300 + "καζινο"
    assert vocab._lowered(tuple(terms)) is None
    assert vocab.find_terms(text, terms) == ref_find_terms(text, terms) != []


def test_only_four_non_ascii_letters_match_ascii_letters_under_ignorecase() -> None:
    rx = re.compile("[a-z]", re.I)
    odd = {chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and rx.fullmatch(chr(c))}
    assert odd == set(vocab._ODD_CASE)


def test_find_terms_on_corpus_pages(corpus: Path) -> None:
    texts = corpus_pages(corpus)
    assert texts
    for t in texts:
        assert vocab.find_terms(t, TERMS) == ref_find_terms(t, TERMS)
        seeded = t[: len(t) // 2] + "澳门赌场BET365" + t[len(t) // 2:]
        assert vocab.find_terms(seeded, TERMS) == ref_find_terms(seeded, TERMS)


# -- 文号 pre-test -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "", "号", "青政规〔2024〕1号", "青政规（２０２４）第 12 号", "京ICP备12345678号", "x\n青政规[2024]\n1号",
    "青 ［2024］1号", "<p>国办发〔2023〕\n\n 5 号</p>", "文号：粤府函【2019】 88号", "青政规〔1899〕1号",
    "e\u0301\n青政规〔2024〕1号", "\u2474青政规\u3014２０２１\u3015３号",
])
def test_has_doc_number_matches_nfkc_search(text: str) -> None:
    assert X.has_doc_number(text) == ref_has_doc_number(text)


def test_has_doc_number_on_corpus_pages(corpus: Path) -> None:
    for t in corpus_pages(corpus):
        assert X.has_doc_number(t) == ref_has_doc_number(t)


# -- labels before a link ------------------------------------------------------------------------------
LABEL_PAGES = [
    "<ul>" + "".join(f"<li><a href='/{i}'>栏目{i}</a></li>" for i in range(60)) + "</ul>",
    "<div>相关文件：<a href='/d'>关于印发《某某办法》的通知</a></div>",
    "<div><p>相关解读</p><!-- c --><span>  </span><a href='/i'>一图读懂</a></div>",
    "<table><tr><td>原文链接</td><td><b>x</b> y <a href='/x'>z</a></td></tr></table>",
    "<div>" + "很长的一段文字。" * 20 + "<a href='/a'>甲</a>" + "尾巴" * 10 + "<a href='/b'>乙</a></div>",
    "<p>政策原文 <i>见</i>\n\t<a href='/p'>文件</a> 以及 <a href='/q'>附件</a></p>",
]


@pytest.mark.parametrize("html", LABEL_PAGES)
def test_preceding_text_matches_the_forward_scan(html: str) -> None:
    root = parse(f"<html><body><div class='c'>{html}</div></body></html>")
    for a in root.iter("a"):
        for limit in (5, 40):
            assert X._preceding_text(a, limit=limit) == ref_preceding_text(a, limit=limit)


def test_preceding_text_on_corpus_pages(corpus: Path) -> None:
    n = 0
    for t in corpus_pages(corpus, limit=150):
        root = parse(t)
        if root is None:
            continue
        memo: dict = {}
        for a in list(root.iter("a"))[:400]:
            expected = ref_preceding_text(a)
            assert X._preceding_text(a) == expected
            assert X._preceding_text(a, memo=memo) == expected
            n += 1
    assert n > 100


# -- digits and URLs -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "2024-01-02", "２０２４年１月２日", "发布时间：2024／01／02\u3000１２：３０",
                                  "【来源】（市政府）\xa0—–―．［ ］", "plain ascii"])
def test_normalize_digits_matches_translate(text: str) -> None:
    assert normalize_digits(text) == text.translate(_FW)


def test_normalize_digits_on_corpus_pages(corpus: Path) -> None:
    for t in corpus_pages(corpus, limit=100):
        assert normalize_digits(t) == t.translate(_FW)


def test_normalize_is_memoised_and_unchanged() -> None:
    urls = ["HTTP://Example.GOV.cn:80/a b?x=中#f", " https://例子.中国/路径 ", "mailto:x@y", "http://[::1]:8080/"]
    for u in urls:
        assert normalize(u) == _normalize.__wrapped__(u)
        assert normalize(u) == normalize(u)
    assert _normalize.cache_info().hits > 0


def test_has_doc_number_on_generated_lookalikes() -> None:
    import random

    rnd = random.Random(7)
    alphabet = list("青政规办发〔〕[]【】()（）〖〗︵︶﹝﹞［］2019０１２９⑴⒇㉑①¹ \u3000\xa0\n第号号号")
    for _ in range(5000):
        t = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 24)))
        assert X.has_doc_number(t) == ref_has_doc_number(t), t


@pytest.mark.parametrize("html", LABEL_PAGES)
def test_preceding_text_with_a_shared_memo(html: str) -> None:
    root = parse(f"<html><body><div class='c'>{html}</div></body></html>")
    memo: dict = {}
    for a in root.iter("a"):
        assert X._preceding_text(a, memo=memo) == ref_preceding_text(a)


def test_no_declarations_hide_nothing() -> None:
    from govaudit.extract.visibility import hiding

    assert hiding({}) == []  # _own_hiding skips hiding() for elements without a style attribute


def test_publish_label_regex_lookahead_changes_no_match(corpus: Path) -> None:
    from govaudit.extract import dates as D
    from govaudit.extract.html import document_text

    plain = re.compile(D._LABEL_RE.pattern.split(")", 1)[1])  # the pattern without its lookahead
    assert plain.pattern.startswith("(")
    texts = ["发布日期：2024-01-02", "开标时间 2024", "日期:2024", "更新时间【2024", "时间 时间日期"]
    for t in corpus_pages(corpus, limit=150):
        root = parse(t)
        texts.append(normalize_digits(document_text(root)) if root is not None else "")
    for t in texts:
        assert [(m.span(), m.group(1)) for m in D._LABEL_RE.finditer(t)] == \
               [(m.span(), m.group(1)) for m in plain.finditer(t)]


# -- the check stage in several processes gives the findings of one process ------------------------
def test_parallel_checks_give_the_sequential_findings(demo_audit: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from govaudit.checks.run import run_checks
    from govaudit.checks.settings import load_rules_config
    from govaudit.pipeline import units_from_store
    from govaudit.store import Store

    runs = {}
    for workers in ("1", "2"):
        shutil.copy(demo_audit / "govaudit.sqlite", tmp_path / f"{workers}.sqlite")
        store = Store(tmp_path / f"{workers}.sqlite")
        try:
            run = store.run(None)
            monkeypatch.setenv("GOVAUDIT_CHECK_WORKERS", workers)
            found = run_checks(store, run["id"], units_from_store(store, run["id"]), load_rules_config(),
                               __import__("datetime").date.fromisoformat(run["today"]))
            stored = [(f["rule"], f["outcome"], f["fingerprint"]) for f in store.findings(run["id"])]
        finally:
            store.close()
        runs[workers] = ([(f.rule, f.outcome, f.url, f.message) for f in found], stored)
    assert len(runs["1"][0]) > 40 and any(o == "fail" for _, o, _, _ in runs["1"][0])
    assert runs["2"] == runs["1"]   # same findings, same order, same fingerprints in the store
