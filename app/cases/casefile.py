"""A case's file (案卷) as the back office, the counter and the supervisor open it.

Read side of :mod:`app.cases.workflow`: the form as filled, the materials received,
the applicant (masked), every task with its opinion, the case's history from the audit
trail, and its documents. Also which of the tasks the reader may act on, so the screen
derives its buttons from the data rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text
from app.actor import Actor
from app.audit import ACTION_LABELS
from app.cases.cases import DOCUMENT_LABELS, local_time, received_text
from app.cases.routing import decided_by, duty_refusal
from app.cases.workflow import LIVE_TASKS, calendar, departments_of
from app.db import clock
from app.db.models import (
    AuditEvent,
    Case,
    CaseDocument,
    CaseMaterial,
    Department,
    Hall,
    Resident,
    ServiceVersion,
    Task,
    User,
)
from app.db.session import Database
from app.documents import ReceivedLine
from app.errors import NotFound, PermissionDenied
from app.hall.catalog import definition_of
from app.ids import mask_id, mask_numbers, mask_phone
from app.materials import viewing
from app.numbers import missing_case
from app.roles import Permission
from app.states import CASE_FLOW, TASK_FLOW, CaseState, TaskState
from app.workdays import CALENDAR_KEY
from forms.schema import FieldDef, FieldType, ServiceDef

READERS = (Permission.APPROVE, Permission.INTAKE, Permission.SUPERVISE)
# Cases the back office still works on (the deadline runs).
OPEN_STATES = frozenset(
    {
        CaseState.ACCEPTED,
        CaseState.IN_REVIEW,
        CaseState.AWAITING_SUPPLEMENT,
        CaseState.PUBLICIZING,
    }
)


@dataclass(frozen=True)
class TaskLine:
    """One department's task on one step, as the case history shows it."""

    task_id: int
    version: int
    step_name: str
    department: str
    state: TaskState
    state_label: str
    assignee: str
    opinion: str
    note: str
    created_at: str
    decided_at: str
    actionable: bool  # live, in one of the reader's departments, not claimed by someone else
    claimed_by_me: bool
    barred: str = ""  # why the reader may not decide it (职责分离), "" if they may


@dataclass(frozen=True)
class HistoryLine:
    """An event of the case's audit trail."""

    at: str
    actor: str
    action: str
    note: str


@dataclass(frozen=True)
class CaseFile:
    """Everything the case view shows; ``tasks`` and ``history`` oldest first."""

    id: int
    case_no: str
    service_code: str
    service_name: str
    department: str
    applicant_name: str
    applicant_id_masked: str
    applicant_phone_masked: str
    agent: str
    state: CaseState
    state_label: str
    step_name: str
    due_date: date | None
    days_left: int | None
    suspended_days: int
    clock_stopped: bool  # 补正 / 公示 while the service's deadline does not run
    accepted_at: str
    publicity_until: date | None
    supplement_items: tuple[str, ...]
    decision_reason: str
    collector: str
    fields: tuple[tuple[str, str], ...]  # (label, value as shown, masked)
    materials: tuple[ReceivedLine, ...]
    tasks: tuple[TaskLine, ...]
    history: tuple[HistoryLine, ...]
    documents: tuple[tuple[int, str], ...]  # (document id, kind)
    transfer_targets: tuple[tuple[str, str], ...]  # (department code, name)
    # The service's materials (key, name, ID card sides) — pages brought with 补正 go to one
    catalog_materials: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    sees_pages: bool = False  # the reader may see the pages (and export the case file)

    def task(self, task_id: int) -> TaskLine | None:
        """The task with this id, if the case has it."""
        return next((t for t in self.tasks if t.task_id == task_id), None)

    @property
    def my_tasks(self) -> tuple[TaskLine, ...]:
        """Tasks the reader may decide now."""
        return tuple(t for t in self.tasks if t.actionable)


def shown_value(f: FieldDef, raw: Any) -> str:
    """A form value as a case view or a printout shows it (ID and phone masked)."""
    if raw is None or raw == "" or raw == []:
        return ""
    if f.type == FieldType.ID_NUMBER:
        return mask_id(str(raw))
    if f.type == FieldType.PHONE:
        return mask_phone(str(raw))
    if f.type == FieldType.BOOLEAN:
        return "是" if raw in (True, "true", "1", 1) else "否"
    if f.type == FieldType.MULTI_CHOICE and isinstance(raw, list | tuple):
        return "、".join(str(v) for v in raw)
    if f.type == FieldType.MONEY:
        return f"{raw} 元"
    return mask_numbers(str(raw))


def _require_reader(actor: Actor) -> None:
    if not any(actor.can(p) for p in READERS):
        raise PermissionDenied("您没有查看办件的权限。")


def open_case(db: Database, actor: Actor, case_id: int) -> CaseFile:
    """The case's file, for a reader in the case's hall."""
    _require_reader(actor)
    with db.read_only() as session:
        case = session.get(Case, case_id)
        if case is None or case.case_no is None or case.hall_id != actor.hall_id:
            raise NotFound("办件不存在。")
        return _file(db, session, actor, case)


def find(db: Database, actor: Actor, case_no: str) -> CaseFile:
    """The case with this number (a scanned receipt or a typed number)."""
    _require_reader(actor)
    number = text.clean_query(case_no, "case_no").upper()
    with db.read_only() as session:
        case = session.scalar(select(Case).where(Case.case_no == number))
        if case is None or case.hall_id != actor.hall_id:
            raise NotFound(missing_case(number), "case_no")
        return _file(db, session, actor, case)


def _file(db: Database, session: Session, actor: Actor, case: Case) -> CaseFile:
    assert case.case_no is not None
    sv = session.get(ServiceVersion, case.service_version_id)
    hall = session.get(Hall, case.hall_id)
    applicant = session.get(Resident, case.applicant_id)
    agent = session.get(Resident, case.agent_id) if case.agent_id else None
    assert sv is not None and hall is not None and applicant is not None
    service = definition_of(sv)
    dept = session.get(Department, sv.service_type.department_id)
    today = clock.service_day(session, hall)
    mine: set[int] = set()
    if actor.can(Permission.APPROVE):
        mine = set(
            db.cached(("departments", actor.user_id), lambda: departments_of(session, actor))
        )
    collector = case.collector or ""
    return CaseFile(
        id=case.id,
        case_no=case.case_no,
        service_code=service.code,
        service_name=service.name,
        department=dept.name if dept else "",
        applicant_name=applicant.name,
        applicant_id_masked=mask_id(applicant.id_number),
        applicant_phone_masked=mask_phone(applicant.phone) if applicant.phone else "",
        agent=f"{agent.name}（{mask_id(agent.id_number)}）" if agent else "",
        state=case.state,
        state_label=CASE_FLOW.label(case.state),
        step_name=_step_name(service, case),
        due_date=case.due_date,
        days_left=(
            db.cached(CALENDAR_KEY, lambda: calendar(session)).between(today, case.due_date)
            if case.due_date and case.state in OPEN_STATES
            else None
        ),
        suspended_days=case.suspended_days or 0,
        clock_stopped=case.suspended_since is not None,
        accepted_at=local_time(hall, case.accepted_at) if case.accepted_at else "",
        publicity_until=case.publicity_until,
        supplement_items=tuple(case.supplement_items or ()),
        decision_reason=case.decision_reason or case.refusal_reason or "",
        collector=collector,
        fields=tuple(
            (f.label, shown_value(f, (case.form_data or {}).get(f.key)))
            for f in service.fields
            if (case.form_data or {}).get(f.key) not in (None, "", [])
        ),
        materials=_materials(session, case),
        catalog_materials=tuple((m.key, m.name, tuple(m.sides)) for m in service.materials),
        sees_pages=viewing.handles(session, actor, case.id),
        tasks=_task_lines(session, actor, hall, service, case, mine),
        history=_history(session, hall, case),
        documents=tuple(
            (d_id, kind)
            for d_id, kind in session.execute(
                select(CaseDocument.id, CaseDocument.kind)
                .where(CaseDocument.case_id == case.id)
                .order_by(CaseDocument.id)
            ).all()
            if kind in DOCUMENT_LABELS
        ),
        transfer_targets=db.cached(("departments_all",), lambda: _departments(session)),
    )


def _departments(session: Session) -> tuple[tuple[str, str], ...]:
    rows = session.execute(select(Department.code, Department.name).order_by(Department.code))
    return tuple((code, name) for code, name in rows.all())


def _step_name(service: ServiceDef, case: Case) -> str:
    if case.state not in (CaseState.IN_REVIEW, CaseState.PUBLICIZING, CaseState.ACCEPTED):
        if case.state == CaseState.AWAITING_SUPPLEMENT and service.routing:
            return service.routing[case.step_index].name + "（待补正）"
        return ""
    if not service.routing:
        return ""
    return service.routing[min(case.step_index, len(service.routing) - 1)].name


def _materials(session: Session, case: Case) -> tuple[ReceivedLine, ...]:
    rows = session.scalars(
        select(CaseMaterial).where(CaseMaterial.case_id == case.id).order_by(CaseMaterial.id)
    )
    return tuple(
        ReceivedLine(m.name, received_text(m) if (m.received or m.deferred_until) else "未收")
        for m in rows
    )


def _task_lines(
    session: Session, actor: Actor, hall: Hall, service: ServiceDef, case: Case, mine: set[int]
) -> tuple[TaskLine, ...]:
    steps = {s.key: s.name for s in service.routing}
    rows = session.execute(
        select(Task, Department.name, User.full_name)
        .join(Department, Department.id == Task.department_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.case_id == case.id)
        .order_by(Task.id)
    ).all()
    decided = decided_by(session, actor.user_id, [case.id]).get(case.id, [])
    out = []
    for task, dept_name, assignee in rows:
        live = task.state in LIVE_TASKS and case.state in (CaseState.ACCEPTED, CaseState.IN_REVIEW)
        free = task.state == TaskState.OPEN or task.assignee_id == actor.user_id
        actionable = live and free and task.department_id in mine
        out.append(
            TaskLine(
                task_id=task.id,
                version=task.version,
                step_name=steps.get(task.step_key, task.step_key),
                department=dept_name,
                state=task.state,
                state_label=TASK_FLOW.label(task.state),
                assignee=assignee or "",
                opinion=task.opinion,
                note=task.note,
                created_at=local_time(hall, task.created_at),
                decided_at=local_time(hall, task.decided_at) if task.decided_at else "",
                actionable=actionable,
                claimed_by_me=task.state == TaskState.CLAIMED and task.assignee_id == actor.user_id,
                barred=duty_refusal(service, task.step_index, dept_name, decided)
                if actionable
                else "",
            )
        )
    return tuple(out)


def _history(session: Session, hall: Hall, case: Case) -> tuple[HistoryLine, ...]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "case", AuditEvent.entity_id == str(case.id))
        .order_by(AuditEvent.id)
    )
    return tuple(
        HistoryLine(
            local_time(hall, e.at), e.actor_name, ACTION_LABELS.get(e.action, e.action), e.note
        )
        for e in events
    )
