"""Kiosk, counter queue panel, supervisor view and hall display — offscreen, both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import paths
from app.db.models import Window
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import calling, queueing, windows
from app.states import TicketState, WindowState
from ui.context import AppContext
from ui.counter.queue_dialogs import TransferDialog
from ui.counter.queue_panel import QueuePanel
from ui.display.announcer import Announcer, call_text
from ui.display.hall_display import HallDisplay
from ui.kiosk.kiosk_window import KioskWindow
from ui.supervisor.hall_view import HallView


def _hall(ctx: AppContext) -> int:
    return queueing.hall_by_code(ctx.db, "DEMO").id


def _window_id(ctx: AppContext, number: int) -> int:
    with ctx.db.unit_of_work() as s:
        return int(s.scalars(select(Window.id).where(Window.number == number)).one())


def test_kiosk_issues_and_prints_a_ticket(qtbot: QtBot, ctx: AppContext) -> None:
    kiosk = KioskWindow(ctx, _hall(ctx))
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: "A" in kiosk.queue_buttons)
    assert "等候 0 人" in kiosk.queue_buttons["A"].text()
    kiosk.id_edit.setText("110105194912310021")  # wrong check digit
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: kiosk.id_error.text() != "")
    assert "校验位" in kiosk.id_error.text() and kiosk.last_ticket is None
    kiosk.id_edit.setText("11010519491231002X")
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    ticket = kiosk.last_ticket
    assert ticket is not None and ticket.code == "A001" and ticket.priority_reason == "老年人"
    assert "请取票：A001" in kiosk.result.text()
    saved = Path(
        paths.data_dir(), "tickets", ticket.service_day.isoformat(), f"A001-{ticket.id}.pdf"
    )
    assert saved.read_bytes().startswith(b"%PDF")  # no printer configured: kept as PDF
    qtbot.waitUntil(lambda: "等候 1 人" in kiosk.queue_buttons["A"].text())
    kiosk.close()
    assert kiosk.isVisible()  # only a supervisor may close it
    kiosk.allow_close = True  # what SupervisorExitDialog grants
    kiosk.close()
    assert not kiosk.isVisible()


def test_clerk_calls_finishes_and_transfers(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    kiosk = queueing.kiosk_actor(_hall(ctx))
    for letter in "AAA":
        queueing.issue_ticket(ctx.db, kiosk, letter)
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    panel = QueuePanel(ctx, clerk)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.board is not None)
    panel.window_combo.setCurrentIndex(panel.window_combo.findData(_window_id(ctx, 1)))
    assert not panel.buttons["call"].isEnabled()  # window closed
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.buttons["call"].isEnabled())
    assert panel.waiting.rowCount() == 3
    panel.act("call")
    qtbot.waitUntil(lambda: panel.code_label.text() == "A001")
    assert panel.buttons["start"].isEnabled() and not panel.buttons["call"].isEnabled()
    panel.act("start")
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.state == TicketState.SERVING
    )
    panel.act("finish")
    qtbot.waitUntil(lambda: panel.code_label.text() == "—")
    panel.act("call")
    qtbot.waitUntil(lambda: panel.code_label.text() == "A002")
    monkeypatch.setattr(TransferDialog, "ask", classmethod(lambda cls, *a, **k: ("queue", "C")))
    panel.act("transfer")
    qtbot.waitUntil(lambda: "已转出" in panel.message.text())
    qtbot.waitUntil(lambda: panel.code_label.text() == "—")
    board = windows.board(ctx.db, _hall(ctx))
    moved = next(t for t in board.waiting if t.code == "A002")
    assert moved.category_letter == "C"
    panel.shutdown()


def test_supervisor_sees_windows_and_long_waits(qtbot: QtBot, ctx: AppContext) -> None:
    queueing.issue_ticket(ctx.db, queueing.kiosk_actor(_hall(ctx)), "B")
    sup = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    view = HallView(ctx, sup)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.board is not None)
    assert view.windows.rowCount() == 6 and view.waiting.item(0, 0).text() == "B001"
    assert "等候 1 人" in view.summary.text()
    view.windows.selectRow(2)
    view.window_action("open")
    qtbot.waitUntil(
        lambda: view.board is not None and view.board.windows[2].state == WindowState.OPEN
    )
    view.windows.selectRow(2)
    view.window_action("close", move_to=None)
    qtbot.waitUntil(
        lambda: view.board is not None and view.board.windows[2].state == WindowState.CLOSED
    )
    view.shutdown()


def test_display_shows_and_announces_a_call(qtbot: QtBot, ctx: AppContext) -> None:
    announcer = Announcer(engine="mock")
    display = HallDisplay(ctx, _hall(ctx), announcer)
    qtbot.addWidget(display)
    qtbot.waitUntil(lambda: display.board is not None)
    queueing.issue_ticket(ctx.db, queueing.kiosk_actor(_hall(ctx)), "A")
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    windows.open_window(ctx.db, clerk, _window_id(ctx, 1))
    with qtbot.waitSignal(announcer.spoken, timeout=10_000) as spoken:
        calling.call_next(ctx.db, clerk, _window_id(ctx, 1))
    assert spoken.args == [call_text("A001", 1)] == ["请 A 0 0 1 号到 1 号窗口办理"]
    qtbot.waitUntil(lambda: display.recent.count() == 1)
    assert display.recent.item(0).text() == "A001 → 1 号窗口"
    display.shutdown()


def test_announcements_queue_without_loss_or_repeats(qtbot: QtBot) -> None:
    announcer = Announcer(engine="mock")
    heard: list[str] = []
    announcer.spoken.connect(heard.append)
    for text in ("一", "二", "三"):
        announcer.announce(text)
    qtbot.waitUntil(lambda: len(heard) == 3, timeout=15_000)
    qtbot.wait(1500)
    assert heard == ["一", "二", "三"]


def test_supervisor_adds_a_window(qtbot: QtBot, ctx: AppContext) -> None:
    from PySide6.QtCore import Qt

    from ui.supervisor.window_dialog import WindowDialog

    sup = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    board = windows.board(ctx.db, _hall(ctx))
    dialog = WindowDialog(ctx, sup, board.queues)
    qtbot.addWidget(dialog)
    dialog.number.setValue(1)  # taken
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("letters") != "")
    assert dialog.errors.message_for("letters") == "请至少选择一个服务类别。"
    dialog.letters.item(2).setCheckState(Qt.CheckState.Checked)  # C
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("number") != "")
    assert dialog.errors.message_for("number") == "1 号窗口已存在。"
    dialog.number.setValue(9)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result_window is not None)
    assert dialog.result_window is not None and dialog.result_window.letters == ("C",)
