"""Hostile text in the kiosk's ID field (its only text input)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.queue import queueing
from tests.helpers.hostile import HOSTILE, SUPERSCRIPT_ID, boxes, expected
from ui.context import AppContext
from ui.kiosk.kiosk_window import KioskWindow

__all__ = ["boxes"]


def test_kiosk_id_field(qtbot: QtBot, ctx: AppContext, boxes: list[str]) -> None:
    kiosk = KioskWindow(ctx, queueing.hall_by_code(ctx.db, "DEMO").id)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: "A" in kiosk.queue_buttons)
    for kind in [*HOSTILE, "superscript", "full-width"]:  # full-width last: it issues
        _take(qtbot, ctx, kiosk, kind)
    assert boxes == []
    kiosk.allow_close = True
    kiosk.close()


def _take(qtbot: QtBot, ctx: AppContext, kiosk: KioskWindow, kind: str) -> None:
    typed = {
        "superscript": SUPERSCRIPT_ID,
        "full-width": "１１０１０５１９４９１２３１００２Ｘ",
    }.get(kind) or "11010519491231002X" + HOSTILE.get(kind, "")
    kiosk.id_edit.setText(typed)
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    if kind == "full-width":
        assert kiosk.last_ticket is not None and kiosk.last_ticket.priority_reason == "老年人"
    else:
        shows = {"superscript": "²", "10kB": "18 位"}.get(kind) or expected(kind)
        assert shows in kiosk.id_error.text() and kiosk.last_ticket is None
