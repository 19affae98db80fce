"""回访: the visits a week and a month after an agreement, with the performance found
(履行中 / 已履行完毕 / 未履行); the one-month visit, recorded after the week's, closes the dispute (已达成协议 → 已回访结案).
A visit may be recorded from 2 days before its due day (the parties' convenience), never
in the future."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import audit
from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.models import FollowUp
from app.db.session import Database
from app.errors import Conflict, ValidationError
from app.mediation import reading
from app.mediation import rules as mrules
from app.mediation.views import DisputeView
from app.roles import Permission
from app.states import FOLLOW_UP_FLOW, MEDIATION_FLOW, FollowUpState, MediationState

EARLY_DAYS = 2


def record_follow_up(
    db: Database,
    actor: Actor,
    dispute_id: int,
    version: int,
    kind: str,
    performance: str,
    note: str = "",
) -> DisputeView:
    """Record the ``kind`` ("week"/"month") 回访 today. Raises ValidationError ("kind",
    "performance", "note"), Conflict (no agreement, closed, already recorded, not yet due)."""
    actor.require(Permission.MEDIATE)
    if kind not in mrules.FOLLOW_UPS:
        raise ValidationError("请选择回访。", "kind")
    if performance not in mrules.PERFORMANCE:
        raise ValidationError("请选择协议履行情况。", "performance")
    note = free_text.clean_long(note, "note", "回访情况", 2000)
    if performance == "not_performed" and len(note) < 4:
        raise ValidationError("未履行的，请写明情况（至少 4 个字）。", "note")
    with db.unit_of_work() as session:
        hall = reading.hall_of(session, actor)
        d = reading.dispute_of(session, hall, dispute_id, lock=True)
        if d.version != version:
            raise Conflict("该纠纷已被他人修改，请刷新后再试。")
        if d.state != MediationState.AGREED:
            raise Conflict(f"纠纷当前状态为“{MEDIATION_FLOW.label(d.state)}”，不能登记回访。")
        visit = session.scalar(
            select(FollowUp).where(FollowUp.dispute_id == d.id, FollowUp.kind == kind)
        )
        assert visit is not None  # made with the agreement
        if kind == "month":  # the month's visit closes the dispute: the week's comes first
            week = session.scalar(
                select(FollowUp).where(FollowUp.dispute_id == d.id, FollowUp.kind == "week")
            )
            if week is not None and week.state != FollowUpState.DONE:
                raise ValidationError("请先登记一周回访，再登记一月回访。", "kind")
        FOLLOW_UP_FLOW.check(visit.state, FollowUpState.DONE)
        now = clock.now(session)
        today = clock.local_day(now, hall.timezone)
        if today < visit.due_on - timedelta(days=EARLY_DAYS):
            raise Conflict(
                f"{mrules.FOLLOW_UP_LABELS[kind]}应于 {visit.due_on.isoformat()} 前后进行。"
            )
        visit.state, visit.done_on = FollowUpState.DONE, today
        visit.performance, visit.note, visit.visited_by_id = performance, note, actor.user_id
        after: dict[str, object] = {
            "follow_up": mrules.FOLLOW_UP_LABELS[kind],
            "performance": mrules.PERFORMANCE[performance],
        }
        if kind == "month":
            MEDIATION_FLOW.check(d.state, MediationState.CLOSED)
            d.state, d.closed_on = MediationState.CLOSED, today
            after["state"] = MEDIATION_FLOW.label(MediationState.CLOSED)
        audit.record(session, actor, "dispute_follow_up", "dispute", d.id, after=after, note=note)
        session.commit()
        return reading.dispute_view(session, hall, d, today)
