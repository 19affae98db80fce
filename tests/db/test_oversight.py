"""The supervisor's deadline view on both backends: by state, per department, overdue."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases import oversight
from app.cases.oversight import Deadline
from app.db.session import Database
from app.errors import PermissionDenied
from app.roles import Role
from app.states import CaseState
from tests.helpers.backoffice import Clock, approve_all
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.people import actor


def test_overview_and_deadlines_follow_the_working_day_clock(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 11, 2))  # Monday; 7 working days → due 2026-11-11
    first = accept_dibao(db, applicant(db, "李秀兰", date(1961, 3, 5), seq=81))
    clock.to(db, date(2026, 11, 4))
    second = accept_dibao(db, applicant(db, "王建国", date(1959, 1, 9), seq=82))
    approve_all(db, second.case_id)  # 初审 done: 复审 at 街道, 民政, 残联
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        oversight.overview(db, actor(db))

    view = oversight.overview(db, boss)
    states = {s: n for s, _label, n in view.by_state}
    assert states[CaseState.ACCEPTED] == 1 and states[CaseState.IN_REVIEW] == 1
    load = {d.code: (d.live, d.due_soon, d.overdue) for d in view.departments}
    assert load == {"JD": (2, 0, 0), "MZ": (1, 0, 0), "CL": (1, 0, 0)}
    assert oversight.deadlines(db, boss).rows == ()

    clock.to(db, date(2026, 11, 10))  # the first is due tomorrow, the second on 11-13
    soon = oversight.deadlines(db, boss, Deadline.DUE_SOON).rows
    assert [(r.case_no, r.days_left) for r in soon] == [(first.case_no, 1)]
    clock.to(db, date(2026, 11, 16))  # Monday: the first 3, the second 1 working day late
    late = oversight.deadlines(db, boss).rows
    assert [(r.case_no, r.days_left) for r in late] == [(first.case_no, -3), (second.case_no, -1)]
    assert late[0].holders == "街道社会事务办" and late[1].holders.count("、") == 2
    assert "********" in late[0].applicant
    load = {
        d.code: (d.live, d.due_soon, d.overdue) for d in oversight.overview(db, boss).departments
    }
    assert load["JD"] == (2, 0, 2) and load["CL"] == (1, 0, 1)
    assert oversight.deadlines(db, boss, page_size=1).more
