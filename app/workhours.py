"""Clocks in working hours on the hall's calendar (issue 19's stage clocks: 受理 and 派遣
within 30 minutes, 签收 within an hour, 处置 by sub-type).

A working day (:class:`app.workdays.WorkCalendar`: weekends, holidays and 调休 included) has
two periods, 09:00–12:00 and 13:30–17:30 hall time by default (7 hours): a clock runs only
inside them. All times are naive and in the hall's time zone; callers convert from the UTC
the database keeps. Pure arithmetic: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app.workdays import WorkCalendar

SEARCH_DAYS = 400  # a deadline further than this many calendar days is a bug, not a clock


@dataclass(frozen=True)
class Hours:
    """The working periods of a day, in order, not overlapping."""

    periods: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13, 30), time(17, 30)))

    def __post_init__(self) -> None:
        ends = [t for period in self.periods for t in period]
        if not self.periods or ends != sorted(ends) or any(a == b for a, b in self.periods):
            raise ValueError(f"working periods must be ordered and non-empty: {self.periods}")


def _periods(
    moment: datetime, calendar: WorkCalendar, hours: Hours
) -> Iterator[tuple[datetime, datetime]]:
    """The working periods from ``moment`` on (the first one cut at ``moment``)."""
    day = moment.date()
    for _ in range(SEARCH_DAYS):
        if calendar.is_workday(day):
            for start, end in hours.periods:
                a, b = datetime.combine(day, start), datetime.combine(day, end)
                if b > moment:
                    yield max(a, moment), b
        day += timedelta(days=1)
    raise ValueError(f"no working time within {SEARCH_DAYS} days of {moment}")


def add(moment: datetime, minutes: int, calendar: WorkCalendar, hours: Hours = Hours()) -> datetime:
    """The moment ``minutes`` working minutes after ``moment`` (a deadline). A clock started
    outside working time starts at the next working period."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    left = timedelta(minutes=minutes)
    for a, b in _periods(moment, calendar, hours):
        if b - a >= left:
            return a + left
        left -= b - a
    raise AssertionError("unreachable")  # _periods raises first


def elapsed(start: datetime, end: datetime, calendar: WorkCalendar, hours: Hours = Hours()) -> int:
    """Working minutes from ``start`` to ``end`` (0 if ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    total = timedelta()
    for a, b in _periods(start, calendar, hours):
        if a >= end:
            break
        total += min(b, end) - a
    return int(total.total_seconds() // 60)
