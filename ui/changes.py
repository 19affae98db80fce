"""A thread that waits for database changes and tells the GUI (see ``app.events``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from app.db.session import Database
from app.events import Change, listener_for

log = logging.getLogger(__name__)


class ChangeWatcher(QThread):
    """Emits ``changed`` with the changes seen; runs until :meth:`stop`.

    One watcher serves the whole application (:meth:`for_app`): panels connect to its
    signal (Qt disconnects them when they are deleted), so a closed window can never
    destroy a running thread, and a PC holds one listening connection, not one per panel.

    Signals:
        changed(list): a list of :class:`app.events.Change`, never empty.
    """

    changed = Signal(list)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._running = True

    @classmethod
    def for_app(cls, db: Database) -> ChangeWatcher:
        """The application's watcher for ``db``, started on first use."""
        app = QCoreApplication.instance()
        assert app is not None
        watcher = app.findChild(ChangeWatcher, "change_watcher")
        if watcher is not None and watcher._db is not db:
            watcher.stop()
            watcher.setParent(None)
            watcher = None
        if watcher is None:
            watcher = cls(db, parent=app)
            watcher.setObjectName("change_watcher")
            app.aboutToQuit.connect(watcher.stop)
            watcher.start()
        return watcher

    @staticmethod
    def stop_app_watcher() -> None:
        """Stop the application's watcher (at exit, between tests)."""
        app = QCoreApplication.instance()
        watcher = app.findChild(ChangeWatcher, "change_watcher") if app else None
        if watcher is not None:
            watcher.stop()
            watcher.setParent(None)
            watcher.deleteLater()

    def run(self) -> None:
        """Wait in slices of half a second so that stop() takes effect quickly."""
        listener = listener_for(self._db)
        try:
            while self._running:
                try:
                    changes: list[Change] = listener.wait(0.5)
                except Exception:  # a watcher must never die: log, reconnect next round
                    log.exception("change listener failed")
                    listener.close()
                    self.msleep(1000)
                    continue
                if changes and self._running:
                    self.changed.emit(changes)
        finally:
            listener.close()

    def stop(self) -> None:
        """Ask the thread to finish and wait for it."""
        self._running = False
        self.wait(3000)


class LiveRefresh(QObject):
    """Keeps a screen current: calls ``reload`` on every change in the hall and every
    ``interval_ms`` in any case (minutes waited, midnight, a missed notification).

    A child of the screen: when the screen is deleted, so is this, and Qt drops the
    connection to the application's watcher by itself.
    """

    def __init__(
        self, db: Database, reload: Callable[[], None], interval_ms: int, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._reload = reload
        ChangeWatcher.for_app(db).changed.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(reload)
        self.timer.start(interval_ms)

    def _changed(self, _changes: list[object]) -> None:
        self._reload()

    def stop(self) -> None:
        """No more reloads (the screen is closing)."""
        self.timer.stop()
        ChangeWatcher.for_app(self._db).changed.disconnect(self._changed)
