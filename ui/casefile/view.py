"""The case view (案卷): everything about one case, and what the reader may do to it.

Opened from the approver's inbox, by scanning a receipt at the counter or in the back
office, and from the supervisor's case list. Each button is one service call; a conflict
(another approver was faster) shows a clear message and reloads, keeping what was typed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases import casefile, cases, outcomes, workflow
from app.cases.casefile import CaseFile
from app.cases.workflow import Decision, Moved
from app.db.session import Database
from app.errors import Conflict, DomainError
from app.roles import Permission
from app.states import CASE_FLOW, CaseState
from printing import decisions, receipt
from ui.casefile.actions import DecisionBox
from ui.casefile.archive_export import add_export_button
from ui.casefile.counter_box import CounterBox
from ui.casefile.pages_panel import add_pages_tab
from ui.context import AppContext
from ui.counter.printing import show_pdf
from ui.widgets import screen_room
from ui.widgets.tables import fill_rows, make_table

PREFERRED_SIZE = QSize(1180, 720)
BANNER = {
    "ok": "background: #E8F5E9; color: #1B5E20; padding: 6px; border-radius: 4px;",
    "warn": "background: #FFF3CD; color: #7A4F01; padding: 6px; border-radius: 4px;",
}


class CaseView(QDialog):
    """One case: its facts in tabs on the left, the reader's actions on the right.

    Signals:
        changed(): the case was changed from here (lists showing it should refresh).
    """

    changed = Signal()

    def __init__(
        self, ctx: AppContext, actor: Actor, file: CaseFile, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.file = ctx, actor, file
        self._sized = False
        self.header = QLabel()
        self.header.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.tabs = QTabWidget()
        self.basics = QWidget()
        self.basic_form = QFormLayout(self.basics)
        self.tabs.addTab(self.basics, self.tr("基本信息"))
        self.fields_table = make_table([self.tr("填报项"), self.tr("内容")], stretch=False)
        self.tabs.addTab(self.fields_table, self.tr("申请表"))
        self.materials_table = make_table([self.tr("材料"), self.tr("收取情况")], stretch=False)
        self.tabs.addTab(self.materials_table, self.tr("申请材料"))
        self.tasks_table = make_table(
            [self.tr(h) for h in ("环节", "部门", "结果", "办理人", "意见", "办结时间", "说明")],
            stretch=False,
        )
        self.tabs.addTab(self.tasks_table, self.tr("审批记录"))
        self.history_table = make_table(
            [self.tr(h) for h in ("时间", "操作人", "操作", "说明")], stretch=False
        )
        self.tabs.addTab(self.history_table, self.tr("办理历史"))

        self.decision = DecisionBox()
        self.decision.decided.connect(self.decide)
        self.pages = add_pages_tab(self.tabs, ctx, actor, file, self.decision.propose_items)
        self.decision.claim.connect(lambda t, v: self._task_op(workflow.claim, t, v, "已签收。"))
        self.decision.release.connect(
            lambda t, v: self._task_op(workflow.release, t, v, "已退回部门待办。")
        )
        self.counter = CounterBox(ctx)
        self.counter.act.connect(self.counter_action)
        self.documents = QGroupBox(self.tr("文书"))
        self.documents_box = QVBoxLayout(self.documents)

        right = QVBoxLayout()
        right.addWidget(self.decision)
        right.addWidget(self.counter)
        right.addWidget(self.documents)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.tabs, 3)
        self.side = QWidget()  # hidden for a reader with nothing to do: the facts take it all
        self.side.setLayout(right)
        self.side.setMinimumWidth(430)
        body.addWidget(self.side, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.export_button = add_export_button(close, ctx, actor, lambda: self.file, self.say)
        main = QVBoxLayout(self)
        main.addWidget(self.header)
        main.addWidget(self.banner)
        main.addLayout(body, 1)
        main.addWidget(close)
        self.show_file(file)

    # --- showing -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Sized on first showing, for the screen it opens on (1366×768 leaves it less)."""
        if not self._sized and not event.spontaneous():
            self._sized = True
            screen_room.resize_within(self, PREFERRED_SIZE)
        super().showEvent(event)  # then QDialog centres it on its parent

    def show_file(self, file: CaseFile) -> None:
        """Fill every part of the view from ``file``."""
        self.file = file
        self.setWindowTitle(self.tr("办件 {no}").format(no=file.case_no))
        step = f"  ·  {file.step_name}" if file.step_name else ""
        self.header.setText(f"{file.case_no}  {file.service_name}  ·  {file.state_label}{step}")
        self._basics(file)
        fill_rows(self.fields_table, list(file.fields))
        fill_rows(self.materials_table, [(m.name, m.detail) for m in file.materials])
        fill_rows(
            self.tasks_table,
            [
                (
                    t.step_name,
                    t.department,
                    t.state_label,
                    t.assignee,
                    t.opinion,
                    t.decided_at,
                    t.note,
                )
                for t in file.tasks
            ],
        )
        fill_rows(self.history_table, [(h.at, h.actor, h.action, h.note) for h in file.history])
        self.decision.setVisible(bool(file.my_tasks))
        if file.my_tasks:
            self.decision.load(file)
        self.counter.load(file, self.actor)
        self._document_buttons(file)
        self.side.setVisible(
            not all(box.isHidden() for box in (self.decision, self.counter, self.documents))
        )

    def _basics(self, file: CaseFile) -> None:
        while self.basic_form.rowCount():
            self.basic_form.removeRow(0)
        due = ""
        if file.due_date:
            due = file.due_date.isoformat()
            if file.clock_stopped:
                due += self.tr("（计时暂停中，恢复后顺延）")
            elif file.days_left is not None:
                due += (
                    self.tr("（已超期 {n} 个工作日）").format(n=-file.days_left)
                    if file.days_left < 0
                    else self.tr("（剩 {n} 个工作日）").format(n=file.days_left)
                )
        rows: list[tuple[str, str]] = [
            (self.tr("事项"), f"{file.service_name}（{file.service_code}）"),
            (self.tr("主管部门"), file.department),
            (self.tr("申请人"), f"{file.applicant_name}  {file.applicant_id_masked}"),
            (self.tr("联系电话"), file.applicant_phone_masked),
            (self.tr("代办人"), file.agent),
            (self.tr("受理时间"), file.accepted_at),
            (self.tr("状态"), file.state_label),
            (self.tr("承诺办结"), due),
            (
                self.tr("暂停计时"),
                self.tr("{n} 个工作日").format(n=file.suspended_days)
                if file.suspended_days
                else "",
            ),
            (self.tr("公示截止"), file.publicity_until.isoformat() if file.publicity_until else ""),
            (self.tr("待补正"), "；".join(file.supplement_items)),
            (self.tr("结果说明"), file.decision_reason),
            (self.tr("领取人"), file.collector),
        ]
        for label, value in rows:
            if value:
                shown = QLabel(value)
                shown.setWordWrap(True)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.basic_form.addRow(label, shown)

    def _document_buttons(self, file: CaseFile) -> None:
        while self.documents_box.count():
            item = self.documents_box.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        issuer = self.actor.can(Permission.APPROVE) or self.actor.can(Permission.INTAKE)
        if issuer and file.state == CaseState.AWAITING_SUPPLEMENT:
            self._doc_button(self.tr("打印补正通知书"), self.print_supplement)
        if issuer and file.state in (CaseState.COMPLETED, CaseState.REJECTED):
            label = "打印办结通知书" if file.state == CaseState.COMPLETED else "打印不予批准决定书"
            self._doc_button(self.tr(label), self.print_decision)
        if issuer:
            for doc_id, kind in file.documents:
                label = cases.DOCUMENT_LABELS.get(kind, kind)
                self._doc_button(
                    self.tr("补打{label}").format(label=label), self._reprinter(doc_id, label)
                )
        archived = {kind for _doc_id, kind in file.documents}
        if self.actor.can(Permission.INTAKE) and file.accepted_at and "receipt" not in archived:
            # Accepted, but no receipt was archived (the PC stopped after the commit).
            self._doc_button(self.tr("补打受理回执"), self.print_receipt_again)
        self.documents.setVisible(self.documents_box.count() > 0)

    def _reprinter(self, document_id: int, label: str) -> Callable[[], None]:
        return lambda: self.reprint(document_id, label)

    def _doc_button(self, text: str, slot: Callable[[], None]) -> None:
        button = QPushButton(text)
        button.clicked.connect(lambda _=False: slot())
        self.documents_box.addWidget(button)

    def say(self, message: str, kind: str = "ok") -> None:
        """A line above the tabs: what just happened, or why it did not."""
        self.banner.setText(message)
        self.banner.setStyleSheet(BANNER[kind])
        self.banner.show()

    def banner_text(self) -> str:
        """The message shown above the tabs ("" when none) — for tests."""
        return "" if self.banner.isHidden() else self.banner.text()

    # --- acting ------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the case again (after a change here or a conflict)."""
        self.ctx.ops.run(
            lambda: casefile.open_case(self.ctx.db, self.actor, self.file.id),
            self.show_file,
            lambda e: self.say(e.message, "warn"),
            parent=self,
        )

    def _refused(self, error: DomainError, show: Callable[[DomainError], None]) -> None:
        if isinstance(error, Conflict):
            self.say(error.message, "warn")
            self.reload()
        else:
            show(error)

    def decide(self, d: Decision) -> None:
        """Submit the approver's decision."""
        self.ctx.ops.run(
            lambda: workflow.decide(self.ctx.db, self.actor, d),
            self._decided,
            lambda e: self._refused(e, self.decision.show_error),
            parent=self,
        )

    def _decided(self, moved: Moved) -> None:
        state = CASE_FLOW.label(moved.state)
        after = f"，进入“{moved.step}”" if moved.step else ""
        ready = "，已通知申请人到综合窗口领取" if moved.ready_for_pickup else ""
        self.say(
            self.tr("已提交。办件{state}{after}{ready}。").format(
                state=state, after=after, ready=ready
            )
        )
        self.decision.clear_input()
        self.changed.emit()
        self.reload()

    def _task_op(self, op: Any, task_id: int, version: int, done: str) -> None:
        self.ctx.ops.run(
            lambda: op(self.ctx.db, self.actor, task_id, version),
            lambda _v: self._after(self.tr(done)),
            lambda e: self._refused(e, self.decision.show_error),
            parent=self,
        )

    def _after(self, message: str) -> None:
        self.say(message)
        self.changed.emit()
        self.reload()

    def counter_action(self, kind: str, note: str) -> None:
        """补正材料已收 / 公示异议 / 撤回, with the note typed.

        撤回 is asked about first (the default answer keeps the application); without a
        reason the service's own message says one is needed, with no question before it.
        """
        if kind == "withdraw" and note.strip() and not self.counter.confirm_withdraw(self.file):
            return
        resubmit = functools.partial(workflow.resubmit, pages=self.counter.pages())
        ops: dict[str, tuple[Callable[[Database, Actor, int, str], Moved], str]] = {
            "resubmit": (resubmit, "补正材料已登记，办件已回到审批。"),
            "objection": (workflow.object_to_publicity, "异议已登记，办件退回审查。"),
            "withdraw": (workflow.withdraw, "申请已撤回。"),
        }
        op, done = ops[kind]
        self.ctx.ops.run(
            lambda: op(self.ctx.db, self.actor, self.file.id, note),
            lambda _m: self._counter_done(self.tr(done)),
            lambda e: self._refused(e, self.counter.show_error),
            parent=self,
        )

    def _counter_done(self, message: str) -> None:
        self.counter.note.clear()
        self.counter.clear_pages()
        self._after(message)

    def print_supplement(self) -> None:
        """补正通知书 for the applicant (saved with the case)."""
        self._print(
            lambda: outcomes.supplement_notice(
                self.ctx.db, self.actor, self.file.id, decisions.render_supplement
            ),
            self.tr("补正通知书"),
        )

    def print_decision(self) -> None:
        """办结通知书 or 不予批准决定书 (saved with the case)."""
        label = "办结通知书" if self.file.state == CaseState.COMPLETED else "不予批准决定书"
        self._print(
            lambda: outcomes.decision_notice(
                self.ctx.db, self.actor, self.file.id, decisions.render_decision
            ),
            self.tr(label),
        )

    def print_receipt_again(self) -> None:
        """补打受理回执 made again from the case (none was archived); audited."""

        def done(result: tuple[bytes, str]) -> None:
            pdf, warning = result
            show_pdf(self, pdf, f"{self.tr('受理回执')} {self.file.case_no}")
            if warning:
                self.say(warning, "warn")
            self.reload()

        self.ctx.ops.run(
            lambda: cases.receipt_again(self.ctx.db, self.actor, self.file.id, receipt.render),
            done,
            lambda e: self.say(e.message, "warn"),
            parent=self,
        )

    def reprint(self, document_id: int, label: str) -> None:
        """补打 a saved document (audited)."""
        self._print(lambda: cases.document_pdf(self.ctx.db, self.actor, document_id), label)

    def _print(self, op: Callable[[], bytes], label: str) -> None:
        def done(pdf: bytes) -> None:
            show_pdf(self, pdf, f"{label} {self.file.case_no}")
            self.reload()

        self.ctx.ops.run(op, done, lambda e: self.say(e.message, "warn"), parent=self)


def open_case_view(
    ctx: AppContext,
    actor: Actor,
    file: CaseFile,
    parent: QWidget,
    on_change: Callable[[], None] | None = None,
) -> CaseView:
    """Open the view without blocking the window behind it."""
    view = CaseView(ctx, actor, file, parent)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_change is not None:
        view.changed.connect(on_change)
    view.open()
    return view
