"""Case statistics (办件统计) per service and department over a period.

Definitions in :mod:`app.stats`. 一次性告知 and 不予受理 are events no case row keeps
(a draft's notice list is cleared when it is accepted later; a refused case keeps no
refusal time), so they are counted from the audit trail by action (indexed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases.intake import calendar
from app.db.models import AuditEvent, Case, Department, ServiceType, ServiceVersion, Task
from app.db.session import Database
from app.states import TaskState
from app.stats import scope
from app.stats.sqlbits import local_day, seconds
from app.workdays import WorkCalendar


@dataclass
class CaseRow:
    """One service (or a department's total): counts and decision figures."""

    key: str  # service "MZ001 最低生活保障" or department "民政局"
    department: str
    accepted: int = 0
    deferred: int = 0  # 容缺受理
    notices: int = 0  # 一次性告知书 handed out
    refused: int = 0  # 不予受理
    decided: int = 0  # 承诺件 decided in the period
    on_time: int = 0
    overdue: int = 0
    workdays_total: int = 0  # sum of working days to decide (for the mean)
    supplemented: int = 0  # decided cases that went through 补正
    delivered: int = 0  # 承诺件 handed out in the period
    pickup_days_total: float = 0.0
    service_type_ids: set[int] = field(default_factory=set, repr=False)

    @property
    def mean_workdays(self) -> float | None:
        """Average working days from acceptance to decision (None: none decided)."""
        return self.workdays_total / self.decided if self.decided else None

    @property
    def supplement_rate(self) -> float | None:
        """补正率 0..1 of the decided cases."""
        return self.supplemented / self.decided if self.decided else None

    @property
    def on_time_rate(self) -> float | None:
        """Share 0..1 of decided cases decided by their due date."""
        return self.on_time / self.decided if self.decided else None

    @property
    def mean_pickup_days(self) -> float | None:
        """Average days from decision to hand-out."""
        return self.pickup_days_total / self.delivered if self.delivered else None


@dataclass(frozen=True)
class CaseStats:
    """Per service and per department (department rows total their services)."""

    period: scope.Period
    per_service: list[CaseRow]
    per_department: list[CaseRow]


def case_stats(db: Database, actor: Actor, hall_id: int, first: date, last: date) -> CaseStats:
    """Case statistics of hall ``hall_id`` for days ``first``…``last``.

    An approver sees their departments only. Raises PermissionDenied, ValidationError.
    """
    with db.read_only() as s:
        scope.require_hall(s, actor, hall_id)
        p = scope.period(s, hall_id, first, last)
        return compute(s, p, scope.department_limit(s, actor))


def _service_of(q: Any) -> Any:
    return q.join(ServiceVersion, ServiceVersion.id == Case.service_version_id).join(
        ServiceType, ServiceType.id == ServiceVersion.service_type_id
    )


def workday_index(cal: WorkCalendar, first: date, last: date) -> dict[date, int]:
    """Working days counted from ``first`` up to each day (for O(1) ``between``)."""
    out, n, day = {}, 0, first
    while day <= last:
        if cal.is_workday(day):
            n += 1
        out[day] = n
        day += timedelta(days=1)
    return out


def compute(s: Session, p: scope.Period, depts: frozenset[int] | None) -> CaseStats:
    """The figures on an open session (also used by the department score)."""
    services = {
        st.id: st
        for st in s.scalars(select(ServiceType))
        if depts is None or st.department_id in depts
    }
    dept_names = dict(s.execute(select(Department.id, Department.name)).all())
    rows: dict[int, CaseRow] = {}

    def row(st_id: int) -> CaseRow | None:
        st = services.get(st_id)
        if st is None:
            return None
        if st_id not in rows:
            rows[st_id] = CaseRow(f"{st.code} {st.name}", dept_names.get(st.department_id, ""))
            rows[st_id].service_type_ids.add(st_id)
        return rows[st_id]

    in_hall = Case.hall_id == p.hall_id
    acc = _service_of(select(ServiceType.id, func.count(), func.count(Case.deferred_until))).where(
        in_hall, Case.accepted_at >= p.start_utc, Case.accepted_at < p.end_utc
    )
    for st_id, n, deferred in s.execute(acc.group_by(ServiceType.id)):
        if (r := row(st_id)) is not None:
            r.accepted, r.deferred = int(n), int(deferred)
    for action, attr in (("case_notice_issued", "notices"), ("case_refused", "refused")):
        q = _service_of(
            select(ServiceType.id, func.count())
            .select_from(AuditEvent)
            .join(Case, Case.id == cast(AuditEvent.entity_id, Integer))
        ).where(
            AuditEvent.action == action,
            AuditEvent.entity == "case",
            AuditEvent.at >= p.start_utc,
            AuditEvent.at < p.end_utc,
            in_hall,
        )
        for st_id, n in s.execute(q.group_by(ServiceType.id)):
            if (r := row(st_id)) is not None:
                setattr(r, attr, int(n))
    _decided(s, p, row)
    _delivered(s, p, row)
    per_service = sorted(rows.values(), key=lambda r: r.key)
    totals: dict[str, CaseRow] = {}
    for r in per_service:
        t = totals.setdefault(r.department, CaseRow(r.department, r.department))
        for name in [
            "accepted",
            "deferred",
            "notices",
            "refused",
            "decided",
            "on_time",
            "overdue",
            "workdays_total",
            "supplemented",
            "delivered",
            "pickup_days_total",
        ]:
            setattr(t, name, getattr(t, name) + getattr(r, name))
        t.service_type_ids |= r.service_type_ids
    return CaseStats(p, per_service, sorted(totals.values(), key=lambda r: r.key))


def _decided(s: Session, p: scope.Period, row: Any) -> None:
    acc_day = local_day(s, Case.accepted_at, p.offset_s)
    dec_day = local_day(s, Case.decided_at, p.offset_s)
    went_back = select(Task.case_id).where(Task.state == TaskState.RETURNED).distinct().subquery()
    returned = went_back.c.case_id.is_not(None)
    q = (
        _service_of(
            select(
                ServiceType.id,
                acc_day,
                dec_day,
                Case.due_date,
                Case.suspended_days,
                returned,
                func.count(),
            )
        )
        .outerjoin(went_back, went_back.c.case_id == Case.id)
        .where(
            Case.hall_id == p.hall_id,
            Case.decided_at >= p.start_utc,
            Case.decided_at < p.end_utc,
            Case.accepted_at.is_not(None),
            ServiceType.kind != "instant",
        )
    )
    q = q.group_by(ServiceType.id, acc_day, dec_day, Case.due_date, Case.suspended_days, returned)
    fetched = s.execute(q).all()
    if not fetched:
        return
    days = [_day(r[1]) for r in fetched]
    cal = calendar(s)
    index = workday_index(cal, min(days), p.last + timedelta(days=1))
    for (st_id, _a, dec, due, suspended, was_returned, n), accepted in zip(
        fetched, days, strict=True
    ):
        r = row(st_id)
        if r is None:
            continue
        decided = _day(dec)
        r.decided += n
        if due is None or decided <= _day(due):
            r.on_time += n
        else:
            r.overdue += n
        worked = index.get(decided, 0) - index.get(accepted, 0) - int(suspended or 0)
        r.workdays_total += max(0, worked) * n
        if was_returned:
            r.supplemented += n


def _delivered(s: Session, p: scope.Period, row: Any) -> None:
    delay = seconds(s, Case.decided_at, Case.delivered_at)
    q = _service_of(select(ServiceType.id, func.count(), func.sum(delay))).where(
        Case.hall_id == p.hall_id,
        Case.delivered_at >= p.start_utc,
        Case.delivered_at < p.end_utc,
        Case.decided_at.is_not(None),
        ServiceType.kind != "instant",
    )
    for st_id, n, total in s.execute(q.group_by(ServiceType.id)):
        if (r := row(st_id)) is not None:
            r.delivered = int(n)
            r.pickup_days_total = float(total or 0) / 86400


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
