"""The approver's inbox (待办): the department's live tasks, most urgent first.

Overdue rows are red, rows due within two working days amber; a task the approver may
not decide (职责分离: they decided another step of the case) is greyed, says why in 说明
and cannot be 签收. Search by case number, ID number, name or service; scanning a
receipt opens its case at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import casefile, inbox, outcomes, workflow
from app.cases.casefile import CaseFile
from app.cases.inbox import InboxPage, InboxRow, Scope
from app.db.session import Database
from app.errors import DomainError
from printing import decisions
from ui.casefile.view import CaseView, open_case_view
from ui.context import AppContext
from ui.counter.printing import show_pdf
from ui.counter.scanner import ScanCatcher
from ui.widgets.tables import make_table

URGENCY_COLOURS = {"overdue": QColor("#F8D7DA"), "near": QColor("#FFF3CD")}
BARRED_TEXT = QColor("#6C757D")
HEADERS = (
    "办件编号",
    "事项",
    "申请人",
    "环节",
    "部门",
    "状态",
    "签收人",
    "承诺期限",
    "剩余",
    "说明",
)
SCOPES = ((Scope.ALL, "全部待办"), (Scope.MINE, "我签收的"), (Scope.UNCLAIMED, "未签收"))


class InboxPanel(QWidget):
    """待办: filter, search or scan, claim, and open a task's case to decide it."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.page = 0
        self.rows: tuple[InboxRow, ...] = ()
        self.view: CaseView | None = None

        bar = QHBoxLayout()
        self.scope = QComboBox()
        for scope, label in SCOPES:
            self.scope.addItem(self.tr(label), scope)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh(0))
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("办件编号 / 身份证号 / 姓名 / 事项（可直接扫描受理回执）")
        )
        self.search.returnPressed.connect(lambda: self.refresh(0))
        self.search.setClearButtonEnabled(True)
        find = QPushButton(self.tr("查询"))
        find.clicked.connect(lambda: self.refresh(0))
        again = QPushButton(self.tr("刷新"))
        again.clicked.connect(lambda: self.refresh(self.page))
        self.department = QComboBox()
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.department.setToolTip(self.tr("公示名单的部门"))
        publicity = QPushButton(self.tr("打印公示名单"))
        publicity.clicked.connect(self.print_publicity)
        bar.addWidget(self.scope)
        bar.addWidget(self.search, 1)
        bar.addWidget(find)
        bar.addWidget(again)
        bar.addSpacing(16)
        bar.addWidget(self.department)
        bar.addWidget(publicity)

        self.table = make_table([self.tr(h) for h in HEADERS], stretch=False)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)

        actions = QHBoxLayout()
        self.open_button = QPushButton(self.tr("办理"))
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.claim_button = QPushButton(self.tr("签收"))
        self.claim_button.clicked.connect(lambda: self._task_op(workflow.claim, "已签收"))
        self.release_button = QPushButton(self.tr("退回待办"))
        self.release_button.clicked.connect(lambda: self._task_op(workflow.release, "已退回待办"))
        self.prev_button = QPushButton(self.tr("上一页"))
        self.prev_button.clicked.connect(lambda: self.refresh(self.page - 1))
        self.next_button = QPushButton(self.tr("下一页"))
        self.next_button.clicked.connect(lambda: self.refresh(self.page + 1))
        self.summary = QLabel()
        for b in (self.open_button, self.claim_button, self.release_button):
            actions.addWidget(b)
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.prev_button)
        actions.addWidget(self.next_button)
        self.status = QLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)

        self.scanner = ScanCatcher.watch(self, self.open_case_no)
        self._update_buttons()
        self.ctx.ops.run(
            lambda: inbox.my_departments(self.ctx.db, self.actor),
            self._departments,
            parent=self,
        )
        self.refresh(0)

    def _departments(self, rows: list[tuple[str, str]]) -> None:
        for code, name in rows:
            self.department.addItem(name, code)

    # --- the list ------------------------------------------------------------------------

    def refresh(self, page: int | None = None) -> None:
        """Load a page of the inbox with the current scope and search."""
        page = max(0, self.page if page is None else page)
        scope = self.scope.currentData()
        text = self.search.text()
        self.ctx.ops.run(
            lambda: inbox.inbox(self.ctx.db, self.actor, scope, text, page),
            self._show,
            self._failed,
            parent=self,
        )

    def _show(self, result: InboxPage) -> None:
        self.page, self.rows = result.page, result.rows
        self.table.setRowCount(len(result.rows))
        for r, row in enumerate(result.rows):
            if row.days_left is None:
                left = ""
            elif row.days_left < 0:
                left = self.tr("超期 {n} 天").format(n=-row.days_left)
            else:
                left = self.tr("{n} 个工作日").format(n=row.days_left)
            values = (
                row.case_no,
                row.service_name,
                f"{row.applicant_name} {row.applicant_id_masked}",
                row.step_name,
                row.department,
                row.state_label,
                row.assignee,
                row.due_date.isoformat() if row.due_date else "",
                left,
                self.tr("职责分离：") + row.barred if row.barred else row.note,
            )
            colour = URGENCY_COLOURS.get(row.urgency)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(row.barred or value)
                if colour is not None:
                    item.setBackground(QBrush(colour))
                if row.barred:
                    item.setForeground(QBrush(BARRED_TEXT))
                self.table.setItem(r, c, item)
        overdue = sum(1 for r in result.rows if r.urgency == "overdue")
        near = sum(1 for r in result.rows if r.urgency == "near")
        self.summary.setText(
            self.tr("第 {p} 页，{n} 件；超期 {o} 件（红），临期 {a} 件（黄）").format(
                p=result.page + 1, n=len(result.rows), o=overdue, a=near
            )
        )
        self.prev_button.setEnabled(result.page > 0)
        self.next_button.setEnabled(result.more)
        if not result.rows:
            self.status.setText(
                self.tr("没有符合条件的待办。")
                if self.search.text().strip()
                else self.tr("暂无待办。")
            )
        else:
            self.status.clear()
        self._update_buttons()

    def selected(self) -> InboxRow | None:
        """The row under the selection."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        self.claim_button.setEnabled(row is not None and not row.assignee and not row.barred)
        self.release_button.setEnabled(row is not None and row.claimed_by_me)
        if row is not None and row.barred:
            self.status.setStyleSheet("")
            self.status.setText(row.barred)

    def _failed(self, error: DomainError) -> None:
        self.status.setText(error.message)
        self.status.setStyleSheet("color: #C0392B;")

    def _task_op(self, op: Callable[[Database, Actor, int, int], int], done: str) -> None:
        row = self.selected()
        if row is None:
            return
        self.status.setStyleSheet("")
        message = self.tr(done) + f"：{row.case_no}"
        self.ctx.ops.run(
            lambda: op(self.ctx.db, self.actor, row.task_id, row.task_version),
            lambda _v: self._done(message),
            self._failed_and_reload,
            parent=self,
        )

    def _done(self, message: str) -> None:
        self.status.setText(message)
        self.refresh()

    def _failed_and_reload(self, error: DomainError) -> None:
        self._failed(error)
        self.refresh()

    # --- opening a case ------------------------------------------------------------------

    def open_selected(self) -> None:
        """Open the selected task's case."""
        row = self.selected()
        if row is not None:
            self._open(lambda: casefile.open_case(self.ctx.db, self.actor, row.case_id))

    def open_case_no(self, case_no: str) -> None:
        """A scanned receipt: open its case."""
        self.search.setText(case_no)
        self._open(lambda: casefile.find(self.ctx.db, self.actor, case_no))

    def _open(self, op: Callable[[], CaseFile]) -> None:
        self.status.setStyleSheet("")
        self.ctx.ops.run(op, self._show_case, self._failed, parent=self)

    def _show_case(self, file: CaseFile) -> None:
        self.view = open_case_view(self.ctx, self.actor, file, self, lambda: self.refresh())

    def print_publicity(self) -> None:
        """公示名单 of the chosen department."""
        code = self.department.currentData()
        name = self.department.currentText()
        self.ctx.ops.run(
            lambda: outcomes.publicity_list(
                self.ctx.db, self.actor, code, decisions.render_publicity
            ),
            lambda pdf: show_pdf(self, pdf, self.tr("{d}公示名单").format(d=name)),
            self._failed,
            parent=self,
        )
