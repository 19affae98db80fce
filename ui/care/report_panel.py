"""探访月报: the month's care report by grid and worker, for the worker and the supervisor.

A month picker (本月 and the twelve before it, by the hall's calendar), the headline figures (探访率 against
100 %), the tables of :mod:`app.reports.care` (by grid and worker, groups, people overdue)
and 导出 Excel… / 导出 PDF… / 打印… of the same tables. One service call per load
(``report.month_report``) on the worker thread.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import report
from app.care.report import CareReport
from app.errors import DomainError
from app.reports import care as care_reports
from app.reports import export_file
from printing.care_report import care_report_pdf
from ui.context import AppContext
from ui.print_preview import PdfPreviewDialog
from ui.stats.exporting import SaveAs, export_excel
from ui.stats.table_view import TableView

MONTHS_BACK = 12


class CareReportPanel(QWidget):
    """The month's report on screen, exported and printed from the same tables."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.report: CareReport | None = None
        self.month = QComboBox()
        self.month.setMinimumContentsLength(10)
        self.month.currentIndexChanged.connect(lambda _i: self.refresh())
        self._shown = False
        month_label = QLabel(self.tr("月份(&M)："))
        month_label.setBuddy(self.month)
        self.load_button = QPushButton(self.tr("刷新 (F5)"))
        self.load_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)
        self.excel_button = QPushButton(self.tr("导出 Excel…"))
        self.excel_button.clicked.connect(self.export_excel)
        self.pdf_button = QPushButton(self.tr("导出 PDF…"))
        self.pdf_button.clicked.connect(self.export_pdf)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self.print_report)
        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addWidget(self.load_button)
        top.addStretch(1)
        for b in (self.excel_button, self.pdf_button, self.print_button):
            top.addWidget(b)
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 15px; padding: 6px 0;")
        self.headline.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = TableView()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._enable(False)

    def first_show(self) -> None:
        """The months by the hall's calendar (not the PC's), then last month's report."""
        if self._shown:
            return
        self._shown = True
        db, actor = self.ctx.report_db, self.actor
        self.ctx.ops.run(
            lambda: report.months(db, actor, MONTHS_BACK), self._months, self._refused, parent=self
        )

    def _months(self, firsts: list[date]) -> None:
        self.month.blockSignals(True)
        for n, first in enumerate(firsts):
            label = self.tr("{y}年{m}月").format(y=first.year, m=first.month)
            self.month.addItem(label + (self.tr("（本月）") if n == 0 else ""), first)
        self.month.setCurrentIndex(1 if len(firsts) > 1 else 0)  # last month: the usual one
        self.month.blockSignals(False)
        self.refresh()

    def _enable(self, loaded: bool) -> None:
        for b in (self.excel_button, self.pdf_button, self.print_button):
            b.setEnabled(loaded)

    def say(self, message: str, kind: str = "ok") -> None:
        """A line under the table: green for done, dark red for a problem."""
        self.note.setStyleSheet("color: #1a7f37;" if kind == "ok" else "color: #b3261e;")
        self.note.setText(message)

    def refresh(self) -> None:
        """Load the chosen month's report."""
        first = self.month.currentData()
        if first is None:
            self.first_show()
            return
        self.load_button.setEnabled(False)
        self.ctx.ops.run(
            lambda: report.month_report(self.ctx.report_db, self.actor, first),
            self._loaded,
            self._refused,
            parent=self,
            on_settled=lambda: self.load_button.setEnabled(True),
        )

    def _loaded(self, r: CareReport) -> None:
        self.report = r
        figures = "　".join(f"{label}：{value}" for label, value in care_reports.headline(r))
        self.headline.setText(f"{care_reports.period(r)}　{figures}")
        self.table.set_tables(care_reports.tables(r))
        self.say("")
        self._enable(True)

    def _refused(self, error: DomainError) -> None:
        self.report = None
        self.table.set_tables([])
        self.headline.setText("")
        self._enable(False)
        self.say(error.message, "warn")

    def export_excel(self) -> None:
        """Save the three tables as a workbook (asks where)."""
        if self.report is not None:
            name = care_reports.file_stem(self.report)
            export_excel(self.ctx, self, care_reports.tables(self.report), name, self.say)

    def _pdf(self) -> bytes:
        assert self.report is not None
        return care_report_pdf(care_reports.snapshot(self.report, datetime.now()))

    def export_pdf(self) -> None:
        """Save the report as PDF (asks where), rendered and saved off the GUI thread."""
        if self.report is None:
            return
        stem = care_reports.file_stem(self.report)
        path = SaveAs.ask(self, self.tr("导出 PDF"), f"{stem}.pdf", "PDF (*.pdf)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else f"{path}.pdf")
        pdf = self._pdf()
        self.ctx.ops.run(
            lambda: export_file.write_bytes(target, pdf),
            lambda _none: self.say(self.tr("已保存：{p}").format(p=target)),
            lambda e: self.say(self.tr("未能保存：{e}").format(e=e.message), "warn"),
            parent=self,
        )

    def print_report(self) -> None:
        """Preview and print the report."""
        if self.report is not None:
            dialog = PdfPreviewDialog(self._pdf(), care_reports.title(self.report), self)
            dialog.exec()
