"""What the care screens share: one way to run a service call from a form, the colours of
the due list, and the PC's local time turned into the stored UTC."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.errors import DomainError, EnvironmentProblem
from ui.context import AppContext
from ui.login import _FormDialog
from ui.widgets.field_errors import FieldErrors

T = TypeVar("T")

OVERDUE_BACK = QColor("#F8D7DA")
OVERDUE_TEXT = QColor("#A61B1B")
TODAY_BACK = QColor("#FFF3CD")
SECTION_BACK = QColor("#E8EEF5")
GREY_TEXT = QColor("#6C757D")
DONE_STYLE = "color: #1E7B34;"
ERROR_STYLE = "color: #C0392B;"


def call(
    ctx: AppContext,
    parent: QWidget,
    op: Callable[[], T],
    done: Callable[[T], None],
    errors: FieldErrors,
    busy: Iterable[QWidget] = (),
    after: Callable[[], None] | None = None,
) -> None:
    """Run one service call for a form: ``busy`` widgets off until it is over (then
    ``after()``, which sets what is enabled from the new state), a refusal under the
    field it names (else in the form's general line), and an environment problem
    (database unreachable …) in that line too — never a lost form."""
    held = [w for w in busy if w.isEnabled()]
    for w in held:
        w.setEnabled(False)
    errors.clear()

    def settled() -> None:
        for w in held:
            w.setEnabled(True)
        if after is not None:
            after()

    ctx.ops.run(
        op,
        done,
        errors.show,
        parent,
        on_trouble=lambda e: _trouble(errors, e),
        on_settled=settled,
    )


def _trouble(errors: FieldErrors, problem: EnvironmentProblem) -> None:
    errors.show(DomainError(problem.message))


class CareForm(_FormDialog):
    """A small form dialog (OK = Enter, Cancel = Esc, both said on the buttons) whose one
    call also shows environment problems in its own general line, not a message box."""

    inline_trouble = True  # a lost database said in the small dialog, what was typed kept

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.ok_text(self.tr("确定"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消 (Esc)"))

    def ok_text(self, text: str) -> None:
        """The OK button's label, with its key."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"{text} (Enter)")


def table(headers: list[str], wide: tuple[int, ...]) -> QTableWidget:
    """A read-only row-selecting table whose ``wide`` columns share the room left and wrap
    their text (rows grow to fit), the others fitting their contents: nothing is cut off
    and nothing scrolls sideways on a 1366-pixel screen."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    t.setWordWrap(True)
    t.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
    header = t.horizontalHeader()
    for col in range(len(headers)):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if col in wide
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(col, mode)
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def cell(text: str, tip: str = "") -> QTableWidgetItem:
    """A table cell with its text (and a longer text as its tooltip)."""
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item


def short(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters (the whole text goes in a tooltip)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _tab_leaves(widget: QAbstractSpinBox, event: QEvent) -> bool:
    """Tab and Shift+Tab go on through the form (Qt's date inputs would move from year to
    month to day first). Only those keys: a typed separator ("2025-06-15") still moves on
    to the next part of the date, inside the field."""
    tab = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
    if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() in tab:
        QAbstractSpinBox.focusNextPrevChild(widget, event.key() == Qt.Key.Key_Tab)
        return True
    return False


class DateEdit(QDateEdit):
    """A date input that Tab leaves; typed (2025-06-15) or picked with the arrows."""

    def event(self, event: QEvent) -> bool:
        return _tab_leaves(self, event) or super().event(event)


class DateTimeEdit(QDateTimeEdit):
    """A date and time input that Tab leaves (see :class:`DateEdit`)."""

    def event(self, event: QEvent) -> bool:
        return _tab_leaves(self, event) or super().event(event)


def local_to_utc(moment: datetime) -> datetime:
    """A naive local time of this PC as the naive UTC the services store."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def action_button(
    owner: QWidget, text: str, slot: Callable[[], object], key: str = ""
) -> QPushButton:
    """A panel's button (never the default one) with its key, pressed visibly by the key."""
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.clicked.connect(slot)
    if key:
        QShortcut(QKeySequence(key), owner, b.animateClick)
    return b
