"""群众诉求 / 网格事件 (issue 19, services), on both backends with a fixed clock: reported at
the counter and dispatched by the catalog, signed, fed back, checked, closed; 退单 and
re-dispatch; 返工; 并单; 挂账; an undeclared step refused; the stage clocks across a holiday."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.db.models import AuditEvent, CalendarOverride, IncidentLine
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.incidents import dispatching, lifecycle, reporting
from app.states import IncidentState
from tests.helpers.incidents import COVER, START, fixed_clock, people, version

S = IncidentState


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    return fixed_clock(monkeypatch)


def test_an_event_from_the_counter_to_closed(db: Database, at: Callable[[datetime], None]) -> None:
    clerk, dispatcher, szs = people(db)
    moved = reporting.report(db, clerk, COVER)
    assert moved.state == S.DISPATCHED and moved.lead_dept == "SZ"  # the catalog decided
    assert moved.number.startswith("DEMO-SQ20261029-")
    assert moved.stage_due_at == START + timedelta(hours=1)  # 签收 within an hour
    eid = moved.incident_id
    with pytest.raises(PermissionDenied):  # another department's staff
        lifecycle.sign(db, replace(szs, departments=frozenset({"HB"})), eid, version(db, eid))
    signed = lifecycle.sign(db, szs, eid, version(db, eid))
    assert signed.stage_due_at == START + timedelta(hours=2)  # 井盖: 2 working hours
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已加盖临时井盖并设警示")
    with pytest.raises(ValidationError) as rework:
        lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=False, note="")
    assert rework.value.field == "reason"
    back = lifecycle.verify(
        db, dispatcher, eid, version(db, eid), False, "只是临时措施，须更换井盖"
    )
    assert back.state == S.SIGNED
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已更换新井盖")
    closed = lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=True)
    assert closed.state == S.CLOSED and closed.stage_due_at is None
    with db.read_only() as s:
        lines = s.scalars(
            select(IncidentLine.text)
            .where(IncidentLine.incident_id == eid)
            .order_by(IncidentLine.id)
        ).all()
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity == "incident")).all()
    assert lines[0] == "已收到您反映的问题" and lines[-1] == "已办结"
    assert "市政设施管理处 已接单，正在处置" in lines and not any(
        "周海" in t or "陈建国" in t for t in lines
    )
    assert actions.count("incident_rework") == 1 and "incident_closed" in actions


def test_sent_back_dispatched_again_merged_and_shelved(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, szs = people(db)
    grid = replace(COVER, channel="grid")  # a grid worker's report: the dispatcher accepts it
    first = reporting.report(db, clerk, grid)
    assert first.state == S.REPORTED
    accepted = dispatching.accept_and_dispatch(
        db, dispatcher, first.incident_id, version(db, first.incident_id)
    )
    assert accepted.state == S.DISPATCHED
    eid = first.incident_id
    with pytest.raises(Conflict):  # 结案 straight from 派遣 is not declared
        lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=True)
    returned = lifecycle.send_back(db, szs, eid, version(db, eid), "不在本单位管辖范围内")
    assert returned.state == S.RETURNED
    with pytest.raises(ValidationError):  # the same department again
        dispatching.dispatch(db, dispatcher, eid, version(db, eid), "SZ")
    again = dispatching.dispatch(db, dispatcher, eid, version(db, eid), "CG", ("SZ",))
    assert again.lead_dept == "CG" and again.state == S.DISPATCHED

    duplicate = reporting.report(db, clerk, replace(grid, reporter_name="李四", reporter_phone=""))
    merged = dispatching.merge(
        db, dispatcher, duplicate.incident_id, version(db, duplicate.incident_id), eid
    )
    assert merged.state == S.MERGED
    from app.incidents import progress

    hall = clerk.hall_id
    assert hall is not None
    followed = progress.progress(db, hall, merged.number).lines[-1][1]
    assert followed == f"与同一地点已反映的问题合并处理，请凭编号 {first.number} 查询进度"

    waiting = reporting.report(db, clerk, replace(COVER, subtype="LLJF02", grid="和平里第二网格"))
    assert waiting.state == S.ACCEPTED and waiting.lead_dept is None  # rules disagree there
    with pytest.raises(ValidationError):
        lifecycle.shelve(
            db,
            dispatcher,
            waiting.incident_id,
            version(db, waiting.incident_id),
            date(2026, 10, 29),
            "需统一改造",
        )
    shelved = lifecycle.shelve(
        db,
        dispatcher,
        waiting.incident_id,
        version(db, waiting.incident_id),
        date(2027, 3, 1),
        "整栋楼管道需统一改造",
    )
    assert shelved.state == S.SHELVED and shelved.stage_due_at is None
    resumed = dispatching.dispatch(
        db, dispatcher, waiting.incident_id, version(db, waiting.incident_id), "ZZ"
    )
    assert resumed.state == S.DISPATCHED


def test_the_stage_clocks_stop_over_a_holiday(db: Database, at: Callable[[datetime], None]) -> None:
    clerk, _dispatcher, szs = people(db)
    with db.unit_of_work() as s:  # Monday 2 November made a holiday
        s.add(CalendarOverride(day=date(2026, 11, 2), is_workday=False, note="测试假日"))
        s.commit()
    at(datetime(2026, 10, 30, 9, 0))  # Friday 17:00 in Beijing
    moved = reporting.report(db, clerk, COVER)
    assert moved.stage_due_at == datetime(2026, 11, 3, 1, 30)  # Tuesday 09:30: 30 + 30 minutes
    signed = lifecycle.sign(db, szs, moved.incident_id, version(db, moved.incident_id))
    assert signed.stage_due_at == datetime(2026, 11, 3, 2, 30)  # from Friday 17:00: 2 working hours


def test_a_report_names_what_is_missing(db: Database, at: Callable[[datetime], None]) -> None:
    clerk, _dispatcher, _szs = people(db)
    for bad, field in (
        (replace(COVER, subtype="XX01"), "subtype"),
        (replace(COVER, description="坏了"), "description"),
        (replace(COVER, reporter_name="", reporter_phone=""), "reporter_name"),
        (replace(COVER, reporter_phone="123"), "reporter_phone"),
    ):
        with pytest.raises(ValidationError) as refused:
            reporting.report(db, clerk, bad)
        assert refused.value.field == field
    anonymous = reporting.report(
        db, clerk, replace(COVER, reporter_name="", reporter_phone="", anonymous=True)
    )
    assert anonymous.state == S.DISPATCHED


def test_the_resident_follows_rates_or_reopens_at_the_kiosk(
    db: Database, at: Callable[[datetime], None]
) -> None:
    from app.incidents import progress

    clerk, dispatcher, szs = people(db)
    moved = reporting.report(db, clerk, COVER)
    eid, hall = moved.incident_id, clerk.hall_id
    assert hall is not None
    seen = progress.progress(db, hall, moved.number.lower())  # typed in lower case
    assert seen.what == "市政设施 · 井盖缺失破损" and not seen.can_rate
    assert [text for _at, text in seen.lines] == [
        "已收到您反映的问题",
        "已受理，正在安排处理部门",
        "已派往 市政设施管理处 处理",
    ]
    assert seen.lines[0][0] == "10-29 10:00"  # the hall's time
    with pytest.raises(NotFound):
        progress.progress(db, hall + 1000, moved.number)  # another hall's kiosk
    lifecycle.sign(db, szs, eid, version(db, eid))
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已更换新井盖")
    lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=True)
    closed = progress.progress(db, hall, moved.number)
    assert closed.can_rate
    again = progress.not_solved(db, hall, moved.number, closed.version, "井盖还是松动，会响")
    assert again.state == S.FED_BACK  # back to 核查
    assert progress.progress(db, hall, moved.number).lines[-1][1] == progress.REOPENED
    lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=True)
    with pytest.raises(ValidationError):
        progress.rate(db, hall, moved.number, version(db, eid), 6)
    rated = progress.rate(db, hall, moved.number, version(db, eid), 5)
    assert rated.state == S.RATED and progress.progress(db, hall, moved.number).rating == 5


def test_the_event_catalogs_departments_are_known_to_the_hall(db: Database) -> None:
    """Their staff can be given them (the hall's start makes them known, once)."""
    from app.db.models import Department

    with db.read_only() as s:
        names = dict(s.execute(select(Department.code, Department.name)).all())
    assert names["SZ"] == "市政设施管理处" and names["ZZ"] == "街道综治中心"
    assert names["MZ"] == "民政局"  # the service catalog's still there
