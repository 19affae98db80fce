"""Change notification: displays and counters learn at once that the queue changed.

One interface, two implementations:

* PostgreSQL: ``LISTEN onewindow_<hall id>`` (:func:`channel`); services ``NOTIFY`` their
  hall's channel inside their transaction, so the message arrives exactly when the change is
  committed, and only at the PCs of that hall — a city database's other halls never hear it.
* SQLite: poll ``PRAGMA data_version`` on a connection of its own every 200 ms; it changes
  whenever another connection commits.

* Behind PgBouncer (transaction mode), where LISTEN cannot work: LISTEN on the direct
  connection ``listen_url`` if one is configured (one per PC), else poll the hall's last audit
  event id every :data:`HALL_POLL_S` through the pooler (:class:`HallPoller`): every change
  of a ticket, window or case writes an audit event in the same transaction, so nothing is
  counted twice and nothing can drift.

All survive the database going away: ``wait`` then returns a ``reconnected`` change once
the database is back, and the caller reloads everything.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.engine import make_url

from app.db.faults import fault_of
from app.db.session import Database

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
CHANNEL = "onewindow"  # the channel of changes that concern no one hall
POLL_S = 0.2
HALL_POLL_S = 1.5
BURST_S = 0.005  # after a notification, how long to collect the rest of its burst


def channel(hall_id: int | None) -> str:
    """The NOTIFY channel of hall ``hall_id`` (``onewindow_12``); :data:`CHANNEL` for None."""
    return CHANNEL if hall_id is None else f"{CHANNEL}_{int(hall_id)}"


@dataclass(frozen=True)
class Change:
    """Something changed. ``kind`` is e.g. ``call``; ``changed`` when the backend cannot say."""

    kind: str
    hall: int | None = None
    data: dict[str, object] = field(default_factory=dict)


class ChangeListener(Protocol):
    """Blocks until something changes (or ``timeout`` passes); returns what it learned."""

    def wait(self, timeout: float) -> list[Change]:
        """Changes since the last call; an empty list when the timeout passed quietly."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


LOG_EVERY_S = 60.0  # a listener that cannot connect says so once a minute
MAX_BACKOFF_S = 30.0  # the longest wait between attempts to connect


class PostgresListener:
    """LISTEN on a dedicated autocommit connection to the hall's channel (and the channel
    of changes of no hall); reconnects with back-off."""

    def __init__(
        self, conninfo: str, hall_id: int | None = None, fallback: ChangeListener | None = None
    ) -> None:
        """``fallback``: asked while LISTEN cannot connect (a wrong ``listen_url``, the
        server restarting), so changes still arrive, by polling, until it can."""
        self._conninfo = conninfo
        self._channels = sorted({CHANNEL, channel(hall_id)})
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self._backoff = 0.5
        self._fallback = fallback
        self._retry_at = 0.0  # monotonic time of the next attempt to connect
        self._said_at = -LOG_EVERY_S  # when the failure was last logged

    def _connect(self) -> None:
        import psycopg  # only PostgreSQL halls listen; SQLite PCs never load the driver

        conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
        try:
            for name in self._channels:
                conn.execute(f"LISTEN {name}")
        except psycopg.Error:
            conn.close()
            raise
        self._conn = conn
        self._backoff = 0.5

    def wait(self, timeout: float) -> list[Change]:
        """Notifications within ``timeout`` seconds."""
        import psycopg

        reconnected = False
        if self._conn is None or self._conn.closed:
            now = time.monotonic()
            if now < self._retry_at:
                return self._meanwhile(timeout, self._retry_at - now)
            try:
                self._connect()
                reconnected = True
            except psycopg.Error as exc:
                if now - self._said_at >= LOG_EVERY_S:  # not twice a second for hours
                    self._said_at = now
                    meanwhile = "polling meanwhile" if self._fallback else "retrying"
                    log.warning(
                        "change listener cannot connect (%s): %s; %s",
                        fault_of(exc),
                        exc,
                        meanwhile,
                    )
                self._retry_at = now + self._backoff
                self._backoff = min(self._backoff * 2, MAX_BACKOFF_S)
                return self._meanwhile(timeout, self._backoff)
        assert self._conn is not None
        changes = [Change("reconnected")] if reconnected else []
        try:
            # Return as soon as one arrives; then pick up the rest of a burst briefly.
            for note in self._conn.notifies(timeout=timeout, stop_after=1):
                changes.append(_parse(note.payload))
            if changes:
                for note in self._conn.notifies(timeout=BURST_S, stop_after=100):
                    changes.append(_parse(note.payload))
        except psycopg.Error as exc:
            log.warning("change listener lost the database (%s): %s", fault_of(exc), exc)
            self.close()
        return changes

    def _meanwhile(self, timeout: float, until: float) -> list[Change]:
        """While LISTEN cannot connect: the fallback's changes, or a quiet wait."""
        if self._fallback is not None:
            return self._fallback.wait(timeout)
        time.sleep(min(timeout, until))
        return []

    def close(self) -> None:
        """Close the listening connection."""
        if self._conn is not None:
            import psycopg

            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None


def _parse(payload: str) -> Change:
    try:
        data = json.loads(payload)
        return Change(str(data.pop("kind", "changed")), data.pop("hall", None), data)
    except (ValueError, AttributeError):
        return Change("changed")


class SqlitePoller:
    """Polls ``PRAGMA data_version`` on its own connection."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None

    def _current(self) -> int:
        if self._conn is None:
            self._conn = sqlite3.connect(self._path, timeout=5, check_same_thread=False)
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> list[Change]:
        """A ``changed`` entry as soon as another connection committed."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                version = self._current()
            except sqlite3.Error as exc:
                log.warning("change poller cannot read the database (%s): %s", fault_of(exc), exc)
                self.close()
                time.sleep(min(POLL_S * 5, max(deadline - time.monotonic(), 0)))
                return []
            if self._version is None:
                self._version = version
                return [Change("reconnected")]
            if version != self._version:
                self._version = version
                return [Change("changed")]
            if time.monotonic() >= deadline:
                return []
            time.sleep(POLL_S)

    def close(self) -> None:
        """Close the polling connection (a new one is opened on the next wait)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._version = None


class HallPoller:
    """Polls the hall's last audit event id through the (pooled) engine: a ``changed`` of
    the hall when it moved. One indexed look-up (``audit_event (hall_id, id)``) a poll."""

    def __init__(self, db: Database, hall_id: int | None) -> None:
        self._db, self._hall = db, hall_id
        self._last: int | None = None
        self._next = 0.0  # monotonic time of the next poll

    def _current(self) -> int:
        from sqlalchemy import func, select

        from app.db.models import AuditEvent

        with self._db.read_only() as s:
            q = select(func.max(AuditEvent.id))
            if self._hall is not None:
                q = q.where(AuditEvent.hall_id == self._hall)
            return int(s.scalar(q) or 0)

    def wait(self, timeout: float) -> list[Change]:
        """A ``changed`` of the hall as soon as a poll sees a new event (polls at most every
        :data:`HALL_POLL_S`, however short the caller's ``timeout`` slices)."""
        from app.errors import EnvironmentProblem

        deadline = time.monotonic() + timeout
        while True:
            pause = self._next - time.monotonic()
            if pause > 0:
                if time.monotonic() + pause > deadline:
                    time.sleep(max(0.0, deadline - time.monotonic()))
                    return []
                time.sleep(pause)
            self._next = time.monotonic() + HALL_POLL_S
            try:
                now = self._current()
            except EnvironmentProblem as exc:
                log.warning("change poller cannot read the database: %s", exc.message)
                self._last = None
                return []
            if self._last is None:
                self._last = now
                return [Change("reconnected", self._hall)]
            if now != self._last:
                self._last = now
                return [Change("changed", self._hall)]

    def close(self) -> None:
        """Nothing held between polls (the engine's pool keeps the connection)."""
        self._last = None


def listener_for(db: Database, hall_id: int | None = None) -> ChangeListener:
    """The listener that fits the database (PostgreSQL: hall ``hall_id``'s channel; behind
    a pooler, LISTEN on ``db.listen_url`` or else :class:`HallPoller`)."""
    if db.backend == "postgresql":
        if db.pooler and not db.listen_url:
            return HallPoller(db, hall_id)
        url = make_url(db.listen_url) if db.listen_url else db.engine.url
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresListener(plain, hall_id, fallback=HallPoller(db, hall_id))
    return SqlitePoller(str(db.engine.url.database))
