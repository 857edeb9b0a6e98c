"""Working days in mainland China: weekends, public holidays and adjusted working days (调休).

Backed by the `chinese-calendar` package (data from the State Council's yearly holiday notices).
A date outside the years the package knows raises `OutOfRange`: callers report `not_measured`,
never a guess from weekends alone.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as _cc


class OutOfRange(ValueError):
    """The holiday calendar has no data for a date (the State Council had not published it)."""


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """(first, last) year the installed calendar covers."""
    years = {d.year for d in _cc.holidays} | {d.year for d in _cc.workdays}
    return min(years), max(years)


def covers(day: dt.date) -> bool:
    first, last = covered_years()
    return first <= day.year <= last


def is_workday(day: dt.date) -> bool:
    """True on a working day (adjusted Saturdays/Sundays included, public holidays excluded)."""
    if not covers(day):
        first, last = covered_years()
        raise OutOfRange(f"no holiday data for {day.isoformat()} (calendar covers {first}–{last})")
    return bool(chinese_calendar.is_workday(day))


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start).

    A document published on Friday and interpreted on the next Monday is 1 working day late;
    interpreted the same day, 0.
    """
    if end <= start:
        for d in (start, end):
            if not covers(d):
                is_workday(d)  # raises OutOfRange
        return 0
    for d in (start, end):
        is_workday(d)  # raises OutOfRange for either end outside the calendar
    n = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        if is_workday(day):
            n += 1
        day += dt.timedelta(days=1)
    return n


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The date n working days after start (the deadline for an n-working-day rule)."""
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day
