"""A year of weekly ratings (2026: ISO weeks 2026-W01 … 2026-W53) for the long-range views.

Every Thursday of 2026 (53 of them, 1 January to 31 December, one in each ISO week) ten
民政 ratings at window 1: ``8 - week % 4`` of them 满意 (level 4), the rest 不满意 (level
2) — a 满意率 of 80, 70, 60, 50 % going round. The rows go in directly, as in
:mod:`tests.helpers.stats_day`.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.db.models import Department, Rating
from app.db.session import Database
from tests.helpers import stats_day
from tests.helpers.stats_day import at

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
WEEKS = 53


def thursdays() -> list[date]:
    """The 53 Thursdays of 2026."""
    return [YEAR[0] + timedelta(weeks=n) for n in range(WEEKS)]


def seed(db: Database) -> None:
    """The year's ratings (see the module docstring)."""
    with db.unit_of_work() as s:
        known = stats_day.ids(s)
        mz = s.scalars(select(Department.id).where(Department.code == "MZ")).one()
        for week, day in enumerate(thursdays(), start=1):
            good = 8 - week % 4
            for n in range(10):
                s.add(
                    Rating(
                        hall_id=known["hall"],
                        subject_key=f"Y:{week}:{n}",
                        stage="service",
                        level=4 if n < good else 2,
                        channel="rating_screen",
                        department_id=mz,
                        window_id=known["window1"],
                        rated_at=at("12:00", day),
                        service_day=day,
                    )
                )
        s.commit()
