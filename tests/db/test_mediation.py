"""矛盾纠纷调解 (issue 19 §2, services), on both backends with a fixed clock: a dispute from
registration to the one-month 回访; every step the declared tables refuse is refused; the
escalation by time limit (housekeeping, idempotent); 回访 due dates; the repeat flag; the
化解率 on a fixed set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.actor import Actor
from app.db import clock
from app.db.models import AuditEvent
from app.db.session import Database
from app.errors import Conflict, PermissionDenied, ValidationError
from app.mediation import escalation, follow_ups, lists, outcomes, registry
from app.mediation.views import (
    AgreementInput,
    DisputeInput,
    DisputeView,
    Mediator,
    PartyInput,
    SessionInput,
)
from app.roles import Role
from app.states import MEDIATION_FLOW, MediationState
from tests.helpers.people import actor, id_number

S = MediationState
START = datetime(2026, 10, 29, 2, 0)  # Thursday 29 October 2026, 10:00 in Beijing
DAY0 = date(2026, 10, 29)
A = PartyInput(
    "张大山", id_number(date(1970, 3, 1), 1), "13800138000", "幸福路 3 号", "对方赔偿漏水损失"
)
B = PartyInput(
    "李小河", id_number(date(1985, 6, 2), 2, female=True), "", "幸福路 5 号", "只愿修好管道"
)
C = PartyInput("王五", id_number(date(1990, 1, 9), 3), "", "", "要求停止噪音")


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    moment = [START]
    monkeypatch.setattr(clock, "now", lambda _s: moment[0])

    def move(to: datetime) -> None:
        moment[0] = to

    return move


def _mediator(db: Database) -> Actor:
    return actor(db, "mediator", Role.MEDIATOR)


def _dispute(db: Database, who: Actor, level: str = "grid", parties=(A, B)) -> DisputeView:  # type: ignore[no-untyped-def]
    return registry.register(
        db,
        who,
        DisputeInput("LL", "楼上卫生间漏水，楼下天花板受损，双方协商未果。", level, parties),
    )


SESSION = SessionInput(
    DAY0,
    (Mediator("周建国", "调解员"), Mediator("陈老伯", "乡贤")),
    "双方陈述了漏水经过，乡贤劝说双方各让一步。",
)
AGREE = AgreementInput(
    "楼上卫生间防水层老化漏水，致楼下天花板受损。",
    "损失赔偿数额与维修责任",
    "楼上对漏水负主要责任，楼下未及时告知物业负次要责任。",
    "张大山于十日内修复防水层并赔偿李小河损失人民币二千元。",
    "现金一次性支付",
    DAY0 + timedelta(days=10),
    DAY0,
)


def _agreed(db: Database, who: Actor) -> DisputeView:
    v = _dispute(db, who)
    v = outcomes.start(db, who, v.id, v.version)
    v = outcomes.add_session(db, who, v.id, v.version, SESSION)
    return outcomes.agree(db, who, v.id, v.version, AGREE)


def test_a_dispute_from_registration_to_the_month_visit(
    db: Database, at: Callable[[datetime], None]
) -> None:
    who = _mediator(db)
    v = _dispute(db, who)
    assert v.number.startswith("DEMO-TJ20261029-")
    assert (v.state, v.level, v.level_due_on, v.days_left) == (
        "registered",
        "grid",
        date(2026, 11, 5),
        7,
    )
    assert v.parties[0].id_masked.count("*") > 0 and v.repeat_of == ""
    v = outcomes.start(db, who, v.id, v.version)
    v = outcomes.add_session(db, who, v.id, v.version, SESSION)
    assert v.sessions[0].mediators[1] == Mediator("陈老伯", "乡贤")
    v = outcomes.agree(db, who, v.id, v.version, AGREE)
    assert v.state == "agreed" and v.agreement is not None
    assert v.agreement.confirm_by == date(2026, 11, 28) and v.agreement.confirm_days_left == 30
    assert v.agreement.mediators == ("周建国", "陈老伯")
    assert [(f.kind, f.due_on) for f in v.follow_ups] == [
        ("week", date(2026, 11, 5)),
        ("month", date(2026, 11, 28)),
    ]
    with pytest.raises(Conflict, match="前后进行"):  # not due yet
        follow_ups.record_follow_up(db, who, v.id, v.version, "week", "performing")
    at(START + timedelta(days=7))
    assert [d.kind for d in lists.due_visits(db, who)] == ["week"]
    v = follow_ups.record_follow_up(db, who, v.id, v.version, "week", "performing", "已修好防水层")
    with pytest.raises(Conflict):  # recorded once
        follow_ups.record_follow_up(db, who, v.id, v.version, "week", "performing")
    at(START + timedelta(days=30))
    assert [d.kind for d in lists.due_visits(db, who)] == ["month"]
    v = follow_ups.record_follow_up(db, who, v.id, v.version, "month", "performed")
    assert v.state == "closed" and v.follow_ups[1].performance_label == "已履行完毕"
    assert lists.due_visits(db, who) == []
    with db.read_only() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.entity == "dispute")))
    assert actions == [
        "dispute_registered",
        "dispute_started",
        "dispute_session",
        "dispute_agreed",
        "dispute_follow_up",
        "dispute_follow_up",
    ]


def _in_state(db: Database, who: Actor, state: S) -> DisputeView:
    v = _dispute(db, who)
    if state == S.REGISTERED:
        return v
    if state == S.WITHDRAWN:
        return outcomes.withdraw(db, who, v.id, v.version, "双方已自行和解")
    v = outcomes.start(db, who, v.id, v.version)
    if state == S.MEDIATING:
        return v
    if state == S.FAILED:
        return outcomes.fail(db, who, v.id, v.version, "双方分歧过大", told=True)
    v = outcomes.add_session(db, who, v.id, v.version, SESSION)
    v = outcomes.agree(db, who, v.id, v.version, AGREE)
    if state == S.AGREED:
        return v
    assert state == S.CLOSED
    with db.unit_of_work() as s:  # the month visit, made on the fixed clock's day
        from app.db.models import FollowUp

        for f in s.scalars(select(FollowUp).where(FollowUp.dispute_id == v.id)):
            f.due_on = DAY0
        s.commit()
    v = follow_ups.record_follow_up(db, who, v.id, v.version, "week", "performing")
    return follow_ups.record_follow_up(db, who, v.id, v.version, "month", "performing")


def _try(db: Database, who: Actor, v: DisputeView, target: S) -> DisputeView:
    if target == S.MEDIATING:
        return outcomes.start(db, who, v.id, v.version)
    if target == S.AGREED:
        if v.state == "mediating":
            v = outcomes.add_session(db, who, v.id, v.version, SESSION)
        return outcomes.agree(db, who, v.id, v.version, AGREE)
    if target == S.FAILED:
        return outcomes.fail(db, who, v.id, v.version, "双方分歧过大", told=True)
    if target == S.WITHDRAWN:
        return outcomes.withdraw(db, who, v.id, v.version, "不再调解")
    if target == S.CLOSED:
        return follow_ups.record_follow_up(db, who, v.id, v.version, "month", "performing")
    raise AssertionError(target)


@pytest.mark.parametrize("source", list(S), ids=str)
def test_every_step_the_table_refuses_is_refused(
    db: Database, at: Callable[[datetime], None], source: S
) -> None:
    who = _mediator(db)
    for target in S:
        if target == S.REGISTERED:
            continue  # registration makes a new dispute; nothing returns to it
        v = _in_state(db, who, source)
        assert v.state == source.value
        if target in MEDIATION_FLOW.allowed(source):
            if target == S.CLOSED:
                continue  # made by _in_state(CLOSED) above
            assert _try(db, who, v, target).state == target.value
        else:
            with pytest.raises(Conflict):
                _try(db, who, v, target)
            assert lists.open_dispute(db, who, v.id).state == source.value
    v = _in_state(db, who, source)
    if source in (S.REGISTERED, S.MEDIATING):
        escalation.escalate(db, who, v.id, v.version, "案情复杂需社区调委会处理")
    else:
        with pytest.raises(Conflict):
            escalation.escalate(db, who, v.id, v.version, "案情复杂需社区调委会处理")
    if source != S.MEDIATING:  # a session only while mediating
        with pytest.raises(Conflict):
            outcomes.add_session(db, who, v.id, lists.open_dispute(db, who, v.id).version, SESSION)


def test_escalation_by_time_limit_and_by_the_mediator(
    db: Database, at: Callable[[datetime], None]
) -> None:
    who = _mediator(db)
    clerk = actor(db, "clerk", Role.CLERK)
    v = _dispute(db, who)
    late = _agreed(db, who)
    at(START + timedelta(days=7))  # the grid's last day: not yet overdue
    assert escalation.escalate_overdue(db, who.hall_id) == []
    at(START + timedelta(days=8))
    # any PC's housekeeping round (ui.main_window.housekeeping_round), audited as the system
    assert escalation.escalate_overdue(db, clerk.hall_id) == [v.number]
    moved = lists.open_dispute(db, who, v.id)
    assert (moved.level, moved.level_due_on) == ("community", date(2026, 11, 21))
    assert moved.steps[-1].by == "系统" and "7 日" in moved.steps[-1].reason
    assert lists.open_dispute(db, who, late.id).level == "grid"  # agreed: no clock
    assert escalation.escalate_overdue(db, who.hall_id) == []  # idempotent
    with pytest.raises(ValidationError) as short:
        escalation.escalate(db, who, v.id, moved.version, "太难")
    assert short.value.field == "reason"
    with pytest.raises(PermissionDenied):
        escalation.escalate(db, clerk, v.id, moved.version, "需要街道联合调解")
    top = escalation.escalate(db, who, v.id, moved.version, "需要街道联合调解")
    assert (top.level, top.level_due_on, top.can_escalate) == ("street", date(2026, 12, 6), False)
    assert [s.to_label for s in top.steps] == ["网格调解", "社区调解委员会", "街道综治中心"]
    with pytest.raises(Conflict):
        escalation.escalate(db, who, v.id, top.version, "还要再往上")
    at(START + timedelta(days=60))
    assert escalation.escalate_overdue(db, who.hall_id) == []  # the top level stays, overdue
    assert lists.open_dispute(db, who, v.id).days_left < 0
    with db.read_only() as s:
        system = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "dispute_escalated_by_limit")
        ).one()
    assert system.actor_id is None and system.actor_name == "系统"


def test_registration_checks_and_the_repeat_flag(
    db: Database, at: Callable[[datetime], None]
) -> None:
    who = _mediator(db)
    with pytest.raises(ValidationError) as one:
        _dispute(db, who, parties=(A,))
    assert one.value.field == "parties"
    bad = PartyInput("赵六", "110105199001011234", "", "", "要求赔偿")
    with pytest.raises(ValidationError, match="当事人乙") as wrong:
        _dispute(db, who, parties=(A, bad))
    assert wrong.value.field == "parties"
    with pytest.raises(ValidationError, match="相同"):
        _dispute(db, who, parties=(A, A))
    with pytest.raises(ValidationError) as party:
        registry.clean_party(PartyInput("赵六", A.id_number, "12345", "", "要求赔偿"))
    assert party.value.field == "phone"
    with pytest.raises(PermissionDenied):
        _dispute(db, actor(db, "supervisor", Role.SUPERVISOR))
    first = _dispute(db, who)
    other = _dispute(db, who, parties=(A, C))
    assert first.repeat_of == "" and other.repeat_of == ""
    again = _dispute(db, who, parties=(B, A))
    assert again.repeat_of == first.number
    three = _dispute(db, who, parties=(A, B, C))  # two of them had a dispute: a repeat
    assert three.repeat_of == again.number
    rows = lists.list_disputes(db, actor(db, "supervisor", Role.SUPERVISOR))[1]
    assert [r.repeat for r in rows if r.id == again.id] == [True]


def test_resolution_rate_on_a_fixed_set(db: Database, at: Callable[[datetime], None]) -> None:
    who = _mediator(db)
    kept = _agreed(db, who)  # month visit: being performed → resolved
    done = _agreed(db, who)  # month visit: performed → resolved
    broken = _agreed(db, who)  # month visit: not performed → not resolved
    _agreed(db, who)  # agreed, month visit not yet made → not resolved
    failed = _dispute(db, who)
    outcomes.withdraw(db, who, failed.id, failed.version, "双方自行和解")
    at(START + timedelta(days=30))
    for v, how in ((kept, "performing"), (done, "performed"), (broken, "not_performed")):
        with pytest.raises(ValidationError) as first:  # the week's visit comes first
            follow_ups.record_follow_up(db, who, v.id, v.version, "month", how, "对方拒不赔偿")
        assert first.value.field == "kind"
        v = follow_ups.record_follow_up(db, who, v.id, v.version, "week", "performing")
        follow_ups.record_follow_up(db, who, v.id, v.version, "month", how, "对方拒不赔偿")
    _dispute(db, who, parties=(A, C))  # registered on 28 November: another month
    nov = lists.resolution(db, who, date(2026, 10, 1), date(2026, 10, 31))
    assert (nov.accepted, nov.agreed, nov.resolved) == (5, 4, 2)
    assert nov.rate == pytest.approx(0.4)
    empty = lists.resolution(db, who, date(2026, 9, 1), date(2026, 9, 30))
    assert empty.accepted == 0 and empty.rate is None


def test_agreement_and_outcome_fields_are_checked(
    db: Database, at: Callable[[datetime], None]
) -> None:
    who = _mediator(db)
    v = _dispute(db, who)
    v = outcomes.start(db, who, v.id, v.version)
    with pytest.raises(Conflict, match="先登记调解过程"):
        outcomes.agree(db, who, v.id, v.version, AGREE)
    with pytest.raises(ValidationError) as lone:
        outcomes.add_session(
            db,
            who,
            v.id,
            v.version,
            SessionInput(DAY0, (Mediator("陈老伯", "乡贤"),), "只有乡贤在场调解了一次"),
        )
    assert lone.value.field == "mediators"
    with pytest.raises(ValidationError) as future:
        outcomes.add_session(
            db,
            who,
            v.id,
            v.version,
            SessionInput(DAY0 + timedelta(days=1), SESSION.mediators, SESSION.record),
        )
    assert future.value.field == "held_on"
    v = outcomes.add_session(db, who, v.id, v.version, SESSION)
    from dataclasses import replace

    with pytest.raises(ValidationError) as late:
        outcomes.agree(
            db, who, v.id, v.version, replace(AGREE, perform_by=DAY0 - timedelta(days=1))
        )
    assert late.value.field == "perform_by"
    with pytest.raises(ValidationError) as terms:
        outcomes.agree(db, who, v.id, v.version, replace(AGREE, terms=""))
    assert terms.value.field == "terms"
    with pytest.raises(ValidationError) as told:
        outcomes.fail(db, who, v.id, v.version, "双方分歧过大", told=False)
    assert told.value.field == "told"


def test_the_agreement_prints_from_the_database(
    db: Database, at: Callable[[datetime], None], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from printing.judicial_confirmation import confirmation_pdf
    from printing.mediation_agreement import agreement_pdf

    who = _mediator(db)
    v = _dispute(db, who)
    with pytest.raises(Conflict):
        lists.agreement_doc(db, who, v.id)
    v = _agreed(db, who)
    doc = lists.agreement_doc(db, who, v.id)
    assert [p.name for p in doc.parties] == ["张大山", "李小河"] and doc.mediators == (
        "周建国",
        "陈老伯",
    )
    assert doc.confirm_by == date(2026, 11, 28) and doc.parties[0].age == 56
    path = tmp_path / "a.pdf"
    path.write_bytes(agreement_pdf(doc))
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(out.split())
    assert "当事人乙 李小河 收执" in flat and "调解委员会存档" in flat
    assert doc.parties[0].id_masked in flat and A.id_number not in flat
    assert AGREE.terms in flat and v.number in flat
    path.write_bytes(confirmation_pdf(lists.confirmation_doc(db, who, v.id)))
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert v.number in " ".join(out.split())
    with db.read_only() as s:
        printed = s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("dispute_%_printed"))
            .order_by(AuditEvent.id)
        ).all()
    assert printed == ["dispute_agreement_printed", "dispute_confirmation_printed"]


def test_a_performance_date_years_away_is_refused(
    db: Database, at: Callable[[datetime], None]
) -> None:
    from dataclasses import replace

    who = _mediator(db)
    v = _dispute(db, who)
    v = outcomes.start(db, who, v.id, v.version)
    v = outcomes.add_session(db, who, v.id, v.version, SESSION)
    with pytest.raises(ValidationError) as far:
        outcomes.agree(db, who, v.id, v.version, replace(AGREE, perform_by=date(9999, 12, 31)))
    assert far.value.field == "perform_by"
