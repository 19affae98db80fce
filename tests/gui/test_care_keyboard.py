"""探访关爱 by keyboard alone (both backends), driven by key events on purpose: where the
keys land is what is tested. The due list: Enter opens the profile, F9 the visit for the
row, Esc cancels it with nothing recorded, Ctrl+Enter records; the profile: Alt+2 its
plans, Esc closes it; 服务对象: Ctrl+N the new person, whose ID then 姓名 take the typing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.care import profiles
from app.care.views import ProfileInput
from app.people import residents, users
from tests.helpers.people import id_number
from ui.care.workspace import CareWorkspace
from ui.context import AppContext


def _active(qtbot: QtBot, top: QWidget) -> None:
    top.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is top)


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_the_round_by_keyboard(qtbot: QtBot, ctx: AppContext) -> None:
    care = users.demo_actor(ctx.db, "care")
    person = residents.ResidentInput(id_number(date(1940, 1, 9), 81), "周桂芝", "13500001234")
    rid = residents.save(ctx.db, care, person).id
    inp = ProfileInput(rid, ("alone",), "key", "本人", "周桂芝", worker_id=care.user_id)
    profiles.save_profile(ctx.db, care, inp)
    ws = CareWorkspace(ctx, care)
    qtbot.addWidget(ws)
    ws.show()
    qtbot.waitUntil(lambda: bool(ws.due_panel.row_of) and ctx.ops.pending == 0)
    _active(qtbot, ws)
    table = ws.due_panel.table
    table.setFocus()

    qtbot.keyClick(table, Qt.Key.Key_F9)  # the visit for the current row
    qtbot.waitUntil(lambda: ws.due_panel.visit_dialog is not None)
    visit = ws.due_panel.visit_dialog
    assert visit is not None and visit.mode.currentData() == "home"
    _active(qtbot, visit)
    qtbot.keyClick(_focused(), Qt.Key.Key_Escape)  # cancelled: nothing recorded
    qtbot.waitUntil(lambda: not visit.isVisible())
    assert visit.recorded is None

    _active(qtbot, ws)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: ws.due_panel.visit_dialog is not None)
    visit = ws.due_panel.visit_dialog
    assert visit is not None
    _active(qtbot, visit)
    # Opened from the row, mode and plan are set: the cursor waits in 身体状况.
    assert _focused() is visit.findings["health"]
    qtbot.keyClicks(_focused(), "BP 130/80")  # QTest types ASCII only
    qtbot.keyClick(_focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not visit.isVisible() and ctx.ops.pending == 0)
    assert visit.recorded is not None and "已登记" in ws.due_panel.status.text()
    assert not ws.due_panel.row_of  # the monthly visit made: nothing due now

    ws.tabs.setCurrentWidget(ws.profiles_panel)
    qtbot.waitUntil(lambda: ws.profiles_panel.table.rowCount() == 1 and ctx.ops.pending == 0)
    _active(qtbot, ws)
    ws.profiles_panel.table.setFocus()
    qtbot.keyClick(ws.profiles_panel.table, Qt.Key.Key_Return)  # opens the profile
    qtbot.waitUntil(lambda: ws.profile_dialog is not None and ws.profile_dialog.isVisible())
    dialog = ws.profile_dialog
    assert dialog is not None
    _active(qtbot, dialog)
    qtbot.keyClick(_focused(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentWidget() is dialog.plans
    assert dialog.visits.rows[0].findings == {"health": "BP 130/80"}
    qtbot.keyClick(_focused(), Qt.Key.Key_Escape)  # nothing typed: closes without asking
    qtbot.waitUntil(lambda: ws.profile_dialog is None)

    _active(qtbot, ws)
    qtbot.keyClick(ws.profiles_panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ws.new_dialog is not None)
    step = ws.new_dialog
    assert step is not None
    _active(qtbot, step)
    assert _focused() is step.person.id_edit
    qtbot.keyClicks(_focused(), id_number(date(1950, 6, 1), 82))
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and _focused() is step.person.name_edit)
    qtbot.keyClick(_focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not step.isVisible())
