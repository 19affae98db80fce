"""Five big buttons for a resident's rating, and the reasons of a bad one.

Resident-facing and touch-first: every target is at least :data:`TOUCH_PX` high, text is
large, Chinese only. Choosing 基本满意 or better is the whole rating; choosing 不满意 or
非常不满意 shows the reasons (toggle buttons from :data:`app.ratings.levels.BAD_REASONS`),
an optional one-line note and 提交. Keys 1–5 choose a level too (tests, PCs with a
keyboard). The panel records nothing itself: it emits what was chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.ratings.levels import BAD_REASONS, LEVELS, NOTE_MAX, is_bad
from app.ratings.subjects import RateTarget

TOUCH_PX = 96
LEVEL_COLOURS = {5: "#1E8449", 4: "#27AE60", 3: "#2E86C1", 2: "#CA6F1E", 1: "#C0392B"}
STYLE = """
QPushButton#level { color: white; border-radius: 14px; padding: 10px; }
QPushButton#reason { background: white; border: 2px solid #8EA9C1; border-radius: 10px;
  padding: 8px 14px; }
QPushButton#reason:checked { background: #CA6F1E; color: white; border-color: #CA6F1E; }
QPushButton#submit { background: #1F4E79; color: white; border-radius: 10px; padding: 8px 30px; }
QPushButton#back { background: white; border: 2px solid #8EA9C1; border-radius: 10px;
  padding: 8px 30px; }
QLabel#error { color: #C0392B; }
"""


def big(widget: QWidget, points: int, bold: bool = True) -> None:
    """Give ``widget`` a large font (resident-facing text)."""
    font = QFont(widget.font())
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


def target_text(target: RateTarget) -> str:
    """One line naming what is rated: window, clerk, ticket or case (什么都没有则空)."""
    parts = []
    if target.window_number is not None:
        parts.append(f"{target.window_number} 号窗口")
    if target.clerk_name:
        parts.append(f"工作人员 {target.clerk_name}")
    if target.ticket_code:
        parts.append(f"号票 {target.ticket_code}")
    if target.case_no:
        parts.append(f"办件 {target.case_no}（{target.stage_label}）")
    return " · ".join(parts)


class RatePanel(QWidget):
    """The five levels, then (for a bad level) reasons, note and 提交.

    Signals:
        chosen(int, list, str): level, reasons (in list order), note — the rating to record.
        touched(): the resident did something (the caller's time-out starts again).
    """

    chosen = Signal(int, list, str)
    touched = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = QLabel(self.tr("请对本次服务进行评价"))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(self.title, 30)
        self.who = QLabel()
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setWordWrap(True)
        big(self.who, 20, bold=False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._levels_page())
        self.pages.addWidget(self._reasons_page())
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setWordWrap(True)
        big(self.error, 16, bold=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addSpacing(12)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        self.level = 0

    def _levels_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setSpacing(16)
        self.level_buttons: dict[int, QPushButton] = {}
        for level, name in LEVELS.items():
            b = QPushButton(f"{name}")
            b.setObjectName("level")
            b.setMinimumHeight(TOUCH_PX * 2)
            b.setStyleSheet(f"background: {LEVEL_COLOURS[level]};")
            big(b, 22)
            b.clicked.connect(lambda _c=False, lv=level: self.choose(lv))
            self.level_buttons[level] = b
            row.addWidget(b, 1)
        return page

    def _reasons_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.reasons_title = QLabel()
        self.reasons_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(self.reasons_title, 20)
        layout.addWidget(self.reasons_title)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.reason_buttons: dict[str, QPushButton] = {}
        for i, reason in enumerate(BAD_REASONS):
            b = QPushButton(reason)
            b.setObjectName("reason")
            b.setCheckable(True)
            b.setMinimumHeight(TOUCH_PX)
            big(b, 18, bold=False)
            b.clicked.connect(self.touched)
            self.reason_buttons[reason] = b
            grid.addWidget(b, i // 4, i % 4)
        layout.addLayout(grid)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText(self.tr("其他意见（选填）"))
        self.note.setMinimumHeight(TOUCH_PX * 2 // 3)
        big(self.note, 18, bold=False)
        self.note.textEdited.connect(self.touched)
        self.note.textChanged.connect(self._count)
        layout.addWidget(self.note)
        below = QHBoxLayout()
        self.note_error = QLabel()  # what is wrong with the note, right under it
        self.note_error.setObjectName("error")
        self.note_error.setWordWrap(True)
        big(self.note_error, 16, bold=False)
        self.note_count = QLabel()
        self.note_count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        big(self.note_count, 14, bold=False)
        below.addWidget(self.note_error, 1)
        below.addWidget(self.note_count)
        layout.addLayout(below)
        buttons = QHBoxLayout()
        self.back = QPushButton(self.tr("返回"))
        self.back.setObjectName("back")
        self.submit_button = QPushButton(self.tr("提交评价"))
        self.submit_button.setObjectName("submit")
        for b in (self.back, self.submit_button):
            b.setMinimumHeight(TOUCH_PX)
            big(b, 20)
        self.back.clicked.connect(self._back)
        self.submit_button.clicked.connect(self.submit)
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.submit_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def show_target(self, target: RateTarget, again: bool = False) -> None:
        """Ask about ``target`` from the start (``again``: a re-rate of the same subject)."""
        self.title.setText(self.tr("请重新评价") if again else self.tr("请对本次服务进行评价"))
        self.who.setText(target_text(target))
        self.reset()

    def reset(self) -> None:
        """Back to the five levels, nothing chosen, no message."""
        self.level = 0
        self.pages.setCurrentIndex(0)
        self.error.clear()
        self.note_error.clear()
        self.note.clear()
        self._count()
        for b in self.reason_buttons.values():
            b.setChecked(False)
        self.set_busy(False)
        self.setFocus()

    def set_busy(self, busy: bool) -> None:
        """While a rating is being recorded nothing can be pressed twice."""
        for b in (*self.level_buttons.values(), self.submit_button, self.back):
            b.setEnabled(not busy)

    def choose(self, level: int) -> None:
        """A level was touched: a good one is the rating, a bad one asks for reasons."""
        self.touched.emit()
        self.error.clear()
        self.level = level
        if not is_bad(level):
            self.chosen.emit(level, [], "")
            return
        self.reasons_title.setText(
            self.tr("您选择了“%1”，请告诉我们原因（可多选）").replace("%1", LEVELS[level])
        )
        self.pages.setCurrentIndex(1)

    def submit(self) -> None:
        """提交 of a bad rating with the reasons ticked and the note."""
        self.touched.emit()
        reasons = [r for r, b in self.reason_buttons.items() if b.isChecked()]
        self.chosen.emit(self.level, reasons, self.note.text())

    def _back(self) -> None:
        self.touched.emit()
        self.reset()

    def _count(self) -> None:
        """``12/200`` under the note; at the limit it says so (typing stops there)."""
        n = len(self.note.text())
        full = n >= NOTE_MAX
        self.note_count.setText(
            self.tr("已达 %1 字上限").replace("%1", str(NOTE_MAX)) if full else f"{n}/{NOTE_MAX}"
        )
        self.note_count.setStyleSheet("color: #C0392B;" if full else "color: #5D6D7E;")

    def show_error(self, message: str, field: str = "") -> None:
        """A refusal (bad input, 已评价 …): under the note when it concerns the note, else
        under the buttons."""
        if field == "note" and self.pages.currentIndex() == 1:
            self.note_error.setText(message)
            self.note.setFocus()
        else:
            self.error.setText(message)
        self.set_busy(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys 1–5 choose a level on the first page."""
        text = event.text()
        if self.pages.currentIndex() == 0 and text in ("1", "2", "3", "4", "5"):
            if self.level_buttons[int(text)].isEnabled():
                self.choose(int(text))
            return
        super().keyPressEvent(event)
