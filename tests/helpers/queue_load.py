"""Workers for the concurrency tests and the ticket benchmark (importable by spawned processes)."""

from __future__ import annotations

import os

from app.actor import Actor
from app.db.session import Database
from app.queue import calling, queueing
from app.roles import Role


def open_db(url: str) -> Database:
    """The database at ``url`` as a PC of the test run opens it: through PgBouncer when the
    run goes through one (``ONEWINDOW_POOLER``, set by the tests' conftest and inherited by
    spawned workers)."""
    return Database(url, pooler=os.environ.get("ONEWINDOW_POOLER") == "pgbouncer")


def issue_and_call(
    url: str, hall_id: int, clerk_id: int | None, window_id: int | None, count: int, letters: str
) -> list[int]:
    """Issue ``count`` tickets; if this worker sits at a window, call and finish after each."""
    db = open_db(url)
    kiosk = queueing.kiosk_actor(hall_id)
    clerk = (
        Actor(
            user_id=clerk_id,
            username=f"c{clerk_id}",
            full_name="窗口",
            hall_id=hall_id,
            roles=frozenset({Role.CLERK}),
        )
        if clerk_id
        else None
    )
    called: list[int] = []
    try:
        for i in range(count):
            queueing.issue_ticket(db, kiosk, letters[i % len(letters)])
            if clerk is not None and window_id is not None:
                t = calling.call_next(db, clerk, window_id)
                if t is not None:
                    called.append(t.id)
                    calling.start_service(db, clerk, t.id)
                    calling.finish(db, clerk, t.id)
    finally:
        db.dispose()
    return called
