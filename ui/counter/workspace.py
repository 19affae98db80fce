"""窗口服务: the counter clerk's one workspace.

The queue bar (:class:`~ui.counter.queue_panel.QueuePanel`: the window, the ticket being
served, F2–F8) sits on top of 综合受理, 出件 and the waiting list, so the call keys work
on every counter tab. Calling a ticket (F2) opens intake for it, with the ID given at the
kiosk filled in (a known resident's record comes with it); identifying the applicant
starts the service of a called ticket (no 开始办理 key needed); F2 while a ticket is
served is 下一位 (finish it and call the next). Alt+1 / Alt+2 / Alt+3 switch the tabs.

Leaving (log-out, closing the program) is :meth:`leave`: the window is paused without a
clerk and the ticket being served is put back where the clerk chooses.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.actor import Actor
from app.errors import DomainError
from app.queue import handover
from app.queue.handover import LeaveReport
from app.queue.queueing import TicketView
from app.roles import Role
from app.states import TicketState
from ui.context import AppContext
from ui.counter.intake_panel import IntakePanel
from ui.counter.pickup_panel import PickupPanel
from ui.counter.queue_dialogs import LeaveDialog
from ui.counter.queue_panel import QueuePanel
from ui.widgets.confirm import Confirm


class CounterWorkspace(QWidget):
    """The queue bar (clerks only) over the tabs 综合受理, 出件 and 等候队列."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.queue_panel: QueuePanel | None = None
        self._started: int | None = None  # the ticket whose service identification started
        self.intake_panel = IntakePanel(ctx, actor)
        self.pickup_panel = PickupPanel(ctx, actor)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.intake_panel, self.tr("综合受理 (Alt+1)"))
        self.tabs.addTab(self.pickup_panel, self.tr("出件 (Alt+2)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        if Role.CLERK in actor.roles:
            self.queue_panel = QueuePanel(ctx, actor)
            self.queue_panel.called.connect(self._called)
            self.queue_panel.before_call = self._may_call
            self.tabs.addTab(self.queue_panel.waiting_page, self.tr("等候队列 (Alt+3)"))
            self.intake_panel.people.applicant.resident_changed.connect(self._identified)
            self.intake_panel.next_requested = self._next_from_intake
            layout.addWidget(self.queue_panel)
        layout.addWidget(self.tabs, 1)
        for i in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, lambda i=i: self._show_tab(i))

    def _show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        page = self.tabs.currentWidget()
        if page is self.pickup_panel:
            self.pickup_panel.query.setFocus()
        elif page is self.intake_panel:
            self.intake_panel.flow.focus_first_empty()

    # --- the queue drives intake ---------------------------------------------------------

    def _may_call(self) -> bool:
        """Before F2 calls someone new: the intake's unsaved work is asked about, not lost."""
        unsaved = self.intake_panel.flow.unsaved()
        if not unsaved:
            return True
        return Confirm.ask(
            self,
            self.tr("下一位"),
            self.tr("{what}尚未受理或暂存，叫下一位将清空。确定继续？").format(what=unsaved),
            self.tr("清空并叫下一位"),
            self.tr("返回继续办理"),
        )

    def _called(self, ticket: TicketView | None) -> None:
        """F2 done: intake for the called ticket, or cleared when nobody waits."""
        self.tabs.setCurrentWidget(self.intake_panel)
        self.intake_panel.start(ticket)

    def _identified(self, resident: object) -> None:
        """The applicant of the called ticket is at the counter: its service starts."""
        q = self.queue_panel
        t = q.current if q is not None else None
        if (
            q is not None
            and resident is not None
            and t is not None
            and t.state == TicketState.CALLED
            and self.intake_panel.ticket is not None
            and self.intake_panel.ticket.id == t.id
            and self._started != t.id  # once: a second identification while it runs
        ):
            self._started = t.id
            q.act("start")

    def _next_from_intake(self) -> None:
        """下一位 pressed in intake: as F2 where a ticket is served, else a clean intake."""
        q = self.queue_panel
        if q is not None and q.buttons["call"].isEnabled():
            q.act("call")
        elif self._may_call():
            self.intake_panel.start(None)

    # --- leaving -----------------------------------------------------------------------

    def must_hand_over(self) -> bool:
        """Whether this clerk holds a window that leaving must pause."""
        q = self.queue_panel
        if q is None:
            return False
        w = q.my_window()
        return w is not None and w.clerk_id == self.actor.user_id

    def leave(self, then: Callable[[], None], failed: Callable[[DomainError], None]) -> bool:
        """离岗: ask where the ticket being served goes, pause the window, then ``then()``.

        False when the clerk chose to stay (nothing done).
        """
        q = self.queue_panel
        window_id = q.window_id if q is not None else None
        if q is None or window_id is None or not self.must_hand_over():
            then()
            return True
        put_back = None
        if q.current is not None and q.current.state in (TicketState.CALLED, TicketState.SERVING):
            put_back = LeaveDialog.ask(q.current, self)
            if put_back is None:
                return False
        db, actor = self.ctx.db, self.actor

        def done(_report: LeaveReport) -> None:
            q.live.stop()  # left: no more refreshes (a refused 离岗 keeps the bar live)
            then()

        self.ctx.ops.run(
            lambda: handover.leave_window(db, actor, window_id, put_back), done, failed, self
        )
        return True
