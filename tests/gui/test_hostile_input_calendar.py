"""Hostile text in the calendar panel's 调整依据 field."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.hall import workcalendar
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from tests.helpers.hostile import HOSTILE, boxes, expected
from ui.context import AppContext
from ui.supervisor.calendar_panel import CalendarPanel

__all__ = ["boxes"]


def test_calendar_note(qtbot: QtBot, ctx: AppContext, boxes: list[str]) -> None:
    panel = CalendarPanel(ctx, users.login(ctx.db, "supervisor", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    panel.select(date(2026, 12, 4))
    qtbot.waitUntil(lambda: "工作日" in panel.kind_label.text())
    for kind in HOSTILE:  # 10kB last: it is saved
        _save(qtbot, ctx, panel, kind)
    assert boxes == []


def _save(qtbot: QtBot, ctx: AppContext, panel: CalendarPanel, kind: str) -> None:
    panel.rest.setChecked(True)
    panel.note.setText("本区临时休息日" + HOSTILE[kind])
    panel.save_day()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    if kind == "10kB":  # the input holds at most NOTE_MAX characters: saved as cut
        assert len(panel.note.text()) == workcalendar.NOTE_MAX
        qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    else:
        assert expected(kind) in panel.errors.message_for("note")
        assert panel.table.rowCount() == 0
