"""事件处置 in the 统计 workspace: the period's 群众诉求 / 网格事件 figures — a summary line,
the stage times and each 主办 department's 响应率, 按期处置率, 返工率 and 满意率 with the
counts behind them (:func:`app.stats.events.event_figures`, definitions there).

They come with the rest of the 统计 (:attr:`app.reports.bundle.StatsBundle.events`), for a
supervisor only (the figures are the hall's, not a department's), so the tab, the workbook
and the monthly report show the same numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.actor import Actor
from app.reports.tables import Table
from app.stats.events import EventFigures
from ui.context import AppContext
from ui.stats import event_tables
from ui.stats.table_view import TableView


def _whole_height(view: TableView) -> None:
    """The stages' table as high as its rows (five): it never scrolls, the departments'
    table below takes the rest of the height."""
    table = view.table
    table.resizeRowsToContents()
    frame = 2 * table.frameWidth()
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + table.verticalHeader().length() + frame)


class EventsTab(QWidget):
    """The summary line, the stage-times table and the departments table.

    Signals:
        settled(bool): a 统计 of the events is over — True when the period has events.
    """

    settled = Signal(bool)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.figures: EventFigures | None = None
        self.summary = QLabel()
        self.summary.setObjectName("events_summary")
        self.summary.setWordWrap(True)
        self.stage_view = TableView()
        self.dept_view = TableView()
        stages_title = QLabel(self.tr("各环节用时（工作时间）"))
        depts_title = QLabel(self.tr("各部门处置情况"))
        for title in (stages_title, depts_title):
            title.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(stages_title)
        layout.addWidget(self.stage_view)
        layout.addWidget(depts_title)
        layout.addWidget(self.dept_view, 1)

    def show_figures(self, f: EventFigures | None) -> None:
        """Show the figures the 统计 read with the rest (None: a reader without events)."""
        if f is None:
            self.clear()
            self.settled.emit(False)
            return
        self.figures = f
        self.summary.setStyleSheet("")
        self.summary.setText(event_tables.summary(f))
        self.stage_view.set_tables([event_tables.stage_table(f)])
        _whole_height(self.stage_view)
        self.dept_view.set_tables([event_tables.department_table(f)])
        self.settled.emit(event_tables.has_events(f))

    def clear(self) -> None:
        """Nothing on screen (a refused or failed 统计)."""
        self.figures = None
        self.summary.clear()
        self.summary.setStyleSheet("")
        self.stage_view.set_tables([])
        self.dept_view.set_tables([])

    def tables(self) -> list[Table]:
        """The tables on screen, for the workbook ([] without events)."""
        f = self.figures
        return event_tables.event_tables(f) if f is not None and event_tables.has_events(f) else []
