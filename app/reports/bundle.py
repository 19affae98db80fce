"""Everything the 统计 workspace shows for one hall and period, read in one call.

A supervisor gets every figure; an approver (read-only department view, see
:mod:`app.stats.scope`) gets the case, satisfaction and department figures of their own
departments — no queue, clerk or city figures. A city supervisor also gets the city view
(:func:`app.stats.city.city_overview`) and may pick any hall.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import Department, Hall, Rating
from app.db.session import Database
from app.errors import PermissionDenied
from app.ratings.levels import BAD_AT_MOST
from app.roles import Permission
from app.stats import cases, city, clerks, departments, queue, satisfaction, scope
from app.stats.departments import Weights
from app.stats.events import EventFigures, event_figures


@dataclass(frozen=True)
class StatsBundle:
    """One hall's statistics over ``first``…``last`` (both included).

    ``queue``/``clerks``/``city`` are None where the reader may not see them;
    ``bad_reasons`` are (reason, bad ratings giving it), most frequent first;
    ``halls`` are the (id, name) the reader may pick from, by hall code;
    ``only_departments``: None for every department, else the names of the departments
    the figures are limited to (an approver's), by code; ``events``: the 群众诉求 figures
    (:mod:`app.stats.events`), for a supervisor.
    """

    hall_id: int
    hall_name: str
    first: date
    last: date
    weights: Weights
    queue: queue.QueueStats | None
    clerks: list[clerks.ClerkRow] | None
    cases: cases.CaseStats
    satisfaction: satisfaction.SatisfactionStats
    departments: list[departments.DepartmentScore]
    bad_reasons: list[tuple[str, int]]
    bad_ratings: int
    halls: list[tuple[int, str]]
    city: list[city.HallSummary] | None
    only_departments: tuple[str, ...] | None = None
    events: EventFigures | None = None  # 群众诉求 (supervisors): None for other readers


def load(
    db: Database,
    actor: Actor,
    hall_id: int | None,
    first: date,
    last: date,
    weights: Weights | None = None,
) -> StatsBundle:
    """The statistics of hall ``hall_id`` (None: the reader's own or first hall).

    Raises PermissionDenied (no statistics for this reader or hall), ValidationError
    (field ``last``: reversed or longer than two years).
    """
    weights = weights or Weights()
    with db.read_only() as s:
        readable = scope.readable_halls(s, actor)
        if not readable:
            raise PermissionDenied("您没有查看统计的权限。")
        if hall_id is None:
            hall_id = actor.hall_id if actor.hall_id in readable else readable[0]
        scope.require_hall(s, actor, hall_id)
        p = scope.period(s, hall_id, first, last)
        names = dict(s.execute(select(Hall.id, Hall.name).where(Hall.id.in_(readable))).all())
        limit = scope.department_limit(s, actor)
        reasons, bad = _bad_reasons(s, p, limit)
        only = None if limit is None else _department_names(s, limit)
    supervisor = actor.can(Permission.SUPERVISE)
    return StatsBundle(
        hall_id,
        p.hall_name,
        first,
        last,
        weights,
        queue.queue_stats(db, actor, hall_id, first, last) if supervisor else None,
        clerks.clerk_stats(db, actor, hall_id, first, last) if supervisor else None,
        cases.case_stats(db, actor, hall_id, first, last),
        satisfaction.satisfaction(db, actor, hall_id, first, last),
        departments.department_scores(db, actor, hall_id, first, last, weights),
        reasons,
        bad,
        [(h, names[h]) for h in readable if h in names],
        city.city_overview(db, actor, first, last) if scope.is_city_supervisor(actor) else None,
        only,
        event_figures(db, actor, hall_id, first, last) if supervisor else None,
    )


def _department_names(s: Session, ids: frozenset[int]) -> tuple[str, ...]:
    q = select(Department.name).where(Department.id.in_(sorted(ids))).order_by(Department.code)
    return tuple(s.scalars(q))


def _bad_reasons(
    s: Session, p: scope.Period, depts: frozenset[int] | None
) -> tuple[list[tuple[str, int]], int]:
    """(reason, count) of the period's live bad ratings, most given first; and their number."""
    q = select(Rating.reasons).where(
        Rating.hall_id == p.hall_id,
        Rating.rated_at >= p.start_utc,
        Rating.rated_at < p.end_utc,
        Rating.superseded_by_id.is_(None),
        Rating.level <= BAD_AT_MOST,
    )
    if depts is not None:
        q = q.where(Rating.department_id.in_(sorted(depts)))
    counts: Counter[str] = Counter()
    bad = 0
    for reasons in s.scalars(q):
        bad += 1
        counts.update(reasons or [])
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), bad
