"""Engines for the two backends, with the settings DESIGN.md asks for.

SQLite: WAL, foreign keys, busy timeout, synchronous=FULL, and ``BEGIN IMMEDIATE`` for
every transaction (pysqlite's own transaction handling is switched off so that the write
lock is taken at the start, not at the first write, which avoids SQLITE_BUSY deadlocks).
Never on a network share.

PostgreSQL (psycopg 3): ``pool_pre_ping``, a connect timeout and statement, lock and
idle-in-transaction timeouts; one pooled connection per PC (more only while several
operations run at once, closed after). TLS settings (``sslmode``, ``sslrootcert`` …) pass
through the URL's query string.

Behind PgBouncer in transaction mode (``pooler=True``): a server connection serves another
PC after every transaction, so the program keeps no state in a session. No startup
``options`` (PgBouncer refuses them), no server-side prepared statements
(``prepare_threshold=None``), and the timeouts and time zone are set with
``set_config(…, true)`` (``SET LOCAL``) at the start of every transaction, reads included.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.db.faults import Fault, fault_of, problem_of
from app.errors import EnvironmentProblem

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 30_000
LOCK_TIMEOUT_MS = 10_000
# A PC frozen (or unplugged) in the middle of a transaction loses it after this long, and
# with it the row locks every other counter would queue behind; it gets "连接中断" and its
# next call opens a fresh connection (pool_pre_ping).
IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000
POOL_TIMEOUT_S = 10  # waiting for a free pooled connection, then "系统繁忙"
SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY_OPTION = "onewindow_read_only"


def sha256_hex(value: str | None) -> str | None:
    """SQL ``sha256_hex(text)`` on SQLite (PostgreSQL has ``sha256``): the audit chain's hash."""
    return None if value is None else hashlib.sha256(value.encode("utf-8")).hexdigest()


def parse_url(raw: str) -> URL:
    """Parse and normalise a database URL; plain ``postgresql://`` means psycopg 3."""
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError) as exc:
        raise EnvironmentProblem(
            "数据库地址格式不正确。应类似 sqlite:///C:/OneWindow/onewindow.sqlite3 或 "
            "postgresql://用户名:密码@服务器:5432/数据库名",
            detail=str(exc),
        ) from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise EnvironmentProblem(f"不支持的数据库类型“{backend}”：只支持 SQLite 和 PostgreSQL。")
    return url


def _is_network_path(database: str) -> bool:
    """UNC paths, and on Windows drive letters mapped to a network share."""
    if database.startswith(("\\\\", "//")) or database.lower().startswith("file://"):
        return True
    if sys.platform == "win32" and len(database) >= 2 and database[1] == ":":
        import ctypes

        drive_remote = 4
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.GetDriveTypeW(database[:2] + "\\") == drive_remote)
    return False


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        raise EnvironmentProblem("SQLite 数据库必须是本机上的文件。")
    if _is_network_path(database):
        raise EnvironmentProblem(
            "SQLite 数据库不能放在网络共享文件夹中（会损坏数据）。多台电脑请使用 PostgreSQL。"
        )
    try:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(
            f"无法创建数据库文件夹 {Path(database).parent}。", str(exc)
        ) from exc
    engine = create_engine(
        url,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()
        dbapi_conn.create_function("sha256_hex", 1, sha256_hex, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front (no upgrade deadlocks); readers must not, or
        # a display refreshing the board would queue behind every ticket being issued.
        readonly = conn.get_execution_options().get(READ_ONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def session_settings() -> dict[str, str]:
    """The server settings every connection (or, behind a pooler, every transaction) gets."""
    return {
        "statement_timeout": str(STATEMENT_TIMEOUT_MS),
        "lock_timeout": str(LOCK_TIMEOUT_MS),
        "idle_in_transaction_session_timeout": str(IDLE_IN_TRANSACTION_TIMEOUT_MS),
        "TimeZone": "UTC",
    }


POOL_SIZE = 1  # kept open per PC
MAX_OVERFLOW = 4  # opened while more operations run at once, closed when done


def _postgresql_engine(url: URL, pooler: bool) -> Engine:
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "onewindow",
    }
    settings = session_settings()
    if pooler:
        connect_args["prepare_threshold"] = None  # a server-side PREPARE would collide
    else:
        connect_args["options"] = " ".join(f"-c {k}={v}" for k, v in settings.items())
    # Behind a pooler: the same settings, for the transaction only (one round trip).
    set_local = "SELECT " + ", ".join(
        f"set_config('{name}', '{value}', true)" for name, value in settings.items()
    )
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args=connect_args,
    )
    if pooler:

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(set_local)

    return engine


def make_engine(raw_url: str, pooler: bool = False) -> Engine:
    """An engine for ``raw_url`` with the backend's settings. Does not connect yet.

    ``pooler``: PostgreSQL is reached through PgBouncer in transaction mode.
    """
    url = parse_url(raw_url)
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return _postgresql_engine(url, pooler)
    except NoSuchModuleError as exc:
        raise EnvironmentProblem("缺少数据库驱动程序。", str(exc)) from exc


def describe(url: URL) -> str:
    """A human description of where the data is, without the password."""
    if url.get_backend_name() == "sqlite":
        return f"本机 SQLite 文件 {url.database}"
    return f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


# SQLite opens any file lazily: reading the schema (page 1 and the schema pages) is what
# finds a file that is not a database or is damaged; on PostgreSQL connecting is the test.
_PROBE = {"sqlite": "SELECT count(*) FROM sqlite_master", "postgresql": "SELECT 1"}


def check_connection(engine: Engine) -> None:
    """Connect once and read; turn any failure into a clear :class:`EnvironmentProblem`.

    A SQLite file that is damaged or not a database gets "数据库文件已损坏…" with its path
    (SQLITE_CORRUPT / SQLITE_NOTADB, :mod:`app.db.faults`), never advice about servers and
    networks; nothing is written to it.
    """
    backend = engine.url.get_backend_name()
    try:
        with engine.connect() as conn:
            conn.execute(text(_PROBE[backend]))
    except (DBAPIError, PoolTimeout) as exc:
        where = describe(engine.url)
        detail = str(exc.orig) if isinstance(exc, DBAPIError) else str(exc)
        state = getattr(getattr(exc, "orig", None), "sqlstate", None)
        fault = fault_of(exc)
        # A refused log-in or a missing database fails before the server sends a SQLSTATE
        # (libpq reports it as text); once connected, the fault table decides.
        if state in ("28P01", "28000") or "authentication failed" in detail:
            msg = f"无法登录数据库（{where}）：用户名或密码不正确。"
        elif state == "3D000" or ("database" in detail and "does not exist" in detail):
            msg = f"数据库不存在（{where}）。请先由管理员创建数据库。"
        elif "unsupported startup parameter" in detail:
            msg = (
                f"数据库地址（{where}）是连接池 PgBouncer：请在 config.toml 中设置 "
                'pooler = "pgbouncer"（或环境变量 ONEWINDOW_POOLER=pgbouncer）。'
            )
        elif fault is None and backend == "sqlite":
            msg = f"无法打开数据库（{where}）：{detail}。请联系系统管理员。"
        elif fault in (None, Fault.LOST):
            msg = f"无法连接数据库（{where}）。请检查服务器是否开启、网络是否连通。"
        else:
            problem = problem_of(exc, where)
            assert problem is not None
            raise problem from exc
        raise EnvironmentProblem(msg, detail) from exc
