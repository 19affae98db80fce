"""What the mediator reads: the dispute list (with days left of each level's limit), one
dispute, the 回访 due, the 化解率 of a period, and the snapshots to print (their printing audited)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.db import clock
from app.db.models import Dispute, DisputeParty, FollowUp
from app.db.session import Database
from app.errors import Conflict
from app.mediation import reading
from app.mediation import rules as mrules
from app.mediation.views import (
    AgreementDoc,
    ConfirmationDoc,
    DisputeRow,
    DisputeView,
    DueVisit,
    Resolution,
)
from app.roles import Permission
from app.states import FollowUpState, MediationState

LIST_MAX = 500
SOON_DAYS = 3  # the due list shows visits due within 3 days, and every overdue one
RESOLVED = ("performing", "performed")  # still being performed at the one-month visit


def _names(session: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for dispute_id, name in session.execute(
        select(DisputeParty.dispute_id, DisputeParty.name)
        .where(DisputeParty.dispute_id.in_(ids))
        .order_by(DisputeParty.dispute_id, DisputeParty.position)
    ):
        out.setdefault(dispute_id, []).append(name)
    return out


def list_disputes(
    db: Database, actor: Actor, open_only: bool = True
) -> tuple[date, list[DisputeRow]]:
    """The hall's disputes (``open_only``: registered, mediating, agreed), the ones with
    the least time left first; and the hall's today."""
    actor.require(Permission.VIEW_MEDIATION)
    with db.read_only() as session:
        hall = reading.hall_of(session, actor)
        today = clock.service_day(session, hall)
        q = select(Dispute).where(Dispute.hall_id == hall.id)
        if open_only:
            q = q.where(Dispute.state.in_((*reading.RUNNING, MediationState.AGREED)))
        found = list(session.scalars(q.order_by(Dispute.id.desc()).limit(LIST_MAX)))
        names = _names(session, [d.id for d in found])
        rows = [reading.row_of(d, names.get(d.id, []), today) for d in found]
        rows.sort(key=lambda r: (r.days_left is None, r.days_left or 0, -r.id))
        return today, rows


def open_dispute(db: Database, actor: Actor, dispute_id: int) -> DisputeView:
    """One dispute, whole. Raises NotFound."""
    actor.require(Permission.VIEW_MEDIATION)
    with db.read_only() as session:
        hall = reading.hall_of(session, actor)
        d = reading.dispute_of(session, hall, dispute_id)
        return reading.dispute_view(session, hall, d, clock.service_day(session, hall))


def due_visits(db: Database, actor: Actor) -> list[DueVisit]:
    """回访 not yet made of agreed disputes, due within 3 days or overdue, earliest first."""
    actor.require(Permission.VIEW_MEDIATION)
    with db.read_only() as session:
        hall = reading.hall_of(session, actor)
        today = clock.service_day(session, hall)
        rows = session.execute(
            select(FollowUp, Dispute.number)
            .join(Dispute, Dispute.id == FollowUp.dispute_id)
            .where(
                Dispute.hall_id == hall.id,
                Dispute.state == MediationState.AGREED,
                FollowUp.state == FollowUpState.DUE,
                FollowUp.due_on <= today + timedelta(days=SOON_DAYS),
            )
            .order_by(FollowUp.due_on, FollowUp.id)
        ).all()
        names = _names(session, [v.dispute_id for v, _n in rows])
        return [
            DueVisit(
                v.dispute_id,
                number,
                "、".join(names.get(v.dispute_id, [])),
                v.kind,
                mrules.FOLLOW_UP_LABELS[v.kind],
                v.due_on,
                (v.due_on - today).days,
            )
            for v, number in rows
        ]


def resolution(db: Database, actor: Actor, first: date, last: date) -> Resolution:
    """化解率 of the disputes registered from ``first`` to ``last`` (hall-local days,
    inclusive): accepted = every dispute registered (withdrawn ones included); resolved =
    those whose one-month 回访 found the agreement 履行中 or 已履行完毕."""
    actor.require(Permission.VIEW_MEDIATION)
    with db.read_only() as session:
        hall = reading.hall_of(session, actor)
        period = (
            Dispute.hall_id == hall.id,
            Dispute.registered_on >= first,
            Dispute.registered_on <= last,
        )
        accepted = session.scalar(select(func.count(Dispute.id)).where(*period)) or 0
        agreed = (
            session.scalar(
                select(func.count(Dispute.id)).where(
                    *period, Dispute.state.in_((MediationState.AGREED, MediationState.CLOSED))
                )
            )
            or 0
        )
        resolved = (
            session.scalar(
                select(func.count(Dispute.id))
                .join(FollowUp, FollowUp.dispute_id == Dispute.id)
                .where(
                    *period,
                    FollowUp.kind == "month",
                    FollowUp.state == FollowUpState.DONE,
                    FollowUp.performance.in_(RESOLVED),
                )
            )
            or 0
        )
        return Resolution(first, last, int(accepted), int(agreed), int(resolved))


def _printed(db: Database, actor: Actor, dispute_id: int, action: str) -> AgreementDoc:
    """The agreement's snapshot, its printing audited (the papers carry the parties' data)."""
    actor.require(Permission.MEDIATE)
    with db.unit_of_work() as session:
        hall = reading.hall_of(session, actor)
        d = reading.dispute_of(session, hall, dispute_id)
        a = reading.agreement_of(session, d.id)
        if a is None:
            raise Conflict("该纠纷没有调解协议。")
        doc = reading.agreement_doc(session, hall, d, a)
        audit.record(session, actor, action, "dispute", d.id, at=clock.now(session))
        session.commit()
        return doc


def agreement_doc(db: Database, actor: Actor, dispute_id: int) -> AgreementDoc:
    """The 人民调解协议书's snapshot (printing it is audited). Raises Conflict (no
    agreement), NotFound."""
    return _printed(db, actor, dispute_id, "dispute_agreement_printed")


def confirmation_doc(db: Database, actor: Actor, dispute_id: int) -> ConfirmationDoc:
    """The 司法确认申请书's snapshot (printing it is audited). Raises Conflict (no
    agreement), NotFound."""
    doc = _printed(db, actor, dispute_id, "dispute_confirmation_printed")
    claims = (
        f"请求确认申请人于 {doc.signed_on.year} 年 {doc.signed_on.month} 月 {doc.signed_on.day} 日"
        f"经{doc.committee}主持调解达成的人民调解协议（编号 {doc.number}）有效。"
    )
    return ConfirmationDoc(doc, claims)
