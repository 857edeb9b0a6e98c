"""Property tests (hypothesis) on the date extractor and the annual-report reader: no exception
escapes, and outputs keep their invariants."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

dates = pytest.importorskip("govaudit.extract.dates")

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

_date_bits = st.sampled_from(["2024年3月5日", "2024-03-05", "2024/3/5", "2024.03.05", "20240305", "03-05", "3月5日",
                              "二〇二四年三月五日", "２０２４－０３－０５", "2024年13月45日", "0000-00-00", "9999-12-31",
                              "2024-02-30", "发布时间：", "[", "]", "12:30", "12:30:59", " ", "年", "月", "日", "-",
                              "\u3000", "〇", "十二", "31", "29"])
_texts = st.one_of(st.lists(st.one_of(_date_bits, st.text(max_size=5)), max_size=12).map("".join), st.text(max_size=60))
_today = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@SETTINGS
@given(_texts)
def test_find_dates_total_and_consistent(text):
    found = dates.find_dates(text)
    norm = dates.normalize_digits(text)
    assert len(norm) == len(text)
    last = -1
    for m in found:
        assert 1 <= m.month <= 12 and 1 <= m.day <= 31
        assert 0 <= m.start < m.end <= len(text) and m.start >= last
        last = m.start
        d = m.date
        assert d is None or (d.month, d.day) == (m.month, m.day)
        if m.year is not None and d is not None:
            assert d.year == m.year


@SETTINGS
@given(_texts, _today)
def test_parse_functions_total(text, today):
    d = dates.parse_date(text, today=today)
    assert d is None or isinstance(d, dt.date)
    m = dates.parse_match(text)
    assert m is None or isinstance(m, dates.DateMatch)
    t = dates.parse_datetime(text)
    assert t is None or isinstance(t, dt.datetime)


@SETTINGS
@given(st.integers(1, 12), st.integers(1, 31), _today)
def test_inferred_year_never_after_today(month, day, today):
    y = dates.infer_year(month, day, today)
    assert today.year - 2 <= y <= today.year
    try:
        assert dt.date(y, month, day) <= today
    except ValueError:
        pass  # 31 April or 29 February in a common year: no such date, any year is acceptable


@SETTINGS
@given(st.lists(st.one_of(st.none(), _texts.map(lambda s: dates.parse_match(s))), max_size=10), _today)
def test_infer_years_keeps_length(matches, today):
    out = dates.infer_years(matches, today)
    assert len(out) == len(matches)
    assert all(d is None or isinstance(d, dt.date) for d in out)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"<html><table>"]).flatmap(
        lambda head: st.binary(max_size=1500).map(lambda tail: head + tail)),
    st.lists(st.sampled_from(["<table>", "<tr>", "<td rowspan=99999>", "<td colspan=0>", "<th>", "1,234", "（一）",
                              "二、主动公开政府信息情况", "</td>", "</tr>", "</table>", "收到申请数", "-"]),
             max_size=40).map(lambda parts: "".join(parts).encode())),
    st.sampled_from(["a.pdf", "a.docx", "a.html", ""]))
def test_annual_report_reader_never_raises(data, name):
    ar = pytest.importorskip("govaudit.extract.annual_report")
    rep = ar.read_report(data, f"http://x.gov.cn/{name}", "")
    assert rep is not None
    assert getattr(rep, "status", None) is not None
