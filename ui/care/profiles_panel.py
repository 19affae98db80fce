"""服务对象: the hall's care profiles, masked (nothing sensitive in a list), searchable
by name, ID number start or grid; 只看我的 for the worker's own people.

Keys: Ctrl+F the search box (Enter searches), Enter in the list (or a double-click) opens
the profile, Ctrl+N 新建档案 (find or register the resident first), F5 刷新.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import profiles
from app.care.views import ProfileRow
from app.errors import DomainError, EnvironmentProblem
from app.roles import Permission
from ui.care.common import GREY_TEXT, action_button, cell, table
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors

HEADERS = ("姓名", "身份证号", "年龄", "电话", "人群类别", "风险等级", "网格", "责任人", "状态")


class ProfilesPanel(QWidget):
    """The list of profiles.

    Signals:
        open_requested(int): open the profile with this id.
        new_requested(): 新建档案 was pressed.
    """

    open_requested = Signal(int)
    new_requested = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.may_write = actor.can(Permission.CARE)
        self.loaded = False
        self.rows: list[ProfileRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、身份证号开头或网格 (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        self.mine = QCheckBox(self.tr("只看我的"))
        self.mine.setChecked(self.may_write)
        self.mine.setVisible(self.may_write)
        self.mine.toggled.connect(lambda _on: self.refresh())
        find = action_button(self, self.tr("查询"), self.refresh)
        again = action_button(self, self.tr("刷新 (F5)"), self.refresh, "F5")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(find)
        bar.addWidget(self.mine)
        bar.addWidget(again)
        self.general = QLabel()
        self.errors = FieldErrors(self.general)
        search_error = self.errors.add("query", self.search)
        self.table = table([self.tr(h) for h in HEADERS], wide=(4,))
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table, self.open_selected)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_button = action_button(self, self.tr("打开档案 (Enter)"), self.open_selected)
        self.new_button = action_button(
            self, self.tr("新建档案… (Ctrl+N)"), lambda: self.new_requested.emit(), "Ctrl+N"
        )
        self.new_button.setVisible(self.may_write)
        self.status = QLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.new_button)
        actions.addWidget(self.status)
        actions.addWidget(self.general, 1)
        actions.addStretch(0)  # the buttons keep their size while no message shows
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(search_error)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        """Loaded when first shown."""
        super().showEvent(event)
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        """Search (or list) the profiles."""
        self.loaded = True
        db, actor = self.ctx.db, self.actor
        query, mine = self.search.text(), self.mine.isChecked()
        self.ctx.ops.run(
            lambda: profiles.list_profiles(db, actor, query, mine),
            self._show,
            self.show_error,
            self,
            on_trouble=self.show_trouble,
        )

    def _show(self, rows: list[ProfileRow]) -> None:
        self.errors.clear()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            values = (
                p.name,
                p.id_masked,
                str(p.age),
                p.phone_masked,
                p.groups,
                p.tier_label,
                p.grid,
                p.worker_name,
                p.state_label,
            )
            for c, value in enumerate(values):
                item = cell(value)
                if p.state_label != "在册":
                    item.setForeground(QBrush(GREY_TEXT))
                self.table.setItem(r, c, item)
        if rows:
            self.status.setText(self.tr("共 %1 人").replace("%1", str(len(rows))))
            self.table.selectRow(0)
        elif self.search.text().strip():
            self.status.setText(self.tr("没有符合条件的服务对象。"))
        else:
            self.status.setText(self.tr("还没有服务对象。新建档案：Ctrl+N。"))
        self._update_buttons()

    def selected(self) -> ProfileRow | None:
        """The profile on the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    def show_trouble(self, problem: EnvironmentProblem) -> None:
        """The database unreachable …: said beside the buttons (the list stays)."""
        self.show_error(DomainError(problem.message))

    def show_error(self, error: DomainError) -> None:
        self.status.clear()
        self.errors.show(error)

    def open_selected(self) -> None:
        """Open the selected profile."""
        row = self.selected()
        if row is not None:
            self.open_requested.emit(row.id)
