"""The auditor's workspace (审计日志): who did what to which record, in words, filtered.

The list reads as people speak — "王晓燕（clerk） 叫号 号票 A012（2026-11-23） 状态：等候中 →
已呼叫" — with personal data masked; the filter (:mod:`ui.audit_filter_bar`) narrows it by
day, operator, action and record. It loads a page at a time off the GUI thread
(:func:`app.audit.listing.list_events`); "加载更多" fetches the next, so a year of events
never freezes the screen. "校验审计链" recomputes every hash of every chain; "打印锚点单…" prints the chains' heads
to keep outside the database (:mod:`app.audit.anchors`).
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.actor import Actor
from app.audit import anchors, listing
from app.audit.listing import AuditFilter, AuditPage, FilterChoices
from app.audit.readable import AuditLine
from app.errors import DomainError
from printing import anchor_sheet
from ui.audit_filter_bar import AuditFilterBar
from ui.context import AppContext
from ui.print_preview import PdfPreviewDialog
from ui.widgets.tables import make_table

HEADERS = ("序号", "时间", "操作人", "操作", "对象", "详情")
RECORD_SHARE = 0.27  # of the table's width for 对象; 详情 takes the rest
# Rows fit their wrapped text, and Qt measures every row shown to fit them (measured at
# 1366×768: 150–230 ms per page at 1,000 rows, 330–480 ms at 2,000): beyond this many, the
# auditor narrows the filter instead of loading more.
MAX_ROWS = 1_000


class AuditPanel(QWidget):
    """The filtered list of audit events, newest first, and the chain's verification."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.page_size = listing.PAGE
        self.filter = AuditFilter()
        self.before: int | None = None
        self._asked = 0  # numbers each request: an older answer arriving late is dropped

        self.bar = AuditFilterBar()
        self.bar.submitted.connect(self.query)
        self.table = make_table([self.tr(h) for h in HEADERS], stretch=False)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.status = QLabel()
        self.status.setObjectName("audit_status")
        self.more_button = QPushButton(self.tr("加载更多"))
        self.more_button.clicked.connect(self.load_more)
        self.more_button.setEnabled(False)
        self.result = QLabel()
        self.result.setObjectName("chain_result")
        self.result.setWordWrap(True)
        verify = QPushButton(self.tr("校验审计链"))
        verify.clicked.connect(self.verify)
        self.sheet_button = QPushButton(self.tr("打印锚点单…"))
        self.sheet_button.setToolTip(
            self.tr("记录今日各审计链的链头，打印一份保存在数据库之外，日后可核对记录未被截去")
        )
        self.sheet_button.clicked.connect(self.print_sheet)
        bottom = QHBoxLayout()
        bottom.addWidget(verify)
        bottom.addWidget(self.sheet_button)
        bottom.addWidget(self.result, 1)
        bottom.addWidget(self.status)
        bottom.addWidget(self.more_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        db, me = ctx.db, actor
        self.ctx.ops.run(lambda: listing.filter_choices(db, me), self._choices, parent=self)

    # --- asking ------------------------------------------------------------------------

    def _choices(self, choices: FilterChoices) -> None:
        self.bar.set_choices(choices)
        self.query()

    def query(self) -> None:
        """Read the filter; list its newest events (or show what is wrong, under the field)."""
        try:
            f = self.bar.current()
        except DomainError as exc:
            self.bar.show_error(exc)
            return
        self.bar.clear_errors()
        self.filter = f
        self._ask(None)

    def reload(self) -> None:
        """The same filter again, from the newest event."""
        self._ask(None)

    def load_more(self) -> None:
        """The next page of the same filter, appended."""
        if self.before is not None:
            self._ask(self.before)

    def _ask(self, before: int | None) -> None:
        self._asked += 1
        number, f, size = self._asked, self.filter, self.page_size
        db, me = self.ctx.db, self.actor
        self.more_button.setEnabled(False)
        self.status.setText(self.tr("正在查询…"))
        self.ctx.ops.run(
            lambda: listing.list_events(db, me, f, before, size),
            lambda page: self._loaded(number, before is not None, page),
            lambda exc: self._refused(number, exc),
            parent=self,
        )

    def _refused(self, number: int, error: DomainError) -> None:
        if number == self._asked:
            # The list never shows rows the filter fields no longer describe.
            self.table.setRowCount(0)
            self.before = None
            self.more_button.setEnabled(False)
            self.status.setText(self.tr("未查询：请先更正标红的条件。"))
            self.bar.show_error(error)

    # --- showing -----------------------------------------------------------------------

    def _loaded(self, number: int, appended: bool, page: AuditPage) -> None:
        if number != self._asked:
            return  # the auditor asked again meanwhile
        if not appended:
            self.table.setRowCount(0)
        first = self.table.rowCount()
        self.table.setRowCount(first + len(page.lines))
        for r, line in enumerate(page.lines, start=first):
            for c, value in enumerate(_cells(line)):
                item = QTableWidgetItem(value)
                if c >= 4:
                    item.setToolTip(value)
                self.table.setItem(r, c, item)
        self.before = page.before
        full = self.table.rowCount() >= MAX_ROWS
        self.more_button.setEnabled(page.before is not None and not full)
        self.status.setText(self._status_text(page, full))

    def _status_text(self, page: AuditPage, full: bool) -> str:
        shown = self.table.rowCount()
        if full and page.before is not None:
            return self.tr("已显示 %n 条；更早的记录请用日期、操作人等条件查询。", "", shown)
        if page.before is None:
            if shown == 0:
                return self.tr("没有符合条件的记录。")
            return self.tr("共 %n 条（最新在前）。", "", shown)
        if page.searched_to:
            return self.tr("已显示 %n 条，已查到 %1；更早的请点“加载更多”。", "", shown).replace(
                "%1", page.searched_to[:16]
            )
        return self.tr("已显示 %n 条（最新在前）；更早的请点“加载更多”。", "", shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """对象 keeps its share of the width; 详情 takes the rest; nothing scrolls sideways."""
        super().resizeEvent(event)
        width = self.table.viewport().width()
        self.table.setColumnWidth(4, max(200, int(width * RECORD_SHARE)))

    # --- the chain ---------------------------------------------------------------------

    def verify(self) -> None:
        """Recompute the chain off the GUI thread."""
        self.result.setStyleSheet("")
        self.result.setText(self.tr("正在校验…"))
        db = self.ctx.db
        self.ctx.ops.run(lambda: audit.verify_chain(db), self._verified, parent=self)

    def print_sheet(self) -> None:
        """审计锚点单: today's anchors, the sheet rendered off the GUI thread, then previewed."""
        db, me = self.ctx.db, self.actor
        self.sheet_button.setEnabled(False)
        self.ctx.ops.run(
            lambda: anchor_sheet.render(anchors.print_sheet(db, me)),
            self._sheet_ready,
            lambda e: self.result.setText(e.message),
            parent=self,
            on_settled=lambda: self.sheet_button.setEnabled(True),
        )

    def _sheet_ready(self, pdf: bytes) -> None:
        self.preview = PdfPreviewDialog(pdf, self.tr("审计锚点单"), self)
        self.preview.open()

    def _verified(self, report: audit.ChainReport) -> None:
        if report.ok:
            self.result.setStyleSheet("color: #1E8449;")
            self.result.setText(self.tr("审计链完整：%n 条记录均未被篡改。", "", report.events))
        else:
            self.result.setStyleSheet("color: #C0392B;")
            self.result.setText(self.tr("发现问题：") + "；".join(report.problems[:5]))


def _cells(line: AuditLine) -> tuple[str, ...]:
    return (
        line.seq_shown,
        line.at,
        line.operator,
        line.action_label,
        line.record,
        line.details,
    )
