"""Inline validation messages: a red line under the input a DomainError names."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.errors import DomainError

ERROR_STYLE = "color: #C0392B; font-size: 12px;"
INVALID_BORDER = "border: 1px solid #C0392B;"


class FieldErrors:
    """Maps field keys to their inputs and the label under each; one general label for the rest."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)
        general.hide()

    def add(self, key: str, widget: QWidget) -> QLabel:
        """Register an input; returns the label to place under it."""
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        # No word wrap: height-for-width labels do not make the dialog grow, they squeeze
        # the input above them. Field messages are one line.
        label.hide()
        label.setObjectName(f"error_{key}")
        self._fields[key] = (widget, label)
        return label

    def alias(self, key: str, same_as: str) -> None:
        """Show errors naming ``key`` where those of ``same_as`` go (one input, two names)."""
        self._fields[key] = self._fields[same_as]

    def clear(self) -> None:
        """Hide every message."""
        self._general.hide()
        self._general.clear()
        for widget, label in self._fields.values():
            label.hide()
            label.clear()
            widget.setStyleSheet("")

    def show(self, error: DomainError) -> None:
        """Show ``error`` under its field (focusing it), or in the general label."""
        self.clear()
        if error.field and error.field in self._fields:
            widget, label = self._fields[error.field]
            label.setText(error.message)
            label.show()
            # Scoped to the widget's own class, so a group box does not frame its children.
            cls = widget.metaObject().className()
            padding = " padding: 4px;" if cls == "QLineEdit" else ""
            widget.setStyleSheet(f"{cls} {{ {INVALID_BORDER}{padding} }}")
            widget.setFocus()
            _make_room(label)
        else:
            self._general.setText(error.message)
            self._general.show()
            _make_room(self._general)

    def message_for(self, key: str) -> str:
        """The message currently shown for ``key`` (empty if none) — for tests and a11y."""
        pair = self._fields.get(key)
        return pair[1].text() if pair and not pair[1].isHidden() else ""

    def general_message(self) -> str:
        """The message shown in the general label (empty if none)."""
        return "" if self._general.isHidden() else self._general.text()


def _make_room(label: QLabel) -> None:
    """Grow the window so a newly shown message does not squeeze the inputs.

    Word-wrapped labels elsewhere in a dialog make its layout height-for-width, and Qt then
    does not raise the window's minimum height by itself.
    """
    window = label.window()
    layout = window.layout()
    if layout is None or window is label:
        return
    layout.activate()
    needed = window.sizeHint().height()
    if needed > window.height():
        window.resize(window.width(), needed)
