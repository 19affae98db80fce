"""办件监控: open cases by state, each department's load, the cases near or past their deadline,
and the 差评整改 of bad ratings (:mod:`ui.supervisor.rectification_box`)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import casefile, oversight
from app.cases.casefile import CaseFile
from app.cases.oversight import Deadline, DeadlinePage, Overview
from app.errors import DomainError
from ui.casefile.view import open_case_view
from ui.context import AppContext
from ui.supervisor.rectification_box import RectificationBox
from ui.widgets.tables import make_table

RED, AMBER = QColor("#F8D7DA"), QColor("#FFF3CD")


class CasesPanel(QWidget):
    """The supervisor's deadline watch; double-click a case to read its file."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.page = 0
        self.rows: tuple[oversight.DeadlineRow, ...] = ()
        self.states = QLabel()
        self.states.setStyleSheet("font-size: 14px;")
        self.rect_summary = QLabel()
        self.rect_summary.setObjectName("rectification_summary")
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.states, 1)
        top.addWidget(self.rect_summary)
        top.addWidget(refresh)
        self.departments = make_table(
            [self.tr(h) for h in ("部门", "在办任务", "临期（2 个工作日内）", "超期")]
        )
        self.departments.setMaximumHeight(180)
        self.rectifications = RectificationBox(ctx, actor)
        self.rectifications.loaded.connect(self._rectification_summary)
        self.which = QComboBox()
        self.which.addItem(self.tr("已超期的办件"), Deadline.OVERDUE)
        self.which.addItem(self.tr("2 个工作日内到期的办件"), Deadline.DUE_SOON)
        self.which.currentIndexChanged.connect(lambda _i: self.load_deadlines(0))
        self.prev_button = QPushButton(self.tr("上一页"))
        self.prev_button.clicked.connect(lambda: self.load_deadlines(self.page - 1))
        self.next_button = QPushButton(self.tr("下一页"))
        self.next_button.clicked.connect(lambda: self.load_deadlines(self.page + 1))
        bar = QHBoxLayout()
        bar.addWidget(self.which)
        bar.addStretch(1)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        self.cases = make_table(
            [
                self.tr(h)
                for h in ("办件编号", "事项", "申请人", "状态", "在办部门", "承诺期限", "剩余")
            ],
            stretch=False,
        )
        self.cases.itemDoubleClicked.connect(lambda _i: self.open_selected())
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.departments)
        layout.addWidget(self.rectifications)
        layout.addLayout(bar)
        layout.addWidget(self.cases, 1)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        """Reload the counts and the current deadline list."""
        self.ctx.ops.run(
            lambda: oversight.overview(self.ctx.db, self.actor),
            self._overview,
            self._failed,
            parent=self,
        )
        self.load_deadlines(self.page)
        self.rectifications.refresh()

    def _rectification_summary(self, text: str) -> None:
        overdue = "超期" in text
        self.rect_summary.setText(text)
        self.rect_summary.setStyleSheet("color: #C0392B; font-weight: bold;" if overdue else "")

    def _overview(self, view: Overview) -> None:
        parts = [f"{label} {n}" for _s, label, n in view.by_state]
        self.states.setText(
            self.tr("{d} 在办办件：").format(d=view.today.isoformat()) + "，".join(parts)
        )
        self.departments.setRowCount(len(view.departments))
        for r, d in enumerate(view.departments):
            for c, value in enumerate((d.name, str(d.live), str(d.due_soon), str(d.overdue))):
                item = QTableWidgetItem(value)
                if c == 3 and d.overdue:
                    item.setBackground(QBrush(RED))
                elif c == 2 and d.due_soon:
                    item.setBackground(QBrush(AMBER))
                self.departments.setItem(r, c, item)

    def load_deadlines(self, page: int) -> None:
        """A page of the chosen deadline list."""
        which = self.which.currentData()
        page = max(0, page)
        self.ctx.ops.run(
            lambda: oversight.deadlines(self.ctx.db, self.actor, which, page),
            self._deadlines,
            self._failed,
            parent=self,
        )

    def _deadlines(self, result: DeadlinePage) -> None:
        self.page, self.rows = result.page, result.rows
        self.cases.setRowCount(len(result.rows))
        for r, row in enumerate(result.rows):
            left = (
                self.tr("超期 {n} 天").format(n=-row.days_left)
                if row.days_left < 0
                else self.tr("{n} 个工作日").format(n=row.days_left)
            )
            values = (
                row.case_no,
                row.service_name,
                row.applicant,
                row.state_label,
                row.holders,
                row.due_date.isoformat(),
                left,
            )
            colour = RED if row.days_left < 0 else AMBER
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setBackground(QBrush(colour))
                self.cases.setItem(r, c, item)
        self.prev_button.setEnabled(result.page > 0)
        self.next_button.setEnabled(result.more)
        self.status.setText("" if result.rows else self.tr("没有符合条件的办件。"))

    def open_selected(self) -> None:
        """Open the selected case's file (read only for the supervisor)."""
        rows = self.cases.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return
        case_id = self.rows[rows[0].row()].case_id
        self.ctx.ops.run(
            lambda: casefile.open_case(self.ctx.db, self.actor, case_id),
            self._open,
            self._failed,
            parent=self,
        )

    def _open(self, file: CaseFile) -> None:
        open_case_view(self.ctx, self.actor, file, self, self.refresh)

    def _failed(self, error: DomainError) -> None:
        self.status.setText(error.message)
