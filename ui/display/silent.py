"""The hall display without a sound system: calls are shown, not spoken.

QtMultimedia and QtTextToSpeech need the system's PulseAudio client library (Debian
``libpulse0``); where it is missing, importing them fails. The display must still show
every call, so :func:`make_announcer` falls back to :class:`SilentAnnouncer`, whose
``problem`` (:data:`app.hall.devices.NO_SOUND`) the display logs and reports to the
supervisor — never on the public screen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.hall.devices import NO_SOUND as NO_SOUND_PROBLEM

if TYPE_CHECKING:
    from ui.display.announcer import Announcer

log = logging.getLogger(__name__)
NO_SOUND = "本机没有可用的声音系统（缺少 libpulse0），叫号只显示、不发声。"


def call_text(code: str, window_number: int) -> str:
    """What is said for a call: 请 A015 号到 3 号窗口办理."""
    spaced = " ".join(code)  # letters and digits read one by one
    return f"请 {spaced} 号到 {window_number} 号窗口办理"


class SilentAnnouncer(QObject):
    """Takes announcements and plays none (the same signals as the real announcer).

    Signals:
        spoken(str): an announcement was taken (at once: there is nothing to play).

    ``problem`` is always :data:`app.hall.devices.NO_SOUND`; ``reason`` says why, for the log.
    """

    spoken = Signal(str)

    def __init__(self, reason: str = NO_SOUND, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reason = reason
        self.problem: str | None = NO_SOUND_PROBLEM

    def announce(self, text: str) -> None:
        """Nothing to play: report the announcement done at once."""
        self.spoken.emit(text)


def make_announcer(parent: QObject | None = None) -> Announcer | SilentAnnouncer:
    """The real announcer, or a silent one when this PC's sound libraries cannot load."""
    try:
        from ui.display.announcer import Announcer
    except ImportError as exc:
        log.warning("no sound system, the display stays silent: %s", exc)
        return SilentAnnouncer(parent=parent)
    return Announcer(parent=parent)
