"""Two PCs on one event at the same moment (threads on the same database: separate
connections, as two PCs on PostgreSQL): two 延期申请, an approval against a refusal, two
sets of photos. Each time one wins and the other is told (Conflict) or waits its turn —
never both contradicting each other, never an internal error."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from functools import partial

import pytest
from PIL import Image
from sqlalchemy import select

from app.db.models import Incident, IncidentExtension, IncidentPage
from app.db.session import Database
from app.errors import Conflict
from app.incidents import extensions, lifecycle, pictures, reporting
from app.materials.intake import PreparedPage, prepare_page
from app.roles import Role
from app.states import ExtensionState
from tests.helpers.incidents import COVER, fixed_clock, people, version
from tests.helpers.people import actor

ROUNDS = 4


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    return fixed_clock(monkeypatch)


def _together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at once; each one's result, or the DomainError it raised."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        start.wait()
        try:
            return call()
        except Conflict as refused:
            return refused

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _signed(db: Database) -> int:
    clerk, _dispatcher, szs = people(db)
    eid = reporting.report(db, clerk, COVER).incident_id
    lifecycle.sign(db, szs, eid, version(db, eid))
    return eid


def test_two_extension_requests_at_once_leave_one_waiting(
    db: Database, at: Callable[[datetime], None]
) -> None:
    _clerk, _dispatcher, szs = people(db)
    colleague = replace(szs, user_id=None, username="szs2")
    for _ in range(ROUNDS):
        eid = _signed(db)
        v = version(db, eid)
        outcomes = _together(
            partial(extensions.ask, db, szs, eid, v, 8, "需要协调停水"),
            partial(extensions.ask, db, colleague, eid, v, 4, "需要调配吊车"),
        )
        assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
        with db.read_only() as s:
            waiting = s.scalars(
                select(IncidentExtension.id).where(IncidentExtension.incident_id == eid)
            ).all()
        assert len(waiting) == 1


def test_an_approval_and_a_refusal_at_once_agree_with_the_deadline(
    db: Database, at: Callable[[datetime], None]
) -> None:
    _clerk, dispatcher, szs = people(db)
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    for _ in range(ROUNDS):
        eid = _signed(db)
        asked = extensions.ask(db, szs, eid, version(db, eid), 8, "需要协调停水")
        with db.read_only() as s:
            before = s.get(Incident, eid)
            assert before is not None
            due = before.stage_due_at
        outcomes = _together(
            partial(extensions.decide, db, dispatcher, asked.id, True),
            partial(extensions.decide, db, supervisor, asked.id, False, "不同意延期申请"),
        )
        assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
        with db.read_only() as s:
            row = s.get(IncidentExtension, asked.id)
            after = s.get(Incident, eid)
            assert row is not None and after is not None
            moved = after.stage_due_at != due
        assert moved == (row.state == ExtensionState.APPROVED)


def _page(colour: str) -> PreparedPage:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), colour).save(buffer, "PNG")
    return prepare_page(buffer.getvalue(), "处置.png")


def test_two_sets_of_photos_at_once_are_both_kept_in_order(
    db: Database, at: Callable[[datetime], None]
) -> None:
    _clerk, _dispatcher, szs = people(db)
    colleague = replace(szs, user_id=None, username="szs2")
    for _ in range(ROUNDS):
        eid = _signed(db)
        outcomes = _together(
            partial(pictures.add_photos, db, szs, eid, "feedback", [_page("red")]),
            partial(pictures.add_photos, db, colleague, eid, "feedback", [_page("blue")]),
        )
        assert outcomes == [1, 1]
        with db.read_only() as s:
            positions = s.scalars(
                select(IncidentPage.position)
                .where(IncidentPage.incident_id == eid)
                .order_by(IncidentPage.position)
            ).all()
        assert positions == [1, 2]
