"""The main window: a header with hall, user and log-out, and one workspace tab per role."""

from __future__ import annotations

import logging

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
from app.roles import Permission, Role
from ui.admin.catalog_browser import CatalogBrowser
from ui.admin.catalog_notice import CatalogNotice, concerns
from ui.admin.users_panel import UsersPanel
from ui.audit_panel import AuditPanel
from ui.backoffice.inbox_panel import InboxPanel
from ui.context import AppContext
from ui.counter.intake_panel import IntakePanel
from ui.counter.pickup_panel import PickupPanel
from ui.counter.queue_panel import QueuePanel
from ui.idle_lock import IdleWatcher, LockDialog
from ui.login import ChangePasswordDialog
from ui.supervisor.calendar_panel import CalendarPanel
from ui.supervisor.cases_panel import CasesPanel
from ui.supervisor.hall_view import HallView
from ui.widgets import screen_room

log = logging.getLogger(__name__)
HOUSEKEEPING_MS = 5 * 60 * 1000


def a_backoffice_user(actor: Actor) -> bool:
    """Whoever works cases keeps the hall's 公示 periods and messages moving."""
    return any(actor.can(p) for p in (Permission.APPROVE, Permission.INTAKE, Permission.SUPERVISE))


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
        if Role.CLERK in a.roles:
            self.queue_panel = QueuePanel(self.ctx, a)
            self.live_panels.append(self.queue_panel)
            self.tabs.addTab(self.queue_panel, self.tr("叫号"))
        if a.can(Permission.INTAKE):
            self.intake_panel = IntakePanel(self.ctx, a)
            self.tabs.addTab(self.intake_panel, self.tr("综合受理"))
            if Role.CLERK in a.roles:
                self.queue_panel.intake_requested.connect(self._start_intake)
            self.pickup_panel = PickupPanel(self.ctx, a)
            self.tabs.addTab(self.pickup_panel, self.tr("出件"))
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
        """End finished 公示 periods and send the ready messages (quietly; logged on trouble)."""
        if self.ctx.ops.pending:
            return  # the clerk's own work first; the next round catches up
        self.ctx.ops.run(
            lambda: housekeeping.tick(self.ctx.db, self.actor),
            self._housekept,
            lambda e: log.warning("housekeeping refused: %s", e.message),
            parent=self,
            on_trouble=lambda e: log.warning("housekeeping: %s", e.message),
        )

    def _housekept(self, report: housekeeping.TickReport) -> None:
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

    def _start_intake(self, ticket: object) -> None:
        """The clerk takes the ticket being served to the intake workspace."""
        self.intake_panel.start(ticket)  # type: ignore[arg-type]
        self.tabs.setCurrentWidget(self.intake_panel)

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
        dialog.open()
        self.lock_dialog = dialog

    def _after_lock(self, dialog: LockDialog) -> None:
        if dialog.logout_requested:
            self.logout()
        else:
            self.idle.unlocked()

    def logout(self) -> None:
        """Close the window and go back to the log-in."""
        self.logout_requested = True
        self.logged_out.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.housekeeping.stop()
        self.idle.disarm()
        super().closeEvent(event)
