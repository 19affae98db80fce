"""诉求事件: the events workspace. One list on the left, the chosen event's file and its step
buttons on the right (:mod:`ui.incidents.steps`).

The list follows the viewer: the dispatcher (and the supervisor) see the hall's board —
在办 (Alt+1, most urgent first; the stage clock green, amber with a quarter or less of its
working time left, red when overdue), 已结束 (Alt+2) and, for the supervisor, 超时升级
(Alt+3); a department's staff see the events they lead (Alt+1) and those they are copied on
(Alt+2); whoever reports sees the events they reported (Alt+1). 上报事件 F2, 查找 Ctrl+F (a
scanned receipt number finds its event), 刷新 F5. The dispatcher's summary line gives
today's 响应 figures (:func:`app.stats.events.event_figures`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError
from app.incidents import escalation, lists
from app.incidents.lifecycle import catalog
from app.incidents.lists import File, Row
from app.roles import Permission
from app.stats import scope
from app.stats.events import EventFigures, event_figures
from ui.care.common import (
    ERROR_STYLE,
    OVERDUE_BACK,
    OVERDUE_TEXT,
    TODAY_BACK,
    action_button,
    cell,
    short,
    table,
)
from ui.context import AppContext
from ui.counter.scanner import ScanCatcher
from ui.incidents.file_pane import FilePane, left_text
from ui.incidents.report_dialog import ReportDialog
from ui.incidents.steps import Steps

HEADERS = ("", "编号", "事件类型", "地点", "状态", "主办部门", "时限", "剩余")
LIGHTS = {"red": "●", "amber": "●", "green": "●", "": ""}


def works_events(actor: Actor) -> bool:
    """Whether ``actor`` has the events workspace: who reports (counter, community worker),
    dispatches, or works in one of the event catalog's departments."""
    if any(actor.can(p) for p in (Permission.INTAKE, Permission.CARE, Permission.DISPATCH)):
        return True
    return actor.can(Permission.APPROVE) and bool(actor.departments & set(catalog().handling))


class IncidentsWorkspace(QWidget):
    """The list, the file, the steps."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.dispatches = actor.can(Permission.DISPATCH)
        self.department = actor.can(Permission.APPROVE) and bool(
            actor.departments & set(catalog().handling)
        )
        self.loaded = False
        self.rows: list[Row] = []
        self.report_dialog: ReportDialog | None = None
        self.modes: list[tuple[str, str]] = []
        if self.dispatches:
            self.modes += [("open", "在办"), ("closed", "已结束")]
            if actor.can(Permission.SUPERVISE):
                self.modes.append(("escalated", "超时升级"))
        elif self.department:
            self.modes += [("led", "本部门主办"), ("copied", "抄送本部门")]
        if any(actor.can(p) for p in (Permission.INTAKE, Permission.CARE)):
            self.modes.append(("mine", "我上报的"))
        self.mode_group = QButtonGroup(self)
        bar = QHBoxLayout()
        self.report_button = action_button(self, self.tr("上报事件… (F2)"), self.report, "F2")
        self.report_button.setVisible(
            any(actor.can(p) for p in (Permission.INTAKE, Permission.CARE, Permission.DISPATCH))
        )
        bar.addWidget(self.report_button)
        for n, (key, label) in enumerate(self.modes):
            radio = QRadioButton(f"{self.tr(label)} (Alt+{n + 1})")
            radio.setProperty("mode", key)
            self.mode_group.addButton(radio, n)
            bar.addWidget(radio)
            QShortcut(QKeySequence(f"Alt+{n + 1}"), self, radio.click)
        if self.modes:
            self.mode_group.button(0).setChecked(True)
        self.mode_group.idClicked.connect(self._mode_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("编号 / 地点 / 网格，或扫描回执 (Ctrl+F)"))
        self.search.returnPressed.connect(self.refresh)
        self.search.setVisible(self.dispatches)
        QShortcut(QKeySequence("Ctrl+F"), self, self._find)
        bar.addWidget(self.search, 1)
        if not self.dispatches:
            bar.addStretch(1)
        bar.addWidget(action_button(self, self.tr("刷新 (F5)"), self.refresh, "F5"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.table = table([self.tr(h) for h in HEADERS], wide=(2, 3))
        self.table.itemSelectionChanged.connect(self._chosen)
        self.pane = FilePane(ctx, actor)
        self.steps = Steps(ctx, actor, self.pane)
        self.steps.done.connect(self._stepped)
        self.scanner = ScanCatcher.watch(self, self.scanned)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.pane)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def scanned(self, number: str) -> None:
        """A receipt scanned anywhere in the workspace: the dispatcher finds the event; others
        see it chosen in their list (or are told it is not there)."""
        if self.dispatches:
            self.search.setText(number)
            self.refresh()
            return
        for r, row in enumerate(self.rows):
            if row.number == number:
                self.table.selectRow(r)
                return
        self._error(DomainError(self.tr("%1 不在当前列表中。").replace("%1", number)))

    def showEvent(self, event: QShowEvent) -> None:
        """Read the list when first shown."""
        super().showEvent(event)
        if not self.loaded:
            self.refresh()

    def _mode_changed(self, _index: int) -> None:
        self.pane.status.clear()  # what the last step said belongs to the list it was in
        self.refresh()

    def mode(self) -> str:
        """The list shown: open, closed, escalated, led, copied or mine."""
        button = self.mode_group.checkedButton()
        return str(button.property("mode")) if button is not None else ""

    def _find(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- the list ------------------------------------------------------------------------

    def _reader(self) -> Callable[[], list[Row]]:
        db, actor, mode, query = self.ctx.db, self.actor, self.mode(), self.search.text()
        if mode in ("open", "closed"):
            return lambda: lists.board(db, actor, closed=mode == "closed", query=query)
        if mode == "escalated":
            return lambda: escalation.escalated(db, actor)
        if mode in ("led", "copied"):
            return lambda: lists.inbox(db, actor)[0 if mode == "led" else 1]
        return lambda: lists.mine(db, actor)

    def refresh(self, then: int | None = None) -> None:
        """Read the list again (then show event ``then``, or keep the one shown)."""
        self.loaded = True
        keep = then if then is not None else (self.pane.file.row.id if self.pane.file else None)
        self.ctx.ops.run(
            self._reader(),
            lambda rows: self._show(rows, keep),
            self._error,
            self,
            on_trouble=lambda e: self._error(DomainError(e.message)),
        )
        if self.dispatches and self.mode() == "open":
            db, actor = self.ctx.db, self.actor

            def today() -> EventFigures:
                day: date = scope.hall_today(db, actor)
                assert actor.hall_id is not None
                return event_figures(db, actor, actor.hall_id, day, day)

            self.ctx.ops.run(
                today, self._figures, lambda _e: None, self, on_trouble=lambda _e: None
            )

    def _show(self, rows: list[Row], keep: int | None) -> None:
        self.rows = rows
        self.table.setRowCount(0)
        chosen = None
        for r, row in enumerate(rows):
            self.table.insertRow(r)
            values = (
                LIGHTS[row.light],
                row.number,
                short(row.what, 24),
                short(f"{row.grid} · {row.address}", 40),
                row.state_label + (self.tr("（申请延期）") if row.asked_extension else ""),
                row.lead,
                row.due_local,
                left_text(row.left_min) if row.left_min is not None else "",
            )
            whole = ("", row.number, row.what, f"{row.grid} · {row.address}")
            for c, text in enumerate(values):
                item = cell(text, whole[c] if c < len(whole) else "")
                if row.light == "red":
                    item.setBackground(QBrush(OVERDUE_BACK))
                    if c in (0, 7):
                        item.setForeground(QBrush(OVERDUE_TEXT))
                elif row.light == "amber":
                    item.setBackground(QBrush(TODAY_BACK))
                elif row.light == "green" and c == 0:
                    item.setForeground(QBrush(Qt.GlobalColor.darkGreen))
                self.table.setItem(r, c, item)
            if row.id == keep:
                chosen = r
        red = sum(r.light == "red" for r in rows)
        amber = sum(r.light == "amber" for r in rows)
        text = self.tr("共 %1 件").replace("%1", str(len(rows)))
        if len(rows) >= lists.LIMIT:
            text = self.tr("显示最紧急的 %1 件（其余请用查找）").replace("%1", str(len(rows)))
        if red or amber:
            text += self.tr("，超时 %1 件，临近时限 %2 件").replace("%1", str(red))
            text = text.replace("%2", str(amber))
        self.summary.setStyleSheet("")
        self.summary.setText(text)
        if chosen is None and rows:
            chosen = 0
        if chosen is None:
            self.pane.show_file(None)
            self.steps.update()
        else:
            self.table.blockSignals(True)  # one read of the file, not one per signal
            self.table.selectRow(chosen)
            self.table.blockSignals(False)
            self._chosen()

    def _figures(self, f: EventFigures) -> None:
        if not f.reported:
            return
        share = f"{f.auto_dispatched * 100 / f.reported:.0f}%"
        median = f.response.median_min
        text = self.tr("今日上报 %1 件，派单目录自动派遣 %2，上报至派遣中位 %3 分钟，结案 %4 件")
        text = text.replace("%1", str(f.reported)).replace("%2", share)
        text = text.replace("%3", "—" if median is None else str(median))
        self.summary.setText(self.summary.text() + " · " + text.replace("%4", str(f.closed)))

    def _error(self, error: DomainError) -> None:
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText(error.message)

    def _chosen(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            return
        db, actor, eid = self.ctx.db, self.actor, self.rows[r].id
        self.ctx.ops.run(
            lambda: lists.file(db, actor, eid),
            self._file,
            self.pane.show_error,
            self,
            on_trouble=lambda e: self.pane.show_error(DomainError(e.message)),
        )

    def _file(self, file: File) -> None:
        self.pane.show_file(file)
        self.steps.update()

    def _stepped(self, said: str) -> None:
        self.pane.show_done(said)
        self.refresh()

    # --- reporting -----------------------------------------------------------------------

    def report(self) -> ReportDialog | None:
        """上报事件…; once saved, the list shows it and its receipt opens to print."""
        if self.report_dialog is not None or not self.report_button.isVisible():
            return None
        dialog = ReportDialog(self.ctx, self.actor, self)
        self.report_dialog = dialog

        def finished(_r: int) -> None:
            self.report_dialog = None
            dialog.deleteLater()
            self.window().activateWindow()
            if dialog.moved is None:
                return
            number = dialog.moved.number
            self.pane.show_done(self.tr("已上报 %1。").replace("%1", number))
            self.refresh(then=dialog.moved.incident_id)
            self.steps.print_receipt_of(dialog.moved.incident_id)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog
