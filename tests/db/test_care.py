"""一人一档 care (issue 18) on both backends, with a fixed clock: profiles kept with
consent and read under audit, plans by tier, a hospital stay making a visit due within 24
hours, death closing plans, visits cancelled and restored, a need raising a draft at the
counter, and "overdue" the same on the worker's list and in the month's report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.actor import Actor
from app.care import duelist, plans, profiles, report, visits
from app.care.views import Contact, PlanView, ProfileInput, VisitInput
from app.cases import cases
from app.db import clock
from app.db.models import AuditEvent
from app.db.session import Database
from app.errors import Conflict, PermissionDenied, ValidationError
from app.reports import care as care_reports
from app.reports import excel
from app.roles import Role
from app.states import CaseState
from printing.care_report import care_report_pdf
from tests.helpers.dibao import applicant
from tests.helpers.pdf import pdf_text
from tests.helpers.people import actor

# 10:00 in Beijing on Monday 2 November 2026 (UTC+8): every test starts there.
START = datetime(2026, 11, 2, 2, 0)

SEEN = {"health": "精神尚可"}  # what a visit found (an empty visit is refused)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the database clock (naive UTC) for every service."""
    moment = [START]
    monkeypatch.setattr(clock, "now", lambda _s: moment[0])

    def move(to: datetime) -> None:
        moment[0] = to

    move(START)
    return move


def worker(db: Database) -> Actor:
    return actor(db, "care", Role.CARE)


def profile(
    db: Database, tier: str = "high", name: str = "李秀兰", seq: int = 7, grid: str = "一网格"
) -> int:
    who = worker(db)
    person = applicant(db, name, date(1940, 3, 5), seq)
    inp = ProfileInput(
        resident_id=person,
        groups=("alone", "disabled_elderly"),
        tier=tier,
        consent_by="本人",
        consent_name=name,
        health="高血压，糖尿病",
        needs="助餐",
        contacts=(Contact("王芳", "子女", "13912345678"),),
        grid=grid,
        worker_id=who.user_id,
    )
    return profiles.save_profile(db, who, inp).id


def test_a_profile_needs_consent_and_gets_the_tiers_plan(
    db: Database, at: Callable[[datetime], None]
) -> None:
    who = worker(db)
    person = applicant(db)
    bare = ProfileInput(person, ("alone",), "high", consent_by="", consent_name="李秀兰")
    with pytest.raises(ValidationError) as refused:
        profiles.save_profile(db, who, bare)
    assert refused.value.field == "consent_by" and "个人信息保护法" in refused.value.message
    with pytest.raises(ValidationError) as no_group:
        profiles.save_profile(db, who, ProfileInput(person, (), "high", "本人", "李秀兰"))
    assert no_group.value.field == "groups"
    with pytest.raises(ValidationError) as bad_phone:
        contact = (Contact("王芳", "子女", "123"),)
        profiles.save_profile(
            db, who, ProfileInput(person, ("alone",), "key", "本人", "李秀兰", contacts=contact)
        )
    assert bad_phone.value.field == "contacts.0.phone"

    view = profiles.save_profile(db, who, ProfileInput(person, ("alone",), "key", "监护人", "王芳"))
    assert view.consent == "监护人 王芳 2026-11-02 同意建档"
    [plan] = view.plans
    assert (plan.mode_label, plan.rhythm_label, plan.next_due) == (
        "上门",
        "每月",
        date(2026, 11, 2),
    )
    with pytest.raises(Conflict):  # one profile per person and hall
        profiles.save_profile(db, who, ProfileInput(person, ("alone",), "key", "本人", "李秀兰"))


def test_only_the_care_role_and_the_supervisor_read_a_profile_and_every_read_is_audited(
    db: Database, at: Callable[[datetime], None]
) -> None:
    pid = profile(db)
    for outsider in (actor(db, "clerk", Role.CLERK), actor(db, "approver", Role.APPROVER)):
        with pytest.raises(PermissionDenied):
            profiles.open_profile(db, outsider, pid)
        with pytest.raises(PermissionDenied):
            profiles.list_profiles(db, outsider)
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    seen = profiles.open_profile(db, supervisor, pid)
    assert seen.health == "高血压，糖尿病" and seen.contacts[0].phone == "13912345678"
    with pytest.raises(PermissionDenied):  # the supervisor reads, the care role writes
        visits.record_visit(db, supervisor, VisitInput(pid, "phone", SEEN))
    profiles.open_profile(db, worker(db), pid)
    with db.read_only() as s:
        reads = s.scalars(
            select(AuditEvent.actor_name).where(AuditEvent.action == "care_profile_viewed")
        ).all()
        trail = " ".join(str(e.after) for e in s.scalars(select(AuditEvent)))
    assert sorted(reads) == ["刘敏", "黄秀英"]
    assert "高血压" not in trail and "13912345678" not in trail  # notes never in the trail

    [row] = profiles.list_profiles(db, worker(db), "李")
    assert row.phone_masked == "138****8000" and "*" in row.id_masked
    assert "health" not in row.__dataclass_fields__  # a list carries nothing sensitive


def test_a_hospital_stay_makes_a_visit_due_within_24_hours(
    db: Database, at: Callable[[datetime], None]
) -> None:
    pid = profile(db, tier="general")
    who = worker(db)
    visits.record_visit(db, who, VisitInput(pid, "home", SEEN))  # the quarterly visit: due Feb
    assert duelist.due_list(db, who).rows == ()
    at(START + timedelta(days=10))  # 12 Nov, 10:00: admitted to hospital
    visits.record_event(db, who, pid, "hospital", "脑梗入院")
    [row] = duelist.due_list(db, who).rows
    assert row.what.startswith("24 小时内探访：住院") and row.due == date(2026, 11, 13)
    assert row.bucket == "soon"
    at(START + timedelta(days=11, hours=8))  # 13 Nov 18:00, not visited yet
    assert duelist.due_list(db, who).rows[0].bucket == "today"
    at(START + timedelta(days=12))  # 14 Nov: late
    assert duelist.due_list(db, who).rows[0].due_label == "逾期 1 天"
    visits.record_visit(db, who, VisitInput(pid, "phone", {"health": "已出院，恢复中"}))
    assert duelist.due_list(db, who).rows == ()


def test_death_closes_every_plan_and_no_visit_follows(
    db: Database, at: Callable[[datetime], None]
) -> None:
    pid = profile(db)
    who = worker(db)
    plans.add_plan(db, who, pid, "phone", "daily")
    view = profiles.set_person_state(db, who, pid, "deceased", date(2026, 11, 1), "病故")
    assert view.state_label == "已去世" and not any(p.active for p in view.plans)
    assert {p.due_label for p in view.plans} == {"已结束"}
    assert duelist.due_list(db, who).rows == ()
    with pytest.raises(Conflict):
        visits.record_visit(db, who, VisitInput(pid, "home", SEEN))
    with pytest.raises(Conflict):  # 已去世 → 在册 is not declared
        profiles.set_person_state(db, who, pid, "active", date(2026, 11, 2))


def test_cancelled_visits_are_kept_restorable_and_two_on_one_day_both_count(
    db: Database, at: Callable[[datetime], None]
) -> None:
    pid = profile(db)  # weekly home visits, first due today
    who = worker(db)
    first = visits.record_visit(db, who, VisitInput(pid, "home", actions="送药"))
    second = visits.record_visit(db, who, VisitInput(pid, "home", actions="修门锁"))
    assert len(second.profile.visits) == 2 and first.visit_id != second.visit_id
    assert second.profile.plans[0].next_due == date(2026, 11, 9)
    v = {x.id: x for x in second.profile.visits}
    after_one = visits.cancel_visit(db, who, first.visit_id, "录入错误", v[first.visit_id].version)
    assert after_one.plans[0].next_due == date(2026, 11, 9)  # the other visit still counts
    both = visits.cancel_visit(db, who, second.visit_id, "录入错误", v[second.visit_id].version)
    assert both.plans[0].next_due == date(2026, 11, 2) and all(x.cancelled for x in both.visits)
    again = {x.id: x for x in both.visits}[first.visit_id]
    restored = visits.restore_visit(db, who, first.visit_id, again.version)
    assert restored.plans[0].next_due == date(2026, 11, 9)
    with pytest.raises(Conflict):  # an old version: someone changed it meanwhile
        visits.restore_visit(db, who, first.visit_id, again.version)
    with db.read_only() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("care_visit_%"))
        ).all()
    assert sorted(actions).count("care_visit_cancelled") == 2 and "care_visit_restored" in actions


def test_a_need_found_on_a_call_is_a_draft_the_counter_finds(
    db: Database, at: Callable[[datetime], None]
) -> None:
    pid = profile(db)
    who = worker(db)
    found = visits.record_visit(
        db,
        who,
        VisitInput(
            pid,
            "phone",
            {"needs": "想申请高龄津贴"},
            refer="MZ003",
            urgent=True,
            urgent_note="燃气灶漏气",
        ),
    )
    assert found.draft_case_id is not None
    clerk = actor(db, "clerk", Role.CLERK)
    [draft] = cases.drafts_of(db, clerk, found.profile.resident_id)
    assert draft.id == found.draft_case_id and draft.state == CaseState.DRAFT
    assert draft.service_code == "MZ003" and "社区探访转来" in draft.notice_items[0]
    [event] = found.profile.events
    assert event.kind_label == "探访发现隐患" and not event.met  # the call itself does not meet it
    rows = duelist.due_list(db, who).rows
    assert any(r.event_id is not None and "隐患" in r.what for r in rows)
    with pytest.raises(ValidationError):
        visits.record_visit(db, who, VisitInput(pid, "phone", SEEN, refer="XX999"))


def test_overdue_is_the_same_on_the_list_and_in_the_report(
    db: Database, at: Callable[[datetime], None]
) -> None:
    who = worker(db)
    weekly = profile(db, "high", "甲一", 11)  # due 2 Nov, visited 2 Nov → due 9 Nov
    profile(db, "key", "乙二", 12, grid="二网格")  # due 2 Nov, never visited
    kept = profile(db, "high", "丙三", 13)
    visits.record_visit(db, who, VisitInput(weekly, "home", SEEN))
    visits.record_visit(db, who, VisitInput(kept, "home", SEEN))
    for days in (7, 14, 21):  # 丙三 every week on time
        at(START + timedelta(days=days))
        visits.record_visit(db, who, VisitInput(kept, "home", SEEN))
    at(START + timedelta(days=25))  # 27 November
    rows = duelist.due_list(db, who).rows
    late = {r.name: r.late_days for r in rows if r.bucket == "overdue"}
    assert late == {"甲一": 18, "乙二": 25}
    assert [r.name for r in rows][:2] == ["甲一", "乙二"]  # 高风险 before 重点
    month = report.month_report(db, who, date(2026, 11, 27))
    assert month.until == date(2026, 11, 27)
    assert sorted(n.split("（")[0] for n in month.overdue_names) == sorted(late)
    assert month.total.overdue == len(late)
    assert (month.total.on_plans, month.total.kept) == (3, 1)  # only 丙三 kept the rhythm
    assert month.total.visits == {"home": 5}
    by_grid = {r.grid: r for r in month.rows}
    assert by_grid["二网格"].overdue == 1 and by_grid["一网格"].rate == pytest.approx(0.5)
    with pytest.raises(ValidationError):
        report.month_report(db, who, date(2026, 12, 1))  # not begun


def test_the_months_report_reads_the_same_in_excel_and_on_paper(
    db: Database, at: Callable[[datetime], None], tmp_path: Path
) -> None:
    who = worker(db)
    visits.record_visit(db, who, VisitInput(profile(db, "high", "甲一", 11), "home", SEEN))
    profile(db, "key", "乙二", 12, grid="二网格")
    at(START + timedelta(days=25))
    month = report.month_report(db, who, date(2026, 11, 1))
    grid, groups, late = care_reports.tables(month)
    target = tmp_path / f"{care_reports.file_stem(month)}.xlsx"
    assert excel.write_workbook([grid, groups, late], target)
    sheet = openpyxl.load_workbook(target)["按网格和责任人"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [list(r) for r in grid.rows]
    assert values[-1][0] == "合计" and values[-1][2] == 2 and values[-1][-1] == 2  # 2 overdue
    text = pdf_text(care_report_pdf(care_reports.snapshot(month, START)), tmp_path)
    assert "2026年11月 探访关爱月报" in text and "探访率（目标 100%）" in text
    assert "甲一（一网格）" in text and "乙二（二网格）" in text
    assert "2026-11-01 至 2026-11-27（本月截至今日）" in text


def test_a_hazard_waits_for_a_home_visit_and_a_plan_is_not_made_twice(
    db: Database, at: Callable[[datetime], None]
) -> None:
    pid = profile(db, "general")
    who = worker(db)
    found = visits.record_visit(
        db,
        who,
        VisitInput(pid, "home", {"hazards": "卫生间地滑"}, urgent=True, urgent_note="卫生间地滑"),
    )
    visits.record_visit(db, who, VisitInput(pid, "phone", SEEN))  # a call does not see the floor
    [row] = [r for r in duelist.due_list(db, who).rows if r.event_id]
    assert row.check.startswith("隐患：卫生间地滑")
    promise = VisitInput(pid, "phone", SEEN, promised="联系燃气公司更换软管")
    visits.record_visit(db, who, promise)
    visits.record_visit(db, who, VisitInput(pid, "phone", SEEN))  # no promise this time
    [row] = [r for r in duelist.due_list(db, who).rows if r.event_id]
    assert "承诺：联系燃气公司更换软管" in row.check  # an unkept promise stays to be checked
    visits.record_visit(db, who, VisitInput(pid, "home", actions="铺了防滑垫"))
    assert not [r for r in duelist.due_list(db, who).rows if r.event_id]
    assert found.profile.events[0].kind_label == "探访发现隐患"
    plans.add_plan(db, who, pid, "phone", "days", 10)
    with pytest.raises(Conflict) as twice:
        plans.add_plan(db, who, pid, "phone", "days", 10)
    assert twice.value.field == "rhythm"
    plans.add_plan(db, who, pid, "phone", "days", 14)  # another rhythm is another plan


def test_the_hall_workers_and_months_come_from_the_hall(
    db: Database, at: Callable[[datetime], None]
) -> None:
    assert [name for _id, name in profiles.care_workers(db, worker(db))] == ["黄秀英"]
    at(datetime(2026, 11, 30, 17, 0))  # 01:00 on 1 December in Beijing
    firsts = report.months(db, worker(db), 2)
    assert firsts == [date(2026, 12, 1), date(2026, 11, 1), date(2026, 10, 1)]


def test_what_the_care_qa_found(db: Database, at: Callable[[datetime], None]) -> None:
    """Issue 18's QA: a visit back-dated before the plan, death before a visit, restoring
    after death, a dead person's draft, a need raised twice, an empty visit."""
    who, clerk = worker(db), actor(db, "clerk", Role.CLERK)
    pid = profile(db, "general")  # the quarterly home plan, first due today (2 November)
    ten = plans.add_plan(db, who, pid, "phone", "days", 10).plans[-1]
    visits.record_visit(db, who, VisitInput(pid, "phone", SEEN))
    back = START - timedelta(days=20)  # 13 October: before the plan existed
    visits.record_visit(db, who, VisitInput(pid, "phone", SEEN, plan_id=ten.id, visited_at=back))
    month = report.month_report(db, who, date(2026, 11, 1))
    # The call of 13 October would make the 10-day plan due on 23 October, late all November
    # (探访率 0 %): but the plan began on 2 November, and was called that day.
    assert (month.total.on_plans, month.total.kept) == (1, 1)
    assert next(p for p in month_plans(db, who, pid) if p.id == ten.id).next_due == date(
        2026, 11, 12
    )
    october = report.month_report(db, who, date(2026, 10, 1))
    assert october.total.people == 1 and october.total.visits == {"phone": 1}  # visited then

    with pytest.raises(ValidationError) as empty:
        visits.record_visit(db, who, VisitInput(pid, "home"))
    assert empty.value.field == "findings.health"
    first = visits.record_visit(db, who, VisitInput(pid, "phone", SEEN, refer="MZ003"))
    again = visits.record_visit(db, who, VisitInput(pid, "phone", SEEN, refer="MZ003"))
    assert again.draft_case_id == first.draft_case_id  # one draft per service, two lines
    [draft] = cases.drafts_of(db, clerk, first.profile.resident_id)
    assert len(draft.notice_items) == 2

    with pytest.raises(ValidationError) as early:
        profiles.set_person_state(db, who, pid, "deceased", date(2026, 10, 1))
    assert early.value.field == "state_on" and "2026-11-02" in early.value.message
    view = profiles.set_person_state(db, who, pid, "deceased", date(2026, 11, 2))
    assert cases.drafts_of(db, clerk, view.resident_id) == []  # withdrawn: nobody to apply
    cancelled = next(v for v in view.visits if not v.cancelled)
    gone = visits.cancel_visit(db, who, cancelled.id, "录入错误", cancelled.version)
    kept = next(v for v in gone.visits if v.id == cancelled.id)
    with pytest.raises(Conflict, match="不能恢复"):
        visits.restore_visit(db, who, kept.id, kept.version)


def month_plans(db: Database, who: Actor, pid: int) -> tuple[PlanView, ...]:
    return profiles.open_profile(db, who, pid).plans


def test_visits_recorded_at_once_on_several_pcs_are_all_kept(
    db: Database, at: Callable[[datetime], None]
) -> None:
    """Eight PCs record a visit of one person's plan at the same moment: each waits for the
    plan's row in turn; none is told the record changed meanwhile (issue 18's QA)."""
    import threading

    pid = profile(db, "high")
    who = worker(db)
    start = threading.Barrier(8)
    failed: list[BaseException] = []

    def record() -> None:
        start.wait()
        try:
            visits.record_visit(db, who, VisitInput(pid, "home", SEEN))
        except BaseException as exc:  # collected: the assertion below names it
            failed.append(exc)

    threads = [threading.Thread(target=record) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    view = profiles.open_profile(db, who, pid)
    assert len(view.visits) == 8 and view.plans[0].next_due == date(2026, 11, 9)
