"""The kiosk keeps the resident's number from the queue behind (issue 14, item 5): the ID
typed is shown as 110105********002X, and 30 s without input clear the screen. Both backends.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import paths
from app.db.models import Ticket
from app.queue import queueing
from ui.context import AppContext
from ui.kiosk import kiosk_window
from ui.kiosk.kiosk_window import KioskWindow
from ui.kiosk.masked_id import MaskedIdEdit, masked

ELDER = "11010519491231002X"  # born 1949: 老年人 priority, which only the real number gives


def _kiosk(qtbot: QtBot, ctx: AppContext) -> KioskWindow:
    kiosk = KioskWindow(ctx, queueing.hall_by_code(ctx.db, "DEMO").id)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: "A" in kiosk.queue_buttons)
    return kiosk


def _on_screen(kiosk: KioskWindow) -> list[str]:
    """Every text the kiosk shows."""
    return [
        w.text()
        for kind in (QLabel, QLineEdit, QAbstractButton)
        for w in kiosk.findChildren(kind)  # type: ignore[type-var]
        if w.isVisible()
    ]


def _close(kiosk: KioskWindow) -> None:
    kiosk.allow_close = True
    kiosk.close()


def test_the_number_typed_shows_its_first_six_and_last_four_only(qtbot: QtBot) -> None:
    edit = MaskedIdEdit()
    qtbot.addWidget(edit)
    edit.show()
    shown = []
    for ch in ELDER:  # typed key by key, as on the kiosk's keyboard
        qtbot.keyClick(edit, ch)
        shown.append(edit.text())
    assert edit.number() == ELDER
    assert edit.text() == "110105********002X" == masked(ELDER)
    assert shown[9] == "1101051949"  # up to ten characters nothing is hidden yet
    assert shown[12] == "110105***9123"  # the one just typed is always in view
    assert all(s.endswith(ELDER[: i + 1][-4:]) for i, s in enumerate(shown))
    assert "19491231" not in "".join(shown[14:])  # the birth date is gone at the end
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(edit, "X")  # a wrong last character corrected
    assert edit.number() == ELDER and edit.text() == "110105********002X"
    edit.setCursorPosition(3)  # the cursor cannot go into the number
    edit.selectAll()
    assert edit.cursorPosition() == 18 and not edit.hasSelectedText()
    edit.setText("１１０１０５１９４９１２３１００２Ｘ")  # a swipe, full-width
    assert edit.text() == "１１０１０５********００２Ｘ"
    edit.clear()
    assert edit.number() == "" == edit.text()


def test_the_kiosk_issues_with_the_real_number_and_shows_none_of_it(
    qtbot: QtBot, ctx: AppContext
) -> None:
    kiosk = _kiosk(qtbot, ctx)
    kiosk.id_edit.setFocus()
    qtbot.keyClicks(kiosk.id_edit, ELDER)
    assert kiosk.id_edit.text() == "110105********002X"
    assert not [t for t in _on_screen(kiosk) if "19491231" in t]
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    assert kiosk.last_ticket is not None and kiosk.last_ticket.priority_reason == "老年人"
    assert kiosk.id_edit.text() == "" and not [t for t in _on_screen(kiosk) if "1101" in t]
    _close(kiosk)


def test_thirty_seconds_without_input_bring_back_the_start_screen(
    qtbot: QtBot, ctx: AppContext
) -> None:
    assert kiosk_window.IDLE_RESET_SECONDS == 30
    kiosk = _kiosk(qtbot, ctx)
    assert kiosk.idle_timer.interval() == 30_000 and kiosk.idle_timer.isSingleShot()
    kiosk.id_edit.setFocus()
    qtbot.keyClicks(kiosk.id_edit, "110105194912310021")  # wrong check digit
    assert kiosk.idle_timer.isActive()  # typing starts the wait
    kiosk.priority_buttons["残疾人"].click()
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: "校验位" in kiosk.id_error.text())
    assert kiosk.last_ticket is None and kiosk.idle_timer.isActive()

    kiosk.idle_timer.timeout.emit()  # 30 s pass with nobody at the kiosk
    assert kiosk.id_edit.number() == "" and kiosk.id_edit.text() == ""
    assert kiosk.id_error.text() == "" and kiosk.result.text() == ""
    assert not any(b.isChecked() for b in kiosk.priority_buttons.values())
    assert not kiosk.idle_timer.isActive()
    _close(kiosk)


def test_clearing_does_not_touch_a_ticket_issued(qtbot: QtBot, ctx: AppContext) -> None:
    kiosk = _kiosk(qtbot, ctx)
    kiosk.id_edit.setText(ELDER)
    kiosk.queue_buttons["B"].click()
    kiosk.idle_timer.timeout.emit()  # the screen clears while the press is on its way
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    ticket = kiosk.last_ticket
    assert ticket is not None and ticket.code == "B001" and ticket.priority_reason == "老年人"
    assert "请取票：B001" in kiosk.result.text()  # the ticket is shown when it comes
    saved = Path(paths.data_dir(), "tickets", ticket.service_day.isoformat())
    assert [p.name for p in saved.glob("B001-*.pdf")] == [f"B001-{ticket.id}.pdf"]
    kiosk.idle_timer.timeout.emit()
    assert kiosk.result.text() == "" and kiosk.last_ticket is ticket
    with ctx.db.read_only() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
    _close(kiosk)
