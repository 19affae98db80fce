"""The 生僻字… picker: what cannot be printed is refused under the code field, in Chinese."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from ui import appearance
from ui.counter.applicant_dialogs import RareCharDialog

pytestmark = pytest.mark.gui


def _dialog(qtbot: QtBot) -> RareCharDialog:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    appearance.install_font(app)
    dialog = RareCharDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _ok(dialog: RareCharDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.mark.parametrize(
    ("entered", "says"),
    [
        ("1F600", "本系统的字库没有“😀”（U+1F600），无法打印。"),
        ("E000", "私用区"),
        ("2FFFF", "未分配"),
        ("200B", "不是可单独显示的文字"),
    ],
)
def test_unprintable_code_points_are_refused_next_to_the_field(
    qtbot: QtBot, entered: str, says: str
) -> None:
    dialog = _dialog(qtbot)
    dialog.code.setText(entered)
    _ok(dialog)
    error = dialog.findChild(QLabel, "error_code")
    assert error is not None and error.isVisible() and says in error.text()
    assert dialog.isVisible() and dialog.char == "" and dialog.preview.text() == ""


def test_an_extension_g_character_is_previewed_and_chosen(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog.code.setText("U+30000")
    assert dialog.preview.text() == "\U00030000"
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.char == "\U00030000"
