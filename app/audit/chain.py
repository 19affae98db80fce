"""Appending to the audit trail's hash chains.

Each hall writes its own chain (``hall:<id>``), events of no hall go to ``city``, the daily
anchors to ``root`` (:mod:`app.audit.anchors`), and ``main`` is the single chain of
databases before revision 0013, kept as it was. Each event's hash covers its content and the
previous hash of its chain; ``audit_head`` holds each chain's last sequence number and hash.
Appending moves the chain's head row, so concurrent appends of one hall queue up instead of
forking its chain, and halls of a city database never wait on each other.

The head row is part of the evidence: if it is missing while its chain has events, or points
to an earlier event (rewound), appending refuses with :func:`damaged` — a new chain is never
started over existing events. A hall's chain begins afresh (its first event links to
:data:`GENESIS`) only before the hall has users, tickets or cases: a hall's trail wiped as a
whole is refused. What no chain shows by itself — its tail cut off consistently — the daily
anchors (:mod:`app.audit.anchors`) and their printed copy show.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import AuditEvent, AuditHead, Case, Resident, Ticket, User
from app.db.session import db_now
from app.errors import EnvironmentProblem

MAIN = "main"  # the one chain of databases before revision 0013 (no longer appended to)
CITY = "city"  # events of no hall (catalog, system)
ROOT = "root"  # daily anchors of every chain's head
GENESIS = "0" * 64
CHAIN = MAIN  # the name earlier code and tests know the first chain by


def chain_of(hall_id: int | None) -> str:
    """The chain an event of hall ``hall_id`` (None: no hall) is appended to."""
    return CITY if hall_id is None else f"hall:{hall_id}"


def hall_of(chain: str) -> int | None:
    """The hall id of a ``hall:<id>`` chain, else None."""
    return int(chain[5:]) if chain.startswith("hall:") and chain[5:].isdigit() else None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


HASHED = (
    "seq",
    "at",
    "hall_id",
    "actor_id",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "note",
)


def digest(prev: str, event: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's content (canonical JSON)."""
    return hashlib.sha256((prev + _canonical(event)).encode("utf-8")).hexdigest()


# Built once: appending runs in every state change, and building statements costs more
# than executing them.
_INSERT_EVENT = insert(AuditEvent)


def audited_data(hall_id: int | None) -> Any:
    """Whether records exist that only audited actions create: a hall's users, tickets or
    cases (``hall_id``), or any user, ticket, case or resident (None)."""
    if hall_id is None:
        return select(
            or_(*(select(c).exists() for c in (User.id, Ticket.id, Case.id, Resident.id)))
        )
    cols = (User.hall_id, Ticket.hall_id, Case.hall_id)
    return select(or_(*(select(c).where(c == hall_id).exists() for c in cols)))


# SQLite (no data-modifying WITH): move the head, hashing with the connection's
# ``sha256_hex`` function, then write the event; the write lock is already held.
_MOVE_HEAD_SQLITE = text(
    "UPDATE audit_head SET prev = hash, seq = seq + 1,"
    " hash = sha256_hex(hash || :prefix || CAST(seq + 1 AS text) || '}')"
    " WHERE chain = :chain RETURNING seq, prev, hash"
)
# PostgreSQL: lock and move the head, hash, and write the event in ONE statement, so the
# chain's lock is held for this statement and the commit only (every audited action of
# the hall queues on it). The hash is SHA-256 of the previous hash and the canonical JSON,
# whose last key is "seq": Python sends the JSON up to the sequence number.
_APPEND_PG = text(
    "WITH moved AS ("
    " UPDATE audit_head SET prev = hash, seq = seq + 1,"
    " hash = encode(sha256(convert_to(hash || :prefix || CAST(seq + 1 AS text) || '}',"
    " 'UTF8')), 'hex')"
    " WHERE chain = :chain RETURNING seq, hash, prev)"
    " INSERT INTO audit_event (chain, seq, at, hall_id, actor_id, actor_name, action, entity,"
    " entity_id, before, after, note, prev_hash, hash)"
    " SELECT :chain, seq, :at, :hall_id, :actor_id, :actor_name, :action, :entity, :entity_id,"
    " CAST(:before AS jsonb), CAST(:after AS jsonb), :note, prev, hash FROM moved"
    " RETURNING seq, prev_hash"
)


def _canonical(event: Mapping[str, Any]) -> str:
    """The JSON the hash covers (sorted keys; "seq" sorts last)."""
    body = {
        "seq": event["seq"],
        "at": event["at"].isoformat(timespec="microseconds"),
        "hall": event["hall_id"],
        "actor": event["actor_id"],
        "actor_name": event["actor_name"],
        "action": event["action"],
        "entity": event["entity"],
        "entity_id": event["entity_id"],
        "before": event["before"],
        "after": event["after"],
        "note": event["note"],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _prefix(event: Mapping[str, Any]) -> str:
    """The canonical JSON up to the sequence number: ``…,"seq":``."""
    blob = _canonical({**event, "seq": 0})
    assert blob.endswith(',"seq":0}')
    return blob[: -len("0}")]


HEAD_MISSING = "审计链的链头记录缺失（被删除）"
HEAD_REWOUND = "审计链的链头被回退到较早的记录"
TRAIL_WIPED = "审计记录被整体清空：数据库中已有用户、号票、办件或申请人，审计链却从头开始"


def damaged(what: str) -> EnvironmentProblem:
    """The refusal every audited action meets while the trail is damaged."""
    return EnvironmentProblem(
        f"审计记录已损坏：{what}。在修复之前，系统不能记录新的操作。"
        "请系统管理员运行 onewindow audit verify 查看详情，并从备份恢复数据库。",
        what,
    )


def _start_chain(conn: Connection, chain: str) -> None:
    """Create the head of a chain that has none yet (a hall's first event); never over events.

    Raises :func:`damaged` if the chain has events (its head was deleted). Two PCs of a new
    hall starting it at once: the second finds the first's head (the insert is a savepoint).
    """
    if conn.execute(select(AuditEvent.seq).where(AuditEvent.chain == chain).limit(1)).first():
        raise damaged(HEAD_MISSING)
    try:
        with conn.begin_nested():
            conn.execute(insert(AuditHead).values(chain=chain, seq=0, hash=GENESIS, prev=""))
    except IntegrityError:
        pass  # started by another transaction a moment ago


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    at: datetime | None = None,
) -> None:
    """Append an event to the actor's hall's chain inside the caller's transaction.

    The chain's head row stays locked until the caller commits, so call this as the last
    step of a transaction: the shorter the lock, the more counters of the hall can work at
    once. ``at`` is the server time the caller already read (saves a round trip).
    """
    session.flush()  # the caller's ORM changes first, so they are not written under the lock
    append(
        session.connection(),
        actor,
        action,
        entity,
        entity_id,
        at=at or db_now(session),
        before=before,
        after=after,
        note=note,
    )


def append(
    conn: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    *,
    at: datetime,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    chain: str | None = None,
) -> None:
    """:func:`record` for a caller that writes with Core statements on ``conn``.

    ``chain``: where to append (default :func:`chain_of` the actor's hall).
    """
    event: dict[str, Any] = {
        "at": at,
        "hall_id": actor.hall_id,
        "actor_id": actor.user_id,
        "actor_name": actor.full_name or actor.username,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "before": _plain(before) if before is not None else None,
        "after": _plain(after) if after is not None else None,
        "note": note,
    }
    name = chain or chain_of(actor.hall_id)
    params = {
        **event,
        "chain": name,
        "prefix": _prefix(event),
        "before": None if event["before"] is None else json.dumps(event["before"]),
        "after": None if event["after"] is None else json.dumps(event["after"]),
    }
    if not _append_once(conn, name, event, params):
        _start_chain(conn, name)  # a chain without its head row; refused over events
        _append_once(conn, name, event, params)


def _append_once(
    conn: Connection, chain: str, event: Mapping[str, Any], params: dict[str, Any]
) -> bool:
    """Append unless the chain has no head row (then False, nothing written).

    A head rewound to an earlier event hands out a sequence number already taken: the
    unique index refuses the event, and the caller's transaction ends with :func:`damaged`.
    """
    try:
        if conn.dialect.name == "postgresql":
            row = conn.execute(_APPEND_PG, params).first()
        else:
            row = conn.execute(_MOVE_HEAD_SQLITE, params).first()
            if row is not None:
                values = {**event, "chain": chain, "seq": row[0]}
                conn.execute(_INSERT_EVENT, {**values, "prev_hash": row[1], "hash": row[2]})
    except IntegrityError as exc:
        if "audit_event" in str(exc.orig) and "seq" in str(exc.orig):
            raise damaged(HEAD_REWOUND) from exc
        raise
    if row is None:
        return False
    seq, prev = row[0], row[1]
    hall_id = hall_of(chain)
    # A hall's chain begun afresh: only before the hall has records (else: wiped). The
    # city's and root's chains have no such records; the daily anchors watch them.
    fresh = seq == 1 and prev == GENESIS and hall_id is not None
    if fresh and conn.scalar(audited_data(hall_id)):
        raise damaged(TRAIL_WIPED)
    return True
