"""评价 at the kiosk, on both backends: a ticket slip and a receipt scanned and rated with
the rating screen's buttons, a code that rates nothing explained, and the page fitting
1366×768 and 1920×1080."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Rating
from app.db.session import Database
from app.queue import queueing
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers.dibao import accept_dibao
from tests.helpers.ratings import served_ticket
from ui.context import AppContext
from ui.kiosk import rating_page
from ui.kiosk.kiosk_window import KioskWindow


def _ratings(db: Database) -> list[Rating]:
    with db.read_only() as s:
        rows = list(s.scalars(select(Rating).order_by(Rating.id)))
        s.expunge_all()
        return rows


def _kiosk(qtbot: QtBot, ctx: AppContext) -> KioskWindow:
    kiosk = KioskWindow(ctx, queueing.hall_by_code(ctx.db, "DEMO").id)
    qtbot.addWidget(kiosk)
    kiosk.allow_close = True
    kiosk.show()
    qtbot.waitUntil(lambda: "A" in kiosk.queue_buttons)
    return kiosk


def _scan(qtbot: QtBot, kiosk: KioskWindow, code: str) -> None:
    page = kiosk.rating_page
    page.code.setText(code)
    page.code.returnPressed.emit()  # the scanner's Enter
    qtbot.waitUntil(lambda: kiosk.ctx.ops.pending == 0)


def test_a_ticket_slip_is_scanned_and_rated(qtbot: QtBot, ctx: AppContext) -> None:
    kiosk = _kiosk(qtbot, ctx)
    ticket, _clerk = served_ticket(ctx.db)
    qtbot.mouseClick(kiosk.rate_button, Qt.MouseButton.LeftButton)
    page = kiosk.rating_page
    assert page.isVisible() and not page.panel.isVisible()
    _scan(qtbot, kiosk, f"T{ticket.id:08d}")
    assert page.panel.isVisible() and ticket.code in page.panel.who.text()
    qtbot.keyClick(page.panel, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: "感谢" in page.message.text())
    assert page.again_button.isVisible()
    [row] = _ratings(ctx.db)
    assert (row.level, row.channel, row.ticket_id) == (3, "kiosk", ticket.id)
    _scan(qtbot, kiosk, ticket.code)  # once only
    assert "已评价" in page.message.text()
    qtbot.mouseClick(page.leave, Qt.MouseButton.LeftButton)
    assert not page.isVisible()


def test_a_receipt_rates_the_acceptance_with_reasons(qtbot: QtBot, ctx: AppContext) -> None:
    kiosk = _kiosk(qtbot, ctx)
    case = accept_dibao(ctx.db)
    assert case.case_no is not None
    kiosk.open_rating()
    page = kiosk.rating_page
    _scan(qtbot, kiosk, case.case_no)
    assert case.case_no in page.panel.who.text() and "受理" in page.panel.who.text()
    qtbot.mouseClick(page.panel.level_buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.panel.reason_buttons["材料要求繁琐"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "整改" in page.message.text())
    [row] = _ratings(ctx.db)
    assert row.case_id == case.case_id and row.stage == "accept"
    assert row.reasons == ["材料要求繁琐"]


def test_a_code_that_rates_nothing_is_explained_and_idle_closes_the_page(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    kiosk = _kiosk(qtbot, ctx)
    kiosk.open_rating()
    page = kiosk.rating_page
    _scan(qtbot, kiosk, "hello")
    assert "无法识别" in page.message.text() and not page.panel.isVisible()
    waiting = queueing.issue_ticket(ctx.db, kiosk.actor, "B")
    _scan(qtbot, kiosk, waiting.code)
    assert "尚未办理完毕" in page.message.text()
    monkeypatch.setattr(rating_page, "IDLE_SECONDS", 0.1)
    page.touched()
    qtbot.waitUntil(lambda: not page.isVisible(), timeout=5_000)
    assert _ratings(ctx.db) == []


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_kiosk_rating_page_fits(
    qtbot: QtBot, ctx: AppContext, desk_name: str, tmp_path: Path
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    kiosk = _kiosk(qtbot, ctx)
    screen_fit.place(kiosk, desk, Kind.FULL_SCREEN)
    room = desk.room(Kind.FULL_SCREEN)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert screen_fit.misfits(kiosk, room) == []
    screen_fit.screenshot(kiosk, f"kiosk-start-{desk_name}", tmp_path)
    ticket, _clerk = served_ticket(ctx.db)
    kiosk.open_rating()
    _scan(qtbot, kiosk, ticket.code)
    assert kiosk.rating_page.geometry() == kiosk.rect()
    assert screen_fit.misfits(kiosk, room) == []
    screen_fit.screenshot(kiosk, f"kiosk-rating-{desk_name}", tmp_path)
    qtbot.mouseClick(kiosk.rating_page.panel.level_buttons[1], Qt.MouseButton.LeftButton)
    assert screen_fit.misfits(kiosk, room) == []
    reasons = [b.geometry() for b in kiosk.rating_page.panel.reason_buttons.values()]
    assert all(r.height() >= 80 for r in reasons)  # touch targets, none squeezed
    assert not any(a.intersects(b) for i, a in enumerate(reasons) for b in reasons[i + 1 :])
    screen_fit.screenshot(kiosk, f"kiosk-rating-reasons-{desk_name}", tmp_path)
