"""The steps of a dispute after registration, each one service call through the declared
table (:data:`app.states.MEDIATION_FLOW`): 开始调解, a session recorded, and the outcome —
人民调解协议书 (人民调解法 第二十八–二十九条; 回访 due 7 and 30 days later), 调解不成 (the
parties told of litigation or arbitration, 第二十六条), 撤回.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.models import Agreement, Dispute, FollowUp, Hall, MediationSession
from app.db.session import Database
from app.errors import Conflict, ValidationError
from app.mediation import reading
from app.mediation import rules as mrules
from app.mediation.views import AgreementInput, DisputeView, SessionInput
from app.people.residents import clean_name
from app.roles import Permission
from app.states import MEDIATION_FLOW, FollowUpState, MediationState

M = MediationState
BACKDATE_DAYS = 30  # a session or a signing may be recorded up to 30 days later
PERFORM_DAYS_MAX = 5 * 366  # a performance date later than five years is a typing slip


def _step(
    db: Database,
    actor: Actor,
    dispute_id: int,
    version: int,
    work: Callable[[Session, Hall, Dispute, datetime, date], None],
) -> DisputeView:
    """One step on the locked dispute at ``version``; the view after it."""
    actor.require(Permission.MEDIATE)
    with db.unit_of_work() as session:
        hall = reading.hall_of(session, actor)
        d = reading.dispute_of(session, hall, dispute_id, lock=True)
        if d.version != version:
            raise Conflict("该纠纷已被他人修改，请刷新后再试。")
        now = clock.now(session)
        today = clock.local_day(now, hall.timezone)
        work(session, hall, d, now, today)
        session.commit()
        return reading.dispute_view(session, hall, d, today)


def _move(
    session: Session,
    actor: Actor,
    d: Dispute,
    target: MediationState,
    action: str,
    now: datetime,
    note: str = "",
    **after: object,
) -> None:
    MEDIATION_FLOW.check(d.state, target)
    before = {"state": MEDIATION_FLOW.label(d.state)}
    d.state = target
    audit.record(
        session,
        actor,
        action,
        "dispute",
        d.id,
        before,
        {"state": MEDIATION_FLOW.label(target), **after},
        note,
        at=now,
    )


def _day(value: date, today: date, earliest: date, field: str, label: str) -> date:
    if value > today:
        raise ValidationError(f"{label}不能晚于今天。", field)
    if value < earliest:
        raise ValidationError(f"{label}不能早于 {earliest.isoformat()}。", field)
    return value


def start(db: Database, actor: Actor, dispute_id: int, version: int) -> DisputeView:
    """开始调解 (登记 → 调解中). Raises Conflict for any other state."""

    def work(s: Session, _h: Hall, d: Dispute, now: datetime, _t: date) -> None:
        _move(s, actor, d, M.MEDIATING, "dispute_started", now)

    return _step(db, actor, dispute_id, version, work)


def add_session(
    db: Database, actor: Actor, dispute_id: int, version: int, inp: SessionInput
) -> DisputeView:
    """A session held (only while 调解中): day within the last 30 days and not before the
    registration, at least one mediator (name and role of :data:`rules.ROLES`), the record.
    Raises ValidationError ("held_on", "mediators", "place", "record"), Conflict."""
    if not inp.mediators:
        raise ValidationError("请填写主持调解的人员。", "mediators")
    mediators = []
    for m in inp.mediators:
        if m.role not in mrules.ROLES:
            raise ValidationError("请选择调解人员的身份。", "mediators")
        mediators.append({"name": clean_name(m.name, "mediators"), "role": m.role})
    if not any(m["role"] == "调解员" for m in mediators):
        raise ValidationError("至少一名调解员主持调解。", "mediators")
    place = free_text.clean_line(inp.place, "place", "地点", 100)
    record = free_text.clean_long(inp.record, "record", "调解记录", 8000, 10)

    def work(s: Session, _h: Hall, d: Dispute, now: datetime, today: date) -> None:
        if d.state != M.MEDIATING:
            raise Conflict(f"纠纷当前状态为“{MEDIATION_FLOW.label(d.state)}”，不能登记调解过程。")
        earliest = max(d.registered_on, today.fromordinal(today.toordinal() - BACKDATE_DAYS))
        held = _day(inp.held_on, today, earliest, "held_on", "调解日期")
        s.add(
            MediationSession(
                dispute_id=d.id,
                held_on=held,
                place=place,
                level=d.level,
                mediators=mediators,
                record=record,
                recorded_by_id=actor.user_id,
                recorded_at=now,
            )
        )
        after = {"held_on": held.isoformat(), "mediators": [m["name"] for m in mediators]}
        audit.record(s, actor, "dispute_session", "dispute", d.id, after=after, at=now)

    return _step(db, actor, dispute_id, version, work)


def agree(
    db: Database, actor: Actor, dispute_id: int, version: int, inp: AgreementInput
) -> DisputeView:
    """调解达成协议 (调解中 → 已达成协议): the 人民调解协议书's fields (人民调解法 第二十九条);
    its mediators are those of the sessions; 回访 are due 7 and 30 days after ``signed_on``.
    Needs at least one session. Raises ValidationError naming the field, Conflict."""
    facts = free_text.clean_long(inp.facts, "facts", "纠纷的主要事实", 4000, 10)
    issues = free_text.clean_long(inp.issues, "issues", "争议事项", 2000, 4)
    liability = free_text.clean_long(inp.liability, "liability", "各方当事人的责任", 2000, 4)
    terms = free_text.clean_long(inp.terms, "terms", "协议内容", 4000, 10)
    way = free_text.clean_line(inp.performance_way, "performance_way", "履行方式", 200, 2)

    def work(s: Session, _h: Hall, d: Dispute, now: datetime, today: date) -> None:
        MEDIATION_FLOW.check(d.state, M.AGREED)
        held = list(s.scalars(select(MediationSession).where(MediationSession.dispute_id == d.id)))
        if not held:
            raise Conflict("请先登记调解过程，再登记调解协议。")
        first = min(x.held_on for x in held)
        signed = _day(inp.signed_on, today, first, "signed_on", "签订日期")
        if inp.perform_by < signed:
            raise ValidationError("履行期限不能早于协议签订日期。", "perform_by")
        if inp.perform_by > signed + timedelta(days=PERFORM_DAYS_MAX):
            raise ValidationError("履行期限不能晚于签订后五年，请核对日期。", "perform_by")
        names: list[str] = []
        for x in sorted(held, key=lambda x: (x.held_on, x.id)):
            names += [m["name"] for m in x.mediators if m["name"] not in names]
        s.add(
            Agreement(
                dispute_id=d.id,
                facts=facts,
                issues=issues,
                liability=liability,
                terms=terms,
                performance_way=way,
                perform_by=inp.perform_by,
                signed_on=signed,
                mediators=names,
                created_by_id=actor.user_id,
                created_at=now,
            )
        )
        for kind in mrules.FOLLOW_UPS:
            s.add(
                FollowUp(
                    dispute_id=d.id,
                    kind=kind,
                    due_on=mrules.follow_up_due(signed, kind),
                    state=FollowUpState.DUE,
                    performance="",
                    note="",
                )
            )
        d.ended_on = signed
        _move(s, actor, d, M.AGREED, "dispute_agreed", now, signed_on=signed.isoformat())

    return _step(db, actor, dispute_id, version, work)


def fail(
    db: Database, actor: Actor, dispute_id: int, version: int, note: str, told: bool
) -> DisputeView:
    """调解不成 (调解中 → 调解不成): why, and the parties told of litigation or arbitration
    (人民调解法 第二十六条; ``told`` must be True). Raises ValidationError ("note", "told")."""
    note = free_text.clean_long(note, "note", "调解不成的原因", 1000, 4)
    if not told:
        raise ValidationError("请先告知当事人可依法通过仲裁、行政、司法等途径解决。", "told")

    def work(s: Session, _h: Hall, d: Dispute, now: datetime, today: date) -> None:
        d.outcome_note, d.ended_on = note, today
        _move(s, actor, d, M.FAILED, "dispute_failed", now, note)

    return _step(db, actor, dispute_id, version, work)


def withdraw(db: Database, actor: Actor, dispute_id: int, version: int, reason: str) -> DisputeView:
    """撤回 (登记 or 调解中 → 已撤回), with the reason. Raises ValidationError ("reason")."""
    reason = free_text.clean_line(reason, "reason", "撤回原因", 500, 2)

    def work(s: Session, _h: Hall, d: Dispute, now: datetime, today: date) -> None:
        d.outcome_note, d.ended_on = reason, today
        _move(s, actor, d, M.WITHDRAWN, "dispute_withdrawn", now, reason)

    return _step(db, actor, dispute_id, version, work)
