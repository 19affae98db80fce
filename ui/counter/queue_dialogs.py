"""The queue bar's questions and its list: where a ticket is transferred to (转窗), where the
ticket being served goes when its clerk leaves the window (离岗: logging out, closing),
and the waiting list shown on the counter's 等候队列 tab."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.queue.handover import PUT_BACK_LABELS, PutBack, put_back_choices
from app.queue.queueing import TicketView
from app.queue.windows import Board, WindowView
from app.states import WindowState


class TransferDialog(QDialog):
    """Choose a queue or a window to transfer the ticket to."""

    def __init__(self, board: Board, own_window: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("转窗"))
        form = QFormLayout(self)
        self.target = QComboBox()
        for q in board.queues:
            self.target.addItem(
                self.tr("%1 类：%2").replace("%1", q.letter).replace("%2", q.name),
                ("queue", q.letter),
            )
        for w in board.windows:
            if w.state == WindowState.OPEN and w.id != own_window:
                self.target.addItem(
                    self.tr("%1 号窗口").replace("%1", str(w.number))
                    + (f"（{w.clerk_name}）" if w.clerk_name else ""),
                    ("window", w.id),
                )
        form.addRow(self.tr("转到"), self.target)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[str, object]:
        """("queue", letter) or ("window", window id)."""
        data = self.target.currentData()
        return (str(data[0]), data[1])

    @classmethod
    def ask(
        cls, board: Board, own_window: int | None, parent: QWidget | None = None
    ) -> tuple[str, object] | None:
        """Show the dialog; the choice, or None if cancelled (tests replace this)."""
        dialog = cls(board, own_window, parent)
        return dialog.choice() if dialog.exec() else None


class LeaveDialog(QDialog):
    """离岗: where the ticket being served goes; the safe choice (its old place in line)
    is first and is what Enter takes. Cancel keeps the clerk logged in."""

    def __init__(self, ticket: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("离开窗口"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("正在办理 {code}。退出后窗口将暂停，请选择该号的去向：").format(
                    code=ticket.code
                )
            )
        )
        self.options: dict[PutBack, QRadioButton] = {}
        for i, choice in enumerate(put_back_choices(ticket.state)):
            radio = QRadioButton(self.tr(PUT_BACK_LABELS[choice]))
            radio.setChecked(i == 0)
            layout.addWidget(radio)
            self.options[choice] = radio
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定离岗"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("不离开"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        first = next(iter(self.options.values()), None)
        if first is not None:
            first.setFocus()

    def choice(self) -> PutBack | None:
        """The chosen place for the ticket."""
        return next((k for k, r in self.options.items() if r.isChecked()), None)

    @classmethod
    def ask(cls, ticket: TicketView, parent: QWidget | None = None) -> PutBack | None:
        """Show the dialog; the choice, or None if the clerk stays (tests replace this)."""
        dialog = cls(ticket, parent)
        return dialog.choice() if dialog.exec() else None


class WaitingList(QGroupBox):
    """等候中（N 人）: the tickets waiting for the queues a window serves, oldest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("等候中"), parent)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("号码"), self.tr("类别"), self.tr("优先"), self.tr("已等候")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        QVBoxLayout(self).addWidget(self.table)

    def show_board(self, board: Board, w: WindowView | None) -> int:
        """Show who waits for window ``w``'s queues; returns how many."""
        letters = set(w.letters) if w else set()
        rows = [t for t in board.waiting if t.category_letter in letters]
        self.table.setRowCount(len(rows))
        for r, t in enumerate(rows):
            minutes = int((board.now - t.issued_at).total_seconds() // 60)
            for c, text in enumerate(
                (
                    t.code,
                    f"{t.category_letter} {t.category_name}",
                    t.priority_reason or "",
                    self.tr("%n 分钟", "", minutes),
                )
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.setTitle(self.tr("等候中（%n 人）", "", len(rows)))
        return len(rows)
