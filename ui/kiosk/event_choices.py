"""What a resident may do with a closed event at the kiosk: rate it (回访评价, the five
levels of :data:`app.incidents.progress.LEVELS`) or say 问题未解决 with a short reason.

Touch-first like :mod:`ui.rating.rate_panel` (targets at least :data:`TOUCH_PX` high,
large text). It records nothing itself: it emits the choice, and the page
(:mod:`ui.kiosk.event_page`) makes the one service call and shows a refusal of the reason
under the field (:meth:`EventChoices.reason_refused`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.incidents import progress
from ui.rating.rate_panel import LEVEL_COLOURS, TOUCH_PX, big

REASON_MAX = 500  # app.incidents.lifecycle.reason_of
STYLE = """
QPushButton#level { color: white; border-radius: 14px; padding: 10px; }
QPushButton#plain { background: white; border: 2px solid #8EA9C1; border-radius: 10px;
  padding: 8px 30px; }
QPushButton#submit { background: #1F4E79; color: white; border-radius: 10px; padding: 8px 30px; }
QLabel#error_reason { color: #C0392B; }
"""


class EventChoices(QStackedWidget):
    """The five levels and 问题未解决 (page 0); the reason, 返回 and 提交 (page 1).

    Signals:
        level_chosen(int): a level (1–5) was touched.
        reason_sent(str): 提交 of "not solved" with the reason as typed.
        touched(): the resident did something (the page's time-out starts again).
    """

    level_chosen = Signal(int)
    reason_sent = Signal(str)
    touched = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.addWidget(self._levels_page())
        self.addWidget(self._reason_page())

    def _levels_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        ask = QLabel(self.tr("事件已办结，请对处理结果进行评价"))
        ask.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(ask, 20)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.level_buttons: dict[int, QPushButton] = {}
        for level, name in progress.LEVELS.items():
            b = QPushButton(name)
            b.setObjectName("level")
            b.setMinimumHeight(TOUCH_PX)
            b.setStyleSheet(f"background: {LEVEL_COLOURS[level]};")
            big(b, 22)
            b.clicked.connect(lambda _c=False, lv=level: self.level_chosen.emit(lv))
            self.level_buttons[level] = b
            row.addWidget(b, 1)
        self.unsolved_button = QPushButton(self.tr("问题未解决"))
        self.unsolved_button.setObjectName("plain")
        self.unsolved_button.setMinimumHeight(TOUCH_PX * 2 // 3)
        big(self.unsolved_button, 18)
        self.unsolved_button.clicked.connect(self.ask_reason)
        other = QHBoxLayout()
        other.addStretch(1)
        hint = QLabel(self.tr("问题还没有解决？"))
        big(hint, 18, bold=False)
        other.addWidget(hint)
        other.addWidget(self.unsolved_button)
        other.addStretch(1)
        layout.addWidget(ask)
        layout.addLayout(row)
        layout.addLayout(other)
        return page

    def _reason_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        ask = QLabel(self.tr("请简要说明还有什么问题没有解决（至少 4 个字）"))
        ask.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(ask, 20)
        self.reason = QLineEdit()
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setMinimumHeight(TOUCH_PX * 2 // 3)
        self.reason.setPlaceholderText(self.tr("例如：井盖仍然松动"))
        big(self.reason, 20, bold=False)
        self.reason.textEdited.connect(self.touched)
        self.reason.returnPressed.connect(self.send_reason)
        self.reason_error = QLabel()  # what is wrong with the reason, right under it
        self.reason_error.setObjectName("error_reason")
        self.reason_error.setWordWrap(True)
        big(self.reason_error, 18, bold=False)
        self.back_button = QPushButton(self.tr("返回"))
        self.back_button.setObjectName("plain")
        self.send_button = QPushButton(self.tr("提交"))
        self.send_button.setObjectName("submit")
        for b in (self.back_button, self.send_button):
            b.setMinimumHeight(TOUCH_PX * 2 // 3)
            big(b, 20)
        self.back_button.clicked.connect(self.back_to_levels)
        self.send_button.clicked.connect(self.send_reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        layout.addWidget(ask)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addLayout(buttons)
        return page

    def reset(self) -> None:
        """The levels, no reason typed, no message, everything pressable."""
        self.setCurrentIndex(0)
        self.reason.clear()
        self.reason_error.clear()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        """While a choice is being recorded nothing can be pressed twice."""
        for b in (
            *self.level_buttons.values(),
            self.unsolved_button,
            self.send_button,
            self.back_button,
        ):
            b.setEnabled(not busy)

    def asking_reason(self) -> bool:
        """Whether the reason page is shown."""
        return self.currentIndex() == 1

    def ask_reason(self) -> None:
        """问题未解决: ask what is still wrong."""
        self.touched.emit()
        self.reason_error.clear()
        self.setCurrentIndex(1)
        self.reason.setFocus()

    def back_to_levels(self) -> None:
        """返回: the levels again (the reason typed is kept)."""
        self.touched.emit()
        self.reason_error.clear()
        self.setCurrentIndex(0)

    def send_reason(self) -> None:
        """提交: emit the reason as typed (the service checks it)."""
        self.touched.emit()
        self.reason_error.clear()
        self.reason_sent.emit(self.reason.text())

    def reason_refused(self, message: str) -> None:
        """The reason was refused: say why under the field; what was typed stays."""
        self.set_busy(False)
        self.reason_error.setText(message)
        self.reason.setFocus()
