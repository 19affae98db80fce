"""The supervisor's view of the back office: cases by state, load per department, deadlines.

"Due soon" is within :data:`app.cases.inbox.NEAR_DUE_WORKDAYS` working days; "overdue"
is past the promised date (both in working days, with the hall's calendar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import case as when
from sqlalchemy import func, select

from app.actor import Actor
from app.cases.casefile import OPEN_STATES
from app.cases.inbox import NEAR_DUE_WORKDAYS, PAGE_SIZE
from app.cases.workflow import LIVE_TASKS, calendar
from app.db import clock
from app.db.models import (
    LIVE_TASK,
    OPEN_CASE,
    Case,
    Department,
    Hall,
    Resident,
    ServiceVersion,
    Task,
)
from app.db.session import Database
from app.ids import mask_id
from app.roles import Permission
from app.states import CASE_FLOW, CaseState


class Deadline(StrEnum):
    """Which cases the deadline list shows."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


@dataclass(frozen=True)
class DepartmentLoad:
    """Live tasks of one department: all, due soon, overdue."""

    code: str
    name: str
    live: int
    due_soon: int
    overdue: int


@dataclass(frozen=True)
class Overview:
    """The hall's open cases by state, and each department's live tasks."""

    today: date
    by_state: tuple[tuple[CaseState, str, int], ...]
    departments: tuple[DepartmentLoad, ...]


@dataclass(frozen=True)
class DeadlineRow:
    """An open case near or past its promised date."""

    case_id: int
    case_no: str
    service_name: str
    applicant: str  # name and masked ID
    state_label: str
    holders: str  # departments with live tasks ("" in 公示 / 补正)
    due_date: date
    days_left: int  # working days; negative when overdue


@dataclass(frozen=True)
class DeadlinePage:
    """A page of the deadline list."""

    rows: tuple[DeadlineRow, ...]
    page: int
    more: bool


def _bounds(db: Database, actor: Actor) -> tuple[date, date]:
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        assert hall is not None
        today = clock.service_day(session, hall)
        return today, calendar(session).add(today, NEAR_DUE_WORKDAYS)


def overview(db: Database, actor: Actor) -> Overview:
    """Open cases by state; per department, live tasks, due soon and overdue."""
    actor.require(Permission.SUPERVISE)
    today, soon = _bounds(db, actor)
    with db.read_only() as session:
        states = dict(
            session.execute(
                select(Case.state, func.count())
                .where(Case.hall_id == actor.hall_id, OPEN_CASE)
                .group_by(Case.state)
            ).all()
        )
        rows = session.execute(
            select(
                Department.code,
                Department.name,
                func.count(),
                func.sum(when((Task.due_date.between(today, soon), 1), else_=0)),
                func.sum(when((Task.due_date < today, 1), else_=0)),
            )
            .join(Task, Task.department_id == Department.id)
            .where(LIVE_TASK, Task.hall_id == actor.hall_id)
            .group_by(Department.code, Department.name)
            .order_by(Department.code)
        ).all()
    order = [s for s in CaseState if s in OPEN_STATES]
    return Overview(
        today,
        tuple((s, CASE_FLOW.label(s), int(states.get(s, 0))) for s in order),
        tuple(DepartmentLoad(c, n, int(a), int(b or 0), int(o or 0)) for c, n, a, b, o in rows),
    )


def deadlines(
    db: Database,
    actor: Actor,
    which: Deadline = Deadline.OVERDUE,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> DeadlinePage:
    """Open cases past their promised date (most overdue first), or due within two days."""
    actor.require(Permission.SUPERVISE)
    today, soon = _bounds(db, actor)
    with db.read_only() as session:
        cal = calendar(session)
        q = (
            select(Case, Resident.name, Resident.id_number, ServiceVersion.definition)
            .join(Resident, Resident.id == Case.applicant_id)
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .where(Case.hall_id == actor.hall_id, OPEN_CASE)
        )
        if which == Deadline.OVERDUE:
            q = q.where(Case.due_date < today)
        else:
            q = q.where(Case.due_date.between(today, soon))
        q = q.order_by(Case.due_date, Case.id).offset(page * page_size).limit(page_size + 1)
        found = session.execute(q).all()
        ids = [c.id for c, *_ in found[:page_size]]
        holders: dict[int, list[str]] = {}
        for case_id, name in session.execute(
            select(Task.case_id, Department.name)
            .join(Department, Department.id == Task.department_id)
            .where(Task.case_id.in_(ids), Task.state.in_(LIVE_TASKS))
            .order_by(Task.id)
        ).all():
            holders.setdefault(case_id, []).append(name)
        rows = tuple(
            DeadlineRow(
                c.id,
                c.case_no or "",
                definition.get("name", ""),
                f"{name} {mask_id(number)}",
                CASE_FLOW.label(c.state),
                "、".join(holders.get(c.id, [])),
                c.due_date,
                cal.between(today, c.due_date),
            )
            for c, name, number, definition in found[:page_size]
        )
        return DeadlinePage(rows, page, len(found) > page_size)
