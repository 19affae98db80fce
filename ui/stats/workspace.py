"""统计 workspace: a date range (default 上月), a hall, and the figures in four sub-tabs.

排队 (queue tables, queue length over the day, waits per hour), 办件, 满意度 (with the
weekly 满意率 trend) and 部门绩效 (weighted scores, weights editable; every figure drills
down to its cases), plus 全市对比 for a city supervisor and 事件处置 (:mod:`ui.stats.events_tab`)
for a supervisor whose period has events. One :func:`app.reports.bundle.load`
per 统计 press; exports write what is on screen. An approver sees 办件, 满意度 and 部门绩效
of their own departments only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import casefile
from app.cases.casefile import CaseFile
from app.errors import DomainError
from app.reports import bundle, periods, tables
from app.reports.bundle import StatsBundle
from app.stats import departments, scope
from app.stats.departments import Weights
from ui.casefile.view import open_case_view
from ui.context import AppContext
from ui.stats import exporting
from ui.stats.charts import Chart
from ui.stats.dialogs import FIGURE_NAMES, CasesBehindDialog, WeightsDialog
from ui.stats.events_tab import EventsTab
from ui.stats.table_view import TableView

ERROR = "color: #C0392B;"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class StatsWorkspace(QWidget):
    """The supervisor's (or an approver's read-only) statistics."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.today = today or date.today()  # until the hall's date is read (first shown)
        self._dated_by_hall = today is None
        self.weights = Weights()
        self.bundle: StatsBundle | None = None
        self.hall_id: int | None = None
        self.export_job: exporting.ExcelExport | None = None
        self.drill: CasesBehindDialog | None = None
        self.loading = False  # a 统计 is running
        self._build_bar()
        self._build_tabs()
        self.status = QLabel()
        self.status.setObjectName("stats_status")
        layout = QVBoxLayout(self)
        layout.addLayout(self.bar)
        layout.addWidget(self.range_error)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.preset.setCurrentIndex(list(periods.PRESETS).index(periods.DEFAULT))
        self.loaded_once = False  # the first load waits until the tab is first shown
        self._set_dates(*periods.preset_range(periods.DEFAULT, self.today))

    def showEvent(self, event: QShowEvent) -> None:
        """Read the figures when the tab is first opened (not at log-in): first the hall's
        date, which the ranges count from (not the PC's), then the figures."""
        super().showEvent(event)
        if not self.loaded_once:
            self.loaded_once = True
            if not self._dated_by_hall:  # a day given (a test's): as given
                self.load()
                return
            db, actor = self.ctx.db, self.actor
            self.ctx.ops.run(
                lambda: scope.hall_today(db, actor),
                self._dated,
                lambda _e: self.load(),  # the PC's date then; the figures still load
                parent=self,
            )

    def _dated(self, today: date) -> None:
        self.today = today
        key = self.preset.currentData()
        if key != "custom":
            self._set_dates(*periods.preset_range(key, today))
        self.load()

    # --- the bar: hall, range, actions -------------------------------------------------
    def _build_bar(self) -> None:
        self.hall = QComboBox()
        self.hall.setMinimumContentsLength(8)
        self.hall.activated.connect(lambda _i: self._hall_chosen())
        self.hall_label = QLabel(self.tr("大厅："))
        self.hall.hide()
        self.hall_label.hide()
        self.preset = QComboBox()
        for key, label in periods.PRESETS.items():
            self.preset.addItem(self.tr(label), key)
        self.preset.activated.connect(lambda _i: self.apply_preset())
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self._custom())
        self.load_button = QPushButton(self.tr("统计"))
        self.load_button.clicked.connect(self.load)
        self.weights_button = QPushButton(self.tr("得分权重…"))
        self.weights_button.clicked.connect(self.edit_weights)
        self.excel_button = QPushButton(self.tr("导出 Excel…"))
        self.excel_button.clicked.connect(self.export_excel)
        self.pdf_button = QPushButton(self.tr("月度报告 PDF…"))
        self.pdf_button.clicked.connect(self.export_report)
        self.bar = QHBoxLayout()
        for w in (self.hall_label, self.hall, QLabel(self.tr("期间：")), self.preset):
            self.bar.addWidget(w)
        self.bar.addWidget(self.first)
        self.bar.addWidget(QLabel(self.tr("至")))
        self.bar.addWidget(self.last)
        self.bar.addWidget(self.load_button)
        self.bar.addStretch(1)
        for b in (self.weights_button, self.excel_button, self.pdf_button):
            self.bar.addWidget(b)
        self.range_error = QLabel()
        self.range_error.setObjectName("error_last")
        self.range_error.setStyleSheet(ERROR)
        self.range_error.hide()
        self._enable_exports(False)

    def _build_tabs(self) -> None:
        self.tabs = QTabWidget()
        self.queue_view = TableView()
        self.queue_chart = Chart(
            self.tr("全天排队人数（每 15 分钟平均）"), "line", self.tr("人数"), hour_marks=True
        )
        self.wait_chart = Chart(self.tr("各时段平均等候（分钟）"), "bars", self.tr("分钟"))
        self.queue_tab = QWidget()
        grid = QGridLayout(self.queue_tab)
        grid.addWidget(self.queue_view, 0, 0, 1, 2)
        grid.addWidget(self.queue_chart, 1, 0)
        grid.addWidget(self.wait_chart, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.case_view = TableView()
        self.sat_view = TableView()
        self.sat_chart = Chart(self.tr("满意率按周走势（%）"), "line", "%", y_max=100)
        self.sat_tab = QWidget()
        sat = QVBoxLayout(self.sat_tab)
        sat.addWidget(self.sat_view, 3)
        sat.addWidget(self.sat_chart, 2)
        self.dept_view = TableView()
        self.dept_view.figure_activated.connect(self.drill_down)
        self.city_view = TableView()
        self.events_tab = EventsTab(self.ctx, self.actor)
        self.events_tab.settled.connect(self._events_settled)
        self.tabs.addTab(self.case_view, self.tr("办件"))
        self.tabs.addTab(self.sat_tab, self.tr("满意度"))
        self.tabs.addTab(self.dept_view, self.tr("部门绩效"))

    def _enable_exports(self, on: bool) -> None:
        for b in (self.excel_button, self.pdf_button):
            b.setEnabled(on)

    # --- the range ---------------------------------------------------------------------
    def apply_preset(self) -> None:
        """Set the dates of the chosen preset and load (自定义: the dates are left as they are)."""
        key = self.preset.currentData()
        if key == "custom":
            return
        self._set_dates(*periods.preset_range(key, self.today))
        self.loaded_once = True
        self.load()

    def _set_dates(self, first: date, last: date) -> None:
        self._setting = True
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self._setting = False

    def _custom(self) -> None:
        if not getattr(self, "_setting", False):
            self.preset.setCurrentIndex(list(periods.PRESETS).index("custom"))

    def set_range(self, first: date, last: date) -> None:
        """Choose a custom range (as the date edits would) without loading."""
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))

    def _hall_chosen(self) -> None:
        self.hall_id = self.hall.currentData()
        self.load()

    # --- loading -----------------------------------------------------------------------
    def load(self) -> None:
        """Read the figures of the hall and range shown (one service call).

        The exports wait for it: they write the figures of a successful 统计 only. A
        refused range (or any failed load) clears the figures — what stayed on screen
        would be an earlier period's, under dates that say otherwise.
        """
        first, last = _date(self.first.date()), _date(self.last.date())
        hall, weights = self.hall_id, self.weights
        self.load_button.setEnabled(False)
        self._enable_exports(False)
        self.loading = True
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在统计…"))
        self.ctx.ops.run(
            lambda: bundle.load(self.ctx.report_db, self.actor, hall, first, last, weights),
            self._loaded,
            self._load_refused,
            parent=self,
            on_settled=self._load_settled,
        )

    def _load_refused(self, error: DomainError) -> None:
        self.loading = False
        self.clear_figures()
        if error.field in ("last", "first"):
            self.range_error.setText(error.message)
            self.range_error.show()
            self.status.setText(self.tr("未统计：请改正统计期间后再按“统计”。"))
        else:
            self.range_error.hide()
            self._refused(error)

    def _load_settled(self) -> None:
        self.load_button.setEnabled(True)
        if self.loading:  # neither shown nor refused: the database failed (said in a box)
            self.loading = False
            self.clear_figures()
            self.status.setText(self.tr("未统计：读取数据失败，请稍后再按“统计”。"))

    def _refused(self, error: DomainError) -> None:
        self.status.setText(error.message)
        self.status.setStyleSheet(ERROR)

    def clear_figures(self) -> None:
        """Empty every table and chart and disable the exports (no period on screen)."""
        self.bundle = None
        for view in (
            self.queue_view,
            self.case_view,
            self.sat_view,
            self.dept_view,
            self.city_view,
        ):
            view.set_tables([])
        self.events_tab.clear()
        for chart in (self.queue_chart, self.wait_chart, self.sat_chart):
            chart.clear()
        self._enable_exports(False)

    def _loaded(self, b: StatsBundle) -> None:
        self.loading = False
        self.bundle, self.hall_id = b, b.hall_id
        self.range_error.hide()
        self.status.setStyleSheet("")
        self.status.setText(
            self.tr("{hall}：{a} 至 {b}").format(
                hall=b.hall_name, a=b.first.isoformat(), b=b.last.isoformat()
            )
        )
        self._show_halls(b)
        if b.queue is not None:
            if self.tabs.indexOf(self.queue_tab) < 0:
                self.tabs.insertTab(0, self.queue_tab, self.tr("排队"))
                self.tabs.setCurrentIndex(0)
            self.queue_view.set_tables(tables.queue_tables(b))
            self.queue_chart.set_points(b.queue.queue_length)
            waits = [(f"{h}时", (m or 0.0) / 60) for h, _n, m in b.queue.per_hour]
            self.wait_chart.set_points(waits)
        self.case_view.set_tables(tables.case_tables(b))
        self.sat_view.set_tables(tables.satisfaction_tables(b))
        weeks = b.satisfaction.per_week
        trend = [(w.key, w.satisfied_rate * 100) for w in weeks if w.satisfied_rate is not None]
        self.sat_chart.set_points(trend)
        self.dept_view.set_tables([tables.department_table(b)])
        city = tables.city_table(b)
        if city is not None:
            if self.tabs.indexOf(self.city_view) < 0:
                self.tabs.addTab(self.city_view, self.tr("全市对比"))
            self.city_view.set_tables([city])
        self.events_tab.show_figures(b.events)  # a supervisor's (the hall's, not a department's)

    def _events_settled(self, shown: bool) -> None:
        """事件处置 shown when the period has events; the exports can go now."""
        where = self.tabs.indexOf(self.events_tab)
        if shown and where < 0:
            self.tabs.addTab(self.events_tab, self.tr("事件处置"))
        elif not shown and where >= 0:
            self.tabs.removeTab(where)
        self._enable_exports(self.bundle is not None)

    def _show_halls(self, b: StatsBundle) -> None:
        many = len(b.halls) > 1
        self.hall.setVisible(many)
        self.hall_label.setVisible(many)
        self.hall.blockSignals(True)
        self.hall.clear()
        for hall_id, name in b.halls:
            self.hall.addItem(name, hall_id)
        self.hall.setCurrentIndex(max(0, [h for h, _n in b.halls].index(b.hall_id)))
        self.hall.blockSignals(False)

    # --- weights, drill-down -----------------------------------------------------------
    def edit_weights(self) -> None:
        """Ask for new score weights; reload with them."""
        WeightsDialog.ask(self, self.weights, self.set_weights)

    def set_weights(self, weights: Weights) -> None:
        """Score with ``weights`` from now on (this session) and reload."""
        self.weights = weights
        self.load()

    def drill_down(self, _table: str, department_id: int, figure: str) -> None:
        """The cases behind a department's figure, in a list (one service call)."""
        b = self.bundle
        if b is None:
            return
        name = next((d.department for d in b.departments if d.department_id == department_id), "")
        title = f"{name} · {self.tr(FIGURE_NAMES.get(figure, figure))}"
        self.ctx.ops.run(
            lambda: departments.cases_behind(
                self.ctx.report_db, self.actor, b.hall_id, department_id, figure, b.first, b.last
            ),
            lambda nos: self._show_cases(title, nos),
            self._refused,
            parent=self,
        )

    def _show_cases(self, title: str, case_nos: list[str]) -> None:
        self.drill = CasesBehindDialog(title, case_nos, self.open_case, self)
        self.drill.open()

    def open_case(self, case_no: str) -> None:
        """Open a case's file from the drill-down list (read only as elsewhere)."""
        drill = self.drill
        self.ctx.ops.run(
            lambda: casefile.find(self.ctx.db, self.actor, case_no),
            self._open,
            lambda e: drill.say(e.message) if drill is not None else self._refused(e),
            parent=self,
        )

    def _open(self, file: CaseFile) -> None:
        self.case_file = open_case_view(self.ctx, self.actor, file, self.drill or self)

    # --- exports -----------------------------------------------------------------------
    def say(self, message: str, kind: str = "ok") -> None:
        """A line under the tabs: what an export did."""
        self.status.setStyleSheet(ERROR if kind == "warn" else "color: #1E7B34;")
        self.status.setText(message)

    def _file_name(self) -> str:
        b = self.bundle
        assert b is not None
        return f"{b.hall_name}-统计-{b.first.isoformat()}至{b.last.isoformat()}"

    def export_excel(self) -> None:
        """Every table of the range on screen into one workbook."""
        if self.bundle is None:
            return
        every = [*tables.all_tables(self.bundle), *self.events_tab.tables()]
        job = exporting.export_excel(self.ctx, self, every, self._file_name(), self.say)
        if job is not None:
            self.export_job = job

    def export_report(self) -> None:
        """The monthly hall report of the range on screen as PDF."""
        if self.bundle is not None:
            exporting.export_report(self.ctx, self, self.bundle, self.say)
