"""The clerk's queue bar: their window, the ticket being served, the call actions and the
waiting list. Every action has a function key (F2–F8), on every tab of the counter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.db.session import Database
from app.errors import DomainError
from app.queue import calling, handover, windows
from app.queue.queueing import TicketView
from app.queue.windows import Board, WindowView
from app.states import TICKET_FLOW, WINDOW_FLOW, TicketState, WindowState
from ui.changes import LiveRefresh
from ui.context import AppContext
from ui.counter.queue_dialogs import TransferDialog, WaitingList
from ui.widgets.confirm import Confirm

ACTIONS = (  # key, label, shortcut
    ("call", "叫号", "F2"),  # 下一位 while a ticket is served
    ("recall", "重呼", "F3"),
    ("start", "开始办理", "F4"),
    ("finish", "办结", "F5"),
    ("no_show", "过号", "F6"),
    ("transfer", "转窗…", "F7"),
)


class QueuePanel(QWidget):
    """The queue bar over the counter workspace: one clerk, one window.

    Row one: the window, its state, 开窗 / 暂停 (F8 opens a paused or closed window and
    pauses an open one) / 关窗, how many wait, the last message.
    Row two: the ticket being served and the call actions F2–F7. F2 calls when the window
    is free and is 下一位 while a ticket is served (finish it and call the next in one
    step). The waiting list is :attr:`waiting_page`, placed by the workspace. The keys
    work wherever the bar is on screen. Updates itself when the queue changes anywhere in
    the hall.

    Signals:
        called(object): F2 was done: the ticket called to this window (TicketView, with the
            ID given at the kiosk), or None when nobody waits: the workspace opens intake
            for it (None: a cleared intake).
    """

    called = Signal(object)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.board: Board | None = None
        self.window_id: int | None = None
        self.current: TicketView | None = None
        # Asked before F2 calls someone new (the workspace: unsaved intake?); False stops.
        self.before_call: Callable[[], bool] = lambda: True

        self.window_combo = QComboBox()
        self.window_combo.currentIndexChanged.connect(self._window_chosen)
        self.window_state = QLabel()
        self.open_button = QPushButton(self.tr("开窗 (F8)"))
        self.open_button.clicked.connect(lambda: self._window_action(windows.open_window))
        self.pause_button = QPushButton(self.tr("暂停 (F8)"))
        self.pause_button.clicked.connect(lambda: self._window_action(windows.pause_window))
        QShortcut(QKeySequence("F8"), self, self._open_or_pause)
        self.close_button = QPushButton(self.tr("关窗"))
        self.close_button.clicked.connect(lambda: self._window_action(windows.close_window))
        self.waiting_count = QLabel()
        self.waiting_count.setObjectName("waiting_count")
        self.message = QLabel()
        self.message.setObjectName("queue_message")
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("我的窗口")))
        top.addWidget(self.window_combo)
        top.addWidget(self.window_state)
        for b in (self.open_button, self.pause_button, self.close_button):
            b.setAutoDefault(False)
            top.addWidget(b)
        top.addSpacing(12)
        top.addWidget(self.waiting_count)
        top.addWidget(self.message, 1)

        self.code_label = QLabel("—")
        font = QFont(self.code_label.font())
        font.setPointSize(22)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setMinimumWidth(self.code_label.fontMetrics().horizontalAdvance("A0000"))
        self.ticket_info = QLabel(self.tr("当前没有号票"))
        self.ticket_info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.code_label)
        row.addWidget(self.ticket_info, 1)
        self.buttons: dict[str, QPushButton] = {}
        for key, label, key_seq in ACTIONS:
            b = QPushButton(f"{self.tr(label)} ({key_seq})")
            b.setMinimumHeight(36)
            b.setAutoDefault(False)  # Enter never presses 过号 (or any call action)
            b.clicked.connect(lambda _c=False, k=key: self.act(k))
            QShortcut(QKeySequence(key_seq), self, b.click)
            self.buttons[key] = b
            row.addWidget(b)

        self.waiting_title = WaitingList()
        self.waiting = self.waiting_title.table
        self.waiting_page: QWidget = self.waiting_title

        bar = QFrame()
        bar.setObjectName("queue_bar")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        bv = QVBoxLayout(bar)
        bv.setContentsMargins(8, 4, 8, 4)
        bv.setSpacing(2)
        bv.addLayout(top)
        bv.addLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)

        self.live = LiveRefresh(ctx.db, self.reload, 30_000, self, actor.hall_id)
        self._update_buttons()
        self.reload()

    def _open_or_pause(self) -> None:
        """F8: 开窗 when the window may be opened, 暂停 when open, 接管 when another clerk
        still holds it (they left without logging out)."""
        if self.open_button.isEnabled():
            self.open_button.click()
        elif self.pause_button.isEnabled():
            self.pause_button.click()
        elif self._held_by_other() is not None:
            self.take_over()

    def _held_by_other(self) -> WindowView | None:
        w = self.my_window()
        return w if w is not None and w.clerk_id not in (None, self.actor.user_id) else None

    def take_over(self) -> None:
        """接管: asked first; the ticket the window holds goes back to its place in line."""
        w = self._held_by_other()
        if w is None or self.window_id is None:
            return
        held = (
            self.tr("，正在办理的 {code} 放回原排队位置（下一个叫）").format(code=w.current.code)
            if w.current
            else ""
        )
        self._say(self.tr("{n} 号窗口由 {name} 值守。").format(n=w.number, name=w.clerk_name))
        if not Confirm.ask(
            self,
            self.tr("接管窗口"),
            self.tr(
                "{n} 号窗口仍由 {name} 值守。若其已离开（程序被关闭或电脑重启），"
                "可以接管{held}。确定接管？"
            ).format(n=w.number, name=w.clerk_name, held=held),
            self.tr("接管"),
            self.tr("取消"),
        ):
            return
        db, actor, wid = self.ctx.db, self.actor, self.window_id
        self.ctx.ops.run(
            lambda: handover.take_over(db, actor, wid), self._taken, self._failed, self
        )

    def _taken(self, report: handover.LeaveReport) -> None:
        text = self.tr("已接管 {n} 号窗口。").format(n=report.window_number)
        if report.ticket_code:
            text += self.tr("{code} 已放回原排队位置。").format(code=report.ticket_code)
        self._say(text)
        self.reload()

    # ----- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Fetch the hall board off the GUI thread."""
        db, hall = self.ctx.db, self.actor.hall_id
        assert hall is not None
        self.ctx.ops.run(lambda: windows.board(db, hall), self._loaded, parent=self)

    def _loaded(self, board: Board) -> None:
        self.board = board
        if self.window_combo.count() != len(board.windows):
            self.window_combo.blockSignals(True)
            self.window_combo.clear()
            for w in board.windows:
                self.window_combo.addItem(w.name, w.id)
            self.window_combo.blockSignals(False)
            mine = next((w for w in board.windows if w.clerk_id == self.actor.user_id), None)
            if mine is not None:
                self.window_combo.setCurrentIndex(self.window_combo.findData(mine.id))
            self.window_id = self.window_combo.currentData()
        window = self.my_window()
        self.current = window.current if window else None
        self._show_window(window)
        self._show_current()
        self._show_waiting(board, window)
        self._update_buttons()

    def my_window(self) -> WindowView | None:
        """The window chosen in the combo box."""
        if self.board is None:
            return None
        return next((w for w in self.board.windows if w.id == self.window_id), None)

    def _window_chosen(self, _index: int) -> None:
        self.window_id = self.window_combo.currentData()
        if self.board is not None:
            self._loaded(self.board)

    # ----- showing ---------------------------------------------------------------------------
    def _show_window(self, w: WindowView | None) -> None:
        if w is None:
            self.window_state.setText("")
            return
        who = w.clerk_name or self.tr("无人值守")
        self.window_state.setText(
            f"{WINDOW_FLOW.label(w.state)} · {who} · " + self.tr("服务类别：") + " ".join(w.letters)
        )
        color = {"open": "#1E8449", "paused": "#B9770E", "closed": "#7F8C8D"}[w.state.value]
        self.window_state.setStyleSheet(f"color: {color}; font-weight: bold;")

    def _show_current(self) -> None:
        t = self.current
        other = self._held_by_other()
        if other is not None:  # not this clerk's ticket: never shown as if it were
            self.code_label.setText("—")
            self.ticket_info.setText(
                self.tr("{n} 号窗口由 {name} 值守{busy}。若其已离开，按 F8 接管。").format(
                    n=other.number,
                    name=other.clerk_name,
                    busy=self.tr("（{code} 办理中）").format(code=t.code) if t else "",
                )
            )
            return
        if t is None:
            self.code_label.setText("—")
            self.ticket_info.setText(self.tr("当前没有号票，按 F2 叫号"))
            return
        self.code_label.setText(t.code)
        bits = [TICKET_FLOW.label(t.state), f"{t.category_letter} {t.category_name}"]
        if t.priority_reason:
            bits.append(self.tr("优先：") + t.priority_reason)
        if t.recall_count:
            bits.append(self.tr("已重呼 %n 次", "", t.recall_count))
        self.ticket_info.setText(" · ".join(bits))

    def _show_waiting(self, board: Board, w: WindowView | None) -> None:
        n = self.waiting_title.show_board(board, w)
        self.waiting_count.setText(self.tr("等候 %n 人", "", n))

    def _update_buttons(self) -> None:
        w = self.my_window()
        mine = w is not None and w.clerk_id == self.actor.user_id
        state = self.current.state if self.current else None
        is_open = w is not None and w.state == WindowState.OPEN
        serving = state == TicketState.SERVING
        enabled = {
            "call": mine and is_open and (self.current is None or serving),
            "recall": mine and state == TicketState.CALLED,
            "start": mine and state == TicketState.CALLED,
            "finish": mine and state == TicketState.SERVING,
            "no_show": mine and state == TicketState.CALLED,
            "transfer": mine and state in (TicketState.CALLED, TicketState.SERVING),
        }
        for key, button in self.buttons.items():
            button.setEnabled(bool(enabled[key]))
        label = self.tr("下一位") if serving else self.tr("叫号")
        self.buttons["call"].setText(f"{label} (F2)")
        self.buttons["call"].setToolTip(
            self.tr("办结当前号并呼叫下一位") if serving else self.tr("呼叫下一位等候的群众")
        )
        ws = w.state if w else None
        self.open_button.setEnabled(
            ws is not None
            and WindowState.OPEN in WINDOW_FLOW.allowed(ws)
            and (mine or (w is not None and w.clerk_id is None))
        )
        self.pause_button.setEnabled(mine and ws == WindowState.OPEN)
        self.close_button.setEnabled(mine and ws in (WindowState.OPEN, WindowState.PAUSED))

    # ----- acting ----------------------------------------------------------------------------
    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #C0392B;" if error else "color: #1E8449;")
        self.message.setText(text)

    def _failed(self, error: DomainError) -> None:
        self._say(error.message, error=True)
        self.reload()

    def _window_action(self, fn: Callable[[Database, Actor, int], WindowView]) -> None:
        if self.window_id is None:
            return
        db, actor, wid = self.ctx.db, self.actor, self.window_id
        self.ctx.ops.run(lambda: fn(db, actor, wid), self._window_changed, self._failed, self)

    def _window_changed(self, window: WindowView) -> None:
        self._say(
            self.tr("%1：%2")
            .replace("%1", window.name)
            .replace("%2", WINDOW_FLOW.label(window.state))
        )
        self.reload()

    def act(self, key: str) -> None:
        """Run the call action ``key`` (the buttons and F2–F7)."""
        if not self.buttons[key].isEnabled():
            return
        db, actor = self.ctx.db, self.actor
        if key == "call":
            if not self.before_call():
                return
            wid, t = self.window_id, self.current
            assert wid is not None
            # 下一位 while a ticket is served: it is finished and the next called, in one step.
            tid, version = (t.id, t.version) if t is not None else (None, None)
            self.ctx.ops.run(
                lambda: handover.next_applicant(db, actor, wid, tid, version),
                self._called,
                self._failed,
                self,
            )
            return
        t = self.current
        assert t is not None
        if key == "transfer":
            self._transfer(t)
            return
        if key == "no_show" and not self._confirm_no_show(t):
            return
        fn = {
            "recall": calling.recall,
            "start": calling.start_service,
            "finish": calling.finish,
            "no_show": calling.no_show,
        }[key]
        self.ctx.ops.run(lambda: fn(db, actor, t.id, t.version), self._done, self._failed, self)

    def _confirm_no_show(self, t: TicketView) -> bool:
        return Confirm.ask(
            self,
            self.tr("过号"),
            self.tr("确认 %1 过号？群众回来后只能排到队尾。").replace("%1", t.code),
            self.tr("过号"),
            self.tr("继续等候"),
        )

    def _called(self, t: TicketView | None) -> None:
        if t is None:
            self._say(self.tr("没有等候的号。"))
            self.current = None  # a ticket served before was finished (下一位)
            self.called.emit(None)
        else:
            self._say(self.tr("已呼叫 %1。").replace("%1", t.code))
            self.current = t  # at once: intake may identify the applicant before the reload
            self._show_current()
            self._update_buttons()
            self.called.emit(t)
        self.reload()

    def _done(self, t: TicketView) -> None:
        self._say(f"{t.code}：{TICKET_FLOW.label(t.state)}")
        self.reload()

    def _transfer(self, t: TicketView) -> None:
        if self.board is None:
            return
        chosen = TransferDialog.ask(self.board, self.window_id, self)
        if chosen is None:
            return
        kind, target = chosen
        db, actor = self.ctx.db, self.actor
        letter = str(target) if kind == "queue" else None
        window_id = int(str(target)) if kind == "window" else None

        def op() -> TicketView:
            return handover.transfer(
                db, actor, t.id, t.version, to_letter=letter, to_window_id=window_id
            )

        self.ctx.ops.run(op, self._transferred, self._failed, self)

    def _transferred(self, t: TicketView) -> None:
        self._say(self.tr("%1 已转出。").replace("%1", t.code))
        self.reload()

    def shutdown(self) -> None:
        """Stop refreshing (the window is closing)."""
        self.live.stop()
