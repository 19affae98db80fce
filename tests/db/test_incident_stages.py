"""群众诉求 / 网格事件 (issue 19) beyond the main path, on both backends with a fixed clock:
every undeclared step refused, 延期申请 and its approval, an overdue stage escalated once,
photos with the report and the feedback (kept by the page store's sweep), the dispatcher's
board lights, and the departments' figures and stage times on a fixed set."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.db.models import AuditEvent, Incident
from app.db.session import Database
from app.errors import Conflict, PermissionDenied, ValidationError
from app.incidents import (
    dispatching,
    escalation,
    extensions,
    lifecycle,
    lists,
    pictures,
    progress,
    receipt,
    reporting,
)
from app.materials import records
from app.materials.intake import PreparedPage, prepare_page
from app.roles import Role
from app.states import INCIDENT_FLOW, IncidentState
from app.stats.events import event_figures
from printing import incident_receipt
from tests.helpers.incidents import COVER, SAMPLE, START, fixed_clock, people, version
from tests.helpers.pdf import barcodes, pdf_text
from tests.helpers.people import actor

S = IncidentState


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    return fixed_clock(monkeypatch)


def _photo(colour: str) -> PreparedPage:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "PNG")
    return prepare_page(buffer.getvalue(), "现场.png")


def test_every_step_the_table_does_not_declare_is_refused(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, _szs = people(db)
    eid = reporting.report(db, clerk, replace(COVER, channel="grid")).incident_id
    refused = 0
    for current in S:
        for target in S:
            if target in INCIDENT_FLOW.allowed(current):
                continue
            with db.unit_of_work() as s:
                hall, incident = lifecycle.load(s, dispatcher, eid)
                incident.state = current
                with pytest.raises(Conflict):
                    lifecycle.advance(s, dispatcher, hall, incident, target, "incident_accepted")
                s.rollback()
                refused += 1
    assert refused == len(S) ** 2 - sum(len(INCIDENT_FLOW.allowed(x)) for x in S)


def test_an_extension_is_asked_approved_and_moves_the_deadline(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, szs = people(db)
    eid = reporting.report(db, clerk, COVER).incident_id
    with pytest.raises(Conflict):  # not being handled yet
        extensions.ask(db, szs, eid, version(db, eid), 4, "需要调配吊车")
    signed = lifecycle.sign(db, szs, eid, version(db, eid))
    assert signed.stage_due_at == START + timedelta(hours=2)  # 12:00 Beijing
    with pytest.raises(ValidationError) as bad:
        extensions.ask(db, szs, eid, version(db, eid), 0, "需要调配吊车")
    assert bad.value.field == "hours"
    with pytest.raises(ValidationError) as bad:
        extensions.ask(db, szs, eid, version(db, eid), 4, "忙")
    assert bad.value.field == "reason"
    other = replace(szs, departments=frozenset({"HB"}))
    with pytest.raises(PermissionDenied):
        extensions.ask(db, other, eid, version(db, eid), 4, "需要调配吊车")
    asked = extensions.ask(db, szs, eid, version(db, eid), 4, "需要调配吊车")
    with pytest.raises(Conflict):  # one request waits at a time
        extensions.ask(db, szs, eid, version(db, eid), 2, "需要调配吊车")
    assert [r.asked_extension for r in lists.board(db, dispatcher) if r.id == eid] == [True]
    with pytest.raises(ValidationError):  # a refusal says why
        extensions.decide(db, dispatcher, asked.id, approve=False)
    with pytest.raises(PermissionDenied):
        extensions.decide(db, szs, asked.id, approve=True)
    approved = extensions.decide(db, dispatcher, asked.id, approve=True)
    assert approved.state.value == "approved"
    # 12:00 + 4 working hours: 13:30–17:30 the same afternoon → 17:30 Beijing (09:30 UTC).
    with db.read_only() as s:
        found = s.get(Incident, eid)
        assert found is not None and found.stage_due_at == datetime(2026, 10, 29, 9, 30)
    with pytest.raises(Conflict):  # decided already
        extensions.decide(db, dispatcher, asked.id, approve=False, note="不同意延期")
    stages = lists.file(db, dispatcher, eid).stages
    assert stages[-1].due_at == datetime(2026, 10, 29, 9, 30)  # the stage's deadline moved too


def test_an_overdue_stage_escalates_once_to_the_supervisor(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, szs = people(db)
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    eid = reporting.report(db, clerk, COVER).incident_id  # 签收 due 11:00
    at(START + timedelta(minutes=59))
    assert escalation.escalate_overdue(db, dispatcher) == []
    board = {r.id: r for r in lists.board(db, dispatcher)}
    assert board[eid].light == "amber" and board[eid].left_min == 1
    at(START + timedelta(hours=1, minutes=5))
    number = lists.file(db, dispatcher, eid).row.number
    assert escalation.escalate_overdue(db, dispatcher) == [number]
    assert escalation.escalate_overdue(db, supervisor) == []  # once per stage
    row = {r.id: r for r in lists.board(db, dispatcher)}[eid]
    assert row.light == "red" and row.left_min == -5 and row.escalated
    assert [r.id for r in escalation.escalated(db, supervisor)] == [eid]
    with pytest.raises(PermissionDenied):
        escalation.escalated(db, dispatcher)
    lifecycle.sign(db, szs, eid, version(db, eid))  # the stage moves: off the list
    assert escalation.escalated(db, supervisor) == []
    with db.read_only() as s:
        marks = s.execute(
            select(AuditEvent.actor_id, AuditEvent.note).where(
                AuditEvent.action == "incident_escalated"
            )
        ).all()
    assert [tuple(m) for m in marks] == [(None, "已派遣超时（应于 10-29 11:00 前完成）")]  # 系统


def test_photos_come_with_the_report_and_the_feedback(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, szs = people(db)
    page = _photo("red")
    moved = reporting.report(db, clerk, replace(COVER, photos=(page,)))
    eid = moved.incident_id
    lifecycle.sign(db, szs, eid, version(db, eid))
    with pytest.raises(PermissionDenied):  # the counter clerk is neither reporter of record
        pictures.add_photos(db, clerk, eid, "feedback", [_photo("blue")])
    with pytest.raises(ValidationError) as too_many:
        pictures.add_photos(db, szs, eid, "feedback", [_photo("blue")] * 10)
    assert too_many.value.field == "photos"
    done = _photo("green")
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已更换井盖", [done])
    seen = lists.file(db, dispatcher, eid).photos
    assert [stage for _id, stage in seen] == ["report", "feedback"]
    assert pictures.photo(db, dispatcher, seen[0][0]) == page.data
    with db.read_only() as s:
        kept = records.referenced_keys(s)
    assert {page.sha256, done.sha256} <= kept


def test_figures_and_stage_times_on_a_fixed_set(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, szs = people(db)
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    hall = clerk.hall_id
    assert hall is not None
    ids = [reporting.report(db, clerk, COVER).incident_id for _ in range(3)]  # 10:00, SZ
    at(START + timedelta(minutes=20))
    lifecycle.sign(db, szs, ids[0], version(db, ids[0]))  # in time
    lifecycle.sign(db, szs, ids[1], version(db, ids[1]))
    at(START + timedelta(hours=2))
    lifecycle.sign(db, szs, ids[2], version(db, ids[2]))  # 签收 late (due 11:00)
    lifecycle.feed_back(db, szs, ids[0], version(db, ids[0]), "已更换井盖")  # due 12:20: in time
    at(START + timedelta(hours=5))  # 15:00 Beijing: 1 h 10 min working past 12:20
    lifecycle.feed_back(db, szs, ids[1], version(db, ids[1]), "已更换井盖")  # late
    lifecycle.verify(db, dispatcher, ids[0], version(db, ids[0]), passed=True)
    lifecycle.verify(db, dispatcher, ids[1], version(db, ids[1]), passed=False, note="井盖仍松动")
    progress.rate(db, hall, lists.file(db, dispatcher, ids[0]).row.number, version(db, ids[0]), 2)
    day = date(2026, 10, 29)
    figures = event_figures(db, dispatcher, hall, day, day)
    assert (figures.reported, figures.auto_dispatched, figures.closed) == (3, 3, 1)
    (sz,) = figures.departments
    assert (sz.code, sz.dispatched, sz.responded) == ("SZ", 3, 2)
    assert (sz.handled, sz.on_time, sz.checked, sz.rework) == (2, 1, 2, 1)
    assert (sz.rated, sz.satisfied, sz.satisfied_rate) == (1, 0, 0.0)
    stages = {t.stage: t for t in figures.stages}
    assert stages["签收"].count == 3 and stages["签收"].late == 1
    assert stages["签收"].median_min == 20 and stages["签收"].p90_min == 120
    assert figures.response.median_min == 0  # the catalog dispatched at once
    assert event_figures(db, supervisor, hall, day, day) == figures
    with pytest.raises(PermissionDenied):
        event_figures(db, szs, hall, day, day)
    assert dispatching.CATALOG == "派单目录"


def test_the_receipt_reads_back_and_its_codes_scan(
    db: Database, at: Callable[[datetime], None], tmp_path: Path
) -> None:
    clerk, dispatcher, _szs = people(db)
    moved = reporting.report(db, clerk, replace(COVER, description="井盖缺失" * 200))
    pdf = incident_receipt.render(receipt.receipt(db, clerk, moved.incident_id))
    words = pdf_text(pdf, tmp_path).replace(" ", "")
    for expected in (
        "群众诉求回执",
        moved.number,
        "市政设施·井盖缺失破损",
        "幸福路3号门口",
        "张*138****8000",  # masked
        "2026-10-2910:00",
        "已派遣（市政设施管理处）",
        "…",  # the long description is cut
    ):
        assert expected in words, expected
    assert "13800138000" not in words
    assert sorted(barcodes(pdf, tmp_path)) == sorted(
        [f"QR-Code:{moved.number}", f"CODE-128:{moved.number}"]
    )
    assert lists.find_number(db, dispatcher, moved.number.lower()) == moved.incident_id
    assert lists.find_number(db, dispatcher, "DEMO-SQ20991231-9999") is None
    with db.read_only() as s:
        printed = s.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "incident_receipt_printed")
        )
    assert printed is not None


def test_a_shelved_event_comes_back_on_its_review_day(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, _szs = people(db)
    waiting = reporting.report(db, clerk, replace(COVER, subtype="LLJF02", grid="和平里第二网格"))
    eid = waiting.incident_id
    lifecycle.shelve(db, dispatcher, eid, version(db, eid), date(2026, 11, 2), "需统一改造管道")
    assert eid not in [r.id for r in lists.board(db, dispatcher)]
    assert eid in [r.id for r in lists.board(db, dispatcher, closed=True)]
    assert lists.file(db, dispatcher, eid).hall_day == date(2026, 10, 29)
    at(datetime(2026, 11, 2, 1, 0))  # Monday 09:00 in Beijing: the review day
    row = {r.id: r for r in lists.board(db, dispatcher)}[eid]
    assert (row.state_label, row.light) == ("挂账（11-02 复查到期）", "amber")
    assert eid not in [r.id for r in lists.board(db, dispatcher, closed=True)]
    resumed = dispatching.dispatch(db, dispatcher, eid, version(db, eid), "ZZ")
    assert resumed.state == S.DISPATCHED


def test_the_resident_reads_why_an_event_was_refused(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, _szs = people(db)
    moved = reporting.report(db, clerk, replace(COVER, channel="phone"))
    eid = moved.incident_id
    lifecycle.refuse(db, dispatcher, eid, version(db, eid), "属于个人房屋内部维修，请联系物业")
    assert clerk.hall_id is not None
    seen = progress.progress(db, clerk.hall_id, moved.number)
    assert seen.lines[-1][1] == "不予受理：属于个人房屋内部维修，请联系物业"


def test_the_monthly_report_prints_the_events_figures(
    db: Database, at: Callable[[datetime], None], tmp_path: Path
) -> None:
    from app.reports import bundle, monthly
    from printing.stats_report import hall_report_pdf

    clerk, dispatcher, szs = people(db)
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    eid = reporting.report(db, clerk, COVER).incident_id
    at(START + timedelta(minutes=20))
    lifecycle.sign(db, szs, eid, version(db, eid))
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已更换井盖")
    lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=True)
    day = date(2026, 10, 29)
    assert clerk.hall_id is not None
    b = bundle.load(db, supervisor, clerk.hall_id, day, day)
    report = monthly.hall_report(b, datetime(2026, 10, 29, 18, 0))
    assert report.event_departments == (
        ("市政设施管理处", "1", "100.0%", "1", "100.0%", "0.0%", "—"),
    )
    text = pdf_text(hall_report_pdf(report), tmp_path).replace(" ", "")
    assert "群众诉求处置" in text
    assert "上报1件，派单目录自动派遣1件（100.0%），结案1件" in text
    approver = replace(actor(db, "approver", Role.APPROVER), departments=frozenset({"SZ"}))
    assert bundle.load(db, approver, clerk.hall_id, day, day).events is None


def test_the_typed_sample_reported_at_the_counter_is_dispatched_by_the_catalog(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, _dispatcher, _szs = people(db)
    automatic = 0
    known = [(s, g, lead, cc) for s, g, lead, cc in SAMPLE if s != "XXXX99"]
    assert len(known) >= 30
    for subtype, grid, lead, cc in known:
        moved = reporting.report(db, clerk, replace(COVER, subtype=subtype, grid=grid))
        if lead is None:
            assert (moved.state, moved.lead_dept) == (S.ACCEPTED, None)  # for a dispatcher
            continue
        automatic += 1
        assert (moved.state, moved.lead_dept) == (S.DISPATCHED, lead)
        with db.read_only() as s:
            found = s.get(Incident, moved.incident_id)
            assert found is not None and tuple(found.cc_depts) == cc
            assert found.dispatched_by == dispatching.CATALOG
    assert automatic / len(known) >= 0.9


def test_a_request_nobody_decided_lapses_when_the_handling_ends(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, szs = people(db)
    eid = reporting.report(db, clerk, COVER).incident_id
    lifecycle.sign(db, szs, eid, version(db, eid))
    asked = extensions.ask(db, szs, eid, version(db, eid), 8, "需要协调停水")
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已更换井盖")
    (left,) = extensions.of_incident(db, dispatcher, eid)
    assert (left.id, left.state.value, left.note) == (asked.id, "lapsed", "处置已结束，申请失效")
    row = {r.id: r for r in lists.board(db, dispatcher)}[eid]
    assert row.state_label == "待核查" and not row.asked_extension
    with pytest.raises(Conflict):
        extensions.decide(db, dispatcher, asked.id, approve=True)


def test_search_is_literal_and_a_lead_is_not_also_copied(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, _szs = people(db)
    reporting.report(db, clerk, COVER)
    waiting = reporting.report(db, clerk, replace(COVER, subtype="LLJF02", grid="和平里第二网格"))
    assert len(lists.board(db, dispatcher)) == 2
    assert lists.board(db, dispatcher, query="%") == []  # not a wildcard
    assert lists.board(db, dispatcher, query="_") == []
    assert [r.id for r in lists.board(db, dispatcher, query="和平里第二")] == [waiting.incident_id]
    eid = waiting.incident_id
    with pytest.raises(ValidationError) as both:
        dispatching.dispatch(db, dispatcher, eid, version(db, eid), "WY", ("WY", "ZZ"))
    assert both.value.field == "cc"


def test_a_merge_names_the_number_it_cannot_find(
    db: Database, at: Callable[[datetime], None]
) -> None:
    clerk, dispatcher, _szs = people(db)
    first = reporting.report(db, clerk, replace(COVER, channel="grid"))
    eid = first.incident_id
    for typed, message in (
        ("  ", "请输入要合并到的事件编号。"),
        ("demo-sq20991231-9999", "没有找到事件 DEMO-SQ20991231-9999。"),
    ):
        with pytest.raises(ValidationError) as refused:
            dispatching.merge_by_number(db, dispatcher, eid, version(db, eid), typed)
        assert (refused.value.field, refused.value.message) == ("into", message)
    other = reporting.report(db, clerk, COVER)
    merged = dispatching.merge_by_number(db, dispatcher, eid, version(db, eid), other.number)
    assert merged.state == S.MERGED
