"""What the start-up catalog sync left for the administrator: broken files, skipped changes.

A broken catalog never stops the program (counters keep the database's catalog), so the
people who can fix it are told after log-in — the system administrator and the hall
supervisor — in a strip under the header, and in full in the catalog browser (事项目录).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.hall.catalog_sync import SyncReport
from app.roles import Role

MAX_LINES_SHOWN = 8  # more lines scroll
STYLE = (
    "QFrame#catalogNotice { background: #fff4e5; border: 1px solid #f0a040; }"
    " QFrame#catalogNotice QLabel { color: #7a3e00; }"
)


def concerns(actor: Actor, report: SyncReport) -> bool:
    """Whether ``actor`` should be told about ``report`` (admins and supervisors)."""
    roles = {Role.SYSADMIN, Role.SUPERVISOR}
    return report.needs_attention and bool(roles & set(actor.roles))


def detail_lines(report: SyncReport) -> list[str]:
    """One line per broken field (file: field: message) and per skipped shipped change."""
    lines = [str(p) for p in report.problems]
    lines += [f"出厂目录更新未采用 — {s}" for s in report.skipped]
    return lines


class CatalogNotice(QFrame):
    """A warning strip about the catalog; ``full`` lists every line, else a summary.

    Signals:
        details_requested(): the user wants the full list (the main window opens 事项目录).
    """

    details_requested = Signal()

    def __init__(self, report: SyncReport, full: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogNotice")
        self.setStyleSheet(STYLE)
        self.summary = QLabel(self._summary(report))
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addLayout(row)
        self.details: QPlainTextEdit | None = None
        if full:
            lines = detail_lines(report)
            self.details = QPlainTextEdit("\n".join(lines))
            self.details.setReadOnly(True)
            self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            shown = min(len(lines), MAX_LINES_SHOWN) + 1
            self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * shown + 12)
            layout.addWidget(self.details)
        else:
            button = QPushButton(self.tr("查看详情"))
            button.clicked.connect(self.details_requested)
            row.addWidget(button)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _summary(self, report: SyncReport) -> str:
        parts = []
        if report.problems:
            parts.append(
                self.tr(
                    "事项目录文件有 %1 处错误，未写入数据库；各窗口继续使用数据库中的目录。"
                    "请系统管理员修正后运行 onewindow catalog check 检查。"
                ).replace("%1", str(len(report.problems)))
            )
        if report.skipped:
            parts.append(
                self.tr("出厂目录已更新，本馆自己同步或增加的 %1 个事项保持不变。").replace(
                    "%1", str(len(report.skipped))
                )
            )
        return "\n".join(parts)
