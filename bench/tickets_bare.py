"""Bare-SQL writers for ``bench/tickets.py``: the rows a ticket needs, and those an audited
ticket writes, through the same engine as the service (importable by spawned workers)."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, text

from app.db.models import Ticket
from app.db.session import Database
from app.queue import issuing, queueing

_DBS: dict[str, Database] = {}


def db_of(url: str) -> Database:
    """One Database per worker process and URL, kept across rounds."""
    if url not in _DBS:
        _DBS[url] = Database(url)
    return _DBS[url]


def bare_ticket(conn: Any, hall_id: int, day: date, category_id: int, letter: str) -> int:
    """The counter upsert and the ticket row, as bare statements; returns the ticket id."""
    number = issuing.next_number_on(conn, hall_id, day, category_id)
    at = datetime(day.year, day.month, day.day, 1)
    row = {
        "hall_id": hall_id,
        "service_day": day,
        "category_id": category_id,
        "number": number,
        "code": f"{letter}{number:03d}",
        "issued_at": at,
        "queued_at": at,
        "state": "waiting",
        "recall_count": 0,
        "version": 1,
    }
    return int(conn.execute(insert(Ticket).returning(Ticket.id), row).scalar_one())


_HEAD = text(
    "UPDATE audit_head SET prev = hash, seq = seq + 1 WHERE chain = :chain RETURNING seq, prev"
)
_EVENT = text(
    "INSERT INTO audit_event (chain, seq, at, hall_id, actor_name, action, entity, entity_id,"
    " note, prev_hash, hash) VALUES (:chain, :seq, :at, :hall, 'bench', 'ticket_issued',"
    " 'ticket', :ticket, '', :prev, :prev)"
)


def audited_bare(url: str, hall_id: int, count: int, letter: str) -> list[float]:
    """An audited ticket's rows as bare SQL: upsert, ticket, head moved, event. Every worker
    appends to one shared chain (``bench``), as every kiosk of a hall appends to the hall's:
    the head row is contended as ours is (the hall's own chain stays whole)."""
    db = db_of(url)
    with db.read_only() as session:
        category_id = queueing.queue_category(session, hall_id, letter).id
    chain = "bench"
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_head (chain, seq, hash, prev, genesis)"
                " VALUES (:c, 0, '', '', '') ON CONFLICT (chain) DO NOTHING"
            ),
            {"c": chain},
        )
    day = date(2000, 1, 2)
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            ticket_id = bare_ticket(conn, hall_id, day, category_id, letter)
            seq, prev = conn.execute(_HEAD, {"chain": chain}).one()
            conn.execute(
                _EVENT,
                {
                    "chain": chain,
                    "seq": seq,
                    "at": datetime(2000, 1, 2, 1),
                    "hall": hall_id,
                    "ticket": str(ticket_id),
                    "prev": prev,
                },
            )
        lat.append(time.perf_counter() - t0)
    return lat
