"""矛盾纠纷调解 (三级调解, issue 19 §2): a dispute between two or more parties, mediated at
网格 / 社区调解委员会 / 街道综治中心 with a time limit per level (``level_due_on``), its
sessions, its level history (escalations with their reason), the 人民调解协议书 and the
回访 a week and a month after it.

The agreement's fields are those 《人民调解法》 第二十九条 requires: the parties (their rows
here), the main facts, the matters in dispute and each party's responsibility, the terms,
how and by when they are performed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JsonType, enum_type
from app.states import FollowUpState, MediationLevel, MediationState


class Dispute(Base):
    """One dispute: kind, facts, level and its deadline, state, outcome."""

    __tablename__ = "mediation_dispute"
    __table_args__ = (Index("ix_mediation_dispute_hall_state", "hall_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)  # DEMO-TJ20261029-0001
    kind: Mapped[str] = mapped_column(String(8))  # forms/mediation kinds: "LL" 邻里纠纷
    facts: Mapped[str] = mapped_column(Text)
    grid: Mapped[str] = mapped_column(String(40), default="")
    level: Mapped[MediationLevel] = mapped_column(enum_type(MediationLevel, 10))
    level_started_on: Mapped[date] = mapped_column(Date)  # hall-local day it reached the level
    level_due_on: Mapped[date] = mapped_column(Date)  # last day of the level's limit
    state: Mapped[MediationState] = mapped_column(enum_type(MediationState, 10))
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    registered_on: Mapped[date] = mapped_column(Date)  # hall-local: the 化解率's period
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_dispute.id"))
    outcome_note: Mapped[str] = mapped_column(Text, default="")  # 调解不成 / 撤回: why
    ended_on: Mapped[date | None] = mapped_column(Date)  # agreed, failed, withdrawn
    closed_on: Mapped[date | None] = mapped_column(Date)  # the one-month 回访
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class DisputeParty(Base):
    """A party (当事人): who, how to reach them, what they want (诉求)."""

    __tablename__ = "mediation_party"
    __table_args__ = (UniqueConstraint("dispute_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2 …: 当事人甲, 乙 …
    name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    phone: Mapped[str] = mapped_column(String(24), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    claim: Mapped[str] = mapped_column(Text, default="")


class MediationSession(Base):
    """One mediation session: day, place, who mediated (with invited 乡贤, 律师,
    心理咨询师: ``mediators`` is a list of ``{"name", "role"}``) and the record of it."""

    __tablename__ = "mediation_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[MediationLevel] = mapped_column(enum_type(MediationLevel, 10))
    mediators: Mapped[list[dict[str, str]]] = mapped_column(JsonType, default=list)
    record: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class LevelStep(Base):
    """The dispute's level history: where it was registered and each escalation (by a
    mediator with the reason, or by the system when the limit passed: ``by_system``)."""

    __tablename__ = "mediation_level_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    from_level: Mapped[MediationLevel | None] = mapped_column(enum_type(MediationLevel, 10))
    to_level: Mapped[MediationLevel] = mapped_column(enum_type(MediationLevel, 10))
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500), default="")
    by_system: Mapped[bool] = mapped_column(default=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Agreement(Base):
    """人民调解协议书 (人民调解法 第二十九条): facts, matters in dispute and responsibility,
    terms, how and by when performed; effective on ``signed_on`` (第二十九条: signed or
    sealed by the parties and the mediator, with the committee's seal)."""

    __tablename__ = "mediation_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"), unique=True)
    facts: Mapped[str] = mapped_column(Text)  # 纠纷的主要事实
    issues: Mapped[str] = mapped_column(Text)  # 争议事项
    liability: Mapped[str] = mapped_column(Text)  # 各方当事人的责任
    terms: Mapped[str] = mapped_column(Text)  # 调解协议的内容
    performance_way: Mapped[str] = mapped_column(String(200))  # 履行方式
    perform_by: Mapped[date] = mapped_column(Date)  # 履行期限
    signed_on: Mapped[date] = mapped_column(Date)
    mediators: Mapped[list[str]] = mapped_column(JsonType, default=list)  # who signs
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FollowUp(Base):
    """A 回访 of an agreement (``kind`` "week" or "month"), due on a day, and what was
    found: the agreement's ``performance`` (履行中 / 已履行完毕 / 未履行)."""

    __tablename__ = "mediation_follow_up"
    __table_args__ = (UniqueConstraint("dispute_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id"))
    kind: Mapped[str] = mapped_column(String(8))
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[FollowUpState] = mapped_column(enum_type(FollowUpState, 8))
    done_on: Mapped[date | None] = mapped_column(Date)
    performance: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    visited_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
