"""A dispute's window: what it is (parties, level and days left, sessions, level history,
agreement with the 司法确认 countdown, 回访) and the buttons of what may be done next — the
declared tables decide which are enabled. Each button opens one small form (or asks), makes
one service call and shows the dispute as it now is; printing previews the PDF."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from app.actor import Actor
from app.errors import DomainError
from app.mediation import escalation, follow_ups, lists, outcomes
from app.mediation.views import DisputeView
from app.roles import Permission
from app.text import clause
from printing.judicial_confirmation import confirmation_pdf
from printing.mediation_agreement import agreement_pdf
from ui.care.common import ERROR_STYLE, action_button
from ui.context import AppContext
from ui.mediation.step_dialogs import (
    AgreementDialog,
    FollowUpDialog,
    ReasonDialog,
    SessionDialog,
    StepForm,
)
from ui.print_preview import PdfPreviewDialog


def summary_html(v: DisputeView) -> str:
    """The dispute as the window shows it (rich text)."""
    left = v.days_left
    clock = ""
    if v.state in ("registered", "mediating"):
        colour = "#A61B1B" if left < 0 else "#8A6D00" if left <= 2 else "#1E7B34"
        said = f"已超期 {-left} 天" if left < 0 else f"剩 {left} 天"
        clock = f"（期限 {v.level_due_on.isoformat()}，<span style='color:{colour}'>{said}</span>）"
    repeat = (
        f"<p style='color:#A61B1B'>重复纠纷：同一当事人此前有纠纷 {escape(v.repeat_of)}</p>"
        if v.repeat_of
        else ""
    )
    out = [
        f"<h3>{escape(v.number)} · {escape(v.kind_label)} · {escape(v.state_label)}</h3>",
        f"<p>调解层级：{escape(v.level_label)}{clock}　登记日期：{v.registered_on.isoformat()}</p>",
        repeat,
        f"<p><b>纠纷事实：</b>{escape(v.facts)}</p>",
        "<p><b>当事人</b></p><ul>",
    ]
    for p in v.parties:
        out.append(
            f"<li>{escape(p.name)}（{p.id_masked}{'，' + p.phone_masked if p.phone_masked else ''}）"
            f"：{escape(p.claim)}</li>"
        )
    out.append("</ul><p><b>调解过程</b></p><ul>")
    for s in v.sessions:
        who = "、".join(f"{escape(m.name)}（{m.role}）" for m in s.mediators)
        out.append(
            f"<li>{s.held_on.isoformat()} {escape(s.level_label)} {who}：{escape(s.record)}</li>"
        )
    out.append("</ul><p><b>层级记录</b></p><ul>")
    for st in v.steps:
        move = f"{st.from_label} → {st.to_label}" if st.from_label else st.to_label
        out.append(
            f"<li>{st.on} {move}（期限 {st.due_on.isoformat()}）{escape(st.by)}：{escape(st.reason)}</li>"
        )
    out.append("</ul>")
    if v.outcome_note:
        out.append(f"<p><b>说明：</b>{escape(v.outcome_note)}</p>")
    a = v.agreement
    if a is not None:
        days = (
            f"司法确认申请期限 {a.confirm_by.isoformat()}（剩 {a.confirm_days_left} 天）"
            if a.confirm_days_left >= 0
            else f"司法确认申请期限已过（{a.confirm_by.isoformat()}）"
        )
        out.append(
            f"<p><b>调解协议</b>（{a.signed_on.isoformat()} 签订）：{escape(a.terms)}<br>"
            f"履行方式：{escape(clause(a.performance_way))}；履行期限：{a.perform_by.isoformat()}<br>{days}</p>"
        )
    if v.follow_ups:
        out.append("<p><b>回访</b></p><ul>")
        for f in v.follow_ups:
            done = (
                f"{f.done_on.isoformat()} 已回访：{f.performance_label} {escape(f.note)}"
                if f.done_on
                else "待回访"
            )
            out.append(f"<li>{f.label}（应于 {f.due_on.isoformat()}）：{done}</li>")
        out.append("</ul>")
    return "".join(out)


class DisputeDialog(QDialog):
    """One dispute and its next steps.

    Signals:
        changed(): a step was recorded (the lists reload).
    """

    changed = Signal()

    def __init__(
        self, ctx: AppContext, actor: Actor, view: DisputeView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.view = ctx, actor, view
        self.setWindowTitle(self.tr("纠纷 %1").replace("%1", view.number))
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        layout.addWidget(self.text, 1)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        grid = QGridLayout()
        self.buttons = {
            "start": action_button(self, self.tr("开始调解 (F2)"), self.start, "F2"),
            "session": action_button(self, self.tr("登记调解过程 (F3)"), self.add_session, "F3"),
            "escalate": action_button(self, self.tr("升级调解 (F4)"), self.escalate, "F4"),
            "agree": action_button(self, self.tr("达成协议 (F6)"), self.agree, "F6"),
            "fail": action_button(self, self.tr("调解不成 (F7)"), self.fail, "F7"),
            "withdraw": action_button(self, self.tr("撤回 (F8)"), self.withdraw, "F8"),
            "follow_up": action_button(self, self.tr("登记回访 (F9)"), self.follow_up, "F9"),
            "print": action_button(
                self, self.tr("打印协议书 (Ctrl+P)"), self.print_agreement, "Ctrl+P"
            ),
            "confirm": action_button(self, self.tr("打印司法确认申请书"), self.print_confirmation),
        }
        for n, b in enumerate(self.buttons.values()):
            grid.addWidget(b, n // 5, n % 5)
        layout.addLayout(grid)
        self.show_view(view)

    def show_view(self, view: DisputeView) -> None:
        """Show ``view``; enable what its state (and the level table) allows."""
        self.view = view
        self.text.setHtml(summary_html(view))
        may = self.actor.can(Permission.MEDIATE)
        allowed, state = set(view.allowed), view.state
        due = [f.kind for f in view.follow_ups if f.done_on is None]
        enabled = {
            "start": "mediating" in allowed and state == "registered",
            "session": state == "mediating",
            "escalate": view.can_escalate,
            "agree": "agreed" in allowed,
            "fail": "failed" in allowed,
            "withdraw": "withdrawn" in allowed,
            "follow_up": state == "agreed" and bool(due),
            "print": view.agreement is not None,
            "confirm": view.agreement is not None,
        }
        for key, b in self.buttons.items():
            b.setEnabled(may and enabled[key])

    def _moved(self, view: DisputeView) -> None:
        self.error.clear()
        self.show_view(view)
        self.changed.emit()

    def _failed(self, error: DomainError) -> None:
        self.error.setText(error.message)

    def _form(self, form: StepForm) -> StepForm:
        def finished(_result: int) -> None:
            if form.view is not None:
                self._moved(form.view)

        form.finished.connect(finished)
        form.open()
        self.form = form
        return form

    def _run(self, op: Callable[[], DisputeView]) -> None:
        self.ctx.ops.run(
            op,
            self._moved,
            self._failed,
            self,
            on_trouble=lambda e: self._failed(DomainError(e.message)),
        )

    def start(self) -> None:
        """开始调解."""
        db, a, v = self.ctx.db, self.actor, self.view
        self._run(lambda: outcomes.start(db, a, v.id, v.version))

    def add_session(self) -> StepForm:
        """登记调解过程."""
        db, a, v = self.ctx.db, self.actor, self.view
        return self._form(
            SessionDialog(
                self.ctx, a, v, lambda inp: outcomes.add_session(db, a, v.id, v.version, inp), self
            )
        )

    def escalate(self) -> StepForm:
        """升级调解 with a reason."""
        db, a, v = self.ctx.db, self.actor, self.view
        op = lambda reason, _t: escalation.escalate(db, a, v.id, v.version, reason)  # noqa: E731
        return self._form(ReasonDialog(self.ctx, a, self.tr("升级调解"), "reason", op, parent=self))

    def agree(self) -> StepForm:
        """达成协议."""
        db, a, v = self.ctx.db, self.actor, self.view
        return self._form(
            AgreementDialog(
                self.ctx, a, v, lambda inp: outcomes.agree(db, a, v.id, v.version, inp), self
            )
        )

    def fail(self) -> StepForm:
        """调解不成."""
        db, a, v = self.ctx.db, self.actor, self.view
        op = lambda note, told: outcomes.fail(db, a, v.id, v.version, note, told)  # noqa: E731
        return self._form(
            ReasonDialog(self.ctx, a, self.tr("调解不成"), "note", op, told=True, parent=self)
        )

    def withdraw(self) -> StepForm:
        """撤回."""
        db, a, v = self.ctx.db, self.actor, self.view
        op = lambda reason, _t: outcomes.withdraw(db, a, v.id, v.version, reason)  # noqa: E731
        return self._form(ReasonDialog(self.ctx, a, self.tr("撤回"), "reason", op, parent=self))

    def follow_up(self) -> StepForm:
        """登记回访 (the week's or the month's still due)."""
        db, a, v = self.ctx.db, self.actor, self.view
        kinds = [f.kind for f in v.follow_ups if f.done_on is None]

        def op(kind: str, how: str, note: str) -> DisputeView:
            return follow_ups.record_follow_up(db, a, v.id, v.version, kind, how, note)

        return self._form(FollowUpDialog(self.ctx, a, kinds, op, self))

    def print_agreement(self) -> None:
        """Preview and print the agreement (one copy per party and the archive's)."""
        db, a, v = self.ctx.db, self.actor, self.view
        self.ctx.ops.run(
            lambda: agreement_pdf(lists.agreement_doc(db, a, v.id)),
            lambda pdf: self._preview(pdf, "人民调解协议书"),
            self._failed,
            self,
        )

    def print_confirmation(self) -> None:
        """Preview and print the 司法确认申请书."""
        db, a, v = self.ctx.db, self.actor, self.view
        self.ctx.ops.run(
            lambda: confirmation_pdf(lists.confirmation_doc(db, a, v.id)),
            lambda pdf: self._preview(pdf, "司法确认申请书"),
            self._failed,
            self,
        )

    def _preview(self, pdf: bytes, title: str) -> None:
        self.preview = PdfPreviewDialog(pdf, f"{title} {self.view.number}", self)
        self.preview.open()
