"""The database handle services use: one short unit of work per user action."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.db.engine import READ_ONLY_OPTION, check_connection, describe, make_engine
from app.errors import Conflict, EnvironmentProblem

T = TypeVar("T")
LOOKUP_TTL_S = 30.0


class Database:
    """Owns the engine and makes sessions. Widgets never see it; services take it."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
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
        return describe(self.engine.url)

    def check(self) -> None:
        """Raise :class:`EnvironmentProblem` if the database cannot be reached."""
        check_connection(self.engine)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session for one transaction. Nothing is kept unless the caller commits.

        Lost optimistic-lock races become :class:`Conflict`; connection failures become
        :class:`EnvironmentProblem` with a Chinese message.
        """
        session = self._sessions()
        try:
            yield session
        except StaleDataError as exc:
            session.rollback()
            raise Conflict("该记录已被其他人修改，请刷新后重试。") from exc
        except DBAPIError as exc:
            session.rollback()
            problem = self._environment(exc)
            if problem is None:
                raise
            raise problem from exc
        finally:
            session.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction on a Core connection, committed when the block ends.

        For a hot path written in Core statements (issuing a ticket), without an ORM
        session around it. Failures are mapped as in :meth:`unit_of_work`.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as exc:
            problem = self._environment(exc)
            if problem is None:
                raise
            raise problem from exc

    def _environment(self, exc: DBAPIError) -> EnvironmentProblem | None:
        """A lost connection as a Chinese message; None for other database errors."""
        if exc.connection_invalidated or "connection" in str(exc.orig).lower():
            return EnvironmentProblem(
                f"与数据库（{self.where}）的连接中断，请稍后重试。", str(exc.orig)
            )
        return None

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A session for reading only (no commit).

        On SQLite it does not take the write lock. On PostgreSQL each statement runs on its
        own (autocommit): no BEGIN and ROLLBACK round trips around a screen's refresh.
        """
        with self.unit_of_work() as session:
            session.connection(execution_options=_read_options(self.backend))
            yield session

    def dispose(self) -> None:
        """Close pooled connections (before dropping a test database, at exit)."""
        self.engine.dispose()


def _read_options(backend: str) -> dict[str, object]:
    options: dict[str, object] = {READ_ONLY_OPTION: True}
    if backend == "postgresql":
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
