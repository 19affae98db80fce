"""Many kiosks and windows at once: numbers stay unique and gapless, no ticket is called twice."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app import audit
from app.actor import Actor
from app.db.models import AuditEvent, QueueCategory, Ticket, User, UserRole, Window
from app.db.session import Database
from app.queue import queueing, windows
from app.roles import Role
from tests.helpers.queue_load import issue_and_call

PER_WORKER = 15
LETTERS = "ABC"


def _staff_windows(db: Database, count: int) -> list[tuple[int, int]]:
    """``count`` clerks, each on duty at an open window: (clerk id, window id)."""
    hall_id = queueing.hall_by_code(db, "DEMO").id
    pairs = []
    with db.unit_of_work() as s:
        window_ids = list(s.scalars(select(Window.id).order_by(Window.number)))[:count]
        for i, _ in enumerate(window_ids):
            u = User(
                hall_id=hall_id,
                username=f"load{i}",
                full_name=f"窗口{i}",
                password_hash="-",
                roles=[UserRole(role=Role.CLERK)],
            )
            s.add(u)
            s.flush()
            pairs.append((u.id, window_ids[i]))
        s.commit()
    for uid, wid in pairs:
        actor = Actor(
            user_id=uid,
            username=f"load{uid}",
            full_name="窗口",
            hall_id=hall_id,
            roles=frozenset({Role.CLERK}),
        )
        windows.open_window(db, actor, wid)
    return pairs


def _check(db: Database, called: list[int], expected: int) -> None:
    with db.unit_of_work() as s:
        rows = s.execute(
            select(QueueCategory.letter, Ticket.number, Ticket.code).join(
                QueueCategory, QueueCategory.id == Ticket.category_id
            )
        ).all()
        assert len(rows) == expected
        for letter in LETTERS:
            numbers = sorted(n for lt, n, _ in rows if lt == letter)
            assert numbers == list(range(1, len(numbers) + 1)), f"{letter}: gaps or duplicates"
        codes = Counter(code for _, _, code in rows)
        assert max(codes.values()) == 1
        calls = Counter(
            s.scalars(select(AuditEvent.entity_id).where(AuditEvent.action == "ticket_called"))
        )
    assert calls and max(calls.values()) == 1, "a ticket was called twice"
    assert len(called) == len(set(called)) == len(calls)
    # Every issue and call was audited in its own transaction: the chain never forked.
    report = audit.verify_chain(db)
    assert report.ok, report.problems[:3]


def test_eight_processes_issue_and_call_at_once(db: Database) -> None:
    pairs = _staff_windows(db, 6)
    hall_id = queueing.hall_by_code(db, "DEMO").id
    url = db.engine.url.render_as_string(hide_password=False)
    jobs = [
        (url, hall_id, *(pairs[i] if i < len(pairs) else (None, None)), PER_WORKER, LETTERS)
        for i in range(8)
    ]
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        results = pool.starmap(issue_and_call, jobs)
    _check(db, [t for r in results for t in r], 8 * PER_WORKER)


# Threads share one engine and its pool; on SQLite one writer at a time makes this the
# process test again, so it runs on PostgreSQL only.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_sixteen_threads_on_postgresql(db: Database) -> None:
    pairs = _staff_windows(db, 6)
    hall_id = queueing.hall_by_code(db, "DEMO").id
    url = db.engine.url.render_as_string(hide_password=False)
    with ThreadPoolExecutor(16) as pool:
        futures = [
            pool.submit(
                issue_and_call,
                url,
                hall_id,
                *(pairs[i] if i < len(pairs) else (None, None)),
                PER_WORKER,
                LETTERS,
            )
            for i in range(16)
        ]
        results = [f.result() for f in futures]
    _check(db, [t for r in results for t in r], 16 * PER_WORKER)
