"""待办探访: the worker's list — overdue (red, by days late), due today, due within 2 days.

Rows come sorted from :func:`app.care.duelist.due_list` (risk tier, then lateness) and are
shown under their section. Keys: Enter (or a double-click) opens the person's profile,
F9 登记探访 for the current row, Ctrl+P 打印路线单 (the selected rows, or all), F5 刷新,
Alt+M / Alt+A 我的 / 全部. The supervisor reads the whole hall's list and changes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import duelist
from app.care.duelist import DueList
from app.care.views import DueRow
from app.errors import DomainError, EnvironmentProblem
from app.roles import Permission
from printing import route_sheet
from ui.care.common import (
    DONE_STYLE,
    ERROR_STYLE,
    OVERDUE_BACK,
    OVERDUE_TEXT,
    SECTION_BACK,
    TODAY_BACK,
    action_button,
    cell,
    table,
)
from ui.care.visit_dialog import VisitDialog
from ui.context import AppContext
from ui.counter.printing import show_pdf

HEADERS = ("到期", "姓名", "年龄", "风险", "探访内容", "电话", "住址", "需关注", "网格", "责任人")
SECTIONS = (("overdue", "逾期"), ("today", "今日到期"), ("soon", "2 日内到期"))


class DuePanel(QWidget):
    """The due list with its actions.

    Signals:
        open_requested(int): open the profile with this id.
        visited(): a visit was recorded here (the other lists reload).
    """

    open_requested = Signal(int)
    visited = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.may_write = actor.can(Permission.CARE)
        self.loaded = False
        self.list: DueList | None = None
        self.row_of: dict[int, DueRow] = {}
        self.visit_dialog: VisitDialog | None = None

        self.mine = QRadioButton(self.tr("我的待办 (&M)"))
        self.everyone = QRadioButton(self.tr("全部社区工作者 (&A)"))
        scope = QButtonGroup(self)
        for radio in (self.mine, self.everyone):
            scope.addButton(radio)
            radio.setVisible(self.may_write)  # the supervisor has no round of their own
        (self.mine if self.may_write else self.everyone).setChecked(True)
        self.mine.toggled.connect(lambda _on: self.refresh())
        self.summary = QLabel()
        self.refresh_button = action_button(self, self.tr("刷新 (F5)"), self.refresh, "F5")
        bar = QHBoxLayout()
        bar.addWidget(self.mine)
        bar.addWidget(self.everyone)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.refresh_button)

        self.table = table([self.tr(h) for h in HEADERS], wide=(4, 6, 7))
        self.table.setSelectionMode(QTableWidget.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table, self.open_selected)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

        self.open_button = action_button(self, self.tr("打开档案 (Enter)"), self.open_selected)
        self.visit_button = action_button(self, self.tr("登记探访… (F9)"), self.record_visit, "F9")
        self.print_button = action_button(
            self, self.tr("打印路线单 (Ctrl+P)"), self.print_route, "Ctrl+P"
        )
        for b in (self.visit_button, self.print_button):
            b.setVisible(self.may_write)
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        for b in (self.open_button, self.visit_button, self.print_button):
            actions.addWidget(b)
        actions.addWidget(self.status, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        """Loaded when first shown (a supervisor may never open this tab)."""
        super().showEvent(event)
        if not self.loaded:
            self.loaded = True
            self.refresh()

    # --- the list ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (mine or everyone's)."""
        db, actor, everyone = self.ctx.db, self.actor, self.everyone.isChecked()
        self.loaded = True
        self.ctx.ops.run(
            lambda: duelist.due_list(db, actor, everyone),
            self._show,
            self.show_error,
            self,
            on_trouble=self.show_trouble,
        )

    def _show(self, due: DueList) -> None:
        self.list = due
        self.row_of = {}
        by = {key: [r for r in due.rows if r.bucket == key] for key, _ in SECTIONS}
        self.table.clearSpans()
        self.table.setRowCount(0)
        bold = QFont(self.table.font())
        bold.setBold(True)
        for key, label in SECTIONS:
            if not by[key]:
                continue
            r = self.table.rowCount()
            self.table.insertRow(r)
            head = QTableWidgetItem(f"{self.tr(label)}（{len(by[key])}）")
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setFont(bold)
            head.setBackground(QBrush(SECTION_BACK))
            if key == "overdue":
                head.setForeground(QBrush(OVERDUE_TEXT))
            self.table.setItem(r, 0, head)
            self.table.setSpan(r, 0, 1, len(HEADERS))
            for row in by[key]:
                self._add(row, bold)
        counts = "，".join(f"{self.tr(label)} {len(by[key])} 项" for key, label in SECTIONS)
        if not due.rows:
            counts = self.tr("今天和未来 2 日没有需要探访的对象。")
        self.summary.setText(f"{due.today.isoformat()} · {due.worker}：{counts}")
        first = next(iter(self.row_of), None)
        if first is not None:
            self.table.setCurrentCell(first, 0)
            self.table.selectRow(first)
        self._update_buttons()

    def _add(self, row: DueRow, bold: QFont) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.row_of[r] = row
        values = (
            row.due_label,
            row.name,
            str(row.age),
            row.tier_label,
            row.what,
            row.phone_masked,
            row.address,
            row.check,
            row.grid,
            row.worker_name,
        )
        for c, value in enumerate(values):
            item = cell(value)
            if row.bucket == "overdue":
                item.setBackground(QBrush(OVERDUE_BACK))
                if c == 0:
                    item.setForeground(QBrush(OVERDUE_TEXT))
                    item.setFont(bold)
            elif row.bucket == "today":
                item.setBackground(QBrush(TODAY_BACK))
            self.table.setItem(r, c, item)

    def selected_rows(self) -> list[DueRow]:
        """The rows selected (section headings left out), in the list's order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.row_of[r] for r in rows if r in self.row_of]

    def current(self) -> DueRow | None:
        """The row the cursor is on (else the first selected)."""
        row = self.row_of.get(self.table.currentRow())
        if row is None:
            chosen = self.selected_rows()
            row = chosen[0] if chosen else None
        return row

    def _update_buttons(self) -> None:
        has = self.current() is not None
        self.open_button.setEnabled(has)
        self.visit_button.setEnabled(has)
        self.print_button.setEnabled(bool(self.list and self.list.rows))
        n = len({r.profile_id for r in self.selected_rows()})
        self.print_button.setText(
            self.tr("打印路线单（选中 %1 人）(Ctrl+P)").replace("%1", str(n))
            if n > 1
            else self.tr("打印路线单 (Ctrl+P)")
        )

    def show_trouble(self, problem: EnvironmentProblem) -> None:
        """The database unreachable …: said on the status line (the list stays as it was)."""
        self.show_error(DomainError(problem.message))

    def show_error(self, error: DomainError) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error.message)

    # --- actions -------------------------------------------------------------------------

    def open_selected(self) -> None:
        """Open the current row's profile."""
        row = self.current()
        if row is not None:
            self.open_requested.emit(row.profile_id)

    def record_visit(self) -> VisitDialog | None:
        """登记探访… preset to the current row's plan (or, for a 24-hour event, 上门)."""
        row = self.current()
        if row is None or not self.may_write:
            return None
        plans = [(row.plan_id, row.mode, row.what)] if row.plan_id is not None else []
        about = f"{row.what} · {row.due_label}"
        dialog = VisitDialog(
            self.ctx,
            self.actor,
            row.profile_id,
            row.name,
            plans,
            row.plan_id,
            row.mode,
            about,
            self,
        )
        self.visit_dialog = dialog

        def finished(_r: int) -> None:
            self.visit_dialog = None
            self.window().activateWindow()
            if dialog.recorded is not None:
                self.status.setStyleSheet(DONE_STYLE)
                self.status.setText(dialog.outcome)
                self.refresh()
                self.visited.emit()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def print_route(self) -> None:
        """走访路线单 of the selected rows' people (or of the whole list shown)."""
        if self.list is None or not self.may_write:
            return
        chosen = self.selected_rows()
        if len(chosen) <= 1 and not self.everyone.isChecked():
            ids: tuple[int, ...] = ()  # the whole of my list
        else:
            rows = chosen if len(chosen) > 1 else list(self.list.rows)
            ids = tuple(dict.fromkeys(r.profile_id for r in rows))
        db, actor = self.ctx.db, self.actor

        def op() -> bytes:
            return route_sheet.render(duelist.route_sheet(db, actor, ids))

        self.ctx.ops.run(
            op,
            lambda pdf: show_pdf(self, pdf, self.tr("走访路线单")),
            self.show_error,
            self,
            on_trouble=self.show_trouble,
        )
