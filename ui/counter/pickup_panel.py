"""统一窗口出件: find a decided case by scanning the receipt or by ID, check the collector, hand over.

The handover prints the 出件回执 (the 办结通知书 or 不予批准决定书 with the collector filled
in); it is saved with the case first, so a printer problem loses nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import casefile, pickup
from app.cases.casefile import CaseFile
from app.cases.pickup import Handover, ReadyCase
from app.errors import DomainError
from printing import decisions
from ui.casefile.view import open_case_view
from ui.context import AppContext
from ui.counter.printing import show_pdf
from ui.counter.scanner import ScanCatcher
from ui.widgets.field_errors import FieldErrors
from ui.widgets.tables import make_table

HEADERS = ("办件编号", "事项", "申请人", "代办人", "结果", "审结时间", "说明")


class PickupPanel(QWidget):
    """出件: the ready cases of an applicant, the collector's ID, the handover and its receipt."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.cases: list[ReadyCase] = []
        general = QLabel()
        self.errors = FieldErrors(general)

        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("扫描受理回执条码，或输入申请人身份证号"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.search)
        find = QPushButton(self.tr("查询"))
        find.clicked.connect(self.search)
        bar = QHBoxLayout()
        bar.addWidget(self.query, 1)
        bar.addWidget(find)
        query_error = self.errors.add("query", self.query)

        self.table = make_table([self.tr(h) for h in HEADERS], stretch=False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _i: self.open_selected())

        box = QGroupBox(self.tr("领取人核验"))
        form = QFormLayout(box)
        self.collector_id = QLineEdit()
        self.collector_id.setPlaceholderText(self.tr("领取人身份证号（读卡或输入）"))
        form.addRow(self.tr("身份证号"), self.collector_id)
        form.addRow("", self.errors.add("collector_id", self.collector_id))
        self.authorised = QCheckBox(self.tr("委托代领（已核验委托书和代领人身份证）"))
        self.authorised.toggled.connect(self._update_buttons)
        form.addRow(self.authorised)
        self.collector_name = QLineEdit()
        self.collector_name.setPlaceholderText(self.tr("代领人姓名"))
        form.addRow(self.tr("代领人姓名"), self.collector_name)
        form.addRow("", self.errors.add("collector_name", self.collector_name))
        buttons = QHBoxLayout()
        self.hand_button = QPushButton(self.tr("确认出件并打印回执"))
        self.hand_button.clicked.connect(self.hand_over)
        self.open_button = QPushButton(self.tr("查看案卷"))
        self.open_button.clicked.connect(self.open_selected)
        buttons.addWidget(self.hand_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        form.addRow(buttons)

        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(query_error)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        layout.addWidget(general)
        layout.addWidget(self.status)

        self.scanner = ScanCatcher.watch(self, self.scanned)
        self._update_buttons()

    def scanned(self, case_no: str) -> None:
        """A receipt was scanned: look its case up."""
        self.query.setText(case_no)
        self.search()

    def search(self) -> None:
        """Ready cases for the scanned number or the typed ID."""
        self.errors.clear()
        self.status.clear()
        text = self.query.text()
        self.ctx.ops.run(
            lambda: pickup.ready(self.ctx.db, self.actor, text),
            self._show,
            self.errors.show,
            parent=self,
        )

    def _show(self, found: list[ReadyCase]) -> None:
        self.cases = found
        self.table.setRowCount(len(found))
        for r, c in enumerate(found):
            values = (
                c.case_no,
                c.service_name,
                f"{c.applicant_name} {c.applicant_id_masked}",
                c.agent,
                c.state_label,
                c.decided_at,
                c.decision_reason,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, col, item)
        if found:
            self.table.selectRow(0)
            self.collector_id.setFocus()
        else:
            self.status.setText(self.tr("没有待领取的办件：可能尚未审结，或已经领取。"))
        self._update_buttons()

    def selected(self) -> ReadyCase | None:
        """The case chosen in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.cases[rows[0].row()] if rows and rows[0].row() < len(self.cases) else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.hand_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)
        self.collector_name.setEnabled(self.authorised.isChecked())

    def hand_over(self) -> None:
        """Record the handover (checked collector) and print the 出件回执."""
        case = self.selected()
        if case is None:
            return
        self.errors.clear()
        number, name = self.collector_id.text(), self.collector_name.text()
        authorised = self.authorised.isChecked()
        self.ctx.ops.run(
            lambda: pickup.hand_over(
                self.ctx.db,
                self.actor,
                case.case_id,
                number,
                name,
                authorised,
                decisions.render_decision,
            ),
            lambda done: self._handed(case, done),
            self._refused,
            parent=self,
        )

    def _handed(self, case: ReadyCase, done: Handover) -> None:
        row = self.cases.index(case)
        self.cases.pop(row)
        self.table.removeRow(row)
        message = self.tr("已出件：{no}，领取人 {who}。").format(
            no=case.case_no, who=done.collector
        )
        if done.warning:
            message += done.warning
        self.status.setText(message)
        self.collector_id.clear()
        self.collector_name.clear()
        self.authorised.setChecked(False)
        self._update_buttons()
        if done.pdf is not None:
            show_pdf(self, done.pdf, self.tr("出件回执 {no}").format(no=case.case_no))

    def _refused(self, error: DomainError) -> None:
        self.errors.show(error)
        if error.field is None:
            self.search()  # e.g. handed out at another window meanwhile

    def open_selected(self) -> None:
        """The chosen case's file."""
        case = self.selected()
        if case is not None:
            self.ctx.ops.run(
                lambda: casefile.open_case(self.ctx.db, self.actor, case.case_id),
                self._open,
                self.errors.show,
                parent=self,
            )

    def _open(self, file: CaseFile) -> None:
        open_case_view(self.ctx, self.actor, file, self)
