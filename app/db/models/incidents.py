"""群众诉求 / 网格事件 (issue 19): an event reported at the counter, by phone or by a grid
worker, dispatched to a 主办 department (and 抄送 ones), handled, checked and closed, with a
clock per stage in working hours (``stage_due_at``) and a public timeline the resident sees
at the kiosk (:class:`IncidentLine`: one line per stage, no staff names).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JsonType, enum_type
from app.states import ExtensionState, IncidentState


class Incident(Base):
    """One event: what, where, who reported it, where it stands and who handles it."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_hall_state_due", "hall_id", "state", "stage_due_at"),
        Index("ix_incident_lead_state", "lead_dept", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)  # JX01-SQ20261130-0001
    type_code: Mapped[str] = mapped_column(String(8))
    subtype_code: Mapped[str] = mapped_column(String(8))
    grid: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(12))  # "counter", "phone", "grid"
    anonymous: Mapped[bool] = mapped_column(default=False)
    reporter_name: Mapped[str] = mapped_column(String(60), default="")
    reporter_phone: Mapped[str] = mapped_column(String(24), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[IncidentState] = mapped_column(enum_type(IncidentState, 12))
    lead_dept: Mapped[str | None] = mapped_column(String(16))
    cc_depts: Mapped[list[str]] = mapped_column(JsonType, default=list)
    dispatched_by: Mapped[str] = mapped_column(String(60), default="")  # "派单目录" or a name
    stage_started_at: Mapped[datetime] = mapped_column(DateTime)
    stage_due_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: no clock
    review_on: Mapped[date | None] = mapped_column(Date)  # 挂账: when to look again
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"))
    result: Mapped[str] = mapped_column(Text, default="")  # 反馈: what was done
    reason: Mapped[str] = mapped_column(String(500), default="")  # the last refusal / 退单 / 返工
    rating: Mapped[int | None] = mapped_column(Integer)  # 回访评价 1–5
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime)  # this stage ran overdue
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class IncidentLine(Base):
    """One line of an event's public timeline (the kiosk shows these, no staff names)."""

    __tablename__ = "incident_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[IncidentState] = mapped_column(enum_type(IncidentState, 12))
    text: Mapped[str] = mapped_column(String(200))
    # The stage this line opens: its deadline (an approved 延期 moves it) and the 主办
    # department then; a stage ends at the event's next line (stage times, department figures).
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    dept: Mapped[str | None] = mapped_column(String(16))


class IncidentExtension(Base):
    """延期申请: the 主办 department asks for more handling hours, with the reason; the
    dispatcher approves (the 处置 deadline moves by ``hours`` working hours) or refuses."""

    __tablename__ = "incident_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    hours: Mapped[int] = mapped_column(Integer)  # working hours asked for
    reason: Mapped[str] = mapped_column(String(500))
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    asked_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[ExtensionState] = mapped_column(enum_type(ExtensionState, 10))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(String(500), default="")


class IncidentPage(Base):
    """A photo of an event: taken when it was reported (``stage`` "report") or with the
    department's feedback ("feedback"). Bytes in the page store, as a case's pages."""

    __tablename__ = "incident_page"
    __table_args__ = (UniqueConstraint("incident_id", "stage", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"))
    stage: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(Integer)
    thumb_sha256: Mapped[str] = mapped_column(String(64))
    thumb_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(24))
    storage: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
