"""Barcode scanners type like a keyboard, fast, and end with Enter.

:class:`ScanCatcher` watches key presses in one window; a burst that matches a case
number and arrives faster than a person types is taken as a scan: the typed characters
are removed from whatever field had focus, and ``scanned`` is emitted. What a case number
looks like is defined once, where numbers are made (:mod:`app.numbers`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QChildEvent, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.numbers import is_case_no

MAX_GAP_S = 0.05  # scanners send a character every few ms; people rarely under 50 ms


class ScanCatcher(QObject):
    """Signals: scanned(str) — a case number read by a scanner."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.clock = clock
        self.buffer = ""
        self.last = 0.0
        self.before: tuple[QLineEdit, str] | None = None  # the field a burst began in, its text

    @classmethod
    def watch(cls, workspace: QWidget, on_scan: Callable[[str], None]) -> ScanCatcher:
        """Catch scans typed anywhere in ``workspace``, in widgets made later too.

        Rows built afterwards (a service's materials checklist, its form) are taken in when
        Qt polishes them, before they can have focus.
        """
        catcher = cls(workspace)
        catcher.scanned.connect(on_scan)
        catcher._adopt(workspace)
        return catcher

    def _adopt(self, widget: QWidget) -> None:
        for w in (widget, *widget.findChildren(QWidget)):
            w.installEventFilter(self)  # installing twice keeps one filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QWidget):
                self._adopt(child)
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.isAutoRepeat():
            return False
        now = self.clock()
        if now - self.last > MAX_GAP_S:
            self.buffer = ""
        self.last = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code, self.buffer = self.buffer.upper(), ""
            if is_case_no(code):
                self._undo_typing(watched, code)
                self.scanned.emit(code)
                return True
            return False
        if event.text() and event.text().isprintable():
            if not self.buffer:  # a burst begins: what its field held before it
                field = self._field(watched)
                self.before = (field, field.text()) if field is not None else None
            self.buffer += event.text()
        return False

    @staticmethod
    def _field(watched: QObject) -> QLineEdit | None:
        focus = watched if isinstance(watched, QLineEdit) else QApplication.focusWidget()
        return focus if isinstance(focus, QLineEdit) else None

    def _undo_typing(self, watched: QObject, code: str) -> None:
        """Give the field the scan was typed into back what it held before the burst.

        Not only the scanned characters off its end: a field with a length limit or a
        validator (the ID number's 18 characters, digits and X) kept only part of them.
        """
        field = self._field(watched)
        if field is None:
            return
        if self.before is not None and self.before[0] is field:
            field.setText(self.before[1])
        elif field.text().upper().endswith(code):
            field.setText(field.text()[: -len(code)])
