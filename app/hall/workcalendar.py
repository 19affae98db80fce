"""The hall's working-day calendar: what the library says, and the supervisor's overrides.

Deadlines are counted in working days (:mod:`app.workdays`). The State Council publishes
each year's holidays and 调休 workdays late in the previous year; until the library knows
them, or when a local holiday applies, the hall supervisor records the days here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import chinese_calendar
from sqlalchemy import select

from app import audit, text
from app.actor import Actor
from app.db.models import CalendarOverride
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.roles import Permission
from app.workdays import CALENDAR_KEY, WorkCalendar, library_years

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
NOTE_MAX = 100


@dataclass(frozen=True)
class DayInfo:
    """One day as the deadline arithmetic sees it, and why."""

    day: date
    is_workday: bool
    kind: str  # 工作日 / 周末 / 法定节假日 / 调休上班 / 本地调整
    holiday: str  # 国庆节 … or ""
    note: str  # the override's note, or ""
    overridden: bool


def _library_detail(day: date) -> tuple[bool, str]:
    """(is_workday, holiday name) from the library alone (weekends past its years)."""
    first, last = library_years()
    if not first <= day.year <= last:
        return day.weekday() < 5, ""
    _is_holiday, name = chinese_calendar.get_holiday_detail(day)
    label = HOLIDAY_NAMES.get(str(name), str(name)) if name else ""
    return bool(chinese_calendar.is_workday(day)), label


def _info(day: date, override: CalendarOverride | None) -> DayInfo:
    workday, holiday = _library_detail(day)
    if override is not None:
        state = "上班" if override.is_workday else "休息"
        return DayInfo(day, override.is_workday, f"本地调整：{state}", holiday, override.note, True)
    weekend = day.weekday() >= 5
    if workday:
        kind = "调休上班" if weekend else "工作日"
    else:
        kind = "法定节假日" if holiday or not weekend else "周末"
    return DayInfo(day, workday, kind, holiday, "", False)


def month(db: Database, actor: Actor, year: int, month_no: int) -> list[DayInfo]:
    """Every day of a month, with the reason it is or is not a working day."""
    actor.require(Permission.SUPERVISE)
    if not 1 <= month_no <= 12 or not 2000 <= year <= 2100:
        raise ValidationError("月份超出范围。", "month")
    days = [date(year, month_no, d) for d in range(1, calendar.monthrange(year, month_no)[1] + 1)]
    with db.read_only() as s:
        found = {
            o.day: o
            for o in s.scalars(
                select(CalendarOverride).where(CalendarOverride.day.between(days[0], days[-1]))
            )
        }
    return [_info(d, found.get(d)) for d in days]


def overrides(db: Database, actor: Actor) -> list[DayInfo]:
    """Every override the hall has recorded, newest day first."""
    actor.require(Permission.SUPERVISE)
    with db.read_only() as s:
        rows = s.scalars(select(CalendarOverride).order_by(CalendarOverride.day.desc())).all()
        return [_info(o.day, o) for o in rows]


def year_status(db: Database, actor: Actor, year: int) -> str:
    """A warning when ``year`` has neither library data nor any override ("" if fine)."""
    actor.require(Permission.SUPERVISE)
    with db.read_only() as s:
        cal = WorkCalendar({o.day: o.is_workday for o in s.scalars(select(CalendarOverride))})
    cal.is_workday(date(year, 1, 1))
    return cal.warning


def set_day(db: Database, actor: Actor, day: date, is_workday: bool, note: str) -> DayInfo:
    """Record that ``day`` is (or is not) a working day in this hall. Audited."""
    actor.require(Permission.SUPERVISE)
    note = text.clean_line(note, "note", max_length=10_000)
    if not note:
        raise ValidationError("请填写调整依据（如：国办发明电〔2026〕X 号）。", "note")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"说明最多 {NOTE_MAX} 个字。", "note")
    if not 2000 <= day.year <= 2100:
        raise ValidationError("日期超出范围。", "day")
    with db.unit_of_work() as s:
        row = s.get(CalendarOverride, day)
        before = None
        if row is None:
            row = CalendarOverride(day=day, is_workday=is_workday, note=note)
            s.add(row)
        else:
            before = {"is_workday": row.is_workday, "note": row.note}
            row.is_workday, row.note = is_workday, note
        after = {"is_workday": is_workday, "note": note}
        audit.record(s, actor, "calendar_day_set", "calendar_day", day.isoformat(), before, after)
        s.commit()
        db.forget(CALENDAR_KEY)  # this PC's inbox counts with the change at once
        return _info(day, row)


def clear_day(db: Database, actor: Actor, day: date) -> DayInfo:
    """Remove an override: the day follows the library (or weekends) again. Audited."""
    actor.require(Permission.SUPERVISE)
    with db.unit_of_work() as s:
        row = s.get(CalendarOverride, day)
        if row is None:
            raise NotFound("该日期没有本地调整。")
        before = {"is_workday": row.is_workday, "note": row.note}
        s.delete(row)
        audit.record(s, actor, "calendar_day_cleared", "calendar_day", day.isoformat(), before)
        s.commit()
    db.forget(CALENDAR_KEY)
    return _info(day, None)
