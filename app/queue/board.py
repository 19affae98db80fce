"""The hall's live board: its windows, the last calls, the queues and who waits, as read now.

Every read is of one hall's rows only (a city database holds fifty halls). The changes —
opening, pausing, closing windows, the notice — are :mod:`app.queue.windows`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db import clock
from app.db.models import Hall, QueueCategory, Ticket, User, Window, WindowCategory
from app.db.session import Database
from app.errors import NotFound
from app.queue import queueing
from app.queue.queueing import TicketView
from app.states import TicketState, WindowState

LONG_WAIT_MINUTES = 30


@dataclass(frozen=True)
class WindowView:
    """A window with what it is doing now."""

    id: int
    number: int
    name: str
    state: WindowState
    clerk_name: str
    clerk_id: int | None
    letters: tuple[str, ...]  # queues served, in priority order
    current: TicketView | None


@dataclass(frozen=True)
class QueueCount:
    """How many wait in one queue, and for how long the first has waited."""

    letter: str
    name: str
    waiting: int
    longest_wait_min: int


@dataclass(frozen=True)
class Board:
    """Everything the hall display and the supervisor's view show, from one query round."""

    hall_name: str
    notice: str
    service_day: date
    now: datetime
    windows: tuple[WindowView, ...]
    recent_calls: tuple[TicketView, ...]
    queues: tuple[QueueCount, ...]
    waiting: tuple[TicketView, ...]  # in call order within each queue: priority first, FIFO
    timezone: str = "Asia/Shanghai"


def window_views(session: Session, hall: Hall, day: date) -> list[WindowView]:
    """The hall's windows with their state, clerk, queue letters and current ticket."""
    windows = session.scalars(
        select(Window).where(Window.hall_id == hall.id).order_by(Window.number)
    ).all()
    # Every read is of this hall's rows only: a city database holds fifty halls.
    letters: dict[int, list[str]] = {}
    for wid, letter in session.execute(
        select(WindowCategory.window_id, QueueCategory.letter)
        .join(QueueCategory, QueueCategory.id == WindowCategory.category_id)
        .where(QueueCategory.hall_id == hall.id)
        .order_by(WindowCategory.window_id, WindowCategory.priority)
    ):
        letters.setdefault(wid, []).append(letter)
    current = {
        t.window_id: t
        for t in session.scalars(
            select(Ticket).where(
                Ticket.hall_id == hall.id,
                Ticket.service_day == day,
                Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
            )
        )
    }
    clerks = sorted({w.clerk_id for w in windows if w.clerk_id})
    names: dict[int, str] = {}
    if clerks:
        rows = session.execute(select(User.id, User.full_name).where(User.id.in_(clerks)))
        names = {uid: name for uid, name in rows}
    return [
        WindowView(
            w.id,
            w.number,
            w.name,
            w.state,
            names.get(w.clerk_id, "") if w.clerk_id else "",
            w.clerk_id,
            tuple(letters.get(w.id, [])),
            queueing.ticket_view(session, current[w.id]) if w.id in current else None,
        )
        for w in windows
    ]


def board(db: Database, hall_id: int, recent: int = 8) -> Board:
    """The hall's state now: windows, the last calls, waiting counts and the waiting list."""
    with db.read_only() as session:
        hall = session.get(Hall, hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        now = clock.now(session)
        day = clock.service_day(session, hall, now)
        calls = session.scalars(
            select(Ticket)
            .where(
                Ticket.hall_id == hall.id,
                Ticket.service_day == day,
                Ticket.called_at.is_not(None),
                Ticket.state.in_(
                    [TicketState.CALLED, TicketState.SERVING, TicketState.DONE, TicketState.NO_SHOW]
                ),
            )
            .order_by(Ticket.called_at.desc())
            .limit(recent)
        ).all()
        waiting = session.scalars(
            select(Ticket)
            .where(
                Ticket.hall_id == hall.id,
                Ticket.service_day == day,
                Ticket.state == TicketState.WAITING,
            )
            .order_by(Ticket.queued_at)
        ).all()
        cats = session.scalars(
            select(QueueCategory)
            .where(QueueCategory.hall_id == hall.id, QueueCategory.active.is_(True))
            .order_by(QueueCategory.sort_order)
        ).all()
        queues = []
        for c in cats:
            mine = [t for t in waiting if t.category_id == c.id]
            longest = max(((now - t.queued_at).total_seconds() // 60 for t in mine), default=0)
            queues.append(QueueCount(c.letter, c.name, len(mine), int(longest)))
        return Board(
            hall_name=hall.name,
            notice=hall.notice,
            service_day=day,
            now=now,
            windows=tuple(window_views(session, hall, day)),
            recent_calls=tuple(queueing.ticket_view(session, t) for t in calls),
            queues=tuple(queues),
            waiting=tuple(queueing.ticket_view(session, t) for t in waiting),
            timezone=hall.timezone,
        )


def windows_of_hall(db: Database, actor: Actor) -> list[WindowView]:
    """The hall's windows with their state and current ticket."""
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        return window_views(session, hall, clock.service_day(session, hall))


def long_waits(b: Board) -> list[TicketView]:
    """Tickets waiting longer than the hall's threshold, for highlighting."""
    return [t for t in b.waiting if (b.now - t.issued_at).total_seconds() >= LONG_WAIT_MINUTES * 60]


def waiting_count(db: Database, hall_id: int) -> int:
    """How many wait in the whole hall today."""
    with db.unit_of_work() as session:
        hall = session.get(Hall, hall_id)
        assert hall is not None
        return int(
            session.scalar(
                select(func.count(Ticket.id)).where(
                    Ticket.hall_id == hall_id,
                    Ticket.service_day == clock.service_day(session, hall),
                    Ticket.state == TicketState.WAITING,
                )
            )
            or 0
        )
