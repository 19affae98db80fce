"""The city view (全市对比): every readable hall's headline figures side by side.

A supervisor who is also the system administrator (no city-wide role exists yet, see
:mod:`app.stats.scope`) gets a row per hall of the database; any other supervisor gets
their own hall's row only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.actor import Actor
from app.db.session import Database
from app.errors import PermissionDenied
from app.roles import Permission
from app.stats import cases, queue, satisfaction, scope


@dataclass(frozen=True)
class HallSummary:
    """One hall's headline figures over the period (rates 0..1, times in seconds)."""

    hall_id: int
    hall: str
    tickets: int
    wait_p50_s: int | None
    wait_p90_s: int | None
    within_15: float | None
    accepted: int
    decided: int
    on_time_rate: float | None
    ratings: int
    satisfied_rate: float | None


def city_overview(db: Database, actor: Actor, first: date, last: date) -> list[HallSummary]:
    """Headline figures of each hall ``actor`` may read, by hall code.

    Raises PermissionDenied for a user who is not a supervisor, ValidationError (range).
    """
    if not actor.can(Permission.SUPERVISE):
        raise PermissionDenied("仅大厅管理员可查看大厅对比。")
    out = []
    with db.read_only() as s:
        for hall_id in scope.readable_halls(s, actor):
            p = scope.period(s, hall_id, first, last)
            q = queue.overall(s, p)
            c = cases.compute(s, p, None)
            sat = satisfaction.compute(s, p, None).overall
            decided = sum(r.decided for r in c.per_department)
            on_time = sum(r.on_time for r in c.per_department)
            out.append(
                HallSummary(
                    hall_id,
                    p.hall_name,
                    q.tickets,
                    q.wait.p50_s,
                    q.wait.p90_s,
                    q.within_15,
                    sum(r.accepted for r in c.per_department),
                    decided,
                    on_time / decided if decided else None,
                    sat.total,
                    sat.satisfied_rate,
                )
            )
    return out
