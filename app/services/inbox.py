"""The approver's inbox: the live tasks of their departments, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select

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
from app.ids import mask_id
from app.roles import Permission
from app.services import queueing
from app.services.actor import Actor
from app.services.workflow import calendar, departments_of
from app.states import TASK_FLOW, TaskState

NEAR_DUE_WORKDAYS = 2
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
    due_date: date | None
    days_left: int | None  # working days; negative when overdue
    urgency: str  # "overdue" / "near" / ""
    note: str


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
    applicant's name or of the service's name.
    """
    actor.require(Permission.APPROVE)
    with db.read_only() as session:
        depts = departments_of(session, actor)
        hall = session.get(Hall, actor.hall_id) if actor.hall_id else None
        today = queueing.service_day(session, hall) if hall else date.today()
        cal = calendar(session)
        q = (
            select(Task, Case.case_no, ServiceVersion.definition, Resident, Department.name, User)
            .join(Case, Case.id == Task.case_id)
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .join(Resident, Resident.id == Case.applicant_id)
            .join(Department, Department.id == Task.department_id)
            .outerjoin(User, User.id == Task.assignee_id)
            .where(
                Task.department_id.in_(depts),
                LIVE_TASK,
                Case.hall_id == actor.hall_id,
            )
        )
        if scope == Scope.MINE:
            q = q.where(Task.assignee_id == actor.user_id)
        elif scope == Scope.UNCLAIMED:
            q = q.where(Task.state == TaskState.OPEN)
        text = query.strip()
        if text:
            upper = text.upper()
            # A scanned number or an ID names a few cases: find them by their own unique
            # index first, so no backend's planner starts from the department's tasks.
            if len(upper) >= 8 and upper[:2].isalpha() and upper[2:3].isdigit():
                ids = session.scalars(select(Case.id).where(Case.case_no == upper)).all()
                q = q.where(Task.case_id.in_(ids))
            elif len(upper) == 18 and upper[:17].isdigit():
                ids = session.scalars(
                    select(Case.id)
                    .join(Resident, Resident.id == Case.applicant_id)
                    .where(Resident.id_number == upper)
                ).all()
                q = q.where(Task.case_id.in_(ids))
            else:
                codes = select(ServiceType.id).where(
                    (ServiceType.name.contains(text)) | (ServiceType.code == upper)
                )
                q = q.where(
                    Resident.name.contains(text) | ServiceVersion.service_type_id.in_(codes)
                )
        q = q.order_by(Task.due_date, Task.id)  # a task always has the case's due date
        rows = session.execute(q.offset(page * page_size).limit(page_size + 1)).all()
        out = []
        for task, case_no, definition, person, dept_name, user in rows[:page_size]:
            left = cal.between(today, task.due_date) if task.due_date else None
            steps = {s["key"]: s["name"] for s in definition.get("routing", [])}
            out.append(
                InboxRow(
                    task_id=task.id,
                    task_version=task.version,
                    case_id=task.case_id,
                    case_no=case_no or "",
                    service_name=definition.get("name", ""),
                    applicant_name=person.name,
                    applicant_id_masked=mask_id(person.id_number),
                    step_name=steps.get(task.step_key, task.step_key),
                    department=dept_name,
                    state=task.state,
                    state_label=TASK_FLOW.label(task.state),
                    assignee=user.full_name if user else "",
                    due_date=task.due_date,
                    days_left=left,
                    urgency=urgency(left),
                    note=task.note,
                )
            )
        return InboxPage(tuple(out), page, len(rows) > page_size, today)


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
