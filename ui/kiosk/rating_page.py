"""评价 at the kiosk: a resident scans a ticket slip or a receipt and rates the service.

Shown over the kiosk's start screen (a child covering it, not a dialog: nobody attends a
kiosk). The scanner types the barcode into the field and presses Enter; a ticket code can
be typed too. What the code may rate comes from :func:`app.ratings.subjects.find_target`
(a finished ticket; a case at acceptance, or at pickup once delivered) and the choice is
made on the rating screen's own :class:`~ui.rating.rate_panel.RatePanel`; an event's receipt
(群众诉求回执) is handed to the kiosk's progress page instead. A re-rate is
offered for 2 minutes; :data:`IDLE_SECONDS` without a touch bring back the start screen
with nothing recorded.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import Conflict, DomainError, EnvironmentProblem, NotFound
from app.queue import queueing
from app.ratings import rating, subjects
from app.ratings.levels import RERATE_SECONDS, label
from app.ratings.rating import RatingResult
from app.ratings.subjects import RateTarget
from ui.context import AppContext
from ui.kiosk.event_page import is_event_number
from ui.rating.rate_panel import TOUCH_PX, RatePanel, big

IDLE_SECONDS = 60


class KioskRatingPage(QWidget):
    """Scan, rate, thanks — over the kiosk's start screen.

    Signals:
        done(): the resident finished or left; the kiosk shows its start screen again.
        event_scanned(str): an event's number was scanned: its progress page should open.
    """

    done = Signal()
    event_scanned = Signal(str)

    def __init__(self, ctx: AppContext, hall_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rating_page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#rating_page { background: #F4F8FB; }")
        self.ctx, self.actor = ctx, queueing.kiosk_actor(hall_id)
        self.target: RateTarget | None = None
        self.result: RatingResult | None = None
        self.again = False
        self._grace_ends = 0.0
        title = QLabel(self.tr("服务评价"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(title, 28)
        self.hint = QLabel(self.tr("请扫描号票或受理回执上的条码，也可输入号票号码"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(self.hint, 18, bold=False)
        self.code = QLineEdit()
        self.code.setMinimumHeight(TOUCH_PX * 2 // 3)
        self.code.setPlaceholderText(self.tr("条码或号票号码，如 A015"))
        big(self.code, 20, bold=False)
        self.code.returnPressed.connect(self.look_up)
        self.code.textEdited.connect(self.touched)
        self.find_button = QPushButton(self.tr("查找"))
        self.leave = QPushButton(self.tr("返回取号"))
        for b in (self.find_button, self.leave):
            b.setMinimumHeight(TOUCH_PX * 2 // 3)
            big(b, 18)
        self.find_button.clicked.connect(self.look_up)
        self.leave.clicked.connect(self.close_page)
        # Hidden while the resident chooses (the page must fit 768 px with the reasons).
        self.scan_box = QWidget()
        scan_row = QHBoxLayout(self.scan_box)
        scan_row.setContentsMargins(0, 0, 0, 0)
        scan_row.addWidget(self.code, 1)
        scan_row.addWidget(self.find_button)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        big(self.message, 20)
        self.panel = RatePanel()
        self.panel.chosen.connect(self.record)
        self.panel.touched.connect(self.touched)
        self.panel.hide()
        self.again_button = QPushButton(self.tr("评错了？重新评价"))
        self.again_button.setMinimumHeight(TOUCH_PX)
        big(self.again_button, 18, bold=False)
        self.again_button.clicked.connect(self.ask_again)
        self.again_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        title_row = QHBoxLayout()
        title_row.addSpacing(self.leave.sizeHint().width())
        title_row.addWidget(title, 1)
        title_row.addWidget(self.leave)
        layout.addLayout(title_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.scan_box)
        layout.addWidget(self.message)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(0)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.close_page)
        self.grace_timer = QTimer(self)
        self.grace_timer.setSingleShot(True)
        self.grace_timer.timeout.connect(self.again_button.hide)

    def _scanning(self, on: bool) -> None:
        """The scan field and its hint, shown unless the resident is choosing a level."""
        self.hint.setVisible(on)
        self.scan_box.setVisible(on)
        self.panel.setVisible(not on)

    def open_page(self) -> None:
        """Show the page empty, ready for a scan."""
        self.target, self.result, self.again = None, None, False
        self.code.clear()
        self.message.clear()
        self.message.setStyleSheet("")
        self._scanning(True)
        self.again_button.hide()
        self.grace_timer.stop()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.code.setFocus()
        self.touched()

    def close_page(self) -> None:
        """Back to the kiosk's start screen; a choice not made records nothing."""
        self.idle_timer.stop()
        self.grace_timer.stop()
        self.hide()
        self.done.emit()

    def touched(self, *_args: object) -> None:
        """The resident did something: the page stays another :data:`IDLE_SECONDS`."""
        self.idle_timer.start(int(IDLE_SECONDS * 1000))

    def look_up(self) -> None:
        """Look the scanned or typed code up."""
        self.touched()
        db, actor, text = self.ctx.db, self.actor, self.code.text()
        if is_event_number(text):  # 群众诉求回执: rated on the event's own page
            self.code.clear()
            self.event_scanned.emit(text.strip())
            return
        self.message.clear()
        self.ctx.ops.run(
            lambda: subjects.find_target(db, actor, text),
            self._found,
            self._refused,
            self,
            on_trouble=self._trouble,
        )

    def _found(self, target: RateTarget) -> None:
        self.target, self.again = target, False
        self.code.clear()
        self.again_button.hide()
        self.panel.show_target(target)
        self._scanning(False)
        self.panel.setFocus()

    def _refused(self, error: DomainError) -> None:
        self.message.setStyleSheet("color: #C0392B;")
        self.message.setText(error.message)
        self.panel.set_busy(False)
        if self.panel.isVisible() and not isinstance(error, Conflict | NotFound):
            self.message.clear()
            self.panel.show_error(error.message, error.field or "")
            return
        self._scanning(True)

    def _trouble(self, problem: EnvironmentProblem) -> None:
        self.message.setStyleSheet("color: white; background: #C0392B; padding: 8px;")
        self.message.setText(self.tr("暂时无法评价：%1").replace("%1", problem.message))
        self.panel.set_busy(False)

    def ask_again(self) -> None:
        """评错了？重新评价 (within 2 minutes of the first rating)."""
        if self.target is None or self.result is None:
            return
        self.touched()
        self.again = True
        self.message.clear()
        self.again_button.hide()
        self.panel.show_target(self.target, again=True)
        self._scanning(False)

    def record(self, level: int, reasons: list[str], note: str) -> None:
        """Record the choice (or the re-rate): one service call."""
        if self.target is None:
            return
        self.panel.set_busy(True)
        db, actor = self.ctx.db, self.actor
        if self.again and self.result is not None:
            rid = self.result.rating_id
            op = lambda: rating.rerate(db, actor, rid, level, reasons, note, "kiosk")  # noqa: E731
        else:
            key = self.target.subject_key
            op = lambda: rating.rate(db, actor, key, level, reasons, note, "kiosk")  # noqa: E731
        self.ctx.ops.run(op, self._rated, self._refused, self, on_trouble=self._trouble)

    def _rated(self, result: RatingResult) -> None:
        if not self.again:
            self._grace_ends = time.monotonic() + RERATE_SECONDS
        self.result, self.again = result, False
        self._scanning(True)
        self.message.setStyleSheet("color: #1E8449;")
        text = self.tr("感谢您的评价！（%1）").replace("%1", label(result.level))
        if result.rectification_id is not None:
            text += "\n" + self.tr("我们会认真整改，并在 5 个工作日内回访。")
        self.message.setText(text)
        left_ms = max(0, int((self._grace_ends - time.monotonic()) * 1000))
        self.again_button.setVisible(left_ms > 0)
        self.grace_timer.start(left_ms)
        self.touched()
