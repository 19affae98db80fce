"""Back-office test helpers: a simulated clock, a case's live tasks, the demo approvers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases import workflow
from app.cases.workflow import Decision, Outcome
from app.db import clock
from app.db.models import Department, Task
from app.db.session import Database, db_now
from app.errors import PermissionDenied
from app.queue import queueing
from app.roles import Role
from app.states import TaskState
from tests.helpers.people import actor


class Clock:
    """The database clock moved forward by whole days (simulated time)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.days = 0
        monkeypatch.setattr(clock, "now", self)

    def __call__(self, session: Session) -> datetime:
        return db_now(session) + timedelta(days=self.days)

    def to(self, db: Database, day: date) -> None:
        """Move to ``day`` (in the hall's time zone, as the services see it)."""
        with db.read_only() as s:
            self.days = 0
            today = clock.service_day(s, queueing.hall_by_code(db, "DEMO"), self(s))
        self.days = (day - today).days


def open_tasks(db: Database, case_id: int) -> list[tuple[int, int, str]]:
    """(task id, version, department code) of the case's live tasks."""
    with db.read_only() as s:
        rows = s.execute(
            select(Task.id, Task.version, Department.code)
            .join(Department, Department.id == Task.department_id)
            .where(Task.case_id == case_id, Task.state.in_([TaskState.OPEN, TaskState.CLAIMED]))
            .order_by(Task.id)
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def people(db: Database) -> dict[str, Actor]:
    approver = actor(db, "approver", Role.APPROVER)  # 街道 and 民政
    canlian = actor(db, "canlian", Role.APPROVER)  # 残联
    return {"JD": approver, "MZ": approver, "CL": canlian}


def colleagues(db: Database) -> dict[str, list[Actor]]:
    """Each department's demo approvers, the first of :func:`people` first."""
    first = people(db)
    more = {"JD": ["jiedao"], "MZ": ["minzheng", "minzheng2"], "CL": []}
    return {
        code: [first[code], *(actor(db, name, Role.APPROVER) for name in more[code])]
        for code in first
    }


def approve_all(db: Database, case_id: int, opinion: str = "情况属实，同意。") -> None:
    """Approve every live task, each by the first demo approver 职责分离 lets decide it."""
    pool = colleagues(db)
    for task_id, version, code in open_tasks(db, case_id):
        d = Decision(task_id, version, Outcome.APPROVE, opinion)
        for who in pool[code]:
            try:
                workflow.decide(db, who, d)
                break
            except PermissionDenied:
                continue  # decided another step (or department) of this case
        else:
            raise AssertionError(f"no {code} approver may decide task {task_id}")
