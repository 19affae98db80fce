"""登记探访: one visit — mode, the plan it counts for, when, what was found (health, mood,
needs, hazards), what was done and promised, a need passed to the counter (a draft
application there) and a hazard to follow up within 24 hours.

One service call (:func:`app.care.visits.record_visit`); a refusal shows under the field
it names and the dialog keeps everything typed. Keys: Ctrl+Enter 登记, Esc 取消; Tab
moves through the notes (Enter in a note is a new line).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QSize
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import rules, visits
from app.care.views import PlanView, ProfileView, VisitInput
from app.care.visits import BACKDATE_DAYS, VisitResult
from ui.care.common import DateTimeEdit, call, local_to_utc
from ui.context import AppContext
from ui.widgets import screen_room
from ui.widgets.field_errors import FieldErrors

NO_PLAN = -1
PlanChoice = tuple[int, str, str]  # plan id, mode, "上门（每周）· 下次 2026-12-07"


def _labelled(widget: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(1)
    v.addWidget(widget)
    v.addWidget(error)
    return box


class VisitDialog(QDialog):
    """Record a visit to one person; ``result_view`` and ``outcome`` once recorded."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        profile_id: int,
        name: str,
        plans: list[PlanChoice],
        plan_id: int | None = None,
        mode: str = "",
        about: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.profile_id, self.name = ctx, actor, profile_id, name
        self.plan_choices = plans
        self.recorded: VisitResult | None = None
        self.result_view: ProfileView | None = None
        self.outcome = ""
        self.setWindowTitle(self.tr("登记探访：%1").replace("%1", name))
        general = QLabel()
        general.setObjectName("general_error")
        self.errors = FieldErrors(general)
        e = self.errors

        self.mode = QComboBox()
        for code, label in rules.MODES.items():
            self.mode.addItem(label, code)
        self.plan = QComboBox()
        for pid, _mode, label in plans:
            self.plan.addItem(label, pid)
        self.plan.addItem(self.tr("按探访方式自动计入"), NO_PLAN)
        now = QDateTime.currentDateTime()
        self.when = DateTimeEdit(now)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setDateTimeRange(now.addDays(-BACKDATE_DAYS), now.addSecs(5 * 60))
        self.when.setToolTip(
            self.tr("默认为现在；可补记 %1 天内的探访").replace("%1", str(BACKDATE_DAYS))
        )
        self.time_touched = False
        self.when.dateTimeChanged.connect(self._time_changed)
        self.findings: dict[str, QPlainTextEdit] = {}
        hints = {
            "health": self.tr("血压、用药、行动、睡眠…"),
            "mood": self.tr("情绪、孤独感、言语…"),
            "needs": self.tr("想申请的补贴、助餐、维修…"),
            "hazards": self.tr("燃气、电线、跌倒风险、门锁…"),
        }
        left = QFormLayout()
        left.addRow(self.tr("探访方式"), _labelled(self.mode, e.add("mode", self.mode)))
        left.addRow(self.tr("计入计划"), _labelled(self.plan, e.add("plan_id", self.plan)))
        left.addRow(self.tr("探访时间"), _labelled(self.when, e.add("visited_at", self.when)))
        for key, label in rules.FINDINGS.items():
            edit = self._note(hints[key], 52)
            self.findings[key] = edit
            left.addRow(label, _labelled(edit, e.add(f"findings.{key}", edit)))
        e.alias("findings", "findings.health")

        self.actions_edit = self._note(self.tr("当场做了什么：送药、联系家属、报修…"), 64)
        self.promised = self._note(self.tr("答应下次做的事，下次走访时提示"), 64)
        self.refer = QComboBox()
        self.refer.addItem(self.tr("不转办"), None)
        for code, service in rules.REFERRALS.items():
            self.refer.addItem(f"{service}（{code}）", code)
        self.urgent = QCheckBox(self.tr("发现隐患，需 24 小时内跟进探访"))
        self.urgent_note = QLineEdit()
        self.urgent_note.setPlaceholderText(self.tr("隐患说明（空则取“安全隐患”一栏）"))
        self.urgent_note.setEnabled(False)
        self.urgent.toggled.connect(self.urgent_note.setEnabled)
        refer_hint = QLabel(self.tr("转办后，窗口在该居民的暂存件中找到这份申请，核实后受理。"))
        refer_hint.setWordWrap(True)
        refer_hint.setStyleSheet("color: #555;")
        right = QFormLayout()
        right.addRow(
            self.tr("处置情况"), _labelled(self.actions_edit, e.add("actions", self.actions_edit))
        )
        right.addRow(
            self.tr("承诺事项"), _labelled(self.promised, e.add("promised", self.promised))
        )
        right.addRow(self.tr("转窗口办理"), _labelled(self.refer, e.add("refer", self.refer)))
        right.addRow("", refer_hint)
        right.addRow(self.tr("隐患跟进"), _labelled(self.urgent, e.add("urgent", self.urgent)))
        right.addRow("", _labelled(self.urgent_note, e.add("urgent_note", self.urgent_note)))

        columns = QHBoxLayout()
        for n, form in enumerate((left, right)):
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch(1)  # rows keep their height; the room left stays below
            if n:
                columns.addSpacing(12)
            columns.addLayout(column, 1)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(
            self.tr("登记 (Ctrl+Enter)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(
            self.tr("取消 (Esc)"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setAutoDefault(False)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.submit)
        head = QLabel(
            self.tr("为 %1 登记探访").replace("%1", name) + (f" · {about}" if about else "")
        )
        head.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(columns)
        layout.addWidget(general)
        layout.addWidget(self.buttons)

        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.plan.currentIndexChanged.connect(self._plan_changed)
        if plan_id is not None and self.plan.findData(plan_id) >= 0:
            self.plan.setCurrentIndex(self.plan.findData(plan_id))
            self._plan_changed()
        else:
            self.plan.setCurrentIndex(self.plan.findData(NO_PLAN))
        if mode and self.mode.findData(mode) >= 0 and plan_id is None:
            self.mode.setCurrentIndex(self.mode.findData(mode))
        chain: list[QWidget] = [self.mode, self.plan, self.when, *self.findings.values()]
        chain += [
            self.actions_edit,
            self.promised,
            self.refer,
            self.urgent,
            self.urgent_note,
            self.ok,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        screen_room.resize_within(self, QSize(940, self.sizeHint().height()))
        # Opened for a row of the due list, the mode and plan are set: typing starts with
        # what was found (身体状况); opened bare, with the mode.
        preset = plan_id is not None or bool(mode)
        (self.findings["health"] if preset else self.mode).setFocus()

    def _note(self, hint: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(hint)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(height)
        return edit

    def _time_changed(self) -> None:
        self.time_touched = True

    def _plan_changed(self) -> None:
        """A plan chosen: its mode with it (a plan counts visits of its own mode)."""
        pid = self.plan.currentData()
        mode = next((m for p, m, _l in self.plan_choices if p == pid), None)
        if mode is not None and self.mode.currentData() != mode:
            self.mode.blockSignals(True)
            self.mode.setCurrentIndex(self.mode.findData(mode))
            self.mode.blockSignals(False)

    def _mode_changed(self) -> None:
        """Another mode: the plan stays only if it is of that mode."""
        pid = self.plan.currentData()
        mode = next((m for p, m, _l in self.plan_choices if p == pid), None)
        if mode is not None and mode != self.mode.currentData():
            self.plan.blockSignals(True)
            self.plan.setCurrentIndex(self.plan.findData(NO_PLAN))
            self.plan.blockSignals(False)

    def value(self) -> VisitInput:
        """The visit as the service takes it."""
        pid = self.plan.currentData()
        at: datetime | None = None
        if self.time_touched:
            at = local_to_utc(self.when.dateTime().toPython())  # type: ignore[arg-type]
        return VisitInput(
            profile_id=self.profile_id,
            mode=str(self.mode.currentData()),
            findings={k: e.toPlainText() for k, e in self.findings.items()},
            actions=self.actions_edit.toPlainText(),
            promised=self.promised.toPlainText(),
            plan_id=None if pid == NO_PLAN else int(pid),
            visited_at=at,
            refer=self.refer.currentData(),
            urgent=self.urgent.isChecked(),
            urgent_note=self.urgent_note.text() if self.urgent.isChecked() else "",
        )

    def submit(self) -> None:
        """登记: one call; on success the dialog closes with ``outcome`` said."""
        if not self.ok.isEnabled():
            return
        inp = self.value()
        db, actor = self.ctx.db, self.actor
        call(
            self.ctx,
            self,
            lambda: visits.record_visit(db, actor, inp),
            lambda result: self._recorded(inp, result),
            self.errors,
            (self.ok,),
        )

    def _recorded(self, inp: VisitInput, result: VisitResult) -> None:
        self.recorded, self.result_view = result, result.profile
        self.outcome = outcome_text(self.name, inp, result)
        self.accept()


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitDialog", text)


def outcome_text(name: str, inp: VisitInput, result: VisitResult) -> str:
    """What happened, in words: the draft at the counter, the follow-up, the next visit."""
    parts = [_tr("已登记。")]
    if result.draft_case_id is not None and inp.refer:
        service = rules.REFERRALS.get(inp.refer, inp.refer)
        text = _tr("已为{name}生成{service}暂存件，窗口可在该申请人的暂存件中找到。")
        parts.append(text.format(name=name, service=service))
    if inp.urgent:
        parts.append(_tr("隐患已列入 24 小时内跟进探访。"))
    plan = next(
        (p for p in result.profile.plans if p.active and p.id == inp.plan_id),
        next((p for p in result.profile.plans if p.active and p.mode == inp.mode), None),
    )
    if plan is not None:
        when = plan.rhythm_label
        if plan.due_label.startswith("逾期") or plan.due_label == "今日到期":
            when += f"，{plan.due_label}"  # a visit recorded late: the plan is still behind
        text = _tr("下次{mode}探访：{due}（{when}）。")
        parts.append(text.format(mode=plan.mode_label, due=plan.next_due.isoformat(), when=when))
    return "".join(parts)


def plan_choices(plans: Iterable[PlanView]) -> list[PlanChoice]:
    """The open plans of a profile as the dialog offers them."""
    out: list[PlanChoice] = []
    for p in plans:
        if p.active:
            label = f"{p.mode_label}（{p.rhythm_label}）· {p.due_label}"
            out.append((p.id, p.mode, label))
    return out
