"""The demo portal's real-world layouts (issue 19) read right by the extractors: a <dl> list, a
year-less list with dates before the titles, a list an inline script builds from a data array, a
guide in traditional characters and a 2019-format report."""
from __future__ import annotations

import datetime as dt

import pytest

from govaudit.demo.site import build_site
from govaudit.extract import guide as G
from govaudit.extract.annual_report import read_report, structure_problems
from govaudit.extract.html import parse
from govaudit.extract.lists import extract_list, script_filled

TODAY = dt.date(2027, 1, 10)   # just after new year: year-less dates of last year must stay last year's
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    return build_site(TODAY)   # built once: the reports' PDF and DOCX take a few seconds


def _list(site, folder: str):  # type: ignore[no-untyped-def]
    url = f"{BASE}/xxgk/{folder}/index.html"
    return extract_list(parse(site.resources[f"/xxgk/{folder}/index.html"].body.decode("utf-8")), url, TODAY)


def test_dl_and_yearless_columns_read_with_their_dates(site) -> None:
    dl = _list(site, "zjdt")
    assert [i.date for i in dl.items] == [site.day(30), site.day(45)]
    yl = _list(site, "jcdt")
    assert [i.date for i in yl.items] == [site.day(40), site.day(70)]   # 2026-12-01, not 2027-12-01
    assert {e.url for e in site.expected if e.rule == "column.stale"} >= {"/xxgk/zjdt/index.html", "/xxgk/jcdt/index.html"}


def test_data_array_list_is_script_filled(site) -> None:
    body = site.resources["/xxgk/zcwj/index.html"].body.decode("utf-8")
    assert "ul#docs" in (script_filled(parse(body), f"{BASE}/xxgk/zcwj/index.html") or "")
    assert _list(site, "zcwj").js_list


def test_traditional_guide_reads_complete(site) -> None:
    out = G.inspect_guide(site.resources["/xxgk/zn/jyj.html"].body, f"{BASE}/xxgk/zn/jyj.html")
    assert out["missing"] == [] and out["simplified"]
    assert out["faxes"] == ["0471-6234572"] and out["phones"] == ["0471-6234571"]
    assert out["elements"]["hours"]["sentence"].startswith("办公时间")


def test_traditional_guide_without_opencc(monkeypatch) -> None:
    """The built-in table reads a guide's labels when OpenCC is not installed."""
    monkeypatch.setattr(G, "_converter", False)
    rep = G.read_guide("受理機構：青山縣教育局辦公室；辦公時間：週一至週五；聯繫電話：0471-6234571；傳真：0471-6234572。")
    assert all(rep.elements[k]["found"] for k in ("office", "hours", "phone", "fax"))


def test_2019_format_report_in_the_demo(site) -> None:
    y3 = max(site.data["annual_reports"]["specs"]) - 3
    path = next(p for p in site.resources if p.endswith("ndbg.docx") and f"/{y3 + 1}01/" in p)
    rep = read_report(site.resources[path].body, BASE + path, site.resources[path].content_type)
    assert rep.table2 is not None and rep.table2["format"] == "2019" and rep.table2["missing_rows"] == []
    assert rep.table2["cells"]["normative"]["published"].value == 3
    sp = structure_problems(rep)
    assert sp["missing_sections"] == ["五、存在的主要问题及改进情况"] and sp["incomplete_tables"] == {}
