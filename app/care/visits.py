"""Visits and major events: record a visit (the plan's next due day follows it, open
24-hour events are met, a need becomes a draft at the counter, a hazard an urgent
follow-up), cancel and restore it (audited; the plan and events recomputed), and record
a major event (住院, 丧亲 …) that makes a visit due within 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.care import plans, referral, rules
from app.care.reading import hall_and_profile, profile_view
from app.care.views import ProfileView, VisitInput
from app.db import clock
from app.db.models import CareEvent, CarePlan, CareProfile, CareVisit
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.roles import Permission
from app.states import CARE_VISIT_FLOW, CarePersonState, CarePlanState, CareVisitState

BACKDATE_DAYS = 30  # a visit may be recorded up to 30 days after it was made


@dataclass(frozen=True)
class VisitResult:
    """The visit recorded, the draft it raised at the counter (if any), the profile now."""

    visit_id: int
    draft_case_id: int | None
    profile: ProfileView


def _findings(raw: dict[str, str]) -> dict[str, str]:
    out = {}
    for key, value in raw.items():
        if key not in rules.FINDINGS:
            raise ValidationError(f"未知的探访发现项：{free_text.excerpt(key)}。", "findings")
        label = rules.FINDINGS[key]
        text = free_text.clean_long(value, f"findings.{key}", label, rules.FINDING_MAX)
        if text:
            out[key] = text
    return out


def _plan_for(session: Session, profile: CareProfile, inp: VisitInput) -> CarePlan | None:
    """The plan this visit counts for: the one named, else the person's open plan of its mode."""
    # The plan's row is locked for the rest of the transaction: two PCs recording visits of
    # one person at once wait for each other instead of one being told it changed meanwhile.
    if inp.plan_id is not None:
        plan = session.get(CarePlan, inp.plan_id, with_for_update=True)
        if plan is None or plan.profile_id != profile.id:
            raise ValidationError("探访计划不属于此人。", "plan_id")
        if plan.state != CarePlanState.ACTIVE:
            raise Conflict("该探访计划已结束。", "plan_id")
        if plan.mode != inp.mode:
            raise ValidationError(
                f"该计划的探访方式是“{rules.MODES[plan.mode]}”，请选择相同方式或不按计划登记。",
                "mode",
            )
        return plan
    return session.scalar(
        select(CarePlan)
        .where(
            CarePlan.profile_id == profile.id,
            CarePlan.mode == inp.mode,
            CarePlan.state == CarePlanState.ACTIVE,
        )
        .order_by(CarePlan.next_due, CarePlan.id)
        .limit(1)
        .with_for_update()
    )


def record_visit(db: Database, actor: Actor, inp: VisitInput) -> VisitResult:
    """登记探访. Raises ValidationError (the field named), Conflict, NotFound."""
    actor.require(Permission.CARE)
    if inp.mode not in rules.MODES:
        raise ValidationError("请选择探访方式。", "mode")
    findings = _findings(inp.findings)
    actions = free_text.clean_long(inp.actions, "actions", "处置情况", 2000)
    promised = free_text.clean_long(inp.promised, "promised", "承诺事项", 2000)
    urgent_note = free_text.clean_line(inp.urgent_note, "urgent_note", "隐患说明", 200)
    if inp.refer is not None and inp.refer not in rules.REFERRALS:
        raise ValidationError("只能转办列表中的事项。", "refer")
    if not (findings or actions or promised):
        raise ValidationError("请至少填写一项探访发现或处置情况。", "findings.health")
    with db.unit_of_work() as session:
        hall, profile = hall_and_profile(session, actor, inp.profile_id)
        if profile.state != CarePersonState.ACTIVE:
            raise Conflict(f"此人{profile.state_note or '已去世或已迁出'}，不能再登记探访。")
        now = clock.now(session)
        at = inp.visited_at or now
        if not now - timedelta(days=BACKDATE_DAYS) <= at <= now + timedelta(minutes=5):
            raise ValidationError(
                f"探访时间应在最近 {BACKDATE_DAYS} 天内，且不晚于现在。", "visited_at"
            )
        plan = _plan_for(session, profile, inp)
        visit = CareVisit(
            hall_id=hall.id,
            profile_id=profile.id,
            plan_id=plan.id if plan else None,
            mode=inp.mode,
            visited_at=at,
            visit_day=clock.local_day(at, hall.timezone),
            visitor_id=actor.user_id,
            visitor_name=actor.full_name or actor.username,
            findings=findings,
            actions=actions,
            promised=promised,
            state=CareVisitState.DONE,
            recorded_at=now,
        )
        session.add(visit)
        session.flush()
        if plan is not None:
            _recount(session, plan)
        met = _meet_events(session, profile.id)
        draft = None
        if inp.refer is not None:
            draft = referral.draft_for(session, actor, hall, profile.resident_id, inp.refer, visit)
            visit.draft_case_id = draft
        urgent = None
        if inp.urgent:
            note = urgent_note or findings.get("hazards", "")
            urgent = _event(session, actor, profile, "hazard", note, now, visit.id).id
        after = {
            "visit": visit.id,
            "mode": rules.MODES[inp.mode],
            "day": visit.visit_day.isoformat(),
        }
        after |= {"plan": plan.id if plan else None, "events_met": met}
        if plan is not None:
            after["due"] = plan.next_due.isoformat()
        if draft and inp.refer:
            after |= {"service": rules.REFERRALS[inp.refer], "draft": draft}
        if urgent:
            after["urgent"] = urgent
        audit.record(session, actor, "care_visit_recorded", "care_profile", profile.id, after=after)
        session.commit()
        today = clock.local_day(now, hall.timezone)
        return VisitResult(visit.id, draft, profile_view(session, hall, profile, today))


def _recount(session: Session, plan: CarePlan) -> None:
    """The plan's last visit and next due day from its done visits."""
    session.flush()
    days = list(
        session.scalars(
            select(CareVisit.visit_day).where(
                CareVisit.plan_id == plan.id, CareVisit.state == CareVisitState.DONE
            )
        )
    )
    plans.after_visits(plan, days)


def _meet_events(session: Session, profile_id: int) -> list[int]:
    """Open 24-hour events met by a done visit made at or after them (a hazard's: by a home
    visit); returns their ids.

    Events met by a visit since cancelled are opened again first (see cancel_visit).
    """
    session.flush()
    met = []
    for event in session.scalars(
        select(CareEvent).where(
            CareEvent.profile_id == profile_id, CareEvent.met_by_visit_id.is_(None)
        )
    ):
        # A hazard found on a visit is followed up at the door (上门); a major event by any
        # visit or call after it.
        modes = ("home",) if event.kind == "hazard" else tuple(rules.MODES)
        visit_id = session.scalar(
            select(CareVisit.id)
            .where(
                CareVisit.profile_id == profile_id,
                CareVisit.state == CareVisitState.DONE,
                CareVisit.visited_at >= event.happened_at,
                CareVisit.id != event.from_visit_id,
                CareVisit.mode.in_(modes),
            )
            .order_by(CareVisit.visited_at, CareVisit.id)
            .limit(1)
        )
        if visit_id is not None:
            event.met_by_visit_id = visit_id
            met.append(event.id)
    return met


def _event(
    session: Session,
    actor: Actor,
    profile: CareProfile,
    kind: str,
    note: str,
    now: datetime,
    from_visit: int | None = None,
) -> CareEvent:
    event = CareEvent(
        hall_id=profile.hall_id,
        profile_id=profile.id,
        kind=kind,
        note=note,
        happened_at=now,
        due_at=now + timedelta(hours=rules.URGENT_HOURS),
        recorded_by_id=actor.user_id,
        from_visit_id=from_visit,
    )
    session.add(event)
    session.flush()
    return event


def record_event(
    db: Database, actor: Actor, profile_id: int, kind: str, note: str = ""
) -> ProfileView:
    """A major event (住院, 丧亲 …): a visit is due within 24 hours. Raises ValidationError,
    Conflict (the person died or moved away), NotFound."""
    actor.require(Permission.CARE)
    if kind not in rules.EVENTS or kind == "hazard":
        raise ValidationError("请选择事件类型。", "kind")
    note = free_text.clean_line(note, "event_note", "事件说明", 200)
    with db.unit_of_work() as session:
        hall, profile = hall_and_profile(session, actor, profile_id)
        if profile.state != CarePersonState.ACTIVE:
            raise Conflict("此人已去世或已迁出。")
        now = clock.now(session)
        event = _event(session, actor, profile, kind, note, now)
        after = {
            "event": event.id,
            "kind": rules.EVENTS[kind],
            "due": clock.local_day(event.due_at, hall.timezone).isoformat(),
        }
        audit.record(
            session,
            actor,
            "care_event_recorded",
            "care_profile",
            profile.id,
            after=after,
            note=note,
        )
        session.commit()
        return profile_view(session, hall, profile, clock.local_day(now, hall.timezone))


def cancel_visit(
    db: Database, actor: Actor, visit_id: int, reason: str, version: int
) -> ProfileView:
    """作废 a visit recorded by mistake (kept, restorable); its plan and events recomputed."""
    reason = free_text.clean_line(reason, "cancel_reason", "作废原因", 200, 2)
    return _set_visit(db, actor, visit_id, CareVisitState.CANCELLED, reason, version)


def restore_visit(db: Database, actor: Actor, visit_id: int, version: int) -> ProfileView:
    """恢复 a cancelled visit; its plan and events recomputed."""
    return _set_visit(db, actor, visit_id, CareVisitState.DONE, "", version)


def _set_visit(
    db: Database, actor: Actor, visit_id: int, target: CareVisitState, reason: str, version: int
) -> ProfileView:
    actor.require(Permission.CARE)
    with db.unit_of_work() as session:
        visit = session.get(CareVisit, visit_id)
        if visit is None or visit.hall_id != actor.hall_id:
            raise NotFound("该探访记录不存在。")
        hall, profile = hall_and_profile(session, actor, visit.profile_id)
        if visit.version != version:
            raise Conflict("该探访记录已被他人修改，请刷新后再试。")
        if target == CareVisitState.DONE and profile.state != CarePersonState.ACTIVE:
            raise Conflict("此人已去世或已迁出，不能恢复探访记录。")
        before = {"state": CARE_VISIT_FLOW.label(visit.state)}
        CARE_VISIT_FLOW.check(visit.state, target)
        visit.state, visit.cancel_reason = target, reason
        if visit.plan_id is not None:
            plan = session.get(CarePlan, visit.plan_id, with_for_update=True)
            assert plan is not None
            _recount(session, plan)
        if target == CareVisitState.CANCELLED:
            session.execute(
                update(CareEvent)
                .where(CareEvent.met_by_visit_id == visit.id)
                .values(met_by_visit_id=None)
            )
        _meet_events(session, profile.id)
        action = (
            "care_visit_cancelled" if target == CareVisitState.CANCELLED else "care_visit_restored"
        )
        after = {"state": CARE_VISIT_FLOW.label(target), "visit": visit.id}
        audit.record(session, actor, action, "care_profile", profile.id, before, after, reason)
        session.commit()
        return profile_view(session, hall, profile, clock.service_day(session, hall))
