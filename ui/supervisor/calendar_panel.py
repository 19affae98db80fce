"""工作日历: the supervisor sees why each day is or is not a working day, and adjusts it.

Holidays and 调休 workdays come from the library; a local holiday or a year the library
does not know yet is recorded here, with its basis (the State Council notice).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError
from app.hall import workcalendar
from app.hall.workcalendar import DayInfo
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors
from ui.widgets.tables import make_table

REST = QColor("#FADBD8")  # holidays and weekends
SWAPPED = QColor("#D6EAF8")  # 调休 Saturday or Sunday worked
OVERRIDE = QColor("#FCF3CF")  # the hall's own adjustment


class CalendarPanel(QWidget):
    """A month calendar coloured by day kind, the selected day's details, all adjustments."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.days: dict[date, DayInfo] = {}
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumSize(460, 320)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.load_month())
        self.calendar.selectionChanged.connect(self._show_selected)
        legend = QLabel(
            self.tr(
                "<span style='background:#FADBD8'>&nbsp;休息日&nbsp;</span> "
                "<span style='background:#D6EAF8'>&nbsp;调休上班&nbsp;</span> "
                "<span style='background:#FCF3CF'>&nbsp;本地调整&nbsp;</span>"
            )
        )
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #B9770E; font-weight: bold;")
        self.warning.hide()

        self.day_label = QLabel()
        self.day_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.kind_label = QLabel()
        self.kind_label.setWordWrap(True)
        self.workday = QRadioButton(self.tr("上班（计入办理时限）"))
        self.rest = QRadioButton(self.tr("休息（不计入办理时限）"))
        group = QButtonGroup(self)
        group.addButton(self.workday)
        group.addButton(self.rest)
        self.note = QLineEdit()
        self.note.setMaxLength(workcalendar.NOTE_MAX)
        self.note.setPlaceholderText(self.tr("调整依据，如：国办发明电〔2026〕X 号"))
        general = QLabel()
        self.errors = FieldErrors(general)
        self.save_button = QPushButton(self.tr("保存调整"))
        self.save_button.clicked.connect(self.save_day)
        self.clear_button = QPushButton(self.tr("撤销本地调整"))
        self.clear_button.clicked.connect(self.clear_day)
        self.status = QLabel()

        form = QFormLayout()
        form.addRow(self.tr("当天："), self.kind_label)
        form.addRow(self.tr("调整为："), self.workday)
        form.addRow("", self.rest)
        form.addRow(self.tr("依据："), self.note)
        form.addRow("", self.errors.add("note", self.note))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        box = QGroupBox(self.tr("所选日期"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.day_label)
        box_layout.addLayout(form)
        box_layout.addLayout(buttons)
        box_layout.addWidget(general)
        box_layout.addWidget(self.status)
        box_layout.addStretch(1)

        self.table = make_table(
            [self.tr("日期"), self.tr("调整为"), self.tr("节日"), self.tr("依据")], stretch=False
        )
        self.table.itemSelectionChanged.connect(self._pick_from_table)

        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.calendar)
        left.addWidget(legend)
        top.addLayout(left)
        top.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("本大厅的全部日历调整：")))
        layout.addWidget(self.table, 1)
        self.load_month()
        self.load_overrides()

    # --- loading -----------------------------------------------------------------------

    def load_month(self) -> None:
        """Fetch the shown month's days and colour them."""
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.ctx.ops.run(
            lambda: (
                workcalendar.month(self.ctx.db, self.actor, year, month),
                workcalendar.year_status(self.ctx.db, self.actor, year),
            ),
            self._show_month,
            self._failed,
            parent=self,
        )

    def _show_month(self, result: tuple[list[DayInfo], str]) -> None:
        days, warning = result
        for info in days:
            self.days[info.day] = info
            fmt = QTextCharFormat()
            if info.overridden:
                fmt.setBackground(QBrush(OVERRIDE))
                fmt.setFontWeight(QFont.Weight.Bold)
            elif info.is_workday and info.day.weekday() >= 5:
                fmt.setBackground(QBrush(SWAPPED))
            elif not info.is_workday:
                fmt.setBackground(QBrush(REST))
            fmt.setForeground(QBrush(QColor("#1B2631")))
            if info.holiday and not info.is_workday:
                fmt.setToolTip(info.holiday)
            self.calendar.setDateTextFormat(QDate(info.day), fmt)
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self._show_selected()

    def load_overrides(self) -> None:
        """Fetch the list of adjustments."""
        self.ctx.ops.run(
            lambda: workcalendar.overrides(self.ctx.db, self.actor),
            self._show_overrides,
            self._failed,
            parent=self,
        )

    def _show_overrides(self, rows: list[DayInfo]) -> None:
        self.table.setRowCount(len(rows))
        for r, info in enumerate(rows):
            day = QTableWidgetItem(info.day.isoformat())
            day.setData(Qt.ItemDataRole.UserRole, info.day)
            self.table.setItem(r, 0, day)
            self.table.setItem(
                r, 1, QTableWidgetItem(self.tr("上班") if info.is_workday else self.tr("休息"))
            )
            self.table.setItem(r, 2, QTableWidgetItem(info.holiday))
            self.table.setItem(r, 3, QTableWidgetItem(info.note))

    # --- the selected day --------------------------------------------------------------

    def selected_day(self) -> date:
        """The day selected in the calendar."""
        d = self.calendar.selectedDate()
        return date(d.year(), d.month(), d.day())

    def select(self, day: date) -> None:
        """Show ``day`` (its month is loaded if needed)."""
        self.calendar.setSelectedDate(QDate(day))
        self.calendar.setCurrentPage(day.year, day.month)

    def _pick_from_table(self) -> None:
        items = self.table.selectedItems()
        first = self.table.item(items[0].row(), 0) if items else None
        if first is not None:
            self.select(first.data(Qt.ItemDataRole.UserRole))

    def _show_selected(self) -> None:
        day = self.selected_day()
        self.day_label.setText(f"{day.isoformat()}  周{'一二三四五六日'[day.weekday()]}")
        info = self.days.get(day)
        self.errors.clear()
        if info is None:
            self.kind_label.setText("")
            return
        text = info.kind + (f"（{info.holiday}）" if info.holiday else "")
        if info.overridden:
            text += self.tr("；依据：{note}").format(note=info.note)
        self.kind_label.setText(text)
        (self.workday if info.is_workday else self.rest).setChecked(True)
        self.note.setText(info.note)
        self.clear_button.setEnabled(info.overridden)

    # --- actions -----------------------------------------------------------------------

    def save_day(self) -> None:
        """Record the selected day as the radio buttons say."""
        day, workday, note = self.selected_day(), self.workday.isChecked(), self.note.text()
        self.ctx.ops.run(
            lambda: workcalendar.set_day(self.ctx.db, self.actor, day, workday, note),
            lambda info: self._changed(info, self.tr("已保存")),
            self._failed,
            parent=self,
        )

    def clear_day(self) -> None:
        """Remove the selected day's adjustment."""
        day = self.selected_day()
        self.ctx.ops.run(
            lambda: workcalendar.clear_day(self.ctx.db, self.actor, day),
            lambda info: self._changed(info, self.tr("已撤销")),
            self._failed,
            parent=self,
        )

    def _changed(self, info: DayInfo, what: str) -> None:
        self.status.setStyleSheet("color: #1E8449;")
        self.status.setText(
            self.tr(
                "{what}：{day} 为{kind}。已受理案件的期限不变，新受理案件按新日历计算。"
            ).format(
                what=what,
                day=info.day.isoformat(),
                kind=self.tr("上班日") if info.is_workday else self.tr("休息日"),
            )
        )
        self.load_month()
        self.load_overrides()

    def _failed(self, error: DomainError) -> None:
        self.status.clear()
        self.errors.show(error)
