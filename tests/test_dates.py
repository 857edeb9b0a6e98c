"""Dates in Chinese formats and article publish dates (real pages from the corpus)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from govaudit.extract.dates import (find_dates, infer_years, normalize_digits, parse_date, parse_datetime,
                                    parse_match, publish_candidates, publish_date)
from govaudit.extract.html import parse

D = dt.date
TODAY = D(2024, 6, 10)


@pytest.mark.parametrize("text, expected", [
    ("2024-03-05", D(2024, 3, 5)),
    ("2024/3/5", D(2024, 3, 5)),
    ("2024.03.05", D(2024, 3, 5)),
    ("2024年3月5日", D(2024, 3, 5)),
    ("2024 年 3 月 5 日", D(2024, 3, 5)),
    ("２０２４年０３月０５日", D(2024, 3, 5)),
    ("２０２４－０３－０５", D(2024, 3, 5)),
    ("二〇二四年三月五日", D(2024, 3, 5)),
    ("二〇二三年十二月三十一日", D(2023, 12, 31)),
    ("20240305", D(2024, 3, 5)),
    ("2024-03-05 14:30", D(2024, 3, 5)),
    ("2024-03-05 14:30:59", D(2024, 3, 5)),
    ("2007-08-20-23:59:59", D(2007, 8, 20)),
    ("发布时间：2024年03月05日 09:12", D(2024, 3, 5)),
    ("[03-05]", D(2024, 3, 5)),
    ("（05-20）", D(2024, 5, 20)),
    ("3月5日", D(2024, 3, 5)),
    ("[12-30]", D(2023, 12, 30)),      # after the crawl date this year -> last year
])
def test_parse_date_formats(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "电话：0471-1234567", "2024-13-05", "2024-02-30", "第3号", "1234/56/78",
                                  "版本 1.2.3", "12345678", "编号 2024-0305"])
def test_not_dates(text: str) -> None:
    assert parse_date(text, today=TODAY) is None


def test_time_kept() -> None:
    assert parse_match("2024-03-05 14:30").time == "14:30"
    assert parse_datetime("2024年3月5日 8:05:09") == dt.datetime(2024, 3, 5, 8, 5, 9)
    assert parse_datetime("[03-05]") is None


def test_normalize_digits_keeps_length() -> None:
    s = "２０２４／３／５　１０：３０"
    assert len(normalize_digits(s)) == len(s)
    assert normalize_digits(s) == "2024/3/5 10:30"


def test_find_dates_positions() -> None:
    text = "印发日期：2023年1月2日，实施日期：2023-02-01；[03-04]"
    found = find_dates(text)
    assert [(m.year, m.month, m.day) for m in found] == [(2023, 1, 2), (2023, 2, 1), (None, 3, 4)]
    assert text[found[1].start:found[1].end] == "2023-02-01"


def test_infer_years_from_neighbours_and_wrap() -> None:
    # a newest-first list crossing new year, no full dates: year decreases at the wrap
    items = [parse_match(s) for s in ["[01-05]", "[01-02]", "[12-28]", "[11-30]"]]
    assert infer_years(items, today=D(2024, 1, 10)) == [D(2024, 1, 5), D(2024, 1, 2), D(2023, 12, 28),
                                                        D(2023, 11, 30)]
    # a full-dated neighbour decides the year, even far from the crawl date
    items = [parse_match(s) for s in ["2019-03-01", "[02-27]", "[02-20]"]]
    assert infer_years(items, today=TODAY) == [D(2019, 3, 1), D(2019, 2, 27), D(2019, 2, 20)]
    # never in the future
    assert infer_years([parse_match("[07-01]")], today=TODAY) == [D(2023, 7, 1)]


def _article(corpus, name: str):
    return parse((corpus / "gov_articles" / name).read_text(encoding="utf-8", errors="replace"))


def test_publish_date_real_articles(corpus) -> None:
    got = publish_date(_article(corpus, "shanxi_gov_article_2019-09-18.html"))
    assert got.date == D(2019, 9, 18) and got.source == "meta:PubDate"
    got = publish_date(_article(corpus, "zj_fgw_article_2016-11-22.html"))
    assert got.date == D(2016, 11, 22)
    got = publish_date(_article(corpus, "govcn_gongbao_article_2007.html"))
    # firstpublishedtime, not the "页面生成时间 2023-10-23" stamp in meta "others"
    assert got.date == D(2007, 8, 20) and got.source == "meta:firstpublishedtime"


def test_publish_date_ignores_stale_template_attribute(corpus) -> None:
    """Without its meta tag the 山西 page still gives 2019-09-18: alt="时间：2017-11-08" is an attribute."""
    root = _article(corpus, "shanxi_gov_article_2019-09-18.html")
    got = publish_date(root, meta={})
    assert got is not None and got.date == D(2019, 9, 18) and got.source == "label:时间"
    cands = publish_candidates(root, meta={})
    assert D(2017, 11, 8) not in [c.date for c in cands]
    # even when the caller passes the raw HTML as text
    raw = (corpus / "gov_articles" / "shanxi_gov_article_2019-09-18.html").read_text(encoding="utf-8")
    assert publish_date(root, raw, {}).date == D(2019, 9, 18)


def test_publish_date_label_only_zj(corpus) -> None:
    got = publish_date(_article(corpus, "zj_fgw_article_2016-11-22.html"), meta={})
    assert got.date == D(2016, 11, 22) and got.source == "label:发布日期"


def test_publish_date_fixtures() -> None:
    html = """<html><head><meta name="lastmodifiedtime" content="2024-05-01"></head><body>
    <div class="info"><span>来源：办公室</span><span>发布时间：２０２４年０３月０５日　１０：３０</span></div>
    <p>根据2020年1月1日施行的办法……</p><img alt="日期：2010-01-01" src="x.png"></body></html>"""
    got = publish_date(parse(html))
    assert got.date == D(2024, 3, 5) and got.source == "label:发布时间" and got.time == "10:30"
    # label ranking: 发布日期 beats 成文日期 whatever the order in the page
    html = "<p>成文日期：2024-01-02</p><p>发布日期：2024-01-09</p>"
    got = publish_date(parse(html))
    assert got.date == D(2024, 1, 9) and got.others[0]["date"] == "2024-01-02"
    # no date at all, and a date inside a comment, are not a publish date
    assert publish_date(parse("<p>发布时间：</p><!-- 发布时间：2020-01-01 --><p>正文</p>")) is None


def test_publish_date_meta_variants() -> None:
    html = '<head><meta name="pubdate" content="2020年08月02日"><meta name="others" content="页面生成时间 2023-10-23"></head>'
    got = publish_date(parse(html))
    assert got.date == D(2020, 8, 2)
    assert re.match(r"meta:pubdate", got.source)


def test_publish_date_handan_detail_page(corpus) -> None:
    """PubDate meta in 2020年08月02日 form; 发布日期 in <strong> with the date after it (成文日期 is
    commented out)."""
    root = parse((corpus / "handan_platform" / "handan_xxgk_details.jsp").read_text(encoding="utf-8"))
    got = publish_date(root)
    assert got.date == D(2020, 8, 2) and got.source == "meta:PubDate" and got.others == []
    got = publish_date(root, meta={})
    assert got.date == D(2020, 8, 2) and got.source == "label:发布日期"


def test_generic_labels_only_on_their_own() -> None:
    """开标时间 / 截止日期 in a procurement notice are not the notice's publish date."""
    html = "<p>开标时间：2030-01-15 09:30</p><p>报名截止日期：2030-01-10</p>"
    assert publish_date(parse(html)) is None
    html = "<p>时间：2024-03-05</p><p>开标时间：2030-01-15</p>"
    assert publish_date(parse(html)).date == D(2024, 3, 5)
