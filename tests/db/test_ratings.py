"""好差评 on both backends: a finished ticket and a case rated once each, a re-rate within
two minutes and none after, a bad rating's 整改 due 5 working days later across holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import audit
from app.cases import pickup, workflow
from app.cases.workflow import Decision, Outcome
from app.db.models import AuditEvent, Rating, Rectification
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.hall import workcalendar
from app.queue import queueing
from app.ratings import rating, rectification, subjects
from app.ratings.levels import RERATE_SECONDS, rating_actor
from app.roles import Role
from app.states import RectificationState
from tests.helpers.backoffice import open_tasks, people
from tests.helpers.dibao import accept_dibao
from tests.helpers.people import actor, id_number
from tests.helpers.ratings import MovableClock, served_ticket, window_id


def _screen(db: Database):  # type: ignore[no-untyped-def]
    return rating_actor(queueing.hall_by_code(db, "DEMO").id)


def _ratings(db: Database) -> list[Rating]:
    with db.read_only() as s:
        rows = list(s.scalars(select(Rating).order_by(Rating.id)))
        s.expunge_all()
        return rows


def _actions(db: Database) -> list[str]:
    with db.read_only() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_finished_ticket_is_offered_rated_once_and_tied_to_window_and_clerk(
    db: Database,
) -> None:
    me, wid = _screen(db), window_id(db, 1)
    assert subjects.ticket_to_rate(db, me, wid) is None
    ticket, clerk = served_ticket(db)
    target = subjects.ticket_to_rate(db, me, wid)
    assert target is not None and target.ticket_code == ticket.code
    assert target.window_number == 1 and target.clerk_name == clerk.full_name
    assert target.subject_key == f"T:{ticket.id}" and target.stage_label == "窗口服务"
    done = rating.rate(db, me, target.subject_key, 5, channel="rating_screen")
    assert done.rectification_id is None
    [row] = _ratings(db)
    assert (row.level, row.window_id, row.clerk_id, row.ticket_id) == (
        5, wid, clerk.user_id, ticket.id
    )  # fmt: skip
    assert (done.rerate_until - row.rated_at) == timedelta(seconds=RERATE_SECONDS)
    assert subjects.ticket_to_rate(db, me, wid) is None  # rated: nothing more to offer
    with pytest.raises(Conflict, match="已评价"):
        rating.rate(db, me, target.subject_key, 4)
    with pytest.raises(Conflict, match="已评价"):
        subjects.find_target(db, me, ticket.code)
    assert _actions(db)[-1] == "rating_given" and audit.verify_chain(db).ok


def test_input_is_checked_before_anything_is_written(db: Database) -> None:
    me = _screen(db)
    ticket, _clerk = served_ticket(db)
    key = f"T:{ticket.id}"
    for level in (0, 6, True, "5"):
        with pytest.raises(ValidationError) as err:
            rating.rate(db, me, key, level)  # type: ignore[arg-type]
        assert err.value.field == "level"
    with pytest.raises(ValidationError, match="不在列表"):
        rating.rate(db, me, key, 1, reasons=["态度好"])
    with pytest.raises(ValidationError, match="只有"):
        rating.rate(db, me, key, 5, reasons=["其他"])
    with pytest.raises(ValidationError) as err:
        rating.rate(db, me, key, 1, note="x" * 201)
    assert err.value.field == "note"
    with pytest.raises(ValidationError) as err:
        rating.rate(db, me, key, 1, note="好\u202e坏")
    assert err.value.field == "note"
    with pytest.raises(ValidationError):
        rating.rate(db, me, "T:abc", 5)
    with pytest.raises(NotFound):
        rating.rate(db, me, "T:999999", 5)
    assert _ratings(db) == []


def test_an_unfinished_ticket_cannot_be_rated_and_scans_are_recognised(db: Database) -> None:
    me = _screen(db)
    hall = queueing.hall_by_code(db, "DEMO").id
    waiting = queueing.issue_ticket(db, queueing.kiosk_actor(hall), "B")
    with pytest.raises(Conflict, match="尚未办理完毕"):
        subjects.find_target(db, me, waiting.code)
    with pytest.raises(ValidationError, match="无法识别"):
        subjects.find_target(db, me, "hello")
    with pytest.raises(NotFound):
        subjects.find_target(db, me, "Z999")
    ticket, _clerk = served_ticket(db)
    for beyond in ("T99999999999999999999999", "T3000000000", "T00000000"):
        with pytest.raises(NotFound):  # no ticket can have it: not found, never an overflow
            subjects.find_target(db, me, beyond)
    with pytest.raises(ValidationError):
        rating.rate(db, me, "T:99999999999999999999", 5)
    with pytest.raises(NotFound, match="没有 99999999999 号窗口"):
        subjects.window_id_of(db, hall, 99_999_999_999)
    by_barcode = subjects.find_target(db, me, f"t{ticket.id:08d}")
    assert by_barcode.subject_key == f"T:{ticket.id}"
    assert subjects.find_target(db, me, ticket.code.lower()) == by_barcode


def test_a_case_is_rated_at_acceptance_by_its_receipt(db: Database) -> None:
    me = _screen(db)
    case = accept_dibao(db)
    assert case.case_no is not None
    target = subjects.find_target(db, me, case.case_no)
    assert target.stage == "accept" and target.case_no == case.case_no
    assert target.clerk_name == actor(db).full_name and target.service_name
    rating.rate(db, me, target.subject_key, 4, channel="kiosk")
    [row] = _ratings(db)
    assert row.case_id == case.case_id and row.service_type_id and row.department_id
    assert row.clerk_id == actor(db).user_id and row.channel == "kiosk"
    with pytest.raises(Conflict, match="受理已评价"):
        subjects.find_target(db, me, case.case_no)
    with pytest.raises(Conflict, match="尚未出件"):
        rating.rate(db, me, f"C:{case.case_id}:pickup", 5)


def test_a_re_rate_within_two_minutes_supersedes_and_none_after(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovableClock(monkeypatch)
    me = _screen(db)
    ticket, _clerk = served_ticket(db)
    first = rating.rate(db, me, f"T:{ticket.id}", 1, reasons=["其他", "服务态度差"])
    assert first.rectification_id is not None
    clock.later(RERATE_SECONDS - 30)
    second = rating.rerate(db, me, first.rating_id, 2, reasons=["等候时间过长"], note="等太久")
    assert second.rectification_id == first.rectification_id  # bad → bad: the same 整改
    assert second.rerate_until == first.rerate_until  # from the first rating, not extended
    old, new = _ratings(db)
    assert old.superseded_by_id == new.id and new.superseded_by_id is None
    assert old.reasons == ["服务态度差", "其他"] and new.note == "等太久"
    with pytest.raises(Conflict, match="已经重新评价"):
        rating.rerate(db, me, first.rating_id, 5)
    clock.later(31)  # 2 minutes and a second after the first rating
    with pytest.raises(Conflict, match="超过 2 分钟"):
        rating.rerate(db, me, second.rating_id, 5)
    assert len(_ratings(db)) == 2
    with db.read_only() as s:
        [rect] = s.scalars(select(Rectification))
        assert rect.rating_id == new.id and rect.state == RectificationState.OPEN
    assert "rating_revised" in _actions(db) and audit.verify_chain(db).ok


def test_a_bad_rating_corrected_to_good_voids_its_rectification(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovableClock(monkeypatch)
    me = _screen(db)
    ticket, _clerk = served_ticket(db)
    bad = rating.rate(db, me, f"T:{ticket.id}", 1)
    clock.later(10)
    good = rating.rerate(db, me, bad.rating_id, 5)
    assert good.rectification_id is None
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    assert rectification.list_rectifications(db, boss).rows == []
    [voided] = rectification.list_rectifications(db, boss, open_only=False).rows
    assert voided.state == RectificationState.CLOSED and "评价已更正" in voided.measures
    assert "rectification_voided" in _actions(db)
    # good → bad opens one
    clock.later(10)
    again = rating.rerate(db, me, good.rating_id, 2)
    assert again.rectification_id is not None and again.rectification_id != bad.rectification_id


def test_a_bad_rating_opens_a_rectification_due_in_5_working_days_across_holidays(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovableClock(monkeypatch)
    clock.to(db, date(2026, 9, 29))  # a Tuesday before National Day
    me, boss = _screen(db), actor(db, "supervisor", Role.SUPERVISOR)
    _ticket, clerk = served_ticket(db)
    target = subjects.ticket_to_rate(db, me, window_id(db, 1))
    assert target is not None
    done = rating.rate(db, me, target.subject_key, 2, reasons=["办事效率低"], note="跑了两次")
    # 9-30, (10-01…07 国庆), 10-08, 10-09, the 调休 Saturday 10-10, (Sunday), 10-12.
    assert done.due_date == date(2026, 10, 12)
    [row] = rectification.list_rectifications(db, boss).rows
    assert (row.id, row.due_date, row.overdue) == (done.rectification_id, date(2026, 10, 12), False)
    assert row.clerk_name == clerk.full_name and row.window_number == 1
    assert row.reasons == ("办事效率低",) and row.level_label == "不满意"
    clock.to(db, date(2026, 10, 12))
    listed = rectification.list_rectifications(db, boss)
    assert (listed.open_count, listed.overdue_count) == (1, 0)
    clock.to(db, date(2026, 10, 14))
    listed = rectification.list_rectifications(db, boss)
    assert (listed.open_count, listed.overdue_count) == (1, 1)
    assert listed.rows[0].overdue and listed.rows[0].days_overdue == 2
    clock.to(db, date(2026, 10, 19))  # a week after the due Monday: 5 working days late
    assert rectification.list_rectifications(db, boss).rows[0].days_overdue == 5


def test_a_local_holiday_moves_the_rectification_deadline(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovableClock(monkeypatch)
    clock.to(db, date(2026, 11, 30))  # Monday
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    workcalendar.set_day(db, boss, date(2026, 12, 2), False, "本市临时休息日（测试）")
    ticket, _clerk = served_ticket(db)
    done = rating.rate(db, _screen(db), f"T:{ticket.id}", 1)
    assert done.due_date == date(2026, 12, 8)  # 12-01, (12-02 off), 03, 04, (weekend), 07, 08


def test_the_supervisor_calls_back_closes_or_appeals_version_checked(db: Database) -> None:
    me, boss = _screen(db), actor(db, "supervisor", Role.SUPERVISOR)
    for _ in range(2):
        ticket, _clerk = served_ticket(db)
        rating.rate(db, me, f"T:{ticket.id}", 1)
    first, second = rectification.list_rectifications(db, boss).rows
    with pytest.raises(PermissionDenied):
        rectification.list_rectifications(db, actor(db))
    with pytest.raises(PermissionDenied):
        rectification.record_callback(db, actor(db), first.id, first.version, "已回访")
    with pytest.raises(ValidationError) as err:
        rectification.close_rectification(db, boss, first.id, first.version, "加强培训")
    assert err.value.field == "callback"
    with pytest.raises(ValidationError) as err:
        rectification.record_callback(db, boss, first.id, first.version, "  ")
    assert err.value.field == "callback"
    v = rectification.record_callback(db, boss, first.id, first.version, "已电话回访，群众表示理解")
    with pytest.raises(Conflict, match="刚被他人修改"):
        rectification.close_rectification(db, boss, first.id, first.version, "加强培训")
    with pytest.raises(ValidationError) as err:
        rectification.close_rectification(db, boss, first.id, v, "")
    assert err.value.field == "measures"
    rectification.close_rectification(db, boss, first.id, v, "对窗口人员进行服务规范培训")
    with pytest.raises(Conflict, match=r"这项整改已由.*整改，无需再处理"):  # a second PC, late
        rectification.appeal_rectification(db, boss, first.id, v, "恶意差评")
    with pytest.raises(ValidationError) as err:
        rectification.appeal_rectification(db, boss, second.id, second.version, "")
    assert err.value.field == "appeal"
    rectification.appeal_rectification(db, boss, second.id, second.version, "恶意差评，有录像为证")
    listed = rectification.list_rectifications(db, boss)
    assert listed.rows == [] and listed.open_count == 0
    closed, appealed = rectification.list_rectifications(db, boss, open_only=False).rows
    assert closed.state == RectificationState.CLOSED and closed.callback_at
    assert appealed.state == RectificationState.APPEALED and appealed.appeal_reason
    with pytest.raises(Conflict):
        rectification.appeal_rectification(db, boss, closed.id, closed.version, "再申诉")
    actions = _actions(db)
    for action in ("rectification_callback", "rectification_closed", "rectification_appealed"):
        assert action in actions
    assert audit.verify_chain(db).ok


def test_a_delivered_case_is_rated_for_its_pickup(db: Database) -> None:
    me = _screen(db)
    case = accept_dibao(db)
    assert case.case_no is not None
    [(task, version, _)] = open_tasks(db, case.case_id)
    workflow.decide(
        db, people(db)["JD"], Decision(task, version, Outcome.REJECT, "家庭人均收入高于标准。")
    )
    clerk = actor(db, "clerk2")
    pickup.hand_over(db, clerk, case.case_id, id_number(date(1961, 3, 5), 7, female=True))
    target = subjects.find_target(db, me, case.case_no)
    assert target.stage == "pickup" and target.clerk_name == clerk.full_name
    rating.rate(db, me, target.subject_key, 3, channel="kiosk")
    rating.rate(db, me, f"C:{case.case_id}:accept", 5, channel="kiosk")  # still its own
    assert sorted(r.subject_key for r in _ratings(db)) == sorted(
        [f"C:{case.case_id}:pickup", f"C:{case.case_id}:accept"]
    )
