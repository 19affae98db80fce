"""The hall display announces every call exactly once, and a silent voice never stops it.

Calls go through the real services on both backends; the display is the real widget. What
it says is caught by an announcer whose ``announce`` only records (the queueing and voice of
the real announcer are tested below with the ``mock`` engine and a silent fake engine).
"""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Window
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import calling, queueing, windows
from ui.context import AppContext
from ui.display import announcer as announcer_module
from ui.display.announcer import Announcer, call_text
from ui.display.hall_display import HallDisplay


class Heard(Announcer):
    """Records what the display asks to announce (in order), without sound."""

    def __init__(self) -> None:
        super().__init__(engine="mock")
        self.heard: list[str] = []

    def announce(self, text: str) -> None:
        self.heard.append(text)


def _settle(display: HallDisplay, ctx: AppContext, qtbot: QtBot) -> None:
    """Reload the board after what was just committed and wait until it is on screen.

    The op runner has one worker: when nothing is pending, the last reload has landed.
    """
    display.reload()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=10_000)


def _setup(ctx: AppContext, qtbot: QtBot) -> tuple[HallDisplay, Heard, int]:
    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    for _ in range(2):
        queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall), "A")
    with ctx.db.unit_of_work() as s:
        w1 = int(s.scalars(select(Window.id).where(Window.number == 1)).one())
    speaker = Heard()
    display = HallDisplay(ctx, hall, speaker)
    qtbot.addWidget(display)
    _settle(display, ctx, qtbot)
    return display, speaker, w1


A001 = call_text("A001", 1)


def test_a_ticket_called_again_after_no_show_and_return_is_announced_again(
    qtbot: QtBot, ctx: AppContext
) -> None:
    display, speaker, w1 = _setup(ctx, qtbot)
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    windows.open_window(ctx.db, clerk, w1)

    first = calling.call_next(ctx.db, clerk, w1)
    assert first is not None and first.code == "A001"
    _settle(display, ctx, qtbot)
    assert speaker.heard == [A001]

    calling.no_show(ctx.db, clerk, first.id)  # 过号
    _settle(display, ctx, qtbot)
    assert speaker.heard == [A001]

    calling.return_late(ctx.db, clerk, first.id)  # 过号后返回: end of the queue
    second = calling.call_next(ctx.db, clerk, w1)
    assert second is not None and second.code == "A002"
    calling.no_show(ctx.db, clerk, second.id)
    again = calling.call_next(ctx.db, clerk, w1)
    assert again is not None and again.id == first.id and again.recall_count == 0
    _settle(display, ctx, qtbot)
    # A002 came and went between two reloads (never on the board while called); A001 is
    # on the board again with the same recall count as its first call: announced anew.
    assert speaker.heard == [A001, A001]

    for _ in range(3):  # reloads (notifications, the 10-second timer) repeat nothing
        _settle(display, ctx, qtbot)
    assert speaker.heard == [A001, A001]
    display.shutdown()


def test_a_recall_after_a_late_return_is_announced_every_time(
    qtbot: QtBot, ctx: AppContext
) -> None:
    display, speaker, w1 = _setup(ctx, qtbot)
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    windows.open_window(ctx.db, clerk, w1)
    t = calling.call_next(ctx.db, clerk, w1)
    assert t is not None
    _settle(display, ctx, qtbot)
    calling.recall(ctx.db, clerk, t.id)  # 重呼: recall count 1
    _settle(display, ctx, qtbot)
    assert speaker.heard == [A001, A001]

    calling.no_show(ctx.db, clerk, t.id)
    calling.return_late(ctx.db, clerk, t.id)
    calling.call_next(ctx.db, clerk, w1)  # A002 waited longer
    _settle(display, ctx, qtbot)
    a002 = display.board.windows[0].current if display.board else None
    assert a002 is not None and a002.code == "A002"
    calling.start_service(ctx.db, clerk, a002.id)
    calling.finish(ctx.db, clerk, a002.id)
    back = calling.call_next(ctx.db, clerk, w1)
    assert back is not None and back.id == t.id and back.recall_count == 1  # as before 过号
    _settle(display, ctx, qtbot)
    assert speaker.heard == [A001, A001, call_text("A002", 1), A001]
    calling.recall(ctx.db, clerk, t.id)
    _settle(display, ctx, qtbot)
    _settle(display, ctx, qtbot)
    assert speaker.heard == [A001, A001, call_text("A002", 1), A001, A001]
    display.shutdown()


def test_calls_on_screen_when_the_display_starts_are_not_announced(
    qtbot: QtBot, ctx: AppContext
) -> None:
    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall), "A")
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    with ctx.db.unit_of_work() as s:
        w1 = int(s.scalars(select(Window.id).where(Window.number == 1)).one())
    windows.open_window(ctx.db, clerk, w1)
    t = calling.call_next(ctx.db, clerk, w1)
    assert t is not None
    speaker = Heard()
    display = HallDisplay(ctx, hall, speaker)
    qtbot.addWidget(display)
    _settle(display, ctx, qtbot)
    _settle(display, ctx, qtbot)
    assert speaker.heard == []
    calling.recall(ctx.db, clerk, t.id)
    _settle(display, ctx, qtbot)
    assert speaker.heard == [A001]
    display.shutdown()


class SilentEngine(QObject):
    """A text-to-speech engine that starts speaking and, for some texts, never finishes.

    Signals:
        stateChanged(QTextToSpeech.State): as QTextToSpeech's.
    """

    stateChanged = Signal(QTextToSpeech.State)

    def __init__(self, silent: set[str]) -> None:
        super().__init__()
        self.silent = silent
        self.said: list[str] = []
        self.stops = 0
        self._state = QTextToSpeech.State.Ready

    def engine(self) -> str:
        return "silent-fake"

    def state(self) -> QTextToSpeech.State:
        return self._state

    def availableLocales(self) -> list[QLocale]:
        return [QLocale(QLocale.Language.Chinese, QLocale.Country.China)]

    def availableVoices(self) -> list[object]:
        return []

    def setLocale(self, _locale: QLocale) -> None:
        pass

    def say(self, text: str) -> None:
        self.said.append(text)
        self._set(QTextToSpeech.State.Speaking)
        if text not in self.silent:
            QTimer.singleShot(50, lambda: self._set(QTextToSpeech.State.Ready))

    def stop(self) -> None:
        self.stops += 1
        self._set(QTextToSpeech.State.Ready)

    def _set(self, state: QTextToSpeech.State) -> None:
        self._state = state
        self.stateChanged.emit(state)


def test_a_silent_engine_is_cut_off_by_the_watchdog_and_the_queue_moves_on(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(announcer_module, "WATCHDOG_MS_PER_CHAR", 10)
    monkeypatch.setattr(announcer_module, "WATCHDOG_MARGIN_MS", 300)
    monkeypatch.setattr(announcer_module, "CHIME_MS", 50)
    engine = SilentEngine(silent={"请 A 0 0 1 号到 1 号窗口办理"})
    speaker = Announcer(tts=engine)  # type: ignore[arg-type]
    assert speaker.has_voice
    spoken: list[str] = []
    speaker.spoken.connect(spoken.append)
    with caplog.at_level(logging.WARNING, logger=announcer_module.__name__):
        speaker.announce(A001)
        speaker.announce(call_text("A002", 2))
        qtbot.waitUntil(lambda: len(spoken) == 2, timeout=10_000)
    assert spoken == [A001, call_text("A002", 2)]
    assert engine.said == [A001, call_text("A002", 2)]  # the next one was spoken
    assert engine.stops == 1  # only the silent one was cut off
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "A 0 0 1" in warnings[0].getMessage()
    assert announcer_module.watchdog_ms(A001) == 10 * len(A001) + 300
    assert not speaker.busy


def test_the_watchdog_allows_a_long_text_more_time() -> None:
    short, long = (
        announcer_module.watchdog_ms("请 A 0 0 1 号"),
        announcer_module.watchdog_ms(call_text("A1234", 12)),
    )
    assert announcer_module.WATCHDOG_MARGIN_MS < short < long
    # A real call text is read in ~5 s; the watchdog waits well beyond that.
    assert announcer_module.watchdog_ms(A001) >= 10_000


def test_a_display_closed_while_it_chimes_is_not_called_back(qtbot: QtBot) -> None:
    """The chime's follow-up timer dies with the announcer (it used to fire into it)."""
    parent = QWidget()
    speaker = Announcer(engine="mock")
    speaker.setParent(parent)
    speaker.announce(A001)
    destroyed: list[bool] = []
    speaker.destroyed.connect(lambda: destroyed.append(True))
    parent.deleteLater()
    qtbot.waitUntil(lambda: destroyed == [True])
    qtbot.wait(announcer_module.CHIME_MS + 300)  # an exception in a timer fails the test
