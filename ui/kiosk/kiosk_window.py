"""Self-service kiosk (自助取号机): touch a queue, get a ticket. No log-in.

评价服务 opens the 好差评 page over the start screen: scan a ticket slip or a receipt and
rate (:mod:`ui.kiosk.rating_page`). 诉求进度查询 opens an event's progress the same way
(:mod:`ui.kiosk.event_page`); an event's receipt scanned on the 评价 page goes there too.

Leaving the kiosk needs a hall supervisor's user name and password (Ctrl+Shift+Q).

The ID typed or swiped is shown masked (:mod:`ui.kiosk.masked_id`), and the kiosk goes back
to its start screen — number, priority choice and messages cleared — after
:data:`IDLE_RESET_SECONDS` without input, so the next person finds nothing of the last
one's. A ticket already issued is not touched by that.

Nobody attends a kiosk: a busy or unreachable database shows a banner, never a dialog,
and the kiosk carries on. Each press carries a token of its own; when issuing fails for
the environment (the reply may have been lost after the ticket was committed), the kiosk
asks again with the same token a few times, so it prints the ticket the database already
has instead of a second one — then gives up with its banner.
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError, EnvironmentProblem, PermissionDenied
from app.people import users
from app.queue import queueing, windows
from app.queue.queueing import PRIORITY_REASONS, TicketView
from app.queue.windows import Board
from app.roles import Permission
from ui.changes import LiveRefresh
from ui.context import AppContext
from ui.kiosk.event_page import KioskEventPage
from ui.kiosk.masked_id import MaskedIdEdit
from ui.kiosk.rating_page import KioskRatingPage
from ui.login import _FormDialog, _password_edit
from ui.ticket_output import PrintFailed, print_ticket

RESULT_SECONDS = 8
IDLE_RESET_SECONDS = 30  # without input, back to the start screen for the next person
ISSUE_TRIES = 3  # one press: the first try and two retries with the same token
RETRY_MS = 1_000
log = logging.getLogger(__name__)


def _big(widget: QWidget, points: int, bold: bool = True) -> None:
    font = QFont(widget.font())
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


class SupervisorExitDialog(_FormDialog):
    """A supervisor confirms leaving kiosk mode."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("退出自助取号"), parent)
        self.username = QLineEdit()
        self.password = _password_edit()
        self.add_row(self.tr("管理员用户名"), "username", self.username)
        self.add_row(self.tr("密码"), "password", self.password)

    def submit(self) -> None:
        """Only a hall supervisor may close the kiosk."""
        db, name, pw = self.ctx.db, self.username.text(), self.password.text()

        def check() -> None:
            actor = users.login(db, name, pw)
            if not actor.can(Permission.SUPERVISE):
                raise PermissionDenied("只有大厅管理员可以退出自助取号。", "username")

        self._call(check, lambda _r: self.accept())


class KioskWindow(QWidget):
    """Queues as big buttons, an optional ID field and priority choices."""

    def __init__(self, ctx: AppContext, hall_id: int) -> None:
        super().__init__()
        self.ctx, self.hall_id = ctx, hall_id
        self.actor = queueing.kiosk_actor(hall_id)
        self.last_ticket: TicketView | None = None
        self.allow_close = False
        self.setWindowTitle(self.tr("自助取号"))
        self.setStyleSheet(
            "KioskWindow { background: #F4F8FB; }"
            "QPushButton#queue { background: #1F4E79; color: white; border-radius: 12px;"
            " padding: 18px; }"
            "QPushButton#queue:pressed { background: #163A5A; }"
            "QPushButton#priority { padding: 12px 24px; border-radius: 8px; background: white;"
            " border: 1px solid #8EA9C1; }"
            "QPushButton#priority:checked { background: #B9770E; color: white; }"
        )
        self.title = QLabel(self.tr("欢迎办事，请选择业务取号"))
        _big(self.title, 28)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.id_edit = MaskedIdEdit()
        self.id_edit.setPlaceholderText(
            self.tr("可刷身份证或输入身份证号（选填，70 岁以上自动优先）")
        )
        _big(self.id_edit, 16, bold=False)
        self.id_edit.textEdited.connect(self.touched)
        self.id_edit.returnPressed.connect(self.touched)
        self.id_hint = QLabel(self.tr("为保护您的隐私，身份证号只显示前 6 位和后 4 位。"))
        self.id_hint.setStyleSheet("color: #5D6D7E; font-size: 13pt;")
        self.id_error = QLabel()
        self.id_error.setStyleSheet("color: #C0392B; font-size: 14pt;")
        self.priority_group = QButtonGroup(self)
        self.priority_group.setExclusive(False)
        prio = QHBoxLayout()
        prio_label = QLabel(self.tr("优先办理："))
        _big(prio_label, 16, bold=False)
        prio.addWidget(prio_label)
        self.priority_buttons: dict[str, QPushButton] = {}
        for reason in PRIORITY_REASONS[1:]:  # 老年人 comes from the ID
            b = QPushButton(reason)
            b.setObjectName("priority")
            b.setCheckable(True)
            _big(b, 16, bold=False)
            b.toggled.connect(lambda on, r=reason: self._one_priority(r, on))
            b.clicked.connect(self.touched)
            self.priority_buttons[reason] = b
            prio.addWidget(b)
        prio.addStretch(1)
        self.grid = QGridLayout()
        self.grid.setSpacing(18)
        self.queue_buttons: dict[str, QPushButton] = {}
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #C0392B; color: white; padding: 10px;")
        _big(self.banner, 18)
        self.banner.hide()
        self._press: tuple[str, str | None, str | None, str] | None = None
        self._retry_due = False  # a failed try scheduled another (the buttons stay off)
        self._tries = 0
        self.result = QLabel()
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.setWordWrap(True)
        _big(self.result, 24)
        # 好差评: scan a ticket slip or a receipt and rate (ui.kiosk.rating_page).
        self.rate_button = QPushButton(self.tr("评价服务"))
        self.rate_button.setObjectName("priority")
        self.rate_button.setMinimumHeight(80)
        _big(self.rate_button, 18)
        self.rate_button.clicked.connect(self.open_rating)
        self.rating_page = KioskRatingPage(ctx, hall_id, self)
        self.rating_page.hide()
        # 诉求进度查询: an event's receipt scanned (ui.kiosk.event_page).
        self.event_button = QPushButton(self.tr("诉求进度查询"))
        self.event_button.setObjectName("priority")
        self.event_button.setMinimumHeight(80)
        _big(self.event_button, 18)
        self.event_button.clicked.connect(lambda: self.open_event())
        self.event_page = KioskEventPage(ctx, hall_id, self)
        self.event_page.hide()
        self.rating_page.event_scanned.connect(self.open_event)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.event_button)
        title_row.addWidget(self.rate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addLayout(title_row)
        layout.addWidget(self.banner)
        layout.addSpacing(10)
        layout.addWidget(self.id_edit)
        layout.addWidget(self.id_hint)
        layout.addWidget(self.id_error)
        layout.addLayout(prio)
        layout.addSpacing(10)
        layout.addLayout(self.grid)
        layout.addWidget(self.result, 1)
        self.reset_timer = QTimer(self)
        self.reset_timer.setSingleShot(True)
        self.reset_timer.timeout.connect(self.reset)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_RESET_SECONDS * 1000)
        self.idle_timer.timeout.connect(self.reset)
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self, self.ask_exit)
        self.live = LiveRefresh(ctx.db, self.reload, 30_000, self, hall_id)
        self.reload()

    def _one_priority(self, reason: str, on: bool) -> None:
        if on:
            for other, b in self.priority_buttons.items():
                if other != reason:
                    b.setChecked(False)

    def reload(self) -> None:
        """Queues and how many wait in each."""
        db, hall = self.ctx.db, self.hall_id
        self.ctx.ops.run(
            lambda: windows.board(db, hall), self._loaded, parent=self, on_trouble=self._trouble
        )

    def _trouble(self, problem: EnvironmentProblem) -> None:
        """The database is busy or away: say so on the screen and keep going."""
        self.banner.setText(self.tr("暂时无法取号：%1").replace("%1", problem.message))
        self.banner.show()

    def _loaded(self, board: Board) -> None:
        self.banner.hide()
        self.title.setText(self.tr("%1 · 请选择业务取号").replace("%1", board.hall_name))
        for i, q in enumerate(board.queues):
            b = self.queue_buttons.get(q.letter)
            if b is None:
                b = QPushButton()
                b.setObjectName("queue")
                b.setMinimumHeight(120)
                _big(b, 22)
                b.clicked.connect(lambda _c=False, letter=q.letter: self.take(letter))
                self.queue_buttons[q.letter] = b
                self.grid.addWidget(b, i // 3, i % 3)
            b.setText(f"{q.letter}  {q.name}\n" + self.tr("等候 %n 人", "", q.waiting))

    def touched(self, *_args: object) -> None:
        """The resident did something: the start screen waits another 30 seconds. While
        the last ticket's result still shows, the next person has begun: the result goes
        now, and what they type or choose is never wiped by its timer."""
        if self.reset_timer.isActive():
            self.reset_timer.stop()
            self.result.clear()
        self.idle_timer.start()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.touched()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.touched()
        super().keyPressEvent(event)

    def take(self, letter: str) -> None:
        """Issue a ticket of queue ``letter``; print it once it is committed."""
        self.touched()
        id_number = self.id_edit.number().strip() or None
        reason = next((r for r, b in self.priority_buttons.items() if b.isChecked()), None)
        self.id_error.clear()
        for b in self.queue_buttons.values():
            b.setEnabled(False)
        self._press, self._tries = (letter, id_number, reason, uuid.uuid4().hex), 0
        self._try_issue()

    def _try_issue(self) -> None:
        """One try of the current press (the same token on every try)."""
        if self._press is None:
            return
        letter, id_number, reason, token = self._press
        db, actor = self.ctx.db, self.actor
        self._tries += 1
        self._retry_due = False
        self.ctx.ops.run(
            lambda: queueing.issue_ticket(db, actor, letter, id_number, reason, token),
            self._issued,
            self._refused,
            self,
            on_trouble=self._issue_trouble,
            on_settled=self._issue_settled,
        )

    def _issue_trouble(self, problem: EnvironmentProblem) -> None:
        if self._tries < ISSUE_TRIES:
            self._retry_due = True
            QTimer.singleShot(RETRY_MS, self, self._try_issue)
            return
        self._press = None
        self._trouble(problem)

    def _issue_settled(self) -> None:
        """A try is over: unless another try is due, the buttons work again (also after a bug)."""
        if self._retry_due:
            return
        self._press = None
        for b in self.queue_buttons.values():
            b.setEnabled(True)

    def _refused(self, error: DomainError) -> None:
        if error.field == "id_number":
            self.id_error.setText(error.message)
            self.id_edit.setFocus()
        else:
            self.result.setText(error.message)

    def _issued(self, ticket: TicketView) -> None:
        self.banner.hide()
        self.last_ticket = ticket
        text = (
            self.tr("请取票：%1\n您前面还有 %2 人")
            .replace("%1", ticket.code)
            .replace("%2", str(ticket.waiting_ahead))
        )
        if ticket.priority_reason:
            text += self.tr("（优先：%1）").replace("%1", ticket.priority_reason)
        try:
            print_ticket(ticket, self.ctx.settings.ticket_printer)
        except PrintFailed as exc:
            text += "\n" + self.tr("打印失败，请到服务台凭号码 %1 补打。").replace(
                "%1", ticket.code
            )
            self.result.setStyleSheet("color: #C0392B;")
            log.error("ticket %s not printed: %s", ticket.code, exc.detail)
        else:
            self.result.setStyleSheet("color: #1F4E79;")
        self.result.setText(text)
        self.id_edit.clear()
        for b in self.priority_buttons.values():
            b.setChecked(False)
        self.reset_timer.start(RESULT_SECONDS * 1000)
        self.reload()

    def reset(self) -> None:
        """Back to the start screen for the next person: number, choices and messages go.

        A press being issued carries on with what was chosen: its ticket is printed and
        shown when it comes.
        """
        self.reset_timer.stop()
        self.idle_timer.stop()
        self.result.clear()
        self.id_error.clear()
        self.id_edit.clear()
        for b in self.priority_buttons.values():
            b.setChecked(False)

    def open_rating(self) -> None:
        """评价服务: the rating page over the start screen (which is cleared first)."""
        self.reset()
        self.rating_page.open_page()

    def open_event(self, number: str = "") -> None:
        """诉求进度查询 over the start screen (cleared first); ``number``: looked up at once
        (an event's receipt scanned on the 评价 page, which closes)."""
        self.reset()
        if self.rating_page.isVisible():
            self.rating_page.close_page()
        self.event_page.open_page(number)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.rating_page.setGeometry(self.rect())
        self.event_page.setGeometry(self.rect())

    def ask_exit(self) -> None:
        """Leave kiosk mode with a supervisor's password."""
        dialog = SupervisorExitDialog(self.ctx, self)
        if dialog.exec():
            self.allow_close = True
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            event.ignore()
            return
        self.live.stop()
        self.event_page.idle_timer.stop()
        self.reset_timer.stop()
        self.idle_timer.stop()
        super().closeEvent(event)
