"""The rating screen beside a counter (好差评), on both backends: a finished ticket rated
with a key and with clicks, a bad rating's reasons and 整改, a re-rate within two minutes,
a time-out that records nothing, and the screen fitting 1366×768 and 1920×1080."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Rating, Rectification
from app.db.session import Database
from app.queue import queueing
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers.ratings import served_ticket
from ui.context import AppContext
from ui.rating import rating_screen
from ui.rating.rating_screen import Mode, RatingScreen


def _ratings(db: Database) -> list[Rating]:
    with db.read_only() as s:
        rows = list(s.scalars(select(Rating).order_by(Rating.id)))
        s.expunge_all()
        return rows


def _screen(qtbot: QtBot, ctx: AppContext, number: int = 1) -> RatingScreen:
    screen = RatingScreen(ctx, queueing.hall_by_code(ctx.db, "DEMO").id, number)
    qtbot.addWidget(screen)
    screen.allow_close = True  # the test closes it (people need a supervisor's password)
    screen.show()
    qtbot.waitUntil(lambda: screen.window_id is not None or screen.banner.isVisible())
    return screen


def _offered(qtbot: QtBot, screen: RatingScreen) -> None:
    screen.poll()
    qtbot.waitUntil(lambda: screen.mode == Mode.ASKING)


def test_a_finished_ticket_is_rated_with_a_key(qtbot: QtBot, ctx: AppContext) -> None:
    screen = _screen(qtbot, ctx)
    assert screen.mode == Mode.IDLE and screen.idle_title.text() == "请对本次服务进行评价"
    ticket, clerk = served_ticket(ctx.db)
    _offered(qtbot, screen)
    assert ticket.code in screen.panel.who.text() and clerk.full_name in screen.panel.who.text()
    assert "1 号窗口" in screen.panel.who.text()
    qtbot.keyClick(screen.panel, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: screen.mode == Mode.THANKS)
    assert "满意" in screen.thanks.text.text() and screen.thanks.again.isVisible()
    [row] = _ratings(ctx.db)
    assert (row.level, row.channel, row.ticket_id) == (4, "rating_screen", ticket.id)
    screen.poll()  # rated: the same ticket is not offered again
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert screen.mode == Mode.THANKS


def test_a_bad_rating_asks_reasons_and_opens_a_rectification(qtbot: QtBot, ctx: AppContext) -> None:
    screen = _screen(qtbot, ctx)
    served_ticket(ctx.db)
    _offered(qtbot, screen)
    qtbot.mouseClick(screen.panel.level_buttons[1], Qt.MouseButton.LeftButton)
    assert screen.panel.pages.currentIndex() == 1 and _ratings(ctx.db) == []
    for reason in ("等候时间过长", "服务态度差"):
        qtbot.mouseClick(screen.panel.reason_buttons[reason], Qt.MouseButton.LeftButton)
    screen.panel.note.setText("叫号后等了很久")
    qtbot.mouseClick(screen.panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.mode == Mode.THANKS)
    assert "整改" in screen.thanks.text.text()
    [row] = _ratings(ctx.db)
    assert row.level == 1 and row.reasons == ["服务态度差", "等候时间过长"]
    assert row.note == "叫号后等了很久"
    with ctx.db.read_only() as s:
        assert s.scalar(select(Rectification.rating_id)) == row.id


def test_a_note_the_fonts_cannot_show_is_refused_under_the_note(
    qtbot: QtBot, ctx: AppContext
) -> None:
    screen = _screen(qtbot, ctx)
    served_ticket(ctx.db)
    _offered(qtbot, screen)
    qtbot.mouseClick(screen.panel.level_buttons[2], Qt.MouseButton.LeftButton)
    assert screen.panel.note_count.text() == "0/200"
    screen.panel.note.setText("等了很久😀")
    qtbot.mouseClick(screen.panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.panel.note_error.text() != "")
    assert "U+1F600" in screen.panel.note_error.text() and screen.panel.error.text() == ""
    assert screen.panel.note.text() == "等了很久😀" and _ratings(ctx.db) == []  # nothing lost
    screen.panel.note.setText("长" * 250)  # typing stops at the limit, and it says so
    assert len(screen.panel.note.text()) == 200
    assert screen.panel.note_count.text() == "已达 200 字上限"


def test_a_re_rate_within_two_minutes_replaces_the_rating(qtbot: QtBot, ctx: AppContext) -> None:
    screen = _screen(qtbot, ctx)
    served_ticket(ctx.db)
    _offered(qtbot, screen)
    qtbot.mouseClick(screen.panel.level_buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.mode == Mode.THANKS)
    qtbot.mouseClick(screen.thanks.again, Qt.MouseButton.LeftButton)
    assert screen.mode == Mode.ASKING and screen.panel.title.text() == "请重新评价"
    qtbot.keyClick(screen.panel, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: screen.mode == Mode.THANKS and ctx.ops.pending == 0)
    old, new = _ratings(ctx.db)
    assert old.superseded_by_id == new.id and new.level == 5
    with ctx.db.read_only() as s:
        [rect] = s.scalars(select(Rectification))
        assert rect.state.value == "closed"  # corrected to good: the 整改 is withdrawn


def test_no_choice_in_time_records_nothing_and_goes_back_to_idle(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rating_screen, "CHOICE_TIMEOUT_S", 0.2)
    screen = _screen(qtbot, ctx)
    served_ticket(ctx.db)
    _offered(qtbot, screen)
    qtbot.waitUntil(lambda: screen.mode == Mode.IDLE, timeout=5_000)
    assert screen.last_outcome == "未评价" and _ratings(ctx.db) == []
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    screen.poll()  # the ticket timed out is not offered again
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert screen.mode == Mode.IDLE
    restarted = _screen(qtbot, ctx)  # the screen restarted (power cut, 退出 and back)
    restarted.poll()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert restarted.mode == Mode.IDLE  # this PC remembers the ticket timed out
    assert _screen(qtbot, ctx, number=2).not_rated == []  # another window's list is its own
    served_ticket(ctx.db)  # the next resident's ticket is offered
    _offered(qtbot, restarted)


def test_a_newer_finished_ticket_replaces_the_one_nobody_rated(
    qtbot: QtBot, ctx: AppContext
) -> None:
    screen = _screen(qtbot, ctx)
    first, _clerk = served_ticket(ctx.db)
    _offered(qtbot, screen)
    assert first.code in screen.panel.who.text()
    second, _clerk = served_ticket(ctx.db)  # the clerk finished the next resident
    screen.poll()
    qtbot.waitUntil(lambda: second.code in screen.panel.who.text())
    assert screen.mode == Mode.ASKING
    qtbot.keyClick(screen.panel, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: screen.mode == Mode.THANKS and ctx.ops.pending == 0)
    [row] = _ratings(ctx.db)
    assert row.ticket_id == second.id  # the rating is the resident's at the counter now


def test_a_ticket_rated_elsewhere_leaves_the_screen(qtbot: QtBot, ctx: AppContext) -> None:
    from app.ratings import rating
    from app.ratings.levels import rating_actor

    screen = _screen(qtbot, ctx)
    ticket, _clerk = served_ticket(ctx.db)
    _offered(qtbot, screen)
    rating.rate(ctx.db, rating_actor(screen.hall_id), f"T:{ticket.id}", 4, [], "", "kiosk")
    screen.poll()
    qtbot.waitUntil(lambda: screen.mode == Mode.IDLE)
    assert len(_ratings(ctx.db)) == 1


def test_a_window_the_hall_lacks_is_said_on_a_banner(qtbot: QtBot, ctx: AppContext) -> None:
    screen = _screen(qtbot, ctx, number=99)
    qtbot.waitUntil(screen.banner.isVisible)
    assert "没有 99 号窗口" in screen.banner.text()


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_rating_screen_fits(
    qtbot: QtBot, ctx: AppContext, desk_name: str, tmp_path: Path
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    screen = _screen(qtbot, ctx)
    screen_fit.place(screen, desk, Kind.FULL_SCREEN)
    room = desk.room(Kind.FULL_SCREEN)

    def check(name: str) -> None:
        qtbot.waitUntil(lambda: ctx.ops.pending == 0)
        assert screen_fit.misfits(screen, room) == []
        screen_fit.screenshot(screen, f"rating-{name}-{desk_name}", tmp_path)

    check("idle")
    served_ticket(ctx.db)
    _offered(qtbot, screen)
    assert all(b.height() >= 80 for b in screen.panel.level_buttons.values())
    check("levels")
    qtbot.mouseClick(screen.panel.level_buttons[1], Qt.MouseButton.LeftButton)
    assert all(b.height() >= 80 for b in screen.panel.reason_buttons.values())
    assert screen.panel.submit_button.height() >= 80
    check("reasons")
    qtbot.mouseClick(screen.panel.reason_buttons["办事效率低"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.panel.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.mode == Mode.THANKS)
    check("thanks")
