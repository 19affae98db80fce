"""Shared by the events' tests: a sample report, the people who work it, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest

from app.actor import Actor
from app.db import clock
from app.db.models import Incident
from app.db.session import Database
from app.incidents.reporting import IncidentInput
from app.roles import Role
from tests.helpers.people import actor

# Thursday 29 October 2026, 10:00 in Beijing (02:00 UTC).
START = datetime(2026, 10, 29, 2, 0)
COVER = IncidentInput(
    "SZSS01",
    "幸福社区第一网格",
    "幸福路 3 号门口",
    "井盖缺失，有人差点掉下去",
    "counter",
    "张三",
    "13800138000",
)


def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """The database clock fixed at :data:`START`; the returned function moves it."""
    moment = [START]
    monkeypatch.setattr(clock, "now", lambda _s: moment[0])

    def move(to: datetime) -> None:
        moment[0] = to

    return move


def people(db: Database) -> tuple[Actor, Actor, Actor]:
    """A counter clerk, a dispatcher, and an approver of 市政 (SZ)."""
    clerk = actor(db, "clerk", Role.CLERK)
    dispatcher = actor(db, "supervisor", Role.DISPATCHER)
    szs = replace(actor(db, "approver", Role.APPROVER), departments=frozenset({"SZ"}))
    return clerk, dispatcher, szs


def version(db: Database, incident_id: int) -> int:
    """The event's current version (what a screen read)."""
    with db.read_only() as s:
        found = s.get(Incident, incident_id)
        assert found is not None
        return found.version
