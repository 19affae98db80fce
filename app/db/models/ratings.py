"""好差评 ratings and the 整改 tasks a bad rating opens (GB/T 39734-2020).

A :class:`Rating` is never edited: a resident who rated by mistake rates again within the
grace period, which writes a new row and marks the old one ``superseded_by_id``; at most
one live (not superseded) rating exists per subject (``subject_key``: the ticket, or the
case and its stage — ``T:<ticket id>``, ``C:<case id>:accept``, ``C:<case id>:pickup``),
enforced by a partial unique index. Each rating carries who and what it judges: window,
clerk, service type and department (nullable when the subject has none).

A :class:`Rectification` (整改) belongs to one bad rating (不满意 or 非常不满意): due in 5
working days, with the callback (回访) and the measures taken, closed or appealed
(``app.states.RECTIFICATION_FLOW``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JsonType, enum_type
from app.states import RectificationState


class Rating(Base):
    """One resident's 好差评 of a ticket's service or of a case at acceptance / pickup."""

    __tablename__ = "rating"
    __table_args__ = (
        Index(
            "uq_rating_live_subject",
            "subject_key",
            unique=True,
            sqlite_where=text("superseded_by_id IS NULL"),
            postgresql_where=text("superseded_by_id IS NULL"),
        ),
        Index("ix_rating_hall_rated", "hall_id", "rated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    subject_key: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(12))  # "service" (ticket), "accept", "pickup"
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("service_case.id"))
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    reasons: Mapped[list[str]] = mapped_column(JsonType, default=list)  # from the reason list
    note: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(16))  # "rating_screen", "kiosk"
    window_id: Mapped[int | None] = mapped_column(ForeignKey("service_window.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    service_type_id: Mapped[int | None] = mapped_column(ForeignKey("service_type.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    rated_at: Mapped[datetime] = mapped_column(DateTime)
    service_day: Mapped[date] = mapped_column(Date)  # the hall's day it was rated
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("rating.id"))


class Rectification(Base):
    """整改 of one bad rating: callback, measures, closed or appealed; due in 5 working days."""

    __tablename__ = "rectification"
    __table_args__ = (Index("ix_rectification_hall_state", "hall_id", "state", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), unique=True)
    state: Mapped[RectificationState] = mapped_column(
        enum_type(RectificationState), default=RectificationState.OPEN
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    due_date: Mapped[date] = mapped_column(Date)  # 5 working days after the rating
    callback_at: Mapped[datetime | None] = mapped_column(DateTime)
    callback_result: Mapped[str] = mapped_column(Text, default="")  # 回访结果
    measures: Mapped[str] = mapped_column(Text, default="")  # 整改措施
    appeal_reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
