"""诉求进度查询 at the kiosk: a resident scans the receipt of an event they reported (群众诉求
回执, number ``<hall>-SQ…``) and sees its timeline; once it is closed (结案) they rate it
(回访评价, five levels) or say it is not solved, which sends it back to 核查.

Shown over the kiosk's start screen like :mod:`ui.kiosk.rating_page` (a child covering it,
not a dialog). Reached from the start screen's 诉求进度查询 button, and from the 评价 page
when an event's number is scanned there (:func:`is_event_number`). Every call is one
service function of :mod:`app.incidents.progress` run through ``ctx.ops``; the lines are
the events' public timeline (no staff names). A refusal is said on the page in Chinese
(not found, moved on by someone else, database away), never in a dialog: nobody attends a
kiosk. After the thanks, or :data:`IDLE_SECONDS` without a touch, the start screen comes
back and the page forgets the event.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import numbers
from app.errors import Conflict, DomainError, EnvironmentProblem
from app.incidents import progress
from app.incidents.lifecycle import Moved
from app.incidents.progress import Progress
from ui.context import AppContext
from ui.kiosk.event_choices import EventChoices
from ui.rating.rate_panel import TOUCH_PX, big

IDLE_SECONDS = 60
THANKS_SECONDS = 10  # the thanks stays this long, then the start screen comes back
RED = "color: #C0392B;"
TROUBLE = "color: white; background: #C0392B; padding: 8px;"
STYLE = """
QWidget#event_page { background: #F4F8FB; }
QFrame#timeline { background: white; border: 1px solid #C8D6E5; border-radius: 10px; }
QWidget#timeline_lines { background: white; }
QLabel#state { background: #1F4E79; color: white; border-radius: 10px; padding: 6px 18px; }
QPushButton#plain { background: white; border: 2px solid #8EA9C1; border-radius: 10px;
  padding: 8px 30px; }
QPushButton#submit { background: #1F4E79; color: white; border-radius: 10px; padding: 8px 30px; }
"""


def is_event_number(text: str) -> bool:
    """Whether scanned ``text`` is an event's number (``JX01-SQ20261130-0001``, any case)."""
    return numbers.is_event_no(text.strip().upper())


class KioskEventPage(QWidget):
    """Scan, read the timeline, rate or say "not solved", thanks — over the start screen.

    Signals:
        done(): the resident finished or left; the kiosk shows its start screen again.
    """

    done = Signal()

    def __init__(self, ctx: AppContext, hall_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("event_page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.ctx, self.hall_id = ctx, hall_id
        self.shown: Progress | None = None
        title = QLabel(self.tr("诉求进度查询"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big(title, 28)
        self.leave = QPushButton(self.tr("返回取号"))
        self.leave.setObjectName("plain")
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("请扫描诉求回执上的条码，或输入事件编号"))
        big(self.code, 20, bold=False)
        self.code.returnPressed.connect(self.look_up)
        self.code.textEdited.connect(self.touched)
        self.find_button = QPushButton(self.tr("查询"))
        self.find_button.setObjectName("submit")
        for w in (self.leave, self.code, self.find_button):
            w.setMinimumHeight(TOUCH_PX * 2 // 3)
        for b in (self.leave, self.find_button):
            big(b, 18)
        self.find_button.clicked.connect(self.look_up)
        self.leave.clicked.connect(self.close_page)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        big(self.message, 20)
        self.event_box = self._event_box()
        self.choices = EventChoices()
        self.choices.level_chosen.connect(self.rate)
        self.choices.reason_sent.connect(self.send_reason)
        self.choices.touched.connect(self.touched)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        title_row = QHBoxLayout()
        title_row.addSpacing(self.leave.sizeHint().width())
        title_row.addWidget(title, 1)
        title_row.addWidget(self.leave)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.code, 1)
        scan_row.addWidget(self.find_button)
        layout.addLayout(title_row)
        layout.addLayout(scan_row)
        layout.addWidget(self.message)
        layout.addWidget(self.event_box, 1)
        layout.addWidget(self.choices)
        layout.addStretch(0)  # with no event shown, a message stays under the scan field
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.close_page)
        self._show(None)

    # --- layout ------------------------------------------------------------------------
    def _event_box(self) -> QWidget:
        box = QWidget()
        self.what = QLabel()
        self.what.setWordWrap(True)
        big(self.what, 22)
        self.address = QLabel()
        self.address.setWordWrap(True)
        self.address.setStyleSheet("color: #34495E;")
        big(self.address, 18, bold=False)
        self.state = QLabel()
        self.state.setObjectName("state")
        big(self.state, 20)
        head = QGridLayout()
        head.addWidget(self.what, 0, 0)
        head.addWidget(self.address, 1, 0)
        head.addWidget(self.state, 0, 1, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        head.setColumnStretch(0, 1)
        self.timeline = QWidget()
        self.timeline.setObjectName("timeline_lines")
        self.timeline.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.lines = QGridLayout(self.timeline)
        self.lines.setHorizontalSpacing(24)
        self.lines.setVerticalSpacing(10)
        self.line_labels: list[tuple[QLabel, QLabel]] = []
        self.timeline_area = QScrollArea()
        self.timeline_area.setObjectName("timeline")
        self.timeline_area.setWidgetResizable(True)
        self.timeline_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline_area.setWidget(self.timeline)
        bar = self.timeline_area.verticalScrollBar()  # the latest line in view, not the first
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.timeline_area, 1)
        return box

    # --- showing -----------------------------------------------------------------------
    def _show(self, shown: Progress | None) -> None:
        """The event on the page (None: nothing shown, as for the next person)."""
        self.shown = shown
        self.event_box.setVisible(shown is not None)
        for time_label, text_label in self.line_labels:
            self.lines.removeWidget(time_label)
            self.lines.removeWidget(text_label)
            time_label.deleteLater()
            text_label.deleteLater()
        self.line_labels = []
        for row in range(self.lines.rowCount()):
            self.lines.setRowStretch(row, 0)
        if shown is not None:
            self.what.setText(shown.what)
            self.address.setText(self.tr("地点：%1").replace("%1", shown.address))
            self.state.setText(shown.state_label)
            for n, (at, text) in enumerate(shown.lines):
                time_label, text_label = QLabel(at), QLabel(text)
                big(time_label, 18, bold=False)
                time_label.setStyleSheet("color: #5D6D7E;")
                big(text_label, 18, bold=n == len(shown.lines) - 1)
                text_label.setWordWrap(True)
                self.lines.addWidget(time_label, n, 0, Qt.AlignmentFlag.AlignTop)
                self.lines.addWidget(text_label, n, 1)
                self.line_labels.append((time_label, text_label))
            self.lines.setColumnStretch(1, 1)
            self.lines.setRowStretch(len(shown.lines), 1)
        self.choices.reset()
        self.choices.setVisible(shown is not None and shown.can_rate)

    def line_texts(self) -> list[str]:
        """The timeline as shown: "time  text" per line, oldest first."""
        return [f"{t.text()}  {x.text()}" for t, x in self.line_labels]

    def _say(self, text: str, style: str = RED) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)
        self.message.setVisible(bool(text))  # no empty row above the event

    # --- opening, closing, idle --------------------------------------------------------
    def open_page(self, number: str = "") -> None:
        """Show the page empty, ready for a scan; with ``number``, look it up at once."""
        self.code.clear()
        self._say("")
        self._show(None)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.code.setFocus()
        self.touched()
        if number:
            self.code.setText(number)
            self.look_up()

    def close_page(self) -> None:
        """Back to the kiosk's start screen; the event shown is forgotten."""
        self.idle_timer.stop()
        self._show(None)
        self.code.clear()
        self._say("")
        self.hide()
        self.done.emit()

    def touched(self, *_args: object) -> None:
        """The resident did something: the page stays another :data:`IDLE_SECONDS`."""
        self.idle_timer.start(int(IDLE_SECONDS * 1000))

    # --- actions -----------------------------------------------------------------------
    def look_up(self) -> None:
        """Read the scanned or typed number's progress."""
        self.touched()
        db, hall, text = self.ctx.db, self.hall_id, self.code.text()
        if not text.strip():
            self._say(self.tr("请扫描诉求回执上的条码，或输入事件编号。"))
            return
        self._say("")
        self.ctx.ops.run(
            lambda: progress.progress(db, hall, text),
            self._found,
            self._not_found,
            self,
            on_trouble=self._trouble,
        )

    def _found(self, shown: Progress) -> None:
        self.code.clear()
        self._say("")
        self._show(shown)

    def _not_found(self, error: DomainError) -> None:
        self._show(None)
        self._say(error.message)

    def _trouble(self, problem: EnvironmentProblem) -> None:
        self._say(self.tr("暂时无法查询：%1").replace("%1", problem.message), TROUBLE)
        self.choices.set_busy(False)

    def rate(self, level: int) -> None:
        """回访评价 of the closed event shown."""
        shown = self.shown
        if shown is None or not shown.can_rate:
            return
        self.touched()
        self.choices.set_busy(True)
        db, hall = self.ctx.db, self.hall_id
        label = progress.LEVELS[level]
        self.ctx.ops.run(
            lambda: progress.rate(db, hall, shown.number, shown.version, level),
            lambda moved: self._thanks(moved, self.tr("感谢您的评价！（%1）").replace("%1", label)),
            self._refused,
            self,
            on_trouble=self._trouble,
        )

    def send_reason(self, text: str) -> None:
        """问题未解决 with the reason typed (the service wants at least 4 characters)."""
        shown = self.shown
        if shown is None or not shown.can_rate:
            return
        self.touched()
        self.choices.set_busy(True)
        db, hall = self.ctx.db, self.hall_id
        self.ctx.ops.run(
            lambda: progress.not_solved(db, hall, shown.number, shown.version, text),
            lambda moved: self._thanks(moved, self.tr("已收到您的反馈，我们将重新核查处理情况。")),
            self._refused,
            self,
            on_trouble=self._trouble,
        )

    def _refused(self, error: DomainError) -> None:
        self.choices.set_busy(False)
        if error.field == "reason" and self.choices.asking_reason():
            self.choices.reason_refused(error.message)
            return
        self._say(error.message)
        if isinstance(error, Conflict) and self.shown is not None:
            # Someone moved it meanwhile: show where it stands now (the message stays).
            db, hall, number = self.ctx.db, self.hall_id, self.shown.number
            self.ctx.ops.run(
                lambda: progress.progress(db, hall, number),
                self._show,
                self._not_found,
                self,
                on_trouble=self._trouble,
            )

    def _thanks(self, moved: Moved, text: str) -> None:
        """Recorded: thanks, the timeline as it stands now, then the start screen."""
        self._say(text, "color: #1E8449;")
        self.choices.hide()
        db, hall, number = self.ctx.db, self.hall_id, moved.number
        self.ctx.ops.run(
            lambda: progress.progress(db, hall, number),
            self._show,
            lambda _e: None,
            self,
            on_trouble=lambda _p: None,
        )
        self.idle_timer.start(int(THANKS_SECONDS * 1000))
