"""A thread that waits for database changes and tells the GUI (see ``app.events``).

One watcher (one listening connection) per PC and hall; each screen's :class:`LiveRefresh`
reloads only for changes of its hall and of the kinds it shows, and a burst of changes
(ten counters calling at once) becomes one reload.
"""

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

    def __init__(self, db: Database, hall_id: int | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.hall_id = hall_id
        self._running = True

    @classmethod
    def for_app(cls, db: Database, hall_id: int | None = None) -> ChangeWatcher:
        """The application's watcher for ``db`` and hall ``hall_id``, started on first use."""
        app = QCoreApplication.instance()
        assert app is not None
        name = f"change_watcher_{hall_id}"
        watcher = app.findChild(ChangeWatcher, name)
        if watcher is not None and watcher._db is not db:
            watcher.stop()
            watcher.setParent(None)
            watcher = None
        if watcher is None:
            watcher = cls(db, hall_id, parent=app)
            watcher.setObjectName(name)
            app.aboutToQuit.connect(watcher.stop)
            watcher.start()
        return watcher

    @staticmethod
    def stop_app_watcher() -> None:
        """Stop the application's watchers (at exit, between tests)."""
        app = QCoreApplication.instance()
        for watcher in app.findChildren(ChangeWatcher) if app else []:
            watcher.stop()
            watcher.setParent(None)
            watcher.deleteLater()

    def run(self) -> None:
        """Wait in slices of half a second so that stop() takes effect quickly."""
        listener = listener_for(self._db, self.hall_id)
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


COALESCE_MS = 100  # changes within this long after the first are one reload
ALWAYS = frozenset({"changed", "reconnected"})  # the backend cannot say what: reload


class LiveRefresh(QObject):
    """Keeps a screen current: calls ``reload`` when its hall changed, and every
    ``interval_ms`` in any case (minutes waited, midnight, a missed notification).

    ``hall_id``: the screen's hall (PostgreSQL delivers only that hall's changes to this PC;
    a change of another hall is ignored here too). ``kinds``: the change kinds the screen
    shows (``call``, ``issued``, ``ticket_finished`` …; None: every kind). Changes arriving
    within :data:`COALESCE_MS` of each other cause one reload. ``reloads`` counts them.

    A child of the screen: when the screen is deleted, so is this, and Qt drops the
    connection to the application's watcher by itself.
    """

    def __init__(
        self,
        db: Database,
        reload: Callable[[], None],
        interval_ms: int,
        parent: QObject,
        hall_id: int | None = None,
        kinds: frozenset[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._hall, self._kinds = db, hall_id, kinds
        self._reload = reload
        self.reloads = 0
        ChangeWatcher.for_app(db, hall_id).changed.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(reload)
        self.timer.start(interval_ms)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self._fire)

    def concerns(self, change: Change) -> bool:
        """Whether ``change`` is one this screen shows."""
        if change.kind in ALWAYS:
            return True
        if self._hall is not None and change.hall is not None and change.hall != self._hall:
            return False
        return self._kinds is None or change.kind in self._kinds

    def _changed(self, changes: list[Change]) -> None:
        if any(self.concerns(c) for c in changes) and not self._soon.isActive():
            self._soon.start(COALESCE_MS)

    def soon_pending(self) -> bool:
        """Whether a reload for changes already seen is about to run (within COALESCE_MS)."""
        return self._soon.isActive()

    def _fire(self) -> None:
        self.reloads += 1
        self._reload()

    def stop(self) -> None:
        """No more reloads (the screen is closing)."""
        self.timer.stop()
        self._soon.stop()
        ChangeWatcher.for_app(self._db, self._hall).changed.disconnect(self._changed)
