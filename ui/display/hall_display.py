"""The hall display (叫号屏) for a TV or second monitor: the call being made, the last calls,
waiting counts, a scrolling notice, and the voice.

It is read from 5 m: every size is a fraction of the screen height (:mod:`board_sizes`) and
the parts fill the screen, beside each other on a landscape TV and stacked on a portrait
one. What concerns the hall staff, not the residents — this PC has no Chinese voice — goes
to the log and, once per start, to the supervisor's 大厅监控 (:mod:`app.hall.devices`),
never onto the public screen.

It keeps itself current: it reloads on every change notification, and every 10 seconds in
any case, so a lost notification, a database restart, a network cut or midnight can never
leave a stale board; while the database is away it says so and keeps retrying.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSysInfo, Qt, QTimer
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError, EnvironmentProblem
from app.hall import devices
from app.queue import windows
from app.queue.queueing import TicketView
from app.queue.windows import Board
from app.states import TicketState, WindowState
from ui.changes import LiveRefresh
from ui.context import AppContext
from ui.display.board_parts import CallList, FitLabel, QueueCounts
from ui.display.board_sizes import BoardSizes, sizes_for
from ui.display.silent import SilentAnnouncer, call_text, make_announcer

if TYPE_CHECKING:
    from ui.display.announcer import Announcer

log = logging.getLogger(__name__)
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
QLabel#section { color: #8DA9C4; }
QLabel#hero_code, QLabel#wait_count { color: #FFD166; }
QFrame#card { background: #13315C; border-radius: 12px; }
QLabel#notice { color: #FFD166; background: #13315C; }
QLabel#banner { color: white; background: #C0392B; }
QListWidget#recent { background: transparent; color: #F4F8FB; }
"""
# Shares of a landscape screen's width: the call being made, the last calls, waiting counts.
COLUMNS = (40, 33, 27)


class HallDisplay(QWidget):
    """Full-screen board; ``announcer`` speaks new calls.

    Signals are not needed outside: it talks to the database through the op runner only.
    ``voice_problem`` is the announcer's problem code (``app.hall.devices.PROBLEMS``) or
    ``None``; it is reported once per start, after the first board loaded.
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
        self.voice_problem: str | None = self.announcer.problem
        self.device_reported = False  # this start told to the supervisor
        self._reporting = False
        if self.voice_problem is not None:
            log.warning(
                "hall display: %s (reported to the supervisor's 大厅监控)",
                devices.PROBLEMS[self.voice_problem],
            )
        self.board: Board | None = None
        self.seen: dict[CallKey, datetime] = {}  # calls already announced (or on screen at start)
        self.first_load = True
        self.head = FitLabel("head", bold=True)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.banner = FitLabel("banner")
        self.banner.hide()
        self._db_trouble = False  # the banner shows a database problem
        self.hero_code = FitLabel("hero_code", bold=True, text="—")
        self.hero_where = FitLabel("hero_where", text=self.tr("请留意叫号"))
        for label in (self.hero_code, self.hero_where):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent = CallList()
        self.queues = QueueCounts()
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        # The scrolling text is longer than the screen: never let it widen the window.
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._notice_text = ""
        self._notice_offset = 0
        self.sections: list[QLabel] = []

        top = QHBoxLayout()
        top.addWidget(self.head, 1)
        top.addWidget(self.clock)
        self.hero, hero = self._card(self.tr("正在呼叫"))
        hero.addStretch(1)
        hero.addWidget(self.hero_code)
        hero.addWidget(self.hero_where)
        hero.addStretch(1)
        calls, in_calls = self._card(self.tr("最近叫号"))
        in_calls.addWidget(self.recent, 1)
        waiting, in_waiting = self._card(self.tr("等候人数"))
        in_waiting.addWidget(self.queues)
        in_waiting.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for card in (self.hero, calls, waiting):
            self.body.addWidget(card)
        self.root = QVBoxLayout(self)
        self.root.addLayout(top)
        self.root.addWidget(self.banner)
        self.root.addLayout(self.body, 1)
        self.root.addWidget(self.notice)
        self.sizes: BoardSizes = sizes_for(self.width(), self.height())
        self._size_parts()

        self.live = LiveRefresh(ctx.db, self.reload, REFRESH_MS, self, hall_id)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start(250)
        self.reload()

    def _card(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        """A panel with its title; the layout to fill."""
        card = QFrame()
        card.setObjectName("card")
        layout = QVBoxLayout(card)
        section = QLabel(title)
        section.setObjectName("section")
        self.sections.append(section)
        layout.addWidget(section)
        return card, layout

    # -- sizes ------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sizes = sizes_for(self.width(), self.height())
        self._size_parts()

    def _font(self, role: str, px: int | None = None, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px or self.sizes.target[role])
        font.setBold(bold)
        return font

    def _size_parts(self) -> None:
        """Apply :attr:`sizes` to every part (on resize, and when the parts change)."""
        s = self.sizes
        t, f = s.target, s.floor
        self.root.setContentsMargins(s.margin, s.margin, s.margin, s.margin)
        self.root.setSpacing(s.spacing)
        self.body.setSpacing(s.spacing * 2)
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if s.portrait else QBoxLayout.Direction.LeftToRight
        )
        for i, share in enumerate((0, 1, 0) if s.portrait else COLUMNS):
            self.body.setStretch(i, share)
        self.head.size_to(t["head"], f["head"])
        self.clock.setFont(self._font("clock"))
        self.clock.setFixedHeight(s.row("head"))
        self.banner.size_to(t["banner"], f["banner"], pad=t["banner"] // 2)
        self.hero_code.size_to(t["hero_code"], f["hero_code"])
        self.hero_where.size_to(t["hero_where"], f["hero_where"])
        self.recent.size_to(t["recent"], f["recent"])
        for section in self.sections:
            section.setFont(self._font("section"))
            section.setFixedHeight(s.row("section"))
        pad = t["notice"] // 2
        self.notice.setFont(self._font("notice"))
        self.notice.setContentsMargins(pad, 0, pad, 0)
        self.notice.setFixedHeight(s.row("notice") + pad // 2)
        self._size_queues()
        self._tick_clock()

    def _queue_room(self) -> int:
        """Height the waiting counts may take (the body, less the call in portrait)."""
        s = self.sizes
        body = self.height() - 2 * s.margin - s.row("head") - s.spacing
        for part in (self.banner, self.notice):
            if not part.isHidden():
                body -= part.height() + s.spacing
        if s.portrait:  # under the call and at least two recent calls
            hero = s.row("section") + s.row("hero_code") + s.row("hero_where") + 2 * s.spacing
            body -= hero + s.row("section") + 2 * s.row("recent") + 4 * s.spacing
        return body

    def _size_queues(self) -> None:
        if self.board is not None:
            self.queues.show_queues(self.board.queues, self.sizes, self._queue_room())

    # -- the board --------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the board; on failure show the banner and keep the last board."""
        db, hall = self.ctx.db, self.hall_id
        self.ctx.ops.run(
            lambda: windows.board(db, hall), self._loaded, parent=self, on_trouble=self._trouble
        )

    def _trouble(self, problem: EnvironmentProblem) -> None:
        """Busy or connection lost: the banner says which, the last board stays."""
        self.banner.setText(self.tr("%1 正在自动重试…").replace("%1", problem.message))
        self._db_trouble = True
        if self.banner.isHidden():
            self.banner.show()
            self._size_queues()

    def _loaded(self, board: Board) -> None:
        self.board = board
        if self._db_trouble:
            self._db_trouble = False
            self.banner.hide()
            self._size_queues()  # the room the banner took is theirs again
        self.head.setText(board.hall_name)
        self._show_call(board)
        self.recent.show_rows(
            [
                f"{t.code} → {t.window_number} 号窗口"
                for t in board.recent_calls
                if t.window_number is not None
            ]
        )
        if not self.queues.update_counts(board.queues):
            self._size_queues()
        if board.notice != self._notice_text:
            self._notice_text = board.notice
            self._notice_offset = 0
        self._report_start()
        self._announce_new(board)

    def _show_call(self, board: Board) -> None:
        """The newest call still waiting for its resident, else the newest call of the day."""
        calling = [
            w.current
            for w in board.windows
            if w.current is not None
            and w.current.state == TicketState.CALLED
            and w.current.window_number is not None
            and w.state != WindowState.CLOSED
        ]
        called = [t for t in board.recent_calls if t.window_number is not None]
        newest = max(calling, key=lambda t: t.called_at or datetime.min, default=None)
        shown = newest or (called[0] if called else None)
        if shown is None:
            self.hero_code.setText("—")
            self.hero_where.setText(self.tr("请留意叫号"))
            return
        self.hero_code.setText(shown.code)
        self.hero_where.setText(self.tr("请到 %1 号窗口").replace("%1", str(shown.window_number)))

    def _report_start(self) -> None:
        """Once per start: tell the supervisor how this display is (its voice problem)."""
        if self.device_reported or self._reporting:
            return
        self._reporting = True
        db, hall, problem = self.ctx.db, self.hall_id, self.voice_problem
        station = QSysInfo.machineHostName()

        def done(_r: None) -> None:
            self.device_reported, self._reporting = True, False

        def refused(error: DomainError) -> None:  # a bug or a removed hall: said once, dropped
            log.error("hall display start not reported: %s", error.message)
            done(None)

        def trouble(problem: EnvironmentProblem) -> None:  # the next board tries again
            self._reporting = False

        self.ctx.ops.run(
            lambda: devices.report_start(db, hall, devices.HALL_DISPLAY, station, problem),
            done,
            refused,
            parent=self,
            on_trouble=trouble,
        )

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

    def _tick_clock(self) -> None:
        zone = ZoneInfo(self.board.timezone) if self.board else None
        shape = "%H:%M:%S" if self.sizes.portrait else "%Y-%m-%d  %H:%M:%S"
        self.clock.setText(datetime.now(zone).strftime(shape))

    def _tick(self) -> None:
        self._tick_clock()
        text = self._notice_text
        if not text:
            if not self.notice.isHidden():
                self.notice.hide()
                self._size_queues()
            return
        if self.notice.isHidden():
            self.notice.show()
            self._size_queues()
        padded = text + "　　　　"
        self._notice_offset = (self._notice_offset + 1) % len(padded)
        self.notice.setText((padded[self._notice_offset :] + padded[: self._notice_offset]) * 2)

    def shutdown(self) -> None:
        """Stop timers and listening (closing)."""
        self.live.stop()
        self.ticker.stop()
