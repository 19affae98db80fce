"""升级: a dispute moves up one level (网格 → 社区调解委员会 → 街道综治中心) with a new time
limit counted from the day it arrives; asked by the mediator with a reason, or done by
housekeeping (:func:`escalate_overdue`, audited as 系统) once the level's last day has passed.
Only a dispute still being mediated (登记 or 调解中) moves; 街道 is the top level.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import SYSTEM, Actor
from app.db import clock
from app.db.models import Dispute, Hall, LevelStep
from app.db.session import Database
from app.errors import Conflict
from app.mediation import reading
from app.mediation import rules as mrules
from app.mediation.views import DisputeView
from app.roles import Permission
from app.states import MEDIATION_LEVEL_FLOW, MediationLevel

NEXT = {
    MediationLevel.GRID: MediationLevel.COMMUNITY,
    MediationLevel.COMMUNITY: MediationLevel.STREET,
}
REASON_MIN = 4


def move_up(
    session: Session,
    actor: Actor,
    hall: Hall,
    d: Dispute,
    reason: str,
    now: datetime,
    today: date,
    by_system: bool,
) -> MediationLevel:
    """Move ``d`` one level up (the level table's check), record the step and audit it."""
    if d.state not in reading.RUNNING:
        raise Conflict("只有调解中的纠纷可以升级。", "reason")
    target = NEXT.get(d.level)
    if target is None:
        raise Conflict("纠纷已在街道综治中心调解，没有更高的调解层级。", "reason")
    MEDIATION_LEVEL_FLOW.check(d.level, target)
    before = {"level": MEDIATION_LEVEL_FLOW.label(d.level), "due": d.level_due_on.isoformat()}
    due = mrules.rules().due_on(target, today)
    session.add(
        LevelStep(
            dispute_id=d.id,
            at=now,
            from_level=d.level,
            to_level=target,
            due_on=due,
            reason=reason,
            by_system=by_system,
            actor_id=None if by_system else actor.user_id,
        )
    )
    d.level, d.level_started_on, d.level_due_on = target, today, due
    after = {"level": MEDIATION_LEVEL_FLOW.label(target), "due": due.isoformat()}
    action = "dispute_escalated_by_limit" if by_system else "dispute_escalated"
    audit.record(session, actor, action, "dispute", d.id, before, after, reason, at=now)
    return target


def escalate(db: Database, actor: Actor, dispute_id: int, version: int, reason: str) -> DisputeView:
    """The mediator escalates with a reason (at least 4 characters). Raises ValidationError
    ("reason"), Conflict (not being mediated, at the top level, changed meanwhile), NotFound."""
    actor.require(Permission.MEDIATE)
    reason = free_text.clean_line(reason, "reason", "升级原因", 500, REASON_MIN)
    with db.unit_of_work() as session:
        hall = reading.hall_of(session, actor)
        d = reading.dispute_of(session, hall, dispute_id, lock=True)
        if d.version != version:
            raise Conflict("该纠纷已被他人修改，请刷新后再试。")
        now = clock.now(session)
        today = clock.local_day(now, hall.timezone)
        move_up(session, actor, hall, d, reason, now, today, by_system=False)
        session.commit()
        return reading.dispute_view(session, hall, d, today)


def escalate_overdue(db: Database, hall_id: int | None) -> list[str]:
    """Housekeeping: every dispute of the hall still being mediated whose level's last day
    has passed moves one level up (audited as 系统, the reason naming the limit). Idempotent:
    the new level's limit starts today. Returns the numbers moved."""
    if hall_id is None:
        return []
    moved = []
    with db.unit_of_work() as session:
        hall = session.get(Hall, hall_id)
        if hall is None:
            return []
        now = clock.now(session)
        today = clock.local_day(now, hall.timezone)
        system = replace(SYSTEM, hall_id=hall.id, hall_name=hall.name)
        overdue = list(
            session.scalars(
                select(Dispute)
                .where(
                    Dispute.hall_id == hall.id,
                    Dispute.state.in_(reading.RUNNING),
                    Dispute.level.in_(tuple(NEXT)),
                    Dispute.level_due_on < today,
                )
                .order_by(Dispute.id)
                .with_for_update()
            )
        )
        for d in overdue:
            days = mrules.rules().limits[d.level]
            reason = f"超过{MEDIATION_LEVEL_FLOW.label(d.level)}时限（{days} 日）未调结，自动升级"
            move_up(session, system, hall, d, reason, now, today, by_system=True)
            moved.append(d.number)
        session.commit()
    return moved
