"""The hall's queue, part two: calling tickets to windows and every later transition.

Calling picks the next ticket with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two windows
never call the same ticket and never wait for each other. Every change goes through
``TICKET_FLOW`` and appends an audit event in the same transaction.

The day's rollover (:func:`close_past_days`) closes what an earlier service day left open.
A ticket of an earlier service day takes no other step, by any path: :func:`_guard` (called
by :func:`_transition`, the one place a ticket's state changes) refuses it with
:class:`PastDayTicket`, and the refused action runs the rollover so that the ticket stops
holding its window; :func:`call_next` closes such a ticket still held by its window itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.db import clock
from app.db.models import Hall, Ticket, Window
from app.db.models.queue import WindowCategory
from app.db.session import Database
from app.errors import (
    Conflict,
    DomainError,
    EnvironmentProblem,
    NotFound,
    PermissionDenied,
)
from app.queue import queueing
from app.queue.queueing import TicketView
from app.roles import Permission
from app.states import TICKET_FLOW, TICKET_PAST_DAY_TARGETS, TicketState, WindowState

log = logging.getLogger(__name__)
# A ticket that reaches one of these ends: the ID given at the kiosk is dropped then.
ENDED_TICKET_STATES = (TicketState.DONE, TicketState.TRANSFERRED, TicketState.EXPIRED)


class PastDayTicket(Conflict):
    """An action on a ticket of an earlier service day: only the rollover may close it."""


def _waiting_query(hall_id: int, day: date) -> Select[Ticket]:
    return select(Ticket).where(
        Ticket.hall_id == hall_id, Ticket.service_day == day, Ticket.state == TicketState.WAITING
    )


def _window_for(session: Session, actor: Actor, window_id: int) -> Window:
    window = session.get(Window, window_id)
    if window is None or window.hall_id != actor.hall_id:
        raise NotFound("窗口不存在。")
    return window


def _require_counter(actor: Actor) -> None:
    if not (actor.can(Permission.INTAKE) or actor.can(Permission.SUPERVISE)):
        raise PermissionDenied("只有窗口人员或大厅管理员可以叫号。")


def _guard(session: Session, ticket: Ticket, target: TicketState, now: datetime) -> None:
    """Refuse ``ticket → target`` unless the flow declares it and the ticket is of today.

    Raises :class:`Conflict` (undeclared step) or :class:`PastDayTicket` (a ticket of an
    earlier service day, whatever the step, except the rollover's →EXPIRED).
    """
    TICKET_FLOW.check(ticket.state, target)
    if target not in TICKET_PAST_DAY_TARGETS:
        _require_today(session, ticket, now)


def _require_today(session: Session, ticket: Ticket, now: datetime) -> None:
    """Raise :class:`PastDayTicket` if ``ticket`` is of an earlier service day of its hall."""
    hall = session.get(Hall, ticket.hall_id)
    assert hall is not None
    if ticket.service_day < clock.service_day(session, hall, now):
        raise PastDayTicket(f"{ticket.code} 是 {ticket.service_day} 的号票，已过期，请重新取号。")


@contextmanager
def _rollover_when_refused(db: Database, actor: Actor) -> Iterator[None]:
    """Let a :class:`PastDayTicket` through after running the rollover.

    The refused ticket (and any other an earlier day left open) is closed at once, so the
    clerk's window is free for today's next call; a failing rollover is only logged (the
    housekeeping round tries again) and never replaces the refusal.
    """
    try:
        yield
    except PastDayTicket:
        try:
            close_past_days(db, actor)
        except (DomainError, EnvironmentProblem) as exc:
            log.warning("rollover after a refused past-day ticket failed: %s", exc)
        raise


def _expire(session: Session, actor: Actor, ticket: Ticket, now: datetime) -> None:
    """The rollover's step for one open ticket of an earlier day (→ EXPIRED, audited)."""
    label = TICKET_FLOW.label(ticket.state)
    note = f"{ticket.service_day} 日终关闭：当日未办结（{label}）"
    _transition(session, actor, ticket, TicketState.EXPIRED, "ticket_expired", now, note)


def _transition(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    target: TicketState,
    action: str,
    now: datetime,
    note: str = "",
) -> None:
    _guard(session, ticket, target, now)
    before = queueing.snapshot(ticket)
    ticket.state = target
    if target == TicketState.CALLED:
        ticket.called_at = now
    elif target == TicketState.SERVING:
        ticket.started_at = now
    if target in (TicketState.CALLED, TicketState.SERVING) and actor.user_id:
        ticket.served_by_id = actor.user_id  # the clerk at the window (statistics, 好差评)
    elif target in (TicketState.DONE, TicketState.TRANSFERRED):
        ticket.finished_at = now
    if target in ENDED_TICKET_STATES:
        ticket.id_number = None  # the kiosk's ID is kept only while the ticket is open
    session.flush()
    after = queueing.snapshot(ticket)
    audit.record(session, actor, action, "ticket", ticket.id, before=before, after=after, note=note)


def call_next(db: Database, actor: Actor, window_id: int) -> TicketView | None:
    """Call the next ticket for the window: priority first, then the window's queue order, FIFO.

    Tickets transferred to this very window come first of all. None if nobody waits. The
    view carries the ID given at the kiosk (``applicant_id_number``) for the clerk's intake.
    """
    _require_counter(actor)
    with db.unit_of_work() as session:
        view = call_in(session, actor, window_id)
        session.commit()  # a left-over ticket closed on the way stays closed
        return view


def call_in(session: Session, actor: Actor, window_id: int) -> TicketView | None:
    """:func:`call_next` inside the caller's unit of work (not committed)."""
    window = _window_for(session, actor, window_id)
    if window.clerk_id != actor.user_id and not actor.can(Permission.SUPERVISE):
        raise PermissionDenied(f"您不在 {window.number} 号窗口值守，不能从该窗口叫号。")
    if window.state != WindowState.OPEN:
        raise Conflict("窗口未开放，请先开窗。")
    hall = session.get(Hall, window.hall_id)
    assert hall is not None
    now = clock.now(session)
    day = clock.service_day(session, hall, now)
    for held in session.scalars(
        select(Ticket).where(
            Ticket.window_id == window.id,
            Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
        )
    ):
        if held.service_day < day:  # left over midnight: the rollover's step, here
            _expire(session, actor, held, now)
        else:
            raise Conflict(f"本窗口正在办理 {held.code}，请先办结、过号或转窗。")
    order = (
        select(WindowCategory.category_id, WindowCategory.priority)
        .where(WindowCategory.window_id == window.id)
        .subquery()
    )
    stmt = (
        _waiting_query(hall.id, day)
        .outerjoin(order, order.c.category_id == Ticket.category_id)
        .where((order.c.category_id.is_not(None)) | (Ticket.target_window_id == window.id))
        .where((Ticket.target_window_id.is_(None)) | (Ticket.target_window_id == window.id))
        .order_by(
            case((Ticket.target_window_id == window.id, 0), else_=1),
            case((Ticket.priority_reason.is_not(None), 0), else_=1),
            order.c.priority,
            Ticket.queued_at,
            Ticket.id,
        )
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Ticket)
    ticket = session.scalar(stmt)
    if ticket is None:
        return None
    ticket.window_id = window.id
    ticket.target_window_id = None
    note = f"{window.number} 号窗口"
    _transition(session, actor, ticket, TicketState.CALLED, "ticket_called", now, note)
    queueing.notify(session, hall.id, "call", ticket=ticket.code, window=window.number)
    return queueing.ticket_view(session, ticket, for_counter=True)


def _ticket_at(session: Session, actor: Actor, ticket_id: int, version: int | None) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.hall_id != actor.hall_id:
        raise NotFound("号票不存在。")
    if version is not None and ticket.version != version:
        raise Conflict("该号票已被其他窗口处理，请刷新。")
    return ticket


def _act(
    db: Database,
    actor: Actor,
    ticket_id: int,
    version: int | None,
    target: TicketState,
    action: str,
    prepare: Callable[[Session, Ticket], str] | None = None,
) -> TicketView:
    _require_counter(actor)
    with _rollover_when_refused(db, actor), db.unit_of_work() as session:
        ticket = _ticket_at(session, actor, ticket_id, version)
        now = clock.now(session)
        _guard(session, ticket, target, now)  # before ``prepare`` changes anything
        note = prepare(session, ticket) if prepare is not None else ""
        window = session.get(Window, ticket.window_id) if ticket.window_id else None
        _transition(session, actor, ticket, target, action, now, note)
        queueing.notify(
            session,
            ticket.hall_id,
            action,
            ticket=ticket.code,
            window=window.number if window else None,
        )
        view = queueing.ticket_view(session, ticket)
        session.commit()
        return view


def recall(db: Database, actor: Actor, ticket_id: int, version: int | None = None) -> TicketView:
    """重呼: announce the called ticket again."""

    def bump(_s: Session, t: Ticket) -> str:
        t.recall_count += 1
        return f"第 {t.recall_count} 次重呼"

    return _act(db, actor, ticket_id, version, TicketState.CALLED, "ticket_recalled", bump)


def start_service(
    db: Database, actor: Actor, ticket_id: int, version: int | None = None
) -> TicketView:
    """The resident has come to the window."""
    return _act(db, actor, ticket_id, version, TicketState.SERVING, "ticket_started")


def finish(db: Database, actor: Actor, ticket_id: int, version: int | None = None) -> TicketView:
    """Service finished."""
    return _act(db, actor, ticket_id, version, TicketState.DONE, "ticket_finished")


def no_show(db: Database, actor: Actor, ticket_id: int, version: int | None = None) -> TicketView:
    """过号: the resident did not come."""
    return _act(db, actor, ticket_id, version, TicketState.NO_SHOW, "ticket_no_show")


def return_late(
    db: Database, actor: Actor, ticket_id: int, version: int | None = None
) -> TicketView:
    """A resident whose number passed came back: the ticket joins the end of its queue."""

    def requeue(s: Session, t: Ticket) -> str:
        t.window_id = None
        t.queued_at = clock.now(s)
        return "过号后返回，排到队尾"

    return _act(db, actor, ticket_id, version, TicketState.WAITING, "ticket_returned", requeue)


def reprint(db: Database, actor: Actor, ticket_id: int) -> TicketView:
    """补打: the slip again (audited, the ticket itself is unchanged).

    A ticket of an earlier service day is refused (:class:`PastDayTicket`): it is never called.
    """
    with _rollover_when_refused(db, actor), db.unit_of_work() as session:
        ticket = _ticket_at(session, actor, ticket_id, None)
        _require_today(session, ticket, clock.now(session))
        audit.record(session, actor, "ticket_reprinted", "ticket", ticket.id)
        view = queueing.ticket_view(session, ticket, with_wait=True)
        session.commit()
        return view


# What a service day may leave open; the rollover closes it (→ EXPIRED).
OPEN_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)
ROLLOVER_BATCH = 200  # tickets per transaction: keeps the audit chain's lock short


def close_past_days(db: Database, actor: Actor) -> list[str]:
    """日终: close the hall's tickets of earlier service days that are still open.

    Waiting, called-but-never-started and never-finished tickets of any day before today
    (the hall's time zone, database clock) become ``expired``, each with its own audit
    event (``ticket_expired``, before/after state), so every ticket's history ends with
    what happened to it. ``finished_at`` stays empty: nobody was served, and no service
    time may count the night. No-shows stay no-shows (a real outcome); every action on a
    ticket of an earlier day (a late return, 重呼, 转窗 …) is refused (:class:`PastDayTicket`).

    Idempotent and safe on several PCs at once: rows are locked (``SKIP LOCKED`` on
    PostgreSQL, the write lock on SQLite) and re-read in state, so each ticket is closed
    exactly once. Returns the closed tickets' codes; the actor is the PC's housekeeping user.
    """
    closed: list[str] = []
    while True:
        with db.unit_of_work() as session:
            hall = session.get(Hall, actor.hall_id) if actor.hall_id else None
            if hall is None:
                return closed
            now = clock.now(session)
            today = clock.service_day(session, hall, now)
            stmt = (
                select(Ticket)
                .where(
                    Ticket.hall_id == hall.id,
                    Ticket.service_day < today,
                    Ticket.state.in_(OPEN_STATES),
                )
                .order_by(Ticket.id)
                .limit(ROLLOVER_BATCH)
            )
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            tickets = session.scalars(stmt).all()
            for t in tickets:
                _expire(session, actor, t, now)
            if tickets:
                queueing.notify(session, hall.id, "rollover", tickets=len(tickets))
            session.commit()
            closed.extend(t.code for t in tickets)
        if len(tickets) < ROLLOVER_BATCH:
            return closed
