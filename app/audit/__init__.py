"""The audit trail: every change of state appends one event in the same transaction.

Events form a hash chain: each event's hash covers its content and the previous hash,
and ``audit_head`` holds the last sequence number and hash. Appending locks the head
row, so concurrent appends queue up instead of forking the chain; editing, deleting or
reordering any event breaks verification (:func:`verify_chain`).

The head row is part of the evidence: if it is missing while events exist, or points to an
earlier event (rewound), appending refuses with an :class:`EnvironmentProblem` saying the
trail is damaged — a new chain is never started over existing events — and
:func:`verify_chain` reports it.

A chain is started (its first event, sequence 1) only in a database that holds no audited
records yet: on a new database the hall's creation is the first event, before any user,
ticket, case or resident exists. A trail wiped as a whole (events and head deleted, or the
head set back to the start) while such records exist is reported by :func:`verify_chain`,
and appending refuses to begin a new chain over it.

What the chain cannot show by itself: its tail cut off consistently (the last events
deleted and the head moved back to the new last event, with its hash) leaves a shorter
chain that verifies. Only an anchor kept outside the chain — the last sequence number and
hash copied somewhere the database's writer cannot rewrite — detects that; issue 17 adds
daily anchors.

This module owns the chain: appending and verifying. What the auditor reads is split off:
:mod:`app.audit.listing` (the filtered, paged list), :mod:`app.audit.readable` (events in
names and Chinese words), :mod:`app.audit.finding` (a record as typed → its ids) and
:mod:`app.audit.labels` (the Chinese labels of actions, record types and detail keys).

This package sits just above ``app.db``: it may import the foundation modules of ``app``
(errors, roles, actor) and ``app.db``, and every capability above it appends through it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.actor import Actor
from app.audit.labels import ACTION_LABELS as ACTION_LABELS
from app.audit.labels import DETAIL_LABELS as DETAIL_LABELS
from app.audit.labels import ENTITY_LABELS as ENTITY_LABELS
from app.audit.listing import AuditRow as AuditRow
from app.audit.listing import recent_events as recent_events
from app.db.models import AuditEvent, AuditHead, Case, Resident, Ticket, User
from app.db.session import Database, db_now
from app.errors import EnvironmentProblem

CHAIN = "main"
GENESIS = "0" * 64


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


_HASHED = (
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


def _digest(prev: str, event: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's content (canonical JSON)."""
    return hashlib.sha256((prev + _canonical(event)).encode("utf-8")).hexdigest()


# Built once: appending runs in every state change, and building statements costs more
# than executing them.
_INSERT_EVENT = insert(AuditEvent)
_ANY_EVENT = select(AuditEvent.seq).limit(1)
# Records only audited actions create: a chain may not begin (sequence 1) once any exists.
_AUDITED_DATA = select(
    or_(*(select(col).exists() for col in (User.id, Ticket.id, Case.id, Resident.id)))
)
# SQLite (no data-modifying WITH): move the head, hashing with the connection's
# ``sha256_hex`` function, then write the event; the write lock is already held.
_MOVE_HEAD_SQLITE = text(
    "UPDATE audit_head SET prev = hash, seq = seq + 1,"
    " hash = sha256_hex(hash || :prefix || CAST(seq + 1 AS text) || '}')"
    " WHERE chain = :chain RETURNING seq, prev, hash"
)
# PostgreSQL: lock and move the head, hash, and write the event in ONE statement, so the
# chain's lock is held for this statement and the commit only (every audited action in
# the hall queues on it). The hash is SHA-256 of the previous hash and the canonical JSON,
# whose last key is "seq": Python sends the JSON up to the sequence number.
_APPEND_PG = text(
    "WITH moved AS ("
    " UPDATE audit_head SET prev = hash, seq = seq + 1,"
    " hash = encode(sha256(convert_to(hash || :prefix || CAST(seq + 1 AS text) || '}',"
    " 'UTF8')), 'hex')"
    " WHERE chain = :chain RETURNING seq, hash, prev)"
    " INSERT INTO audit_event (seq, at, hall_id, actor_id, actor_name, action, entity,"
    " entity_id, before, after, note, prev_hash, hash)"
    " SELECT seq, :at, :hall_id, :actor_id, :actor_name, :action, :entity, :entity_id,"
    " CAST(:before AS jsonb), CAST(:after AS jsonb), :note, prev, hash FROM moved"
    " RETURNING seq"
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


def _start_chain(conn: Connection) -> None:
    """Create the head of an empty chain (the first migration does); never over events.

    Raises :func:`damaged` if events exist (the head was deleted) or audited records exist
    (the whole trail was wiped).
    """
    if conn.execute(_ANY_EVENT).first() is not None:
        raise damaged(HEAD_MISSING)
    if conn.scalar(_AUDITED_DATA):
        raise damaged(TRAIL_WIPED)
    conn.execute(insert(AuditHead).values(chain=CHAIN, seq=0, hash=GENESIS, prev=""))


def _check_first_event(conn: Connection) -> None:
    """The event just given sequence 1 begins the chain: refused over audited records."""
    if conn.scalar(_AUDITED_DATA):
        raise damaged(TRAIL_WIPED)


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
    """Append an event to the chain inside the caller's transaction (the caller commits).

    The chain's head row stays locked until the commit, so call this as the last step of a
    transaction: the shorter the lock, the more counters can work at once. ``at`` is the
    server time the caller already read (saves a round trip).
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
) -> None:
    """:func:`record` for a caller that writes with Core statements on ``conn``."""
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
    _append_sql(conn, event)


def _append_sql(conn: Connection, event: Mapping[str, Any]) -> None:
    """The event's content in; sequence number, previous hash and hash set by the database."""
    params = {
        **event,
        "chain": CHAIN,
        "prefix": _prefix(event),
        "before": None if event["before"] is None else json.dumps(event["before"]),
        "after": None if event["after"] is None else json.dumps(event["after"]),
    }
    if not _append_once(conn, event, params):
        _start_chain(conn)  # an empty trail without its head row; refused over events
        _append_once(conn, event, params)


def _append_once(conn: Connection, event: Mapping[str, Any], params: dict[str, Any]) -> bool:
    """Append unless the chain has no head row (then False, nothing written).

    A head rewound to an earlier event hands out a sequence number already taken: the
    unique index refuses the event, and the caller's transaction ends with :func:`damaged`.
    """
    try:
        if conn.dialect.name == "postgresql":
            seq = conn.execute(_APPEND_PG, params).scalar()
        else:
            head = conn.execute(_MOVE_HEAD_SQLITE, params).first()
            seq = None if head is None else head[0]
            if head is not None:
                row = {**event, "seq": head[0], "prev_hash": head[1], "hash": head[2]}
                conn.execute(_INSERT_EVENT, row)
    except IntegrityError as exc:
        if "audit_event" in str(exc.orig) and "seq" in str(exc.orig):
            raise damaged(HEAD_REWOUND) from exc
        raise
    if seq == 1:  # once per database: the chain's first event
        _check_first_event(conn)
    return seq is not None


@dataclass
class ChainReport:
    """Outcome of :func:`verify_chain`."""

    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no event was edited, removed or reordered."""
        return not self.problems


def verify_chain(db: Database) -> ChainReport:
    """Recompute every hash in order; report edited, missing or reordered events.

    Also reports a head row that is missing, rewound or altered, and a trail that is empty
    although the database holds audited records (wiped as a whole). A tail cut off
    consistently is not seen here (see the module docstring).
    """
    report = ChainReport()
    with db.unit_of_work() as session:
        prev, expected = GENESIS, 1
        stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
        for event in session.scalars(stmt):
            report.events += 1
            if event.seq != expected:
                report.problems.append(f"第 {expected}–{event.seq - 1} 条审计记录缺失（被删除）")
            if event.prev_hash != prev:
                report.problems.append(f"第 {event.seq} 条审计记录与前一条不衔接")
            content = {name: getattr(event, name) for name in _HASHED}
            if _digest(event.prev_hash, content) != event.hash:
                report.problems.append(f"第 {event.seq} 条审计记录内容被修改")
            prev, expected = event.hash, event.seq + 1
        report.problems += _head_problems(session.get(AuditHead, CHAIN), expected - 1, prev)
        if report.events == 0 and session.scalar(_AUDITED_DATA):
            report.problems.append(TRAIL_WIPED)
    return report


def _head_problems(head: AuditHead | None, last: int, last_hash: str) -> list[str]:
    """What is wrong with the chain's head row, given the last event found."""
    if head is None:
        return [f"{HEAD_MISSING}，此后的操作都无法记录"] if last else []
    if head.seq > last:
        return [f"审计链末尾缺失：应有 {head.seq} 条，实际最后一条为 {last}"]
    if head.seq < last:
        return [f"{HEAD_REWOUND}：链头指向第 {head.seq} 条，实际最后一条为第 {last} 条"]
    if head.hash != last_hash:
        return [f"审计链的链头与第 {last} 条审计记录不符（链头被修改）"]
    return []
