"""Where the intake's cursor goes next, so that a clerk drives a visit with few keys.

A known applicant (the ID looked up, chosen in 查找, or just registered) sends the cursor
to the service search, or to the form's first empty field when a service is chosen; a new
applicant's ID sends it to 姓名 (Enter there registers). The cursor only moves when it is
still in the applicant's box: a late answer never pulls it from where the clerk went.
Also says what a visit would lose if cleared (for 下一位), and shows every field's problem
at once before 受理.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from ui.counter import intake_wording as wording

if TYPE_CHECKING:
    from ui.counter.intake_panel import IntakePanel


class IntakeCursor(QObject):
    """The keyboard flow of one :class:`~ui.counter.intake_panel.IntakePanel`."""

    def __init__(self, panel: IntakePanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def unsaved(self) -> str:
        """What this visit would lose if cleared now ("" when nothing): a form typed in."""
        p = self.panel
        entry = p.service
        if entry is not None and p.form is not None and p.form.values():
            return self.tr("“{name}”的表单").format(name=entry.name)
        if any(typed for typed in p.typed.values()):
            return self.tr("已填写的表单")
        return ""

    def focus_first_empty(self) -> None:
        """The cursor where work is next: the ID, the service search, or the form."""
        p = self.panel
        if p.applicant.resident is None:
            p.applicant.id_edit.setFocus()
        elif p.form is None:
            p.service_form.focus_search()
        else:
            p.service_form.focus_first_empty()

    def _in_applicant(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is None or self.panel.people.applicant.isAncestorOf(focus)

    def _in_id(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is None or focus is self.panel.applicant.id_edit

    def looked_up(self, resident: object) -> None:
        """An ID was looked up. Only while the cursor still waits in the ID field: a known
        person goes on to the service, a new one to 姓名 (a reply that comes after the
        clerk typed on leaves the cursor where it is)."""
        if not self._in_id():
            return
        if resident is None:
            self.panel.applicant.name_edit.setFocus()
        else:
            self.focus_first_empty()

    def settled(self, resident: object) -> None:
        """The clerk registered, updated or picked the applicant: on to the service."""
        if resident is not None and self._in_applicant():
            self.focus_first_empty()

    def form_ready(self) -> bool:
        """Before 受理: every field's problem shown at once (the empty required ones too),
        the cursor in the first; True when there is none."""
        p = self.panel
        result = p.check()
        if p.form is None or result is None or not result.field_errors:
            return True
        p.form.show_errors(result.field_errors)
        p.form.focus_field(next(iter(result.field_errors)))
        p.say(wording.field_problems(len(result.field_errors)), ok=False)
        return False
