"""差评整改 in 办件监控: the open 整改 of bad ratings, overdue ones red, and their handling.

:class:`RectificationBox` lists the hall's open 整改 (due date, rating, reasons, what and
who was rated) with a summary line the monitor shows; double-click or 处理 opens
:class:`RectificationDialog`, where the supervisor records the 回访 (call back), the
measures taken and closes the 整改 — or appeals it with a reason. Each button is one
service call (:mod:`app.ratings.rectification`); refusals show under their field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError
from app.ratings import rectification
from app.ratings.rectification import RectificationList, RectificationView
from ui.context import AppContext
from ui.login import _FormDialog
from ui.widgets.tables import make_table

RED = QColor("#F8D7DA")
HEADERS = ("整改期限", "评价", "原因", "评价对象", "窗口", "工作人员", "评价时间", "回访")


def summary_text(result: RectificationList) -> str:
    """``差评整改：待整改 3 件，超期 1 件`` for the monitor's summary."""
    text = f"差评整改：待整改 {result.open_count} 件"
    return text + (f"，超期 {result.overdue_count} 件" if result.overdue_count else "")


class RectificationDialog(_FormDialog):
    """回访, 整改措施 and 办结 — or 申诉 — of one 整改. ``changed`` is set once it changed."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        view: RectificationView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("差评整改"), parent)
        self.actor, self.view, self.version = actor, view, view.version
        self.changed = False
        what = QLabel(
            self.tr("%1（%2）\n%3 · %4 号窗口 · %5").replace("%1", view.level_label)
            .replace("%2", "、".join(view.reasons) or self.tr("未选原因"))
            .replace("%3", view.subject)
            .replace("%4", str(view.window_number or "—"))
            .replace("%5", view.clerk_name or "—")
        )  # fmt: skip
        what.setWordWrap(True)
        self._layout.insertWidget(0, what)
        due = self.tr("整改期限：%1").replace("%1", view.due_date.isoformat())
        if view.overdue:
            due += self.tr("（已超期 %1 个工作日）").replace("%1", str(view.days_overdue))
        self.due = QLabel(due)
        self.due.setStyleSheet("color: #C0392B;" if view.overdue else "")
        self._layout.insertWidget(1, self.due)
        if view.note:
            note = QLabel(self.tr("群众意见：%1").replace("%1", view.note))
            note.setWordWrap(True)
            self._layout.insertWidget(2, note)
        self.callback = QPlainTextEdit(view.callback_result)
        self.measures = QPlainTextEdit(view.measures)
        self.appeal = QPlainTextEdit()
        for box in (self.callback, self.measures, self.appeal):
            box.setFixedHeight(70)
        self.callback.setPlaceholderText(self.tr("回访时间、方式和群众的意见"))
        self.measures.setPlaceholderText(self.tr("采取的整改措施"))
        self.appeal.setPlaceholderText(self.tr("申诉时填写（如恶意差评、非本大厅原因）"))
        self.add_row(self.tr("回访结果"), "callback", self.callback)
        self.add_row(self.tr("整改措施"), "measures", self.measures)
        self.add_row(self.tr("申诉理由"), "appeal", self.appeal)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("办结整改"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))
        self.callback_button = self.buttons.addButton(
            self.tr("只记录回访"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.appeal_button = self.buttons.addButton(
            self.tr("申诉"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.callback_button.clicked.connect(self.record_callback)
        self.appeal_button.clicked.connect(self.appeal_it)

    def _run(self, op: Callable[[], int], close: bool) -> None:
        def done(version: int) -> None:
            self.version, self.changed = version, True
            if close:
                self.accept()

        self._call(op, done)

    def record_callback(self) -> None:
        """只记录回访: the 整改 stays open."""
        db, actor, rid, v = self.ctx.db, self.actor, self.view.id, self.version
        text = self.callback.toPlainText()
        self._run(lambda: rectification.record_callback(db, actor, rid, v, text), False)

    def submit(self) -> None:
        """办结整改 with the measures (and the 回访 typed here, if changed)."""
        db, actor, rid, v = self.ctx.db, self.actor, self.view.id, self.version
        measures, reply = self.measures.toPlainText(), self.callback.toPlainText()
        if reply.strip() == self.view.callback_result:
            reply = ""  # recorded before: not recorded again
        self._run(
            lambda: rectification.close_rectification(db, actor, rid, v, measures, reply), True
        )

    def appeal_it(self) -> None:
        """申诉 with the reason typed."""
        db, actor, rid, v = self.ctx.db, self.actor, self.view.id, self.version
        reason = self.appeal.toPlainText()
        self._run(lambda: rectification.appeal_rectification(db, actor, rid, v, reason), True)


class RectificationBox(QWidget):
    """The open 整改 of the hall in the supervisor's 办件监控.

    Signals:
        loaded(str): the summary line, each time the list was loaded.
    """

    loaded = Signal(str)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.rows: list[RectificationView] = []
        self.title = QLabel(self.tr("差评整改"))
        self.title.setStyleSheet("font-weight: bold;")
        self.handle = QPushButton(self.tr("处理…"))
        self.handle.clicked.connect(self.open_selected)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.handle)
        self.table = make_table([self.tr(h) for h in HEADERS], stretch=False)
        self.table.setMaximumHeight(170)
        self.table.itemDoubleClicked.connect(lambda _i: self.open_selected())
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.status)

    def refresh(self) -> None:
        """Reload the open 整改."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: rectification.list_rectifications(db, actor),
            self._loaded,
            self._failed,
            self,
        )

    def _loaded(self, result: RectificationList) -> None:
        self.rows = result.rows
        summary = summary_text(result)
        self.title.setText(summary)
        self.table.setRowCount(len(result.rows))
        for r, v in enumerate(result.rows):
            due = v.due_date.isoformat()
            if v.overdue:
                due += self.tr("（超期 %1 个工作日）").replace("%1", str(v.days_overdue))
            values = (
                due,
                v.level_label,
                "、".join(v.reasons),
                v.subject,
                str(v.window_number or ""),
                v.clerk_name,
                v.rated_at,
                self.tr("已回访") if v.callback_result else self.tr("未回访"),
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if v.overdue:
                    item.setBackground(QBrush(RED))
                self.table.setItem(r, c, item)
        self.status.setText("" if result.rows else self.tr("没有待整改的差评。"))
        self.handle.setEnabled(bool(result.rows))
        self.loaded.emit(summary)

    def open_selected(self) -> RectificationDialog | None:
        """处理 the selected 整改 (the first if none is selected); returns the dialog shown."""
        if not self.rows:
            return None
        selected = self.table.selectionModel().selectedRows()
        index = selected[0].row() if selected else 0
        dialog = RectificationDialog(self.ctx, self.actor, self.rows[index], self)
        dialog.finished.connect(lambda _r: self.refresh() if dialog.changed else None)
        dialog.open()
        return dialog

    def _failed(self, error: DomainError) -> None:
        self.status.setText(error.message)
