"""Stage clocks in working hours on the hall's calendar (issue 19): weekends, holidays and
调休 workdays, the lunch break, and a clock started outside working time."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app import workhours
from app.workdays import WorkCalendar

# Monday 2 November 2026 made a holiday, Saturday 31 October a 调休 workday.
CALENDAR = WorkCalendar({date(2026, 11, 2): False})
MAKEUP = WorkCalendar({date(2026, 11, 2): False, date(2026, 10, 31): True})


def test_thirty_minutes_before_lunch_and_across_it() -> None:
    assert workhours.add(datetime(2026, 10, 29, 9, 10), 30, CALENDAR) == datetime(
        2026, 10, 29, 9, 40
    )
    # 11:50 + 30 min: 10 before lunch, 20 after it (lunch 12:00–13:30)
    assert workhours.add(datetime(2026, 10, 29, 11, 50), 30, CALENDAR) == datetime(
        2026, 10, 29, 13, 50
    )
    assert (
        workhours.elapsed(datetime(2026, 10, 29, 11, 50), datetime(2026, 10, 29, 13, 50), CALENDAR)
        == 30
    )


def test_a_clock_across_a_weekend_and_a_holiday() -> None:
    friday_late = datetime(2026, 10, 30, 17, 0)
    due = workhours.add(friday_late, 60, CALENDAR)
    assert due == datetime(2026, 11, 3, 9, 30)  # 30 on Friday; Sat, Sun, the holiday Monday
    assert workhours.elapsed(friday_late, due, CALENDAR) == 60
    assert workhours.add(friday_late, 60, MAKEUP) == datetime(2026, 10, 31, 9, 30)  # 调休


def test_a_clock_started_at_night_starts_in_the_morning() -> None:
    assert workhours.add(datetime(2026, 10, 29, 22, 0), 30, CALENDAR) == datetime(
        2026, 10, 30, 9, 30
    )
    assert (
        workhours.elapsed(datetime(2026, 10, 29, 22, 0), datetime(2026, 10, 30, 8, 0), CALENDAR)
        == 0
    )


def test_working_periods_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="ordered"):
        workhours.Hours(((time(13), time(12)),))
    with pytest.raises(ValueError, match="negative"):
        workhours.add(datetime(2026, 10, 29, 9), -1, CALENDAR)
