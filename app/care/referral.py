"""A need found on a visit that belongs to a counter service (高龄津贴, 残疾人两项补贴)
becomes a draft application (暂存件) for that resident at the counter, in one action.

The counter finds it where it finds every draft of an applicant (``cases.drafts_of``): the
clerk opens it, fills the form with the person and accepts or hands over the notice as for
any draft. The draft carries where it came from in its notice lines.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.care import rules
from app.db.models import CareProfile, CareVisit, Case, Hall, ServiceType, ServiceVersion
from app.errors import NotFound
from app.states import CASE_FLOW, CaseState


def draft_for(
    session: Session,
    actor: Actor,
    hall: Hall,
    resident_id: int,
    service_code: str,
    visit: CareVisit,
) -> int:
    """A draft of ``service_code`` (as in force) for the resident; returns the case id.
    A draft of that service already waiting for the resident is used again (the counter
    resumes one draft per service), with this visit's line added.

    Raises NotFound when the service is not in the catalog or no longer offered.
    """
    row = session.execute(
        select(ServiceType.id, ServiceVersion.id, ServiceType.active, ServiceType.name)
        .join(
            ServiceVersion,
            (ServiceVersion.service_type_id == ServiceType.id)
            & (ServiceVersion.version == ServiceType.current_version),
        )
        .where(ServiceType.code == service_code)
    ).first()
    if row is None or not row[2]:
        raise NotFound(
            f"事项“{rules.REFERRALS.get(service_code, service_code)}”已停用，请到窗口咨询。",
            "refer",
        )
    note = (
        f"社区探访转来：{visit.visitor_name} {visit.visit_day.isoformat()} "
        f"{rules.MODES.get(visit.mode, visit.mode)}时了解到申请需求，请核实后受理"
    )
    waiting = session.scalar(  # raised before and not yet taken up: the same draft
        select(Case)
        .where(
            Case.hall_id == hall.id,
            Case.applicant_id == resident_id,
            Case.state == CaseState.DRAFT,
            Case.service_version_id.in_(
                select(ServiceVersion.id).where(ServiceVersion.service_type_id == row[0])
            ),
        )
        .order_by(Case.id.desc())
        .limit(1)
    )
    if waiting is not None:
        waiting.notice_items = [*waiting.notice_items, note]
        added = {"visit": visit.id}
        audit.record(
            session, actor, "case_draft_from_visit", "case", waiting.id, after=added, note=note
        )
        return waiting.id
    case = Case(
        hall_id=hall.id,
        service_version_id=row[1],
        applicant_id=resident_id,
        state=CaseState.DRAFT,
        created_at=visit.recorded_at,
        form_data={},
        notice_items=[note],
    )
    session.add(case)
    session.flush()
    after = {"state": CaseState.DRAFT.value, "visit": visit.id}
    audit.record(session, actor, "case_draft_from_visit", "case", case.id, after=after, note=note)
    return case.id


def withdraw_drafts(session: Session, actor: Actor, profile: CareProfile, reason: str) -> list[int]:
    """撤回 the drafts visits raised for the person that the counter has not taken up
    (the person died); returns their ids. Audited per case."""
    ids = session.scalars(
        select(CareVisit.draft_case_id).where(
            CareVisit.profile_id == profile.id, CareVisit.draft_case_id.is_not(None)
        )
    ).all()
    withdrawn = []
    for case in session.scalars(
        select(Case).where(Case.id.in_(ids), Case.state == CaseState.DRAFT)
    ):
        CASE_FLOW.check(case.state, CaseState.WITHDRAWN)
        case.state = CaseState.WITHDRAWN
        before, after = {"state": CaseState.DRAFT.value}, {"state": CaseState.WITHDRAWN.value}
        audit.record(session, actor, "case_withdrawn", "case", case.id, before, after, reason)
        withdrawn.append(case.id)
    return withdrawn
