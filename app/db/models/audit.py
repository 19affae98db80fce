"""The audit trail: append-only events chained by hash, and the head of the chain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JsonType


class AuditEvent(Base):
    """Who did what to which record, when (server time), with before/after and a chained hash.

    ``chain``: ``hall:<id>`` for a hall's events, ``city`` for events of no hall, ``root``
    for the daily anchors, ``main`` for the single chain of databases before revision 0013.
    ``seq`` numbers the events of one chain; ``id`` orders all events as they were written.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        # A case's history (case view) reads its events by entity.
        Index("ix_audit_event_entity", "entity", "entity_id"),
        # The auditor's list of one hall in a city database walks the hall's events by id.
        Index("ix_audit_event_hall_id_id", "hall_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(20), default="main")
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("hall.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    note: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """Last sequence number and hash of a chain. Locking this row orders concurrent appends.

    ``genesis``: the hash the chain's first event links to — all zeros for a chain begun
    afresh, the last hash of chain ``main`` for the chains the upgrade to 0013 continued.
    """

    __tablename__ = "audit_head"

    chain: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    genesis: Mapped[str] = mapped_column(String(64), default="0" * 64, server_default="0" * 64)
    # The hash before the last move: PostgreSQL moves the head and writes the event in one
    # statement, whose RETURNING sees only new values (see app.audit.append).
    prev: Mapped[str] = mapped_column(String(64), default="", server_default="")


class CalendarOverride(Base):
    """A day the hall's calendar treats differently from the library (holiday or 调休 workday)."""

    __tablename__ = "calendar_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")
