"""Cases once taken: the receipt, lookups (a scanned number, an applicant's drafts), reprints.

Read-side companions of :mod:`app.cases.intake`, which owns the outcomes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, text
from app.actor import Actor
from app.cases.issued import render_and_keep
from app.db import clock
from app.db.models import (
    Case,
    CaseDocument,
    CaseMaterial,
    Department,
    Hall,
    Resident,
    ServiceVersion,
    User,
)
from app.db.session import Database
from app.documents import Receipt, ReceiptCase, ReceivedLine
from app.errors import Conflict, NotFound, ValidationError
from app.hall.catalog import definition_of
from app.ids import mask_id, mask_phone
from app.numbers import missing_case
from app.roles import Permission
from app.states import CASE_FLOW, CaseState
from forms.schema import ServiceKind


def local_time(hall: Hall, moment: datetime) -> str:
    zone = ZoneInfo(hall.timezone)
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def received_text(m: CaseMaterial) -> str:
    if m.deferred_until and not m.received:
        return f"容缺，承诺 {m.deferred_until.isoformat()} 前补交"
    parts = []
    if m.original_seen:
        parts.append("原件已核验")
    if m.copy_kept:
        parts.append(f"复印件 {m.copies} 份" if m.copies else "复印件已留存")
    return "，".join(parts) or "已收"


def receipt_of(
    session: Session, actor: Actor, cases: Sequence[Case], clerk: str | None = None
) -> Receipt:
    """The 受理回执 of one case, or a combined one for several of the same applicant.

    ``clerk``: who accepted (default: ``actor``, the clerk accepting now).
    """
    first = cases[0]
    if any(c.applicant_id != first.applicant_id for c in cases):
        raise ValidationError("合并回执只能包含同一申请人的办件。", "cases")
    hall = session.get(Hall, first.hall_id)
    applicant = session.get(Resident, first.applicant_id)
    agent = session.get(Resident, first.agent_id) if first.agent_id else None
    assert hall is not None and applicant is not None
    items = []
    pickup = ""  # stays "" when every case is a 即办件: nothing to collect later
    for c in cases:
        sv = session.get(ServiceVersion, c.service_version_id)
        assert sv is not None and c.case_no is not None
        service = definition_of(sv)
        dept = session.get(Department, sv.service_type.department_id)
        mats = session.scalars(
            select(CaseMaterial).where(CaseMaterial.case_id == c.id).order_by(CaseMaterial.id)
        )
        lines = tuple(
            ReceivedLine(m.name, received_text(m)) for m in mats if m.received or m.deferred_until
        )
        instant = service.kind == ServiceKind.INSTANT
        items.append(
            ReceiptCase(
                case_no=c.case_no,
                service_name=service.name,
                department=dept.name if dept else "",
                kind_label="即办件" if instant else "承诺件",
                state_label=_state_label(c, instant),
                due_date="" if instant or c.due_date is None else c.due_date.isoformat(),
                materials=lines,
                deferred_until=c.deferred_until.isoformat() if c.deferred_until else "",
                fee="不收费" if service.fee == 0 else f"{service.fee} 元",
            )
        )
        if not instant:
            pickup = pickup or service.pickup or "综合窗口统一出件"
    accepted = first.accepted_at or clock.now(session)
    return Receipt(
        hall_name=hall.name,
        applicant_name=applicant.name,
        applicant_id_masked=mask_id(applicant.id_number),
        applicant_phone_masked=mask_phone(applicant.phone) if applicant.phone else "",
        agent=f"{agent.name}（{mask_id(agent.id_number)}）" if agent else "",
        cases=tuple(items),
        accepted_at=local_time(hall, accepted),
        clerk=clerk or actor.full_name or actor.username,
        pickup=pickup,
    )


def _state_label(case: Case, instant: bool) -> str:
    """A case's state as its receipt says it: a 即办件 was finished at the counter."""
    if instant and case.state == CaseState.DELIVERED:
        return "当场办结，结果已当场交付"
    if instant and case.state == CaseState.COMPLETED:
        return "当场办结"
    return CASE_FLOW.label(case.state)


def combined_receipt(db: Database, actor: Actor, case_ids: Sequence[int]) -> Receipt:
    """One receipt for several cases accepted in the same visit."""
    actor.require(Permission.INTAKE)
    with db.read_only() as session:
        cases = [session.get(Case, i) for i in case_ids]
        if not cases or any(c is None or c.case_no is None for c in cases):
            raise NotFound("办件不存在。")
        ok = [c for c in cases if c is not None and c.state != CaseState.REFUSED]
        if not ok:
            raise ValidationError("没有可列入回执的受理件。", "cases")
        return receipt_of(session, actor, ok)


@dataclass(frozen=True)
class CaseSummary:
    """A case as the counter finds it (by scanning the receipt, or in a list)."""

    id: int
    case_no: str | None
    service_code: str
    service_name: str
    applicant_id: int
    applicant_name: str
    applicant_id_masked: str
    state: CaseState
    state_label: str
    due_date: date | None
    current_step: str | None
    deferred_until: date | None
    notice_items: tuple[str, ...]
    documents: tuple[tuple[int, str], ...]  # (document id, kind)


DOCUMENT_LABELS = {
    "receipt": "受理回执",
    "notice": "一次性告知书",
    "refusal": "不予受理通知书",
    "supplement": "补正通知书",
    "decision": "审批结果通知书",
    "delivery": "出件回执",
    "result": "当场办结结果",
    "promise": "容缺受理承诺书",
}


def _summary(session: Session, case: Case) -> CaseSummary:
    sv = session.get(ServiceVersion, case.service_version_id)
    applicant = session.get(Resident, case.applicant_id)
    assert sv is not None and applicant is not None
    docs = session.execute(
        select(CaseDocument.id, CaseDocument.kind)
        .where(CaseDocument.case_id == case.id)
        .order_by(CaseDocument.id)
    ).all()
    return CaseSummary(
        id=case.id,
        case_no=case.case_no,
        service_code=sv.service_type.code,
        service_name=sv.definition.get("name", sv.service_type.name),
        applicant_id=applicant.id,
        applicant_name=applicant.name,
        applicant_id_masked=mask_id(applicant.id_number),
        state=case.state,
        state_label=CASE_FLOW.label(case.state),
        due_date=case.due_date,
        current_step=case.current_step,
        deferred_until=case.deferred_until,
        notice_items=tuple(case.notice_items or ()),
        documents=tuple((d.id, d.kind) for d in docs),
    )


def find_case(db: Database, actor: Actor, case_no: str) -> CaseSummary:
    """The case with this number (what a scanned receipt barcode opens)."""
    actor.require(Permission.INTAKE)
    number = text.clean_query(case_no, "case_no").upper()
    with db.read_only() as session:
        case = session.scalar(select(Case).where(Case.case_no == number))
        if case is None or case.hall_id != actor.hall_id:
            raise NotFound(missing_case(number), "case_no")
        return _summary(session, case)


def drafts_of(db: Database, actor: Actor, applicant_id: int) -> list[CaseSummary]:
    """Drafts kept for this applicant (e.g. after a 一次性告知书), newest first."""
    actor.require(Permission.INTAKE)
    with db.read_only() as session:
        rows = session.scalars(
            select(Case)
            .where(
                Case.applicant_id == applicant_id,
                Case.state == CaseState.DRAFT,
                Case.hall_id == actor.hall_id,
            )
            .order_by(Case.id.desc())
        )
        return [_summary(session, c) for c in rows]


def receipt_again(
    db: Database, actor: Actor, case_id: int, render: Callable[[Receipt], bytes]
) -> tuple[bytes, str]:
    """补打受理回执 made again from the case, for an accepted case with no archived receipt.

    A receipt is rendered and archived after its case commits; a PC killed in between, or
    an archive write that failed, leaves the case without one. This makes it from the case
    as recorded (materials, due date, the clerk who accepted), audits the reprint and
    archives the copy. Returns (PDF bytes, a warning if the archive copy could not be
    kept). Raises NotFound (not in this hall) or Conflict (never accepted: no receipt).
    """
    actor.require(Permission.INTAKE)
    with db.unit_of_work() as session:
        case = session.get(Case, case_id)
        if case is None or case.hall_id != actor.hall_id:
            raise NotFound("该办件不存在。")
        if case.case_no is None or case.accepted_at is None:
            raise Conflict("该办件没有受理，没有受理回执可补打。")
        accepted_by = session.get(User, case.accepted_by_id) if case.accepted_by_id else None
        doc = receipt_of(session, actor, [case], accepted_by.full_name if accepted_by else None)
        audit.record(
            session,
            actor,
            "document_reprinted",
            "case",
            case.id,
            note="受理回执（据办件记录重新生成）",
        )
        session.commit()
    pdf, warning = render_and_keep(db, actor, case_id, "receipt", render, doc)
    assert pdf is not None  # a renderer was given
    return pdf, warning


def document_pdf(db: Database, actor: Actor, document_id: int) -> bytes:
    """A saved document for reprinting (补打); the reprint is audited."""
    if not (actor.can(Permission.INTAKE) or actor.can(Permission.APPROVE)):
        actor.require(Permission.INTAKE)
    with db.unit_of_work() as session:
        doc = session.get(CaseDocument, document_id)
        case = session.get(Case, doc.case_id) if doc else None
        if doc is None or case is None or case.hall_id != actor.hall_id:
            raise NotFound("该文书不存在。")
        label = DOCUMENT_LABELS.get(doc.kind, doc.kind)
        audit.record(session, actor, "document_reprinted", "case", case.id, note=label)
        session.commit()
        return doc.pdf
