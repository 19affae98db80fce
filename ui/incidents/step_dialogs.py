"""The small forms of an event's steps: a reason (不予受理, 退单, 返工), 派遣 (主办 and 抄送
departments), 挂账 (review day and reason), 并单 (the open event's number), 反馈 (result
and photos), 延期申请 and its approval. Each is one service call; Enter confirms, Esc
cancels, a refusal shows under its field and what was typed stays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from app.errors import ValidationError
from app.incidents.lifecycle import catalog
from ui.care.common import CareForm, DateEdit
from ui.context import AppContext
from ui.incidents.photos_row import PhotosRow

T = TypeVar("T")


def _line(hint: str = "") -> QLineEdit:
    """A reason's one-line input: Enter confirms the form (the button says so)."""
    edit = QLineEdit()
    edit.setMaxLength(500)
    edit.setPlaceholderText(hint)
    return edit


def _text_box(height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class StepForm(CareForm):
    """A step's form: :attr:`outcome_value` holds what the call returned once it succeeded."""

    outcome_value: object = None

    def run(self, op: Callable[[], T]) -> None:
        """The form's one call; closes the form when it succeeds."""

        def done(value: T) -> None:
            self.outcome_value = value
            self.accept()

        self._call(op, done)


class ReasonDialog(StepForm):
    """A step that needs a reason (不予受理, 退单, 返工): ``act(reason)`` is its call."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        label: str,
        act: Callable[[str], object],
        parent: QWidget | None = None,
        about: str = "",
    ) -> None:
        super().__init__(ctx, title, parent)
        self.act = act
        if about:
            head = QLabel(about)
            head.setWordWrap(True)
            self._layout.insertWidget(0, head)
        self.reason = _line(self.tr("至少 4 个字"))
        self.add_row(label, "reason", self.reason)
        self.ok_text(title)

    def submit(self) -> None:
        """Take the step with the reason typed."""
        act, text = self.act, self.reason.text()
        self.run(lambda: act(text))


class DispatchDialog(StepForm):
    """派遣: the 主办 department and any 抄送 ones; ``act(lead, cc)`` is the call."""

    def __init__(
        self,
        ctx: AppContext,
        act: Callable[[str, tuple[str, ...]], object],
        parent: QWidget | None = None,
        about: str = "",
        suggested: str | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("派遣"), parent)
        self.act = act
        if about:
            head = QLabel(about)
            head.setWordWrap(True)
            self._layout.insertWidget(0, head)
        self.lead = QComboBox()
        self.lead.addItem(self.tr("— 请选择 —"), "")
        departments = catalog().handling
        for code, name in departments.items():
            self.lead.addItem(name, code)
        if suggested:
            self.lead.setCurrentIndex(max(0, self.lead.findData(suggested)))
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.cc: dict[str, QCheckBox] = {}
        for n, (code, name) in enumerate(departments.items()):
            check = QCheckBox(name)
            self.cc[code] = check
            grid.addWidget(check, n // 2, n % 2)
        self.add_row(self.tr("主办部门"), "lead", self.lead)
        self.add_row(self.tr("抄送部门"), "cc", box)
        self.ok_text(self.tr("派遣"))

    def submit(self) -> None:
        """Dispatch to the chosen departments."""
        lead = str(self.lead.currentData() or "")
        cc = tuple(code for code, check in self.cc.items() if check.isChecked())
        act = self.act
        self.run(lambda: act(lead, cc))


class ShelveDialog(StepForm):
    """挂账: the day to look at it again and why it cannot be solved now."""

    def __init__(
        self,
        ctx: AppContext,
        act: Callable[[date, str], object],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("挂账"), parent)
        self.act = act
        shown = today + timedelta(days=30)
        self.review = DateEdit()
        self.review.setCalendarPopup(True)
        self.review.setDisplayFormat("yyyy-MM-dd")
        self.review.setDate(QDate(shown.year, shown.month, shown.day))
        self.reason = _line(self.tr("至少 4 个字"))
        self.add_row(self.tr("复查日期"), "review_on", self.review)
        self.add_row(self.tr("挂账理由"), "reason", self.reason)
        self.ok_text(self.tr("挂账"))

    def submit(self) -> None:
        """Shelve it until the review day."""
        d = self.review.date()
        day, text, act = date(d.year(), d.month(), d.day()), self.reason.text(), self.act
        self.run(lambda: act(day, text))


class MergeDialog(StepForm):
    """并单: the number of the open event this one duplicates (typed or scanned)."""

    def __init__(
        self, ctx: AppContext, act: Callable[[str], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("并单"), parent)
        self.act = act
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("扫描或输入同一地点在办事件的编号"))
        self.add_row(self.tr("合并到"), "into", self.number)
        self.ok_text(self.tr("并单"))

    def submit(self) -> None:
        """Merge into the event with that number."""
        act, number = self.act, self.number.text()
        self.run(lambda: act(number))


class FeedbackDialog(StepForm):
    """反馈: what was done, with photos; ``act(result, paths)`` is the call."""

    def __init__(
        self,
        ctx: AppContext,
        act: Callable[[str, list[Path]], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("处置反馈"), parent)
        self.act = act
        self.outcome = _text_box(110)
        self.photos = PhotosRow()
        self.add_row(self.tr("处置结果"), "result", self.outcome)
        self.add_row(self.tr("处置照片"), "photos", self.photos)
        # The result is several lines (Enter starts a new one): Ctrl+Enter submits.
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("提交反馈 (Ctrl+Enter)"))
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, ok.animateClick)

    def submit(self) -> None:
        """Feed back the result (the photos read in the same call)."""
        act, text, paths = self.act, self.outcome.toPlainText(), list(self.photos.paths)
        self.run(lambda: act(text, paths))


class ExtensionDialog(StepForm):
    """延期申请: working hours asked for and the reason; ``act(hours, reason)``."""

    def __init__(
        self, ctx: AppContext, act: Callable[[int, str], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("申请延期"), parent)
        self.act = act
        self.hours = QLineEdit()
        self.hours.setPlaceholderText(self.tr("工作小时，如 8（一个工作日为 7 小时）"))
        self.reason = _line(self.tr("至少 4 个字"))
        self.add_row(self.tr("延期时长"), "hours", self.hours)
        self.add_row(self.tr("延期理由"), "reason", self.reason)
        self.ok_text(self.tr("提交申请"))

    def submit(self) -> None:
        """Ask for the extension (the hours as typed: a non-number is refused here)."""
        raw = self.hours.text().strip()
        if not raw.isdigit():
            self.errors.show(ValidationError("请输入延期的工作小时数（整数）。", "hours"))
            return
        act, hours, text = self.act, int(raw), self.reason.text()
        self.run(lambda: act(hours, text))


class DecideExtensionDialog(StepForm):
    """The dispatcher's decision on a 延期申请; ``act(approve, note)``."""

    def __init__(
        self,
        ctx: AppContext,
        about: str,
        act: Callable[[bool, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("延期审批"), parent)
        self.act = act
        head = QLabel(about)
        head.setWordWrap(True)
        self._layout.insertWidget(0, head)
        self.approve = QRadioButton(self.tr("同意延期 (&Y)"))
        self.refuse = QRadioButton(self.tr("不同意 (&N)"))
        self.approve.setChecked(True)
        choice = QWidget()
        row = QGridLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.approve, 0, 0)
        row.addWidget(self.refuse, 0, 1)
        self.note = _line(self.tr("不同意时必填"))
        self.add_row(self.tr("审批结果"), "decision", choice)
        self.add_row(self.tr("审批意见"), "note", self.note)
        self.ok_text(self.tr("确定"))

    def submit(self) -> None:
        """Record the decision."""
        act, yes, text = self.act, self.approve.isChecked(), self.note.text()
        self.run(lambda: act(yes, text))
