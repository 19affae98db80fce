"""Mediation rows as views and snapshots. Reading only; the callers own the transaction."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import (
    Agreement,
    Dispute,
    DisputeParty,
    FollowUp,
    Hall,
    LevelStep,
    MediationSession,
    User,
)
from app.errors import NotFound, PermissionDenied
from app.ids import mask_id, mask_phone, parse_resident_id
from app.mediation import rules as mrules
from app.mediation.views import (
    AgreementDoc,
    AgreementView,
    DisputeRow,
    DisputeView,
    FollowUpView,
    Mediator,
    PartyDoc,
    PartyView,
    SessionView,
    StepView,
)
from app.states import (
    MEDIATION_FLOW,
    MEDIATION_LEVEL_FLOW,
    FollowUpState,
    MediationLevel,
    MediationState,
)

M = MediationState
RUNNING = (M.REGISTERED, M.MEDIATING)  # the level's clock runs
PARTY_LABELS = "甲乙丙丁戊己庚辛壬癸"


def party_label(position: int) -> str:
    """当事人甲, 乙 … (then 当事人11 …)."""
    return f"当事人{PARTY_LABELS[position - 1] if position <= len(PARTY_LABELS) else position}"


def local(moment: datetime, zone: str) -> str:
    """A stored UTC moment as the hall's ``YYYY-MM-DD HH:MM``."""
    return (
        moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    )


def hall_of(session: Session, actor: Actor) -> Hall:
    """The actor's hall (PermissionDenied for an actor of no hall)."""
    hall = session.get(Hall, actor.hall_id) if actor.hall_id is not None else None
    if hall is None:
        raise PermissionDenied("未指定大厅。")
    return hall


def dispute_of(session: Session, hall: Hall, dispute_id: int, lock: bool = False) -> Dispute:
    """The hall's dispute ``dispute_id`` (NotFound otherwise); ``lock``: FOR UPDATE."""
    found = session.get(Dispute, dispute_id, with_for_update=lock)
    if found is None or found.hall_id != hall.id:
        raise NotFound("该纠纷不存在。")
    return found


def parties_of(session: Session, dispute_id: int) -> list[DisputeParty]:
    """The dispute's parties in order."""
    return list(
        session.scalars(
            select(DisputeParty)
            .where(DisputeParty.dispute_id == dispute_id)
            .order_by(DisputeParty.position)
        )
    )


def days_left(dispute: Dispute, today: date) -> int | None:
    """Days left of the level's limit (negative: overdue); None when no clock runs."""
    return (dispute.level_due_on - today).days if dispute.state in RUNNING else None


def row_of(dispute: Dispute, names: list[str], today: date) -> DisputeRow:
    """A list row."""
    return DisputeRow(
        id=dispute.id,
        number=dispute.number,
        kind_label=mrules.rules().kinds.get(dispute.kind, dispute.kind),
        parties="、".join(names),
        level_label=MEDIATION_LEVEL_FLOW.label(dispute.level),
        state=dispute.state.value,
        state_label=MEDIATION_FLOW.label(dispute.state),
        level_due_on=dispute.level_due_on,
        days_left=days_left(dispute, today),
        repeat=dispute.repeat_of_id is not None,
        registered_on=dispute.registered_on,
    )


def _agreement_view(a: Agreement, today: date) -> AgreementView:
    by = mrules.confirm_by(a.signed_on)
    return AgreementView(
        facts=a.facts,
        issues=a.issues,
        liability=a.liability,
        terms=a.terms,
        performance_way=a.performance_way,
        perform_by=a.perform_by,
        signed_on=a.signed_on,
        confirm_by=by,
        confirm_days_left=(by - today).days,
        mediators=tuple(a.mediators),
    )


def agreement_of(session: Session, dispute_id: int) -> Agreement | None:
    """The dispute's agreement, if one was signed."""
    return session.scalar(select(Agreement).where(Agreement.dispute_id == dispute_id))


def dispute_view(session: Session, hall: Hall, d: Dispute, today: date) -> DisputeView:
    """The whole dispute."""
    users = dict(
        session.execute(select(User.id, User.full_name).where(User.hall_id == hall.id)).all()
    )
    sessions = session.scalars(
        select(MediationSession)
        .where(MediationSession.dispute_id == d.id)
        .order_by(MediationSession.held_on, MediationSession.id)
    )
    steps = session.scalars(
        select(LevelStep).where(LevelStep.dispute_id == d.id).order_by(LevelStep.id)
    )
    visits = session.scalars(
        select(FollowUp).where(FollowUp.dispute_id == d.id).order_by(FollowUp.due_on)
    )
    agreement = agreement_of(session, d.id)
    earlier = session.get(Dispute, d.repeat_of_id) if d.repeat_of_id else None
    running = d.state in RUNNING
    return DisputeView(
        id=d.id,
        number=d.number,
        kind=d.kind,
        kind_label=mrules.rules().kinds.get(d.kind, d.kind),
        facts=d.facts,
        grid=d.grid,
        level=d.level.value,
        level_label=MEDIATION_LEVEL_FLOW.label(d.level),
        level_due_on=d.level_due_on,
        days_left=(d.level_due_on - today).days,
        state=d.state.value,
        state_label=MEDIATION_FLOW.label(d.state),
        registered_on=d.registered_on,
        repeat_of=earlier.number if earlier else "",
        outcome_note=d.outcome_note,
        parties=tuple(
            PartyView(
                p.position,
                p.name,
                mask_id(p.id_number),
                mask_phone(p.phone) if p.phone else "",
                p.address,
                p.claim,
            )
            for p in parties_of(session, d.id)
        ),
        sessions=tuple(
            SessionView(
                s.held_on,
                s.place,
                MEDIATION_LEVEL_FLOW.label(s.level),
                tuple(Mediator(m["name"], m["role"]) for m in s.mediators),
                s.record,
            )
            for s in sessions
        ),
        steps=tuple(
            StepView(
                on=local(s.at, hall.timezone),
                from_label=MEDIATION_LEVEL_FLOW.label(s.from_level) if s.from_level else "",
                to_label=MEDIATION_LEVEL_FLOW.label(s.to_level),
                due_on=s.due_on,
                reason=s.reason,
                by="系统" if s.by_system else users.get(s.actor_id or 0, ""),
            )
            for s in steps
        ),
        agreement=_agreement_view(agreement, today) if agreement else None,
        follow_ups=tuple(
            FollowUpView(
                kind=v.kind,
                label=mrules.FOLLOW_UP_LABELS.get(v.kind, v.kind),
                due_on=v.due_on,
                done_on=v.done_on,
                performance_label=mrules.PERFORMANCE.get(v.performance, "")
                if v.state == FollowUpState.DONE
                else "",
                note=v.note,
            )
            for v in visits
        ),
        version=d.version,
        today=today,
        can_escalate=running and bool(MEDIATION_LEVEL_FLOW.allowed(d.level)),
        allowed=tuple(sorted(s.value for s in MEDIATION_FLOW.allowed(d.state))),
    )


def committee_name(hall: Hall, level: MediationLevel) -> str:
    """Who mediated, as the agreement names it (the hall's name and the level's body)."""
    body = {
        MediationLevel.GRID: "人民调解委员会（网格调解）",
        MediationLevel.COMMUNITY: "人民调解委员会",
        MediationLevel.STREET: "综治中心（联合调解）",
    }[level]
    return f"{hall.name}{body}"


def agreement_doc(session: Session, hall: Hall, d: Dispute, a: Agreement) -> AgreementDoc:
    """The snapshot the agreement (and the 司法确认申请书) print from."""
    parties = []
    for p in parties_of(session, d.id):
        rid = parse_resident_id(p.id_number, a.signed_on)
        parties.append(
            PartyDoc(
                label=party_label(p.position),
                name=p.name,
                gender=rid.gender,
                age=rid.age_on(a.signed_on),
                id_masked=mask_id(p.id_number),
                phone_masked=mask_phone(p.phone) if p.phone else "",
                address=p.address,
            )
        )
    return AgreementDoc(
        committee=committee_name(hall, d.level),
        number=d.number,
        kind_label=mrules.rules().kinds.get(d.kind, d.kind),
        parties=tuple(parties),
        facts=a.facts,
        issues=a.issues,
        liability=a.liability,
        terms=a.terms,
        performance_way=a.performance_way,
        perform_by=a.perform_by,
        signed_on=a.signed_on,
        mediators=tuple(a.mediators),
        confirm_by=mrules.confirm_by(a.signed_on),
    )
