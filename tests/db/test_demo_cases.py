"""The sample work a new demo database starts with, made through the real services."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases import demo_cases, inbox, oversight, pickup
from app.db.session import Database
from app.errors import AuthenticationFailed
from app.people import users
from app.roles import Role
from app.states import CaseState
from tests.helpers.people import actor


def test_demo_hall_gets_a_case_in_every_stage_once(db: Database) -> None:
    assert demo_cases.seed(db) == len(demo_cases.PEOPLE)
    assert demo_cases.seed(db) == 0  # never twice
    approver = actor(db, "approver", Role.APPROVER)
    steps = sorted(r.step_name for r in inbox.inbox(db, approver).rows)
    assert steps == ["初审", "复审", "复审"]  # 李秀兰 at 街道; 王建国 at 街道 and 民政
    # 初审 was a colleague's (职责分离): the demo approver may decide 王建国's 复审.
    assert not any(r.barred for r in inbox.inbox(db, approver).rows)
    canlian = actor(db, "canlian", Role.APPROVER)
    assert [r.applicant_name for r in inbox.inbox(db, canlian).rows] == ["王建国"]
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    states = {s: n for s, _l, n in oversight.overview(db, boss).by_state}
    assert states[CaseState.AWAITING_SUPPLEMENT] == 1 and states[CaseState.PUBLICIZING] == 1
    ready = pickup.ready(db, actor(db), demo_cases._id_number(*_born("赵丽华")))
    assert [r.state for r in ready] == [CaseState.REJECTED]


def test_demo_actor_only_in_a_demo_hall(db: Database) -> None:
    assert users.demo_actor(db, "clerk").username == "clerk"
    with pytest.raises(AuthenticationFailed):
        users.demo_actor(db, "nobody")


def _born(name: str) -> tuple[date, int, bool]:
    for seq, (n, born, female, _stage) in enumerate(demo_cases.PEOPLE, start=301):
        if n == name:
            return born, seq, female
    raise KeyError(name)


def test_the_demo_care_worker_starts_with_a_round_of_every_kind(db: Database) -> None:
    from app.care import demo as care_demo
    from app.care import duelist

    assert care_demo.seed(db) == len(care_demo.PEOPLE)
    assert care_demo.seed(db) == 0  # never twice
    rows = duelist.due_list(db, actor(db, "care", Role.CARE)).rows
    seen = {(r.name, r.bucket) for r in rows}
    assert ("张桂英", "overdue") in seen and ("张桂英", "today") in seen  # home late, call today
    assert any(r.name == "孙玉兰" and r.event_id for r in rows)  # a hospital stay: 24 hours
    assert {"overdue", "today", "soon"} <= {bucket for _name, bucket in seen}
    assert rows[0].tier == "high"  # the highest risk first
