"""The program behind PgBouncer in transaction mode (issue 17): a whole day's journey, a
display learning of a call by polling through the pooler, timeouts set per transaction
and no server-side prepared statement colliding between clients sharing a connection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app import audit
from app.cases import housekeeping, pickup
from app.db.engine import STATEMENT_TIMEOUT_MS
from app.db.models import Case
from app.db.session import Database
from app.events import HallPoller, PostgresListener, listener_for
from app.queue import calling, queueing, windows
from app.roles import Role
from app.states import CaseState
from tests.conftest import _Templates, drop_pg_database
from tests.helpers.backoffice import Clock, approve_all
from tests.helpers.dibao import accept_dibao
from tests.helpers.people import actor, id_number
from tests.helpers.ratings import window_id


@pytest.fixture
def pooled(templates: _Templates, pgbouncer_url: Callable[[str], str]) -> Iterator[Database]:
    """A fresh prepared database, reached through PgBouncer (transaction mode)."""
    direct, name = templates.fresh("postgresql")
    db = Database(pgbouncer_url(direct), pooler=True)
    yield db
    db.dispose()
    drop_pg_database(name)


def test_a_day_through_the_pooler(
    pooled: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = pooled
    hall = queueing.hall_by_code(db, "DEMO").id
    display = listener_for(db, hall)  # a hall display's change feed through the pooler
    assert isinstance(display, HallPoller)
    try:
        assert [c.kind for c in display.wait(5.0)] == ["reconnected"]
        clerk = actor(db)
        wid = window_id(db, 1)
        windows.open_window(db, clerk, wid)
        ticket = queueing.issue_ticket(db, queueing.kiosk_actor(hall), "A")
        display.wait(3.0)
        called = calling.call_next(db, clerk, wid)
        assert called is not None and called.id == ticket.id
        assert [(c.kind, c.hall) for c in display.wait(5.0)] == [("changed", hall)]
    finally:
        display.close()
    started = calling.start_service(db, clerk, called.id, called.version)
    calling.finish(db, clerk, started.id, started.version)
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 11, 2))
    case = accept_dibao(db)
    assert case.case_no is not None and case.case_no.startswith("DEMO-MZ")
    approve_all(db, case.case_id)
    approve_all(db, case.case_id)  # 复审 → 公示
    clock.to(db, date(2026, 11, 12))
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    assert housekeeping.tick(db, boss, pickup.FileSender(tmp_path / "sms.log")).advanced == 1
    approve_all(db, case.case_id)  # 发放
    handed = pickup.hand_over(db, clerk, case.case_id, id_number(date(1961, 3, 5), 7, female=True))
    assert "本人" in handed.collector
    with db.read_only() as s:
        assert s.get(Case, case.case_id).state == CaseState.DELIVERED  # type: ignore[union-attr]
    report = audit.verify_chain(db)
    assert report.ok, report.problems


def test_each_transaction_carries_its_timeouts(pooled: Database) -> None:
    with pooled.unit_of_work() as s:
        assert s.scalar(text("SHOW statement_timeout")) == f"{STATEMENT_TIMEOUT_MS // 1000}s"
        assert s.scalar(text("SHOW TimeZone")) == "UTC"
    with pooled.read_only() as s:  # reads too: behind a pooler they run in a transaction
        assert s.scalar(text("SHOW lock_timeout")) == "10s"


def test_clients_sharing_server_connections_never_collide(
    templates: _Templates, pgbouncer_url: Callable[[str], str]
) -> None:
    direct, name = templates.fresh("postgresql")
    pcs = [Database(pgbouncer_url(direct), pooler=True) for _ in range(8)]  # 8 PCs, 4 servers
    try:
        with pcs[0].engine.connect() as conn:  # psycopg prepares nothing on the server
            assert conn.connection.dbapi_connection.prepare_threshold is None  # type: ignore[union-attr]
        hall = queueing.hall_by_code(pcs[0], "DEMO").id
        for _round in range(12):  # psycopg would prepare a query run 5 times on a connection
            for pc in pcs:
                assert windows.board(pc, hall).hall_name
    finally:
        for pc in pcs:
            pc.dispose()
        drop_pg_database(name)


def test_a_direct_listen_url_gives_instant_notices(
    templates: _Templates, pgbouncer_url: Callable[[str], str]
) -> None:
    direct, name = templates.fresh("postgresql")
    db = Database(pgbouncer_url(direct), pooler=True, listen_url=direct)
    hall = queueing.hall_by_code(db, "DEMO").id
    feed = listener_for(db, hall)
    try:
        assert isinstance(feed, PostgresListener)
        assert [c.kind for c in feed.wait(5.0)] == ["reconnected"]
        queueing.issue_ticket(db, queueing.kiosk_actor(hall), "A")  # written through the pooler
        assert [(c.kind, c.hall) for c in feed.wait(5.0)] == [("issued", hall)]
    finally:
        feed.close()
        db.dispose()
        drop_pg_database(name)


def test_a_pooler_address_without_the_setting_is_explained(
    templates: _Templates, pgbouncer_url: Callable[[str], str]
) -> None:
    from app.errors import EnvironmentProblem

    direct, name = templates.fresh("postgresql")
    plain = Database(pgbouncer_url(direct))  # config.toml without pooler = "pgbouncer"
    try:
        with pytest.raises(EnvironmentProblem, match='pooler = "pgbouncer"'):
            plain.check()
    finally:
        plain.dispose()
        drop_pg_database(name)
