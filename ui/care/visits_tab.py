"""The profile's 探访记录 tab: visits latest first, the selected one in full below;
作废 (with a reason) and 恢复 — both kept in the audit trail."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.actor import Actor
from app.care import rules, visits
from app.care.views import ProfileView, VisitView
from app.roles import Permission
from ui.care.common import GREY_TEXT, call, cell, short, table
from ui.care.small_dialogs import ReasonDialog
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors

HEADERS = ("探访时间", "方式", "探访人", "发现", "处置与承诺", "状态")


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitsTab", text)


def findings_text(v: VisitView) -> str:
    """身体状况：… ；精神状态：… in the rules' order."""
    return "；".join(
        f"{label}：{v.findings[k]}" for k, label in rules.FINDINGS.items() if k in v.findings
    )


def detail_text(v: VisitView) -> str:
    """The whole visit, as the detail box shows it."""
    lines = [f"{v.at} {v.mode_label} · {v.visitor}"]
    lines += [f"{label}：{v.findings[k]}" for k, label in rules.FINDINGS.items() if k in v.findings]
    if v.actions:
        lines.append(_tr("处置情况：") + v.actions)
    if v.promised:
        lines.append(_tr("承诺事项：") + v.promised)
    if v.draft_case_id:
        lines.append(_tr("已转窗口办理（生成暂存件）"))
    if v.cancelled:
        lines.append(_tr("已作废：") + v.cancel_reason)
    return "\n".join(lines)


class VisitsTab(QWidget):
    """探访记录 of one person.

    Signals:
        changed(object, str): the ProfileView after 作废 or 恢复, and what was done.
    """

    changed = Signal(object, str)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.view: ProfileView | None = None
        self.rows: tuple[VisitView, ...] = ()
        self.table = table([self.tr(h) for h in HEADERS], wide=(3, 4))
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        lines = self.detail.fontMetrics().lineSpacing()
        self.detail.setFixedHeight(7 * lines + 12)  # a whole visit without scrolling
        self.detail.setPlaceholderText(self.tr("选中一条探访记录，在此查看全文。"))
        self.cancel_button = QPushButton(self.tr("作废…"))
        self.restore_button = QPushButton(self.tr("恢复"))
        for b in (self.cancel_button, self.restore_button):
            b.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.status = QLabel()
        self.errors = FieldErrors(self.status)
        bar = QHBoxLayout()
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.status, 1)
        bar.addStretch(0)  # the buttons keep their size while no message shows
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(bar)
        self._selected()

    def show_view(self, view: ProfileView) -> None:
        """List ``view``'s visits (latest first, as the service gives them)."""
        keep = self.selected()
        self.view, self.rows = view, view.visits
        self.table.setRowCount(len(self.rows))
        struck = QFont(self.table.font())
        struck.setStrikeOut(True)
        for r, v in enumerate(self.rows):
            done = self.tr("已作废：") + v.cancel_reason if v.cancelled else self.tr("已探访")
            if v.draft_case_id and not v.cancelled:
                done += self.tr("，已转窗口")
            said = "；".join(
                x for x in (v.actions, v.promised and self.tr("承诺：") + v.promised) if x
            )
            values = (v.at, v.mode_label, v.visitor, findings_text(v), said, done)
            for c, value in enumerate(values):
                item = cell(short(value) if c in (3, 4) else value, value)
                if v.cancelled:
                    item.setForeground(QBrush(GREY_TEXT))
                    if c < 5:
                        item.setFont(struck)
                self.table.setItem(r, c, item)
        kept = [r for r, v in enumerate(self.rows) if keep is not None and v.id == keep.id]
        if kept or self.rows:
            self.table.selectRow(kept[0] if kept else 0)  # the latest visit, in full below
        self._selected()

    def selected(self) -> VisitView | None:
        """The visit on the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _selected(self) -> None:
        v = self.selected()
        self.detail.setPlainText(detail_text(v) if v else "")
        may = self.actor.can(Permission.CARE) and self.view is not None
        self.cancel_button.setEnabled(may and v is not None and not v.cancelled)
        self.restore_button.setEnabled(may and v is not None and v.cancelled)

    def cancel_selected(self) -> ReasonDialog | None:
        """作废… the selected visit (a reason is asked); returns the dialog shown."""
        v = self.selected()
        if v is None or v.cancelled:
            return None
        db, actor, vid, version = self.ctx.db, self.actor, v.id, v.version
        what = self.tr("作废 %1 的%2探访记录（记录保留，可恢复；作废和恢复都记入审计日志）。")
        dialog = ReasonDialog(
            self.ctx,
            self.tr("作废探访记录"),
            what.replace("%1", v.at).replace("%2", v.mode_label),
            "cancel_reason",
            lambda reason: visits.cancel_visit(db, actor, vid, reason, version),
            self.tr("作废"),
            self,
        )
        said = self.tr("探访记录已作废（可恢复）。")

        def finished(_r: int) -> None:
            if dialog.view is not None:
                self.changed.emit(dialog.view, said)
            self.window().activateWindow()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def restore_selected(self) -> None:
        """恢复 the selected cancelled visit."""
        v = self.selected()
        if v is None or not v.cancelled:
            return
        db, actor, vid, version = self.ctx.db, self.actor, v.id, v.version
        self.status.setStyleSheet("")
        call(
            self.ctx,
            self,
            lambda: visits.restore_visit(db, actor, vid, version),
            lambda view: self.changed.emit(view, self.tr("探访记录已恢复。")),
            self.errors,
            (self.restore_button, self.cancel_button),
            self._selected,
        )
