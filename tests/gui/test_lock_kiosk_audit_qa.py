"""QA2 (issue 14) reproductions: each test fails on the defect it names.

- 退出登录 from the screen lock, then 不离开 in the 离岗 question: the lock is gone but the
  screen stays covered, with no way back in (only killing the program).
- The kiosk's 8-second result timer wipes the next resident's ID while they type it.
- The auditor's list shows a device start (大厅显示屏 without Chinese voice) in codes.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.audit import listing
from app.audit.listing import AuditFilter
from app.hall import devices
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing
from tests.gui.test_kiosk_privacy import ELDER, _close, _kiosk
from tests.gui.test_leaving_the_counter import _serving
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter.queue_dialogs import LeaveDialog
from ui.idle_lock import LockDialog
from ui.kiosk import kiosk_window


def test_staying_after_logout_from_the_lock_brings_the_lock_back(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _t = _serving(qtbot, ctx)
    monkeypatch.setattr(LeaveDialog, "ask", classmethod(lambda _c, _t, _p=None: None))  # 不离开
    window.lock()
    lock = window.lock_dialog
    lock.buttons.button(lock.buttons.StandardButton.Cancel).click()  # 退出登录
    qtbot.wait(200)
    assert not window.logout_requested and window.isVisible()  # the clerk stayed
    # The clerk must be able to get back in: either the lock asks for the password again,
    # or the work is shown. Today neither: covered screen, no dialog, idle.locked stuck.
    asking = isinstance(QApplication.activeModalWidget(), LockDialog) and (
        QApplication.activeModalWidget().isVisible()
    )
    assert asking or not window.centralWidget().isHidden(), (
        "dead end: screen covered, no lock dialog to unlock"
    )
    window.handed_over = True


def test_the_result_timer_does_not_wipe_the_next_resident_typing(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kiosk_window, "RESULT_SECONDS", 1)
    kiosk = _kiosk(qtbot, ctx)
    kiosk.id_edit.setFocus()
    qtbot.keyClicks(kiosk.id_edit, id_number(date(1990, 1, 1), 11))
    kiosk.take("A")
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    # The next person steps up while the last ticket is still shown, and types their ID.
    qtbot.keyClicks(kiosk.id_edit, ELDER[:10])
    qtbot.wait(1500)  # the previous result's timer runs out
    assert kiosk.id_edit.number() == ELDER[:10], "the next resident's typing was wiped"
    _close(kiosk)


def test_a_device_start_reads_in_chinese_for_the_auditor(ctx: AppContext) -> None:
    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    devices.report_start(ctx.db, hall, devices.HALL_DISPLAY, "pc-01", "no_chinese_voice")
    auditor = users.login(ctx.db, "auditor", DEMO_PASSWORD)
    page = listing.list_events(ctx.db, auditor, AuditFilter(), None, 50)
    line = next(x for x in page.lines if x.action_label == "设备启动")
    shown = line.record + " " + line.details
    for code in ("hall_display", "no_chinese_voice", "device", "problem", "station："):
        assert code not in shown, f"code {code!r} shown to the auditor: {shown}"
