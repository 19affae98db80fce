"""The profile's small forms: 新增类别, 新增探访计划, a reason (结束计划, 作废探访),
登记重大变故 and 登记去世/迁出. Each is one service call; Enter confirms, Esc cancels,
a refusal shows under its field and the dialog stays open with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from app.actor import Actor
from app.care import groups, plans, profiles, rules, visits
from app.care.views import ProfileView
from app.errors import ValidationError
from app.states import CARE_PERSON_FLOW, CarePersonState
from ui.care.common import CareForm, DateEdit
from ui.context import AppContext
from ui.widgets.confirm import Confirm


def _date_edit(shown: date, first: date | None = None, last: date | None = None) -> QDateEdit:
    edit = DateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(shown.year, shown.month, shown.day))
    if first is not None:
        edit.setMinimumDate(QDate(first.year, first.month, first.day))
    if last is not None:
        edit.setMaximumDate(QDate(last.year, last.month, last.day))
    return edit


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


class AddGroupDialog(CareForm):
    """新增人群类别 for the hall (e.g. 退役军人优抚对象). ``code``/``name`` once added."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("新增人群类别"), parent)
        self.actor = actor
        self.code, self.name = "", ""
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("如：退役军人优抚对象"))
        self.add_row(self.tr("类别名称"), "group_name", self.name_edit)
        self.ok_text(self.tr("添加"))
        self._layout.insertWidget(0, _note(self.tr("新类别供本大厅所有社区工作者使用。")))

    def submit(self) -> None:
        """Add it through the service."""
        db, actor, name = self.ctx.db, self.actor, self.name_edit.text()

        def done(code: str) -> None:
            self.code, self.name = code, name.strip()
            self.accept()

        self._call(lambda: groups.add_group(db, actor, name), done)


class _ViewForm(CareForm):
    """A form whose call returns the profile as it now is (``view``)."""

    view: ProfileView | None = None

    def _done(self, view: ProfileView) -> None:
        self.view = view
        self.accept()


class AddPlanDialog(_ViewForm):
    """新增探访计划: mode, rhythm (every N days), the first visit's due day."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        profile: ProfileView,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("新增探访计划"), parent)
        self.actor, self.profile = actor, profile
        self.mode = QComboBox()
        for code, label in rules.MODES.items():
            self.mode.addItem(label, code)
        self.rhythm = QComboBox()
        for code, label in rules.RHYTHMS.items():
            self.rhythm.addItem(label, code)
        default = rules.TIER_RHYTHM.get(profile.tier, "monthly")
        self.rhythm.setCurrentIndex(self.rhythm.findData(default))
        # What is typed is what is checked (a spin box would quietly turn 0 into 10 and
        # 367 into 36): the service says 1–366 next to the field.
        self.every = QLineEdit("10")
        self.every.setPlaceholderText(self.tr("1–%1 天").replace("%1", str(rules.EVERY_DAYS_MAX)))
        self.every.setMaximumWidth(120)
        self.rhythm.currentIndexChanged.connect(self._rhythm_changed)
        self.first_due = _date_edit(today, today, rules.add_months(today, 12))
        self.add_row(self.tr("探访方式"), "mode", self.mode)
        self.add_row(self.tr("探访频次"), "rhythm", self.rhythm)
        self.add_row(self.tr("间隔天数"), "every_days", self.every)
        self.add_row(self.tr("首次到期"), "starts_on", self.first_due)
        self.ok_text(self.tr("添加计划"))
        hint = self.tr("%1默认%2探访；可另设更密的计划，如每天电话问候。")
        hint = hint.replace("%1", profile.tier_label).replace("%2", rules.RHYTHMS[default])
        self._layout.insertWidget(0, _note(hint))
        self._rhythm_changed()

    def _rhythm_changed(self) -> None:
        self.every.setEnabled(self.rhythm.currentData() == "days")

    def submit(self) -> None:
        """Add the plan through the service."""
        db, actor, pid = self.ctx.db, self.actor, self.profile.id
        mode, rhythm = str(self.mode.currentData()), str(self.rhythm.currentData())
        every = None
        if rhythm == "days":
            typed = self.every.text().strip()
            if not (typed.isascii() and typed.isdigit()):
                limit = str(rules.EVERY_DAYS_MAX)
                message = self.tr("间隔天数应为 1–%1 的整数。").replace("%1", limit)
                self.errors.show(ValidationError(message, "every_days"))
                return
            every = int(typed)
        first = _day(self.first_due)
        self._call(lambda: plans.add_plan(db, actor, pid, mode, rhythm, every, first), self._done)


class ReasonDialog(_ViewForm):
    """One reason, then ``op(reason)`` (结束计划, 作废探访)."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        what: str,
        key: str,
        op: Callable[[str], ProfileView],
        act: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, title, parent)
        self.op = op
        self.ok_text(act)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("至少 2 个字"))
        self._layout.insertWidget(0, _note(what))
        self.add_row(self.tr("原因"), key, self.reason)

    def submit(self) -> None:
        """Call the service with the reason typed."""
        op, reason = self.op, self.reason.text()
        self._call(lambda: op(reason), self._done)


class EventDialog(_ViewForm):
    """登记重大变故 (住院, 丧亲 …): a visit falls due within 24 hours."""

    def __init__(
        self, ctx: AppContext, actor: Actor, profile: ProfileView, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("登记重大变故：%1").replace("%1", profile.name), parent)
        self.actor, self.profile = actor, profile
        self.kind = QComboBox()
        for code, label in rules.EVENTS.items():
            if code != "hazard":  # a hazard is raised from a visit
                self.kind.addItem(label, code)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：脑梗入住区医院"))
        self._layout.insertWidget(
            0, _note(self.tr("登记后，此人出现在待办探访中，须在 24 小时内探访。"))
        )
        self.add_row(self.tr("事件"), "kind", self.kind)
        self.add_row(self.tr("说明"), "event_note", self.note)
        self.ok_text(self.tr("登记"))

    def submit(self) -> None:
        """Record the event through the service."""
        db, actor, pid = self.ctx.db, self.actor, self.profile.id
        kind, note = str(self.kind.currentData()), self.note.text()
        self._call(lambda: visits.record_event(db, actor, pid, kind, note), self._done)


class StateDialog(_ViewForm):
    """登记去世 / 迁出 (or 迁回 for someone who moved away): the states the declared flow
    allows from the person's current one; asks before every plan is closed."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        profile: ProfileView,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("登记去世/迁出：%1").replace("%1", profile.name), parent)
        self.actor, self.profile = actor, profile
        row = QWidget()
        radios = QHBoxLayout(row)
        radios.setContentsMargins(0, 0, 0, 0)
        self.states = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        allowed = CARE_PERSON_FLOW.allowed(CarePersonState(profile.state))
        for state in CarePersonState:
            if state in allowed:
                label = CARE_PERSON_FLOW.label(state)
                if state == CarePersonState.ACTIVE:
                    label = self.tr("迁回（恢复在册）")
                radio = QRadioButton(label)
                self.states.addButton(radio)
                self.radios[state.value] = radio
                radios.addWidget(radio)
        radios.addStretch(1)
        self.on = _date_edit(today, date(2000, 1, 1), today)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：病故；迁往外省随子女生活"))
        self._layout.insertWidget(
            0, _note(self.tr("去世或迁出后，此人的全部探访计划自动结束，不能再登记探访。"))
        )
        self.add_row(self.tr("情况"), "state", row)
        self.add_row(self.tr("日期"), "state_on", self.on)
        self.add_row(self.tr("说明"), "state_note", self.note)
        self.ok_text(self.tr("登记"))
        if self.radios:  # the cursor on the first choice: arrows choose, Tab moves on
            self.inputs.insert(0, next(iter(self.radios.values())))

    def chosen(self) -> str:
        """The state ticked ("" if none)."""
        return next((s for s, r in self.radios.items() if r.isChecked()), "")

    def submit(self) -> None:
        """Ask first (plans close and cannot be reopened by this), then record it."""
        state = self.chosen()
        if state and state != CarePersonState.ACTIVE.value:
            label = CARE_PERSON_FLOW.label(CarePersonState(state))
            if not Confirm.ask(
                self,
                self.tr("确认登记"),
                self.tr("登记“%1”后，%2的全部探访计划将结束。确定登记？")
                .replace("%1", label)
                .replace("%2", self.profile.name),
                self.tr("确定登记"),
                self.tr("返回"),
            ):
                return
        db, actor, pid = self.ctx.db, self.actor, self.profile.id
        on, note = _day(self.on), self.note.text()
        self._call(lambda: profiles.set_person_state(db, actor, pid, state, on, note), self._done)
