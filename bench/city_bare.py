"""The city's mix as bare SQL (bench/city.py): the rows our services write, nothing else.

Same engine (pooled, ``SET LOCAL`` timeouts behind PgBouncer), one transaction per action:
the change itself, then the audit event appended to a chain of the hall's own (``bare:<id>``,
head moved, hashed in SQL and inserted in one statement, as ``app.audit.chain`` does on
PostgreSQL) with the hall's NOTIFY in the same statement. Tickets are of 2000-01-03, so
neither mix sees the other's queues. 受理 is the case counter, the case row and its event:
no materials, tasks, receipt PDF or stored document (the bare floor of an accept).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import text

from app.actor import Actor
from app.db.session import Database
from app.events import channel

DAY = date(2000, 1, 3)

_APPEND = text(
    "WITH moved AS ("
    " UPDATE audit_head SET prev = hash, seq = seq + 1,"
    " hash = encode(sha256(convert_to(hash || :body || CAST(seq + 1 AS text), 'UTF8')), 'hex')"
    " WHERE chain = :chain RETURNING seq, hash, prev),"
    " ev AS (INSERT INTO audit_event (chain, seq, at, hall_id, actor_name, action, entity,"
    " entity_id, after, note, prev_hash, hash)"
    " SELECT :chain, seq, timezone('utc', now()), :hall, 'bench', :action, :entity, :eid,"
    " CAST(:body AS jsonb), '', prev, hash FROM moved RETURNING seq)"
    " SELECT pg_notify(:channel, :payload) FROM ev"
)
_ISSUE = text(
    "WITH n AS (INSERT INTO ticket_counter (hall_id, service_day, category_id, n)"
    " VALUES (:hall, :day, :cat, 1) ON CONFLICT (hall_id, service_day, category_id)"
    " DO UPDATE SET n = ticket_counter.n + 1 RETURNING n)"
    " INSERT INTO ticket (hall_id, service_day, category_id, number, code, issued_at,"
    " queued_at, state, recall_count, version)"
    " SELECT :hall, :day, :cat, n, :letter || lpad(CAST(n AS text), 3, '0'),"
    " timezone('utc', now()), timezone('utc', now()), 'waiting', 0, 1 FROM n RETURNING id"
)
_CALL = text(
    "UPDATE ticket SET state = 'called', window_id = :window, called_at = timezone('utc', now()),"
    " version = version + 1 WHERE id = (SELECT id FROM ticket WHERE hall_id = :hall"
    " AND service_day = :day AND state = 'waiting' AND category_id = ANY(:cats)"
    " ORDER BY queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id"
)
_MOVE = {
    "start": text(
        "UPDATE ticket SET state = 'serving', started_at = timezone('utc', now()),"
        " version = version + 1 WHERE id = :id RETURNING hall_id"
    ),
    "finish": text(
        "UPDATE ticket SET state = 'done', finished_at = timezone('utc', now()),"
        " version = version + 1 WHERE id = :id RETURNING hall_id"
    ),
}
_ACCEPT = text(
    "WITH n AS (INSERT INTO case_counter (prefix, day, n) VALUES (:prefix, :day, 1)"
    " ON CONFLICT (prefix, day) DO UPDATE SET n = case_counter.n + 1 RETURNING n)"
    " INSERT INTO service_case (case_no, hall_id, service_version_id, applicant_id, form_data,"
    " state, current_step, due_date, suspended_days, notice_items, accepted_at, step_index,"
    " supplement_items, created_at, version)"
    " SELECT :prefix || '20000103-' || lpad(CAST(n AS text), 4, '0'), :hall, :sv, :who,"
    " CAST(:form AS jsonb), 'in_review', 'review', :day, 0, '[]', timezone('utc', now()), 0,"
    " '[]', timezone('utc', now()), 1 FROM n RETURNING id"
)
_BOARD = (
    text(
        "SELECT w.id, w.number, w.state, u.full_name, t.code FROM service_window w"
        " LEFT JOIN app_user u ON u.id = w.clerk_id LEFT JOIN ticket t ON t.window_id = w.id"
        " AND t.service_day = :day AND t.state IN ('called', 'serving')"
        " WHERE w.hall_id = :hall ORDER BY w.number"
    ),
    text(
        "SELECT code, window_id, called_at FROM ticket WHERE hall_id = :hall AND service_day = :day"
        " AND called_at IS NOT NULL ORDER BY called_at DESC LIMIT 8"
    ),
    text(
        "SELECT code, category_id, queued_at FROM ticket WHERE hall_id = :hall"
        " AND service_day = :day AND state = 'waiting' ORDER BY queued_at"
    ),
)


def _append(conn: Any, hall: int, action: str, entity: str, eid: object) -> None:
    body = json.dumps({"action": action, "id": eid})
    payload = json.dumps({"hall": hall, "kind": action})
    conn.execute(
        _APPEND,
        {
            "chain": f"bare:{hall}",
            "body": body,
            "hall": hall,
            "action": action,
            "entity": entity,
            "eid": str(eid),
            "channel": channel(hall),
            "payload": payload,
        },
    )


def issue(db: Database, hall: int, category: int, letter: str) -> int:
    """Counter upsert + ticket row, then the event."""
    with db.engine.begin() as conn:
        tid = int(
            conn.execute(
                _ISSUE, {"hall": hall, "day": DAY, "cat": category, "letter": letter}
            ).scalar_one()
        )
        _append(conn, hall, "ticket_issued", "ticket", tid)
    return tid


def waiting(db: Database, hall: int) -> int:
    """The hall's waiting bare tickets."""
    with db.engine.begin() as conn:
        sql = "SELECT count(*) FROM ticket WHERE hall_id = :hall AND service_day = :day AND state = 'waiting'"
        return int(conn.execute(text(sql), {"hall": hall, "day": DAY}).scalar_one())


def call(db: Database, hall: int, window: int, cats: list[int]) -> int | None:
    """The window's next waiting ticket (SKIP LOCKED) called, then the event; None if none."""
    with db.engine.begin() as conn:
        row = conn.execute(
            _CALL, {"window": window, "hall": hall, "day": DAY, "cats": cats}
        ).first()
        if row is None:
            return None
        _append(conn, hall, "ticket_called", "ticket", row[0])
        return int(row[0])


def _move(db: Database, step: str, ticket: int) -> None:
    with db.engine.begin() as conn:
        hall = int(conn.execute(_MOVE[step], {"id": ticket}).scalar_one())
        _append(conn, hall, f"ticket_{step}", "ticket", ticket)


def start(db: Database, _actor: Actor, ticket: int) -> None:
    """serving, then the event."""
    _move(db, "start", ticket)


def finish(db: Database, _actor: Actor, ticket: int) -> None:
    """done, then the event."""
    _move(db, "finish", ticket)


def accept(db: Database, hall: int, code: str, version: int, who: int) -> int:
    """Case counter (the hall's own) + case row, then the event."""
    params = {
        "prefix": f"B{code}-MZ",
        "day": DAY,
        "hall": hall,
        "sv": version,
        "who": who,
        "form": json.dumps({"household_size": "3"}),
    }
    with db.engine.begin() as conn:
        cid = int(conn.execute(_ACCEPT, params).scalar_one())
        _append(conn, hall, "case_accepted", "case", cid)
    return cid


def board(db: Database, hall: int) -> int:
    """The board's rows: windows with their clerk and ticket, the last calls, the waiting."""
    with db.engine.begin() as conn:
        return sum(len(conn.execute(q, {"hall": hall, "day": DAY}).all()) for q in _BOARD)
