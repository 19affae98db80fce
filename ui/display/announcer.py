"""Voice announcements for the hall display: a chime that always plays, then the call in
Chinese through Qt text-to-speech where the system has a Chinese voice (Windows does).

Announcements queue up: each is played to the end before the next starts; none is dropped
or repeated. With no Chinese voice it keeps chiming; :attr:`Announcer.problem` says so, for
the display to log and report to the supervisor (never on the public screen). An engine
that never reports the end of an announcement (seen with broken speech services) is cut off
by a watchdog after a time derived from the text's length, so the queue always moves on.
"""

from __future__ import annotations

import logging
from collections import deque
from importlib import resources

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QSoundEffect
from PySide6.QtTextToSpeech import QTextToSpeech

from app.hall.devices import NO_CHINESE_VOICE
from ui.display.silent import call_text

__all__ = ["Announcer", "call_text", "watchdog_ms"]

log = logging.getLogger(__name__)
CHIME_MS = 1000
# Watchdog: the longest an announcement may take. Chinese voices read about four syllables a
# second; a call text is ~20 characters (letters and digits spaced out), so ~13 s in all.
WATCHDOG_MS_PER_CHAR = 400
WATCHDOG_MARGIN_MS = 5000


def watchdog_ms(text: str) -> int:
    """How long speaking ``text`` may take before the announcer gives up on the engine."""
    return WATCHDOG_MS_PER_CHAR * len(text) + WATCHDOG_MARGIN_MS


class Announcer(QObject):
    """Plays queued announcements one after another.

    Signals:
        spoken(str): an announcement finished (chime and voice).

    ``problem`` is ``None``, or :data:`app.hall.devices.NO_CHINESE_VOICE` when this PC has
    no Chinese voice (calls are chimed only); it is known once the announcer is made.
    """

    spoken = Signal(str)

    def __init__(
        self,
        engine: str | None = None,
        parent: QObject | None = None,
        tts: QTextToSpeech | None = None,
    ) -> None:
        """``engine``: a QtTextToSpeech engine name (``mock`` in tests), else the system's.

        ``tts``: an engine object already made (tests pass one that misbehaves).
        """
        super().__init__(parent)
        self.queue: deque[str] = deque()
        self.busy = False
        self.current = ""
        self.chime = QSoundEffect(self)
        self.chime.setSource(
            QUrl.fromLocalFile(str(resources.files("resources") / "sounds" / "chime.wav"))
        )
        self.chime.setVolume(0.8)
        self.tts: QTextToSpeech | None = tts
        if tts is None:
            try:
                self.tts = QTextToSpeech(engine, self) if engine else QTextToSpeech(self)
            except RuntimeError as exc:  # no engine at all on this machine
                log.warning("text-to-speech unavailable: %s", exc)
        self.has_voice = self._choose_chinese_voice()
        self.problem: str | None = None if self.has_voice else NO_CHINESE_VOICE
        if self.tts is not None:
            self.tts.stateChanged.connect(self._tts_state)
        self._token = 0
        self._speaking = False

    def _choose_chinese_voice(self) -> bool:
        if self.tts is None or self.tts.state() == QTextToSpeech.State.Error:
            return False
        chinese = [
            loc for loc in self.tts.availableLocales() if loc.language() == QLocale.Language.Chinese
        ]
        if chinese:
            self.tts.setLocale(chinese[0])
        voices = [
            v
            for v in self.tts.availableVoices()
            if v.locale().language() == QLocale.Language.Chinese
        ]
        if voices:
            self.tts.setVoice(voices[0])
        return bool(chinese or voices) or self.tts.engine() == "mock"

    def announce(self, text: str) -> None:
        """Queue ``text``; it plays after everything queued before it."""
        self.queue.append(text)
        if not self.busy:
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.busy = False
            self.current = ""
            return
        self.busy = True
        self.current = self.queue.popleft()
        # Each announcement has its own token: a late signal about the previous one can
        # never end (and so cut short) the next.
        self._token += 1
        self._speaking = False
        token = self._token
        self.chime.play()
        QTimer.singleShot(CHIME_MS, self, lambda: self._speak(token))

    def _speak(self, token: int) -> None:
        if token != self._token:
            return
        if self.tts is None or not self.has_voice:  # the chime was all there is
            self._finished(token)
            return
        self._speaking = True
        limit = watchdog_ms(self.current)
        QTimer.singleShot(limit, self, lambda: self._watchdog(token, limit))
        self.tts.say(self.current)
        if (
            token == self._token
            and self._speaking
            and self.tts.state()
            not in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing)
        ):
            # Some engines finish synchronously, some never start: don't wait forever.
            QTimer.singleShot(0, self, lambda: self._finished_if_idle(token))

    def _tts_state(self, state: QTextToSpeech.State) -> None:
        if self._speaking and state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error):
            self._finished(self._token)

    def _finished_if_idle(self, token: int) -> None:
        if (
            token == self._token
            and self._speaking
            and self.tts is not None
            and self.tts.state() in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error)
        ):
            self._finished(token)

    def _watchdog(self, token: int, limit: int) -> None:
        """The engine never said it finished: stop it and go on with the queue."""
        if token != self._token or not self._speaking:
            return
        log.warning(
            "text-to-speech did not finish %r within %d ms; stopped, next announcement",
            self.current,
            limit,
        )
        self._speaking = False  # the engine's late "ready" must not end the next one
        if self.tts is not None:
            self.tts.stop()
        self._finished(token)

    def _finished(self, token: int) -> None:
        if token != self._token or not self.busy:
            return
        done = self.current
        self._speaking = False
        self.busy = False
        self.spoken.emit(done)
        self._next()
