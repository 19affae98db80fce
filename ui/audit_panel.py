"""The auditor's workspace: the newest audit events and a verification of the hash chain."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.actor import Actor
from app.audit import ACTION_LABELS, AuditRow, ChainReport
from ui.context import AppContext


class AuditPanel(QWidget):
    """Newest events first; "校验审计链" recomputes every hash."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("序号"),
                self.tr("时间"),
                self.tr("操作人"),
                self.tr("操作"),
                self.tr("对象"),
                self.tr("说明"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.result = QLabel()
        self.result.setObjectName("chain_result")
        verify = QPushButton(self.tr("校验审计链"))
        verify.clicked.connect(self.verify)
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.reload)
        bar = QHBoxLayout()
        bar.addWidget(verify)
        bar.addWidget(refresh)
        bar.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        """Fetch the newest events."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(lambda: audit.recent_events(db, actor), self._loaded, parent=self)

    def _loaded(self, rows: list[AuditRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            when = e.at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
            values = [
                str(e.seq),
                when,
                e.actor_name,
                ACTION_LABELS.get(e.action, e.action),
                f"{e.entity} {e.entity_id}",
                e.note,
            ]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))

    def verify(self) -> None:
        """Recompute the chain off the GUI thread."""
        self.result.setText(self.tr("正在校验…"))
        db = self.ctx.db
        self.ctx.ops.run(lambda: audit.verify_chain(db), self._verified, parent=self)

    def _verified(self, report: ChainReport) -> None:
        if report.ok:
            self.result.setStyleSheet("color: #1E8449;")
            self.result.setText(self.tr("审计链完整：%n 条记录均未被篡改。", "", report.events))
        else:
            self.result.setStyleSheet("color: #C0392B;")
            self.result.setText(self.tr("发现问题：") + "；".join(report.problems[:5]))
