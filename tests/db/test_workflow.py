"""The back office on both backends: the 低保 journey, its branches, deadlines and races."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import audit
from app.actor import Actor
from app.cases import inbox, pickup, workflow
from app.cases.workflow import Decision, Outcome
from app.db import clock
from app.db.models import AuditEvent, Case, Notification, Task
from app.db.session import Database
from app.errors import Conflict, DomainError, ValidationError
from app.queue import queueing
from app.roles import Role
from app.states import CaseState, TaskState
from app.workdays import WorkCalendar
from tests.helpers.backoffice import Clock
from tests.helpers.backoffice import approve_all as _approve_all
from tests.helpers.backoffice import open_tasks as _open
from tests.helpers.backoffice import people as _people
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.people import actor, id_number


def _case(db: Database, case_id: int) -> Case:
    with db.read_only() as s:
        case = s.get(Case, case_id)
        assert case is not None
        s.expunge(case)
        return case


def _today(db: Database) -> date:
    with db.read_only() as s:
        return clock.service_day(s, queueing.hall_by_code(db, "DEMO"), clock.now(s))


def _calendar(db: Database) -> WorkCalendar:
    with db.read_only() as s:
        return workflow.calendar(s)


def test_dibao_journey_from_counter_to_pickup(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 9, 21))  # a Monday before the National Day holidays
    accepted = accept_dibao(db)
    case_id = accepted.case_id
    # 7 working days: 9-22, 23, 24, 28, 29, 30 and 10-08 (中秋 and Golden Week skipped).
    assert accepted.due_date == date(2026, 10, 8)
    # 初审 at the street office.
    assert [c for _i, _v, c in _open(db, case_id)] == ["JD"]
    _approve_all(db, case_id)
    # 复审 fans out: 街道, 民政 (age ≥ 60) and 残联 (disability) in parallel.
    assert [c for _i, _v, c in _open(db, case_id)] == ["JD", "MZ", "CL"]
    # 职责分离: 初审 was 陈建国's (街道); colleagues decide 复审 at 街道 and 民政.
    who = {c: actor(db, u, Role.APPROVER) for c, u in (("JD", "jiedao"), ("MZ", "minzheng"))}
    who["CL"] = _people(db)["CL"]
    (jd, jd_v, _), (mz, mz_v, _), (cl, cl_v, _) = _open(db, case_id)
    workflow.decide(db, who["JD"], Decision(jd, jd_v, Outcome.APPROVE, "同意"))
    moved = workflow.decide(db, who["CL"], Decision(cl, cl_v, Outcome.APPROVE, "残疾等级属实"))
    assert moved.state == CaseState.IN_REVIEW and moved.step == "复审"  # 民政 still deciding
    clock.to(db, date(2026, 9, 23))
    moved = workflow.decide(db, who["MZ"], Decision(mz, mz_v, Outcome.APPROVE, "同意"))
    # 公示 for 7 working days from 9-23: 9-24, 9-28, 9-29, 9-30 (中秋 and the weekend
    # skipped), 10-08, 10-09 and the 调休 Saturday 10-10 (National Day 10-01 … 10-07 skipped).
    assert moved.state == CaseState.PUBLICIZING and moved.step == "公示"
    case = _case(db, case_id)
    assert case.publicity_until == date(2026, 10, 10)
    assert _open(db, case_id) == []
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    clock.to(db, date(2026, 10, 10))
    assert workflow.end_publicity(db, boss) == []  # the last day of 公示
    clock.to(db, date(2026, 10, 12))
    [ended] = workflow.end_publicity(db, boss)
    assert ended.state == CaseState.IN_REVIEW and ended.step == "发放"
    assert workflow.end_publicity(db, boss) == []  # idempotent
    # 公示 suspends the clock for MZ001: the working days after 9-23 up to 10-12 are added.
    case = _case(db, case_id)
    waited = _calendar(db).between(date(2026, 9, 23), date(2026, 10, 12))
    assert case.suspended_days == waited == 8
    assert case.due_date == _calendar(db).add(date(2026, 10, 8), waited)
    assert [c for _i, _v, c in _open(db, case_id)] == ["MZ"]
    _approve_all(db, case_id, "准予发放")
    done = _case(db, case_id)
    assert done.state == CaseState.COMPLETED and done.decided_at is not None
    with db.read_only() as s:
        [text] = s.scalars(select(Notification.text).where(Notification.case_id == case_id))
    assert accepted.case_no is not None and accepted.case_no in text and "已办结" in text
    # 统一窗口出件: the receipt is scanned at the pickup window, the applicant collects.
    clerk = actor(db)
    [ready] = pickup.ready(db, clerk, accepted.case_no)
    assert ready.case_id == case_id and ready.state == CaseState.COMPLETED
    handed = pickup.hand_over(db, clerk, case_id, id_number(date(1961, 3, 5), 7, female=True))
    assert "本人" in handed.collector and _case(db, case_id).state == CaseState.DELIVERED
    assert audit.verify_chain(db).ok


def test_rejection_at_first_review_needs_a_reason(db: Database) -> None:
    case_id = accept_dibao(db).case_id
    [(task, version, _)] = _open(db, case_id)
    jd = _people(db)["JD"]
    with pytest.raises(ValidationError) as err:
        workflow.decide(db, jd, Decision(task, version, Outcome.REJECT, "不"))
    assert err.value.field == "opinion"
    moved = workflow.decide(
        db, jd, Decision(task, version, Outcome.REJECT, "家庭人均收入高于本市低保标准。")
    )
    assert moved.state == CaseState.REJECTED and moved.ready_for_pickup
    assert _case(db, case_id).decision_reason == "家庭人均收入高于本市低保标准。"


def test_return_for_supplement_stops_the_clock_and_resumes_at_the_counter(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 11, 2))
    case_id = accept_dibao(db).case_id
    due = _case(db, case_id).due_date
    [(task, version, _)] = _open(db, case_id)
    jd = _people(db)["JD"]
    with pytest.raises(ValidationError) as err:
        workflow.decide(db, jd, Decision(task, version, Outcome.RETURN, "请补正"))
    assert err.value.field == "items"
    moved = workflow.decide(
        db,
        jd,
        Decision(task, version, Outcome.RETURN, "收入证明缺少单位盖章", ("盖章的收入证明",)),
    )
    assert moved.state == CaseState.AWAITING_SUPPLEMENT and _open(db, case_id) == []
    assert _case(db, case_id).supplement_items == ["盖章的收入证明"]
    clock.to(db, date(2026, 11, 9))  # a week later (5 working days)
    clerk = actor(db)
    moved = workflow.resubmit(db, clerk, case_id, "补交盖章的收入证明原件")
    assert moved.state == CaseState.IN_REVIEW and moved.step == "初审"
    case = _case(db, case_id)
    assert case.suspended_days == 5 and case.due_date == _calendar(db).add(due or date.min, 5)
    [(again, _v, code)] = _open(db, case_id)
    assert code == "JD" and again != task
    with db.read_only() as s:
        note = s.scalar(select(Task.note).where(Task.id == again))
    assert note is not None and "盖章的收入证明" in note


def test_objection_during_publicity_sends_the_case_back_for_review(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    case_id = accept_dibao(db).case_id
    _approve_all(db, case_id)
    _approve_all(db, case_id)
    assert _case(db, case_id).state == CaseState.PUBLICIZING
    with pytest.raises(ValidationError):
        workflow.object_to_publicity(db, actor(db), case_id, "有")
    moved = workflow.object_to_publicity(db, actor(db), case_id, "邻居反映申请人家中有营运车辆。")
    assert moved.state == CaseState.IN_REVIEW and moved.step == "复审"
    assert [c for _i, _v, c in _open(db, case_id)] == ["JD", "MZ", "CL"]
    with db.read_only() as s:
        notes = set(s.scalars(select(Task.note).where(Task.state == TaskState.OPEN)))
    assert notes == {"公示期间收到异议：邻居反映申请人家中有营运车辆。"}
    with pytest.raises(Conflict):
        workflow.object_to_publicity(db, actor(db), case_id, "再次异议内容")


def test_a_parallel_branch_rejecting_rejects_and_cancels_the_others(db: Database) -> None:
    case_id = accept_dibao(db).case_id
    _approve_all(db, case_id)
    (_jd, _, _), (_mz, _, _), (cl, cl_v, _) = _open(db, case_id)
    moved = workflow.decide(
        db, _people(db)["CL"], Decision(cl, cl_v, Outcome.REJECT, "残疾人证已过有效期。")
    )
    assert moved.state == CaseState.REJECTED
    with db.read_only() as s:
        states = sorted(s.scalars(select(Task.state).where(Task.step_index == 1)))
    assert states == sorted([TaskState.CANCELLED, TaskState.CANCELLED, TaskState.REJECTED])


def test_transfer_and_withdrawal(db: Database) -> None:
    case_id = accept_dibao(db).case_id
    [(task, version, _)] = _open(db, case_id)
    jd = _people(db)["JD"]
    with pytest.raises(ValidationError) as err:
        workflow.decide(db, jd, Decision(task, version, Outcome.TRANSFER, "转民政", (), "JD"))
    assert err.value.field == "department"
    workflow.decide(db, jd, Decision(task, version, Outcome.TRANSFER, "属民政局职责", (), "MZ"))
    [(moved_task, _v, code)] = _open(db, case_id)
    assert code == "MZ" and moved_task != task
    moved = workflow.withdraw(db, actor(db), case_id, "申请人已找到工作，主动撤回")
    assert moved.state == CaseState.WITHDRAWN and _open(db, case_id) == []
    with pytest.raises(Conflict):
        workflow.withdraw(db, actor(db), case_id, "再次撤回")


def test_claim_release_and_foreign_departments(db: Database) -> None:
    case_id = accept_dibao(db).case_id
    [(task, version, _)] = _open(db, case_id)
    jd, canlian = _people(db)["JD"], _people(db)["CL"]
    with pytest.raises(DomainError, match="不属于您所在的部门"):
        workflow.claim(db, canlian, task, version)
    v2 = workflow.claim(db, jd, task, version)
    assert _case(db, case_id).state == CaseState.IN_REVIEW
    with pytest.raises(Conflict):
        workflow.claim(db, jd, task, version)  # stale version
    v3 = workflow.release(db, jd, task, v2)
    assert v3 > v2 and _open(db, case_id) == [(task, v3, "JD")]


def test_two_approvers_deciding_the_same_task_one_wins(db: Database) -> None:
    case_id = accept_dibao(db).case_id
    [(task, version, _)] = _open(db, case_id)
    # A second JD approver: the supervisor's colleague on the same inbox.
    jd = _people(db)["JD"]
    other = Actor(
        user_id=jd.user_id,
        username=jd.username,
        full_name="同科室",
        hall_id=jd.hall_id,
        roles=jd.roles,
    )
    barrier = threading.Barrier(2)
    results: list[object] = []

    def go(who: Actor, outcome: Outcome, opinion: str) -> None:
        barrier.wait()
        try:
            results.append(workflow.decide(db, who, Decision(task, version, outcome, opinion)))
        except Conflict as exc:
            results.append(exc)

    threads = [
        threading.Thread(target=go, args=(jd, Outcome.APPROVE, "同意")),
        threading.Thread(target=go, args=(other, Outcome.REJECT, "不符合条件，不同意。")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(results) == 2 and len(conflicts) == 1
    assert "刷新" in conflicts[0].message
    with db.read_only() as s:
        decisions = s.scalar(
            select(func.count()).where(
                AuditEvent.action.in_(["task_approved", "task_rejected"]),
                AuditEvent.entity_id == str(case_id),
            )
        )
    assert decisions == 1
    assert audit.verify_chain(db).ok


def test_deadline_across_holidays_and_adjusted_workdays(db: Database) -> None:
    cal = _calendar(db)
    # Accepted on 2026-09-30 with 15 working days: Golden Week skipped, the 10-10 调休
    # Saturday counted.
    assert cal.add(date(2026, 9, 30), 15) == date(2026, 10, 27)
    assert cal.is_workday(date(2026, 10, 10)) and not cal.is_workday(date(2026, 10, 5))
    assert cal.between(date(2026, 9, 30), date(2026, 10, 27)) == 15
    assert applicant(db, seq=8) > 0


def test_inbox_lists_searches_and_flags_urgency(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 11, 2))
    first = accept_dibao(db)
    second = accept_dibao(db, applicant(db, name="王建国", seq=21))
    jd, canlian = _people(db)["JD"], _people(db)["CL"]
    page = inbox.inbox(db, jd)
    assert [r.case_no for r in page.rows] == [first.case_no, second.case_no]
    row = page.rows[0]
    assert row.step_name == "初审" and row.department == "街道社会事务办"
    assert row.service_name == "最低生活保障申请" and "*" in row.applicant_id_masked
    assert row.days_left == 7 and row.urgency == ""
    assert inbox.inbox(db, canlian).rows == ()  # 残联 has nothing at 初审
    # Search: a scanned case number (any case), an ID number, part of a name.
    assert [r.case_id for r in inbox.inbox(db, jd, query=(second.case_no or "").lower()).rows] == [
        second.case_id
    ]
    assert [r.case_id for r in inbox.inbox(db, jd, query="建国").rows] == [second.case_id]
    assert len(inbox.inbox(db, jd, query="最低生活").rows) == 2
    # Claimed by me / unclaimed.
    workflow.claim(db, jd, row.task_id, row.task_version)
    assert [r.case_id for r in inbox.inbox(db, jd, inbox.Scope.MINE).rows] == [first.case_id]
    assert [r.case_id for r in inbox.inbox(db, jd, inbox.Scope.UNCLAIMED).rows] == [second.case_id]
    # Near the deadline (amber), then past it (red).
    clock.to(db, date(2026, 11, 9))
    assert inbox.inbox(db, jd).rows[0].urgency == "near"
    clock.to(db, date(2026, 11, 12))
    late = inbox.inbox(db, jd).rows[0]
    assert late.urgency == "overdue" and late.days_left is not None and late.days_left < 0
    assert not inbox.inbox(db, jd, page_size=1).rows[1:] and inbox.inbox(db, jd, page_size=1).more


def test_pickup_by_scan_or_id_checks_the_collector(db: Database, tmp_path: Path) -> None:
    person = applicant(db, seq=31)
    case = accept_dibao(db, person)
    [(task, version, _)] = _open(db, case.case_id)
    workflow.decide(
        db, _people(db)["JD"], Decision(task, version, Outcome.REJECT, "不符合低保条件。")
    )
    clerk = actor(db)
    by_scan = pickup.ready(db, clerk, (case.case_no or "").lower())
    own_id = id_number(date(1961, 3, 5), 31, female=True)
    by_id = pickup.ready(db, clerk, own_id)
    assert [r.case_id for r in by_scan] == [r.case_id for r in by_id] == [case.case_id]
    assert by_scan[0].state == CaseState.REJECTED and by_scan[0].decision_reason
    stranger = id_number(date(1990, 1, 1), 40)
    with pytest.raises(ValidationError) as err:
        pickup.hand_over(db, clerk, case.case_id, stranger)
    assert err.value.field == "collector_id"
    with pytest.raises(ValidationError) as err:
        pickup.hand_over(db, clerk, case.case_id, stranger, authorised=True)
    assert err.value.field == "collector_name"
    who = pickup.hand_over(db, clerk, case.case_id, own_id).collector
    assert "本人" in who and own_id not in who
    assert _case(db, case.case_id).state == CaseState.DELIVERED
    assert pickup.ready(db, clerk, own_id) == []
    with pytest.raises(Conflict):
        pickup.hand_over(db, clerk, case.case_id, own_id)
    # The "ready" message goes out through the sender; a failing gateway is retried.

    class Broken:
        def send(self, phone: str, text: str) -> None:
            raise OSError("gateway down")

    assert pickup.send_pending(db, Broken()) == (0, 1)
    log = tmp_path / "sms.log"
    assert pickup.send_pending(db, pickup.FileSender(log)) == (1, 0)
    assert pickup.send_pending(db, pickup.FileSender(log)) == (0, 0)
    line = log.read_text(encoding="utf-8")
    assert "138****8000" in line and (case.case_no or "") in line
