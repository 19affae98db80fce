"""综合受理: from the called ticket to a receipt or a 一次性告知书, in one sitting.

Left: the applicant (and agent). Middle: the chosen service's form, rendered from the
catalog. Right: the materials this applicant needs, re-evaluated as fields change, and the
outcome buttons (F9 受理, F10 一次性告知, F11 不予受理, Ctrl+S 暂存, Alt+A 全部已收). Where the
cursor goes next is :mod:`ui.counter.intake_cursor`. Several services can be taken for one
applicant in one visit; their cases are listed and can share one combined receipt.
Scanning a receipt anywhere here opens its case.

The left column is :mod:`ui.counter.applicant_column`, the middle one
:mod:`ui.counter.service_form`; what the status line says is :mod:`ui.counter.intake_wording`.
This module lays them out with the materials and the outcomes, and runs the outcomes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import checklist
from app.actor import Actor
from app.cases import casefile, cases, intake, service_usage
from app.cases.intake import CaseResult, IntakeInput
from app.errors import DomainError
from app.hall import catalog
from app.hall.catalog import CatalogEntry
from app.queue.queueing import TicketView
from printing import bundle, notices, receipt
from ui.casefile.view import open_case_view
from ui.context import AppContext
from ui.counter import intake_wording as wording
from ui.counter.applicant_column import ApplicantColumn
from ui.counter.intake_cursor import IntakeCursor
from ui.counter.intake_wording import OK_STYLE, WARN_STYLE
from ui.counter.materials_checklist import MaterialsChecklist
from ui.counter.printing import show_pdf
from ui.counter.scanner import ScanCatcher
from ui.counter.service_form import ServiceForm
from ui.counter.stored_pages import draft_pages
from ui.widgets.form_renderer import FormRenderer


class IntakePanel(QWidget):
    """The clerk's intake workspace (one per main window)."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.ticket: TicketView | None = None
        self.draft_id: int | None = None
        self.visit_cases: list[CaseResult] = []

        self.next_requested: Callable[[], None] = lambda: self.start(None)  # the workspace's
        self.people = ApplicantColumn(ctx, actor)
        self.people.changed.connect(self._evaluate)
        self.flow = IntakeCursor(self)
        self.people.applicant.settled.connect(self.flow.settled)
        self.people.applicant.looked_up.connect(self.flow.looked_up)
        self.people.resume.connect(self._resume)
        self.people.failed.connect(self._failed)
        self.applicant, self.agent = self.people.applicant, self.people.agent
        self.agent_check, self.resume_button = self.people.agent_check, self.people.resume_button

        self.service_form = ServiceForm()
        self.service_form.chosen.connect(self._service_chosen)
        self.service_form.edited.connect(self._evaluate)
        self.service_search = self.service_form.search
        QShortcut(QKeySequence("Ctrl+F"), self, self.service_form.focus_search)
        self.typed = self.service_form.typed  # per service: what was typed this visit

        self.checklist = MaterialsChecklist(ctx)
        self.checklist.changed.connect(self._evaluate)
        self.all_received = QPushButton(self.tr("全部已收，原件已核验 (Alt+A)"))
        self.all_received.clicked.connect(self.checklist.receive_all)
        QShortcut(QKeySequence("Alt+A"), self, self.all_received.click)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("受理 (F9)"))
        self.notice_button = QPushButton(self.tr("一次性告知 (F10)"))
        self.refuse_button = QPushButton(self.tr("不予受理 (F11)"))
        self.draft_button = QPushButton(self.tr("暂存 (Ctrl+S)"))
        self.combined_button = QPushButton(self.tr("打印合并回执"))
        self.next_button = QPushButton(self.tr("下一位"))
        actions = (
            (self.accept_button, "F9", self.accept_case),
            (self.notice_button, "F10", self.tell_missing),
            (self.refuse_button, "F11", self.refuse),
            (self.draft_button, "Ctrl+S", self.save_draft),
        )
        for button, key, slot in actions:
            button.clicked.connect(slot)
            QShortcut(QKeySequence(key), self, slot)
        self.combined_button.clicked.connect(self.print_combined)
        self.next_button.clicked.connect(lambda: self.next_requested())
        self.visit_list = QListWidget()
        self.visit_list.setMaximumHeight(110)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("申请材料")))
        right.addWidget(self.checklist, 1)
        right.addWidget(self.all_received)
        right.addWidget(self.status)
        row = QHBoxLayout()
        for b in (self.accept_button, self.notice_button, self.refuse_button, self.draft_button):
            row.addWidget(b)
        right.addLayout(row)
        self.visit_label = QLabel(self.tr("本次已办"))
        right.addWidget(self.visit_label)
        right.addWidget(self.visit_list)  # shown once something was done: the materials' room
        row2 = QHBoxLayout()
        row2.addWidget(self.combined_button)
        row2.addWidget(self.next_button)
        right.addLayout(row2)

        main = QHBoxLayout(self)
        main.addWidget(self.people, 3)
        main.addWidget(self.service_form, 5)
        main.addLayout(right, 5)

        self.scanner = ScanCatcher.watch(self, self.open_case)
        self._show_visit()
        self._update_buttons()
        self.load_services()

    # --- services and form ---------------------------------------------------------

    def load_services(self) -> None:
        """Fill the service search (what this clerk takes most, then the ticket's queue)."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: (catalog.list_services(db, actor), service_usage.counts(db, actor)),
            self._services,
            self._failed,
            parent=self,
        )

    def _services(self, found: tuple[list[CatalogEntry], dict[str, int]]) -> None:
        entries, usage = found
        letter = self.ticket.category_letter if self.ticket else None
        self.service_form.set_services(entries, letter, usage)

    @property
    def services(self) -> list[CatalogEntry]:
        """The services offered, the ticket's queue first."""
        return self.service_form.services

    @property
    def service(self) -> CatalogEntry | None:
        """The chosen service."""
        return self.service_form.service

    @property
    def form(self) -> FormRenderer | None:
        """The chosen service's form (None while no service is chosen)."""
        return self.service_form.form

    def choose_service(self, code: str, reload: bool = False) -> None:
        """Select a service by code (``reload``: a draft resumed, even over the same one)."""
        self.service_form.choose(code, reload)

    def _service_chosen(self) -> None:
        # The form's fields are watched for scans by the ScanCatcher itself (when polished).
        self.checklist.use_service(self.service.code if self.service else None)
        if self.form is not None:
            last = self.service_form.last_input()
            if last is not None:
                QWidget.setTabOrder(last, self.checklist)
        self._evaluate()

    # --- live check ----------------------------------------------------------------

    def check(self) -> checklist.Check | None:
        """The live check of the current form and checklist (pure, no database)."""
        if self.form is None:
            return None
        entry = self.service
        assert entry is not None
        result = checklist.evaluate(
            entry.definition,
            self.people.facts(),
            self.form.values(),
            self.checklist.ticks(),
            date.today(),
        )
        self.checklist.set_needed(result.needed)
        return result

    def _evaluate(self) -> None:
        result = self.check()
        if self.form is not None and result is not None:
            self.form.set_dormant(result.dormant)
            typed = self.form.values()
            self.form.show_errors({k: v for k, v in result.field_errors.items() if k in typed})
            self.say(*wording.check_status(result))
        self._update_buttons()

    def say(self, text: str, ok: bool) -> None:
        """The status line under the materials: good news in green, else red."""
        self.status.setText(text)
        self.status.setStyleSheet(OK_STYLE if ok else WARN_STYLE)

    def _show_visit(self) -> None:
        for w in (self.visit_label, self.visit_list):
            w.setVisible(self.visit_list.count() > 0)

    def _update_buttons(self) -> None:
        ready = self.form is not None and self.applicant.resident is not None
        for b in (self.accept_button, self.notice_button, self.refuse_button, self.draft_button):
            b.setEnabled(ready)
        self.combined_button.setEnabled(len(self.visit_cases) > 1)

    # --- a draft from an earlier visit ---------------------------------------------

    def _resume(self, draft_id: int) -> None:
        load = functools.partial(intake.load_draft, self.ctx.db, self.actor, draft_id)
        self.ctx.ops.run(load, self._resumed, self._failed, parent=self)

    def _resumed(self, inp: IntakeInput) -> None:
        self.typed[inp.service_code] = inp.form
        self.checklist.load(inp.materials, inp.service_code, inp.stored_pages)
        self.checklist.stored_source = draft_pages(self.ctx.db, self.actor, inp.draft_id)
        self.choose_service(inp.service_code, reload=True)
        self.draft_id = inp.draft_id
        self.resume_button.hide()
        self.say(self.tr("已调出暂存件，请核对后继续办理。"), ok=True)

    # --- outcomes ------------------------------------------------------------------

    def _input(self) -> IntakeInput | None:
        entry, r = self.service, self.applicant.resident
        if entry is None or r is None or self.form is None:
            self.say(self.tr("请先登记申请人并选择事项。"), ok=False)
            return None
        agent = self.agent.resident if self.agent_check.isChecked() else None
        if self.agent_check.isChecked() and agent is None:
            self.say(self.tr("已勾选代办：请先登记代办人。"), ok=False)
            return None
        return IntakeInput(
            service_code=entry.code,
            applicant_id=r.id,
            form=self.form.values(),
            materials=self.checklist.ticks(),
            pages=self.checklist.pages(),
            agent_id=agent.id if agent else None,
            ticket_id=self.ticket.id if self.ticket else None,
            draft_id=self.draft_id,
        )

    def accept_case(self) -> None:
        """受理 (or 容缺受理); prints the receipt. Every field's problem is shown at once."""
        inp = self._input()
        if inp is not None and self.flow.form_ready():
            self.ctx.ops.run(
                lambda: intake.accept(self.ctx.db, self.actor, inp, receipt.render),
                lambda res: self._done(res, self.tr("受理回执")),
                self._failed,
                parent=self,
            )

    def tell_missing(self) -> None:
        """一次性告知书 for everything missing; the draft is kept."""
        inp = self._input()
        if inp is not None:
            self.ctx.ops.run(
                lambda: intake.tell_missing(self.ctx.db, self.actor, inp, notices.render_missing),
                lambda res: self._done(res, self.tr("一次性告知书")),
                self._failed,
                parent=self,
            )

    def refuse(self) -> None:
        """不予受理 with a reason; prints the notice."""
        inp = self._input()
        if inp is None:
            return
        reason = self.ask_reason()
        if reason:
            self.ctx.ops.run(
                lambda: intake.refuse(self.ctx.db, self.actor, inp, reason, notices.render_refusal),
                lambda res: self._done(res, self.tr("不予受理通知书")),
                self._failed,
                parent=self,
            )

    def ask_reason(self) -> str:
        """The refusal reason (tests replace this)."""
        reasons = wording.refusal_reasons()
        text, ok = QInputDialog.getItem(
            self, self.tr("不予受理"), self.tr("理由（可选择或输入）："), reasons, 0, True
        )
        return text if ok else ""

    def save_draft(self) -> None:
        """暂存 without a notice."""
        inp = self._input()
        if inp is not None:
            self.ctx.ops.run(
                lambda: intake.save_draft(self.ctx.db, self.actor, inp),
                lambda res: self._done(res, ""),
                self._failed,
                parent=self,
            )

    def _done(self, res: CaseResult, title: str) -> None:
        self.draft_id = res.case_id if res.case_no is None else None
        entry = self.service
        name = entry.name if entry else ""
        self.visit_list.addItem(wording.visit_line(res, name))
        self._show_visit()
        if res.case_no:
            self.visit_cases.append(res)
            if entry is not None:
                self.typed.pop(entry.code, None)
                self.checklist.forget(entry.code)
        self.say(wording.outcome_message(res), ok=True)
        if res.case_no:
            self.service_form.drop()
            self.service_form.focus_search()  # another service for this person, or F2
        self._update_buttons()
        if res.handout:  # 受理: receipt or a 即办件's result, then any 容缺承诺书, in one go
            titles = "、".join(p.title for p in res.handout)
            show_pdf(self, bundle.join([p.pdf for p in res.handout]), f"{titles} {res.case_no}")
        elif res.pdf and title:
            show_pdf(self, res.pdf, f"{title} {res.case_no or ''}")

    def _failed(self, error: DomainError) -> None:
        if self.form is not None and error.field in self.form.inputs:
            result = self.check()
            others = result.field_errors if result is not None else {}
            self.form.show_errors({**others, error.field: error.message})
            self.form.focus_field(error.field)
        elif error.field == "agent":
            self.agent.show_error(error)
        elif error.field:
            self.checklist.show_note_error(error.field, error.message)
        self.say(error.message, ok=False)

    def print_combined(self) -> None:
        """One receipt for every case accepted in this visit."""
        ids = [c.case_id for c in self.visit_cases]
        self.ctx.ops.run(
            lambda: receipt.render(cases.combined_receipt(self.ctx.db, self.actor, ids)),
            lambda pdf: show_pdf(self, pdf, self.tr("合并受理回执")),
            self._failed,
            parent=self,
        )

    # --- visit ---------------------------------------------------------------------

    def start(self, ticket: TicketView | None) -> None:
        """A new applicant: from the called ticket, or a walk-in (None).

        The ID given at the kiosk is filled in and looked up (a known resident's record
        comes with it); else the cursor waits in the ID field.
        """
        self.next_applicant()
        self.ticket = ticket
        self.people.set_ticket(ticket)
        self.load_services()
        self.applicant.id_edit.setFocus()
        if ticket is not None and ticket.applicant_id_number:
            self.applicant.id_edit.setText(ticket.applicant_id_number)

    def next_applicant(self) -> None:
        """Clear everything for the next person (nothing asked: see :meth:`unsaved`)."""
        self.ticket = None
        self.people.set_ticket(None)
        self.people.clear()
        self.typed.clear()
        self.visit_cases.clear()
        self.visit_list.clear()
        self._show_visit()
        self.draft_id = None
        self.checklist.load(())
        self.service_form.drop()
        self.status.clear()

    def _show_case(self, file: casefile.CaseFile) -> None:
        open_case_view(self.ctx, self.actor, file, self)

    def open_case(self, case_no: str) -> None:
        """A scanned receipt: show its case."""
        self.ctx.ops.run(
            lambda: casefile.find(self.ctx.db, self.actor, case_no),
            self._show_case,
            self._failed,
            parent=self,
        )
