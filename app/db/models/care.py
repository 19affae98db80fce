"""一人一档 care records of special groups: profiles, visit plans, major events and visits.

A :class:`CareProfile` belongs to one resident of the registry in one hall (unique per
hall and resident): the groups the person belongs to (codes of ``forms/care_groups.yaml``
or of the hall's own :class:`CareGroup`), the risk tier, sensitive notes (health, living
situation, needs), emergency contacts, the responsible worker and grid (网格), the consent
it was recorded under (PIPL art. 28–29) and whether the person still lives here
(``app.states.CARE_PERSON_FLOW``).

A :class:`CarePlan` is one rhythm of visits of one mode (a weekly home visit, a daily
phone check); ``next_due`` follows the plan's last visit. A :class:`CareEvent` (住院, 丧亲 …
or a hazard found on a visit) makes a visit due within 24 hours until one is made. A
:class:`CareVisit` is kept for ever: a cancelled one keeps its row and can be restored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JsonType, enum_type
from app.states import CarePersonState, CarePlanState, CareVisitState


class CareGroup(Base):
    """A group a hall adds to the catalog's list (e.g. 退役军人优抚对象)."""

    __tablename__ = "care_group"
    __table_args__ = (UniqueConstraint("hall_id", "code"), UniqueConstraint("hall_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class CareProfile(Base):
    """一人一档: one resident's care record in one hall."""

    __tablename__ = "care_profile"
    __table_args__ = (
        UniqueConstraint("hall_id", "resident_id"),
        Index("ix_care_profile_hall_worker", "hall_id", "worker_id"),
        Index("ix_care_profile_hall_grid", "hall_id", "grid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    groups: Mapped[list[str]] = mapped_column(JsonType, default=list)  # group codes
    tier: Mapped[str] = mapped_column(String(8))  # "high" 高风险, "key" 重点, "general" 一般
    health: Mapped[str] = mapped_column(Text, default="")  # sensitive (PIPL art. 28)
    living: Mapped[str] = mapped_column(Text, default="")  # 居住情况
    needs: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[list[dict[str, str]]] = mapped_column(JsonType, default=list)
    grid: Mapped[str] = mapped_column(String(40), default="")  # 网格
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    consent_by: Mapped[str] = mapped_column(String(60))  # "本人 李秀兰", "监护人 王芳（女儿）"
    consent_on: Mapped[date] = mapped_column(Date)
    state: Mapped[CarePersonState] = mapped_column(
        enum_type(CarePersonState, 12), default=CarePersonState.ACTIVE
    )
    state_on: Mapped[date | None] = mapped_column(Date)  # died / moved away on
    state_note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CarePlan(Base):
    """One rhythm of visits of one mode for one person."""

    __tablename__ = "care_plan"
    __table_args__ = (Index("ix_care_plan_hall_state_due", "hall_id", "state", "next_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("care_profile.id"), index=True)
    mode: Mapped[str] = mapped_column(String(12))  # "home", "phone", "video", "proxy", "device"
    rhythm: Mapped[str] = mapped_column(String(10))  # daily/weekly/monthly/quarterly/days
    every_days: Mapped[int | None] = mapped_column(Integer)  # rhythm "days": every N days
    starts_on: Mapped[date] = mapped_column(Date)
    next_due: Mapped[date] = mapped_column(Date)
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[CarePlanState] = mapped_column(
        enum_type(CarePlanState, 12), default=CarePlanState.ACTIVE
    )
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CareEvent(Base):
    """A major event (住院, 丧亲 …) or a hazard found: a visit is due within 24 hours."""

    __tablename__ = "care_event"
    __table_args__ = (Index("ix_care_event_hall_open", "hall_id", "met_by_visit_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("care_profile.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # "hospital", "bereaved", "fall", "hazard" …
    note: Mapped[str] = mapped_column(String(200), default="")
    happened_at: Mapped[datetime] = mapped_column(DateTime)  # server time it was recorded
    due_at: Mapped[datetime] = mapped_column(DateTime)  # 24 hours after
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    from_visit_id: Mapped[int | None] = mapped_column(ForeignKey("care_visit.id"))
    met_by_visit_id: Mapped[int | None] = mapped_column(ForeignKey("care_visit.id"))


class CareVisit(Base):
    """One visit, call or check: what was found and what was done or promised."""

    __tablename__ = "care_visit"
    __table_args__ = (
        Index("ix_care_visit_hall_day", "hall_id", "visit_day"),
        Index("ix_care_visit_profile_day", "profile_id", "visit_day"),
        # A plan's done visits by day (its last one, the month's report's replay).
        Index(
            "ix_care_visit_plan_day",
            "plan_id",
            "visit_day",
            postgresql_where=text("state = 'done'"),
            sqlite_where=text("state = 'done'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("care_profile.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("care_plan.id"))
    mode: Mapped[str] = mapped_column(String(12))
    visited_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, as every time stored
    visit_day: Mapped[date] = mapped_column(Date)  # the hall's calendar day of the visit
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    visitor_name: Mapped[str] = mapped_column(String(60))
    findings: Mapped[dict[str, str]] = mapped_column(JsonType, default=dict)  # health, mood …
    actions: Mapped[str] = mapped_column(Text, default="")  # what was done
    promised: Mapped[str] = mapped_column(Text, default="")  # what was promised
    draft_case_id: Mapped[int | None] = mapped_column(ForeignKey("service_case.id"))
    state: Mapped[CareVisitState] = mapped_column(
        enum_type(CareVisitState, 12), default=CareVisitState.DONE
    )
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
