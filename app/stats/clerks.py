"""Per-clerk queue figures (窗口人员): tickets served, average service time, idle time.

Idle time with a non-empty queue is defined in :mod:`app.stats`: one pass of a window
function (``LAG`` over each clerk's calls of a day, both backends have it) gives every
gap at once, so a year of a 40-counter hall is one linear scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import Ticket, User
from app.db.session import Database
from app.states import TicketState
from app.stats import scope
from app.stats.sqlbits import seconds


@dataclass(frozen=True)
class ClerkRow:
    """One clerk over the period. Times in seconds."""

    clerk_id: int
    name: str
    called: int  # tickets the clerk called
    served: int  # of them ended done
    mean_service_s: float | None
    idle_with_queue_s: int  # idle while the next ticket was already waiting


def clerk_stats(
    db: Database, actor: Actor, hall_id: int, first: date, last: date
) -> list[ClerkRow]:
    """Per-clerk figures of hall ``hall_id`` for days ``first``…``last``, by name.

    Tickets without a clerk (served before ``served_by_id`` was recorded) are left out.
    Raises PermissionDenied, ValidationError.
    """
    with db.read_only() as s:
        scope.require_hall(s, actor, hall_id, queue=True)
        p = scope.period(s, hall_id, first, last)
        return _compute(s, p)


def _compute(s: Session, p: scope.Period) -> list[ClerkRow]:
    in_period = (
        Ticket.hall_id == p.hall_id,
        Ticket.service_day.between(p.first, p.last),
        Ticket.served_by_id.is_not(None),
        Ticket.called_at.is_not(None),
    )
    start = func.coalesce(Ticket.started_at, Ticket.called_at)
    done = Ticket.state == TicketState.DONE
    service = seconds(s, start, Ticket.finished_at)
    base: dict[int, list[float | int | None]] = {}
    for clerk, called, served, mean in s.execute(
        select(
            Ticket.served_by_id,
            func.count(),
            func.sum(case((done, 1), else_=0)),
            func.avg(case((done, service), else_=None)),
        )
        .where(*in_period)
        .group_by(Ticket.served_by_id)
    ):
        base[clerk] = [int(called), int(served or 0), float(mean) if mean is not None else None]
    prev_finished = (
        func.lag(Ticket.finished_at)
        .over(partition_by=(Ticket.served_by_id, Ticket.service_day), order_by=Ticket.called_at)
        .label("prev_finished")
    )
    calls = (
        select(
            Ticket.served_by_id.label("clerk"),
            Ticket.called_at.label("called_at"),
            Ticket.queued_at.label("queued_at"),
            prev_finished,
        )
        .where(*in_period)
        .subquery()
    )
    free_from = case(
        (calls.c.queued_at > calls.c.prev_finished, calls.c.queued_at),
        else_=calls.c.prev_finished,
    )
    gap = seconds(s, free_from, calls.c.called_at)
    idle = dict(
        s.execute(
            select(calls.c.clerk, func.sum(case((gap > 0, gap), else_=0)))
            .where(calls.c.prev_finished.is_not(None))
            .group_by(calls.c.clerk)
        ).all()
    )
    names = dict(s.execute(select(User.id, User.full_name).where(User.id.in_(list(base)))).all())
    rows = [
        ClerkRow(
            clerk,
            names.get(clerk, str(clerk)),
            int(v[0] or 0),
            int(v[1] or 0),
            v[2] if v[2] is None else float(v[2]),
            int(idle.get(clerk) or 0),
        )
        for clerk, v in base.items()
    ]
    return sorted(rows, key=lambda r: r.name)
