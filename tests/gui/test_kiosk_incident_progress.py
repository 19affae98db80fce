"""诉求进度查询 at the kiosk (issue 19), on both backends with a fixed clock: an event's
receipt scanned shows its public timeline; once closed it is rated (also when scanned on
the 评价 page), or said not solved with a reason (too short: said next to the field), which
sends it back to 核查; an unknown number, another hall's event, an event someone else moved
meanwhile and a database away are said on the page; the page fits both desks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db.models import Hall, Incident
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.incidents import lifecycle, progress, reporting
from app.queue import queueing
from app.states import IncidentState
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers.hostile import boxes
from tests.helpers.incidents import COVER, START, fixed_clock, people, version
from ui.context import AppContext
from ui.kiosk import event_page
from ui.kiosk.event_page import KioskEventPage
from ui.kiosk.kiosk_window import KioskWindow

__all__ = ["boxes"]
S = IncidentState


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    return fixed_clock(monkeypatch)


def _kiosk(qtbot: QtBot, ctx: AppContext) -> KioskWindow:
    kiosk = KioskWindow(ctx, queueing.hall_by_code(ctx.db, "DEMO").id)
    qtbot.addWidget(kiosk)
    kiosk.allow_close = True
    kiosk.show()
    qtbot.waitUntil(lambda: "A" in kiosk.queue_buttons)
    return kiosk


def _scan(qtbot: QtBot, ctx: AppContext, page: KioskEventPage, code: str) -> None:
    page.code.setText(code)
    page.code.returnPressed.emit()  # the scanner's Enter
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)


def _closed(db: Database, at: Callable[[datetime], None]) -> reporting.Moved:
    """COVER reported at 10:00, signed 10:20, fed back and closed at 11:00."""
    clerk, dispatcher, szs = people(db)
    moved = reporting.report(db, clerk, COVER)
    eid = moved.incident_id
    at(START + timedelta(minutes=20))
    lifecycle.sign(db, szs, eid, version(db, eid))
    at(START + timedelta(hours=1))
    lifecycle.feed_back(db, szs, eid, version(db, eid), "已更换新井盖")
    lifecycle.verify(db, dispatcher, eid, version(db, eid), passed=True)
    return moved


def _incident(db: Database, incident_id: int) -> tuple[S, int | None, str]:
    with db.read_only() as s:
        found = s.get(Incident, incident_id)
        assert found is not None
        return found.state, found.rating, found.reason


def test_a_scanned_receipt_shows_the_timeline_and_a_closed_event_is_rated(
    qtbot: QtBot,
    ctx: AppContext,
    at: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[str],
) -> None:
    clerk, dispatcher, szs = people(ctx.db)
    moved = reporting.report(ctx.db, clerk, COVER)
    eid = moved.incident_id
    kiosk = _kiosk(qtbot, ctx)
    qtbot.mouseClick(kiosk.event_button, Qt.MouseButton.LeftButton)
    page = kiosk.event_page
    assert page.isVisible() and not page.event_box.isVisible()
    _scan(qtbot, ctx, page, moved.number.lower())  # typed in lower case
    assert page.event_box.isVisible() and page.message.text() == ""
    assert page.what.text() == "市政设施 · 井盖缺失破损"
    assert page.address.text() == "地点：幸福路 3 号门口"
    assert page.state.text() == "已派遣"
    assert page.line_texts() == [
        "10-29 10:00  已收到您反映的问题",
        "10-29 10:00  已受理，正在安排处理部门",
        "10-29 10:00  已派往 市政设施管理处 处理",
    ]
    assert not page.choices.isVisible()  # nothing to rate before 结案
    at(START + timedelta(minutes=20))
    lifecycle.sign(ctx.db, szs, eid, version(ctx.db, eid))
    at(START + timedelta(hours=1))
    lifecycle.feed_back(ctx.db, szs, eid, version(ctx.db, eid), "已更换新井盖")
    lifecycle.verify(ctx.db, dispatcher, eid, version(ctx.db, eid), passed=True)
    qtbot.mouseClick(page.leave, Qt.MouseButton.LeftButton)
    assert not page.isVisible() and page.line_texts() == []  # forgotten for the next person

    kiosk.open_rating()  # the receipt scanned on the 评价 page goes to the event's page
    rating = kiosk.rating_page
    rating.code.setText(moved.number)
    rating.code.returnPressed.emit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert not rating.isVisible() and page.isVisible()
    assert page.state.text() == "已结案" and page.choices.isVisible()
    assert page.line_texts()[-3:] == [
        "10-29 10:20  市政设施管理处 已接单，正在处置",
        "10-29 11:00  处置完毕，正在核查",
        "10-29 11:00  已办结",
    ]
    shown = " ".join(page.line_texts())
    assert all(name not in shown for name in (clerk.full_name, szs.full_name, "张三"))
    monkeypatch.setattr(event_page, "THANKS_SECONDS", 0.2)
    qtbot.mouseClick(page.choices.level_buttons[5], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert page.message.text() == "感谢您的评价！（非常满意）"
    assert page.state.text() == "已回访" and not page.choices.isVisible()
    assert page.line_texts()[-1] == "10-29 11:00  已回访评价"
    assert _incident(ctx.db, eid)[:2] == (S.RATED, 5)
    qtbot.waitUntil(lambda: not page.isVisible(), timeout=5_000)  # back to the start screen
    assert boxes == []


def test_not_solved_needs_a_reason_and_sends_the_event_back_to_check(
    qtbot: QtBot, ctx: AppContext, at: Callable[[datetime], None], boxes: list[str]
) -> None:
    moved = _closed(ctx.db, at)
    kiosk = _kiosk(qtbot, ctx)
    kiosk.open_event()
    page = kiosk.event_page
    _scan(qtbot, ctx, page, moved.number)
    qtbot.mouseClick(page.choices.unsolved_button, Qt.MouseButton.LeftButton)
    assert page.choices.reason.isVisible() and not page.choices.level_buttons[5].isVisible()
    page.choices.reason.setText("没修")
    qtbot.mouseClick(page.choices.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert page.choices.reason_error.text() == "请写明未解决的情况（至少 4 个字）。"
    assert (
        page.choices.reason_error.isVisible() and page.choices.reason.text() == "没修"
    )  # nothing lost
    assert _incident(ctx.db, moved.incident_id)[0] == S.CLOSED
    page.choices.reason.setText("井盖还是松动，踩上去会响")
    page.choices.reason.returnPressed.emit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert page.message.text() == "已收到您的反馈，我们将重新核查处理情况。"
    assert page.state.text() == "待核查" and not page.choices.isVisible()
    assert _incident(ctx.db, moved.incident_id) == (S.FED_BACK, None, "井盖还是松动，踩上去会响")
    assert boxes == []


def test_unknown_other_halls_moved_and_unreachable_are_said_on_the_page(
    qtbot: QtBot,
    ctx: AppContext,
    at: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
    boxes: list[str],
) -> None:
    clerk, _dispatcher, _szs = people(ctx.db)
    with ctx.db.unit_of_work() as s:
        other = Hall(code="ZZ99", name="另一个便民服务中心")
        s.add(other)
        s.commit()
        other_id = other.id
    theirs = reporting.report(ctx.db, replace(clerk, hall_id=other_id), COVER)
    assert theirs.number.startswith("ZZ99-SQ")
    kiosk = _kiosk(qtbot, ctx)
    kiosk.open_event()
    page = kiosk.event_page
    _scan(qtbot, ctx, page, "DEMO-SQ20991231-9999")
    assert page.message.text() == "没有找到事件 DEMO-SQ20991231-9999。"
    _scan(qtbot, ctx, page, theirs.number)
    assert page.message.text() == f"没有找到事件 {theirs.number}。"
    assert not page.event_box.isVisible()
    _scan(qtbot, ctx, page, "  ")
    assert "请扫描诉求回执" in page.message.text()

    moved = _closed(ctx.db, at)
    _scan(qtbot, ctx, page, moved.number)
    assert page.choices.isVisible()
    hall = kiosk.hall_id
    progress.rate(ctx.db, hall, moved.number, version(ctx.db, moved.incident_id), 4)  # elsewhere
    qtbot.mouseClick(page.choices.level_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert page.message.text() == "该事件刚有新的进展，请重新查看后再评价。"
    assert page.state.text() == "已回访" and not page.choices.isVisible()  # read again
    assert _incident(ctx.db, moved.incident_id)[:2] == (S.RATED, 4)

    def away(*_args: object) -> progress.Progress:
        raise EnvironmentProblem("无法连接数据库，请稍后重试。")

    monkeypatch.setattr(progress, "progress", away)
    _scan(qtbot, ctx, page, moved.number)
    assert page.message.text() == "暂时无法查询：无法连接数据库，请稍后重试。"
    _scan(qtbot, ctx, page, "王\x00五")  # hostile text: refused as text, no box
    assert boxes == []


def test_a_rating_page_code_that_is_no_event_stays_there(qtbot: QtBot, ctx: AppContext) -> None:
    kiosk = _kiosk(qtbot, ctx)
    kiosk.open_rating()
    rating = kiosk.rating_page
    rating.code.setText("DEMO-MZ20991231-0001")  # a case number: rated there, not an event
    rating.code.returnPressed.emit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert rating.isVisible() and not kiosk.event_page.isVisible()
    assert rating.message.text() != ""


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_event_page_fits(
    qtbot: QtBot,
    ctx: AppContext,
    at: Callable[[datetime], None],
    desk_name: str,
    tmp_path: Path,
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    moved = _closed(ctx.db, at)
    _c, dispatcher, szs = people(ctx.db)
    eid = moved.incident_id
    kiosk = _kiosk(qtbot, ctx)
    screen_fit.place(kiosk, desk, Kind.FULL_SCREEN)
    room = desk.room(Kind.FULL_SCREEN)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert screen_fit.misfits(kiosk, room) == []  # the start screen with its new button
    kiosk.open_event()
    page = kiosk.event_page
    hall = kiosk.hall_id  # a longer life: not solved → 返工 → 反馈 → 结案 again
    progress.not_solved(ctx.db, hall, moved.number, version(ctx.db, eid), "井盖仍然松动")
    lifecycle.verify(ctx.db, dispatcher, eid, version(ctx.db, eid), False, "须更换整套井座")
    lifecycle.feed_back(ctx.db, szs, eid, version(ctx.db, eid), "已更换整套井座")
    lifecycle.verify(ctx.db, dispatcher, eid, version(ctx.db, eid), passed=True)
    _scan(qtbot, ctx, page, moved.number)
    assert page.geometry() == kiosk.rect() and len(page.line_texts()) == 10
    assert screen_fit.misfits(kiosk, room) == []
    levels = [b.geometry() for b in page.choices.level_buttons.values()]
    assert all(r.height() >= 96 for r in levels)  # touch targets
    screen_fit.screenshot(kiosk, f"kiosk-event-{desk_name}", tmp_path)
    qtbot.mouseClick(page.choices.unsolved_button, Qt.MouseButton.LeftButton)
    page.choices.reason.setText("没修")
    page.choices.send_reason()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and page.choices.reason_error.text() != "")
    assert screen_fit.misfits(kiosk, room) == []
    screen_fit.screenshot(kiosk, f"kiosk-event-reason-{desk_name}", tmp_path)
