"""The supervisor's 工作日历 tab: colours, a day adjusted with its basis, a missing basis refused."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from ui.context import AppContext
from ui.supervisor.calendar_panel import REST, SWAPPED, CalendarPanel


def test_supervisor_adjusts_a_day(qtbot: QtBot, ctx: AppContext) -> None:
    boss = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    panel = CalendarPanel(ctx, boss)
    qtbot.addWidget(panel)
    panel.show()
    panel.select(date(2026, 10, 1))
    qtbot.waitUntil(lambda: "国庆节" in panel.kind_label.text())
    fmt = panel.calendar.dateTextFormat(QDate(2026, 10, 1))
    assert fmt.background().color() == REST
    assert panel.calendar.dateTextFormat(QDate(2026, 10, 10)).background().color() == SWAPPED
    assert panel.rest.isChecked()

    panel.select(date(2026, 12, 4))
    qtbot.waitUntil(lambda: "工作日" in panel.kind_label.text())
    panel.rest.setChecked(True)
    panel.note.clear()
    panel.save_day()
    error = panel.findChild(type(panel.kind_label), "error_note")
    qtbot.waitUntil(lambda: error is not None and error.isVisible())
    assert error is not None and "依据" in error.text()
    assert panel.rest.isChecked()  # nothing chosen is lost
    panel.note.setText("本区临时休息日")
    panel.save_day()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 0).text() == "2026-12-04"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "本地调整" in panel.kind_label.text())
    assert panel.clear_button.isEnabled()
    panel.clear_day()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0)
