"""The intake workspace's left column: who is being served.

Owns the ticket line (the called ticket, or a walk-in), the applicant and, when 代办 is
ticked, the agent (each an :class:`~ui.counter.applicant_panel.ApplicantPanel`), the
applicant's facts the checklist's conditions use, and the offer to continue the
applicant's draft from an earlier visit. What is done with the draft, the form and the
outcomes stays with :mod:`ui.counter.intake_panel`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app import checklist
from app.actor import Actor
from app.cases import cases
from app.cases.cases import CaseSummary
from app.people.residents import ResidentView
from app.queue.queueing import TicketView
from ui.context import AppContext
from ui.counter.applicant_panel import ApplicantPanel


class ApplicantColumn(QWidget):
    """号票, 申请人, a draft to continue, 代办人.

    Signals:
        changed: the applicant changed, or 代办 was ticked or unticked.
        resume(int): the clerk asks to continue this draft (its case id).
        failed(object): looking up the applicant's drafts failed (a DomainError).
    """

    changed = Signal()
    resume = Signal(int)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.ticket_label = QLabel()
        self.set_ticket(None)
        self.applicant = ApplicantPanel(ctx, actor, self.tr("申请人"))
        self.applicant.resident_changed.connect(self._applicant_changed)
        self.agent_check = QCheckBox(self.tr("代办（他人代为申请）"))
        self.agent = ApplicantPanel(ctx, actor, self.tr("代办人"))
        self.agent.hide()
        self.agent_check.toggled.connect(self.agent.setVisible)
        self.agent_check.toggled.connect(self.changed)
        self.resume_button = QPushButton()
        self.resume_button.hide()
        self.resume_button.clicked.connect(
            lambda: self.resume.emit(int(self.resume_button.property("draft_id")))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # laid out as the column it was
        layout.addWidget(self.ticket_label)
        layout.addWidget(self.applicant)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.agent_check)
        layout.addWidget(self.agent)
        layout.addStretch(1)

    def set_ticket(self, ticket: TicketView | None) -> None:
        """Show the ticket being served (None: a walk-in)."""
        if ticket is None:
            self.ticket_label.setText(self.tr("未关联号票（可直接受理走访群众）"))
        else:
            self.ticket_label.setText(
                self.tr("号票 {code}（{queue}）").format(
                    code=ticket.code, queue=ticket.category_name
                )
            )

    def facts(self) -> dict[str, Any]:
        """The applicant's facts for the checklist's conditions (age, gender, 代办)."""
        r: ResidentView | None = self.applicant.resident
        agent = self.agent_check.isChecked()
        if r is None:
            return {"age": None, "gender": None, "is_agent": agent}
        return checklist.facts(r.age, r.gender, agent)

    def clear(self) -> None:
        """Nobody: no applicant, no agent, 代办 unticked."""
        self.applicant.clear()
        self.agent.clear()
        self.agent_check.setChecked(False)

    def _applicant_changed(self, r: ResidentView | None) -> None:
        self.changed.emit()
        self.resume_button.hide()
        if r is not None:
            self.ctx.ops.run(
                lambda: cases.drafts_of(self.ctx.db, self.actor, r.id),
                self._drafts,
                self.failed.emit,
                parent=self,
            )

    def _drafts(self, drafts: list[CaseSummary]) -> None:
        if drafts:
            d = drafts[0]
            self.resume_button.setText(self.tr("继续暂存件：{name}").format(name=d.service_name))
            self.resume_button.setProperty("draft_id", d.id)
            self.resume_button.show()
