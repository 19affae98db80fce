"""The kiosk and the hall display when the database is busy or the reply is lost (issue 12).

Unattended screens show a banner, never a dialog, and carry on; the kiosk retries a press
with the same token and prints the ticket the database already has.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db.models import Ticket
from app.errors import EnvironmentProblem
from app.queue import queueing, windows
from ui.context import AppContext
from ui.display.announcer import Announcer
from ui.display.hall_display import HallDisplay
from ui.kiosk import kiosk_window
from ui.kiosk.kiosk_window import KioskWindow

BUSY = EnvironmentProblem("系统繁忙，请稍后重试。")


def _hall(ctx: AppContext) -> int:
    return queueing.hall_by_code(ctx.db, ctx.settings.hall_code).id


def _dialogs() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def _tickets(ctx: AppContext) -> int:
    with ctx.db.read_only() as s:
        return int(s.scalar(select(func.count()).select_from(Ticket)) or 0)


@pytest.fixture
def kiosk(qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> KioskWindow:
    monkeypatch.setattr(kiosk_window, "RETRY_MS", 10)
    window = KioskWindow(ctx, _hall(ctx))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "A" in window.queue_buttons)
    yield window
    window.allow_close = True
    window.close()


def test_kiosk_whose_reply_was_lost_prints_the_committed_ticket(
    qtbot: QtBot, ctx: AppContext, kiosk: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = queueing.issue_ticket
    tokens: list[str | None] = []

    def reply_lost_once(*args: Any, **kwargs: Any) -> queueing.TicketView:
        tokens.append(args[5] if len(args) > 5 else kwargs.get("client_token"))
        ticket = real(*args, **kwargs)  # committed …
        if len(tokens) == 1:  # … but the first reply never reaches the kiosk
            raise EnvironmentProblem("与数据库（PostgreSQL 服务器）的连接中断，请稍后重试。")
        return ticket

    monkeypatch.setattr(queueing, "issue_ticket", reply_lost_once)
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    assert kiosk.last_ticket is not None and kiosk.last_ticket.code == "A001"
    assert len(tokens) == 2 and tokens[0] == tokens[1] and tokens[0]
    assert _tickets(ctx) == 1
    assert "请取票：A001" in kiosk.result.text() and not kiosk.banner.isVisible()
    assert _dialogs() == []
    kiosk.queue_buttons["A"].click()  # the next press has a token of its own
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None and kiosk.last_ticket.code == "A002")
    assert len(set(tokens)) == 2


def test_kiosk_shows_its_banner_while_busy_and_recovers(
    qtbot: QtBot, ctx: AppContext, kiosk: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = queueing.issue_ticket
    tries: list[str | None] = []
    busy = True

    def maybe_busy(*args: Any, **kwargs: Any) -> queueing.TicketView:
        tries.append(args[5])
        if busy:
            raise BUSY
        return real(*args, **kwargs)

    monkeypatch.setattr(queueing, "issue_ticket", maybe_busy)
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: kiosk.banner.isVisible())
    assert "系统繁忙，请稍后重试。" in kiosk.banner.text()
    assert len(tries) == kiosk_window.ISSUE_TRIES and len(set(tries)) == 1
    assert kiosk.queue_buttons["A"].isEnabled() and kiosk.last_ticket is None
    assert _dialogs() == [] and "程序内部错误" not in kiosk.banner.text()
    busy = False
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    assert not kiosk.banner.isVisible() and _tickets(ctx) == 1


def test_kiosk_and_display_boards_show_busy_and_carry_on(
    qtbot: QtBot, ctx: AppContext, kiosk: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    display = HallDisplay(ctx, _hall(ctx), Announcer(engine="mock"))
    qtbot.addWidget(display)
    display.show()
    qtbot.waitUntil(lambda: display.board is not None)
    real = windows.board

    def busy(*_args: Any) -> windows.Board:
        raise BUSY

    monkeypatch.setattr(windows, "board", busy)
    display.reload()
    kiosk.reload()
    qtbot.waitUntil(lambda: display.banner.isVisible() and kiosk.banner.isVisible())
    assert "系统繁忙" in display.banner.text() and "系统繁忙" in kiosk.banner.text()
    assert _dialogs() == []
    monkeypatch.setattr(windows, "board", real)
    display.reload()
    kiosk.reload()
    qtbot.waitUntil(lambda: not display.banner.isVisible() and not kiosk.banner.isVisible())
    display.shutdown()
