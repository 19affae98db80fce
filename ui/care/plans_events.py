"""The profile's 探访计划 and 重大变故 tabs: lists with their actions.

Each action opens its small form (:mod:`ui.care.small_dialogs`); the form calls the
service and the profile as it now is comes back through ``changed``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.actor import Actor
from app.care import plans
from app.care.views import PlanView, ProfileView
from app.roles import Permission
from ui.care.common import GREY_TEXT, OVERDUE_BACK, OVERDUE_TEXT, cell, table
from ui.care.small_dialogs import AddPlanDialog, EventDialog, ReasonDialog
from ui.context import AppContext

PLAN_HEADERS = ("探访方式", "频次", "下次到期", "到期情况", "上次探访", "状态")
EVENT_HEADERS = ("事件", "说明", "发生时间", "须探访时间", "状态")


class _Part(QWidget):
    """A tab of the profile.

    Signals:
        changed(object, str): the ProfileView after an action of this tab, and what was done.
    """

    changed = Signal(object, str)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.view: ProfileView | None = None
        self.buttons = QHBoxLayout()
        self.status = QLabel()

    def _finish(self, dialog: AddPlanDialog | ReasonDialog | EventDialog, said: str) -> None:
        def finished(_r: int) -> None:
            if dialog.view is not None:
                self.changed.emit(dialog.view, said)
            self.window().activateWindow()  # the profile again, for its keys

        dialog.finished.connect(finished)
        dialog.open()

    def _button(self, text: str, slot: object) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        self.buttons.addWidget(b)
        return b


class PlansTab(_Part):
    """探访计划: each plan's mode, rhythm, next due and state; 新增计划 / 结束计划."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent)
        self.today = date.today()  # until the profile is shown with the hall's day
        self.table = table([self.tr(h) for h in PLAN_HEADERS], wide=(3, 5))
        self.table.itemSelectionChanged.connect(self._update)
        self.add_button = self._button(self.tr("新增计划…"), self.add_plan)
        self.close_button = self._button(self.tr("结束计划…"), self.close_plan)
        self.buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def show_view(self, view: ProfileView, today: date) -> None:
        """List ``view``'s plans, the open ones first."""
        self.view, self.today = view, today
        rows = sorted(view.plans, key=lambda p: (not p.active, p.next_due))
        self.plans: list[PlanView] = rows
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            late = p.active and p.due_label.startswith("逾期")
            state = self.tr("执行中") if p.active else self.tr("已结束：") + p.closed_reason
            values = (
                p.mode_label,
                p.rhythm_label,
                p.next_due.isoformat() if p.active else "—",
                p.due_label,
                p.last_visit_on.isoformat() if p.last_visit_on else self.tr("尚未探访"),
                state,
            )
            for c, v in enumerate(values):
                item = cell(v)
                if late:
                    item.setBackground(QBrush(OVERDUE_BACK))
                if not p.active:
                    item.setForeground(QBrush(GREY_TEXT))
                self.table.setItem(r, c, item)
        active = sum(1 for p in rows if p.active)
        self.status.setText(self.tr("执行中的计划 %1 个").replace("%1", str(active)))
        self._update()

    def selected(self) -> PlanView | None:
        """The plan on the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.plans[rows[0].row()] if rows else None

    def _update(self) -> None:
        plan = self.selected()
        alive = self.view is not None and self.view.state == "active"
        self.add_button.setEnabled(alive and self.actor_may_write())
        self.close_button.setEnabled(plan is not None and plan.active and self.actor_may_write())

    def actor_may_write(self) -> bool:
        """Only the care role changes plans (the supervisor reads)."""
        return self.actor.can(Permission.CARE)

    def add_plan(self) -> AddPlanDialog | None:
        """新增计划… (returns the dialog shown)."""
        if self.view is None:
            return None
        dialog = AddPlanDialog(self.ctx, self.actor, self.view, self.today, self)
        self._finish(dialog, self.tr("已新增探访计划。"))
        return dialog

    def close_plan(self) -> ReasonDialog | None:
        """结束计划… for the selected open plan."""
        plan = self.selected()
        if plan is None or not plan.active:
            return None
        db, actor = self.ctx.db, self.actor
        what = self.tr("结束“%1（%2）”：此后不再按此计划提醒探访。")
        what = what.replace("%1", plan.mode_label).replace("%2", plan.rhythm_label)
        dialog = ReasonDialog(
            self.ctx,
            self.tr("结束探访计划"),
            what,
            "closed_reason",
            lambda reason: plans.close_plan(db, actor, plan.id, reason),
            self.tr("结束计划"),
            self,
        )
        self._finish(dialog, self.tr("探访计划已结束。"))
        return dialog


class EventsTab(_Part):
    """重大变故: events that make a visit due within 24 hours; 登记重大变故."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent)
        self.table = table([self.tr(h) for h in EVENT_HEADERS], wide=(1,))
        self.add_button = self._button(self.tr("登记重大变故…"), self.add_event)
        self.buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def show_view(self, view: ProfileView) -> None:
        """List ``view``'s events, newest first; those still waiting for a visit red."""
        self.view = view
        self.table.setRowCount(len(view.events))
        waiting = 0
        for r, e in enumerate(view.events):
            state = self.tr("已探访") if e.met else self.tr("待探访")
            waiting += not e.met
            for c, v in enumerate((e.kind_label, e.note, e.happened_at, e.due_at, state)):
                item = cell(v)
                if not e.met:
                    item.setForeground(QBrush(OVERDUE_TEXT))
                self.table.setItem(r, c, item)
        self.status.setText(
            self.tr("待 24 小时内探访 %1 件").replace("%1", str(waiting))
            if waiting
            else self.tr("没有待探访的重大变故。")
        )
        self.add_button.setEnabled(view.state == "active" and self.actor.can(Permission.CARE))

    def add_event(self) -> EventDialog | None:
        """登记重大变故… (returns the dialog shown)."""
        if self.view is None:
            return None
        dialog = EventDialog(self.ctx, self.actor, self.view, self)
        self._finish(dialog, self.tr("已登记重大变故，须在 24 小时内探访（已列入待办探访）。"))
        return dialog
