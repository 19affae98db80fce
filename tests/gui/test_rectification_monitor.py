"""差评整改 in 办件监控, on both backends: an overdue 整改 red with its count in the summary,
the 回访 required before closing, an appeal, and the monitor and dialog fitting both desks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Rectification
from app.people import users
from app.queue import queueing
from app.ratings import rating
from app.ratings.levels import rating_actor
from app.states import RectificationState
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers.ratings import MovableClock, served_ticket
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.supervisor.cases_panel import CasesPanel
from ui.supervisor.rectification_box import RED


def _bad_ratings(ctx: AppContext, n: int) -> None:
    me = rating_actor(queueing.hall_by_code(ctx.db, "DEMO").id)
    for _ in range(n):
        ticket, _clerk = served_ticket(ctx.db)
        rating.rate(ctx.db, me, f"T:{ticket.id}", 1, ["等候时间过长"], "等了一个小时")


def _panel(qtbot: QtBot, ctx: AppContext) -> CasesPanel:
    panel = CasesPanel(ctx, users.demo_actor(ctx.db, "supervisor"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    return panel


def _states(ctx: AppContext) -> list[RectificationState]:
    with ctx.db.read_only() as s:
        return list(s.scalars(select(Rectification.state).order_by(Rectification.id)))


def test_an_overdue_rectification_is_red_and_counted_then_closed_after_a_callback(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovableClock(monkeypatch)
    clock.to(ctx.db, date(2026, 9, 29))
    _bad_ratings(ctx, 2)
    clock.to(ctx.db, date(2026, 10, 13))  # the day after the due date (10-12)
    panel = _panel(qtbot, ctx)
    box = panel.rectifications
    assert box.table.rowCount() == 2
    assert "超期 1 个工作日" in box.table.item(0, 0).text()
    assert box.table.item(0, 1).background().color() == RED
    assert panel.rect_summary.text() == "差评整改：待整改 2 件，超期 2 件"
    dialog = box.open_selected()
    assert dialog is not None and "已超期 1 个工作日" in dialog.due.text()
    dialog.measures.setPlainText("窗口增派人员，高峰期开放备用窗口")
    dialog.submit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    error = dialog.findChild(type(dialog.due), "error_callback")
    assert error is not None and error.text() == "请先记录回访结果。" and dialog.isVisible()
    dialog.callback.setPlainText("11 月 2 日电话回访，群众表示理解")
    qtbot.mouseClick(dialog.callback_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert dialog.isVisible() and dialog.changed  # only the callback: still open
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible() and ctx.ops.pending == 0)
    qtbot.waitUntil(lambda: box.table.rowCount() == 1)
    assert panel.rect_summary.text() == "差评整改：待整改 1 件，超期 1 件"
    second = box.open_selected()
    assert second is not None
    second.appeal_it()  # no reason: refused under the field
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    appeal_error = second.findChild(type(second.due), "error_appeal")
    assert appeal_error is not None and appeal_error.isVisible()
    second.appeal.setPlainText("群众当场表示评价有误，有录像为证")
    second.appeal_it()
    qtbot.waitUntil(lambda: box.table.rowCount() == 0 and ctx.ops.pending == 0)
    assert _states(ctx) == [RectificationState.CLOSED, RectificationState.APPEALED]
    assert panel.rect_summary.text() == "差评整改：待整改 0 件"


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_monitor_and_the_dialog_fit(
    qtbot: QtBot, ctx: AppContext, desk_name: str, tmp_path: Path
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    _bad_ratings(ctx, 3)
    window = MainWindow(ctx, users.demo_actor(ctx.db, "supervisor"))
    qtbot.addWidget(window)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(labels.index("办件监控"))
    screen_fit.place(window, desk, Kind.WORKSPACE)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    qtbot.waitUntil(lambda: window.cases_panel.rectifications.table.rowCount() == 3)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)  # every panel loaded and laid out
    QApplication.processEvents()
    assert screen_fit.misfits(window, desk.room(Kind.WORKSPACE)) == []
    screen_fit.screenshot(window, f"monitor-rectifications-{desk_name}", tmp_path)
    dialog = window.cases_panel.rectifications.open_selected()
    assert dialog is not None
    dialog.hide()
    screen_fit.place(dialog, desk, Kind.DIALOG)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert screen_fit.misfits(dialog, desk.room(Kind.DIALOG)) == []
    screen_fit.screenshot(dialog, f"rectification-dialog-{desk_name}", tmp_path)
    dialog.reject()
