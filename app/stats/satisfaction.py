"""好差评 satisfaction (满意度) over a period: levels, 满意率, trend by ISO week, 整改.

Live ratings only (``superseded_by_id IS NULL``: a re-rate replaces the mistaken one),
taken by the moment they were given (``rated_at`` in the period's UTC bounds, indexed
with the hall). 满意率 = (非常满意 + 满意 + 基本满意) / all live ratings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db import clock
from app.db.models import Department, Rating, Rectification, ServiceType, User, Window
from app.db.session import Database
from app.states import RectificationState
from app.stats import scope

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
SATISFIED = frozenset({5, 4, 3})


@dataclass
class LevelCounts:
    """Ratings of one subject (a window, clerk, service, department, week or the hall)."""

    key: str
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    ids: int | None = None  # the window / user / service / department id, if any

    @property
    def total(self) -> int:
        """Live ratings."""
        return sum(self.counts.values())

    @property
    def satisfied_rate(self) -> float | None:
        """满意率 0..1 (None: no rating)."""
        t = self.total
        return sum(self.counts[lv] for lv in SATISFIED) / t if t else None

    def share(self, level: int) -> float | None:
        """Share 0..1 of ``level`` (5 非常满意 … 1 非常不满意)."""
        t = self.total
        return self.counts[level] / t if t else None


@dataclass(frozen=True)
class SatisfactionStats:
    """A hall's ratings over a period; ``per_week`` keys are ISO weeks ``2026-W48``."""

    period: scope.Period
    overall: LevelCounts
    per_window: list[LevelCounts]
    per_clerk: list[LevelCounts]
    per_service: list[LevelCounts]
    per_department: list[LevelCounts]
    per_week: list[LevelCounts]
    rectifications_opened: int  # 整改 opened for ratings of the period
    rectifications_open: int  # still open now (any period)
    rectifications_overdue: int  # open now and past their due date


def satisfaction(
    db: Database, actor: Actor, hall_id: int, first: date, last: date
) -> SatisfactionStats:
    """Satisfaction of hall ``hall_id`` for days ``first``…``last``.

    An approver sees the ratings of their departments only (no window / clerk rows).
    Raises PermissionDenied, ValidationError.
    """
    with db.read_only() as s:
        scope.require_hall(s, actor, hall_id)
        p = scope.period(s, hall_id, first, last)
        return compute(s, p, scope.department_limit(s, actor))


def _where(p: scope.Period, depts: frozenset[int] | None) -> list[Any]:
    out = [
        Rating.hall_id == p.hall_id,
        Rating.rated_at >= p.start_utc,
        Rating.rated_at < p.end_utc,
        Rating.superseded_by_id.is_(None),
    ]
    if depts is not None:
        out.append(Rating.department_id.in_(sorted(depts)))
    return out


def _by(s: Session, where: list[Any], col: Any, names: dict[Any, str]) -> list[LevelCounts]:
    rows: dict[Any, LevelCounts] = {}
    q = select(col, Rating.level, func.count()).where(*where, col.is_not(None))
    for key, level, n in s.execute(q.group_by(col, Rating.level)):
        r = rows.setdefault(key, LevelCounts(names.get(key, str(key)), ids=key))
        r.counts[int(level)] = r.counts.get(int(level), 0) + int(n)
    return sorted(rows.values(), key=lambda r: r.key)


def compute(s: Session, p: scope.Period, depts: frozenset[int] | None) -> SatisfactionStats:
    """The figures on an open session (also used by the department score)."""
    where = _where(p, depts)
    wins = {w.id: w.name or f"{w.number} 号窗口" for w in s.scalars(select(Window))}
    svc = {t.id: f"{t.code} {t.name}" for t in s.scalars(select(ServiceType))}
    dep = dict(s.execute(select(Department.id, Department.name)).all())
    clerks = dict(s.execute(select(User.id, User.full_name)).all())
    overall = LevelCounts("全部")  # the sum of the weeks: one scan fewer
    weeks: dict[str, LevelCounts] = defaultdict(lambda: LevelCounts(""))
    day_q = select(Rating.service_day, Rating.level, func.count()).where(*where)
    for day, level, n in s.execute(day_q.group_by(Rating.service_day, Rating.level)):
        d = day if isinstance(day, date) else date.fromisoformat(str(day))
        y, w, _ = d.isocalendar()
        key = f"{y}-W{w:02d}"
        weeks[key].key = key
        weeks[key].counts[int(level)] += int(n)
        overall.counts[int(level)] += int(n)
    staff = depts is None
    return SatisfactionStats(
        p,
        overall,
        _by(s, where, Rating.window_id, wins) if staff else [],
        _by(s, where, Rating.clerk_id, clerks) if staff else [],
        _by(s, where, Rating.service_type_id, svc),
        _by(s, where, Rating.department_id, dep),
        [weeks[k] for k in sorted(weeks)],
        *_rectifications(s, p, depts),
    )


def _rectifications(
    s: Session, p: scope.Period, depts: frozenset[int] | None
) -> tuple[int, int, int]:
    base = (
        select(func.count())
        .select_from(Rectification)
        .join(Rating, Rating.id == Rectification.rating_id)
    )
    base = base.where(Rectification.hall_id == p.hall_id)
    if depts is not None:
        base = base.where(Rating.department_id.in_(sorted(depts)))
    opened = s.scalar(base.where(Rating.rated_at >= p.start_utc, Rating.rated_at < p.end_utc))
    open_now = base.where(Rectification.state == RectificationState.OPEN)
    today = clock.local_day(clock.now(s), p.zone)
    overdue = s.scalar(open_now.where(Rectification.due_date < today))
    return int(opened or 0), int(s.scalar(open_now) or 0), int(overdue or 0)
