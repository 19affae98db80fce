"""The back office's documents: 补正通知书, 办结通知书 / 不予批准决定书, 公示名单.

Like the counter's receipts, each is a plain snapshot (:mod:`app.documents`) that a
renderer the caller passes turns into PDF bytes (``app`` never imports ``printing``).
Case documents are saved with the case and their issue is audited, so a reprint gives
the same paper and the history says who printed what. The snapshot is read without
taking a write lock and rendered outside any transaction; only the save is one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.cases.cases import local_time
from app.db import clock
from app.db.models import Case, CaseDocument, Department, Hall, Resident, ServiceVersion, Task
from app.db.session import Database
from app.documents import (
    DecisionNotice,
    PublicityLine,
    PublicityList,
    StepResult,
    SupplementNotice,
)
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.hall.catalog import definition_of
from app.ids import mask_id, mask_name
from app.roles import Permission
from app.states import TASK_FLOW, CaseState, TaskState

Render = Callable[[Any], bytes]
COUNTER = "综合窗口"
DECIDED_TASKS = (TaskState.APPROVED, TaskState.REJECTED, TaskState.RETURNED)


def _require(actor: Actor) -> None:
    if not (actor.can(Permission.APPROVE) or actor.can(Permission.INTAKE)):
        raise PermissionDenied("您没有出具文书的权限。")


def _load(session: Session, actor: Actor, case_id: int) -> tuple[Case, Hall, Resident, Any, str]:
    case = session.get(Case, case_id)
    if case is None or case.case_no is None or case.hall_id != actor.hall_id:
        raise NotFound("办件不存在。")
    hall = session.get(Hall, case.hall_id)
    applicant = session.get(Resident, case.applicant_id)
    sv = session.get(ServiceVersion, case.service_version_id)
    assert hall is not None and applicant is not None and sv is not None
    dept = session.get(Department, sv.service_type.department_id)
    return case, hall, applicant, definition_of(sv), dept.name if dept else ""


def _issue(
    db: Database, actor: Actor, case_id: int, kind: str, label: str, render: Render, doc: object
) -> bytes:
    """Render the snapshot read before (no lock held), then save and audit it in one
    short transaction. Nothing was committed before: a failure to save is raised."""
    pdf = render(doc)
    with db.unit_of_work() as session:
        now = clock.now(session)
        session.add(
            CaseDocument(
                case_id=case_id, kind=kind, pdf=pdf, created_at=now, created_by_id=actor.user_id
            )
        )
        audit.record(session, actor, "document_issued", "case", case_id, note=label, at=now)
        session.commit()
    return pdf


def supplement_notice(db: Database, actor: Actor, case_id: int, render: Render) -> bytes:
    """补正通知书 of a case waiting for supplement; saved with the case and audited."""
    _require(actor)
    with db.read_only() as session:
        case, hall, applicant, service, dept = _load(session, actor, case_id)
        if case.state != CaseState.AWAITING_SUPPLEMENT or not case.supplement_items:
            raise Conflict("该办件不在补正中，无需出具补正通知书。")
        returned = session.scalar(
            select(Task)
            .where(Task.case_id == case.id, Task.state == TaskState.RETURNED)
            .order_by(Task.id.desc())
            .limit(1)
        )
        now = clock.now(session)
        doc = SupplementNotice(
            hall_name=hall.name,
            case_no=case.case_no or "",
            applicant_name=applicant.name,
            applicant_id_masked=mask_id(applicant.id_number),
            service_name=service.name,
            department=dept,
            items=tuple(case.supplement_items),
            opinion=returned.opinion if returned else "",
            clock_stopped="supplement" in service.suspend_during,
            where=f"{hall.name}{COUNTER}",
            issued_at=local_time(hall, now),
            issuer=actor.full_name or actor.username,
        )
    return _issue(db, actor, case_id, "supplement", "补正通知书", render, doc)


def decision_of(
    session: Session, actor: Actor, case: Case, collector: str = "", collected_at: str = ""
) -> DecisionNotice:
    """The 办结通知书 / 不予批准决定书 of a decided case (with the handover, the 出件回执)."""
    case, hall, applicant, service, dept = _load(session, actor, case.id)
    steps = {s.key: s.name for s in service.routing}
    rows = session.execute(
        select(Task, Department.name)
        .join(Department, Department.id == Task.department_id)
        .where(Task.case_id == case.id, Task.state.in_(DECIDED_TASKS))
        .order_by(Task.id)
    ).all()
    approved = case.state == CaseState.COMPLETED or (
        case.state == CaseState.DELIVERED and not case.decision_reason
    )
    now = clock.now(session)
    return DecisionNotice(
        hall_name=hall.name,
        case_no=case.case_no or "",
        applicant_name=applicant.name,
        applicant_id_masked=mask_id(applicant.id_number),
        service_name=service.name,
        department=dept,
        approved=approved,
        accepted_on=local_time(hall, case.accepted_at)[:10] if case.accepted_at else "",
        decided_on=local_time(hall, case.decided_at)[:10] if case.decided_at else "",
        reason="" if approved else (case.decision_reason or ""),
        steps=tuple(
            StepResult(steps.get(t.step_key, t.step_key), name, TASK_FLOW.label(t.state), t.opinion)
            for t, name in rows
        ),
        legal_basis=service.legal_basis,
        pickup=service.pickup,
        issued_at=local_time(hall, now),
        issuer=actor.full_name or actor.username,
        collector=collector,
        collected_at=collected_at,
    )


def decision_notice(db: Database, actor: Actor, case_id: int, render: Render) -> bytes:
    """办结通知书 or 不予批准决定书 of a decided case; saved with the case and audited."""
    _require(actor)
    with db.read_only() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("办件不存在。")
        if case.state not in (CaseState.COMPLETED, CaseState.REJECTED):
            raise Conflict("办件尚未审结，不能出具决定文书。")
        doc = decision_of(session, actor, case)
    label = "办结通知书" if doc.approved else "不予批准决定书"
    return _issue(db, actor, case_id, "decision", label, render, doc)


def publicity_list(
    db: Database, actor: Actor, department_code: str | None, render: Render
) -> bytes:
    """公示名单: the hall's cases now in 公示, for one department (or all); masked."""
    if not (actor.can(Permission.APPROVE) or actor.can(Permission.SUPERVISE)):
        raise PermissionDenied("您没有打印公示名单的权限。")
    with db.unit_of_work() as session:
        hall = session.get(Hall, actor.hall_id) if actor.hall_id else None
        if hall is None:
            raise NotFound("大厅不存在。")
        dept = None
        if department_code:
            dept = session.scalar(select(Department).where(Department.code == department_code))
            if dept is None:
                raise ValidationError("部门不存在。", "department")
        q = (
            select(Case, Resident, ServiceVersion)
            .join(Resident, Resident.id == Case.applicant_id)
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .where(Case.hall_id == hall.id, Case.state == CaseState.PUBLICIZING)
            .order_by(Case.publicity_until, Case.case_no)
        )
        lines = []
        for case, person, sv in session.execute(q).all():
            if dept is not None and sv.service_type.department_id != dept.id:
                continue
            lines.append(
                PublicityLine(
                    case_no=case.case_no or "",
                    applicant=mask_name(person.name),
                    id_masked=mask_id(person.id_number),
                    service_name=definition_of(sv).name,
                    since=_since(session, hall, case),
                    until=case.publicity_until.isoformat() if case.publicity_until else "",
                )
            )
        doc = PublicityList(
            hall_name=hall.name,
            department=dept.name if dept else "全部部门",
            lines=tuple(lines),
            objection_contact=(
                f"{hall.name}{COUNTER}" + (f"，电话 {hall.phone}" if hall.phone else "")
            ),
            printed_on=clock.service_day(session, hall).isoformat(),
        )
        audit.record(
            session,
            actor,
            "publicity_list_printed",
            "hall",
            hall.id,
            note=f"{doc.department}，{len(lines)} 件",
        )
        session.commit()
    return render(doc)  # after the commit: no lock held while the page is drawn


def _since(session: Session, hall: Hall, case: Case) -> str:
    """The day 公示 began: the day the step before it was decided."""
    decided = session.scalar(
        select(Task.decided_at)
        .where(Task.case_id == case.id, Task.decided_at.is_not(None))
        .order_by(Task.decided_at.desc())
        .limit(1)
    )
    return local_time(hall, decided)[:10] if decided is not None else ""
