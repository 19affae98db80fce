"""The approver's inbox: the live tasks of their departments, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import numbers
from app import text as free_text
from app.actor import Actor
from app.cases.routing import decided_by, duty_refusal
from app.cases.workflow import calendar, departments_of
from app.db import clock
from app.db.models import (
    LIVE_TASK,
    Case,
    Department,
    Hall,
    Resident,
    ServiceType,
    ServiceVersion,
    Task,
    User,
)
from app.db.session import Database
from app.hall.catalog import definition_of
from app.ids import mask_id
from app.roles import Permission
from app.states import TASK_FLOW, TaskState
from app.workdays import CALENDAR_KEY
from forms.schema import ServiceDef

NEAR_DUE_WORKDAYS = 2
VERSION_TTL_S = 3600.0
PAGE_SIZE = 50


class Scope(StrEnum):
    """Which of the department's live tasks the inbox lists."""

    ALL = "all"
    MINE = "mine"
    UNCLAIMED = "unclaimed"


@dataclass(frozen=True)
class InboxRow:
    """One live task as the inbox lists it."""

    task_id: int
    task_version: int
    case_id: int
    case_no: str
    service_name: str
    applicant_name: str
    applicant_id_masked: str
    step_name: str
    department: str
    state: TaskState
    state_label: str
    assignee: str
    claimed_by_me: bool
    due_date: date | None
    days_left: int | None  # working days; negative when overdue
    urgency: str  # "overdue" / "near" / ""
    note: str
    barred: str = ""  # why this person may not 签收/decide it (职责分离), "" if they may


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox; ``more`` when a next page exists."""

    rows: tuple[InboxRow, ...]
    page: int
    more: bool
    today: date


def urgency(days_left: int | None) -> str:
    """overdue (red), near (amber, within :data:`NEAR_DUE_WORKDAYS`), or ""."""
    if days_left is None:
        return ""
    if days_left < 0:
        return "overdue"
    return "near" if days_left <= NEAR_DUE_WORKDAYS else ""


def inbox(
    db: Database,
    actor: Actor,
    scope: Scope = Scope.ALL,
    query: str = "",
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> InboxPage:
    """The live tasks of the actor's departments, most urgent first.

    ``query`` finds a case number (as scanned), an 18-digit ID number, or a part of the
    applicant's name or of the service's name. A task the actor may not decide because
    they decided another step of its case (职责分离) is still listed, with ``barred``
    saying why.
    """
    actor.require(Permission.APPROVE)
    with db.read_only() as session:
        # What rarely changes is kept briefly per program (see Database.cached): the
        # inbox is opened and refreshed all day, and each saved query is a round trip.
        depts = db.cached(("departments", actor.user_id), lambda: departments_of(session, actor))
        zone = db.cached(("hall_zone", actor.hall_id), lambda: _zone(session, actor))
        today = clock.local_day(clock.now(session), zone)
        cal = db.cached(CALENDAR_KEY, lambda: calendar(session))
        q = (
            select(
                Task.id,
                Task.version,
                Task.case_id,
                Task.step_key,
                Task.step_index,
                Task.state,
                Task.due_date,
                Task.note,
                Task.assignee_id,
                Case.case_no,
                Case.service_version_id,
                Resident.name.label("applicant_name"),
                Resident.id_number,
                Department.name.label("department_name"),
                User.full_name,
            )
            .join(Case, Case.id == Task.case_id)
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .join(Resident, Resident.id == Case.applicant_id)
            .join(Department, Department.id == Task.department_id)
            .outerjoin(User, User.id == Task.assignee_id)
            .where(Task.department_id.in_(depts), LIVE_TASK)
        )
        if scope == Scope.MINE:
            q = q.where(Task.assignee_id == actor.user_id)
        elif scope == Scope.UNCLAIMED:
            q = q.where(Task.state == TaskState.OPEN)
        text = free_text.clean_query(query, "query")
        upper = text.upper()
        cases = select(Case.id).where(Case.hall_id == actor.hall_id)
        # A scanned number or an ID names a few cases: find them by their own unique index
        # first, then their tasks by case (the hall's live-task index is for whole pages).
        if numbers.is_case_no(upper):
            q = q.where(Task.case_id.in_(cases.where(Case.case_no == upper)))
        elif len(upper) == 18 and upper[:17].isdigit():
            theirs = cases.join(Resident, Resident.id == Case.applicant_id)
            q = q.where(Task.case_id.in_(theirs.where(Resident.id_number == upper)))
        else:
            q = q.where(Task.hall_id == actor.hall_id)
            if text:
                codes = select(ServiceType.id).where(
                    (ServiceType.name.contains(text)) | (ServiceType.code == upper)
                )
                q = q.where(
                    Resident.name.contains(text) | ServiceVersion.service_type_id.in_(codes)
                )
        q = q.order_by(Task.due_date, Task.id)  # a task always has the case's due date
        rows = session.execute(q.offset(page * page_size).limit(page_size + 1)).all()
        services = _services(db, session, {r.service_version_id for r in rows})
        decided = decided_by(session, actor.user_id, sorted({r.case_id for r in rows}))
        out = []
        for r in rows[:page_size]:
            left = cal.between(today, r.due_date) if r.due_date else None
            service = services[r.service_version_id]
            out.append(
                InboxRow(
                    task_id=r.id,
                    task_version=r.version,
                    case_id=r.case_id,
                    case_no=r.case_no or "",
                    service_name=service.name,
                    applicant_name=r.applicant_name,
                    applicant_id_masked=mask_id(r.id_number),
                    step_name=next(
                        (s.name for s in service.routing if s.key == r.step_key), r.step_key
                    ),
                    department=r.department_name,
                    state=r.state,
                    state_label=TASK_FLOW.label(r.state),
                    assignee=r.full_name or "",
                    claimed_by_me=r.assignee_id == actor.user_id,
                    due_date=r.due_date,
                    days_left=left,
                    urgency=urgency(left),
                    note=r.note,
                    barred=duty_refusal(
                        service, r.step_index, r.department_name, decided.get(r.case_id, [])
                    ),
                )
            )
        return InboxPage(tuple(out), page, len(rows) > page_size, today)


def _zone(session: Session, actor: Actor) -> str:
    hall = session.get(Hall, actor.hall_id) if actor.hall_id else None
    return hall.timezone if hall else "Asia/Shanghai"


def _services(db: Database, session: Session, version_ids: set[int]) -> dict[int, ServiceDef]:
    """The catalog definitions of a page's cases (a version never changes once written)."""
    key = "service_versions"
    known: dict[int, ServiceDef] = db.cached(key, dict, VERSION_TTL_S)
    missing = version_ids - known.keys()
    if missing:
        versions = session.scalars(select(ServiceVersion).where(ServiceVersion.id.in_(missing)))
        known.update({v.id: definition_of(v) for v in versions})
    return known


def my_departments(db: Database, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the departments whose inbox ``actor`` works."""
    actor.require(Permission.APPROVE)
    with db.read_only() as session:
        ids = departments_of(session, actor)
        rows = session.execute(
            select(Department.code, Department.name)
            .where(Department.id.in_(ids))
            .order_by(Department.code)
        ).all()
        return [(code, name) for code, name in rows]
