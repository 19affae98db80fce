"""一人一档: one person's care profile — the form, plans, major events and visits.

Opened only through :func:`app.care.profiles.open_profile` (every reading is audited) or
made new for a resident just found or registered. The care role edits; the supervisor
reads (no buttons that change anything). Keys: Ctrl+S 保存档案, F9 登记探访, Alt+1–4 the
tabs, Esc closes (asking first when the form holds unsaved changes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import profiles
from app.care.views import ProfileInput, ProfileView
from app.errors import DomainError
from app.people.residents import ResidentView
from app.roles import Permission
from ui.care.common import DONE_STYLE, call
from ui.care.plans_events import EventsTab, PlansTab
from ui.care.profile_form import ProfileForm
from ui.care.small_dialogs import AddGroupDialog, StateDialog
from ui.care.visit_dialog import VisitDialog, plan_choices
from ui.care.visits_tab import VisitsTab
from ui.context import AppContext
from ui.widgets import screen_room
from ui.widgets.confirm import Confirm
from ui.widgets.field_errors import FieldErrors

PREFERRED = QSize(1220, 690)


class _ProfileErrors(FieldErrors):
    """Field messages of the profile: ``remap`` first adjusts the field a refusal names
    (the k-th contact sent → the row it was typed in) and shows the form's tab."""

    remap: Callable[[DomainError], None] | None = None

    def show(self, error: DomainError) -> None:
        if self.remap is not None:
            self.remap(error)
        super().show(error)


class ProfileDialog(QDialog):
    """A care profile, new (``resident``) or opened (``view``).

    Signals:
        changed(): something was saved; the lists behind reload.
    """

    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        group_names: dict[str, str],
        view: ProfileView | None = None,
        resident: ResidentView | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
        workers: list[tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        assert view is not None or resident is not None
        # The hall's day: read with the profile, else from the due list, else the PC's.
        self.today = (view.today if view else None) or today or date.today()
        self.ctx, self.actor, self.group_names = ctx, actor, group_names
        self.view = view
        self.resident_id = view.resident_id if view else resident.id  # type: ignore[union-attr]
        self.may_write = actor.can(Permission.CARE)
        self.visit_dialog: VisitDialog | None = None
        self.setWindowTitle(self.tr("一人一档"))
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.header.setFont(font)
        self.facts = QLabel()
        self.general = QLabel()
        self.general.setObjectName("general_error")
        self.errors = _ProfileErrors(self.general)
        self.errors.remap = self._remap
        self.form = ProfileForm(actor, self.errors, self.today)
        self.form.known_workers = list(workers or [])
        self.form.add_group_requested.connect(self.add_group)
        self.form.set_groups(group_names or self._own_groups())
        self.plans = PlansTab(ctx, actor)
        self.events = EventsTab(ctx, actor)
        self.visits = VisitsTab(ctx, actor)
        for part in (self.plans, self.events, self.visits):
            part.changed.connect(self._part_changed)
        self.tabs = QTabWidget()
        for i, (page, label) in enumerate(
            (
                (self.form, self.tr("档案")),
                (self.plans, self.tr("探访计划")),
                (self.events, self.tr("重大变故")),
                (self.visits, self.tr("探访记录")),
            ),
            1,
        ):
            self.tabs.addTab(page, f"{label} (Alt+{i})")
            QShortcut(QKeySequence(f"Alt+{i}"), self, lambda i=i: self.tabs.setCurrentIndex(i - 1))
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.visit_button = self._button(self.tr("登记探访… (F9)"), self.record_visit, "F9")
        self.state_button = self._button(self.tr("登记去世/迁出…"), self.change_state)
        self.save_button = self._button(self.tr("保存档案 (Ctrl+S)"), self.save, "Ctrl+S")
        self.save_button.setDefault(True)
        close = self._button(self.tr("关闭 (Esc)"), self.reject)
        bar = QHBoxLayout()
        for b in (self.visit_button, self.state_button):
            bar.addWidget(b)
        bar.addWidget(self.done_label, 1)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.facts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general)
        layout.addLayout(bar)
        for b in (self.visit_button, self.state_button, self.save_button):
            b.setVisible(self.may_write)
        self.form.set_read_only(not self.may_write)
        for first, second in zip(
            self.form.focus_chain(), self.form.focus_chain()[1:], strict=False
        ):
            QWidget.setTabOrder(first, second)
        if view is not None:
            self.form.load(view)
            self.apply(view)
        else:
            assert resident is not None
            self.form.start_new(resident.name)
            self._show_person(resident.name, resident.gender, resident.age, resident.id_masked)
            self.facts.setText(
                self.tr("%1 · %2　新建档案：勾选类别和风险等级，记录本人或监护人的同意后保存。")
                .replace("%1", resident.phone_masked or self.tr("电话未登记"))
                .replace("%2", resident.address or self.tr("地址未登记"))
            )
            for i in (1, 2, 3):
                self.tabs.setTabEnabled(i, False)
            self.visit_button.setEnabled(False)
            self.state_button.setEnabled(False)
        self.saved_input = self._input()
        screen_room.resize_within(self, PREFERRED)
        self.form.groups_frame.setFocus()  # the first group: Space ticks, Tab moves on

    def _button(self, text: str, slot: object, key: str = "") -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        if key:
            QShortcut(QKeySequence(key), self, b.animateClick)
        return b

    def _own_groups(self) -> dict[str, str]:
        """The profile's own groups when the hall's list could not be read."""
        if self.view is None:
            return {}
        return dict(zip(self.view.groups, self.view.group_labels, strict=False))

    def _show_person(self, name: str, gender: str, age: int, id_masked: str) -> None:
        self.header.setText(
            self.tr("%1　%2 · %3 岁 · %4")
            .replace("%1", name)
            .replace("%2", gender)
            .replace("%3", str(age))
            .replace("%4", id_masked)
        )
        self.setWindowTitle(self.tr("一人一档：%1").replace("%1", name))

    def _input(self) -> ProfileInput:
        version = self.view.version if self.view else None
        return self.form.value(self.resident_id, self.view.id if self.view else None, version)

    # --- showing ---------------------------------------------------------------------------

    def apply(self, view: ProfileView) -> None:
        """The profile as the service returned it: header, plans, events, visits (the form
        keeps what is typed in it)."""
        self.view = view
        self._show_person(view.name, view.gender, view.age, view.id_masked)
        state = "" if view.state == "active" else f"　【{view.state_label} {view.state_on or ''}】"
        self.facts.setText(
            f"{view.phone_masked or self.tr('电话未登记')} · {view.address or self.tr('地址未登记')}　"
            f"{'、'.join(view.group_labels)} · {view.tier_label} · {view.consent}"
            f"{state}"
        )
        self.facts.setStyleSheet("color: #A61B1B;" if state else "")
        self.plans.show_view(view, self.today)
        self.events.show_view(view)
        self.visits.show_view(view)
        self.tabs.setTabText(
            3, self.tr("探访记录（%1）(Alt+4)").replace("%1", str(len(view.visits)))
        )
        for i in (1, 2, 3):
            self.tabs.setTabEnabled(i, True)
        alive = view.state == "active"
        self.visit_button.setEnabled(alive)
        self.state_button.setText(
            self.tr("登记去世/迁出…") if alive or view.state == "moved" else self.tr("已去世")
        )
        self.state_button.setEnabled(view.state != "deceased")

    def _part_changed(self, view: ProfileView, said: str) -> None:
        self.apply(view)
        self.say(said)
        self.changed.emit()

    def _remap(self, error: DomainError) -> None:
        error.field = self.form.contacts.ui_field(error.field)
        if error.field and self.tabs.currentWidget() is not self.form:
            self.tabs.setCurrentWidget(self.form)

    def say(self, text: str) -> None:
        """A line saying what was done (green), beside the buttons."""
        self.done_label.setStyleSheet(DONE_STYLE)
        self.done_label.setText(text)

    # --- actions ---------------------------------------------------------------------------

    def save(self) -> None:
        """保存档案: create or update through the service; refusals under their field."""
        if not self.may_write:
            return
        inp = self._input()
        db, actor = self.ctx.db, self.actor
        self.done_label.clear()
        call(
            self.ctx,
            self,
            lambda: profiles.save_profile(db, actor, inp),
            self._saved,
            self.errors,
            (self.save_button,),
        )

    def _saved(self, view: ProfileView) -> None:
        new = self.view is None
        self.form.load(view)
        self.apply(view)
        self.saved_input = self._input()
        self.say(
            self.tr("已建档，已按风险等级制定上门探访计划。") if new else self.tr("档案已保存。")
        )
        self.changed.emit()

    def record_visit(self, plan_id: int | None = None, mode: str = "") -> VisitDialog | None:
        """登记探访… for this person (returns the dialog shown)."""
        if self.view is None or self.view.state != "active" or not self.may_write:
            return None
        view = self.view
        choices = plan_choices(view.plans)
        dialog = VisitDialog(
            self.ctx, self.actor, view.id, view.name, choices, plan_id, mode, parent=self
        )
        self.visit_dialog = dialog

        def finished(_r: int) -> None:
            self.visit_dialog = None
            self.activateWindow()
            if dialog.result_view is not None:
                self.apply(dialog.result_view)
                self.say(dialog.outcome)
                self.changed.emit()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def change_state(self) -> StateDialog | None:
        """登记去世/迁出… (returns the dialog shown)."""
        if self.view is None or not self.may_write:
            return None
        dialog = StateDialog(self.ctx, self.actor, self.view, self.today, self)
        dialog.finished.connect(lambda _r: self._state_done(dialog))
        dialog.open()
        return dialog

    def _state_done(self, dialog: StateDialog) -> None:
        self.activateWindow()
        if dialog.view is not None:
            self.apply(dialog.view)
            self.say(self.tr("已登记：%1。").replace("%1", dialog.view.state_label))
            self.changed.emit()

    def add_group(self) -> AddGroupDialog:
        """新增类别…: the new group appears ticked, the rest of the form as it was."""
        dialog = AddGroupDialog(self.ctx, self.actor, self)

        def finished(_r: int) -> None:
            self.activateWindow()
            if dialog.code:
                self.group_names[dialog.code] = dialog.name
                self.form.set_groups(self.group_names)
                self.form.tick_group(dialog.code)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def unsaved(self) -> bool:
        """Whether the form differs from what was last loaded or saved (its fields: the
        record's version moves with every plan, event or visit saved meanwhile)."""
        if not self.may_write:
            return False
        return replace(self._input(), version=None) != replace(self.saved_input, version=None)

    def reject(self) -> None:
        """Esc / 关闭: asks first when the form holds unsaved changes."""
        if self.unsaved() and not Confirm.ask(
            self,
            self.tr("档案尚未保存"),
            self.tr("档案中有未保存的修改，关闭将丢失这些修改。"),
            self.tr("放弃修改并关闭"),
            self.tr("返回继续编辑"),
        ):
            return
        super().reject()
