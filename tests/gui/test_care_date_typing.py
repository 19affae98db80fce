"""A date typed into a care form's date field stays in it (issue 18's QA: typing 2025-06-15
moved on to 网格 at the first '-', and "06-15" replaced the grid), and Tab still leaves it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.care.common import DateEdit


def test_a_typed_date_stays_in_its_field_and_tab_leaves_it(qtbot: QtBot) -> None:
    form = QWidget()
    day = DateEdit()
    day.setDisplayFormat("yyyy-MM-dd")
    day.setDateRange(QDate(2000, 1, 1), QDate(2026, 12, 1))
    day.setDate(QDate(2026, 12, 1))
    grid = QLineEdit("幸福社区第一网格")
    layout = QVBoxLayout(form)
    layout.addWidget(day)
    layout.addWidget(grid)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    day.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is day)
    qtbot.keyClick(day, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # all selected
    qtbot.keyClicks(day, "2025-06-15")  # separators typed: they stay in the date
    assert grid.text() == "幸福社区第一网格" and QApplication.focusWidget() is day
    day.setSelectedSection(QDateTimeEdit.Section.YearSection)
    qtbot.keyClicks(day, "20250615")  # each part moves on to the next when it is full
    assert day.date().toPython() == date(2025, 6, 15)
    qtbot.keyClick(day, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is grid
