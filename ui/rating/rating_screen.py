"""The rating screen beside a counter (``onewindow --rating WINDOW``): 好差评 of each ticket.

A tablet or a second monitor facing the resident. Idle, it says "请对本次服务进行评价"
and waits; when its window finishes a ticket (:func:`app.ratings.subjects.ticket_to_rate`,
asked on every change notification and every :data:`POLL_MS`), it shows the clerk, the
window and the ticket with five big buttons. A rating recorded, it thanks the resident and
offers "评错了？重新评价" for :data:`~app.ratings.levels.RERATE_SECONDS`. With no choice
for :data:`CHOICE_TIMEOUT_S` it goes back to idle and records nothing (未评价); that ticket
is not offered again, also after the screen is restarted (this PC remembers the last
:data:`REMEMBERED` such tickets of its window in ``this_pc.ini``).

Nobody attends it: no dialogs, a banner while the database is away, and it carries on.
Leaving it needs a hall supervisor's password (Ctrl+Shift+Q), as on the kiosk.
"""

from __future__ import annotations

import logging
import time
from enum import Enum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.errors import Conflict, DomainError, EnvironmentProblem
from app.ratings import rating, subjects
from app.ratings.levels import RERATE_SECONDS, label, rating_actor
from app.ratings.rating import RatingResult
from app.ratings.subjects import RateTarget
from ui.changes import LiveRefresh
from ui.context import AppContext
from ui.kiosk.kiosk_window import SupervisorExitDialog
from ui.rating.rate_panel import TOUCH_PX, RatePanel, big
from ui.this_pc import remember_list, remembered_list

POLL_MS = 2_000
CHOICE_TIMEOUT_S = 60  # without a choice, back to idle: nothing is recorded (未评价)
# The changes after which a ticket may wait to be rated (下一位 finishes and calls in one).
FINISHING = frozenset({"ticket_finished", "call", "transfer"})
REMEMBERED = 50  # timed-out tickets this PC remembers per window (a ticket is offered ≤ 5 min)
log = logging.getLogger(__name__)


class Mode(Enum):
    """What the screen is doing."""

    IDLE = "idle"
    ASKING = "asking"
    THANKS = "thanks"


class ThanksPage(QWidget):
    """感谢您的评价, and the re-rate button while the grace period lasts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        big(self.text, 30)
        self.again = QPushButton(self.tr("评错了？重新评价"))
        self.again.setMinimumHeight(TOUCH_PX)
        self.again.setStyleSheet(
            "background: white; border: 2px solid #8EA9C1; border-radius: 12px; padding: 8px 40px;"
        )
        big(self.again, 20, bold=False)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addSpacing(30)
        layout.addWidget(self.again, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)


class RatingScreen(QWidget):
    """The resident-facing 好差评 screen of one window (full screen, no log-in)."""

    def __init__(self, ctx: AppContext, hall_id: int, window_number: int) -> None:
        super().__init__()
        self.ctx, self.hall_id, self.window_number = ctx, hall_id, window_number
        self.actor = rating_actor(hall_id)
        self.window_id: int | None = None
        self.mode = Mode.IDLE
        self.target: RateTarget | None = None
        self.result: RatingResult | None = None
        self.again = False  # asking for a re-rate of self.result
        self._not_rated_key = f"rating_screen/hall{hall_id}_window{window_number}/not_rated"
        self.not_rated = remembered_list(self._not_rated_key)  # timed out, also before a restart
        self.finished_keys: set[str] = set(self.not_rated)  # rated or timed out: never again
        self.last_outcome = ""  # "已评价" / "未评价", for the log and tests
        self.allow_close = False
        self._asking_db = False
        self._recording = False  # a choice is being recorded: the subject must not change
        self._grace_ends = 0.0
        self.setWindowTitle(self.tr("服务评价"))
        self.setStyleSheet("RatingScreen { background: #F4F8FB; }")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #C0392B; color: white; padding: 10px;")
        big(self.banner, 18)
        self.banner.hide()
        self.window_label = QLabel(self.tr("%1 号窗口").replace("%1", str(window_number)))
        self.window_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.window_label.setStyleSheet("color: #5D6D7E;")
        big(self.window_label, 16, bold=False)
        self.idle = QWidget()
        idle_layout = QVBoxLayout(self.idle)
        self.idle_title = QLabel(self.tr("请对本次服务进行评价"))
        self.idle_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_title.setStyleSheet("color: #1F4E79;")
        big(self.idle_title, 34)
        self.idle_hint = QLabel(self.tr("业务办理完毕后，请在这里为我们的服务打分"))
        self.idle_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_hint.setStyleSheet("color: #5D6D7E;")
        big(self.idle_hint, 20, bold=False)
        idle_layout.addStretch(1)
        idle_layout.addWidget(self.idle_title)
        idle_layout.addSpacing(20)
        idle_layout.addWidget(self.idle_hint)
        idle_layout.addStretch(1)
        self.panel = RatePanel()
        self.panel.chosen.connect(self.record)
        self.panel.touched.connect(self._touched)
        self.thanks = ThanksPage()
        self.thanks.again.clicked.connect(self.ask_again)
        self.pages = QStackedWidget()
        for page in (self.idle, self.panel, self.thanks):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 30)
        layout.addWidget(self.window_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.choice_timer = QTimer(self)
        self.choice_timer.setSingleShot(True)
        self.choice_timer.timeout.connect(self.time_out)
        self.grace_timer = QTimer(self)
        self.grace_timer.setSingleShot(True)
        self.grace_timer.timeout.connect(self.to_idle)
        self.live: LiveRefresh | None = None
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self, self.ask_exit)
        db = ctx.db
        ctx.ops.run(
            lambda: subjects.window_id_of(db, hall_id, window_number),
            self._window_found,
            self._no_window,
            self,
            on_trouble=self._trouble,
        )

    # ---- finding the ticket to rate -------------------------------------------------

    def _window_found(self, window_id: int) -> None:
        self.window_id = window_id
        self.banner.hide()
        self.live = LiveRefresh(self.ctx.db, self.poll, POLL_MS, self, self.hall_id, FINISHING)
        self.poll()

    def _no_window(self, error: DomainError) -> None:
        self.banner.setText(error.message)
        self.banner.show()

    def poll(self) -> None:
        """Ask whether the window finished a ticket to rate (also while the screen asks: a
        newer ticket finished replaces the one shown, which nobody is rating any more)."""
        if self.window_id is None or self.again or self._recording or self._asking_db:
            return
        db, actor, wid = self.ctx.db, self.actor, self.window_id
        self._asking_db = True
        self.ctx.ops.run(
            lambda: subjects.ticket_to_rate(db, actor, wid),
            self._offered,
            None,
            self,
            on_trouble=self._trouble,
            on_settled=self._poll_settled,
        )

    def _poll_settled(self) -> None:
        self._asking_db = False

    def _offered(self, target: RateTarget | None) -> None:
        self.banner.hide()
        if self.mode == Mode.ASKING:
            if self.again or self._recording or self.target is None:
                return  # a re-rate, or the choice is on its way to the database
            if target is None:
                # The ticket shown was rated elsewhere (kiosk, a second screen) or is too old.
                log.info("%s no longer to rate here", self.target.subject_key)
                self.finished_keys.add(self.target.subject_key)
                self.to_idle()
            elif target.subject_key != self.target.subject_key:
                # The clerk finished a newer ticket: its resident is the one at the counter.
                log.info("%s replaced by %s", self.target.subject_key, target.subject_key)
                self.finished_keys.add(self.target.subject_key)
                self.ask(target)
            return
        if target is None or target.subject_key in self.finished_keys:
            return
        self.ask(target)

    def _trouble(self, problem: EnvironmentProblem) -> None:
        """The database is busy or away: say so and keep going (no dialog)."""
        self.banner.setText(self.tr("暂时无法连接系统：%1").replace("%1", problem.message))
        self.banner.show()
        self.panel.set_busy(False)

    # ---- asking ---------------------------------------------------------------------

    def ask(self, target: RateTarget, again: bool = False) -> None:
        """Show ``target`` with the five levels; the time-out starts."""
        self.mode, self.target, self.again = Mode.ASKING, target, again
        self.grace_timer.stop()
        self.panel.show_target(target, again)
        self.pages.setCurrentWidget(self.panel)
        self.panel.setFocus()
        self.choice_timer.start(int(CHOICE_TIMEOUT_S * 1000))

    def ask_again(self) -> None:
        """评错了？重新评价: the same subject, within the grace period."""
        if self.target is not None and self.result is not None:
            self.ask(self.target, again=True)

    def _touched(self) -> None:
        if self.mode == Mode.ASKING:
            self.choice_timer.start(int(CHOICE_TIMEOUT_S * 1000))

    def time_out(self) -> None:
        """No choice in time: nothing is recorded (未评价), back to idle."""
        if self.mode != Mode.ASKING or self.target is None:
            return
        if not self.again:
            self.finished_keys.add(self.target.subject_key)
            self.not_rated.append(self.target.subject_key)
            remember_list(self._not_rated_key, self.not_rated, REMEMBERED)
            self.last_outcome = "未评价"
            log.info("rating of %s timed out: not rated", self.target.subject_key)
        self.to_idle()

    def to_idle(self) -> None:
        """The waiting screen; the next finished ticket will be offered."""
        self.choice_timer.stop()
        self.grace_timer.stop()
        self.mode, self.again = Mode.IDLE, False
        self.pages.setCurrentWidget(self.idle)
        self.poll()

    # ---- recording --------------------------------------------------------------------

    def record(self, level: int, reasons: list[str], note: str) -> None:
        """Record the choice (or the re-rate) through the service; one call."""
        target = self.target
        if target is None:
            return
        self.choice_timer.stop()
        self.panel.set_busy(True)
        self._recording = True
        db, actor = self.ctx.db, self.actor
        if self.again and self.result is not None:
            rating_id = self.result.rating_id
            self.ctx.ops.run(
                lambda: rating.rerate(db, actor, rating_id, level, reasons, note, "rating_screen"),
                self._rated,
                self._refused,
                self,
                on_trouble=self._trouble,
                on_settled=self._recorded,
            )
            return
        key = target.subject_key
        self.ctx.ops.run(
            lambda: rating.rate(db, actor, key, level, reasons, note, "rating_screen"),
            self._rated,
            self._refused,
            self,
            on_trouble=self._trouble,
            on_settled=self._recorded,
        )

    def _recorded(self) -> None:
        self._recording = False

    def _rated(self, result: RatingResult) -> None:
        self.banner.hide()
        if not self.again:
            self._grace_ends = time.monotonic() + RERATE_SECONDS
        self.result, self.mode, self.again = result, Mode.THANKS, False
        self.finished_keys.add(result.subject_key)
        self.last_outcome = "已评价"
        text = self.tr("感谢您的评价！\n您的评价：%1").replace("%1", label(result.level))
        if result.rectification_id is not None:
            text += "\n" + self.tr("我们会认真整改，并在 5 个工作日内回访。")
        self.thanks.text.setText(text)
        self.pages.setCurrentWidget(self.thanks)
        left_ms = max(0, int((self._grace_ends - time.monotonic()) * 1000))
        self.thanks.again.setVisible(left_ms > 0)
        self.grace_timer.start(left_ms)

    def _refused(self, error: DomainError) -> None:
        if isinstance(error, Conflict) and self.target is not None:
            # 已评价 elsewhere, or the 2 minutes are over: nothing to do here any more.
            self.finished_keys.add(self.target.subject_key)
            self.mode = Mode.THANKS
            self.thanks.text.setText(error.message)
            self.thanks.again.hide()
            self.pages.setCurrentWidget(self.thanks)
            self.grace_timer.start(5_000)
            return
        self.panel.show_error(error.message, error.field or "")
        self.choice_timer.start(int(CHOICE_TIMEOUT_S * 1000))

    # ---- leaving --------------------------------------------------------------------

    def ask_exit(self) -> None:
        """Leave the rating screen with a hall supervisor's password."""
        dialog = SupervisorExitDialog(self.ctx, self)
        dialog.setWindowTitle(self.tr("退出服务评价"))
        if dialog.exec():
            self.allow_close = True
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            event.ignore()
            return
        if self.live is not None:
            self.live.stop()
        self.choice_timer.stop()
        self.grace_timer.stop()
        super().closeEvent(event)
