"""Run Python's garbage collector on the GUI thread only.

With automatic collection, a collection can start in any thread that allocates — the
database worker, the change watcher — and free Qt widgets there, which crashes Qt (seen in
our tests). Like qutebrowser, we switch automatic collection off and collect from a timer
on the GUI thread, as often as the thresholds would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer


class GarbageCollector(QObject):
    """Collects generation by generation when the counts pass gc's thresholds."""

    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)
        self.threshold = gc.get_threshold()
        gc.disable()

    def check(self) -> None:
        """Collect the oldest generation whose count passed its threshold."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return

    @classmethod
    def install(cls) -> GarbageCollector:
        """Install once per application."""
        app = QCoreApplication.instance()
        assert app is not None
        existing = app.findChild(GarbageCollector)
        return existing if existing is not None else cls(app)
