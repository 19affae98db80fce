"""The main window: a header with hall, user and log-out, and one workspace tab per role."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import housekeeping
from app.errors import DomainError
from app.incidents import escalation
from app.mediation import escalation as mediation_escalation
from app.roles import Permission, Role
from ui.admin.catalog_browser import CatalogBrowser
from ui.admin.catalog_notice import CatalogNotice, concerns
from ui.admin.users_panel import UsersPanel
from ui.audit_panel import AuditPanel
from ui.backoffice.inbox_panel import InboxPanel
from ui.care.workspace import CareWorkspace
from ui.context import AppContext
from ui.counter.queue_panel import QueuePanel
from ui.counter.workspace import CounterWorkspace
from ui.idle_lock import IdleWatcher, LockDialog
from ui.incidents import workspace as incidents_workspace
from ui.login import ChangePasswordDialog
from ui.mediation.workspace import MediationWorkspace
from ui.stats.workspace import StatsWorkspace
from ui.supervisor.calendar_panel import CalendarPanel
from ui.supervisor.cases_panel import CasesPanel
from ui.supervisor.hall_view import HallView
from ui.widgets import screen_room
from ui.widgets.confirm import Confirm

log = logging.getLogger(__name__)
HOUSEKEEPING_MS = 5 * 60 * 1000


def a_backoffice_user(actor: Actor) -> bool:
    """Whoever works cases keeps the hall's 公示 periods and messages moving."""
    return any(
        actor.can(p)
        for p in (
            Permission.APPROVE,
            Permission.INTAKE,
            Permission.SUPERVISE,
            Permission.DISPATCH,
            Permission.MEDIATE,
        )
    )


class MainWindow(QMainWindow):
    """Workspaces follow the user's roles.

    Signals:
        logged_out(): the user chose to log out (the launcher shows the log-in again).
    """

    logged_out = Signal()

    def __init__(self, ctx: AppContext, actor: Actor) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, actor
        self.logout_requested = False
        self.handed_over = False  # 离岗 done: the clerk's window was paused and released
        self.leaving = False
        self.setWindowTitle(self.tr("一窗通办 — %1").replace("%1", actor.hall_name))
        # Un-maximised size; ``launch`` shows the window maximised (a 1366×768 counter PC).
        screen_room.resize_within(self, QSize(1280, 800))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header())
        self.catalog_notice: CatalogNotice | None = None
        if concerns(actor, ctx.catalog):
            self.catalog_notice = CatalogNotice(ctx.catalog, full=False)
            layout.addWidget(self.catalog_notice)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._add_workspaces()
        if self.catalog_notice is not None and hasattr(self, "catalog_browser"):
            self.catalog_notice.details_requested.connect(
                lambda: self.tabs.setCurrentWidget(self.catalog_browser)
            )
        demo = self.tr("（演示数据库）") if ctx.settings.demo else ""
        self.statusBar().showMessage(self.tr("数据：") + ctx.db.where + demo)
        self.housekeeping = QTimer(self)
        self.housekeeping.setInterval(HOUSEKEEPING_MS)
        self.housekeeping.timeout.connect(self.run_housekeeping)
        if a_backoffice_user(actor):
            self.housekeeping.start()
            QTimer.singleShot(0, self, self.run_housekeeping)  # not after the window is gone
        self.idle = IdleWatcher.for_app()
        self.idle.arm(ctx.settings.idle_lock_minutes, self.lock)

    def _header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        h = QHBoxLayout(header)
        h.setContentsMargins(16, 8, 16, 8)
        title = QLabel(self.tr("一窗通办"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.hall_label = QLabel(self.actor.hall_name)
        self.user_label = QLabel(f"{self.actor.full_name}（{self.actor.role_names}）")
        h.addWidget(title)
        h.addSpacing(16)
        h.addWidget(self.hall_label)
        h.addStretch(1)
        h.addWidget(self.user_label)
        for text, slot in (
            (self.tr("修改密码"), self.change_password),
            (self.tr("锁定"), self.lock),
            (self.tr("退出登录"), self.logout),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            h.addWidget(b)
        return header

    def _add_workspaces(self) -> None:
        a = self.actor
        self.live_panels: list[QueuePanel | HallView] = []
        self.counter: CounterWorkspace | None = None
        if a.can(Permission.INTAKE):
            # One workspace: the queue bar (clerks) over 综合受理, 出件 and the waiting list.
            self.counter = CounterWorkspace(self.ctx, a)
            self.intake_panel = self.counter.intake_panel
            self.pickup_panel = self.counter.pickup_panel
            if self.counter.queue_panel is not None:
                self.queue_panel = self.counter.queue_panel
                self.live_panels.append(self.queue_panel)
            self.tabs.addTab(self.counter, self.tr("窗口服务"))
        if a.can(Permission.APPROVE):
            self.inbox_panel = InboxPanel(self.ctx, a)
            self.tabs.addTab(self.inbox_panel, self.tr("审批待办"))
        if a.can(Permission.SUPERVISE):
            self.hall_view = HallView(self.ctx, a)
            self.live_panels.append(self.hall_view)
            self.tabs.addTab(self.hall_view, self.tr("大厅监控"))
            self.cases_panel = CasesPanel(self.ctx, a)
            self.tabs.addTab(self.cases_panel, self.tr("办件监控"))
            self.calendar_panel = CalendarPanel(self.ctx, a)
            self.tabs.addTab(self.calendar_panel, self.tr("工作日历"))
        if a.can(Permission.SUPERVISE) or a.can(Permission.APPROVE):
            # Supervisors: the hall's figures; approvers: their departments', read only.
            self.stats_workspace = StatsWorkspace(self.ctx, a)
            self.tabs.addTab(self.stats_workspace, self.tr("统计"))
        if a.can(Permission.VIEW_CARE):
            # 一人一档: the community worker's round; the supervisor reads it.
            self.care_workspace = CareWorkspace(self.ctx, a)
            self.tabs.addTab(self.care_workspace, self.tr("探访关爱"))
        if incidents_workspace.works_events(a):
            # 群众诉求 / 网格事件: reported at the counter or for a grid worker, dispatched,
            # handled by the departments, checked and closed.
            self.incidents_workspace = incidents_workspace.IncidentsWorkspace(self.ctx, a)
            self.tabs.addTab(self.incidents_workspace, self.tr("诉求事件"))
        if a.can(Permission.VIEW_MEDIATION):
            # 矛盾纠纷调解: the mediator's disputes and 回访; the supervisor reads them.
            self.mediation_workspace = MediationWorkspace(self.ctx, a)
            self.tabs.addTab(self.mediation_workspace, self.tr("调解"))
        if a.can(Permission.MANAGE_USERS):
            self.users_panel = UsersPanel(self.ctx, a)
            self.tabs.addTab(self.users_panel, self.tr("用户管理"))
        if a.can(Permission.VIEW_AUDIT):
            self.tabs.addTab(AuditPanel(self.ctx, a), self.tr("审计日志"))
        if a.can(Permission.VIEW_CATALOG):
            # Everyone answers questions about services: what to bring, how long it takes.
            label = self.tr("事项目录")
            if Role.CLERK in a.roles:
                label = self.tr("事项目录（办事指南）")
            self.catalog_browser = CatalogBrowser(self.ctx, a)
            self.tabs.addTab(self.catalog_browser, label)

    def run_housekeeping(self) -> None:
        """End finished 公示 periods, send the ready messages, escalate overdue events' stages
        (quietly; logged on trouble)."""
        if self.ctx.ops.pending:
            return  # the clerk's own work first; the next round catches up
        self.ctx.ops.run(
            self._round,
            self._housekept,
            lambda e: log.warning("housekeeping refused: %s", e.message),
            parent=self,
            on_trouble=lambda e: log.warning("housekeeping: %s", e.message),
        )

    def _round(self) -> tuple[housekeeping.TickReport, list[str], list[str]]:
        """One housekeeping round (on the worker): the cases' and the events' (超时升级), and
        disputes past their mediation level's time limit move up a level. (The cases'
        report, the events escalated, the disputes moved up.)"""
        report = housekeeping.tick(self.ctx.db, self.actor)
        events = escalation.escalate_overdue(self.ctx.db, self.actor)
        disputes = mediation_escalation.escalate_overdue(self.ctx.db, self.actor.hall_id)
        return report, events, disputes

    def _housekept(self, outcome: tuple[housekeeping.TickReport, list[str], list[str]]) -> None:
        report, events, disputes = outcome
        if events and hasattr(self, "incidents_workspace"):
            self.statusBar().showMessage(
                self.tr("{n} 件诉求事件本环节超时，已升级至大厅管理员。").format(n=len(events)),
                10000,
            )
            if self.incidents_workspace.loaded:
                self.incidents_workspace.refresh()
        if disputes and hasattr(self, "mediation_workspace"):
            self.statusBar().showMessage(
                self.tr("{n} 件纠纷超过本级调解时限，已升级调解。").format(n=len(disputes)), 10000
            )
        if report.expired:
            self.statusBar().showMessage(
                self.tr("日终关闭：前一服务日未办理的 {n} 张号票已关闭。").format(n=report.expired),
                10000,
            )
        if report.advanced:
            self.statusBar().showMessage(
                self.tr("{n} 件办件公示期满，已进入下一环节。").format(n=report.advanced), 10000
            )
            if hasattr(self, "inbox_panel"):
                self.inbox_panel.refresh()

    def change_password(self) -> None:
        """Let the user change their own password."""
        dialog = ChangePasswordDialog(self.ctx, self.actor, parent=self)
        if dialog.exec():
            self.actor = dialog.actor
            self.statusBar().showMessage(self.tr("密码已修改。"), 5000)

    def lock(self) -> None:
        """Cover the window until the user's password is given again."""
        self.idle.locked = True
        dialog = LockDialog(self.ctx, self.actor, self)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(lambda _r: self._after_lock(dialog))
        dialog.cover_windows()  # nothing of the work behind shows while locked
        dialog.open()
        self.lock_dialog = dialog

    def _after_lock(self, dialog: LockDialog) -> None:
        if not dialog.logout_requested:
            self.idle.unlocked()
            return

        def stayed() -> None:  # 不离开 at the 离岗 question: locked again, not stuck covered
            if dialog.cover is not None:
                dialog.cover.restore()
            self.lock()

        self._leave(then=self._logged_out, stayed=stayed)

    def logout(self) -> None:
        """Hand the window over (离岗), close and go back to the log-in."""
        self._leave(then=self._logged_out)

    def _logged_out(self) -> None:
        self.logout_requested = True
        self.logged_out.emit()
        self.close()

    def _leave(self, then: Callable[[], None], stayed: Callable[[], None] | None = None) -> None:
        """离岗 first (the clerk's window paused, the ticket put back), then ``then()``.

        Waits for the clerk's running operation (a call on its way back must be asked
        about); a second log-out while leaving does nothing more.
        """
        if self.counter is None or self.handed_over:
            then()
            return
        if self.leaving:
            return
        if self.ctx.ops.pending:
            QTimer.singleShot(100, self, lambda: self._leave(then, stayed))
            return
        self.leaving = True

        def left() -> None:
            self.leaving, self.handed_over = False, True
            then()

        def failed(error: DomainError) -> None:
            self.leaving = False
            if error.field == "put_back":  # a ticket this screen did not know of yet
                if self.counter is not None and self.counter.queue_panel is not None:
                    self.counter.queue_panel.reload()
                QTimer.singleShot(300, self, lambda: self._leave(then, stayed))
                return
            if Confirm.ask(
                self,
                self.tr("离岗未登记"),
                self.tr("窗口未能暂停：{e}\n仍要退出吗？窗口将由大厅管理员处理。").format(
                    e=error.message
                ),
                self.tr("仍要退出"),
                self.tr("留在本页"),
            ):
                left()
            elif stayed is not None:
                stayed()

        if not self.counter.leave(left, failed):
            self.leaving = False  # the clerk chose to stay
            if stayed is not None:
                stayed()

    def _close_now(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.counter is not None and not self.handed_over and self.counter.must_hand_over():
            event.ignore()  # 离岗 first; the window closes when that is done
            self._leave(then=self._close_now)
            return
        self.housekeeping.stop()
        self.idle.disarm()
        super().closeEvent(event)
