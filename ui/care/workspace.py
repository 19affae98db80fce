"""探访关爱: the community worker's workspace — 待办探访 (Alt+1, the default) and 服务对象
(Alt+2) — and the profile window both open.

Opening a profile is :func:`app.care.profiles.open_profile` (audited) and shows
:class:`ProfileDialog`; what is saved there reloads both lists. The hall's list of groups
is read once when the workspace is first shown (and grows when a worker adds one).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from app.actor import Actor
from app.care import groups, profiles
from app.care.views import ProfileView
from app.errors import DomainError
from app.people.residents import ResidentView
from ui.care.due_panel import DuePanel
from ui.care.new_person import NewPersonDialog
from ui.care.profile_dialog import ProfileDialog
from ui.care.profiles_panel import ProfilesPanel
from ui.care.report_panel import CareReportPanel
from ui.context import AppContext


class CareWorkspace(QWidget):
    """The due list and the profiles list, with the profile opened from either."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.group_names: dict[str, str] = {}
        self.workers: list[tuple[int, str]] = []  # the hall's 社区工作者, for 责任人
        self._groups_read = False
        self.profile_dialog: ProfileDialog | None = None
        self.new_dialog: NewPersonDialog | None = None
        self.due_panel = DuePanel(ctx, actor)
        self.profiles_panel = ProfilesPanel(ctx, actor)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.due_panel, self.tr("待办探访 (Alt+1)"))
        self.tabs.addTab(self.profiles_panel, self.tr("服务对象 (Alt+2)"))
        self.report_panel = CareReportPanel(ctx, actor)
        self.tabs.addTab(self.report_panel, self.tr("探访月报 (Alt+3)"))
        self.tabs.currentChanged.connect(self._tab_shown)
        for i in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, lambda i=i: self._show_tab(i))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.tabs)
        for panel in (self.due_panel, self.profiles_panel):
            panel.open_requested.connect(self.open_profile)
        self.profiles_panel.new_requested.connect(self.new_profile)
        self.due_panel.visited.connect(self._reload_profiles)

    def showEvent(self, event: QShowEvent) -> None:
        """The hall's groups, read once (before any profile can be opened)."""
        super().showEvent(event)
        if not self._groups_read:
            self._groups_read = True
            db, actor = self.ctx.db, self.actor
            self.ctx.ops.run(
                lambda: (groups.group_names(db, actor), profiles.care_workers(db, actor)),
                self._read_lists,
                lambda _e: None,  # the profile then shows its own groups only
                self,
                on_trouble=lambda _e: None,
            )

    def _read_lists(self, lists: tuple[dict[str, str], list[tuple[int, str]]]) -> None:
        self.group_names.update(lists[0])
        self.workers = lists[1]

    def hall_today(self) -> date | None:
        """The hall's calendar day as the due list last read it (None before it loaded).

        The PC's own date may differ (a PC on UTC, the hall in Beijing after 16:00 UTC)."""
        due = self.due_panel.list
        return due.today if due is not None else None

    def _tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.report_panel:
            self.report_panel.first_show()

    def _show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        if self.tabs.currentWidget() is self.profiles_panel:
            self.profiles_panel.search.setFocus()
        else:
            self.due_panel.table.setFocus()

    def _reload_profiles(self) -> None:
        if self.profiles_panel.loaded:
            self.profiles_panel.refresh()

    def _reload(self) -> None:
        self.due_panel.refresh()
        self._reload_profiles()

    def _failed(self, error: DomainError) -> None:
        panel = self.tabs.currentWidget()
        if isinstance(panel, DuePanel | ProfilesPanel):
            panel.show_error(error)

    def open_profile(self, profile_id: int) -> None:
        """Open a profile (the reading is audited by the service)."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: profiles.open_profile(db, actor, profile_id),
            self._opened,
            self._failed,
            self,
            on_trouble=lambda e: self._failed(DomainError(e.message)),
        )

    def _opened(self, view: ProfileView) -> None:
        self._show_profile(view=view)

    def _show_profile(
        self, view: ProfileView | None = None, resident: ResidentView | None = None
    ) -> ProfileDialog:
        dialog = ProfileDialog(
            self.ctx,
            self.actor,
            self.group_names,
            view,
            resident,
            self.hall_today(),
            self,
            workers=self.workers,
        )
        dialog.changed.connect(self._reload)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.profile_dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, dialog: ProfileDialog) -> None:
        if self.profile_dialog is dialog:
            self.profile_dialog = None
        dialog.deleteLater()
        self.window().activateWindow()  # the workspace's keys (Alt+1, F9 …) work again

    def new_profile(self) -> NewPersonDialog:
        """新建档案: find or register the person, then the profile's form."""
        dialog = NewPersonDialog(self.ctx, self.actor, self)
        self.new_dialog = dialog

        def finished(result: int) -> None:
            self.new_dialog = None
            self.window().activateWindow()
            if result != QDialog.DialogCode.Accepted:
                return
            if dialog.existing_id is not None:
                self.open_profile(dialog.existing_id)
            elif dialog.resident is not None:
                self._show_profile(resident=dialog.resident)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog
