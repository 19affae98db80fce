"""Visit plans: a rhythm of visits of one mode; the next due day follows the last visit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit
from app import text as free_text
from app.actor import Actor
from app.care import rules
from app.care.reading import hall_and_profile, profile_view
from app.care.views import ProfileView
from app.db import clock
from app.db.models import CarePlan, CareProfile
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.roles import Permission
from app.states import CARE_PLAN_FLOW, CarePersonState, CarePlanState


def new_plan(
    profile: CareProfile, mode: str, rhythm: str, every_days: int | None, starts_on: date
) -> CarePlan:
    """A plan whose first visit is due on ``starts_on`` (ValidationError on bad values)."""
    if mode not in rules.MODES:
        raise ValidationError("请选择探访方式。", "mode")
    if rhythm not in rules.RHYTHMS:
        raise ValidationError("请选择探访频次。", "rhythm")
    if rhythm == "days":
        if every_days is None or not 1 <= every_days <= rules.EVERY_DAYS_MAX:
            raise ValidationError(f"间隔天数应为 1–{rules.EVERY_DAYS_MAX}。", "every_days")
    else:
        every_days = None
    return CarePlan(
        hall_id=profile.hall_id,
        profile_id=profile.id,
        mode=mode,
        rhythm=rhythm,
        every_days=every_days,
        starts_on=starts_on,
        next_due=starts_on,
        state=CarePlanState.ACTIVE,
    )


def first_due(day: date | None, today: date) -> date:
    """A plan's first due day: ``day`` (default today) within a year either side of today —
    back, when paper records of visits already made are taken over. ValidationError."""
    first = day or today
    if not rules.add_months(today, -12) <= first <= rules.add_months(today, 12):
        raise ValidationError("首次探访日期应在一年前到一年后之间。", "starts_on")
    return first


def close(plan: CarePlan, on: date, reason: str) -> None:
    """Close ``plan`` (declared in ``CARE_PLAN_FLOW``)."""
    CARE_PLAN_FLOW.check(plan.state, CarePlanState.CLOSED)
    plan.state, plan.closed_on, plan.closed_reason = CarePlanState.CLOSED, on, reason


def add_plan(
    db: Database,
    actor: Actor,
    profile_id: int,
    mode: str,
    rhythm: str,
    every_days: int | None = None,
    starts_on: date | None = None,
) -> ProfileView:
    """Another plan for the person (a daily phone check beside the weekly home visit).

    ``starts_on``: the first visit's due day (default today; up to a year back for a person
    already visited before the plan was recorded, or ahead). Raises
    ValidationError, Conflict (the person died or moved away), NotFound.
    """
    actor.require(Permission.CARE)
    with db.unit_of_work() as session:
        hall, profile = hall_and_profile(session, actor, profile_id)
        today = clock.service_day(session, hall)
        if profile.state != CarePersonState.ACTIVE:
            raise Conflict("此人已去世或已迁出，不能再制定探访计划。")
        first = first_due(starts_on, today)
        plan = new_plan(profile, mode, rhythm, every_days, first)
        same = session.scalar(
            select(CarePlan.id).where(
                CarePlan.profile_id == profile.id,
                CarePlan.state == CarePlanState.ACTIVE,
                CarePlan.mode == plan.mode,
                CarePlan.rhythm == plan.rhythm,
                CarePlan.every_days.is_(None)
                if plan.every_days is None
                else CarePlan.every_days == plan.every_days,
            )
        )
        if same is not None:
            raise Conflict("此人已有相同方式、相同频次的探访计划。", "rhythm")
        session.add(plan)
        session.flush()
        after = {"plan": plan.id, "mode": rules.MODES[mode], "due": first.isoformat()}
        after["rhythm"] = rules.rhythm_label(rhythm, plan.every_days)
        audit.record(session, actor, "care_plan_added", "care_profile", profile.id, after=after)
        session.commit()
        return profile_view(session, hall, profile, today)


def close_plan(db: Database, actor: Actor, plan_id: int, reason: str) -> ProfileView:
    """End a plan by hand, with the reason (at least 2 characters)."""
    actor.require(Permission.CARE)
    reason = free_text.clean_line(reason, "closed_reason", "结束原因", 200, 2)
    with db.unit_of_work() as session:
        plan = session.get(CarePlan, plan_id)
        if plan is None or plan.hall_id != actor.hall_id:
            raise NotFound("该探访计划不存在。")
        hall, profile = hall_and_profile(session, actor, plan.profile_id)
        today = clock.service_day(session, hall)
        close(plan, today, reason)
        after = {"plan": plan.id, "state": CARE_PLAN_FLOW.label(plan.state)}
        audit.record(
            session, actor, "care_plan_closed", "care_profile", profile.id, after=after, note=reason
        )
        session.commit()
        return profile_view(session, hall, profile, today)


def after_visits(plan: CarePlan, visit_days: list[date]) -> None:
    """Set ``plan``'s last visit and next due from its done visits: the rhythm from the last
    one, never before the plan's first due day (a visit recorded back-dated before the plan
    existed cannot make it late)."""
    if visit_days:
        last = max(visit_days)
        plan.last_visit_on = last
        plan.next_due = max(rules.next_due(last, plan.rhythm, plan.every_days), plan.starts_on)
    else:
        plan.last_visit_on = None
        plan.next_due = plan.starts_on
