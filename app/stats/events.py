"""群众诉求 / 网格事件 figures over a period (issue 19): stage times and each department's
响应率, 按期处置率, 返工率 and 满意率 — read from the events' timeline (``incident_line``:
each stage's start, deadline and 主办 department; a stage ends at the event's next line).

Definitions (working minutes on the hall's calendar, :mod:`app.workhours`; a stage belongs
to the period it began in, an outcome to the period it happened in):

* **Stage time**: from a stage's line to the next line, per stage (受理, 派遣, 签收, 处置,
  核查); **响应时长** from the report to the first 派遣. Median and p90 nearest-rank.
* **响应率** of a department: 派遣 stages sent to it that were signed (签收) by their
  deadline ÷ those that ended, or whose deadline has passed (one still in time is left out).
* **按期处置率**: 处置 stages that ended in a 反馈 by their deadline (an approved 延期 moves
  it) ÷ those that ended in a 反馈, plus those still open past their deadline.
* **返工率**: 核查 outcomes that sent the event back (返工) ÷ all 核查 outcomes.
* **满意率**: (非常满意 + 满意 + 基本满意) ÷ the events rated in the period, as the hall's
  好差评 (:mod:`app.stats.satisfaction`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.actor import Actor
from app.db import clock
from app.db.models import Hall, Incident, IncidentLine
from app.db.session import Database
from app.errors import PermissionDenied
from app.incidents import clocks
from app.incidents.lifecycle import catalog
from app.roles import Permission
from app.states import IncidentState
from app.stats import scope

S = IncidentState
STAGES = (S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.SIGNED, S.FED_BACK)
STAGE_NAMES = {
    S.REPORTED: "受理",
    S.ACCEPTED: "派遣",
    S.DISPATCHED: "签收",
    S.SIGNED: "处置",
    S.FED_BACK: "核查",
}


@dataclass(frozen=True)
class StageTime:
    """One stage over the period: how many ended, their working minutes, how many late."""

    stage: str
    count: int
    median_min: int | None
    p90_min: int | None
    late: int


@dataclass(frozen=True)
class EventDepartment:
    """One department's event figures (rates 0..1, None without data)."""

    code: str
    department: str
    dispatched: int
    responded: int
    handled: int
    on_time: int
    checked: int
    rework: int
    rated: int
    satisfied: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def response_rate(self) -> float | None:
        """响应率."""
        return self._rate(self.responded, self.dispatched)

    @property
    def on_time_rate(self) -> float | None:
        """按期处置率."""
        return self._rate(self.on_time, self.handled)

    @property
    def rework_rate(self) -> float | None:
        """返工率."""
        return self._rate(self.rework, self.checked)

    @property
    def satisfied_rate(self) -> float | None:
        """满意率."""
        return self._rate(self.satisfied, self.rated)


@dataclass(frozen=True)
class EventFigures:
    """The period's events: counts, stage times and the departments' figures."""

    first: date
    last: date
    reported: int
    auto_dispatched: int  # of those reported, dispatched by the catalog (派单目录)
    closed: int  # events closed (结案) in the period, each once
    response: StageTime  # report → first 派遣
    stages: tuple[StageTime, ...]
    departments: tuple[EventDepartment, ...]


def nearest_rank(values: list[int], p: int) -> int | None:
    """The smallest value with at least ``p`` % of ``values`` at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[rank - 1]


def _time(stage: str, minutes: list[int], late: int) -> StageTime:
    return StageTime(
        stage, len(minutes), nearest_rank(minutes, 50), nearest_rank(minutes, 90), late
    )


def event_figures(
    db: Database, actor: Actor, hall_id: int, first: date, last: date
) -> EventFigures:
    """The figures of hall ``hall_id``'s events for days ``first``…``last``. Supervisors (and
    the hall's dispatchers) read them. Raises PermissionDenied, ValidationError."""
    with db.read_only() as s:
        if not (actor.can(Permission.DISPATCH) and actor.hall_id == hall_id):
            scope.require_hall(s, actor, hall_id, queue=True)
        p = scope.period(s, hall_id, first, last)
        hall = s.get(Hall, hall_id)
        if hall is None:
            raise PermissionDenied("未指定大厅。")
        now = clock.now(s)
        cal = clocks.calendar(s)

        def inside(at: datetime) -> bool:
            return p.start_utc <= at < p.end_utc

        touched = select(IncidentLine.incident_id).where(
            IncidentLine.at >= p.start_utc, IncidentLine.at < p.end_utc
        )
        events = {
            i.id: i
            for i in s.scalars(
                select(Incident).where(Incident.hall_id == hall_id, Incident.id.in_(touched))
            )
        }
        lines: dict[int, list[IncidentLine]] = defaultdict(list)
        for line in s.scalars(
            select(IncidentLine)
            .where(IncidentLine.incident_id.in_(list(events)))
            .order_by(IncidentLine.incident_id, IncidentLine.id)
        ):
            lines[line.incident_id].append(line)

        took: dict[IncidentState, list[int]] = defaultdict(list)
        late: dict[IncidentState, int] = defaultdict(int)
        response: list[int] = []
        dept: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
        reported = auto = 0
        closed: set[int] = set()  # events closed in the period (a reopened one once)
        for incident_id, its in lines.items():
            incident = events[incident_id]
            if inside(incident.reported_at):
                reported += 1
                auto += incident.dispatched_by == "派单目录"
                first_dispatch = next((x for x in its if x.state == S.DISPATCHED), None)
                if first_dispatch is not None:
                    response.append(
                        clocks.minutes_between(s, hall, its[0].at, first_dispatch.at, cal)
                    )
            for n, line in enumerate(its):
                nxt = its[n + 1] if n + 1 < len(its) else None
                end = nxt.at if nxt else None
                overdue = line.due_at is not None and (end or now) > line.due_at
                if line.state in STAGES and nxt is not None and inside(line.at):
                    took[line.state].append(clocks.minutes_between(s, hall, line.at, nxt.at, cal))
                    late[line.state] += overdue
                figures = dept[line.dept or ""]
                if line.state == S.DISPATCHED and inside(line.at) and (nxt or overdue):
                    figures[0] += 1
                    figures[1] += bool(nxt and nxt.state == S.SIGNED and not overdue)
                if line.state == S.SIGNED and (
                    (nxt and nxt.state == S.FED_BACK and inside(nxt.at))
                    or (nxt is None and overdue and inside(line.at))
                ):
                    figures[2] += 1
                    figures[3] += not overdue
                if line.state == S.FED_BACK and nxt is not None and inside(nxt.at):
                    figures[4] += 1
                    figures[5] += nxt.state == S.SIGNED
                if line.state == S.RATED and inside(line.at) and incident.rating is not None:
                    figures[6] += 1
                    figures[7] += incident.rating >= 3
                if line.state == S.CLOSED and inside(line.at):
                    closed.add(incident_id)
        names = catalog().departments
        departments = tuple(
            EventDepartment(code, names.get(code, code), *numbers)
            for code, numbers in sorted(dept.items())
            if code and any(numbers)
        )
        return EventFigures(
            first=first,
            last=last,
            reported=reported,
            auto_dispatched=auto,
            closed=len(closed),
            response=_time("上报至派遣", response, 0),
            stages=tuple(_time(STAGE_NAMES[st], took[st], late[st]) for st in STAGES),
            departments=departments,
        )
