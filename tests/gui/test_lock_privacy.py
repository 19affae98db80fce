"""The screen lock hides the resident behind it (issue 14, item 5): while locked no widget
showing their name or ID number is visible — the workspace is hidden, a dialog left open is
covered — and unlocking brings everything back as it was. Both backends.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.ids import mask_id
from app.people import users
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter.intake_panel import IntakePanel
from ui.idle_lock import LockDialog
from ui.main_window import MainWindow

NAME = "欧阳娜娜"
NUMBER = id_number(date(1961, 3, 5), 7, female=True)


def _texts(widget: QWidget) -> list[str]:
    if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
        return [widget.text()]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        top = QModelIndex()
        cols = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
        return [
            str(model.index(r, c, top).data() or "")
            for r in range(model.rowCount(top))
            for c in range(cols)
        ]
    return []


def _personal(top: QWidget) -> list[QWidget]:
    """Visible widgets in window ``top`` (not its dialogs) showing the resident's name or ID."""
    marks = (NAME, NUMBER, mask_id(NUMBER), NUMBER[-4:])
    return [
        w
        for w in top.findChildren(QWidget)
        if w.window() is top and w.isVisible() and any(m in t for t in _texts(w) for m in marks)
    ]


def _with_resident(qtbot: QtBot, ctx: AppContext) -> tuple[MainWindow, IntakePanel]:
    window = MainWindow(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(window)
    window.show()
    panel = window.findChild(IntakePanel)
    assert panel is not None
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    panel.start(None)
    panel.applicant.id_edit.setText(NUMBER)
    panel.applicant.name_edit.setText(NAME)
    panel.applicant.save()
    qtbot.waitUntil(lambda: panel.applicant.resident is not None)
    return window, panel


def _left_open(window: MainWindow) -> tuple[QDialog, QLabel]:
    """A dialog with the resident in it, left open when the clerk walked away."""
    dialog = QDialog(window)
    shown = QLabel(f"{NAME}  {mask_id(NUMBER)}")
    QVBoxLayout(dialog).addWidget(shown)
    dialog.show()
    return dialog, shown


def test_while_locked_nothing_of_the_resident_is_visible(qtbot: QtBot, ctx: AppContext) -> None:
    window, panel = _with_resident(qtbot, ctx)
    dialog, shown = _left_open(window)
    panel.applicant.name_edit.setFocus()
    qtbot.waitUntil(lambda: panel.applicant.name_edit.hasFocus())
    assert _personal(window)  # on screen before the lock: the test can see them

    window.lock()
    lock = window.lock_dialog
    assert isinstance(lock, LockDialog) and lock.isVisible()
    assert _personal(window) == []
    assert window.centralWidget().isHidden()
    middle = shown.mapTo(dialog, shown.rect().center())
    covering = dialog.childAt(middle)
    assert covering is not None and covering is not shown
    assert covering.objectName() == "privacy_cover" or (
        covering.parentWidget() is not None
        and covering.parentWidget().objectName() == "privacy_cover"
    )
    assert lock.findChild(QWidget, "privacy_cover") is None  # the lock itself stays readable
    dialog.resize(dialog.width() + 200, dialog.height() + 100)
    more = QLabel(NAME, dialog)  # shown after the lock: still under the cover
    more.show()
    assert dialog.childAt(more.geometry().center()) is not more

    lock.password.setText("Wrong#2026")
    lock.submit()
    qtbot.waitUntil(lambda: lock.errors.message_for("password") != "")
    assert _personal(window) == []  # a wrong password shows nothing
    lock.password.setText(DEMO_PASSWORD)
    lock.submit()
    qtbot.waitUntil(lambda: not lock.isVisible())
    assert not window.centralWidget().isHidden() and _personal(window)
    assert dialog.childAt(middle) is shown
    assert panel.applicant.name_edit.text() == NAME  # nothing typed is lost
    qtbot.waitUntil(lambda: panel.applicant.name_edit.hasFocus())  # back where the clerk was
    dialog.close()
    window.close()


def test_logging_out_from_the_lock_never_shows_the_work_again(
    qtbot: QtBot, ctx: AppContext
) -> None:
    window, _panel = _with_resident(qtbot, ctx)
    window.lock()
    lock = window.lock_dialog
    lock.buttons.button(lock.buttons.StandardButton.Cancel).click()  # 退出登录
    # (离岗 first: it waits for an operation still running, then leaves)
    qtbot.waitUntil(lambda: window.logout_requested, timeout=10_000)
    assert not window.isVisible()
    assert window.centralWidget().isHidden()
    assert lock.result() == QDialog.DialogCode.Rejected
    assert Qt.WindowModality.ApplicationModal == lock.windowModality()
