"""Logging out (or closing) with a ticket being served: the clerk says where it goes, the
window is paused without a clerk, and the next clerk does not inherit it (issue 14)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.db.models import Ticket, Window
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import calling, queueing, windows
from app.queue.handover import PutBack
from app.queue.queueing import TicketView
from app.states import TicketState, WindowState
from ui.context import AppContext
from ui.counter.queue_dialogs import LeaveDialog
from ui.main_window import MainWindow


def _serving(qtbot: QtBot, ctx: AppContext, start: bool = True) -> tuple[MainWindow, TicketView]:
    hall = queueing.hall_by_code(ctx.db, "DEMO")
    queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall.id), "A")
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    window = MainWindow(ctx, clerk)
    qtbot.addWidget(window)
    window.show()
    panel = window.queue_panel
    qtbot.waitUntil(lambda: panel.window_id is not None)
    assert panel.window_id is not None
    windows.open_window(ctx.db, clerk, panel.window_id)
    t = calling.call_next(ctx.db, clerk, panel.window_id)
    assert t is not None
    if start:
        t = calling.start_service(ctx.db, clerk, t.id, t.version)
    panel.reload()
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.state == t.state)
    return window, t


def _window_row(ctx: AppContext, window: MainWindow) -> Window:
    with ctx.db.read_only() as s:
        row = s.get(Window, window.queue_panel.window_id)
        assert row is not None
        s.expunge(row)
        return row


def _state(ctx: AppContext, ticket_id: int) -> TicketState:
    with ctx.db.read_only() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.state


def test_logout_with_a_ticket_served_puts_it_back_where_the_clerk_chooses(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, t = _serving(qtbot, ctx)
    asked: list[TicketView] = []

    def choose(_cls: type, ticket: TicketView, _parent: object = None) -> PutBack:
        asked.append(ticket)
        return PutBack.QUEUE_KEEP

    monkeypatch.setattr(LeaveDialog, "ask", classmethod(choose))
    with qtbot.waitSignal(window.logged_out, timeout=10_000):
        window.logout()
    assert [a.code for a in asked] == [t.code]
    assert _state(ctx, t.id) == TicketState.TRANSFERRED
    row = _window_row(ctx, window)
    assert row.state == WindowState.PAUSED and row.clerk_id is None
    # The next clerk opens the same window as their own and calls the same person first.
    other = users.login(ctx.db, "clerk2", DEMO_PASSWORD)
    opened = windows.open_window(ctx.db, other, row.id)
    assert opened.clerk_id == other.user_id and opened.current is None
    again = calling.call_next(ctx.db, other, row.id)
    assert again is not None and again.code == t.code


def test_staying_keeps_the_clerk_logged_in_and_the_ticket_as_it_was(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, t = _serving(qtbot, ctx, start=False)
    monkeypatch.setattr(LeaveDialog, "ask", classmethod(lambda _c, _t, _p=None: None))
    window.logout()
    qtbot.wait(50)
    assert not window.logout_requested and window.isVisible()
    assert _state(ctx, t.id) == TicketState.CALLED
    assert _window_row(ctx, window).clerk_id == window.actor.user_id
    window.handed_over = True  # let the test close it


def test_closing_the_program_hands_the_window_over_too(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, t = _serving(qtbot, ctx, start=False)
    monkeypatch.setattr(LeaveDialog, "ask", classmethod(lambda _c, _t, _p=None: PutBack.NO_SHOW))
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert _state(ctx, t.id) == TicketState.NO_SHOW
    row = _window_row(ctx, window)
    assert row.state == WindowState.PAUSED and row.clerk_id is None


def test_the_leave_dialog_offers_what_fits_the_ticket_and_defaults_to_the_safe_choice(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window, t = _serving(qtbot, ctx)
    dialog = LeaveDialog(t, window)
    qtbot.addWidget(dialog)
    assert list(dialog.options) == [PutBack.QUEUE_KEEP, PutBack.QUEUE_END, PutBack.FINISH]
    assert dialog.choice() == PutBack.QUEUE_KEEP
    window.handed_over = True
