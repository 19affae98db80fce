"""The wait a ticket slip and the counter screens show: tickets ahead and minutes.

Tickets ahead are counted exactly (priority tickets first, then first come first served);
the minutes are that count times the queue's pace: today's mean service time spread over
the windows open for the queue.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Select, bindparam, func, select
from sqlalchemy.orm import Session

from app.db.models import Ticket, Window
from app.db.models.queue import WindowCategory
from app.states import TicketState, WindowState

DEFAULT_SERVICE_MINUTES = 5.0


def _ahead(priority: bool) -> ColumnElement[Any]:
    """How many tickets of the same queue will be called before a ticket queued at ``:queued_at``.

    Priority tickets go first; within each group, first come first served. For an
    ordinary ticket that is everyone queued earlier (counted on the queue's index alone)
    plus the priority tickets queued later.
    """
    same_queue = select(func.count()).where(
        Ticket.hall_id == bindparam("hall_id"),
        Ticket.service_day == bindparam("day"),
        Ticket.state == TicketState.WAITING,
        Ticket.category_id == bindparam("category_id"),
    )
    earlier = Ticket.queued_at < bindparam("queued_at")
    others_first = Ticket.priority_reason.is_not(None) & (Ticket.id != bindparam("ticket_id"))
    if priority:
        return same_queue.where(earlier, others_first).scalar_subquery()
    later = same_queue.where(Ticket.queued_at >= bindparam("queued_at"), others_first)
    return same_queue.where(earlier).scalar_subquery() + later.scalar_subquery()


def _mean_seconds(dialect: str) -> Select[Any]:
    """Today's mean service time (seconds) in the queue."""
    seconds: ColumnElement[Any]
    if dialect == "postgresql":
        seconds = func.extract("epoch", Ticket.finished_at - Ticket.started_at)
    else:
        seconds = (func.julianday(Ticket.finished_at) - func.julianday(Ticket.started_at)) * 86400
    return select(func.avg(seconds)).where(
        Ticket.hall_id == bindparam("hall_id"),
        Ticket.service_day == bindparam("day"),
        Ticket.category_id == bindparam("category_id"),
        Ticket.state == TicketState.DONE,
        Ticket.started_at.is_not(None),
        Ticket.finished_at.is_not(None),
    )


def _open_windows() -> Select[Any]:
    return (
        select(func.count(Window.id))
        .join(WindowCategory, WindowCategory.window_id == Window.id)
        .where(
            WindowCategory.category_id == bindparam("category_id"),
            Window.state == WindowState.OPEN,
        )
    )


@dataclass(frozen=True)
class Pace:
    """How fast a queue moves today: open windows serving it, mean minutes per ticket."""

    windows: int
    minutes: float

    def wait(self, ahead: int) -> int:
        """Estimated minutes for ``ahead`` tickets (0 when nobody is ahead)."""
        return math.ceil(ahead * self.minutes / self.windows) if ahead else 0


@functools.cache
def _pace_query(dialect: str) -> Select[Any]:
    return select(_open_windows().scalar_subquery(), _mean_seconds(dialect).scalar_subquery())


@functools.cache
def _ahead_query(priority: bool) -> Select[Any]:
    return select(_ahead(priority))


def queue_pace(conn: Connection, hall_id: int, day: date, category_id: int) -> Pace:
    """Open windows and today's mean service time (the default before anyone was served)."""
    params = {"hall_id": hall_id, "day": day, "category_id": category_id}
    windows, mean = conn.execute(_pace_query(conn.dialect.name), params).one()
    minutes = float(mean) / 60 if mean else DEFAULT_SERVICE_MINUTES
    return Pace(windows=int(windows or 0) or 1, minutes=minutes)


def wait_estimate(session: Session, ticket: Ticket) -> tuple[int, int]:
    """(tickets ahead, estimated minutes): ahead × today's mean service time ÷ open windows."""
    conn = session.connection()
    pace = queue_pace(conn, ticket.hall_id, ticket.service_day, ticket.category_id)
    ahead = ahead_count(conn, ticket)
    return ahead, pace.wait(ahead)


class _Queued(Protocol):
    """What the wait estimate needs of a ticket (a row, or one just issued)."""

    @property
    def id(self) -> int: ...
    @property
    def hall_id(self) -> int: ...
    @property
    def service_day(self) -> date: ...
    @property
    def category_id(self) -> int: ...
    @property
    def queued_at(self) -> datetime: ...
    @property
    def priority_reason(self) -> str | None: ...


def ahead_count(conn: Connection, ticket: _Queued) -> int:
    """Exact when read while the queue's counter row is locked (see :func:`issue_ticket`)."""
    params = {
        "hall_id": ticket.hall_id,
        "day": ticket.service_day,
        "category_id": ticket.category_id,
        "ticket_id": ticket.id,
        "queued_at": ticket.queued_at,
    }
    return int(conn.execute(_ahead_query(bool(ticket.priority_reason)), params).scalar_one() or 0)
