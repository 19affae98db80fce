"""A change committed on one connection reaches a listener on another, on both backends."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from app.actor import Actor
from app.db.models import User, Window
from app.db.session import Database
from app.events import listener_for
from app.queue import calling, queueing, windows
from app.roles import Role

# LISTEN/NOTIFY and killing the listening backend: a direct connection's matters.
pytestmark = pytest.mark.direct_pg


def _drain(listener, seconds: float = 1.0) -> list[str]:  # type: ignore[no-untyped-def]
    kinds: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kinds += [c.kind for c in listener.wait(0.2)]
    return kinds


def _demo(db: Database) -> int:
    return queueing.hall_by_code(db, "DEMO").id


def test_a_call_reaches_a_listener(db: Database) -> None:
    hall_id = _demo(db)
    listener = listener_for(db, hall_id)
    try:
        assert "reconnected" in [c.kind for c in listener.wait(1.0)]  # first contact
        with db.unit_of_work() as s:
            uid = s.scalars(select(User.id).where(User.username == "clerk")).one()
            wid = s.scalars(select(Window.id).where(Window.number == 1)).one()
        clerk = Actor(
            user_id=uid,
            username="clerk",
            full_name="王晓燕",
            hall_id=hall_id,
            roles=frozenset({Role.CLERK}),
        )
        windows.open_window(db, clerk, wid)
        queueing.issue_ticket(db, queueing.kiosk_actor(hall_id), "A")
        _drain(listener, 0.5)
        calling.call_next(db, clerk, wid)
        changes = listener.wait(2.0)
        assert changes, "no change seen within 2 s"
        if db.backend == "postgresql":
            call = next(c for c in changes if c.kind == "call")
            assert call.data == {"ticket": "A001", "window": 1} and call.hall == hall_id
        else:
            assert changes[0].kind == "changed"
        assert listener.wait(0.3) == []  # nothing else happened
    finally:
        listener.close()


def test_an_issued_ticket_reaches_a_listener(db: Database) -> None:
    hall_id = _demo(db)
    listener = listener_for(db, hall_id)
    try:
        listener.wait(1.0)
        queueing.issue_ticket(db, queueing.kiosk_actor(hall_id), "B")
        changes = listener.wait(2.0)
        assert changes, "no change seen within 2 s"
        if db.backend == "postgresql":
            issued = next(c for c in changes if c.kind == "issued")
            assert issued.data == {"ticket": "B001"} and issued.hall == hall_id
        else:
            assert changes[0].kind == "changed"
    finally:
        listener.close()


def test_listener_survives_losing_its_connection(db: Database) -> None:
    """A database restart or network cut: the listener reconnects and says so."""
    from sqlalchemy import text

    listener = listener_for(db, _demo(db))
    try:
        listener.wait(1.0)
        if db.backend == "postgresql":
            with db.engine.connect() as conn:  # kill the listening session, as a restart would
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
                        " AND datname = current_database()"
                    )
                )
                conn.commit()
        else:
            listener.close()  # the poller's connection is gone
        kinds: list[str] = []
        for _ in range(20):
            kinds += [c.kind for c in listener.wait(0.5)]
            if "reconnected" in kinds:
                break
        assert "reconnected" in kinds
        queueing.issue_ticket(db, queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id), "A")
        assert listener.wait(2.0), "no change seen after reconnecting"
    finally:
        listener.close()


# SQLite is one hall on one PC: its poller sees every commit, there is no other hall.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_another_halls_listener_hears_nothing(db: Database) -> None:
    from app.hall import setup

    with db.unit_of_work() as s:
        other = setup.ensure_hall(s, "JX01", "经开区便民服务中心").id
        s.commit()
    theirs, ours = listener_for(db, other), listener_for(db, _demo(db))
    try:
        theirs.wait(1.0)
        ours.wait(1.0)
        queueing.issue_ticket(db, queueing.kiosk_actor(_demo(db)), "A")
        assert [c.kind for c in ours.wait(2.0)] == ["issued"]
        assert _drain(theirs, 1.0) == []  # the other hall's PCs were not even sent it
    finally:
        theirs.close()
        ours.close()


def test_a_listen_address_that_cannot_connect_polls_meanwhile_and_says_so_once(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong ``listen_url`` (or the server restarting): changes still arrive, polled through
    the pool, and the log says so once a minute, not twice a second (issue 17's QA)."""
    if db.backend != "postgresql":
        pytest.skip("SQLite polls its file; it has no listen address")
    from app.events import HallPoller, PostgresListener

    hall_id = _demo(db)
    listener = PostgresListener(
        "postgresql://postgres@127.0.0.1:1/nowhere", hall_id, fallback=HallPoller(db, hall_id)
    )
    try:
        _drain(listener, 1.0)  # the poller's first look
        queueing.issue_ticket(db, queueing.kiosk_actor(hall_id), "C")
        seen = _drain(listener, 4.0)
        assert "changed" in seen, "the ticket was not seen by polling"
        said = [r for r in caplog.records if "cannot connect" in r.getMessage()]
        assert len(said) == 1 and "polling meanwhile" in said[0].getMessage()
    finally:
        listener.close()
