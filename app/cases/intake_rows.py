"""The pieces every counter intake outcome is built from, inside its transaction.

:mod:`app.cases.intake` owns the outcomes (受理, 一次性告知, 不予受理, 暂存) and what the
screen reads; this module owns what they read and write on the way: the application as
loaded (the service in force, applicant, agent, hall, service day and the applicant's
facts, with the intake permission checked), the gapless case number, the case row (new,
or the draft being resumed), its materials as ticked, its first step's tasks, the state
move and the audit snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import checklist, numbers, text
from app.actor import Actor
from app.checklist import MaterialTick
from app.db import clock
from app.db.models import (
    Case,
    CaseCounter,
    CaseMaterial,
    Department,
    Hall,
    Resident,
    ServiceType,
    ServiceVersion,
    Task,
)
from app.errors import NotFound, PermissionDenied, ValidationError
from app.hall.catalog import definition_of
from app.materials import records
from app.materials.intake import PreparedPage
from app.materials.stores import PageStore
from app.roles import Permission
from app.states import CASE_FLOW, CaseState
from forms.schema import ServiceDef


@dataclass
class Loaded:
    """Everything an outcome needs, read inside its transaction."""

    service: ServiceDef
    version: ServiceVersion
    service_type: ServiceType
    department: Department
    hall: Hall
    applicant: Resident
    agent: Resident | None
    now: datetime
    today: date
    facts: dict[str, Any] = field(default_factory=dict)


def load(
    session: Session, actor: Actor, service_code: str, applicant_id: int, agent_id: int | None
) -> Loaded:
    """The application's service (as in force), people, hall and day; the actor may take it."""
    actor.require(Permission.INTAKE)
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    row = session.execute(
        select(ServiceType, ServiceVersion)
        .join(
            ServiceVersion,
            (ServiceVersion.service_type_id == ServiceType.id)
            & (ServiceVersion.version == ServiceType.current_version),
        )
        .where(ServiceType.code == service_code)
    ).first()
    if row is None or not row[0].active:
        raise NotFound(f"事项 {service_code} 不存在或已停用。")
    st, sv = row
    applicant = session.get(Resident, applicant_id)
    agent = session.get(Resident, agent_id) if agent_id else None
    if applicant is None:
        raise ValidationError("请先登记申请人。", "applicant")
    if agent_id and agent is None:
        raise ValidationError("代办人档案不存在，请重新登记。", "agent")
    if agent is not None and agent.id == applicant.id:
        raise ValidationError("代办人不能是申请人本人。", "agent")
    hall = session.get(Hall, actor.hall_id)
    dept = session.get(Department, st.department_id)
    assert sv is not None and hall is not None and dept is not None
    now = clock.now(session)
    today = clock.service_day(session, hall, now)
    born = applicant.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    loaded = Loaded(definition_of(sv), sv, st, dept, hall, applicant, agent, now, today)
    loaded.facts = checklist.facts(age, applicant.gender, agent is not None)
    return loaded


_COUNTER_UPSERTS = {
    name: dialect.insert(CaseCounter)
    .values(prefix=bindparam("prefix"), day=bindparam("day"), n=1)
    .on_conflict_do_update(index_elements=["prefix", "day"], set_={"n": CaseCounter.n + 1})
    .returning(CaseCounter.n)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def case_no(conn: Connection, hall: Hall, department: str, day: date) -> str:
    """``JX01-MZ20261123-0007``: hall, department, day, and a gapless number per hall,
    department and day (the counter row ``JX01-MZ``, never shared by two halls).

    The format is :func:`app.numbers.case_no`'s, which the scanner's pattern matches. The
    counter row stays locked until the caller commits: call this as late as the case
    allows (after pages are stored and tasks opened), just before the audit record.
    """
    part = numbers.hall_part(hall.code, hall.id)
    prefix = f"{part}-{department}"
    n = conn.execute(_COUNTER_UPSERTS[conn.dialect.name], {"prefix": prefix, "day": day})
    return numbers.case_no(part, department, day, int(n.scalar_one()))


def case_row(
    session: Session, ld: Loaded, draft_id: int | None, ticket_id: int | None, form: dict[str, Any]
) -> tuple[Case, dict[str, object] | None]:
    """The draft being resumed (and its audit snapshot), or a new case row, with ``form``."""
    if draft_id is None:
        case = Case(
            hall_id=ld.hall.id,
            service_version_id=ld.version.id,
            applicant_id=ld.applicant.id,
            state=CaseState.DRAFT,
            created_at=ld.now,
            notice_items=[],
        )
        session.add(case)
        return _fill(case, ld, ticket_id, form), None
    found = session.get(Case, draft_id)
    if found is None or found.state != CaseState.DRAFT or found.hall_id != ld.hall.id:
        raise NotFound("该暂存件不存在或已办理。")
    case = found
    case.service_version_id = ld.version.id  # resumed under the catalog in force today
    case.applicant_id = ld.applicant.id
    session.execute(delete(CaseMaterial).where(CaseMaterial.case_id == case.id))
    return _fill(case, ld, ticket_id, form), snapshot(case)


def _fill(case: Case, ld: Loaded, ticket_id: int | None, form: dict[str, Any]) -> Case:
    case.form_data = form
    case.agent_id = ld.agent.id if ld.agent else None
    case.ticket_id = ticket_id
    return case


def record_materials(
    session: Session,
    case: Case,
    service: ServiceDef,
    ticks: Sequence[MaterialTick],
    due: date | None,
) -> None:
    """Record the checklist as ticked (the case row must have its id), in one statement."""
    by_key = {t.key: t for t in ticks}
    rows = [
        {
            "case_id": case.id,
            "material_key": m.key,
            "name": m.name,
            "received": t.received,
            "original_seen": t.original_seen,
            "copy_kept": t.copy_kept,
            "copies": max(0, min(t.copies, 99)),
            "deferred_until": due if (t.deferred and not t.received and m.deferrable) else None,
            "note": text.clean_line(t.note, f"material_note:{m.key}", f"{m.name}备注", 200),
        }
        for m in service.materials
        if (t := by_key.get(m.key)) is not None
    ]
    if rows:
        session.execute(insert(CaseMaterial), rows)


def snapshot(case: Case) -> dict[str, object]:
    """The case as the audit trail records it before and after an outcome."""
    return {
        "case_no": case.case_no,
        "state": case.state.value,
        "due": case.due_date.isoformat() if case.due_date else None,
        "step": case.current_step,
    }


def move(case: Case, target: CaseState) -> None:
    """Move the case to ``target`` if the case flow allows it (else raise)."""
    CASE_FLOW.check(case.state, target)
    case.state = target


def first_step(session: Session, ld: Loaded, clean: dict[str, Any]) -> tuple[str, list[int]]:
    """The first step's key and the departments (ids) it fans out to for this case."""
    first = ld.service.routing[0]
    codes = checklist.branches(ld.service, first, ld.facts, clean)
    with session.no_autoflush:  # the case is flushed once, with its first step set
        found = session.execute(
            select(Department.code, Department.id).where(Department.code.in_(codes))
        )
        depts = {code: dept_id for code, dept_id in found}
    missing = [c for c in codes if c not in depts]
    if missing:
        raise ValidationError(
            f"审批部门未配置：{'、'.join(missing)}，请联系系统管理员。", "routing"
        )
    return first.key, [depts[c] for c in codes]


def open_tasks(session: Session, case: Case, step: str, depts: list[int], at: datetime) -> None:
    """The first step's tasks, one per department, in one statement."""
    session.execute(
        insert(Task),
        [
            {
                "case_id": case.id,
                "hall_id": case.hall_id,
                "step_key": step,
                "step_index": 0,
                "department_id": d,
                "created_at": at,
                "due_date": case.due_date,
            }
            for d in depts
        ],
    )


def record_pages(
    session: Session,
    store: PageStore,
    actor: Actor,
    case: Case,
    service: ServiceDef,
    pages: Mapping[str, Sequence[PreparedPage]],
    resumed: bool,
    at: datetime,
) -> dict[str, object]:
    """Store the pages captured per material; ``{"pages": …}`` for the audit snapshot.

    The snapshot lists every page of the case (a resumed draft's earlier ones too), or is
    empty when the case has none. Pages for a material the service does not have are
    refused (ValidationError) before anything is stored.
    """
    known = {m.key: m.name for m in service.materials}
    for key in pages:
        if key not in known:
            raise ValidationError(f"材料页所属的材料不属于本事项（{key}）。", "pages")
    wanted = {key: prepared for key, prepared in pages.items() if prepared}
    if wanted:
        records.add_pages(session, store, actor, case.id, wanted, at)
    elif not resumed:
        return {}
    listed = records.page_list(session, case.id)
    return {records.PAGES_KEY: listed} if listed else {}
