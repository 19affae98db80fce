"""The steps an event's viewer may take now, as buttons under its file, each with its key:

* 派单员 (and the supervisor): 受理 F3, 派遣… F4, 不予受理… F6, 并单… F7, 挂账… F8,
  核查通过 F9, 返工… F10, 延期审批… F11;
* the 主办 department's staff: 签收 F3, 退单… F6, 申请延期… F7, 添加处置照片… F8,
  处置反馈… F9 (their keys only for staff who do not also dispatch);
* 打印回执 Ctrl+P for whoever reports.

A button shows only when its step is declared from the event's state for this viewer. Each
step is one service call (through a small form where it needs input); after it, the list
and the file are read again (:attr:`Steps.done`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton

from app.actor import Actor
from app.errors import DomainError
from app.incidents import dispatching, extensions, lifecycle, pictures, receipt
from app.incidents.lifecycle import catalog
from app.incidents.lists import File
from app.roles import Permission
from app.states import IncidentState
from printing import incident_receipt
from ui.context import AppContext
from ui.counter.printing import show_pdf
from ui.incidents.file_pane import FilePane
from ui.incidents.photos_row import prepared
from ui.incidents.step_dialogs import (
    DecideExtensionDialog,
    DispatchDialog,
    ExtensionDialog,
    FeedbackDialog,
    MergeDialog,
    ReasonDialog,
    ShelveDialog,
    StepForm,
)

S = IncidentState


@dataclass(frozen=True)
class Step:
    """One button: who may, from which states, and what it does."""

    name: str
    label: str
    key: str
    who: str  # "dispatch", "dept" or "report"
    states: frozenset[IncidentState]
    run: Callable[[File], None]
    extra: Callable[[File], bool] = lambda _f: True


class Steps(QObject):
    """The step buttons of a :class:`FilePane`.

    Signals:
        done(str): a step succeeded (its outcome, said on the pane); the lists reload.
    """

    done = Signal(str)

    def __init__(self, ctx: AppContext, actor: Actor, pane: FilePane) -> None:
        super().__init__(pane)
        self.ctx, self.actor, self.pane = ctx, actor, pane
        self.dialog: QDialog | None = None
        d, g, r = "dispatch", "dept", "report"
        waiting = frozenset({S.ACCEPTED, S.RETURNED, S.SHELVED})
        self.steps = [
            Step("accept", "受理 (F3)", "F3", d, frozenset({S.REPORTED}), self.accept),
            Step("dispatch", "派遣… (F4)", "F4", d, waiting, self.dispatch),
            Step("refuse", "不予受理… (F6)", "F6", d, frozenset({S.REPORTED}), self.refuse),
            Step("merge", "并单… (F7)", "F7", d, frozenset({S.REPORTED, S.ACCEPTED}), self.merge),
            Step(
                "shelve",
                "挂账… (F8)",
                "F8",
                d,
                frozenset({S.ACCEPTED, S.RETURNED, S.SIGNED}),
                self.shelve,
            ),
            Step("pass", "核查通过 (F9)", "F9", d, frozenset({S.FED_BACK}), self.passed),
            Step("rework", "返工… (F10)", "F10", d, frozenset({S.FED_BACK}), self.rework),
            Step(
                "decide",
                "延期审批… (F11)",
                "F11",
                d,
                frozenset({S.SIGNED}),
                self.decide,
                lambda f: f.row.asked_extension,
            ),
            Step("sign", "签收 (F3)", "F3", g, frozenset({S.DISPATCHED}), self.sign),
            Step("send_back", "退单… (F6)", "F6", g, frozenset({S.DISPATCHED}), self.send_back),
            Step("extend", "申请延期… (F7)", "F7", g, frozenset({S.SIGNED}), self.extend),
            Step("photos", "添加处置照片… (F8)", "F8", g, frozenset({S.SIGNED}), self.add_photos),
            Step("feed_back", "处置反馈… (F9)", "F9", g, frozenset({S.SIGNED}), self.feed_back),
            Step("receipt", "打印回执 (Ctrl+P)", "Ctrl+P", r, frozenset(S), self.print_receipt),
        ]
        self.buttons: dict[str, QPushButton] = {}
        dispatches = actor.can(Permission.DISPATCH)
        for step in self.steps:
            if not self._may(step):
                continue
            button = QPushButton(self.tr(step.label))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=step: self._press(s))
            self.buttons[step.name] = button
            pane.buttons_row.addWidget(button)
            if step.who != "dept" or not dispatches:
                QShortcut(QKeySequence(step.key), pane.window(), button.animateClick)
        pane.buttons_row.addStretch(1)
        self.update()

    def _may(self, step: Step) -> bool:
        a = self.actor
        if step.who == "dispatch":
            return a.can(Permission.DISPATCH)
        if step.who == "dept":
            return a.can(Permission.APPROVE) and bool(a.departments)
        return any(a.can(p) for p in (Permission.INTAKE, Permission.DISPATCH, Permission.CARE))

    def shown(self, file: File | None, step: Step) -> bool:
        """Whether ``step``'s button shows for ``file``."""
        if file is None or file.row.state not in step.states or not step.extra(file):
            return False
        if step.who == "dept":
            return file.row.lead_code in self.actor.departments
        return True

    def update(self) -> None:
        """Buttons for the event the pane shows."""
        for step in self.steps:
            button = self.buttons.get(step.name)
            if button is not None:
                on = self.shown(self.pane.file, step)
                button.setVisible(on)
                button.setEnabled(on)

    def _press(self, step: Step) -> None:
        file = self.pane.file
        if file is not None and self.shown(file, step) and self.dialog is None:
            step.run(file)

    # --- running -------------------------------------------------------------------------

    def _call(self, op: Callable[[], object], said: str | Callable[[object], str]) -> None:
        """Run the step; ``said`` (or ``said(result)``) goes on the pane once it is done."""
        self.ctx.ops.run(
            op,
            lambda r: self.done.emit(said(r) if callable(said) else said),
            self.pane.show_error,
            self.pane,
            on_trouble=lambda e: self.pane.show_error(DomainError(e.message)),
        )

    def _form(self, dialog: StepForm, said: str) -> None:
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            dialog.deleteLater()
            self.pane.window().activateWindow()
            if result == QDialog.DialogCode.Accepted:
                self.done.emit(said)

        dialog.finished.connect(finished)
        dialog.open()

    def _ids(self, file: File) -> tuple[int, int]:
        return file.row.id, file.row.version

    # --- the dispatcher's steps ----------------------------------------------------------

    def accept(self, file: File) -> None:
        """受理 (and the catalog's 派遣 where it decides)."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        number = file.row.number

        def said(moved: object) -> str:
            lead = getattr(moved, "lead_dept", None)
            if lead:  # the 派单目录 dispatched it too
                name = catalog().departments.get(lead, lead)
                return (
                    self.tr("已受理 %1，派单目录已派往 %2。")
                    .replace("%1", number)
                    .replace("%2", name)
                )
            return self.tr("已受理 %1，请派遣 (F4)。").replace("%1", number)

        self._call(lambda: dispatching.accept_and_dispatch(db, actor, eid, version), said)

    def dispatch(self, file: File) -> None:
        """派遣… to the departments chosen."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        about = f"{file.row.number} · {file.row.what} · {file.row.address}"
        if file.reason:
            about += self.tr("\n上次退单理由：") + file.reason
        dialog = DispatchDialog(
            self.ctx,
            lambda lead, cc: dispatching.dispatch(db, actor, eid, version, lead, cc),
            self.pane,
            about,
        )
        self._form(dialog, self.tr("已派遣 %1。").replace("%1", file.row.number))

    def refuse(self, file: File) -> None:
        """不予受理… with the reason."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = ReasonDialog(
            self.ctx,
            self.tr("不予受理"),
            self.tr("理由（反映人在自助机上可见）"),
            lambda reason: lifecycle.refuse(db, actor, eid, version, reason),
            self.pane,
            file.row.number,
        )
        self._form(dialog, self.tr("%1 不予受理。").replace("%1", file.row.number))

    def merge(self, file: File) -> None:
        """并单… into the open event whose number is typed or scanned."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = MergeDialog(
            self.ctx,
            lambda number: dispatching.merge_by_number(db, actor, eid, version, number),
            self.pane,
        )
        self._form(dialog, self.tr("%1 已并单。").replace("%1", file.row.number))

    def shelve(self, file: File) -> None:
        """挂账… until a review day."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = ShelveDialog(
            self.ctx,
            lambda day, reason: lifecycle.shelve(db, actor, eid, version, day, reason),
            file.hall_day,
            self.pane,
        )
        self._form(dialog, self.tr("%1 已挂账。").replace("%1", file.row.number))

    def passed(self, file: File) -> None:
        """核查通过: 结案."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        self._call(
            lambda: lifecycle.verify(db, actor, eid, version, passed=True),
            self.tr("%1 核查通过，已结案。").replace("%1", file.row.number),
        )

    def rework(self, file: File) -> None:
        """返工… back to the department, with the reason."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = ReasonDialog(
            self.ctx,
            self.tr("返工"),
            self.tr("返工理由"),
            lambda reason: lifecycle.verify(db, actor, eid, version, False, reason),
            self.pane,
            f"{file.row.number}\n{self.tr('处置结果：')}{file.result}",
        )
        self._form(dialog, self.tr("%1 已返工。").replace("%1", file.row.number))

    def decide(self, file: File) -> None:
        """延期审批… of the request that waits."""
        waiting = [e for e in file.extensions if e[3] == "asked"]
        if not waiting:
            return
        ext_id, hours, reason, _state, _note = waiting[-1]
        db, actor = self.ctx.db, self.actor
        about = self.tr("%1 申请延期 %2 个工作小时：%3")
        about = about.replace("%1", file.row.lead).replace("%2", str(hours))
        dialog = DecideExtensionDialog(
            self.ctx,
            about.replace("%3", reason),
            lambda yes, note: extensions.decide(db, actor, ext_id, yes, note),
            self.pane,
        )
        self._form(dialog, self.tr("延期申请已审批。"))

    # --- the department's steps ----------------------------------------------------------

    def sign(self, file: File) -> None:
        """签收."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        self._call(
            lambda: lifecycle.sign(db, actor, eid, version),
            self.tr("已签收 %1，请按期处置。").replace("%1", file.row.number),
        )

    def send_back(self, file: File) -> None:
        """退单… with the reason."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = ReasonDialog(
            self.ctx,
            self.tr("退单"),
            self.tr("退单理由"),
            lambda reason: lifecycle.send_back(db, actor, eid, version, reason),
            self.pane,
            file.row.number,
        )
        self._form(dialog, self.tr("%1 已退回派单员。").replace("%1", file.row.number))

    def extend(self, file: File) -> None:
        """申请延期…"""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = ExtensionDialog(
            self.ctx,
            lambda hours, reason: extensions.ask(db, actor, eid, version, hours, reason),
            self.pane,
        )
        self._form(dialog, self.tr("延期申请已提交，等待派单员审批。"))

    def add_photos(self, file: File) -> None:
        """添加处置照片… (chosen files, read in the call)."""
        files, _ = QFileDialog.getOpenFileNames(
            self.pane,
            self.tr("选择处置照片"),
            "",
            self.tr("图片 (*.jpg *.jpeg *.png *.webp *.pdf)"),
        )
        if not files:
            return
        db, actor, eid, paths = self.ctx.db, self.actor, file.row.id, [Path(f) for f in files]
        self._call(
            lambda: pictures.add_photos(db, actor, eid, "feedback", prepared(paths)),
            self.tr("已添加 %1 张照片。").replace("%1", str(len(paths))),
        )

    def feed_back(self, file: File) -> None:
        """处置反馈… with the result and photos."""
        db, actor, (eid, version) = self.ctx.db, self.actor, self._ids(file)
        dialog = FeedbackDialog(
            self.ctx,
            lambda text, paths: lifecycle.feed_back(db, actor, eid, version, text, prepared(paths)),
            self.pane,
        )
        self._form(dialog, self.tr("%1 已反馈，等待核查。").replace("%1", file.row.number))

    # --- anyone who reports --------------------------------------------------------------

    def print_receipt(self, file: File) -> None:
        """回执 of the event, to preview and print."""
        self.print_receipt_of(file.row.id)

    def print_receipt_of(self, eid: int) -> None:
        """回执 of event ``eid`` (just reported, or the one shown)."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: incident_receipt.render(receipt.receipt(db, actor, eid)),
            lambda pdf: show_pdf(self.pane, pdf, self.tr("群众诉求回执")),
            self.pane.show_error,
            self.pane,
            on_trouble=lambda e: self.pane.show_error(DomainError(e.message)),
        )
