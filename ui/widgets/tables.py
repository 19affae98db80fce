"""Read-only tables as the workspaces use them."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget


def make_table(headers: list[str], stretch: bool = True) -> QTableWidget:
    """Row-selecting, not editable, no row numbers; columns stretch or fit their contents."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    if stretch:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        table.setWordWrap(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The last column takes the room left. (Calling resizeColumnsToContents() on a
        # shown table would undo that; the resize mode already fits the contents.)
        header.setStretchLastSection(True)
    return table
