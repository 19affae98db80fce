"""The hall's queue, part one: issuing tickets, and what every ticket screen shows.

Numbers are per hall, service day and queue, unique and gapless on both backends: the
counter's upsert and the ticket insert share one transaction (:mod:`app.queue.issuing`
holds those statements, the counter and the kiosk's press token).

Kiosks issue all day, so issuing is written in Core statements on one connection, as few
as each backend allows: on PostgreSQL one statement reads the clock, bumps the counter,
writes the ticket and queues the NOTIFY, a second reads the wait estimate, a third
appends the audit event (bench/tickets.py). A kiosk's press token rides in the first
statement: its counter upsert is guarded by "this hall has no ticket with this token yet",
so a retry after a lost reply writes nothing, uses no number, and reads the ticket back.

Owns :func:`issue_ticket` (the checks, the transaction, the wait and the audit event around
the write), the ticket view, the kiosk's actor, the hall lookup and change notifications.
Calling and every later transition live in :mod:`app.queue.calling`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit, events
from app.actor import Actor
from app.db.models import Hall, QueueCategory, Ticket, Window
from app.db.session import Database
from app.errors import NotFound, PermissionDenied, ValidationError
from app.queue import issuing
from app.queue.queue_wait import Pace, ahead_count, queue_pace, wait_estimate
from app.states import TicketState

PRIORITY_REASONS = ("老年人", "残疾人", "孕妇", "军人")


@dataclass(frozen=True)
class TicketView:
    """A ticket as screens and the printed slip show it."""

    id: int
    code: str
    category_letter: str
    category_name: str
    state: TicketState
    priority_reason: str | None
    window_number: int | None
    issued_at: datetime
    called_at: datetime | None
    service_day: date
    hall_name: str
    waiting_ahead: int = 0
    estimated_wait_min: int = 0
    recall_count: int = 0
    version: int = 1
    timezone: str = "Asia/Shanghai"
    # The ID given at the kiosk, for the counter that calls the ticket only (full number:
    # never shown on a public screen or slip); None elsewhere.
    applicant_id_number: str | None = None

    def local(self, moment: datetime | None) -> datetime | None:
        """A stored (UTC) time in the hall's time zone."""
        if moment is None:
            return None
        return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(self.timezone))

    @property
    def issued_at_local(self) -> str:
        """Issue time as the slip prints it, in the hall's time zone."""
        local = self.local(self.issued_at)
        assert local is not None
        return local.strftime("%Y-%m-%d %H:%M")


def kiosk_actor(hall_id: int) -> Actor:
    """Who issues tickets at the self-service kiosk (no log-in)."""
    return Actor(user_id=None, username="kiosk", full_name="自助取号机", hall_id=hall_id)


def hall_by_code(db: Database, code: str) -> Hall:
    """The hall a kiosk or display is set up for."""
    with db.unit_of_work() as session:
        hall = session.scalar(select(Hall).where(Hall.code == code))
        if hall is None:
            raise NotFound(f"大厅 {code} 不存在。")
        session.expunge(hall)
        return hall


_NOTIFY = select(func.pg_notify(bindparam("channel"), bindparam("payload")))


def notify(target: Session | Connection, hall_id: int, kind: str, **data: object) -> None:
    """Tell displays and counters something changed; delivered when the transaction commits.

    PostgreSQL: NOTIFY. SQLite needs nothing: listeners poll ``PRAGMA data_version``.
    """
    conn = target.connection() if isinstance(target, Session) else target
    if conn.dialect.name == "postgresql":
        payload = json.dumps({"hall": hall_id, "kind": kind, **data}, ensure_ascii=False)
        conn.execute(_NOTIFY, {"channel": events.channel(hall_id), "payload": payload})


LOOKUP_TTL_S = 30.0
TOKEN_MAX = 32  # ticket.client_token
PACE_TTL_S = 30.0  # the pace is an average: each kiosk keeps it this long


def _hall_queue(db: Database, hall_id: int, letter: str) -> issuing.HallQueue:
    """Hall and queue for issuing; looked up at most every 30 s per kiosk.

    A queue switched off by the supervisor is refused again within that time.
    """

    def load() -> issuing.HallQueue:
        with db.read_only() as session:
            hall = session.get(Hall, hall_id)
            if hall is None:
                raise NotFound(f"大厅 {hall_id} 不存在。")
            cat = queue_category(session, hall_id, letter)
            return issuing.HallQueue(
                hall.id, hall.name, hall.timezone, cat.id, cat.letter, cat.name
            )

    return db.cached(("hall_queue", hall_id, letter.upper()), load, LOOKUP_TTL_S)


def queue_category(session: Session, hall_id: int, letter: str) -> QueueCategory:
    cat = session.scalar(
        select(QueueCategory).where(
            QueueCategory.hall_id == hall_id,
            QueueCategory.letter == letter.upper(),
            QueueCategory.active.is_(True),
        )
    )
    if cat is None:
        raise ValidationError(f"取号类别 {letter} 不存在。", "category")
    return cat


def _view(
    ticket: Ticket,
    letter: str,
    category_name: str,
    hall_name: str,
    timezone: str,
    window_number: int | None,
) -> TicketView:
    """The one place a ticket row becomes what screens and slips show."""
    return TicketView(
        id=ticket.id,
        code=ticket.code,
        category_letter=letter,
        category_name=category_name,
        state=ticket.state,
        priority_reason=ticket.priority_reason,
        window_number=window_number,
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
        service_day=ticket.service_day,
        hall_name=hall_name,
        recall_count=ticket.recall_count,
        version=ticket.version,
        timezone=timezone,
    )


def ticket_view(
    session: Session, ticket: Ticket, with_wait: bool = False, for_counter: bool = False
) -> TicketView:
    """A ticket with its queue, hall and window names (and the wait, if asked and waiting).

    ``for_counter``: with the ID given at the kiosk, for the calling clerk's intake.
    """
    cat = session.get(QueueCategory, ticket.category_id)
    hall = session.get(Hall, ticket.hall_id)
    window = session.get(Window, ticket.window_id) if ticket.window_id else None
    assert cat is not None and hall is not None
    view = _view(
        ticket, cat.letter, cat.name, hall.name, hall.timezone, window.number if window else None
    )
    if with_wait and ticket.state == TicketState.WAITING:
        ahead, minutes = wait_estimate(session, ticket)
        view = replace(view, waiting_ahead=ahead, estimated_wait_min=minutes)
    if for_counter and ticket.id_number:
        view = replace(view, applicant_id_number=ticket.id_number)
    return view


def snapshot(t: Ticket) -> dict[str, object]:
    """A ticket as its audit events record it."""
    return _snapshot(t.code, t.state, t.window_id, t.priority_reason)


def _snapshot(
    code: str, state: TicketState, window_id: int | None, priority: str | None
) -> dict[str, object]:
    return {"code": code, "state": state.value, "window": window_id, "priority": priority}


def issue_ticket(
    db: Database,
    actor: Actor,
    letter: str,
    id_number: str | None = None,
    priority_reason: str | None = None,
    client_token: str | None = None,
) -> TicketView:
    """Issue the next number of queue ``letter`` today; returns what the slip prints.

    The ticket is committed before this returns, so a slip can never exist for a ticket
    the database does not have. Kiosks issue all day, so the transaction holds only the
    counter, the ticket, the NOTIFY, the wait estimate (SQLite: read just after the commit)
    and the audit event, in as few statements as each backend allows (bench/tickets.py).

    ``client_token`` (≤ 32 characters, one per press, e.g. ``uuid4().hex``): a retry with
    the same token — the reply of the first try was lost after its commit — returns the
    ticket already issued (no second ticket, number or audit event). Raises ValidationError,
    NotFound, PermissionDenied, EnvironmentProblem (busy, connection lost).
    """
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    if priority_reason is not None and priority_reason not in PRIORITY_REASONS:
        raise ValidationError(f"优先原因只能是：{'、'.join(PRIORITY_REASONS)}。", "priority_reason")
    if client_token is not None and not 0 < len(client_token) <= TOKEN_MAX:
        raise ValidationError("取号请求标识无效。", "client_token")
    hq = _hall_queue(db, actor.hall_id, letter)
    try:
        return _issue(db, actor, hq, id_number, priority_reason, client_token, False)
    except IntegrityError:
        if client_token is None:
            raise
        # A retried press (SQLite: the token's unique index refused the ticket, and the
        # rollback gave its number back) or the same press twice at once (PostgreSQL): the
        # token's ticket is committed; this time look for it first.
        return _issue(db, actor, hq, id_number, priority_reason, client_token, True)


def _estimate(
    db: Database, conn: Connection, hq: issuing.HallQueue, ticket: issuing.Issued
) -> tuple[int, Pace]:
    """How many wait ahead of ``ticket``, and its queue's pace (an average: kept 30 s)."""
    pace = db.cached(
        ("queue_pace", hq.hall_id, ticket.service_day, hq.category_id),
        lambda: queue_pace(conn, hq.hall_id, ticket.service_day, hq.category_id),
        PACE_TTL_S,
    )
    return ahead_count(conn, ticket), pace


def _issue(
    db: Database,
    actor: Actor,
    hq: issuing.HallQueue,
    id_number: str | None,
    reason: str | None,
    token: str | None,
    retried: bool,
) -> TicketView:
    with db.transaction() as conn:
        ticket = issuing.write_ticket(conn, hq, id_number, reason, token, look_first=retried)
        fresh = ticket is not None
        if ticket is None:
            assert token is not None
            ticket = issuing.ticket_of_token(conn, hq, token)
        # "Waiting ahead" is exact once the queue's counter row is ours: every earlier number
        # of this queue is committed by then. PostgreSQL reads it here, in the same round
        # trips; SQLite after the commit, as a reader, so that the file's one write lock is
        # not held for it (earlier numbers are as committed then).
        ahead = None if db.backend == "sqlite" else _estimate(db, conn, hq, ticket)
        if fresh:
            # Last: the audit chain's lock is held only from here to the commit.
            after = _snapshot(ticket.code, TicketState.WAITING, None, ticket.priority_reason)
            audit.append(
                conn, actor, "ticket_issued", "ticket", ticket.id, after=after, at=ticket.issued_at
            )
    if ahead is None:
        with db.read_only() as session:
            ahead = _estimate(db, session.connection(), hq, ticket)
    count, pace = ahead
    return TicketView(
        id=ticket.id,
        code=ticket.code,
        category_letter=hq.letter,
        category_name=hq.category_name,
        state=TicketState.WAITING,
        priority_reason=ticket.priority_reason,
        window_number=None,
        issued_at=ticket.issued_at,
        called_at=None,
        service_day=ticket.service_day,
        hall_name=hq.hall_name,
        waiting_ahead=count,
        estimated_wait_min=pace.wait(count),
        timezone=hq.timezone,
    )
