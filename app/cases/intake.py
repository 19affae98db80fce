"""Counter intake (综合受理): accept, tell what is missing, or refuse — one call each.

Every outcome is one service call, one transaction and one audit event. The rules are
checked again here (:func:`app.checklist.evaluate`), whatever the screen showed. The
printed document is rendered by a function the caller passes (``printing`` is not
imported by ``app``) after the case is committed, and then saved with it
(:mod:`app.cases.issued`): a receipt never exists for a case the database does not
have, rendering never holds the write lock, and a printer failure loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import audit, checklist, numbers, text
from app.actor import Actor
from app.cases.cases import local_time, receipt_of
from app.cases.issued import render_and_keep
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
from app.db.session import Database
from app.documents import MissingNotice, ReceivedLine, RefusalNotice
from app.errors import NotFound, PermissionDenied, ValidationError
from app.fieldvalues import raw_form
from app.hall.catalog import definition_of
from app.ids import mask_id
from app.roles import Permission
from app.states import CASE_FLOW, CaseState
from app.workdays import WorkCalendar
from forms.schema import ServiceDef, ServiceKind

DEFERRAL_WORKDAYS = 5  # 容缺: promised materials are due within this many working days
Render = Callable[[Any], bytes]


@dataclass(frozen=True)
class IntakeInput:
    """One application as the clerk has it on screen."""

    service_code: str
    applicant_id: int
    form: dict[str, Any]
    materials: tuple[MaterialTick, ...] = ()
    agent_id: int | None = None
    ticket_id: int | None = None
    draft_id: int | None = None  # a draft resumed from an earlier visit


@dataclass(frozen=True)
class CaseResult:
    """What the counter shows and prints after an outcome."""

    case_id: int
    case_no: str | None
    state: CaseState
    due_date: date | None
    document: Any = None  # the snapshot printed (Receipt, MissingNotice, RefusalNotice)
    pdf: bytes | None = None
    warning: str = ""  # e.g. next year's holidays not entered yet


@dataclass
class _Loaded:
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


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar with this database's overrides."""
    from app.db.models import CalendarOverride

    rows = session.scalars(select(CalendarOverride))
    return WorkCalendar({r.day: r.is_workday for r in rows})


def _load(session: Session, actor: Actor, inp: IntakeInput) -> _Loaded:
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
        .where(ServiceType.code == inp.service_code)
    ).first()
    if row is None or not row[0].active:
        raise NotFound(f"事项 {inp.service_code} 不存在或已停用。")
    st, sv = row
    applicant = session.get(Resident, inp.applicant_id)
    agent = session.get(Resident, inp.agent_id) if inp.agent_id else None
    if applicant is None:
        raise ValidationError("请先登记申请人。", "applicant")
    if inp.agent_id and agent is None:
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
    loaded = _Loaded(definition_of(sv), sv, st, dept, hall, applicant, agent, now, today)
    loaded.facts = checklist.facts(age, applicant.gender, agent is not None)
    return loaded


_COUNTER_UPSERTS = {
    name: dialect.insert(CaseCounter)
    .values(prefix=bindparam("prefix"), day=bindparam("day"), n=1)
    .on_conflict_do_update(index_elements=["prefix", "day"], set_={"n": CaseCounter.n + 1})
    .returning(CaseCounter.n)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def _case_no(conn: Connection, prefix: str, day: date) -> str:
    """``MZ20261123-0007``: department, day, and a gapless number per department and day.

    The format is :func:`app.numbers.case_no`'s, which the scanner's pattern matches.
    """
    n = conn.execute(_COUNTER_UPSERTS[conn.dialect.name], {"prefix": prefix, "day": day})
    return numbers.case_no(prefix, day, int(n.scalar_one()))


def _draft(
    session: Session, inp: IntakeInput, ld: _Loaded, form: dict[str, Any]
) -> tuple[Case, dict[str, object] | None]:
    """The draft being resumed (and its audit snapshot), or a new case row, with ``form``."""
    if inp.draft_id is None:
        case = Case(
            hall_id=ld.hall.id,
            service_version_id=ld.version.id,
            applicant_id=ld.applicant.id,
            state=CaseState.DRAFT,
            created_at=ld.now,
            notice_items=[],
        )
        session.add(case)
        return _fill(case, inp, ld, form), None
    found = session.get(Case, inp.draft_id)
    if found is None or found.state != CaseState.DRAFT or found.hall_id != ld.hall.id:
        raise NotFound("该暂存件不存在或已办理。")
    case = found
    case.service_version_id = ld.version.id  # resumed under the catalog in force today
    case.applicant_id = ld.applicant.id
    session.execute(delete(CaseMaterial).where(CaseMaterial.case_id == case.id))
    return _fill(case, inp, ld, form), _snapshot(case)


def _fill(case: Case, inp: IntakeInput, ld: _Loaded, form: dict[str, Any]) -> Case:
    case.form_data = form
    case.agent_id = ld.agent.id if ld.agent else None
    case.ticket_id = inp.ticket_id
    return case


def _materials(
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


def _snapshot(case: Case) -> dict[str, object]:
    return {
        "case_no": case.case_no,
        "state": case.state.value,
        "due": case.due_date.isoformat() if case.due_date else None,
        "step": case.current_step,
    }


def _move(case: Case, target: CaseState) -> None:
    CASE_FLOW.check(case.state, target)
    case.state = target


def _first_step(session: Session, ld: _Loaded, clean: dict[str, Any]) -> tuple[str, list[int]]:
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


def _open_tasks(session: Session, case: Case, step: str, depts: list[int], at: datetime) -> None:
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


def accept(
    db: Database, actor: Actor, inp: IntakeInput, render: Render | None = None
) -> CaseResult:
    """受理 (or 容缺受理 when only promised, deferrable materials are missing).

    承诺件 get a case number, a due date in working days and their first step's tasks;
    即办件 are completed at once. Raises ValidationError listing what is still missing.
    """
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        check = checklist.evaluate(ld.service, ld.facts, inp.form, inp.materials, ld.today)
        if check.field_errors:
            key, message = next(iter(check.field_errors.items()))
            raise ValidationError(f"表单还有 {len(check.field_errors)} 处问题：{message}", key)
        if check.missing:
            names = "、".join(m.name for m in check.missing)
            raise ValidationError(f"材料不齐：{names}。可出具一次性告知书。", "materials")
        cal = calendar(session)
        case, before = _draft(session, inp, ld, check.clean)
        case.notice_items = []
        case.case_no = _case_no(session.connection(), ld.department.code, ld.today)
        case.accepted_by_id, case.accepted_at = actor.user_id, ld.now
        case.deferred_until = cal.add(ld.today, DEFERRAL_WORKDAYS) if check.deferred else None
        _move(case, CaseState.ACCEPTED)
        step, depts = "", list[int]()
        if ld.service.kind == ServiceKind.INSTANT:
            case.due_date = ld.today
            _move(case, CaseState.COMPLETED)
            action = "case_completed_at_counter"
        else:
            case.due_date = cal.add(ld.today, ld.service.promised_days)
            step, depts = _first_step(session, ld, check.clean)
            case.current_step = step
            action = "case_accepted_with_promise" if check.deferred else "case_accepted"
        session.flush()  # one INSERT (or UPDATE of the resumed draft) with everything set
        _materials(session, case, ld.service, inp.materials, case.deferred_until)
        if depts:
            _open_tasks(session, case, step, depts, ld.now)
        doc = receipt_of(session, actor, [case])
        audit.record(session, actor, action, "case", case.id, before, _snapshot(case), at=ld.now)
        session.commit()
    pdf, kept = render_and_keep(db, actor, case.id, "receipt", render, doc, ld.now)
    warning = "；".join(w for w in (cal.warning, kept) if w)
    return CaseResult(case.id, case.case_no, case.state, case.due_date, doc, pdf, warning)


def tell_missing(
    db: Database, actor: Actor, inp: IntakeInput, render: Render | None = None
) -> CaseResult:
    """一次性告知: keep the application as a draft and list everything still missing."""
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        check = checklist.evaluate(ld.service, ld.facts, inp.form, inp.materials, ld.today)
        if check.complete or check.acceptable_with_promise:
            raise ValidationError("材料和表单已齐全，请直接受理。", "materials")
        case, before = _draft(session, inp, ld, raw_form(ld.service, inp.form))
        items = [f"{m.name}（{m.form}）" for m in check.missing + check.deferred]
        case.notice_items = items + list(check.field_errors.values())
        session.flush()
        _materials(session, case, ld.service, inp.materials, None)
        doc = _notice(session, actor, case, ld, check)
        after = _snapshot(case) | {"missing": case.notice_items}
        audit.record(
            session, actor, "case_notice_issued", "case", case.id, before, after, at=ld.now
        )
        session.commit()
    pdf, kept = render_and_keep(db, actor, case.id, "notice", render, doc, ld.now)
    return CaseResult(case.id, None, case.state, None, doc, pdf, kept)


def refuse(
    db: Database, actor: Actor, inp: IntakeInput, reason: str, render: Render | None = None
) -> CaseResult:
    """不予受理: outside the service's scope; numbered, with the reason and a notice."""
    reason = text.clean_line(reason, "reason", "不予受理理由", 10_000)
    if len(reason) < 4:
        raise ValidationError("请写明不予受理的理由（至少 4 个字）。", "reason")
    if len(reason) > 500:
        raise ValidationError("理由过长（最多 500 字）。", "reason")
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        case, before = _draft(session, inp, ld, raw_form(ld.service, inp.form))
        case.refusal_reason = reason
        case.case_no = _case_no(session.connection(), ld.department.code, ld.today)
        _move(case, CaseState.REFUSED)
        session.flush()
        doc = RefusalNotice(
            hall_name=ld.hall.name,
            case_no=case.case_no,
            applicant_name=ld.applicant.name,
            applicant_id_masked=mask_id(ld.applicant.id_number),
            service_name=ld.service.name,
            department=ld.department.name,
            reason=reason,
            legal_basis=ld.service.legal_basis or "",
            remedy=(
                "如对本决定不服，可自收到本通知书之日起六十日内依法申请行政复议，"
                "或者在六个月内依法提起行政诉讼。"
            ),
            issued_at=local_time(ld.hall, ld.now),
            clerk=actor.full_name or actor.username,
        )
        after = _snapshot(case) | {"reason": reason}
        audit.record(session, actor, "case_refused", "case", case.id, before, after, at=ld.now)
        session.commit()
    pdf, kept = render_and_keep(db, actor, case.id, "refusal", render, doc, ld.now)
    return CaseResult(case.id, case.case_no, case.state, None, doc, pdf, kept)


def save_draft(db: Database, actor: Actor, inp: IntakeInput) -> CaseResult:
    """暂存: keep what was typed and ticked for later, without any notice."""
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        case, before = _draft(session, inp, ld, raw_form(ld.service, inp.form))
        session.flush()
        _materials(session, case, ld.service, inp.materials, None)
        audit.record(
            session, actor, "case_draft_saved", "case", case.id, before, _snapshot(case), at=ld.now
        )
        session.commit()
        return CaseResult(case.id, None, case.state, None)


def _notice(
    session: Session, actor: Actor, case: Case, ld: _Loaded, check: checklist.Check
) -> MissingNotice:
    lines = [ReceivedLine(m.name, _need_text(m)) for m in check.missing] + [
        ReceivedLine(m.name, _need_text(m) + "（可容缺，须签承诺书）") for m in check.deferred
    ]
    return MissingNotice(
        hall_name=ld.hall.name,
        reference=f"暂存-{case.id:06d}",
        applicant_name=ld.applicant.name,
        applicant_id_masked=mask_id(ld.applicant.id_number),
        service_name=ld.service.name,
        department=ld.department.name,
        missing_materials=tuple(lines),
        field_problems=tuple(check.field_errors.values()),
        legal_basis=ld.service.legal_basis or "",
        where=f"{ld.hall.name}综合受理窗口（取号类别 {ld.service.queue_category}）",
        issued_at=local_time(ld.hall, ld.now),
        clerk=actor.full_name or actor.username,
    )


def _need_text(m: checklist.NeededMaterial) -> str:
    copies = f"，{m.copies} 份" if m.copies and m.form != "原件" else ""
    return f"{m.form}{copies}" + (f"；{m.note}" if m.note else "")


def load_draft(db: Database, actor: Actor, case_id: int) -> IntakeInput:
    """A draft as the intake screen reopens it: form as typed, materials as ticked."""
    actor.require(Permission.INTAKE)
    with db.read_only() as session:
        case = session.get(Case, case_id)
        if case is None or case.state != CaseState.DRAFT or case.hall_id != actor.hall_id:
            raise NotFound("该暂存件不存在或已办理。")
        sv = session.get(ServiceVersion, case.service_version_id)
        assert sv is not None
        mats = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
        ticks = tuple(
            MaterialTick(
                m.material_key, m.received, m.original_seen, m.copy_kept, m.copies, False, m.note
            )
            for m in mats
        )
        return IntakeInput(
            service_code=sv.service_type.code,
            applicant_id=case.applicant_id,
            form=dict(case.form_data or {}),
            materials=ticks,
            agent_id=case.agent_id,
            ticket_id=case.ticket_id,
            draft_id=case.id,
        )


route_plan = checklist.route_plan


def service_definition(db: Database, actor: Actor, code: str) -> ServiceDef:
    """The current catalog definition of a service, for the form and checklist."""
    actor.require(Permission.INTAKE)
    with db.read_only() as session:
        st = session.scalar(select(ServiceType).where(ServiceType.code == code))
        if st is None or not st.active:
            raise NotFound(f"事项 {code} 不存在或已停用。")
        sv = session.scalar(
            select(ServiceVersion).where(
                ServiceVersion.service_type_id == st.id,
                ServiceVersion.version == st.current_version,
            )
        )
        assert sv is not None
        return definition_of(sv)
