"""The worker's list: visits overdue (by how many days), due today and due within 2 days —
every open plan's next visit and every open 24-hour event — sorted by risk, then lateness;
and the route sheet printed from it (name, masked phone, address, what to check).

"Overdue" is :func:`app.care.rules.bucket` on the hall's calendar date, as in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.care import rules
from app.care.reading import age_on, hall_of
from app.care.views import DueRow
from app.db import clock
from app.db.models import CareEvent, CarePlan, CareProfile, CareVisit, Hall, Resident, User
from app.db.session import Database
from app.ids import mask_phone
from app.roles import Permission
from app.states import CarePersonState, CarePlanState, CareVisitState

CHECK_MAX = 60  # characters of "what to check" on a row and on the route sheet


@dataclass(frozen=True)
class DueList:
    """The list on ``today`` (the hall's date) and who it is for."""

    today: date
    hall_name: str
    worker: str  # "黄秀英" or "全部社区工作者"
    rows: tuple[DueRow, ...]


def _utc_midnight(day: date, zone: str) -> datetime:
    """The stored (naive UTC) moment the hall's ``day`` begins."""
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def due_rows(
    session: Session, hall: Hall, today: date, worker_id: int | None, horizon: int = rules.SOON_DAYS
) -> list[DueRow]:
    """Rows due by ``today + horizon`` (overdue ones included) for one worker or all."""
    until = today + timedelta(days=horizon)
    mine = [CareProfile.hall_id == hall.id, CareProfile.state == CarePersonState.ACTIVE]
    if worker_id is not None:
        mine.append(CareProfile.worker_id == worker_id)
    # The plans and events due, of the people in the list, each in one indexed query.
    due_plans = session.scalars(
        select(CarePlan)
        .join(CareProfile, CareProfile.id == CarePlan.profile_id)
        .where(
            CarePlan.hall_id == hall.id,
            CarePlan.state == CarePlanState.ACTIVE,
            CarePlan.next_due <= until,
            *mine,
        )
    ).all()
    cutoff = _utc_midnight(until + timedelta(days=1), hall.timezone)  # the end of ``until``
    events = session.scalars(
        select(CareEvent)
        .join(CareProfile, CareProfile.id == CareEvent.profile_id)
        .where(
            CareEvent.hall_id == hall.id,
            CareEvent.met_by_visit_id.is_(None),
            CareEvent.due_at < cutoff,
            *mine,
        )
    ).all()
    ids = {p.profile_id for p in due_plans} | {e.profile_id for e in events}
    if not ids:
        return []
    people = (
        select(CareProfile, Resident, User.full_name)
        .join(Resident, Resident.id == CareProfile.resident_id)
        .outerjoin(User, User.id == CareProfile.worker_id)
        .where(CareProfile.id.in_(ids))
    )
    found = {p.id: (p, r, w or "") for p, r, w in session.execute(people)}
    checks = _checks(session, [p for p, _r, _w in found.values()])
    rows = []
    for plan in due_plans:
        if plan.profile_id in found:
            what = f"{rules.MODES[plan.mode]}（{rules.rhythm_label(plan.rhythm, plan.every_days)}）"
            rows.append(
                _row(
                    found[plan.profile_id],
                    plan.id,
                    None,
                    what,
                    plan.mode,
                    plan.next_due,
                    today,
                    checks,
                )
            )
    for event in events:
        if event.profile_id in found:
            due = clock.local_day(event.due_at, hall.timezone)
            what = f"24 小时内探访：{rules.EVENTS.get(event.kind, event.kind)}"
            if event.note:
                what += f"（{event.note[:20]}）"
            rows.append(
                _row(found[event.profile_id], None, event.id, what, "home", due, today, checks)
            )
    rows.sort(key=lambda r: (rules.TIER_ORDER.get(r.tier, 9), -r.late_days, r.due, r.name))
    return rows


def _checks(session: Session, profiles: list[CareProfile]) -> dict[int, str]:
    """What to check at each person: hazards still waiting for their home visit (else the
    last visit's), the latest promise made, else the needs."""
    latest = (
        select(func.max(CareVisit.id))
        .where(
            CareVisit.profile_id.in_([p.id for p in profiles]),
            CareVisit.state == CareVisitState.DONE,
        )
        .group_by(CareVisit.profile_id)
    )
    last = {
        v.profile_id: v for v in session.scalars(select(CareVisit).where(CareVisit.id.in_(latest)))
    }
    # The latest promise made, even if later visits made none: it stays to be kept.
    promised = (
        select(func.max(CareVisit.id))
        .where(
            CareVisit.profile_id.in_([p.id for p in profiles]),
            CareVisit.state == CareVisitState.DONE,
            CareVisit.promised != "",
        )
        .group_by(CareVisit.profile_id)
    )
    promises = dict(
        session.execute(
            select(CareVisit.profile_id, CareVisit.promised).where(CareVisit.id.in_(promised))
        ).all()
    )
    hazards: dict[int, list[str]] = {}
    for profile_id, note in session.execute(
        select(CareEvent.profile_id, CareEvent.note).where(
            CareEvent.profile_id.in_([p.id for p in profiles]),
            CareEvent.kind == "hazard",
            CareEvent.met_by_visit_id.is_(None),
        )
    ):
        hazards.setdefault(profile_id, []).append(note)
    out = {}
    for p in profiles:
        parts = [f"隐患：{note}" for note in hazards.get(p.id, []) if note]  # until visited
        visit: CareVisit | None = last.get(p.id)
        if visit is not None and visit.findings.get("hazards") and not parts:
            parts.append(f"隐患：{visit.findings['hazards']}")
        if promises.get(p.id):
            parts.append(f"承诺：{promises[p.id]}")
        if not parts and p.needs:
            parts.append(f"需求：{p.needs}")
        text = "；".join(parts).replace("\n", " ")
        out[p.id] = text if len(text) <= CHECK_MAX else text[: CHECK_MAX - 1] + "…"
    return out


def _row(
    person: tuple[CareProfile, Resident, str],
    plan_id: int | None,
    event_id: int | None,
    what: str,
    mode: str,
    due: date,
    today: date,
    checks: dict[int, str],
) -> DueRow:
    profile, resident, worker = person
    b = rules.bucket(due, today)
    return DueRow(
        profile_id=profile.id,
        plan_id=plan_id,
        event_id=event_id,
        name=resident.name,
        age=age_on(resident.birth_date, today),
        phone_masked=mask_phone(resident.phone) if resident.phone else "",
        address=resident.address,
        tier=profile.tier,
        tier_label=rules.TIERS.get(profile.tier, profile.tier),
        what=what,
        mode=mode,
        due=due,
        bucket=b.key,
        due_label=b.label,
        late_days=b.late_days,
        check=checks.get(profile.id, ""),
        grid=profile.grid,
        worker_name=worker,
    )


def due_list(db: Database, actor: Actor, everyone: bool = False) -> DueList:
    """The actor's list (``everyone``: the whole hall's, for a supervisor or a colleague
    covering a round). Rows carry nothing sensitive: phone masked, no health notes."""
    actor.require(Permission.VIEW_CARE)
    if not actor.can(Permission.CARE):
        everyone = True  # a supervisor has no round of their own
    with db.read_only() as session:
        hall = hall_of(session, actor)
        today = clock.service_day(session, hall)
        rows = due_rows(session, hall, today, None if everyone else actor.user_id)
        who = "全部社区工作者" if everyone else (actor.full_name or actor.username)
        return DueList(today, hall.name, who, tuple(rows))


def route_sheet(db: Database, actor: Actor, profile_ids: tuple[int, ...] = ()) -> DueList:
    """The list to print as a route sheet (走访路线单): the chosen people's rows, or all of
    the actor's; the printing is audited (a list of people leaves the building on paper)."""
    actor.require(Permission.CARE)
    with db.unit_of_work() as session:
        hall = hall_of(session, actor)
        today = clock.service_day(session, hall)
        rows = due_rows(session, hall, today, None if profile_ids else actor.user_id)
        if profile_ids:
            rows = [r for r in rows if r.profile_id in set(profile_ids)]
        after = {"people": len({r.profile_id for r in rows}), "rows": len(rows)}
        audit.record(session, actor, "care_route_sheet_printed", "hall", hall.id, after=after)
        session.commit()
        return DueList(today, hall.name, actor.full_name or actor.username, tuple(rows))
