"""The dispute's small forms, each one service call: 登记调解过程, 升级 / 撤回 / 调解不成 (a
reason), 达成协议 (the agreement's fields), 回访. Enter confirms, Esc cancels, a refusal
shows under its field with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.actor import Actor
from app.mediation import rules as mrules
from app.mediation.views import AgreementInput, DisputeView, Mediator, SessionInput
from ui.care.common import CareForm, DateEdit
from ui.context import AppContext


def _date(shown: date) -> DateEdit:
    edit = DateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(shown.year, shown.month, shown.day))
    return edit


def _day(edit: DateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _long(height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.replace(",", "、").replace("，", "、").split("、") if n.strip()]


class StepForm(CareForm):
    """A form whose one call returns the dispute as it now is (``view``)."""

    view: DisputeView | None = None

    def __init__(self, ctx: AppContext, actor: Actor, title: str, parent: QWidget | None) -> None:
        super().__init__(ctx, title, parent)
        self.actor = actor

    def run(self, op: Callable[[], DisputeView]) -> None:
        def done(view: DisputeView) -> None:
            self.view = view
            self.accept()

        self._call(op, done)


class SessionDialog(StepForm):
    """登记调解过程: day, place, 调解员 and invited 乡贤 / 律师 / 心理咨询师 (names separated
    by 、), the record."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        view: DisputeView,
        op: Callable[[SessionInput], DisputeView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, actor, self.tr("登记调解过程"), parent)
        self.op = op
        self.held_on = _date(view.today)
        self.place = QLineEdit()
        self.by_role: dict[str, QLineEdit] = {}
        self.add_row(self.tr("调解日期"), "held_on", self.held_on)
        self.add_row(self.tr("地点"), "place", self.place)
        for role in mrules.ROLES[:4]:
            edit = QLineEdit(actor.full_name if role == "调解员" else "")
            edit.setPlaceholderText(self.tr("多人以“、”分隔"))
            self.by_role[role] = edit
        self.add_row(self.tr("调解员"), "mediators", self.by_role["调解员"])
        for role in mrules.ROLES[1:4]:
            self.add_row(
                self.tr("邀请%1").replace("%1", role), f"invited_{role}", self.by_role[role]
            )
        self.record = _long(120)
        self.add_row(self.tr("调解记录"), "record", self.record)
        self.ok_text(self.tr("登记"))

    def submit(self) -> None:
        mediators = tuple(
            Mediator(name, role)
            for role, edit in self.by_role.items()
            for name in _names(edit.text())
        )
        inp = SessionInput(
            _day(self.held_on), mediators, self.record.toPlainText(), self.place.text()
        )
        self.run(lambda: self.op(inp))


class ReasonDialog(StepForm):
    """A reason for 升级, 撤回 or 调解不成 (that one also asks that the parties were told of
    litigation or arbitration)."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        title: str,
        field: str,
        op: Callable[[str, bool], DisputeView],
        told: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, actor, title, parent)
        self.op = op
        self.reason = QLineEdit()
        self.add_row(self.tr("原因"), field, self.reason)
        self.told: QCheckBox | None = None
        if told:
            self.told = QCheckBox(self.tr("已告知当事人可通过仲裁、行政或诉讼途径解决"))
            self.add_row("", "told", self.told)
        self.ok_text(self.tr("确定"))

    def submit(self) -> None:
        reason, told = self.reason.text(), self.told is not None and self.told.isChecked()
        self.run(lambda: self.op(reason, told))


class AgreementDialog(StepForm):
    """达成协议: the 人民调解协议书's fields (人民调解法 第二十九条)."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        view: DisputeView,
        op: Callable[[AgreementInput], DisputeView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, actor, self.tr("登记人民调解协议"), parent)
        self.op = op
        self.facts = _long(60)
        self.facts.setPlainText(view.facts)
        self.issues, self.liability, self.terms = _long(50), _long(50), _long(80)
        self.way = QLineEdit()
        self.way.setPlaceholderText(self.tr("如：现金一次性支付"))
        self.perform_by = _date(view.today)
        self.signed_on = _date(view.today)
        for label, key, w in (
            (self.tr("主要事实"), "facts", self.facts),
            (self.tr("争议事项"), "issues", self.issues),
            (self.tr("各方责任"), "liability", self.liability),
            (self.tr("协议内容"), "terms", self.terms),
            (self.tr("履行方式"), "performance_way", self.way),
            (self.tr("履行期限"), "perform_by", self.perform_by),
            (self.tr("签订日期"), "signed_on", self.signed_on),
        ):
            self.add_row(label, key, w)
        self.ok_text(self.tr("登记协议"))

    def submit(self) -> None:
        inp = AgreementInput(
            self.facts.toPlainText(),
            self.issues.toPlainText(),
            self.liability.toPlainText(),
            self.terms.toPlainText(),
            self.way.text(),
            _day(self.perform_by),
            _day(self.signed_on),
        )
        self.run(lambda: self.op(inp))


class FollowUpDialog(StepForm):
    """回访: which one, the performance found, a note (required when not performed)."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        kinds: list[str],
        op: Callable[[str, str, str], DisputeView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, actor, self.tr("登记回访"), parent)
        self.op = op
        self.kind = QComboBox()
        for kind in kinds:
            self.kind.addItem(mrules.FOLLOW_UP_LABELS[kind], kind)
        self.performance = QComboBox()
        for code, label in mrules.PERFORMANCE.items():
            self.performance.addItem(label, code)
        self.note = _long(70)
        self.add_row(self.tr("回访"), "kind", self.kind)
        self.add_row(self.tr("履行情况"), "performance", self.performance)
        self.add_row(self.tr("回访情况"), "note", self.note)
        self.ok_text(self.tr("登记回访"))

    def submit(self) -> None:
        kind, how = str(self.kind.currentData()), str(self.performance.currentData())
        note = self.note.toPlainText()
        self.run(lambda: self.op(kind, how, note))
