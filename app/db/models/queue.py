"""Windows, tickets and the per-day ticket counters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, enum_type
from app.states import TicketState, WindowState


class Window(Base):
    """A counter window (窗口) of a hall."""

    __tablename__ = "service_window"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    state: Mapped[WindowState] = mapped_column(enum_type(WindowState), default=WindowState.CLOSED)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class WindowCategory(Base):
    """A queue a window serves, with its priority (1 first)."""

    __tablename__ = "window_category"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("service_window.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("queue_category.id"), primary_key=True)
    priority: Mapped[int] = mapped_column(Integer, default=1)


class TicketCounter(Base):
    """Last number issued per hall, day and queue; bumped by an upsert in the issuing transaction."""

    __tablename__ = "ticket_counter"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("queue_category.id"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    """A queue ticket (号票). The unique constraint is the safety net under the counter."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("hall_id", "service_day", "category_id", "number"),
        # A kiosk's press: its retry after a lost reply finds the ticket, never a second one.
        UniqueConstraint("hall_id", "client_token"),
        Index("ix_ticket_queue", "hall_id", "service_day", "state", "category_id", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    service_day: Mapped[date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(ForeignKey("queue_category.id"))
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))
    priority_reason: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[TicketState] = mapped_column(enum_type(TicketState), default=TicketState.WAITING)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("service_window.id"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    # The ID given at the kiosk, carried to the counter's intake; kept only while the
    # ticket is open (cleared when it ends: calling._transition).
    id_number: Mapped[str | None] = mapped_column(String(18))
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    # Place in the queue (FIFO): the issue time, kept or renewed by transfers and late returns.
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    target_window_id: Mapped[int | None] = mapped_column(ForeignKey("service_window.id"))
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    called_at: Mapped[datetime | None] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    client_token: Mapped[str | None] = mapped_column(String(32))  # kiosk press (uuid4 hex)
    # The clerk who called it at the window that serves it (statistics per clerk, 好差评).
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
