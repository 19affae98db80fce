"""即办件 finish at the counter; 容缺 gets its 承诺书; a 承诺件 is unchanged — both backends.

A 即办件 accepted at the counter is completed and handed over in the same transaction
(who, when, to whom recorded; one audit event), its receipt and result are kept, and it
never shows at the pickup window. A case accepted with a promised material gets the
容缺受理承诺书 naming the material and its date (five working days, weekends skipped).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cases import casefile, intake, pickup
from app.cases.intake import IntakeInput
from app.db.models import AuditEvent, Case, CaseDocument, Task
from app.db.session import Database
from app.documents import CounterResult, DeferralPromise
from app.errors import Conflict
from app.hall import catalog
from app.people import residents
from app.states import CaseState
from tests.helpers.backoffice import Clock
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor, id_number

PROOF = {"proof_type": "亲属关系证明", "purpose": "办理继承公证"}
SOCIAL_CARD = {"phone": "13912345678", "bank": "工商银行"}
FRIDAY, FIVE_WORKDAYS_LATER = date(2026, 11, 27), "2026-12-04"  # over one weekend


def _fake_render(doc: object) -> bytes:
    return f"%PDF-{type(doc).__name__}".encode()


def _kept(db: Database, case_id: int) -> list[str]:
    with db.read_only() as s:
        kinds = s.scalars(
            select(CaseDocument.kind)
            .where(CaseDocument.case_id == case_id)
            .order_by(CaseDocument.id)
        )
        return list(kinds)


def _events(db: Database, case_id: int) -> list[AuditEvent]:
    with db.read_only() as s:
        rows = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "case", AuditEvent.entity_id == str(case_id))
            .order_by(AuditEvent.seq)
        )
        return list(rows)


def test_an_instant_case_is_handed_over_at_the_counter_and_never_waits_for_pickup(
    db: Database,
) -> None:
    clerk, person = actor(db), applicant(db)
    inp = IntakeInput("GA005", person, dict(PROOF), ticks("id_card", "hukou"))
    result = intake.accept(db, clerk, inp, _fake_render)

    assert result.state == CaseState.DELIVERED and result.finished_here
    assert result.collector.startswith("李秀兰（本人，") and "********" in result.collector
    assert result.deferred_until is None
    # What the counter prints now: the certificate alone (its receipt is kept, not printed).
    assert [(p.kind, p.title, p.pdf) for p in result.handout] == [
        ("result", "户籍证明", b"%PDF-CounterResult")
    ]
    assert result.pdf == b"%PDF-Receipt"
    assert _kept(db, result.case_id) == ["receipt", "result"]
    with db.read_only() as s:
        case = s.get(Case, result.case_id)
        assert case is not None and case.state == CaseState.DELIVERED
        assert case.accepted_at is not None
        assert case.decided_at == case.delivered_at == case.accepted_at
        assert case.delivered_by_id == clerk.user_id and case.collector == result.collector
        assert s.scalar(select(Task.id).where(Task.case_id == case.id)) is None
    # One audit event for the one action, the handover in it.
    (event,) = _events(db, result.case_id)
    assert event.action == "case_completed_at_counter"
    assert event.after is not None and event.after["state"] == "delivered"
    assert event.after["collector"] == result.collector
    assert f"当场出件，领取人：{result.collector}" in event.note
    # The receipt says it was finished here: no promised date, nothing to collect later.
    receipt = result.document
    assert receipt.cases[0].due_date == "" and receipt.cases[0].kind_label == "即办件"
    assert receipt.cases[0].state_label == "当场办结，结果已当场交付" and receipt.pickup == ""
    # The pickup window finds nothing to hand out, by case number or by ID number.
    assert result.case_no is not None
    assert pickup.ready(db, clerk, result.case_no) == []
    number = id_number(date(1961, 3, 5), 7, female=True)  # the applicant's (tests.helpers.dibao)
    assert pickup.ready(db, clerk, number) == []
    with pytest.raises(Conflict, match="已出件"):
        pickup.hand_over(db, clerk, result.case_id, number)
    # The case view shows who took it; the papers are there to reprint.
    file = casefile.open_case(db, clerk, result.case_id)
    assert file.state == CaseState.DELIVERED and file.collector == result.collector


def test_the_certificate_text_is_the_catalogs_with_the_form_filled_in(db: Database) -> None:
    clerk, person = actor(db), applicant(db)
    inp = IntakeInput("GA005", person, dict(PROOF), ticks("id_card", "hukou"))
    doc = intake.accept(db, clerk, inp).handout  # no renderer: nothing printed or kept
    assert doc == ()
    snaps: list[object] = []
    result = intake.accept(db, clerk, inp, lambda d: snaps.append(d) or b"%PDF")
    cert = next(s for s in snaps if isinstance(s, CounterResult))
    assert cert.title == "户籍证明" and cert.salutation == ""
    assert cert.text.startswith("兹证明 李秀兰（身份证号 ")
    assert "出具亲属关系证明，用于办理继承公证" in cert.text and "{" not in cert.text
    assert cert.case_no == result.case_no and cert.collector == result.collector
    assert cert.deferred == () and cert.issuer == clerk.full_name


def test_the_agent_present_takes_the_result(db: Database) -> None:
    clerk, person = actor(db), applicant(db)
    number = id_number(date(1975, 1, 2), 41)
    agent = residents.save(db, clerk, residents.ResidentInput(number, "王代办"))
    inp = IntakeInput(
        "YB001",
        person,
        {"insured_type": "成年居民", "phone": "13912345678"},
        ticks("id_card"),
        agent_id=agent.id,
    )
    result = intake.accept(db, clerk, inp, _fake_render)
    assert result.state == CaseState.DELIVERED
    assert result.collector.startswith("王代办（代办人，")
    assert number not in result.collector and number[-4:] in result.collector  # masked


def test_an_instant_case_with_a_promised_photo_prints_the_promise_too(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch).to(db, FRIDAY)
    clerk, person = actor(db), applicant(db)
    snaps: list[object] = []

    def render(doc: object) -> bytes:
        snaps.append(doc)
        return _fake_render(doc)

    inp = IntakeInput("RS003", person, dict(SOCIAL_CARD), ticks("id_card", deferred=("photo",)))
    result = intake.accept(db, clerk, inp, render)
    assert result.state == CaseState.DELIVERED
    assert result.deferred_until == date.fromisoformat(FIVE_WORKDAYS_LATER)
    assert [(p.kind, p.title) for p in result.handout] == [
        ("result", "社会保障卡领卡凭证"),
        ("promise", "容缺受理承诺书"),
    ]
    assert _kept(db, result.case_id) == ["receipt", "result", "promise"]
    promise = next(s for s in snaps if isinstance(s, DeferralPromise))
    assert promise.promised_date == FIVE_WORKDAYS_LATER and promise.finished_here
    assert [(m.name, m.detail) for m in promise.materials] == [("近期一寸免冠照片", "原件")]
    assert promise.applicant_name == "李秀兰" and promise.case_no == result.case_no
    cert = next(s for s in snaps if isinstance(s, CounterResult))
    assert [m.name for m in cert.deferred] == ["近期一寸免冠照片"]
    assert FIVE_WORKDAYS_LATER in cert.deferred[0].detail
    (event,) = _events(db, result.case_id)
    assert event.after is not None and event.after["deferred"] == ["近期一寸免冠照片"]
    assert event.after["deferred_until"] == FIVE_WORKDAYS_LATER
    assert "容缺材料：近期一寸免冠照片" in event.note


def test_a_promised_case_with_a_deferred_material_gets_receipt_and_promise(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch).to(db, FRIDAY)
    clerk, person = actor(db), applicant(db)
    snaps: list[object] = []
    got = ticks("id_card", "hukou", "income_proof", "disability_card", deferred=("authorization",))
    inp = IntakeInput("MZ001", person, dict(DIBAO_FORM), got)
    result = intake.accept(db, clerk, inp, lambda d: snaps.append(d) or _fake_render(d))
    assert result.state == CaseState.ACCEPTED and not result.finished_here
    assert result.collector == ""
    assert [(p.kind, p.title) for p in result.handout] == [
        ("receipt", "受理回执"),
        ("promise", "容缺受理承诺书"),
    ]
    assert _kept(db, result.case_id) == ["receipt", "promise"]
    promise = next(s for s in snaps if isinstance(s, DeferralPromise))
    assert not promise.finished_here and promise.promised_date == FIVE_WORKDAYS_LATER
    assert [m.name for m in promise.materials] == ["家庭经济状况核对授权书"]
    assert result.document.cases[0].deferred_until == FIVE_WORKDAYS_LATER
    (event,) = _events(db, result.case_id)
    assert event.action == "case_accepted_with_promise"


def test_a_promised_case_is_unchanged(db: Database) -> None:
    clerk, person = actor(db), applicant(db)
    inp = IntakeInput("MZ001", person, dict(DIBAO_FORM), ticks(*ALL_DIBAO))
    result = intake.accept(db, clerk, inp, _fake_render)
    assert result.state == CaseState.ACCEPTED and result.due_date is not None
    assert [(p.kind, p.title) for p in result.handout] == [("receipt", "受理回执")]
    assert result.collector == "" and result.deferred_until is None
    assert _kept(db, result.case_id) == ["receipt"]
    receipt = result.document
    assert receipt.cases[0].state_label == "已受理" and receipt.cases[0].kind_label == "承诺件"
    assert receipt.cases[0].due_date == result.due_date.isoformat()
    assert receipt.pickup == "综合窗口统一出件"
    (event,) = _events(db, result.case_id)
    assert event.action == "case_accepted" and event.note == ""
    with db.read_only() as s:
        case = s.get(Case, result.case_id)
        assert case is not None and case.delivered_at is None and case.collector is None


def test_the_service_guide_says_where_the_result_is_had(db: Database) -> None:
    clerk = actor(db)
    assert catalog.guide(db, clerk, "GA005", FRIDAY).pickup == "当场办结，当场领取户籍证明"
    assert catalog.guide(db, clerk, "MZ001", FRIDAY).pickup == "综合窗口统一出件"
