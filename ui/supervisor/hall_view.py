"""The hall supervisor's live view: windows, queues, long waits; close a window and move its queue.

Above them, what the hall's unattended devices reported at their start (a hall display
with no Chinese voice): a notice for the staff that never appears on the public screen.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError
from app.hall import devices
from app.hall.devices import DeviceNotice
from app.queue import calling, windows
from app.queue.queueing import TicketView
from app.queue.windows import LONG_WAIT_MINUTES, Board, WindowView
from app.states import TICKET_FLOW, WINDOW_FLOW, WindowState
from ui.changes import LiveRefresh
from ui.context import AppContext
from ui.supervisor.notice_dialog import NoticeDialog
from ui.supervisor.window_dialog import WindowDialog
from ui.ticket_output import PrintFailed, print_ticket
from ui.widgets.tables import make_table

log = logging.getLogger(__name__)
LONG_WAIT_COLOR = QColor("#FADBD8")


class HallView(QWidget):
    """Refreshes on every change in the hall and every 30 seconds."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.board: Board | None = None
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.device_notice = QLabel()
        self.device_notice.setObjectName("device_notice")
        self.device_notice.setWordWrap(True)
        self.device_notice.setStyleSheet(
            "background: #FCF3CF; color: #7E5109; border: 1px solid #F1C40F; padding: 6px;"
        )
        self.device_notice.hide()
        self.windows = make_table(
            [
                self.tr("窗口"),
                self.tr("状态"),
                self.tr("值守人员"),
                self.tr("服务类别"),
                self.tr("当前号票"),
            ]
        )
        self.queues = make_table([self.tr("类别"), self.tr("等候人数"), self.tr("最长等候")])
        self.waiting = make_table(
            [
                self.tr("号码"),
                self.tr("类别"),
                self.tr("优先"),
                self.tr("取号时间"),
                self.tr("已等候"),
            ]
        )
        for table in (self.windows, self.queues, self.waiting):
            # One line of text a row: a hall's windows and queues at a glance on 1366×768.
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        self.message = QLabel()
        buttons = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("open", self.tr("开放窗口")),
            ("pause", self.tr("暂停窗口")),
            ("close", self.tr("关闭窗口并转移队列…")),
        ):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.window_action(k))
            self.action_buttons[key] = b
            buttons.addWidget(b)
        for text, slot in (
            (self.tr("新建窗口…"), self.new_window),
            (self.tr("编辑窗口…"), self.edit_window),
            (self.tr("大厅公告…"), self.edit_notice),
        ):
            extra = QPushButton(text)
            extra.clicked.connect(slot)
            buttons.addWidget(extra)
        buttons.addStretch(1)
        wbox = QGroupBox(self.tr("窗口"))
        wl = QVBoxLayout(wbox)
        wl.addLayout(buttons)
        wl.addWidget(self.windows)
        qbox = QGroupBox(self.tr("各类别等候"))
        QVBoxLayout(qbox).addWidget(self.queues)
        self.reprint_button = QPushButton(self.tr("补打号票"))
        self.reprint_button.clicked.connect(self.reprint)
        self.waiting_box = QGroupBox(
            self.tr("等候号票（等候超过 %n 分钟的标红）", "", LONG_WAIT_MINUTES)
        )
        waiting_layout = QVBoxLayout(self.waiting_box)
        waiting_layout.addWidget(self.waiting)
        waiting_layout.addWidget(self.reprint_button, 0, Qt.AlignmentFlag.AlignRight)
        lower = QHBoxLayout()
        lower.addWidget(qbox, 1)
        lower.addWidget(self.waiting_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.device_notice)
        layout.addWidget(wbox, 1)
        layout.addLayout(lower, 1)
        layout.addWidget(self.message)
        self.live = LiveRefresh(ctx.db, self.reload, 30_000, self, actor.hall_id)
        self.reload()

    def reload(self) -> None:
        """Fetch the board."""
        db, hall = self.ctx.db, self.actor.hall_id
        assert hall is not None
        self.ctx.ops.run(lambda: windows.board(db, hall), self._loaded, parent=self)
        actor = self.actor
        self.ctx.ops.run(
            lambda: devices.device_notices(db, actor),
            self._show_device_notices,
            lambda e: log.warning("device notices not shown: %s", e.message),
            parent=self,
            on_trouble=lambda _e: None,  # the board's own reload says it (once)
        )

    def _show_device_notices(self, notices: list[DeviceNotice]) -> None:
        """The devices' problems, one line each, with when the device started."""
        lines = [
            self.tr("设备提示：%1（%2 启动）")
            .replace("%1", n.text)
            .replace("%2", n.local_start.strftime("%m-%d %H:%M"))
            for n in notices
        ]
        self.device_notice.setText("\n".join(lines))
        self.device_notice.setVisible(bool(lines))

    def _loaded(self, board: Board) -> None:
        self.board = board
        waiting = sum(q.waiting for q in board.queues)
        open_count = sum(1 for w in board.windows if w.state == WindowState.OPEN)
        long = windows.long_waits(board)
        self.summary.setText(
            self.tr("%1 · 等候 %2 人 · 开放窗口 %3 个 · 超时等候 %4 人")
            .replace("%1", board.hall_name)
            .replace("%2", str(waiting))
            .replace("%3", str(open_count))
            .replace("%4", str(len(long)))
        )
        self.windows.setRowCount(len(board.windows))
        for r, w in enumerate(board.windows):
            current = (
                f"{w.current.code}（{TICKET_FLOW.label(w.current.state)}）" if w.current else ""
            )
            for c, text in enumerate(
                (w.name, WINDOW_FLOW.label(w.state), w.clerk_name, " ".join(w.letters), current)
            ):
                self.windows.setItem(r, c, QTableWidgetItem(text))
        self.queues.setRowCount(len(board.queues))
        for r, q in enumerate(board.queues):
            for c, text in enumerate(
                (f"{q.letter} {q.name}", str(q.waiting), self.tr("%n 分钟", "", q.longest_wait_min))
            ):
                item = QTableWidgetItem(text)
                if q.longest_wait_min >= LONG_WAIT_MINUTES:
                    item.setBackground(LONG_WAIT_COLOR)
                self.queues.setItem(r, c, item)
        self.waiting.setRowCount(len(board.waiting))
        long_ids = {t.id for t in long}
        for r, t in enumerate(board.waiting):
            minutes = int((board.now - t.issued_at).total_seconds() // 60)
            local = t.local(t.issued_at)
            for c, text in enumerate(
                (
                    t.code,
                    f"{t.category_letter} {t.category_name}",
                    t.priority_reason or "",
                    local.strftime("%H:%M") if local else "",
                    self.tr("%n 分钟", "", minutes),
                )
            ):
                item = QTableWidgetItem(text)
                if t.id in long_ids:
                    item.setBackground(LONG_WAIT_COLOR)
                self.waiting.setItem(r, c, item)

    def selected_window(self) -> WindowView | None:
        """The window of the selected row."""
        rows = self.windows.selectionModel().selectedRows()
        if not rows or self.board is None:
            return None
        return self.board.windows[rows[0].row()]

    def _failed(self, error: DomainError) -> None:
        self.message.setStyleSheet("color: #C0392B;")
        self.message.setText(error.message)

    def _changed(self, w: WindowView) -> None:
        self.message.setStyleSheet("color: #1E8449;")
        self.message.setText(f"{w.name}：{WINDOW_FLOW.label(w.state)}")
        self.reload()

    def window_action(self, key: str, move_to: int | None = None) -> None:
        """Open, pause or close the selected window (close asks where its queue goes)."""
        w = self.selected_window()
        if w is None:
            self.message.setText(self.tr("请先选择一个窗口。"))
            return
        db, actor = self.ctx.db, self.actor
        if key == "open":
            self.ctx.ops.run(
                lambda: windows.open_window(db, actor, w.id), self._changed, self._failed, self
            )
        elif key == "pause":
            self.ctx.ops.run(
                lambda: windows.pause_window(db, actor, w.id), self._changed, self._failed, self
            )
        else:
            if move_to is None and self.board is not None:
                others = [
                    o for o in self.board.windows if o.id != w.id and o.state == WindowState.OPEN
                ]
                if others:
                    names = [o.name for o in others]
                    name, ok = QInputDialog.getItem(
                        self,
                        self.tr("关闭窗口"),
                        self.tr("转给该窗口的号票移到："),
                        names,
                        0,
                        False,
                    )
                    if not ok:
                        return
                    move_to = others[names.index(name)].id
            target = move_to
            self.ctx.ops.run(
                lambda: windows.close_window(db, actor, w.id, target),
                self._changed,
                self._failed,
                self,
            )

    def new_window(self) -> None:
        """Add a counter window."""
        if self.board is None:
            return
        dialog = WindowDialog(self.ctx, self.actor, self.board.queues, parent=self)
        if dialog.exec() and dialog.result_window:
            self._changed(dialog.result_window)

    def edit_window(self) -> None:
        """Change the selected window's number, name and queues."""
        w = self.selected_window()
        if w is None or self.board is None:
            self.message.setText(self.tr("请先选择一个窗口。"))
            return
        dialog = WindowDialog(self.ctx, self.actor, self.board.queues, w, parent=self)
        if dialog.exec() and dialog.result_window:
            self._changed(dialog.result_window)

    def reprint(self) -> None:
        """补打: print the selected waiting ticket's slip again (audited)."""
        rows = self.waiting.selectionModel().selectedRows()
        if not rows or self.board is None:
            self.message.setText(self.tr("请先在等候号票中选择一张。"))
            return
        ticket = self.board.waiting[rows[0].row()]
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: calling.reprint(db, actor, ticket.id), self._print_slip, self._failed, self
        )

    def _print_slip(self, ticket: TicketView) -> None:
        try:
            where = print_ticket(ticket, self.ctx.settings.ticket_printer)
        except PrintFailed as exc:
            self.message.setStyleSheet("color: #C0392B;")
            self.message.setText(exc.message)
            return
        self.message.setStyleSheet("color: #1E8449;")
        self.message.setText(
            self.tr("已补打 %1：%2").replace("%1", ticket.code).replace("%2", where)
        )

    def edit_notice(self) -> None:
        """Change the scrolling notice of the hall display."""
        current = self.board.notice if self.board else ""
        dialog = NoticeDialog(self.ctx, self.actor, current, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.reload()

    def shutdown(self) -> None:
        """Stop refreshing (the window is closing)."""
        self.live.stop()
