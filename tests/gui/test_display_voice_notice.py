""" "No Chinese voice" is for the hall staff: the log and the supervisor's 大厅监控, once per
start of the display — never the public screen (issue 14, item 4). Both backends.
"""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db.models import AuditEvent, Window
from app.hall import devices
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import calling, queueing, windows
from ui.context import AppContext
from ui.display import hall_display
from ui.display.announcer import Announcer
from ui.display.hall_display import HallDisplay
from ui.supervisor.hall_view import HallView

VOICE_WORDS = ("语音", "声音", "提示音", "voice")


class EnglishOnlyEngine(QObject):
    """A text-to-speech engine with an English voice only (a PC without a Chinese one).

    Signals:
        stateChanged(QTextToSpeech.State): as QTextToSpeech's.
    """

    stateChanged = Signal(QTextToSpeech.State)

    def engine(self) -> str:
        return "english-only"

    def state(self) -> QTextToSpeech.State:
        return QTextToSpeech.State.Ready

    def availableLocales(self) -> list[QLocale]:
        return [QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)]

    def availableVoices(self) -> list[object]:
        return []

    def say(self, text: str) -> None:
        raise AssertionError(f"spoke {text!r} without a Chinese voice")


def _on_screen(display: HallDisplay) -> list[str]:
    labels = [w.text() for w in display.findChildren(QLabel) if w.isVisible()]
    return labels + [display.recent.item(i).text() for i in range(display.recent.count())]


def _starts(ctx: AppContext) -> int:
    with ctx.db.read_only() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == devices.DEVICE_STARTED)
            )
            or 0
        )


def _settle(display: HallDisplay, ctx: AppContext, qtbot: QtBot) -> None:
    display.reload()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=10_000)


def test_no_chinese_voice_reaches_the_supervisor_not_the_hall(
    qtbot: QtBot, ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall), "A")
    speaker = Announcer(tts=EnglishOnlyEngine())  # type: ignore[arg-type]
    assert speaker.problem == devices.NO_CHINESE_VOICE
    with caplog.at_level(logging.WARNING, logger=hall_display.__name__):
        display = HallDisplay(ctx, hall, speaker)
    assert any("未找到中文语音" in r.getMessage() for r in caplog.records)
    qtbot.addWidget(display)
    display.resize(1366, 768)
    display.show()
    qtbot.waitUntil(lambda: display.device_reported, timeout=10_000)

    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    with ctx.db.unit_of_work() as s:
        w1 = int(s.scalars(select(Window.id).where(Window.number == 1)).one())
    windows.open_window(ctx.db, clerk, w1)
    with qtbot.waitSignal(speaker.spoken, timeout=10_000):  # the chime, no voice
        calling.call_next(ctx.db, clerk, w1)
        display.reload()
    _settle(display, ctx, qtbot)
    shown = _on_screen(display)
    assert "A001" in shown and display.banner.isHidden()
    assert not [t for t in shown if any(word in t for word in VOICE_WORDS)]
    for _ in range(3):  # reloads and calls report nothing more: once per start
        _settle(display, ctx, qtbot)
    assert _starts(ctx) == 1

    supervisor = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    view = HallView(ctx, supervisor)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.device_notice.isHidden(), timeout=10_000)
    text = view.device_notice.text()
    assert text.startswith("设备提示：大厅显示屏") and "：未找到中文语音，仅提示音（" in text
    display.shutdown()

    # The display restarted with a Chinese voice: the notice goes.
    again = HallDisplay(ctx, hall, Announcer(engine="mock"))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.device_reported, timeout=10_000)
    assert _starts(ctx) == 2
    view.reload()
    qtbot.waitUntil(lambda: view.device_notice.isHidden(), timeout=10_000)
    again.shutdown()
    view.shutdown()


def test_a_display_that_starts_without_its_database_reports_once_it_is_back(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.errors import EnvironmentProblem

    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    real = devices.report_start
    tries: list[int] = []

    def away_once(*args: object) -> None:
        tries.append(1)
        if len(tries) == 1:
            raise EnvironmentProblem("系统繁忙，请稍后重试。", "test")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(devices, "report_start", away_once)
    display = HallDisplay(ctx, hall, Announcer(tts=EnglishOnlyEngine()))  # type: ignore[arg-type]
    qtbot.addWidget(display)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=10_000)
    assert tries == [1] and not display.device_reported and _starts(ctx) == 0
    _settle(display, ctx, qtbot)
    assert display.device_reported and _starts(ctx) == 1
    display.shutdown()
