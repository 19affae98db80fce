"""Care rows as views: the whole profile (sensitive, read by an audited call) and the
masked list row. Reading only; the callers own the transaction and the audit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.care import groups, rules
from app.care.views import Contact, EventView, PlanView, ProfileRow, ProfileView, VisitView
from app.db.models import CareEvent, CarePlan, CareProfile, CareVisit, Hall, Resident, User
from app.errors import NotFound, PermissionDenied
from app.ids import mask_id, mask_phone
from app.states import CARE_PERSON_FLOW, CarePlanState, CareVisitState

VISITS_SHOWN = 100  # a profile lists its latest visits


def age_on(born: date, today: date) -> int:
    """Whole years on ``today``."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def local(moment: datetime, zone: str) -> str:
    """A stored UTC moment as the hall's ``YYYY-MM-DD HH:MM``."""
    return (
        moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    )


def plan_view(plan: CarePlan, today: date) -> PlanView:
    active = plan.state == CarePlanState.ACTIVE
    return PlanView(
        id=plan.id,
        mode=plan.mode,
        mode_label=rules.MODES.get(plan.mode, plan.mode),
        rhythm=plan.rhythm,
        every_days=plan.every_days,
        rhythm_label=rules.rhythm_label(plan.rhythm, plan.every_days),
        next_due=plan.next_due,
        last_visit_on=plan.last_visit_on,
        active=active,
        closed_reason=plan.closed_reason,
        due_label=rules.bucket(plan.next_due, today).label if active else "已结束",
        version=plan.version,
        bucket=rules.bucket(plan.next_due, today).key if active else "",
    )


def profile_view(session: Session, hall: Hall, profile: CareProfile, today: date) -> ProfileView:
    """The whole profile with its plans, open and past events and latest visits."""
    resident = session.get(Resident, profile.resident_id)
    assert resident is not None
    names = groups.all_groups(session, hall.id)
    worker = session.get(User, profile.worker_id) if profile.worker_id else None
    plans = session.scalars(
        select(CarePlan).where(CarePlan.profile_id == profile.id).order_by(CarePlan.id)
    )
    events = session.scalars(
        select(CareEvent)
        .where(CareEvent.profile_id == profile.id)
        .order_by(CareEvent.id.desc())
        .limit(20)
    )
    visits = session.execute(
        select(CareVisit, User.full_name)
        .outerjoin(User, User.id == CareVisit.visitor_id)
        .where(CareVisit.profile_id == profile.id)
        .order_by(CareVisit.visited_at.desc(), CareVisit.id.desc())
        .limit(VISITS_SHOWN)
    )
    by, _, who = profile.consent_by.partition(" ")
    return ProfileView(
        id=profile.id,
        resident_id=resident.id,
        name=resident.name,
        id_masked=mask_id(resident.id_number),
        gender=resident.gender,
        age=age_on(resident.birth_date, today),
        phone_masked=mask_phone(resident.phone) if resident.phone else "",
        address=resident.address,
        groups=tuple(profile.groups),
        group_labels=tuple(names.get(g, g) for g in profile.groups),
        tier=profile.tier,
        tier_label=rules.TIERS.get(profile.tier, profile.tier),
        health=profile.health,
        living=profile.living,
        needs=profile.needs,
        contacts=tuple(Contact(c["name"], c["relation"], c["phone"]) for c in profile.contacts),
        grid=profile.grid,
        worker_id=profile.worker_id,
        worker_name=worker.full_name if worker else "",
        consent=f"{profile.consent_by} {profile.consent_on.isoformat()} 同意建档",
        consent_by=by,
        consent_name=who,
        consent_on=profile.consent_on,
        state=profile.state.value,
        state_label=CARE_PERSON_FLOW.label(profile.state),
        state_on=profile.state_on,
        plans=tuple(plan_view(p, today) for p in plans),
        events=tuple(
            EventView(
                id=e.id,
                kind_label=rules.EVENTS.get(e.kind, e.kind),
                note=e.note,
                happened_at=local(e.happened_at, hall.timezone),
                due_at=local(e.due_at, hall.timezone),
                met=e.met_by_visit_id is not None,
            )
            for e in events
        ),
        visits=tuple(
            VisitView(
                id=v.id,
                day=v.visit_day,
                at=local(v.visited_at, hall.timezone),
                mode_label=rules.MODES.get(v.mode, v.mode),
                visitor=name or v.visitor_name,
                findings=dict(v.findings or {}),
                actions=v.actions,
                promised=v.promised,
                cancelled=v.state == CareVisitState.CANCELLED,
                cancel_reason=v.cancel_reason,
                draft_case_id=v.draft_case_id,
                version=v.version,
            )
            for v, name in visits
        ),
        version=profile.version,
        today=today,
    )


def row_of(
    profile: CareProfile,
    resident: Resident,
    today: date,
    names: dict[str, str],
    workers: dict[int, str],
) -> ProfileRow:
    """A list row: masked numbers, no health or family notes."""
    return ProfileRow(
        id=profile.id,
        resident_id=resident.id,
        name=resident.name,
        id_masked=mask_id(resident.id_number),
        age=age_on(resident.birth_date, today),
        phone_masked=mask_phone(resident.phone) if resident.phone else "",
        groups="、".join(names.get(g, g) for g in profile.groups),
        tier_label=rules.TIERS.get(profile.tier, profile.tier),
        grid=profile.grid,
        worker_name=workers.get(profile.worker_id, "") if profile.worker_id else "",
        state_label=CARE_PERSON_FLOW.label(profile.state),
    )


def hall_of(session: Session, actor: Actor) -> Hall:
    """The actor's hall (PermissionDenied for an actor of no hall)."""
    hall = session.get(Hall, actor.hall_id) if actor.hall_id is not None else None
    if hall is None:
        raise PermissionDenied("未指定大厅。")
    return hall


def hall_and_profile(session: Session, actor: Actor, profile_id: int) -> tuple[Hall, CareProfile]:
    """The actor's hall and its profile ``profile_id`` (NotFound otherwise)."""
    hall = hall_of(session, actor)
    profile = session.get(CareProfile, profile_id)
    if profile is None or profile.hall_id != hall.id:
        raise NotFound("该关爱档案不存在。")
    return hall, profile
