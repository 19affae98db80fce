"""The issuing write: the statements that number a ticket and store it, per backend.

Numbers are per hall, service day and queue. Issuing bumps the counter row with one upsert
(``INSERT … ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n``) in the same transaction as
the ticket insert; the unique constraint on the ticket is the safety net. The row lock the
upsert takes orders concurrent issuers, so numbers are unique and gapless on both backends
(SQLite serialises writers with ``BEGIN IMMEDIATE``).

On PostgreSQL one statement reads the clock, bumps the counter, writes the ticket and
queues the NOTIFY. A kiosk's press token rides in it: its counter upsert is guarded by
"this hall has no ticket with this token yet", so a retry after a lost reply writes
nothing and uses no number. SQLite holds the write lock since BEGIN, so it looks the
token up first, then upserts and inserts. Statements are built once per process
(building them costs more than running them).

Owns the counter (:func:`next_number`, also used by a transfer), the write
(:func:`write_ticket`) and the token's ticket read back (:func:`ticket_of_token`); the
checks, the wait estimate and the audit event around them are in :mod:`app.queue.queueing`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Insert,
    String,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import events, numbers
from app.db import clock
from app.db.models import Resident, Ticket, TicketCounter
from app.db.session import db_now
from app.ids import parse_resident_id
from app.states import TicketState

ELDERLY_AGE = 70


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
    " resident_id, id_number, issued_at, queued_at, state, recall_count, version, client_token)"
    " SELECT :hall_id, today.day, :category_id, counter.n,"
    # numbers.ticket_code in SQL: the queue letter, the number padded to its minimum digits.
    f" :letter || CASE WHEN counter.n < {10**numbers.TICKET_MIN_DIGITS}"
    f" THEN lpad(CAST(counter.n AS text), {numbers.TICKET_MIN_DIGITS}, '0')"
    " ELSE CAST(counter.n AS text) END,"
    " :priority_reason, (SELECT id FROM resident WHERE id_number = :id_number), :id_number,"
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
            .where(Resident.id_number == bindparam("id_lookup"))
            .scalar_subquery(),
            state=TicketState.WAITING,
            recall_count=0,
            version=1,
        )
        .returning(*(Ticket.__table__.c[name] for name in _RETURNED.split(", ")))
    )


@dataclass(frozen=True)
class HallQueue:
    """What issuing needs about a hall and one of its queues (cached briefly per database)."""

    hall_id: int
    hall_name: str
    timezone: str
    category_id: int
    letter: str
    category_name: str


@dataclass(frozen=True)
class Issued:
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


def _priority(id_number: str, reason: str | None, today: date) -> tuple[str | None, str]:
    """The priority reason (70+ derived from the ID) and the ID's normalised number."""
    rid = parse_resident_id(id_number, today)
    if reason is None and rid.age_on(today) >= ELDERLY_AGE:
        reason = "老年人"
    return reason, rid.number


def ticket_of_token(conn: Connection, hq: HallQueue, token: str) -> Issued:
    """The ticket this kiosk press was already given (its first reply was lost)."""
    columns = [Ticket.__table__.c[name] for name in _RETURNED.split(", ")]
    row = conn.execute(
        select(*columns, Ticket.category_id, Ticket.priority_reason).where(
            Ticket.hall_id == hq.hall_id, Ticket.client_token == token
        )
    ).one()
    return Issued(**row._asdict(), hall_id=hq.hall_id)


@functools.cache
def _token_seen() -> Any:
    """SQLite: the ticket of a press token, if any (built once: building costs more than running)."""
    return text("SELECT id FROM ticket WHERE hall_id = :hall_id AND client_token = :token")


def write_ticket(
    conn: Connection,
    hq: HallQueue,
    id_number: str | None,
    reason: str | None,
    token: str | None,
    *,
    look_first: bool = False,
) -> Issued | None:
    """Bump the queue's counter and write the ticket (PostgreSQL: and NOTIFY).

    None when ``token`` already has its ticket (nothing written, no number used). SQLite
    (``look_first`` False): a token already used makes the ticket's INSERT fail on the
    unique (hall, token) index, the caller's rollback returns the number, and the caller
    tries again with ``look_first`` — a retry is rare, so the first try saves a statement
    under the write lock. PostgreSQL's one statement looks first by itself.
    """
    pg = conn.dialect.name == "postgresql"
    seen = {"hall_id": hq.hall_id, "token": token}
    if look_first and token is not None and not pg and conn.scalar(_token_seen(), seen):
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
        extra = {
            "now": now,
            "tz": hq.timezone,
            "letter": hq.letter,
            "channel": events.channel(hq.hall_id),
        }
        row = conn.execute(_ISSUE_PG, {**values, **extra, "token": token}).one_or_none()
        if row is None:  # the token's ticket exists: the guarded upsert wrote nothing
            return None
    else:
        assert now is not None
        day = clock.local_day(now, hq.timezone)
        number = next_number_on(conn, hq.hall_id, day, hq.category_id)
        code = numbers.ticket_code(hq.letter, number)
        values.update(service_day=day, number=number, code=code, issued_at=now, queued_at=now)
        row = conn.execute(
            _insert_ticket(), {**values, "id_lookup": number_of_id, "client_token": token}
        ).one()
    returned = {name: getattr(row, name) for name in _RETURNED.split(", ")}
    return Issued(
        **returned, hall_id=hq.hall_id, category_id=hq.category_id, priority_reason=reason
    )
