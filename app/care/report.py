"""The month's care report per grid and worker (探访关爱月报): people per group and tier,
visits by mode, 探访率 against 100 %, and the people overdue at the end of the period.

探访率 = people whose every plan kept its rhythm in the month (never overdue on any day of
it, :func:`app.care.rules.kept`) and whose every 24-hour event was met in time ÷ people on
plans in the month. The period ends on the month's last day, or today for the running
month; "overdue" there is :func:`app.care.rules.overdue_days` on the hall's date, as on
the worker's list (a test holds the two to the same answer).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row, String, cast, func, or_, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.care import groups, rules
from app.care.reading import hall_of
from app.db import clock
from app.db.models import CareEvent, CarePlan, CareProfile, CareVisit, Hall, Resident, User
from app.db.session import Database
from app.errors import ValidationError
from app.roles import Permission
from app.states import CarePersonState, CareVisitState


@dataclass
class Figures:
    """One row of the report (a grid and worker, or the whole hall)."""

    grid: str
    worker: str
    people: int = 0
    by_tier: dict[str, int] = field(default_factory=dict)  # tier code → people
    by_group: dict[str, int] = field(default_factory=dict)  # group code → people
    visits: dict[str, int] = field(default_factory=dict)  # mode code → done visits
    on_plans: int = 0
    kept: int = 0
    overdue: int = 0  # people overdue at the end of the period

    @property
    def rate(self) -> float | None:
        """探访率 (0–1), None without anyone on a plan."""
        return self.kept / self.on_plans if self.on_plans else None


@dataclass(frozen=True)
class CareReport:
    """The month's report: rows by grid and worker, the hall's total, the labels used."""

    hall_name: str
    month: date  # its first day
    until: date  # the period's last day (today for the running month)
    rows: tuple[Figures, ...]
    total: Figures
    groups: dict[str, str]  # code → name, in the catalog's order
    overdue_names: tuple[str, ...]  # "张三（网格一）", for the supervisor to follow up


def _utc(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def months(db: Database, actor: Actor, back: int = 12) -> list[date]:
    """First days of this month (by the hall's calendar) and the ``back`` months before."""
    actor.require(Permission.VIEW_CARE)
    with db.read_only() as session:
        hall = hall_of(session, actor)
        first = clock.service_day(session, hall).replace(day=1)
    return [rules.add_months(first, -n) for n in range(back + 1)]


def month_report(db: Database, actor: Actor, month: date) -> CareReport:
    """The report of ``month`` (any day of it). Raises ValidationError for a month not yet
    begun, PermissionDenied without the care role or the supervisor's."""
    actor.require(Permission.VIEW_CARE)
    start = month.replace(day=1)
    with db.read_only() as session:
        hall = hall_of(session, actor)
        today = clock.service_day(session, hall)
        if start > today:
            raise ValidationError("该月份尚未开始。", "month")
        end = min(rules.add_months(start, 1) - timedelta(days=1), today)
        return _report(session, hall, start, end)


def _report(session: Session, hall: Hall, start: date, end: date) -> CareReport:
    after_end = _utc(end + timedelta(days=1), hall.timezone)
    visited = (
        select(CareVisit.profile_id)
        .where(
            CareVisit.hall_id == hall.id,
            CareVisit.state == CareVisitState.DONE,
            CareVisit.visit_day.between(start, end),
        )
        .distinct()
    )
    counted = [
        CareProfile.hall_id == hall.id,
        # On file by the period's end, or visited in it (visits recorded back-dated).
        or_(CareProfile.created_at < after_end, CareProfile.id.in_(visited)),
        or_(CareProfile.state == CarePersonState.ACTIVE, CareProfile.state_on >= start),
    ]
    # People per grid, worker, tier and set of groups, counted by the database: a few
    # hundred rows, each set of groups parsed once (not 50,000 JSON values).
    kinds = cast(CareProfile.groups, String)
    counts = session.execute(
        select(CareProfile.grid, CareProfile.worker_id, CareProfile.tier, kinds, func.count())
        .where(*counted)
        .group_by(CareProfile.grid, CareProfile.worker_id, CareProfile.tier, kinds)
    ).all()
    profiles = session.execute(
        select(
            CareProfile.id, CareProfile.resident_id, CareProfile.grid, CareProfile.worker_id
        ).where(*counted)
    ).all()
    # Each plan's last done visit before the month: one backward step down the partial
    # index (plan_id, visit_day) WHERE state = 'done' per plan, not a scan of the history.
    last_before = (
        select(func.max(CareVisit.visit_day))
        .where(
            CareVisit.plan_id == CarePlan.id,
            CareVisit.state == CareVisitState.DONE,
            CareVisit.visit_day < start,
        )
        .correlate(CarePlan)
        .scalar_subquery()
    )
    plans = session.execute(
        select(
            CarePlan.id,
            CarePlan.profile_id,
            CarePlan.rhythm,
            CarePlan.every_days,
            CarePlan.starts_on,
            CarePlan.closed_on,
            last_before,
        ).where(
            CarePlan.hall_id == hall.id,
            CarePlan.starts_on <= end,
            or_(CarePlan.closed_on.is_(None), CarePlan.closed_on >= start),
        )
    ).all()
    in_month: dict[int | None, list[date]] = defaultdict(list)
    visits_by: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for profile_id, plan_id, mode, day in session.execute(
        select(CareVisit.profile_id, CareVisit.plan_id, CareVisit.mode, CareVisit.visit_day).where(
            CareVisit.hall_id == hall.id,
            CareVisit.state == CareVisitState.DONE,
            CareVisit.visit_day.between(start, end),
        )
    ):
        visits_by[profile_id][mode] += 1
        if plan_id is not None:
            in_month[plan_id].append(day)
    missed: dict[int, bool] = defaultdict(bool)
    late: dict[int, bool] = defaultdict(bool)
    on_plans: set[int] = set()
    for plan_id, profile_id, rhythm, every, starts_on, closed_on, last in plans:
        due = max(rules.next_due(last, rhythm, every), starts_on) if last else starts_on
        stop = min(end, closed_on) if closed_on else end
        k = rules.kept(due, in_month.get(plan_id, []), start, stop, rhythm, every, starts_on)
        on_plans.add(profile_id)
        missed[profile_id] |= k.missed
        late[profile_id] |= k.late_days > 0 and closed_on is None
    for profile_id, was_missed, is_late in _events(session, hall, start, end, after_end):
        missed[profile_id] |= was_missed
        late[profile_id] |= is_late
    people = _People(counts, profiles, visits_by, on_plans, missed, late)
    return _rows(session, hall, start, end, people)


def _events(
    session: Session, hall: Hall, start: date, end: date, after_end: datetime
) -> list[tuple[int, bool, bool]]:
    """(person, missed in the period, overdue at its end) for each 24-hour event due in it
    or still open from before."""
    met_day = select(CareVisit.visit_day).where(CareVisit.id == CareEvent.met_by_visit_id)
    out = []
    for profile_id, due_at, met in session.execute(
        select(CareEvent.profile_id, CareEvent.due_at, met_day.scalar_subquery()).where(
            CareEvent.hall_id == hall.id, CareEvent.happened_at < after_end
        )
    ):
        due = clock.local_day(due_at, hall.timezone)
        # Late on the days due+1 … the meeting visit's day (or for ever), as a plan.
        last_late = end if met is None else min(end, met)
        was_missed = max(due + timedelta(days=1), start) <= last_late
        open_at_end = met is None or met > end
        out.append((profile_id, was_missed, open_at_end and rules.overdue_days(due, end) > 0))
    return out


@dataclass(frozen=True)
class _People:
    """What the rows are made of: the database's counts per grid, worker, tier and groups;
    each person's grid and worker; and per person the visits, plans kept and lateness."""

    counts: Sequence[Row[str, int | None, str, str, int]]
    profiles: Sequence[Row[int, int, str, int | None]]
    visits_by: dict[int, dict[str, int]]
    on_plans: set[int]
    missed: dict[int, bool]
    late: dict[int, bool]


def _rows(session: Session, hall: Hall, start: date, end: date, people: _People) -> CareReport:
    workers = dict(
        session.execute(select(User.id, User.full_name).where(User.hall_id == hall.id)).all()
    )
    names = groups.all_groups(session, hall.id)
    by_key: dict[tuple[str, str], Figures] = {}

    def row(grid: str, worker_id: int | None) -> Figures:
        worker = workers.get(worker_id, "（未指定）") if worker_id else "（未指定）"
        key = (grid or "（未划网格）", worker)
        found = by_key.get(key)
        if found is None:
            found = by_key[key] = Figures(*key)
        return found

    for grid, worker_id, tier, kinds, n in people.counts:
        fig = row(grid, worker_id)
        fig.people += n
        fig.by_tier[tier] = fig.by_tier.get(tier, 0) + n
        for g in json.loads(kinds or "[]"):
            fig.by_group[g] = fig.by_group.get(g, 0) + n
    late_ids: list[tuple[int, str]] = []
    for pid, resident_id, grid, worker_id in people.profiles:
        visits = people.visits_by.get(pid)
        planned = pid in people.on_plans
        late = people.late.get(pid, False)
        if not (visits or planned or late):
            continue
        fig = row(grid, worker_id)
        if visits:
            for mode, n in visits.items():
                fig.visits[mode] = fig.visits.get(mode, 0) + n
        if planned:
            fig.on_plans += 1
            fig.kept += 0 if people.missed.get(pid) else 1
        if late:
            fig.overdue += 1
            late_ids.append((resident_id, fig.grid))
    rows = tuple(by_key[k] for k in sorted(by_key))
    total = Figures("合计", "全部")
    for fig in rows:
        total.people += fig.people
        total.on_plans += fig.on_plans
        total.kept += fig.kept
        total.overdue += fig.overdue
        for mine, whole in (
            (fig.by_tier, total.by_tier),
            (fig.by_group, total.by_group),
            (fig.visits, total.visits),
        ):
            for k, n in mine.items():
                whole[k] = whole.get(k, 0) + n
    named = dict(
        session.execute(
            select(Resident.id, Resident.name).where(Resident.id.in_([r for r, _g in late_ids]))
        ).all()
    )
    overdue = sorted(f"{named.get(r, '')}（{g}）" for r, g in late_ids)
    return CareReport(hall.name, start, end, rows, total, names, tuple(overdue))
