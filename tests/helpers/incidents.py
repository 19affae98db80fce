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


# (sub-type, grid, expected 主办 or None for a dispatcher, expected 抄送)
SAMPLE: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    ("SRHW01", "幸福社区第一网格", "WY", ("CG",)),  # inside the estate: the property first
    ("SRHW01", "幸福社区第三网格", "WY", ("CG",)),
    ("SRHW01", "和平里第一网格", "CG", ()),
    ("SRHW02", "幸福社区第一网格", "CG", ()),
    ("SRHW02", "和平里第二网格", "CG", ()),
    ("SRHW03", "兴化第三网格", "CG", ()),
    ("SZSS01", "幸福社区第一网格", "SZ", ("PCS",)),  # a missing manhole cover: police too
    ("SZSS01", "和平里第一网格", "SZ", ("PCS",)),
    ("SZSS02", "幸福社区第二网格", "SZ", ()),
    ("SZSS02", "兴化第三网格", "SZ", ()),
    ("SZSS03", "和平里第二网格", "SZ", ()),
    ("SZSS03", "幸福社区第一网格", "SZ", ()),
    ("SZSS04", "兴化第一网格", "SZ", ()),
    ("HJBH01", "幸福社区第一网格", "HB", ("PCS",)),
    ("HJBH01", "和平里第一网格", "HB", ("PCS",)),
    ("HJBH02", "兴化第三网格", "HB", ()),
    ("HJBH02", "和平里第二网格", "HB", ()),
    ("GGAQ01", "幸福社区第一网格", "PCS", ("ZZ",)),
    ("GGAQ01", "兴化第二网格", "PCS", ("ZZ",)),
    ("GGAQ02", "和平里第一网格", "ZJ", ("ZZ",)),  # a dangerous house: 住建
    ("GGAQ02", "幸福社区第二网格", "ZJ", ("ZZ",)),
    ("LLJF01", "幸福社区第一网格", "ZZ", ()),
    ("LLJF01", "和平里第二网格", "ZZ", ()),
    ("LLJF02", "幸福社区第一网格", "WY", ("ZZ",)),
    ("LLJF02", "和平里第一网格", "WY", ()),
    ("LLJF02", "和平里第二网格", None, ()),  # two rules disagree there: a dispatcher decides
    ("LLJF02", "兴化第一网格", "ZZ", ()),
    ("LLJF03", "兴化第三网格", "ZZ", ()),
    ("LLJF03", "幸福社区第二网格", "ZZ", ()),
    ("SRHW03", "和平里第一网格", "CG", ()),
    ("XXXX99", "兴化第一网格", None, ()),  # a sub-type the catalog does not have
]
