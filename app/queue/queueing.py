"""The hall's queue, part one: issuing tickets, and what every ticket screen shows.

Numbers are per hall, service day and queue. Issuing bumps the counter row with one upsert
(``INSERT … ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n``) in the same transaction as
the ticket insert; the unique constraint on the ticket is the safety net. The row lock the
upsert takes orders concurrent issuers, so numbers are unique and gapless on both backends
(SQLite serialises writers with ``BEGIN IMMEDIATE``).

Kiosks issue all day, so issuing is written in Core statements on one connection, as few
as each backend allows: on PostgreSQL one statement reads the clock, bumps the counter,
writes the ticket and queues the NOTIFY, a second reads the wait estimate, a third
appends the audit event (bench/tickets.py). A kiosk's press token rides in the first
statement: its counter upsert is guarded by "this hall has no ticket with this token yet",
so a retry after a lost reply writes nothing, uses no number, and reads the ticket back.

Calling and every later transition live in :mod:`app.queue.calling`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    DateTime,
    Insert,
    String,
    bindparam,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit, numbers
from app.actor import Actor
from app.db import clock
from app.db.models import Hall, QueueCategory, Resident, Ticket, TicketCounter, Window
from app.db.session import Database, db_now
from app.errors import NotFound, PermissionDenied, ValidationError
from app.ids import parse_resident_id
from app.queue.queue_wait import ahead_count, queue_pace, wait_estimate
from app.states import TicketState

PRIORITY_REASONS = ("老年人", "残疾人", "孕妇", "军人")
ELDERLY_AGE = 70
CHANNEL = "onewindow"


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
        conn.execute(_NOTIFY, {"channel": CHANNEL, "payload": payload})


@functools.cache
def _upsert(dialect: str) -> Any:
    """The counter upsert, built once per dialect (building statements costs more than running them)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(TicketCounter)
        .values(
            hall_id=bindparam("hall_id"),
            service_day=bindparam("day"),
            category_id=bindparam("category_id"),
            n=1,
        )
        .on_conflict_do_update(
            index_elements=["hall_id", "service_day", "category_id"],
            set_={"n": TicketCounter.n + 1},
        )
        .returning(TicketCounter.n)
    )


def next_number(session: Session, hall_id: int, day: date, category_id: int) -> int:
    """Bump the (hall, day, queue) counter and return the new number (row-locked until commit)."""
    return next_number_on(session.connection(), hall_id, day, category_id)


def next_number_on(conn: Connection, hall_id: int, day: date, category_id: int) -> int:
    """:func:`next_number` on a Core connection."""
    params = {"hall_id": hall_id, "day": day, "category_id": category_id}
    return int(conn.execute(_upsert(conn.dialect.name), params).scalar_one())


# The new ticket's columns every screen needs back (both backends' insert returns them).
_RETURNED = "id, service_day, number, code, resident_id, issued_at, queued_at"

# PostgreSQL: the clock, the counter's upsert, the ticket row and the NOTIFY (sent at
# commit) in ONE statement. ``:now`` is NULL unless the time was already read.
_ISSUE_PG = text(
    "WITH clock AS ("
    " SELECT coalesce(CAST(:now AS timestamp), timezone('UTC', now())) AS at),"
    " today AS (SELECT at, CAST(timezone(:tz, timezone('UTC', at)) AS date) AS day FROM clock),"
    " counter AS ("
    " INSERT INTO ticket_counter (hall_id, service_day, category_id, n)"
    " SELECT :hall_id, day, :category_id, 1 FROM today"
    " WHERE NOT EXISTS (SELECT 1 FROM ticket WHERE hall_id = :hall_id AND client_token = :token)"
    " ON CONFLICT (hall_id, service_day, category_id) DO UPDATE SET n = ticket_counter.n + 1"
    " RETURNING n)"
    " INSERT INTO ticket (hall_id, service_day, category_id, number, code, priority_reason,"
    " resident_id, issued_at, queued_at, state, recall_count, version, client_token)"
    " SELECT :hall_id, today.day, :category_id, counter.n,"
    # numbers.ticket_code in SQL: the queue letter, the number padded to its minimum digits.
    f" :letter || CASE WHEN counter.n < {10**numbers.TICKET_MIN_DIGITS}"
    f" THEN lpad(CAST(counter.n AS text), {numbers.TICKET_MIN_DIGITS}, '0')"
    " ELSE CAST(counter.n AS text) END,"
    " :priority_reason, (SELECT id FROM resident WHERE id_number = :id_number),"
    " today.at, today.at, 'waiting', 0, 1, :token FROM counter, today"
    f" RETURNING {_RETURNED}, pg_notify(:channel,"
    " CAST(json_build_object('hall', :hall_id, 'kind', 'issued', 'ticket', code) AS text))"
).bindparams(
    bindparam("now", type_=DateTime),
    bindparam("id_number", type_=String),
    bindparam("priority_reason", type_=String),
    bindparam("token", type_=String),
)


@functools.cache
def _insert_ticket() -> Insert:
    """SQLite: the ticket row (number from the upsert; the write lock is held since BEGIN)."""
    return (
        insert(Ticket)
        .values(
            resident_id=select(Resident.id)
            .where(Resident.id_number == bindparam("id_number"))
            .scalar_subquery(),
            state=TicketState.WAITING,
            recall_count=0,
            version=1,
        )
        .returning(*(Ticket.__table__.c[name] for name in _RETURNED.split(", ")))
    )


LOOKUP_TTL_S = 30.0
TOKEN_MAX = 32  # ticket.client_token
PACE_TTL_S = 30.0  # the pace is an average: each kiosk keeps it this long


@dataclass(frozen=True)
class _HallQueue:
    """What issuing needs about a hall and one of its queues (cached briefly per database)."""

    hall_id: int
    hall_name: str
    timezone: str
    category_id: int
    letter: str
    category_name: str


def _hall_queue(db: Database, hall_id: int, letter: str) -> _HallQueue:
    """Hall and queue for issuing; looked up at most every 30 s per kiosk.

    A queue switched off by the supervisor is refused again within that time.
    """

    def load() -> _HallQueue:
        with db.read_only() as session:
            hall = session.get(Hall, hall_id)
            if hall is None:
                raise NotFound(f"大厅 {hall_id} 不存在。")
            cat = queue_category(session, hall_id, letter)
            return _HallQueue(hall.id, hall.name, hall.timezone, cat.id, cat.letter, cat.name)

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


def _priority(id_number: str, reason: str | None, today: date) -> tuple[str | None, str]:
    """The priority reason (70+ derived from the ID) and the ID's normalised number."""
    rid = parse_resident_id(id_number, today)
    if reason is None and rid.age_on(today) >= ELDERLY_AGE:
        reason = "老年人"
    return reason, rid.number


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


def ticket_view(session: Session, ticket: Ticket, with_wait: bool = False) -> TicketView:
    """A ticket with its queue, hall and window names (and the wait, if asked and waiting)."""
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
    return view


def snapshot(t: Ticket) -> dict[str, object]:
    """A ticket as its audit events record it."""
    return _snapshot(t.code, t.state, t.window_id, t.priority_reason)


def _snapshot(
    code: str, state: TicketState, window_id: int | None, priority: str | None
) -> dict[str, object]:
    return {"code": code, "state": state.value, "window": window_id, "priority": priority}


@dataclass(frozen=True)
class _Issued:
    """A ticket just written, as the issuing statement returned it."""

    id: int
    service_day: date
    number: int
    code: str
    resident_id: int | None
    issued_at: datetime
    queued_at: datetime
    hall_id: int
    category_id: int
    priority_reason: str | None


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
    counter, the ticket, the NOTIFY, the wait estimate and the audit event, in as few
    statements as each backend allows (bench/tickets.py).

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
        return _issue(db, actor, hq, id_number, priority_reason, client_token)
    except IntegrityError:
        if client_token is None:
            raise
        # The same press twice at once on PostgreSQL: the other one's ticket is committed.
        return _issue(db, actor, hq, id_number, priority_reason, client_token)


def _issue(
    db: Database,
    actor: Actor,
    hq: _HallQueue,
    id_number: str | None,
    reason: str | None,
    token: str | None,
) -> TicketView:
    with db.transaction() as conn:
        ticket = _write_ticket(conn, hq, id_number, reason, token)
        fresh = ticket is not None
        if ticket is None:
            assert token is not None
            ticket = _ticket_of_token(conn, hq, token)
        # Read while the queue's counter row is still locked: every earlier number of this
        # queue is committed by now, so "waiting ahead" is exact, not a racy guess. The
        # queue's pace (open windows, mean service time) is an average: kept 30 s.
        ahead = ahead_count(conn, ticket)
        pace = db.cached(
            ("queue_pace", hq.hall_id, ticket.service_day, hq.category_id),
            lambda: queue_pace(conn, hq.hall_id, ticket.service_day, hq.category_id),
            PACE_TTL_S,
        )
        if fresh:
            # Last: the audit chain's lock is held only from here to the commit.
            after = _snapshot(ticket.code, TicketState.WAITING, None, ticket.priority_reason)
            audit.append(
                conn, actor, "ticket_issued", "ticket", ticket.id, after=after, at=ticket.issued_at
            )
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
        waiting_ahead=ahead,
        estimated_wait_min=pace.wait(ahead),
        timezone=hq.timezone,
    )


def _ticket_of_token(conn: Connection, hq: _HallQueue, token: str) -> _Issued:
    """The ticket this kiosk press was already given (its first reply was lost)."""
    columns = [Ticket.__table__.c[name] for name in _RETURNED.split(", ")]
    row = conn.execute(
        select(*columns, Ticket.category_id, Ticket.priority_reason).where(
            Ticket.hall_id == hq.hall_id, Ticket.client_token == token
        )
    ).one()
    return _Issued(**row._asdict(), hall_id=hq.hall_id)


@functools.cache
def _token_seen() -> Any:
    """SQLite: the ticket of a press token, if any (built once: building costs more than running)."""
    return text("SELECT id FROM ticket WHERE hall_id = :hall_id AND client_token = :token")


def _write_ticket(
    conn: Connection, hq: _HallQueue, id_number: str | None, reason: str | None, token: str | None
) -> _Issued | None:
    """Bump the queue's counter and write the ticket (PostgreSQL: and NOTIFY).

    None when ``token`` already has its ticket (nothing written, no number used).
    """
    pg = conn.dialect.name == "postgresql"
    # SQLite holds the write lock since BEGIN: look first.
    seen = {"hall_id": hq.hall_id, "token": token}
    if token is not None and not pg and conn.scalar(_token_seen(), seen) is not None:
        return None
    # PostgreSQL reads its clock inside the issuing statement, unless the time is needed
    # first (an ID's age) or a test replaced the clock.
    now = None if pg and clock.now is db_now and not id_number else clock.now(conn)
    number_of_id = None
    if id_number:
        assert now is not None
        reason, number_of_id = _priority(id_number, reason, clock.local_day(now, hq.timezone))
    values: dict[str, Any] = {
        "hall_id": hq.hall_id,
        "category_id": hq.category_id,
        "priority_reason": reason,
        "id_number": number_of_id,
    }
    if pg:
        extra = {"now": now, "tz": hq.timezone, "letter": hq.letter, "channel": CHANNEL}
        row = conn.execute(_ISSUE_PG, {**values, **extra, "token": token}).one_or_none()
        if row is None:  # the token's ticket exists: the guarded upsert wrote nothing
            return None
    else:
        assert now is not None
        day = clock.local_day(now, hq.timezone)
        number = next_number_on(conn, hq.hall_id, day, hq.category_id)
        code = numbers.ticket_code(hq.letter, number)
        values.update(service_day=day, number=number, code=code, issued_at=now, queued_at=now)
        row = conn.execute(_insert_ticket(), {**values, "client_token": token}).one()
    returned = {name: getattr(row, name) for name in _RETURNED.split(", ")}
    return _Issued(
        **returned, hall_id=hq.hall_id, category_id=hq.category_id, priority_reason=reason
    )
