"""The services a clerk took lately, counted for the service search, on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.cases import intake, service_usage
from app.cases.intake import IntakeInput
from app.db import clock
from app.db.session import Database
from app.hall import catalog
from app.hall.service_search import rank
from tests.helpers.dibao import accept_dibao, applicant, ticks
from tests.helpers.people import actor


def _proof(db: Database, person: int, username: str = "clerk") -> None:
    """A 户籍证明 (GA005, 即办件) accepted by ``username``."""
    form = {"proof_type": "亲属关系证明", "purpose": "继承公证"}
    inp = IntakeInput("GA005", person, form, ticks("id_card", "hukou"))
    intake.accept(db, actor(db, username), inp)


def test_counts_are_the_clerks_own_accepted_cases_and_rank_equal_hits(db: Database) -> None:
    person = applicant(db)
    accept_dibao(db, person)
    _proof(db, person)
    _proof(db, person)
    _proof(db, person, "clerk2")
    clerk = actor(db)
    counts = service_usage.counts(db, clerk, max_age=0)
    assert counts == {"GA005": 2, "MZ001": 1}
    assert service_usage.counts(db, actor(db, "clerk2"), max_age=0) == {"GA005": 1}
    # The clerk's list starts with what the clerk takes most.
    entries = catalog.list_services(db, clerk)
    assert [e.code for e in rank(entries, "", counts)][:2] == ["GA005", "MZ001"]
    # 户 finds 户籍证明 and 户口迁移 alike (a start); usage puts GA005 first.
    assert rank(entries, "户")[0].code == "GA004"
    assert rank(entries, "户", counts)[0].code == "GA005"


def test_counts_are_kept_a_minute_and_forget_old_cases(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = applicant(db)
    clerk = actor(db)
    assert service_usage.counts(db, clerk, max_age=0) == {}
    accept_dibao(db, person)
    assert service_usage.counts(db, clerk) == {}  # read a moment ago: kept
    assert service_usage.counts(db, clerk, max_age=0) == {"MZ001": 1}
    real = clock.now

    def later(session: Session | Connection) -> datetime:
        return real(session) + timedelta(days=service_usage.DAYS + 1)

    monkeypatch.setattr(clock, "now", later)
    assert service_usage.counts(db, clerk, max_age=0) == {}
