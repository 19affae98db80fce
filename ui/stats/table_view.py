"""One statistics table on screen: a picker of the tab's tables above a read-only table.

Shows :class:`app.reports.tables.Table` objects with :func:`~app.reports.tables.display`
texts (minutes with one decimal, shares as percentages, 样本不足 as such), figures
right-aligned. Headers break before their unit so columns stay narrow.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.reports.tables import Kind, Table, display
from ui.widgets.tables import make_table

GREY = QColor("#777777")


def header_text(header: str) -> str:
    """``等候 p50（分钟）`` → two lines, the unit below."""
    return header.replace("（", "\n（")


class TableView(QWidget):
    """The tables of one sub-tab, one at a time.

    Signals:
        figure_activated(str, int, str): a drillable figure was double-clicked — the
            table's key, the row's id (department id) and the figure's key.
    """

    figure_activated = Signal(str, int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tables: list[Table] = []
        self.picker = QComboBox()
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.picker_label = QLabel(self.tr("表格："))
        self.picker.currentIndexChanged.connect(self._show)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.table = make_table(["—"])
        self.table.setWordWrap(False)
        self.table.itemDoubleClicked.connect(self._double_clicked)
        top = QHBoxLayout()
        top.addWidget(self.picker_label)
        top.addWidget(self.picker)
        top.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_tables(self, tables: Sequence[Table]) -> None:
        """Show ``tables`` in the picker; the one shown before stays chosen if still there."""
        now = self.current()
        shown = now.key if now is not None else None
        self.tables = list(tables)
        self.picker.blockSignals(True)
        self.picker.clear()
        for t in self.tables:
            self.picker.addItem(t.title, t.key)
        keys = [t.key for t in self.tables]
        self.picker.setCurrentIndex(keys.index(shown) if shown in keys else 0)
        self.picker.blockSignals(False)
        self.picker.setVisible(len(self.tables) > 1)
        self.picker_label.setVisible(len(self.tables) > 1)
        self._show()

    def current(self) -> Table | None:
        """The table on screen."""
        i = self.picker.currentIndex()
        return self.tables[i] if 0 <= i < len(self.tables) else None

    def show_table(self, key: str) -> None:
        """Pick the table ``key``."""
        keys = [t.key for t in self.tables]
        if key in keys:
            self.picker.setCurrentIndex(keys.index(key))

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in a cell ("" outside the table)."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _show(self, _index: int = 0) -> None:
        t = self.current()
        self.table.clear()
        if t is None:  # nothing loaded (or a refused range): no columns of an earlier table
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.hint.setText("")
            return
        self.table.setColumnCount(len(t.columns))
        self.table.setHorizontalHeaderLabels([header_text(c.header) for c in t.columns])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setRowCount(len(t.rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(t.rows):
            for c, (value, col) in enumerate(zip(row, t.columns, strict=True)):
                item = QTableWidgetItem(display(value, col.kind))
                if col.kind is not Kind.TEXT:
                    item.setTextAlignment(right)
                if value is None or (isinstance(value, str) and col.kind is not Kind.TEXT):
                    item.setForeground(QBrush(GREY))
                if col.figure:
                    item.setToolTip(self.tr("双击查看背后的办件"))
                self.table.setItem(r, c, item)
        drill = any(c.figure for c in t.columns)
        hint = self.tr("双击数字查看背后的办件。") if drill else ""
        self.hint.setText(hint if t.rows else self.tr("本期没有数据。"))

    def _double_clicked(self, item: QTableWidgetItem) -> None:
        t = self.current()
        if t is None or item.row() >= len(t.row_ids):
            return
        figure = t.columns[item.column()].figure
        row_id = t.row_ids[item.row()]
        if figure and row_id is not None:
            self.figure_activated.emit(t.key, row_id, figure)
