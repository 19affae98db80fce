"""The checks of :mod:`tests.gui.screen_fit` find what they claim to (and nothing in a tidy form)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.screen_fit import misfits

ROOM = QSize(1366, 697)
LONG = "最低生活保障申请（民政局、街道社会事务办、残疾人联合会）"


def _shown(qtbot: QtBot, top: QWidget, width: int = 400, height: int = 300) -> QWidget:
    qtbot.addWidget(top)
    top.resize(width, height)
    top.show()
    qtbot.waitExposed(top)
    return top


def test_a_tidy_form_fits(qtbot: QtBot) -> None:
    top = QWidget()
    form = QFormLayout(top)
    form.addRow("姓名", QLineEdit())
    form.addRow(QPushButton("确定"))
    assert misfits(_shown(qtbot, top), ROOM) == []


def test_a_window_larger_than_the_desk(qtbot: QtBot) -> None:
    top = QWidget()
    top.setMinimumSize(1180, 720)
    assert any("larger than the 1366×697" in m for m in misfits(_shown(qtbot, top), ROOM))


def test_a_button_outside_the_window_and_one_cut_short(qtbot: QtBot) -> None:
    top = QWidget()
    outside = QPushButton("退出登录", top)
    outside.setGeometry(380, 10, 80, 30)
    squeezed = QPushButton(LONG, top)
    squeezed.setGeometry(10, 60, 100, 30)
    found = misfits(_shown(qtbot, top), ROOM)
    assert any("退出登录" in m and "outside the window" in m for m in found), found
    assert any(LONG[:10] in m and "needs" in m for m in found), found


def test_a_table_wider_than_its_view_and_an_elided_cell(qtbot: QtBot) -> None:
    top = QWidget()
    wide = QTableWidget(1, 3)
    for col in range(3):
        wide.setColumnWidth(col, 200)
    narrow = QTableWidget(2, 2)
    narrow.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    narrow.setItem(0, 0, QTableWidgetItem("110105********8021" * 2))  # elided
    narrow.setItem(1, 1, QTableWidgetItem(LONG * 3))  # wrapped into more lines than the row
    narrow.setItem(1, 0, QTableWidgetItem("李秀兰"))
    narrow.setWordWrap(False)
    v = QVBoxLayout(top)
    v.addWidget(wide)
    v.addWidget(narrow)
    found = misfits(_shown(qtbot, top), ROOM)
    assert any("scrolls sideways" in m for m in found), found
    assert any("cuts 2 cells" in m and "row 0, column 0" in m for m in found), found
    narrow.takeItem(0, 0)
    narrow.setWordWrap(True)
    found = misfits(top, ROOM)
    assert any("cuts 1 cells" in m and "row 1, column 1" in m for m in found), found


def test_a_list_scrolls_sideways_even_with_its_scroll_bar_off(qtbot: QtBot) -> None:
    top = QWidget()
    hits = QListWidget()
    hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    hits.addItem("MZ001 " + LONG * 2)
    QVBoxLayout(top).addWidget(hits)
    found = misfits(_shown(qtbot, top), ROOM)
    assert any("QListWidget" in m and "scrolls sideways" in m for m in found), found
