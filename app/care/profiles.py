"""一人一档 profiles: create and update with consent, the audited read, the masked list,
and the person's life events (died, moved away → every plan closes).

Health and children's data are sensitive personal information (《个人信息保护法》第二十八、
二十九条): a profile is kept only with the consent of the person or the guardian (recorded:
who, when), only the care role writes it and the care role and the supervisor read it;
every opening of a whole profile is an audit event; lists show no health notes and masked
ID and phone numbers. The audit trail records which fields changed, never their text.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.care import groups, plans, referral, rules
from app.care.reading import hall_of, profile_view, row_of
from app.care.views import Contact, ProfileInput, ProfileRow, ProfileView
from app.db import clock
from app.db.models import CarePlan, CareProfile, CareVisit, Hall, Resident, User, UserRole
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.ids import normalize_phone
from app.people.residents import clean_name
from app.roles import Permission, Role
from app.states import CARE_PERSON_FLOW, CarePersonState, CarePlanState, CareVisitState

CONTACTS_MAX = 5
SENSITIVE = {
    "health": "健康状况",
    "living": "居住情况",
    "needs": "服务需求",
    "contacts": "紧急联系人",
}


def _contacts(raw: tuple[Contact, ...]) -> list[dict[str, str]]:
    if len(raw) > CONTACTS_MAX:
        raise ValidationError(f"紧急联系人最多 {CONTACTS_MAX} 位。", "contacts")
    out = []
    for n, c in enumerate(raw, 1):
        where = f"contacts.{n - 1}"
        name = clean_name(c.name, f"{where}.name")
        if c.relation not in rules.RELATIONS:
            raise ValidationError(f"第 {n} 位紧急联系人的关系请从列表中选择。", f"{where}.relation")
        phone = normalize_phone(c.phone, f"{where}.phone")
        out.append({"name": name, "relation": c.relation, "phone": phone})
    return out


def _checked(session: Session, hall: Hall, inp: ProfileInput, today: date) -> dict[str, object]:
    """The profile's columns from ``inp``, or ValidationError naming the field."""
    known = groups.all_groups(session, hall.id)
    if not inp.groups:
        raise ValidationError("请至少选择一个人群类别。", "groups")
    unknown = [g for g in inp.groups if g not in known]
    if unknown:
        raise ValidationError(f"人群类别不存在：{'、'.join(unknown)}。", "groups")
    if inp.tier not in rules.TIERS:
        raise ValidationError("请选择风险等级：高风险、重点或一般。", "tier")
    if inp.consent_by not in rules.CONSENT_BY:
        raise ValidationError(
            "须取得本人或监护人同意方可建档（《个人信息保护法》第二十九条）。", "consent_by"
        )
    who = clean_name(inp.consent_name, "consent_name")
    consent_on = inp.consent_on or today
    if not date(2000, 1, 1) <= consent_on <= today:
        raise ValidationError("同意日期不能晚于今天。", "consent_on")
    if inp.worker_id is not None:
        worker = session.get(User, inp.worker_id)
        if (
            worker is None
            or worker.hall_id != hall.id
            or Role.CARE not in {r.role for r in worker.roles}
        ):
            raise ValidationError("责任人须是本大厅的社区工作者。", "worker_id")
    return {
        "groups": list(dict.fromkeys(inp.groups)),
        "tier": inp.tier,
        "health": free_text.clean_long(inp.health, "health", "健康状况", 2000),
        "living": free_text.clean_long(inp.living, "living", "居住情况", 2000),
        "needs": free_text.clean_long(inp.needs, "needs", "服务需求", 2000),
        "contacts": _contacts(inp.contacts),
        "grid": free_text.clean_line(inp.grid, "grid", "网格", 40),
        "worker_id": inp.worker_id,
        "consent_by": f"{inp.consent_by} {who}",
        "consent_on": consent_on,
    }


def _words(session: Session, profile: CareProfile) -> dict[str, object]:
    """Tier and groups as the audit trail keeps them: in words (never the notes)."""
    names = groups.all_groups(session, profile.hall_id)
    return {
        "tier": rules.TIERS.get(profile.tier, profile.tier),
        "groups": [names.get(g, g) for g in profile.groups],
    }


def save_profile(db: Database, actor: Actor, inp: ProfileInput) -> ProfileView:
    """Create the resident's profile (with a home-visit plan at the tier's rhythm) or update
    it. Raises ValidationError (field named), Conflict (changed meanwhile, or the person
    already has a profile in this hall), NotFound, PermissionDenied."""
    actor.require(Permission.CARE)
    with db.unit_of_work() as session:
        hall = hall_of(session, actor)
        now = clock.now(session)
        today = clock.local_day(now, hall.timezone)
        values = _checked(session, hall, inp, today)
        if inp.profile_id is None:
            first_due = plans.first_due(inp.first_due, today)
            profile = _create(session, actor, hall, inp.resident_id, values, now, first_due)
        else:
            profile = _update(session, actor, hall, inp, values, today)
        session.commit()
        return profile_view(session, hall, profile, today)


def _create(
    session: Session,
    actor: Actor,
    hall: Hall,
    resident_id: int,
    values: dict[str, object],
    now: object,
    first_due: date,
) -> CareProfile:
    if session.get(Resident, resident_id) is None:
        raise NotFound("该居民档案不存在。", "resident")
    taken = session.scalar(
        select(CareProfile.id).where(
            CareProfile.hall_id == hall.id, CareProfile.resident_id == resident_id
        )
    )
    if taken is not None:
        raise Conflict("此人已有关爱档案，请打开原档案修改。", "resident")
    profile = CareProfile(hall_id=hall.id, resident_id=resident_id, created_at=now, **values)
    session.add(profile)
    session.flush()
    plan = plans.new_plan(profile, "home", rules.TIER_RHYTHM[profile.tier], None, first_due)
    session.add(plan)
    session.flush()
    after = _words(session, profile) | {"consent": profile.consent_by, "plan": plan.id}
    after |= {"rhythm": rules.rhythm_label(plan.rhythm, None), "due": plan.next_due.isoformat()}
    audit.record(session, actor, "care_profile_created", "care_profile", profile.id, after=after)
    return profile


def _update(
    session: Session,
    actor: Actor,
    hall: Hall,
    inp: ProfileInput,
    values: dict[str, object],
    today: date,
) -> CareProfile:
    profile = session.get(CareProfile, inp.profile_id)
    if profile is None or profile.hall_id != hall.id:
        raise NotFound("该关爱档案不存在。")
    if inp.version is not None and inp.version != profile.version:
        raise Conflict("该档案已被他人修改，请重新打开后再改。")
    before = _words(session, profile)
    changed = [label for key, label in SENSITIVE.items() if getattr(profile, key) != values[key]]
    for key, value in values.items():
        setattr(profile, key, value)
    after = _words(session, profile) | {"changed": changed}
    audit.record(session, actor, "care_profile_updated", "care_profile", profile.id, before, after)
    return profile


def open_profile(db: Database, actor: Actor, profile_id: int) -> ProfileView:
    """The whole profile with its plans, events and visits; the reading is audited."""
    actor.require(Permission.VIEW_CARE)
    with db.unit_of_work() as session:
        hall = hall_of(session, actor)
        profile = session.get(CareProfile, profile_id)
        if profile is None or profile.hall_id != hall.id:
            raise NotFound("该关爱档案不存在。")
        today = clock.service_day(session, hall)
        view = profile_view(session, hall, profile, today)
        audit.record(session, actor, "care_profile_viewed", "care_profile", profile.id)
        session.commit()
        return view


def profile_of_resident(db: Database, actor: Actor, resident_id: int) -> int | None:
    """The id of the resident's profile in this hall, if there is one (nothing sensitive)."""
    actor.require(Permission.VIEW_CARE)
    with db.read_only() as session:
        hall = hall_of(session, actor)
        return session.scalar(
            select(CareProfile.id).where(
                CareProfile.hall_id == hall.id, CareProfile.resident_id == resident_id
            )
        )


def care_workers(db: Database, actor: Actor) -> list[tuple[int, str]]:
    """The hall's community workers (社区工作者), (user id, name), by name: who a profile
    can be given to."""
    actor.require(Permission.VIEW_CARE)
    with db.read_only() as session:
        hall = hall_of(session, actor)
        return [
            (uid, name)
            for uid, name in session.execute(
                select(User.id, User.full_name)
                .join(UserRole, UserRole.user_id == User.id)
                .where(User.hall_id == hall.id, UserRole.role == Role.CARE)
                .order_by(User.full_name)
            )
        ]


def list_profiles(
    db: Database, actor: Actor, query: str = "", mine: bool = False, limit: int = 200
) -> list[ProfileRow]:
    """Profiles of the hall (``mine``: the actor's), by name, ID start, grid or group
    name; masked, nothing sensitive."""
    actor.require(Permission.VIEW_CARE)
    q = free_text.clean_query(query)
    with db.read_only() as session:
        hall = hall_of(session, actor)
        stmt = (
            select(CareProfile, Resident)
            .join(Resident, Resident.id == CareProfile.resident_id)
            .where(CareProfile.hall_id == hall.id)
        )
        if mine:
            stmt = stmt.where(CareProfile.worker_id == actor.user_id)
        if q:
            like, esc = free_text.like_containing(q), free_text.LIKE_ESCAPE
            stmt = stmt.where(
                Resident.name.like(like, escape=esc)
                | Resident.id_number.startswith(q.upper())
                | CareProfile.grid.like(like, escape=esc)
            )
        stmt = stmt.order_by(CareProfile.grid, Resident.name).limit(limit)
        today = clock.service_day(session, hall)
        names = groups.all_groups(session, hall.id)
        workers = dict(
            session.execute(select(User.id, User.full_name).where(User.hall_id == hall.id)).all()
        )
        return [row_of(p, r, today, names, workers) for p, r in session.execute(stmt)]


def set_person_state(
    db: Database, actor: Actor, profile_id: int, state: str, on: date, note: str = ""
) -> ProfileView:
    """已去世 / 已迁出 (every open plan closes, its reason recorded) or 在册 again.

    ``on``: the day it happened (not after today). Raises ValidationError, Conflict
    (a transition not declared in ``CARE_PERSON_FLOW``), NotFound.
    """
    actor.require(Permission.CARE)
    try:
        target = CarePersonState(state)
    except ValueError as exc:
        raise ValidationError("请选择：在册、已去世或已迁出。", "state") from exc
    note = free_text.clean_line(note, "state_note", "说明", 200)
    with db.unit_of_work() as session:
        hall = hall_of(session, actor)
        profile = session.get(CareProfile, profile_id)
        if profile is None or profile.hall_id != hall.id:
            raise NotFound("该关爱档案不存在。")
        today = clock.service_day(session, hall)
        if not date(2000, 1, 1) <= on <= today:
            raise ValidationError("日期不能晚于今天。", "state_on")
        before = {"state": CARE_PERSON_FLOW.label(profile.state)}
        CARE_PERSON_FLOW.check(profile.state, target)
        last = session.scalar(
            select(func.max(CareVisit.visit_day)).where(
                CareVisit.profile_id == profile.id, CareVisit.state == CareVisitState.DONE
            )
        )
        if target != CarePersonState.ACTIVE and last is not None and on < last:
            raise ValidationError(
                f"日期不能早于最近一次探访（{last.isoformat()}）；若该次探访登记有误，请先作废。",
                "state_on",
            )
        profile.state, profile.state_on, profile.state_note = target, on, note
        closed: list[int] = []
        if target != CarePersonState.ACTIVE:
            reason = f"{CARE_PERSON_FLOW.label(target)}（{on.isoformat()}）"
            for plan in session.scalars(
                select(CarePlan).where(
                    CarePlan.profile_id == profile.id, CarePlan.state == CarePlanState.ACTIVE
                )
            ):
                plans.close(plan, on, reason)
                closed.append(plan.id)
        withdrawn = []
        if target == CarePersonState.DECEASED:
            withdrawn = referral.withdraw_drafts(session, actor, profile, "申请人已去世")
        after = {"state": CARE_PERSON_FLOW.label(target), "closed_plans": closed}
        if withdrawn:
            after["withdrawn"] = withdrawn
        audit.record(
            session,
            actor,
            "care_person_state_changed",
            "care_profile",
            profile.id,
            before,
            after,
            note,
        )
        session.commit()
        return profile_view(session, hall, profile, today)
