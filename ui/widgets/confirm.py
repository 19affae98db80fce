"""Asking before an action that cannot be taken back (过号, 撤回申请).

The question's safe answer is its default: Enter and Escape both keep things as they are;
only a deliberate click (or Space on the focused button) on the action's own button acts.
Callers go through :meth:`Confirm.ask`, which a test replaces (pytest-qt's dialog note).
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


class Confirm(QMessageBox):
    """A question with the action's button and a safe one, the safe one the default."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        act_label: str,
        keep_label: str = "",
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(title)
        self.setText(text)
        self.act_button = self.addButton(act_label, QMessageBox.ButtonRole.DestructiveRole)
        self.keep_button = self.addButton(
            keep_label or self.tr("取消"), QMessageBox.ButtonRole.RejectRole
        )
        self.act_button.setAutoDefault(False)
        self.act_button.setObjectName("confirm_act")
        self.keep_button.setObjectName("confirm_keep")
        self.setDefaultButton(self.keep_button)
        self.setEscapeButton(self.keep_button)

    def confirmed(self) -> bool:
        """True once the action's button was pressed."""
        clicked: QAbstractButton | None = self.clickedButton()
        return clicked is not None and clicked is self.act_button

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        text: str,
        act_label: str,
        keep_label: str = "",
    ) -> bool:
        """Show the question modally; True only if the action's button was pressed."""
        box = cls(parent, title, text, act_label, keep_label)
        box.exec()
        return box.confirmed()
