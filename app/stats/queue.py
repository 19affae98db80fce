"""Queue statistics (排队统计) of a hall over a period: counts, waits, service times, load.

Definitions in :mod:`app.stats`. Every figure comes from the ``ticket`` table in a few
grouped queries: percentiles are taken from histograms grouped by the exact second in
SQL (a few thousand rows for a year), so no call fetches one row per ticket.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import QueueCategory, Ticket, Window
from app.db.session import Database
from app.states import TicketState
from app.stats import scope
from app.stats.sqlbits import local_slot, percentile, seconds

T = TypeVar("T")

WITHIN_15 = 15 * 60
WITHIN_30 = 30 * 60


@dataclass(frozen=True)
class Durations:
    """p50 / p90 / max of a set of durations, in seconds (None when there are none)."""

    count: int
    p50_s: int | None
    p90_s: int | None
    max_s: int | None
    mean_s: float | None

    @staticmethod
    def of(histogram: dict[int, int]) -> Durations:
        """From a histogram {seconds: count}."""
        pairs = sorted(histogram.items())
        total = sum(c for _v, c in pairs)
        mean = sum(v * c for v, c in pairs) / total if total else None
        return Durations(
            total,
            percentile(pairs, total, 50),
            percentile(pairs, total, 90),
            pairs[-1][0] if pairs else None,
            mean,
        )


@dataclass(frozen=True)
class QueueRow:
    """One queue (category) or window: tickets, waits, service times, outcomes."""

    key: str  # "A 综合受理" / "3 号窗口"
    tickets: int  # residents' tickets (first of a transfer chain) issued to it
    served: int  # ended done
    no_shows: int
    transfers: int  # tickets moved on from it
    wait: Durations
    service: Durations
    within_15: float | None  # share 0..1 of waits ≤ 15 min
    within_30: float | None


@dataclass(frozen=True)
class QueueStats:
    """A hall's queue over a period. ``per_hour``/``queue_length`` are for charts."""

    period: scope.Period
    overall: QueueRow
    per_queue: list[QueueRow]
    per_window: list[QueueRow]
    per_day: list[tuple[date, int]]  # (service day, tickets)
    per_hour: list[tuple[int, int, float | None]]  # (local hour, tickets, mean wait s)
    queue_length: list[tuple[str, float]] = field(default_factory=list)  # ("08:15", avg)


def queue_stats(db: Database, actor: Actor, hall_id: int, first: date, last: date) -> QueueStats:
    """Queue statistics of hall ``hall_id`` for service days ``first``…``last``.

    Raises PermissionDenied (not a supervisor of the hall), ValidationError (bad range).
    """
    with db.read_only() as s:
        scope.require_hall(s, actor, hall_id, queue=True)
        p = scope.period(s, hall_id, first, last)
        if db.backend != "postgresql":
            return _compute(s, p)
        cats, wins = _names(s)
    # PostgreSQL: the three independent parts read at once, each on a connection of its own
    # (a year of a 40-counter hall: each part scans 500,000 tickets; 1.8 s → about 1 s).
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="queue-stats") as pool:
        cat_job = pool.submit(_read, db, lambda r: _rows(r, p, Ticket.category_id, cats))
        win_job = pool.submit(_read, db, lambda r: _rows(r, p, Ticket.window_id, wins))
        day_job = pool.submit(_read, db, lambda r: _by_time(r, p))
        return _assemble(p, cat_job.result(), win_job.result(), *day_job.result())


def overall(s: Session, p: scope.Period) -> QueueRow:
    """The hall's all-queues row only (the city view's figures), on an open session."""
    return _merge("全部", _rows(s, p, Ticket.category_id, {}))


def _in_period(p: scope.Period) -> Any:
    return and_(Ticket.hall_id == p.hall_id, Ticket.service_day.between(p.first, p.last))


def _names(s: Session) -> tuple[dict[int, str], dict[int, str]]:
    """Queue and window names by id."""
    cats = {c.id: f"{c.letter} {c.name}" for c in s.scalars(select(QueueCategory))}
    wins = {w.id: w.name or f"{w.number} 号窗口" for w in s.scalars(select(Window))}
    return cats, wins


def _read(db: Database, part: Callable[[Session], T]) -> T:
    """``part`` on a read-only session of its own (one of :func:`queue_stats`'s threads)."""
    with db.read_only() as s:
        return part(s)


def _by_time(s: Session, p: scope.Period) -> tuple[Any, Any, Any]:
    """Tickets per day, per hour and the queue length over the day."""
    per_day = _per_day(s, p)
    return per_day, _per_hour(s, p), _queue_length(s, p, per_day)


def _assemble(
    p: scope.Period,
    per_cat: dict[int, tuple[QueueRow, _Hist]],
    per_win: dict[int, tuple[QueueRow, _Hist]],
    per_day: Any,
    per_hour: Any,
    queue_length: Any,
) -> QueueStats:
    return QueueStats(
        p,
        _merge("全部", per_cat),
        [r for r, _h in per_cat.values()],
        [r for r, _h in per_win.values()],
        per_day,
        per_hour,
        queue_length,
    )


def _compute(s: Session, p: scope.Period) -> QueueStats:
    cats, wins = _names(s)
    per_cat = _rows(s, p, Ticket.category_id, cats)
    per_win = _rows(s, p, Ticket.window_id, wins)
    return _assemble(p, per_cat, per_win, *_by_time(s, p))


_Hist = tuple[dict[int, int], dict[int, int], dict[str, int]]


def _rows(
    s: Session, p: scope.Period, key_col: Any, names: dict[int, str]
) -> dict[int, tuple[QueueRow, _Hist]]:
    wait = seconds(s, Ticket.issued_at, Ticket.called_at)
    start = func.coalesce(Ticket.started_at, Ticket.called_at)
    service = seconds(s, start, Ticket.finished_at)
    first = Ticket.transferred_from_id.is_(None)
    waits: dict[int, dict[int, int]] = defaultdict(dict)
    for key, value, n in s.execute(
        select(key_col, wait, func.count())
        .where(_in_period(p), first, Ticket.called_at.is_not(None), key_col.is_not(None))
        .group_by(key_col, wait)
    ):
        waits[key][max(0, int(value))] = n
    services: dict[int, dict[int, int]] = defaultdict(dict)
    for key, value, n in s.execute(
        select(key_col, service, func.count())
        .where(_in_period(p), Ticket.state == TicketState.DONE, key_col.is_not(None))
        .group_by(key_col, service)
    ):
        services[key][max(0, int(value))] = n
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for key, tickets, done, no_show, moved in s.execute(
        select(
            key_col,
            func.sum(case((first, 1), else_=0)),
            func.sum(case((Ticket.state == TicketState.DONE, 1), else_=0)),
            func.sum(case((Ticket.state == TicketState.NO_SHOW, 1), else_=0)),
            func.sum(case((Ticket.state == TicketState.TRANSFERRED, 1), else_=0)),
        )
        .where(_in_period(p), key_col.is_not(None))
        .group_by(key_col)
    ):
        counts[key] = {
            "tickets": int(tickets or 0),
            "served": int(done or 0),
            "no_shows": int(no_show or 0),
            "transfers": int(moved or 0),
        }
    out: dict[int, tuple[QueueRow, _Hist]] = {}
    for key in sorted(set(counts) | set(waits), key=lambda k: names.get(k, str(k))):
        hist = (waits.get(key, {}), services.get(key, {}), counts.get(key, {}))
        out[key] = (_row(names.get(key, str(key)), *hist), hist)
    return out


def _row(name: str, waits: dict[int, int], services: dict[int, int], n: dict[str, int]) -> QueueRow:
    w = Durations.of(waits)
    in15 = sum(c for v, c in waits.items() if v <= WITHIN_15)
    in30 = sum(c for v, c in waits.items() if v <= WITHIN_30)
    return QueueRow(
        name,
        n.get("tickets", 0),
        n.get("served", 0),
        n.get("no_shows", 0),
        n.get("transfers", 0),
        w,
        Durations.of(services),
        in15 / w.count if w.count else None,
        in30 / w.count if w.count else None,
    )


def _merge(name: str, rows: dict[int, tuple[QueueRow, _Hist]]) -> QueueRow:
    waits: dict[int, int] = defaultdict(int)
    services: dict[int, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for w, sv, n in (h for _r, h in rows.values()):
        for v, c in w.items():
            waits[v] += c
        for v, c in sv.items():
            services[v] += c
        for k, c in n.items():
            counts[k] += c
    return _row(name, waits, services, counts)


def _per_day(s: Session, p: scope.Period) -> list[tuple[date, int]]:
    q = (
        select(Ticket.service_day, func.count())
        .where(_in_period(p), Ticket.transferred_from_id.is_(None))
        .group_by(Ticket.service_day)
        .order_by(Ticket.service_day)
    )
    return [(d if isinstance(d, date) else date.fromisoformat(d), n) for d, n in s.execute(q)]


def _per_hour(s: Session, p: scope.Period) -> list[tuple[int, int, float | None]]:
    hour = local_slot(s, Ticket.issued_at, p.offset_s, 3600)
    wait = seconds(s, Ticket.issued_at, Ticket.called_at)
    q = (
        select(hour, func.count(), func.avg(wait), func.count(Ticket.called_at))
        .where(_in_period(p), Ticket.transferred_from_id.is_(None))
        .group_by(hour)
    )
    rows = {int(h): (n, float(avg) if avg is not None else None) for h, n, avg, _c in s.execute(q)}
    return [(h, *rows[h]) for h in sorted(rows)]


def _queue_length(
    s: Session, p: scope.Period, per_day: list[tuple[date, int]], slot_s: int = 900
) -> list[tuple[str, float]]:
    """Average tickets waiting at each slot start: issued before it, not called before it.

    Averaged over ``per_day``'s days (the days that had tickets).
    """
    first = Ticket.transferred_from_id.is_(None)
    joined = local_slot(s, Ticket.issued_at, p.offset_s, slot_s)
    left_at = func.coalesce(Ticket.called_at, Ticket.finished_at)
    left = local_slot(s, left_at, p.offset_s, slot_s)
    arrivals: dict[int, int] = dict(
        s.execute(select(joined, func.count()).where(_in_period(p), first).group_by(joined)).all()
    )
    leaves: dict[int, int] = dict(
        s.execute(
            select(left, func.count())
            .where(_in_period(p), first, left_at.is_not(None))
            .group_by(left)
        ).all()
    )
    days = len(per_day)
    if not days or not arrivals:
        return []
    lo = min(int(k) for k in arrivals)
    hi = max([int(k) for k in arrivals] + [int(k) for k in leaves])
    out: list[tuple[str, float]] = []
    waiting = 0
    for slot in range(lo, hi + 2):
        # At the start of ``slot``: everyone who arrived in earlier slots, less who left.
        m = slot * slot_s // 60
        out.append((f"{m // 60:02d}:{m % 60:02d}", waiting / days))
        waiting += int(arrivals.get(slot, 0)) - int(leaves.get(slot, 0))
    return out
