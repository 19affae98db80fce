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
        # The last column takes the room left (stretchLastSection alone loses to
        # ResizeToContents once the contents are measured).
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table
