"""The clock of each stage of an event, in working minutes on the hall's calendar.

受理 and 派遣 within 30 minutes of the report, 签收 within an hour of the dispatch, 处置 within
the sub-type's hours of the signing (``forms/incidents``), 核查 within a working day of the
feedback. Closed, refused, merged and shelved events run no clock (a shelved one has its
review day instead).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import workhours
from app.db.models import CalendarOverride, Hall
from app.states import IncidentState
from app.workdays import WorkCalendar

S = IncidentState
ACCEPT_MIN = 30  # 受理 and 派遣
SIGN_MIN = 60  # 签收
VERIFY_MIN = 7 * 60  # 核查: a working day
MINUTES: dict[IncidentState, int | None] = {
    S.REPORTED: ACCEPT_MIN,
    S.ACCEPTED: ACCEPT_MIN,
    S.RETURNED: ACCEPT_MIN,
    S.DISPATCHED: SIGN_MIN,
    S.SIGNED: None,  # the sub-type's handling hours
    S.FED_BACK: VERIFY_MIN,
}


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar with this database's overrides (holidays, 调休)."""
    return WorkCalendar({r.day: r.is_workday for r in session.scalars(select(CalendarOverride))})


def _local(hall: Hall, at: datetime) -> datetime:
    return at.replace(tzinfo=UTC).astimezone(ZoneInfo(hall.timezone)).replace(tzinfo=None)


def _utc(hall: Hall, local: datetime) -> datetime:
    return local.replace(tzinfo=ZoneInfo(hall.timezone)).astimezone(UTC).replace(tzinfo=None)


def later(session: Session, hall: Hall, due_at: datetime, hours: int) -> datetime:
    """``due_at`` (naive UTC) moved ``hours`` working hours later (an approved 延期)."""
    return _utc(hall, workhours.add(_local(hall, due_at), hours * 60, calendar(session)))


def minutes_between(
    session: Session, hall: Hall, start: datetime, end: datetime, cal: WorkCalendar | None = None
) -> int:
    """Working minutes from ``start`` to ``end`` (both naive UTC) on the hall's calendar
    (``cal``, when the caller has read it already)."""
    return workhours.elapsed(_local(hall, start), _local(hall, end), cal or calendar(session))


def due(
    session: Session, hall: Hall, state: IncidentState, at: datetime, hours: int
) -> datetime | None:
    """When the stage ``state`` entered at ``at`` (naive UTC) is due (naive UTC), or None."""
    if state not in MINUTES:
        return None
    minutes = MINUTES[state] or hours * 60
    return _utc(hall, workhours.add(_local(hall, at), minutes, calendar(session)))
