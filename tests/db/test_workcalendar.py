"""The supervisor's working-day calendar: library days explained, overrides change deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from app import audit
from app.cases import inbox, intake
from app.db.session import Database
from app.errors import NotFound, PermissionDenied, ValidationError
from app.hall import workcalendar
from app.roles import Role
from tests.helpers.dibao import accept_dibao
from tests.helpers.people import actor


def _next_workday(db: Database, day: date) -> date:
    with db.read_only() as s:
        return intake.calendar(s).add(day, 1)


def test_month_explains_each_day(db: Database) -> None:
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    october = {d.day: d for d in workcalendar.month(db, boss, 2026, 10)}
    assert len(october) == 31
    assert october[date(2026, 10, 1)].kind == "法定节假日"
    assert october[date(2026, 10, 1)].holiday == "国庆节"
    assert october[date(2026, 10, 10)].kind == "调休上班"  # a Saturday worked
    assert october[date(2026, 10, 10)].is_workday
    assert october[date(2026, 10, 18)].kind == "周末"
    assert october[date(2026, 10, 19)].kind == "工作日"
    assert workcalendar.year_status(db, boss, 2026) == ""
    assert "2099 年的法定节假日尚未录入" in workcalendar.year_status(db, boss, 2099)


def test_override_moves_deadlines_is_audited_and_can_be_undone(db: Database) -> None:
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    monday = date(2026, 11, 30)
    before = _next_workday(db, date(2026, 11, 27))
    assert before == monday
    with pytest.raises(ValidationError) as err:
        workcalendar.set_day(db, boss, monday, False, "  ")
    assert err.value.field == "note"
    info = workcalendar.set_day(db, boss, monday, False, "本市临时休息日（市政府通知）")
    assert info.overridden and not info.is_workday and info.kind == "本地调整：休息"
    assert _next_workday(db, date(2026, 11, 27)) == date(2026, 12, 1)
    # Changing it again keeps one row; the audit trail has both changes.
    workcalendar.set_day(db, boss, monday, True, "通知撤回，照常上班")
    assert [o.day for o in workcalendar.overrides(db, boss)] == [monday]
    assert workcalendar.clear_day(db, boss, monday).kind == "工作日"
    assert workcalendar.overrides(db, boss) == []
    with pytest.raises(NotFound):
        workcalendar.clear_day(db, boss, monday)
    actions = [e.action for e in audit.recent_events(db, actor(db, "auditor", Role.AUDITOR))]
    assert actions.count("calendar_day_set") == 2 and actions.count("calendar_day_cleared") == 1
    assert audit.verify_chain(db).ok


def test_only_a_supervisor_changes_the_calendar(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        workcalendar.set_day(db, actor(db), date(2026, 12, 1), False, "无权")


def test_a_calendar_change_reaches_this_programs_inbox_at_once(db: Database) -> None:
    """The inbox keeps the calendar briefly; a change made here is counted with at once."""
    accept_dibao(db)
    approver = actor(db, "approver", Role.APPROVER)
    [row] = inbox.inbox(db, approver).rows
    assert row.due_date is not None and row.days_left is not None
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    workcalendar.set_day(db, boss, row.due_date, False, "台风停工（测试）")
    [after] = inbox.inbox(db, approver).rows
    assert after.days_left == row.days_left - 1
