"""The database handle services use: one short unit of work per user action."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.db.engine import READ_ONLY_OPTION, check_connection, describe, make_engine
from app.db.faults import is_unique_violation, problem_of
from app.errors import Conflict

log = logging.getLogger(__name__)

T = TypeVar("T")
LOOKUP_TTL_S = 30.0


class Database:
    """Owns the engine and makes sessions. Widgets never see it; services take it."""

    def __init__(
        self, url: str, pooler: bool = False, listen_url: str = "", label: str = ""
    ) -> None:
        """``pooler``: PostgreSQL through PgBouncer in transaction mode (no session state;
        changes are polled unless ``listen_url`` names a direct connection for LISTEN).
        ``label``: what this database is to a person, put before its address in messages
        (``统计只读库 reporting_database_url``)."""
        self.label = label
        self.engine: Engine = make_engine(url, pooler)
        self.pooler, self.listen_url = pooler, listen_url
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "after_begin", _remember_connection)
        # Short-lived lookups services may keep (hall settings, queue ids): key → (expiry, value).
        self.cache: dict[object, tuple[float, object]] = {}

    def cached(self, key: object, load: Callable[[], T], ttl_s: float = LOOKUP_TTL_S) -> T:
        """``load()``, kept for ``ttl_s`` seconds under ``key`` (for what rarely changes).

        Other PCs' changes to such data (a user's departments, a calendar adjustment)
        are seen within the time to live; catalog versions never change once written.
        """
        now = time.monotonic()
        hit = self.cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]  # type: ignore[return-value]
        value = load()
        self.cache[key] = (now + ttl_s, value)
        return value

    def forget(self, key: object) -> None:
        """Drop what :meth:`cached` keeps under ``key`` (after this program changed it)."""
        self.cache.pop(key, None)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.url.get_backend_name()

    @property
    def where(self) -> str:
        """Where the data lives, for the status bar and error messages (no password)."""
        where = describe(self.engine.url)
        return f"{self.label}：{where}" if self.label else where

    def check(self) -> None:
        """Raise :class:`EnvironmentProblem` if the database cannot be reached."""
        check_connection(self.engine)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session for one transaction. Nothing is kept unless the caller commits.

        Lost optimistic-lock races become :class:`Conflict`; busy databases, timeouts and
        lost connections become :class:`EnvironmentProblem` (:mod:`app.db.faults`). The
        rollback and close at the end never replace the block's own outcome: if the
        connection dies there, that is logged and the result (or the block's error) stands.
        """
        session = self._sessions()
        try:
            yield session
        except StaleDataError as exc:
            self._close_quietly(session)
            raise Conflict("该记录已被其他人修改，请刷新后重试。") from exc
        except (DBAPIError, PoolTimeout) as exc:
            self._close_quietly(session)
            problem = problem_of(exc, self.where)
            if problem is None and is_unique_violation(exc):
                # Two PCs wrote the same key at once (services lock where they can): the
                # other one's work stands, this one is told to look again, not 程序内部错误.
                log.warning("unique key taken by a concurrent writer: %s", exc)
                raise Conflict("其他人刚刚同时提交了同一项内容，请刷新后重试。") from exc
            if problem is None:
                raise
            raise problem from exc
        except BaseException:
            self._close_quietly(session)
            raise
        else:
            self._close_quietly(session)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction on a Core connection, committed when the block ends.

        For a hot path written in Core statements (issuing a ticket), without an ORM
        session around it. Failures are mapped and the end handled as in
        :meth:`unit_of_work`.
        """
        with self._mapped():
            conn = self.engine.connect()
        try:
            with self._mapped():
                conn.begin()  # SQLite: BEGIN IMMEDIATE, where a busy file is met
                yield conn
                conn.commit()
        finally:
            self._close_quietly(conn)

    @contextmanager
    def _mapped(self) -> Iterator[None]:
        """Database errors a person can meet, as :class:`EnvironmentProblem`."""
        try:
            yield
        except (DBAPIError, PoolTimeout) as exc:
            problem = problem_of(exc, self.where)
            if problem is None:
                raise
            raise problem from exc

    @staticmethod
    def _close_quietly(target: Session | Connection) -> None:
        """Roll back and close; a connection dying now is logged, never raised.

        Whatever the block did is already decided: committed, or rolled back by the
        server when the connection goes. The connection is invalidated (closed, dropped
        from the pool) so that it cannot keep a transaction, or SQLite's write lock, open.
        """
        try:
            target.close()
        except Exception as exc:
            log.warning("closing a database connection failed (%s): %s", type(exc).__name__, exc)
            held = target.info.get(_CONNECTIONS, ()) if isinstance(target, Session) else (target,)
            for conn in held:
                with contextlib.suppress(Exception):
                    conn.invalidate()
        if isinstance(target, Session):
            target.info.pop(_CONNECTIONS, None)

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A session for reading only (no commit).

        On SQLite it does not take the write lock. On PostgreSQL each statement runs on its
        own (autocommit): no BEGIN and ROLLBACK round trips around a screen's refresh.
        """
        with self.unit_of_work() as session:
            session.connection(execution_options=_read_options(self.backend, self.pooler))
            yield session

    def dispose(self) -> None:
        """Close pooled connections (before dropping a test database, at exit)."""
        self.engine.dispose()


_CONNECTIONS = "onewindow_connections"


def _remember_connection(session: Session, _transaction: object, conn: Connection) -> None:
    """Keep the session's connections: a failed close forgets them before invalidating."""
    session.info.setdefault(_CONNECTIONS, []).append(conn)


def _read_options(backend: str, pooler: bool) -> dict[str, object]:
    """Reads on PostgreSQL run without a transaction (autocommit), except behind a pooler,
    where only a transaction carries the timeouts (``SET LOCAL``)."""
    options: dict[str, object] = {READ_ONLY_OPTION: True}
    if backend == "postgresql" and not pooler:
        options["isolation_level"] = "AUTOCOMMIT"
    return options


def db_now(session: Session | Connection) -> datetime:
    """The database server's current time, as naive UTC.

    Service days, audit times and lockouts use the server clock, so counters with wrong
    clocks still agree.
    """
    bind = session if isinstance(session, Connection) else session.get_bind()
    if bind.dialect.name == "postgresql":
        value = session.execute(text("SELECT timezone('utc', now())")).scalar_one()
        return value.replace(tzinfo=None)  # type: ignore[no-any-return]
    # SQLite is an embedded file: its "server" clock is this machine's clock.
    return datetime.now(UTC).replace(tzinfo=None)


def utc_naive(moment: datetime) -> datetime:
    """Normalise an aware datetime to naive UTC (how the database stores times)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
