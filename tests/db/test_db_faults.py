"""Database contention and lost connections end in a clear Chinese message (issue 12, kind 4).

Each fault is made for real where the backend has it: another connection holding the
write lock or a row lock, a statement running too long, every pooled connection taken, a
backend killed by an administrator, a transaction left idle. After each, the next call works.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.db import engine as engine_module
from app.db.models import AuditEvent, Hall, Ticket
from app.db.session import Database
from app.errors import Conflict, EnvironmentProblem, ValidationError
from app.queue import queueing
from tests.conftest import HALL, _pg_admin

BUSY = "系统繁忙，请稍后重试。"

# Engine settings, killed backends and server timeouts of a direct connection.
pytestmark = pytest.mark.direct_pg


def _twin(db: Database, monkeypatch: pytest.MonkeyPatch, **constants: Any) -> Database:
    """A second Database on the same data, made with some engine constants changed."""
    for name, value in constants.items():
        monkeypatch.setattr(engine_module, name, value)
    return Database(db.engine.url.render_as_string(hide_password=False))


def _hall_id(db: Database) -> int:
    return queueing.hall_by_code(db, HALL).id


def _issue(db: Database, hall_id: int) -> str:
    return queueing.issue_ticket(db, queueing.kiosk_actor(hall_id), "A").code


@contextmanager
def _write_lock_held(db: Database) -> Iterator[None]:
    """Another client holds what issuing needs: SQLite's write lock, or PostgreSQL's row locks
    on the ticket counters, the audit chain head and the halls."""
    if db.backend == "sqlite":
        other = sqlite3.connect(str(db.engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    plain = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as other:
        other.execute("SELECT * FROM ticket_counter FOR UPDATE")
        other.execute("SELECT * FROM audit_head FOR UPDATE")
        other.execute("SELECT * FROM hall FOR UPDATE")
        yield
        other.rollback()


POSTGRESQL_ONLY = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def test_a_held_write_lock_is_busy_and_the_next_call_works(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hall_id = _hall_id(db)
    _issue(db, hall_id)  # the counter row exists, so PostgreSQL has a row to wait for
    quick = _twin(db, monkeypatch, SQLITE_BUSY_TIMEOUT_MS=100, LOCK_TIMEOUT_MS=100)
    try:
        with _write_lock_held(db):
            with pytest.raises(EnvironmentProblem) as issuing:
                _issue(quick, hall_id)  # Core transaction
            with pytest.raises(EnvironmentProblem) as session_work, quick.unit_of_work() as s:
                hall = s.get(Hall, hall_id)  # an ORM unit of work
                assert hall is not None
                hall.name = hall.name + "·"
                s.commit()
        assert issuing.value.message == BUSY
        assert session_work.value.message == BUSY
        assert _issue(quick, hall_id) == "A002"
    finally:
        quick.dispose()


@POSTGRESQL_ONLY  # SQLite has no statement timeout
def test_statement_timeout_is_busy(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = _twin(db, monkeypatch, STATEMENT_TIMEOUT_MS=100)
    try:
        with pytest.raises(EnvironmentProblem) as err, quick.read_only() as s:
            s.execute(text("SELECT pg_sleep(2)"))
        assert err.value.message == BUSY
        with quick.read_only() as s:
            assert s.scalar(select(Hall.code)) == HALL
    finally:
        quick.dispose()


def test_every_pooled_connection_taken_is_busy(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = _twin(db, monkeypatch, POOL_TIMEOUT_S=0.2)
    held: list[Connection] = []
    try:
        while True:
            try:
                held.append(quick.engine.connect())
            except PoolTimeout:
                break
        with pytest.raises(EnvironmentProblem) as err:
            _hall_id(quick)
        assert err.value.message == BUSY
        held.pop().close()
        assert _hall_id(quick) > 0
    finally:
        for conn in held:
            conn.close()
        quick.dispose()


def _kill_own_backend(conn: Connection) -> None:
    """An administrator ends this connection's server process (pg_terminate_backend)."""
    pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with _pg_admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


@contextmanager
def _rollback_fails(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The connection dies at the end of the unit of work: for real on PostgreSQL (the
    backend is killed in the block), simulated on SQLite (the rollback raises I/O error)."""
    db.check()  # connected: the dialect's first-connect rollback is not the one that fails
    if db.backend == "sqlite":

        def broken(_dbapi_conn: object) -> None:
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorcode = 10  # type: ignore[attr-defined]
            raise error

        monkeypatch.setattr(db.engine.dialect, "do_rollback", broken)
    yield
    monkeypatch.undo()


def _doomed_work(db: Database, session: Any) -> None:
    """Write something, then lose the connection (PostgreSQL) before the block ends."""
    hall = session.get(Hall, _hall_id(db))
    hall.name = "改了但没提交"
    session.flush()
    if db.backend == "postgresql":
        _kill_own_backend(session.connection())


def test_connection_dying_before_rollback_keeps_the_conflict(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hall_id = _hall_id(db)
    conflict = pytest.raises(Conflict, match="号票已被叫走")
    with _rollback_fails(db, monkeypatch), conflict, db.unit_of_work() as s:
        _doomed_work(db, s)
        raise Conflict("号票已被叫走")
    with db.read_only() as s:  # nothing was kept, and the next call works
        hall = s.get(Hall, hall_id)
        assert hall is not None and hall.name != "改了但没提交"


def test_connection_dying_at_the_end_keeps_the_result(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _rollback_fails(db, monkeypatch), db.unit_of_work() as s:
        _doomed_work(db, s)
        result = "队列为空"
    assert result == "队列为空"
    # A reader whose connection dies after its read.
    with _rollback_fails(db, monkeypatch), db.read_only() as s:
        code = s.scalar(select(Hall.code))
        if db.backend == "postgresql":
            _kill_own_backend(s.connection())
    assert code == HALL
    assert _hall_id(db) > 0


@POSTGRESQL_ONLY  # a SQLite file has no server to lose
def test_connection_killed_mid_work_is_a_lost_connection(db: Database) -> None:
    with pytest.raises(EnvironmentProblem) as err, db.unit_of_work() as s:
        _kill_own_backend(s.connection())
        s.execute(text("SELECT 1"))
    assert err.value.message == f"与数据库（{db.where}）的连接中断，请稍后重试。"
    assert _hall_id(db) > 0  # pool_pre_ping: the next call gets a live connection


@POSTGRESQL_ONLY  # idle_in_transaction_session_timeout is PostgreSQL's
def test_a_frozen_pc_loses_its_transaction_and_recovers(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.read_only() as s:
        assert s.scalar(text("SHOW idle_in_transaction_session_timeout")) == "1min"
    frozen = _twin(db, monkeypatch, IDLE_IN_TRANSACTION_TIMEOUT_MS=200)
    try:
        with pytest.raises(EnvironmentProblem) as err, frozen.unit_of_work() as s:
            s.execute(text("SELECT 1"))
            time.sleep(1.0)  # the PC freezes inside its transaction
            s.execute(text("SELECT 1"))
        assert "连接中断" in err.value.message and frozen.where in err.value.message
        assert _issue(frozen, _hall_id(frozen)) == "A001"
    finally:
        frozen.dispose()


def _ticket_rows(db: Database, token: str) -> tuple[int, int]:
    """(tickets with this token, ticket_issued audit events about them)."""
    with db.read_only() as s:
        ids = s.scalars(select(Ticket.id).where(Ticket.client_token == token)).all()
        events = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "ticket_issued", AuditEvent.entity_id.in_(map(str, ids)))
        )
    return len(ids), int(events or 0)


def test_kiosk_retry_with_the_same_token_gets_the_same_ticket(db: Database) -> None:
    kiosk = queueing.kiosk_actor(_hall_id(db))
    token = uuid.uuid4().hex
    first = queueing.issue_ticket(db, kiosk, "A", client_token=token)
    # The reply was lost after the commit: the kiosk asks again with the same press's token.
    again = queueing.issue_ticket(db, kiosk, "A", client_token=token)
    assert (again.id, again.code, again.issued_at) == (first.id, first.code, first.issued_at)
    assert again.waiting_ahead == first.waiting_ahead == 0
    assert _ticket_rows(db, token) == (1, 1)
    # The next press is the next number: the retry used none.
    assert queueing.issue_ticket(db, kiosk, "A", client_token=uuid.uuid4().hex).code == "A002"
    assert queueing.issue_ticket(db, kiosk, "A").code == "A003"  # a counter PC, no token
    with pytest.raises(ValidationError):
        queueing.issue_ticket(db, kiosk, "A", client_token="x" * 33)


def test_a_database_without_this_programs_tables_is_named_not_a_bug(
    empty_db: Database, backend: str
) -> None:
    """A replica or an address pointing at another (or an un-upgraded) PostgreSQL database:
    a clear message naming the database and what to do, not 程序内部错误."""
    if backend != "postgresql":
        pytest.skip("SQLite reports a missing table only as a generic error (checked at start)")
    replica = Database(
        str(empty_db.engine.url.render_as_string(hide_password=False)),
        label="统计只读库 reporting_database_url",
    )
    try:
        with pytest.raises(EnvironmentProblem) as missing, replica.read_only() as s:
            s.execute(select(Hall.id)).all()
        assert "缺少本程序需要的表或列" in missing.value.message
        assert missing.value.message.startswith(
            "数据库（统计只读库 reporting_database_url：PostgreSQL"
        )
    finally:
        replica.dispose()


def test_a_key_another_writer_took_at_the_same_moment_is_a_conflict(db: Database) -> None:
    """A unique key taken meanwhile (two PCs inserting the same thing where a service cannot
    lock first) is said as a Conflict to look again, not 程序内部错误; other errors stand."""
    with pytest.raises(Conflict) as taken, db.unit_of_work() as s:
        s.add(Hall(code=HALL, name="同一个大厅代码"))
        s.commit()
    assert taken.value.message == "其他人刚刚同时提交了同一项内容，请刷新后重试。"
    with pytest.raises(Exception) as other, db.unit_of_work() as s:
        s.add(Hall(code=None, name="没有代码"))  # type: ignore[arg-type]
        s.commit()
    assert not isinstance(other.value, Conflict)
