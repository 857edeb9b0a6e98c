"""Working days with China's public holidays and adjusted working days (chinese-calendar)."""
from __future__ import annotations

import datetime as dt

import pytest

from govaudit.extract.workdays import OutOfRange, add_workdays, covered_years, is_workday, workdays_between

D = dt.date


def test_weekends_count_not():
    assert workdays_between(D(2024, 3, 1), D(2024, 3, 4)) == 1   # Friday -> Monday
    assert workdays_between(D(2024, 3, 4), D(2024, 3, 4)) == 0   # same day
    assert workdays_between(D(2024, 3, 5), D(2024, 3, 4)) == 0   # interpretation first


def test_late_looking_pair_across_national_day_is_on_time():
    # 9 calendar days, but 1–7 October 2026 are public holidays: 2 working days (8 and 9 October)
    doc, interp = D(2026, 9, 30), D(2026, 10, 9)
    assert (interp - doc).days == 9
    assert workdays_between(doc, interp) == 2


def test_adjusted_working_saturday_counts():
    # Saturday 10 October 2026 is an adjusted working day (调休): Friday -> Wednesday is 4, not 3
    assert is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 14)) == 4
    # published on that Saturday, interpreted on Wednesday: 4 calendar days, 3 working days (on time)
    assert workdays_between(D(2026, 10, 10), D(2026, 10, 14)) == 3


def test_spring_festival_2024():
    # 2024-02-10 … 02-17 holiday; 02-04 (Sun) and 02-18 (Sun) adjusted working days
    assert not is_workday(D(2024, 2, 12)) and is_workday(D(2024, 2, 18)) and is_workday(D(2024, 2, 4))
    assert workdays_between(D(2024, 2, 9), D(2024, 2, 19)) == 2   # 18 (Sun, adjusted) and 19


def test_add_workdays_is_the_inverse():
    base = D(2026, 9, 30)
    for n in range(1, 8):
        assert workdays_between(base, add_workdays(base, n)) == n


def test_out_of_range_is_an_error_not_a_guess():
    first, last = covered_years()
    assert first <= 2004 and last >= 2026
    with pytest.raises(OutOfRange):
        workdays_between(D(last, 12, 1), D(last + 1, 1, 10))
    with pytest.raises(OutOfRange):
        is_workday(D(first - 1, 6, 1))


def test_late_looking_pair_on_time_because_of_the_tiaoxiu_swap():
    # Mid-Autumn 2024: Saturday 14 Sept worked (adjusted working day) in exchange for Monday 16 Sept
    # off (in lieu), Tuesday 17 Sept the festival. Friday 13 -> Thursday 19: Mon–Thu would be 4
    # working days (late); with the swap it is Sat 14, Wed 18, Thu 19 = 3 (on time).
    assert is_workday(D(2024, 9, 14)) and not is_workday(D(2024, 9, 16))
    assert workdays_between(D(2024, 9, 13), D(2024, 9, 19)) == 3
