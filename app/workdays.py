"""Working days (工作日): promised deadlines are counted in them.

The State Council's holidays and 调休 workdays come from ``chinesecalendar``; the hall's
own ``calendar_override`` rows win over it (a late notice, a local holiday). Past the
years the library knows, the calendar keeps working on weekends plus overrides and says
so (:attr:`WorkCalendar.unknown_years`), so the counter never crashes in late December.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar

# Where a program keeps the calendar it built (see Database.cached).
CALENDAR_KEY = ("calendar",)


@cache
def library_years() -> tuple[int, int]:
    """First and last year the installed holiday library has data for."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]


@dataclass
class WorkCalendar:
    """Which days are working days, by the library plus the hall's overrides."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    unknown_years: set[int] = field(default_factory=set)
    # An inbox page asks for the same few (today, due) spans fifty times.
    _spans: dict[tuple[date, date], int] = field(default_factory=dict, repr=False)

    def is_workday(self, day: date) -> bool:
        """True on a working day. Overrides first, then the library, then weekends."""
        if day in self.overrides:
            return self.overrides[day]
        first, last = library_years()
        if first <= day.year <= last:
            return bool(chinese_calendar.is_workday(day))
        if not any(d.year == day.year for d in self.overrides):
            self.unknown_years.add(day.year)
        return day.weekday() < 5

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted).

        ``days == 0`` is the same day (即办件).
        """
        current, left = start, days
        while left > 0:
            current += timedelta(days=1)
            if self.is_workday(current):
                left -= 1
        return current

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if overdue)."""
        if end < start:
            return -self.between(end, start)
        known = self._spans.get((start, end))
        if known is None:
            known = sum(
                1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(n))
            )
            self._spans[(start, end)] = known
        return known

    @property
    def warning(self) -> str:
        """A line for the screen when deadlines ran into a year with no holiday data."""
        if not self.unknown_years:
            return ""
        years = "、".join(str(y) for y in sorted(self.unknown_years))
        return (
            f"{years} 年的法定节假日尚未录入：期限暂按周末计算，"
            "请大厅管理员按国务院办公厅通知录入节假日调整。"
        )
