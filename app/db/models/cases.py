"""Residents (一人一档), cases (办件), their materials and the back-office tasks."""

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
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JsonType, enum_type
from app.states import CaseState, TaskState

LIVE_TASK_SQL = "state IN ('open', 'claimed')"
OPEN_CASE_SQL = "state IN ('accepted', 'in_review', 'awaiting_supplement', 'publicizing')"
# The same test in queries, spelt so that both planners match the partial index below
# (SQLite uses a partial index only for the literal condition, never a bound parameter).
LIVE_TASK = text("task.state IN ('open', 'claimed')")
OPEN_CASE = text(
    "service_case.state IN ('accepted', 'in_review', 'awaiting_supplement', 'publicizing')"
)


class Resident(Base):
    """An applicant or agent. The ID number is the natural key."""

    __tablename__ = "resident"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    name_initials: Mapped[str] = mapped_column(String(60), default="", index=True)
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(24), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list[str]] = mapped_column(JsonType, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Case(Base):
    """A case (办件): one application for one service, under the catalog version it was taken."""

    __tablename__ = "service_case"
    __table_args__ = (
        Index("ix_service_case_hall_state_due", "hall_id", "state", "due_date"),
        # The supervisor's deadline lists: the hall's open cases in due order.
        Index(
            "ix_service_case_open_due",
            "hall_id",
            "due_date",
            "id",
            "state",
            postgresql_where=text(OPEN_CASE_SQL),
            sqlite_where=text(OPEN_CASE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Given at acceptance (受理) or refusal; a draft kept for the next visit has none yet.
    case_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    service_version_id: Mapped[int] = mapped_column(ForeignKey("service_version.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"))
    form_data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    state: Mapped[CaseState] = mapped_column(enum_type(CaseState), default=CaseState.DRAFT)
    current_step: Mapped[str | None] = mapped_column(String(40))
    due_date: Mapped[date | None] = mapped_column(Date)
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    # What the last 一次性告知书 listed (kept on the draft so the next visit resumes it).
    notice_items: Mapped[list[str]] = mapped_column(JsonType, default=list)
    # 容缺受理: the date by which promised materials must be brought.
    deferred_until: Mapped[date | None] = mapped_column(Date)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Back office: the step under way (index into the version's routing), 公示 end, 补正.
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    publicity_until: Mapped[date | None] = mapped_column(Date)
    suspended_since: Mapped[date | None] = mapped_column(Date)
    supplement_items: Mapped[list[str]] = mapped_column(JsonType, default=list)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # 统一窗口出件: who collected the result, when, from which clerk.
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    collector: Mapped[str | None] = mapped_column(String(80))  # "李四（110105********1234）"
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Notification(Base):
    """A message prepared for an applicant (e.g. an SMS that the result is ready).

    Written in the transaction that makes the case ready; a sender delivers it afterwards
    and marks it sent, so a failing SMS gateway never loses or blocks a decision.
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    error: Mapped[str] = mapped_column(String(200), default="")


class CaseMaterial(Base):
    """A material of a case: whether it was received, in what form, or promised for later."""

    __tablename__ = "case_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("service_case.id", ondelete="CASCADE"), index=True
    )
    material_key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))
    received: Mapped[bool] = mapped_column(Boolean, default=False)
    original_seen: Mapped[bool] = mapped_column(Boolean, default=False)
    copy_kept: Mapped[bool] = mapped_column(Boolean, default=False)
    copies: Mapped[int] = mapped_column(Integer, default=0)
    deferred_until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")


class Task(Base):
    """One department's decision on one step of a case (审批任务)."""

    __tablename__ = "task"
    __table_args__ = (
        # The inbox and the supervisor's counts read a hall's live tasks only, most urgent
        # first: a small index in due order (a few per cent of all tasks), no sorting.
        Index(
            "ix_task_live_due",
            "hall_id",
            "due_date",
            "id",
            "department_id",
            postgresql_where=text(LIVE_TASK_SQL),
            sqlite_where=text(LIVE_TASK_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id"), index=True)
    # The case's hall, kept on the task so a hall's inbox and counts need no join.
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    step_key: Mapped[str] = mapped_column(String(40))
    step_index: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    state: Mapped[TaskState] = mapped_column(enum_type(TaskState), default=TaskState.OPEN)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    opinion: Mapped[str] = mapped_column(Text, default="")
    # Why the task exists beyond its step: "公示期间收到异议：…", "由民政局转来：…".
    note: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CaseCounter(Base):
    """Per prefix (hall part and department code, ``JX01-MZ``; before revision 0014 the
    department code alone) and day: the last case number given (like tickets)."""

    __tablename__ = "case_counter"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class CaseDocument(Base):
    """A printed document of a case (受理回执, 一次性告知书, 不予受理通知书), as issued."""

    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("service_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
