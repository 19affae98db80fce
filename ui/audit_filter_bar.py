"""The audit list's filter: days, operator, action and record, with messages under each.

Layout and reading only: the rules (what a day, an operator or a record may be) are
:mod:`app.audit.listing`'s. Days are typed (``2026-11-01``, ``20261101`` …) or picked from
a calendar; operator and action are lists one can type into (typing 叫号 or 王 narrows
them); the record is a type and a free text (a case number, a ticket code, an ID number or
a name …). Enter in any field, or 查询, asks.

Signals:
    submitted(): the auditor asked for the list with these conditions.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from app.audit import listing
from app.audit.finding import TEXT_MAX
from app.audit.listing import AuditFilter, FilterChoices
from app.errors import DomainError, ValidationError
from ui.widgets.field_errors import FieldErrors

ANY = "全部"


class DateField(QWidget):
    """A day typed as text, or picked from the calendar behind the button."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaxLength(20)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.menu = menu
        pick = QToolButton()
        pick.setText(self.tr("日历"))
        pick.setToolTip(self.tr("从日历中选择"))
        pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        pick.setMenu(menu)
        pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        pick.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        menu.aboutToShow.connect(self._show_typed)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(pick)
        self.setFocusProxy(self.edit)
        self.setMaximumWidth(240)

    def text(self) -> str:
        """What is typed."""
        return self.edit.text()

    def setText(self, value: str) -> None:  # the Qt name, as on QLineEdit
        """Type ``value`` (a test, or 清除条件)."""
        self.edit.setText(value)

    def _show_typed(self) -> None:
        try:
            day = listing.parse_day(self.edit.text(), "day")
        except ValidationError:
            day = None
        self.calendar.setSelectedDate(QDate(day) if day else QDate.currentDate())

    def _picked(self, day: QDate) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd"))
        self.menu.close()
        self.edit.setFocus()


def _searchable(width: int) -> QComboBox:
    """A list one can type into: the typed text narrows it (contains), Enter takes it."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    assert completer is not None  # an editable combo has one
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setMinimumWidth(width)
    combo.setMaxVisibleItems(20)
    return combo


class AuditFilterBar(QWidget):
    """The conditions of the audit list; :meth:`current` reads them or names the wrong one."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.general = QLabel()
        self.errors = FieldErrors(self.general)
        self.date_from = DateField(self.tr("如 2026-11-01"))
        self.date_to = DateField(self.tr("如 2026-11-30"))
        self.operator = _searchable(200)
        self.action = _searchable(170)
        self.entity = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("办件编号、号票号码、身份证号、姓名、用户名或窗口号"))
        self.text.setClearButtonEnabled(True)
        self.text.setMaxLength(TEXT_MAX + 20)  # over-long text gets the message, not a cut
        self.find_button = QPushButton(self.tr("查询"))
        self.find_button.clicked.connect(self.submit)
        self.clear_button = QPushButton(self.tr("清除条件"))
        self.clear_button.clicked.connect(self.clear)
        for edit in (self.date_from.edit, self.date_to.edit, self.text):
            edit.returnPressed.connect(self.submit)
        for combo in (self.operator, self.action):
            line = combo.lineEdit()
            assert line is not None
            line.returnPressed.connect(self.submit)
        self.set_choices(FilterChoices((), (), ()))

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        fields: list[tuple[int, int, str, QWidget, str, int]] = [
            (0, 0, self.tr("日期"), self.date_from, "date_from", 1),
            (0, 2, self.tr("至"), self.date_to, "date_to", 1),
            (0, 4, self.tr("操作人"), self.operator, "operator", 1),
            (0, 6, self.tr("操作"), self.action, "action", 1),
            (2, 0, self.tr("对象"), self.entity, "entity", 1),
            (2, 2, self.tr("关键词"), self.text, "text", 3),
        ]
        for row, col, label, widget, key, span in fields:
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, row, col, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, col + 1, 1, span)
            framed = widget.edit if isinstance(widget, DateField) else widget
            grid.addWidget(self.errors.add(key, framed), row + 1, col + 1, 1, span)
        buttons = QHBoxLayout()
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 6, 1, 2)
        grid.addWidget(self.general, 4, 0, 1, 8)
        for col in (5, 7):  # the lists and the key words take the width; days need little
            grid.setColumnStretch(col, 1)
        self.setTabOrder(self.date_from.edit, self.date_to.edit)
        self.setTabOrder(self.date_to.edit, self.operator)
        self.setTabOrder(self.operator, self.action)
        self.setTabOrder(self.action, self.entity)
        self.setTabOrder(self.entity, self.text)
        self.setTabOrder(self.text, self.find_button)

    def set_choices(self, choices: FilterChoices) -> None:
        """Fill the lists (keeps nothing chosen: called once, before the first query)."""
        for combo, pairs, everyone in (
            (self.operator, choices.operators, self.tr("全部操作人")),
            (self.action, choices.actions, self.tr("全部操作")),
        ):
            combo.clear()
            combo.addItem(everyone, None)
            for value, label in pairs:
                combo.addItem(label, value)
        self.entity.clear()
        self.entity.addItem(self.tr("全部对象"), "")
        for value, label in choices.entities:
            self.entity.addItem(label, value)

    def current(self) -> AuditFilter:
        """The conditions as typed; raises :class:`ValidationError` naming the wrong field."""
        f = AuditFilter(
            date_from=listing.parse_day(self.date_from.text(), "date_from"),
            date_to=listing.parse_day(self.date_to.text(), "date_to"),
            operator=_chosen(self.operator, "operator", self.tr("请从列表中选择操作人。")),
            action=str(_chosen(self.action, "action", self.tr("请从列表中选择操作。")) or ""),
            entity=str(self.entity.currentData() or ""),
            text=self.text.text(),
        )
        listing.check_filter(f)
        return f

    def submit(self) -> None:
        """Ask for the list (the panel reads :meth:`current`)."""
        self.submitted.emit()

    def show_error(self, error: DomainError) -> None:
        """The message under the field it names (or under the bar)."""
        self.errors.show(error)

    def clear_errors(self) -> None:
        """Hide every message."""
        self.errors.clear()

    def clear(self) -> None:
        """Every condition back to "any", and ask again."""
        for field in (self.date_from, self.date_to):
            field.setText("")
        self.operator.setCurrentIndex(0)
        self.action.setCurrentIndex(0)
        self.entity.setCurrentIndex(0)
        self.text.clear()
        self.submit()

    def set_days(self, start: date | None, end: date | None) -> None:
        """Type these days into the date fields (None: any)."""
        self.date_from.setText(start.isoformat() if start else "")
        self.date_to.setText(end.isoformat() if end else "")


def _chosen(combo: QComboBox, field: str, message: str) -> int | str | None:
    """The value of the item whose label is typed, or the one item containing the text.

    None for "all" or nothing typed; :class:`ValidationError` (``field``) when no item or
    several match.
    """
    typed = combo.currentText().strip()
    if not typed or combo.findText(typed) == 0:
        return None
    index = combo.findText(typed, Qt.MatchFlag.MatchFixedString)
    if index < 0:
        matches = [
            i for i in range(1, combo.count()) if typed.casefold() in combo.itemText(i).casefold()
        ]
        if len(matches) != 1:
            raise ValidationError(message, field)
        index = matches[0]
        combo.setCurrentIndex(index)
    value = combo.itemData(index)
    return value if isinstance(value, int | str) else None
