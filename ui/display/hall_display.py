"""The hall display (叫号屏) for a TV or second monitor: current calls per window, the last
calls, waiting counts, a scrolling notice, and the voice.

It keeps itself current: it reloads on every change notification, and every 10 seconds in
any case, so a lost notification, a database restart, a network cut or midnight can never
leave a stale board; while the database is away it says so and keeps retrying.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.errors import EnvironmentProblem
from app.queue import windows
from app.queue.queueing import TicketView
from app.queue.windows import Board
from app.states import TicketState, WindowState
from ui.changes import LiveRefresh
from ui.context import AppContext
from ui.display.silent import SilentAnnouncer, call_text, make_announcer

if TYPE_CHECKING:
    from ui.display.announcer import Announcer

REFRESH_MS = 10_000
# Calls older than this are forgotten (a board that old can never be loaded again).
SEEN_KEEP = timedelta(hours=12)
CallKey = tuple[int, datetime]


def call_key(ticket: TicketView) -> CallKey | None:
    """One call of a ticket: the ticket and the moment of that call.

    Every call — the first, each 重呼, and a call after 过号后返回 — sets ``called_at``
    anew (``calling._transition``), so this key names the call event itself: a new call
    is a new key, and reloading the board gives the same keys again.
    """
    if ticket.called_at is None:
        return None
    return (ticket.id, ticket.called_at)


STYLE = """
HallDisplay { background: #0B2545; }
QLabel { color: #F4F8FB; }
QLabel#head { font-size: 30pt; font-weight: bold; }
QLabel#clock { font-size: 24pt; }
QLabel#section { font-size: 20pt; color: #8DA9C4; }
QLabel#callcode { font-size: 54pt; font-weight: bold; color: #FFD166; }
QLabel#callwindow { font-size: 36pt; }
QLabel#queue { font-size: 18pt; background: #13315C; border-radius: 8px; padding: 8px 14px; }
QLabel#notice { font-size: 20pt; color: #FFD166; background: #13315C; padding: 6px; }
QLabel#banner { font-size: 18pt; color: white; background: #C0392B; padding: 6px; }
QListWidget { background: #13315C; color: #F4F8FB; font-size: 22pt; border: 0; }
"""


VOICE_NOTICE_MS = 15_000  # how long the no-voice notice stays on the board


class HallDisplay(QWidget):
    """Full-screen board; ``announcer`` speaks new calls.

    Signals are not needed outside: it talks to the database through the op runner only.
    """

    def __init__(
        self,
        ctx: AppContext,
        hall_id: int,
        announcer: Announcer | SilentAnnouncer | None = None,
    ) -> None:
        super().__init__()
        self.ctx, self.hall_id = ctx, hall_id
        self.setWindowTitle(self.tr("叫号显示屏"))
        self.setStyleSheet(STYLE)
        self.announcer = announcer or make_announcer(parent=self)
        self.announcer.voice_missing.connect(self._voice_missing)
        self.board: Board | None = None
        self.seen: dict[CallKey, datetime] = {}  # calls already announced (or on screen at start)
        self.first_load = True
        self.head = QLabel()
        self.head.setObjectName("head")
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.hide()
        self._db_trouble = False  # the banner shows a database problem (not the voice)
        self.calls = QGridLayout()
        self.calls.setHorizontalSpacing(40)
        self.recent = QListWidget()
        self.queues = QHBoxLayout()
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        # The scrolling text is longer than the screen: never let it widen the window.
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._notice_text = ""
        self._notice_offset = 0

        top = QHBoxLayout()
        top.addWidget(self.head, 1)
        top.addWidget(self.clock)
        left = QVBoxLayout()
        left.addWidget(self._section(self.tr("正在办理")))
        left.addLayout(self.calls)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self._section(self.tr("最近叫号")))
        right.addWidget(self.recent, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 20, 30, 20)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        layout.addWidget(self._section(self.tr("等候人数")))
        layout.addLayout(self.queues)
        layout.addWidget(self.notice)

        self.live = LiveRefresh(ctx.db, self.reload, REFRESH_MS, self)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start(250)
        self.reload()

    def _section(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("section")
        return label

    def reload(self) -> None:
        """Fetch the board; on failure show the banner and keep the last board."""
        db, hall = self.ctx.db, self.hall_id
        self.ctx.ops.run(
            lambda: windows.board(db, hall), self._loaded, parent=self, on_trouble=self._trouble
        )

    def _trouble(self, problem: EnvironmentProblem) -> None:
        """Busy or connection lost: the banner says which, the last board stays."""
        self.banner.setText(self.tr("%1 正在自动重试…").replace("%1", problem.message))
        self.banner.show()
        self._db_trouble = True

    def _voice_missing(self, text: str) -> None:
        self._db_trouble = False
        self.banner.setText(text)
        self.banner.show()
        # With the banner as context: a display closed meanwhile cancels the timer (a
        # context-free timer would call into the deleted label and crash the program).
        QTimer.singleShot(VOICE_NOTICE_MS, self.banner, self.banner.hide)

    def _loaded(self, board: Board) -> None:
        if self._db_trouble:
            self._db_trouble = False
            self.banner.hide()
        self.board = board
        self.head.setText(board.hall_name)
        self._show_calls(board)
        self.recent.clear()
        for t in board.recent_calls:
            if t.window_number is not None:
                self.recent.addItem(f"{t.code}  →  {t.window_number} 号窗口")
        while self.queues.count():
            item = self.queues.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        for q in board.queues:
            chip = QLabel(f"{q.letter} {q.name}  {q.waiting}")
            chip.setObjectName("queue")
            self.queues.addWidget(chip)
        self.queues.addStretch(1)
        if board.notice != self._notice_text:
            self._notice_text = board.notice
            self._notice_offset = 0
        self._announce_new(board)

    def _show_calls(self, board: Board) -> None:
        while self.calls.count():
            item = self.calls.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        row = 0
        for w in board.windows:
            if w.state == WindowState.CLOSED and w.current is None:
                continue
            code = QLabel(w.current.code if w.current else "—")
            code.setObjectName("callcode")
            where = QLabel(self.tr("%1 号窗口").replace("%1", str(w.number)))
            where.setObjectName("callwindow")
            self.calls.addWidget(code, row, 0)
            self.calls.addWidget(where, row, 1)
            row += 1

    def _announce_new(self, board: Board) -> None:
        """Speak calls not announced yet, oldest first; never on the first load."""
        fresh: list[TicketView] = []
        for w in board.windows:
            t = w.current
            if t is None or t.state != TicketState.CALLED or t.window_number is None:
                continue
            key = call_key(t)
            if key is not None and key not in self.seen:
                self.seen[key] = board.now
                fresh.append(t)
        for key, when in list(self.seen.items()):
            if board.now - when > SEEN_KEEP:
                del self.seen[key]
        if self.first_load:
            self.first_load = False
            return
        for t in sorted(fresh, key=lambda t: t.called_at or datetime.min):
            assert t.window_number is not None
            self.announcer.announce(call_text(t.code, t.window_number))

    def _tick(self) -> None:
        zone = ZoneInfo(self.board.timezone) if self.board else None
        self.clock.setText(datetime.now(zone).strftime("%Y-%m-%d  %H:%M:%S"))
        text = self._notice_text
        if not text:
            self.notice.hide()
            return
        self.notice.show()
        padded = text + "　　　　"
        self._notice_offset = (self._notice_offset + 1) % len(padded)
        self.notice.setText((padded[self._notice_offset :] + padded[: self._notice_offset]) * 2)

    def shutdown(self) -> None:
        """Stop timers and listening (closing)."""
        self.live.stop()
        self.ticker.stop()
