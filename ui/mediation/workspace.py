"""调解: the mediator's workspace — 纠纷 (Alt+1: open disputes, least time left first, the
level's days left amber within 2 days and red when overdue) and 待回访 (Alt+2) — with the
month's 化解率 above them. 登记纠纷 (Ctrl+N), 打开 (Enter), 刷新 (F5)."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.actor import Actor
from app.errors import DomainError
from app.mediation import lists
from app.mediation.views import DisputeRow, DisputeView, DueVisit, Resolution
from app.roles import Permission
from ui.care.common import ERROR_STYLE, OVERDUE_BACK, TODAY_BACK, action_button, cell, short, table
from ui.context import AppContext
from ui.mediation.dispute_dialog import DisputeDialog
from ui.mediation.register_dialog import RegisterDialog

AMBER_DAYS = 2


def days_label(left: int | None) -> str:
    """``剩 3 天`` / ``今日到期`` / ``超期 2 天`` / ``—`` (no clock)."""
    if left is None:
        return "—"
    if left < 0:
        return f"超期 {-left} 天"
    return "今日到期" if left == 0 else f"剩 {left} 天"


class MediationWorkspace(QWidget):
    """The disputes and the 回访 due, with the dispute window opened from either."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.rows: list[DisputeRow] = []
        self.visits: list[DueVisit] = []
        self.today: date | None = None
        self.loaded = False
        self.dialog: DisputeDialog | None = None
        self.register_dialog: RegisterDialog | None = None
        top = QHBoxLayout()
        self.rate = QLabel()
        self.rate.setStyleSheet("font-size: 13pt;")
        top.addWidget(self.rate, 1)
        self.new_button = action_button(self, self.tr("登记纠纷 (Ctrl+N)"), self.register, "Ctrl+N")
        self.new_button.setEnabled(actor.can(Permission.MEDIATE))
        top.addWidget(self.new_button)
        top.addWidget(action_button(self, self.tr("打开 (Enter)"), self.open_current))
        top.addWidget(action_button(self, self.tr("刷新 (F5)"), self.refresh, "F5"))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.table = table(
            [
                self.tr("编号"),
                self.tr("类型"),
                self.tr("当事人"),
                self.tr("层级"),
                self.tr("状态"),
                self.tr("本级期限"),
                self.tr("剩余"),
            ],
            (2,),
        )
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.visit_table = table(
            [
                self.tr("编号"),
                self.tr("当事人"),
                self.tr("回访"),
                self.tr("应回访日期"),
                self.tr("剩余"),
            ],
            (1,),
        )
        self.visit_table.doubleClicked.connect(lambda _i: self.open_current())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("纠纷 (Alt+1)"))
        self.tabs.addTab(self.visit_table, self.tr("待回访 (Alt+2)"))
        for i in range(2):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, lambda i=i: self._show_tab(i))
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self.table, self.open_current)
            QShortcut(QKeySequence(key), self.visit_table, self.open_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)

    def showEvent(self, event: QShowEvent) -> None:
        """The lists, read when the tab is first shown."""
        super().showEvent(event)
        if not self.loaded:
            self.loaded = True
            self.refresh()

    def _show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        (self.table if index == 0 else self.visit_table).setFocus()

    def refresh(self) -> None:
        """Read the disputes, the 回访 due and the month's 化解率 (one call)."""
        db, actor = self.ctx.db, self.actor

        def read() -> tuple[date, list[DisputeRow], list[DueVisit], Resolution]:
            today, rows = lists.list_disputes(db, actor)
            first = today.replace(day=1)
            return (
                today,
                rows,
                lists.due_visits(db, actor),
                lists.resolution(db, actor, first, today),
            )

        self.ctx.ops.run(
            read,
            self._read,
            self._failed,
            self,
            on_trouble=lambda e: self._failed(DomainError(e.message)),
        )

    def _failed(self, error: DomainError) -> None:
        self.error.setText(error.message)

    def _read(self, data: tuple[date, list[DisputeRow], list[DueVisit], Resolution]) -> None:
        self.today, self.rows, self.visits, rate = data
        self.error.clear()
        shown = "—" if rate.rate is None else f"{rate.rate:.0%}"
        self.rate.setText(
            self.tr(
                "本月化解率 {r}（受理 {a} 件，达成协议 {g} 件，一月回访仍在履行 {s} 件）"
            ).format(r=shown, a=rate.accepted, g=rate.agreed, s=rate.resolved)
        )
        self.table.setRowCount(len(self.rows))
        for n, r in enumerate(self.rows):
            number = r.number + ("（重复）" if r.repeat else "")
            texts = (
                number,
                r.kind_label,
                r.parties,
                r.level_label,
                r.state_label,
                r.level_due_on.isoformat(),
                days_label(r.days_left),
            )
            for col, text in enumerate(texts):
                item = cell(short(text, 40), text)  # ten parties do not fill the screen
                if r.days_left is not None and col == 6:
                    if r.days_left < 0:
                        item.setBackground(OVERDUE_BACK)
                    elif r.days_left <= AMBER_DAYS:
                        item.setBackground(TODAY_BACK)
                self.table.setItem(n, col, item)
        self.visit_table.setRowCount(len(self.visits))
        for n, v in enumerate(self.visits):
            line = (v.number, v.parties, v.label, v.due_on.isoformat(), days_label(v.days_left))
            for col, text in enumerate(line):
                item = cell(short(text, 40), text)
                if col == 4 and v.days_left < 0:
                    item.setBackground(OVERDUE_BACK)
                elif col == 4 and v.days_left == 0:
                    item.setBackground(TODAY_BACK)
                self.visit_table.setItem(n, col, item)
        self.tabs.setTabText(1, self.tr("待回访 {n} (Alt+2)").format(n=len(self.visits)))

    def current_id(self) -> int | None:
        """The dispute of the selected row of the tab shown."""
        if self.tabs.currentIndex() == 0:
            row = self.table.currentRow()
            return self.rows[row].id if 0 <= row < len(self.rows) else None
        row = self.visit_table.currentRow()
        return self.visits[row].dispute_id if 0 <= row < len(self.visits) else None

    def open_current(self) -> None:
        """Open the selected dispute."""
        found = self.current_id()
        if found is not None:
            self.open_dispute(found)

    def open_dispute(self, dispute_id: int) -> None:
        """Read the dispute and show its window."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: lists.open_dispute(db, actor, dispute_id),
            self._opened,
            self._failed,
            self,
        )

    def _opened(self, view: DisputeView) -> None:
        self.show_dispute(view)

    def show_dispute(self, view: DisputeView) -> DisputeDialog:
        """The dispute's window (steps recorded there reload the lists)."""
        dialog = DisputeDialog(self.ctx, self.actor, view, self)
        dialog.changed.connect(self.refresh)
        dialog.finished.connect(lambda _r: self.window().activateWindow())
        self.dialog = dialog
        dialog.open()
        return dialog

    def register(self) -> RegisterDialog:
        """登记纠纷; the registered dispute opens at once."""
        dialog = RegisterDialog(self.ctx, self.actor, self)
        self.register_dialog = dialog

        def finished(_result: int) -> None:
            self.register_dialog = None
            if dialog.view is not None:
                self.refresh()
                self.show_dispute(dialog.view)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog
