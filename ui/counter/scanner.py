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
            self.buffer += event.text()
        return False

    @staticmethod
    def _undo_typing(watched: QObject, code: str) -> None:
        """Take the scanned characters out of the field they were typed into."""
        focus = watched if isinstance(watched, QLineEdit) else QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus.text().upper().endswith(code):
            focus.setText(focus.text()[: -len(code)])
