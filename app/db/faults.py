"""Which database errors a person can meet, and what they are told: one table, both backends.

Errors are classified by exception class and code, never by words in the driver's text:
PostgreSQL by SQLSTATE (psycopg's ``exc.sqlstate``), SQLite by its result code
(``sqlite3.Error.sqlite_errorcode``, primary code in the low byte). What is not in the
table (an integrity error, a syntax error) is a bug or a race the service handles itself,
and stays as it is. Every message names where the data is (``{where}``: the SQLite file's
path, or the PostgreSQL server and database), so a damaged local file is never mistaken
for a server that is down.
"""

from __future__ import annotations

import sqlite3
from enum import Enum

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.errors import EnvironmentProblem


class Fault(Enum):
    """What went wrong, as far as the person at the screen is concerned."""

    BUSY = "系统繁忙，请稍后重试。"
    LOST = "与数据库（{where}）的连接中断，请稍后重试。"
    CORRUPT = "数据库文件已损坏或不是本系统的数据库（{where}）。请联系系统管理员从备份恢复。"
    CANT_OPEN = "无法打开数据库文件（{where}）：请检查文件夹是否存在、是否有读写权限。"
    READ_ONLY = "数据库只能读取、不能写入（{where}）：请检查文件和文件夹的写入权限。"
    FULL = "磁盘已满，无法写入数据库（{where}）：请清理磁盘空间后重试。"
    IO = "读写数据库文件出错（{where}）：磁盘或文件可能有故障。请联系系统管理员。"
    SCHEMA = (
        "数据库（{where}）缺少本程序需要的表或列：它还没有升级到本程序的版本，或不是本系统的"
        "数据库。请系统管理员运行 onewindow db upgrade，或检查配置中的数据库地址。"
    )


# PostgreSQL: SQLSTATE, or its two-character class, → fault.
PG_SQLSTATE: dict[str, Fault] = {
    "55P03": Fault.BUSY,  # lock_not_available (lock_timeout)
    "57014": Fault.BUSY,  # query_canceled (statement_timeout)
    "40001": Fault.BUSY,  # serialization_failure
    "40P01": Fault.BUSY,  # deadlock_detected
    "53300": Fault.BUSY,  # too_many_connections
    "08": Fault.LOST,  # connection_exception (class)
    "57P01": Fault.LOST,  # admin_shutdown (server stopped, backend terminated)
    "57P02": Fault.LOST,  # crash_shutdown
    "57P03": Fault.LOST,  # cannot_connect_now (starting up)
    "25P03": Fault.LOST,  # idle_in_transaction_session_timeout
    "53100": Fault.FULL,  # disk_full
    "XX001": Fault.CORRUPT,  # data_corrupted
    "XX002": Fault.CORRUPT,  # index_corrupted
    "42P01": Fault.SCHEMA,  # undefined_table: not upgraded, or another database
    "42703": Fault.SCHEMA,  # undefined_column: an older schema (e.g. before a migration)
}

# SQLite: primary result code → fault.
SQLITE_CODE: dict[int, Fault] = {
    5: Fault.BUSY,  # SQLITE_BUSY: "database is locked" after busy_timeout
    6: Fault.BUSY,  # SQLITE_LOCKED
    8: Fault.READ_ONLY,  # SQLITE_READONLY: file or folder not writable
    10: Fault.IO,  # SQLITE_IOERR (and its extended codes)
    11: Fault.CORRUPT,  # SQLITE_CORRUPT: "database disk image is malformed" (e.g. truncated)
    13: Fault.FULL,  # SQLITE_FULL
    14: Fault.CANT_OPEN,  # SQLITE_CANTOPEN: missing folder, no permission, a directory
    26: Fault.CORRUPT,  # SQLITE_NOTADB: "file is not a database" (random bytes, encrypted)
}


def _psycopg_fault(orig: BaseException) -> Fault | None:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the driver ships with the program
        return None
    if not isinstance(orig, psycopg.Error):
        return None
    state = orig.sqlstate
    if state:
        return PG_SQLSTATE.get(state) or PG_SQLSTATE.get(state[:2])
    # No SQLSTATE: the client library lost the server (closed socket, connection closed).
    if isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError):
        return Fault.LOST
    return None


def fault_of(exc: BaseException) -> Fault | None:
    """The fault ``exc`` stands for, or None if it is not an environment problem.

    ``exc`` is what SQLAlchemy raised (a ``DBAPIError`` or the pool's ``TimeoutError``)
    or a driver's own error (the change listener talks to psycopg and sqlite3 directly).
    """
    if isinstance(exc, PoolTimeout):  # every pooled connection in use for pool_timeout
        return Fault.BUSY
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return SQLITE_CODE.get(code & 0xFF) if isinstance(code, int) else None
    fault = _psycopg_fault(orig) if orig is not None else None
    if fault is None and isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return Fault.LOST
    return fault


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a unique-key violation (PostgreSQL 23505, SQLite's UNIQUE or
    PRIMARY KEY constraint): two PCs inserting the same key at the same moment."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        return getattr(orig, "sqlite_errorcode", None) in (2067, 1555)
    return getattr(orig, "sqlstate", None) == "23505"


def problem_of(exc: BaseException, where: str) -> EnvironmentProblem | None:
    """``exc`` as an :class:`EnvironmentProblem` with its Chinese message, or None.

    ``where`` names the database (:func:`app.db.engine.describe`), for a lost connection.
    """
    fault = fault_of(exc)
    if fault is None:
        return None
    detail = str(getattr(exc, "orig", None) or exc)
    return EnvironmentProblem(fault.value.format(where=where), detail)
