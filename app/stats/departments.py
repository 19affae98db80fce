"""Department performance (部门绩效) per period: 响应率, 按期办结率, 返工率, 满意率, score.

Figures are over a department's back-office tasks (``task``) in the period:

* **响应率**: tasks that became ready in the period (``created_at``; not cancelled)
  and were responded to within :data:`RESPONSE_WORKDAYS` working day — claimed (签收, the
  first ``task_claimed`` audit event naming the task) or decided, whichever came first,
  on or before the working day after the day the task became ready. A task still
  unanswered whose limit has not passed yet is left out.
* **按期办结率**: tasks decided in the period (同意 / 不同意 / 退回补正) on or before the
  task's due date.
* **返工率**: (tasks decided in the period by 退回补正 + tasks reopened in the period by an
  objection during 公示) / tasks decided in the period.
* **满意率**: live ratings of the department's services given in the period.
* **Score** = Σ weight × figure, 返工率 entering as (1 − 返工率), weights in per cent
  summing to 100 (:class:`Weights`). A figure with no data gives its weight to the others
  in proportion. Fewer than :data:`MIN_DECIDED` decided tasks → 样本不足, no score.

Drill-down: :func:`cases_behind` returns the case numbers behind any figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases.intake import calendar
from app.db import clock
from app.db.models import AuditEvent, Case, Department, Rating, Task
from app.db.session import Database
from app.errors import PermissionDenied, ValidationError
from app.states import TaskState
from app.stats import scope
from app.stats.sqlbits import local_day

RESPONSE_WORKDAYS = 1
MIN_DECIDED = 30
INSUFFICIENT = "样本不足"
DECIDED = (TaskState.APPROVED, TaskState.REJECTED, TaskState.RETURNED)
OBJECTION_NOTE = "公示期间收到异议"
FIGURES = ("decided", "on_time", "overdue", "rework", "late_response", "dissatisfied")


@dataclass(frozen=True)
class Weights:
    """Score weights in per cent (whole numbers summing to 100). Defaults: 20/40/20/20."""

    response: int = 20  # 响应率
    on_time: int = 40  # 按期办结率
    rework: int = 20  # 返工率 (as 1 − 返工率)
    satisfaction: int = 20  # 满意率

    def __post_init__(self) -> None:
        parts = (self.response, self.on_time, self.rework, self.satisfaction)
        if any(w < 0 for w in parts):
            raise ValidationError("权重不能为负数。", "weights")
        if sum(parts) != 100:
            raise ValidationError(f"各项权重之和须为 100%（现为 {sum(parts)}%）。", "weights")


@dataclass(frozen=True)
class DepartmentScore:
    """One department's figures (rates 0..1, None without data) and score (0..100)."""

    department_id: int
    department: str
    decided: int
    responded: int
    response_due: int  # tasks the response rate is taken over
    on_time: int
    rework: int
    ratings: int
    satisfied: int
    response_rate: float | None
    on_time_rate: float | None
    rework_rate: float | None
    satisfied_rate: float | None
    score: float | None  # None with fewer than MIN_DECIDED decided tasks
    note: str  # INSUFFICIENT or ""


def department_scores(
    db: Database,
    actor: Actor,
    hall_id: int,
    first: date,
    last: date,
    weights: Weights | None = None,
) -> list[DepartmentScore]:
    """Scores of hall ``hall_id``'s departments for days ``first``…``last``, by name.

    An approver sees their departments only. Raises PermissionDenied, ValidationError.
    """
    weights = weights or Weights()
    with db.read_only() as s:
        scope.require_hall(s, actor, hall_id)
        p = scope.period(s, hall_id, first, last)
        return compute(s, p, scope.department_limit(s, actor), weights)


def _decided_where(p: scope.Period) -> list[Any]:
    return [
        Task.hall_id == p.hall_id,
        Task.decided_at >= p.start_utc,
        Task.decided_at < p.end_utc,
        Task.state.in_(DECIDED),
    ]


def _reopened_where(p: scope.Period) -> list[Any]:
    return [
        Task.hall_id == p.hall_id,
        Task.created_at >= p.start_utc,
        Task.created_at < p.end_utc,
        Task.note.startswith(OBJECTION_NOTE),
    ]


def _responses(s: Session, p: scope.Period) -> Any:
    """(task id, department, ready day, response day or None, case id) of the period's tasks."""
    claimed = AuditEvent.after["task"].as_integer()
    first_claim = (
        select(claimed.label("task_id"), func.min(AuditEvent.at).label("at"))
        .where(AuditEvent.action == "task_claimed", AuditEvent.at >= p.start_utc)
        .group_by(claimed)
        .subquery()
    )
    answer = when(
        (first_claim.c.at.is_(None), Task.decided_at),
        (Task.decided_at.is_(None), first_claim.c.at),
        (first_claim.c.at < Task.decided_at, first_claim.c.at),
        else_=Task.decided_at,
    )
    return (
        select(
            Task.id,
            Task.department_id,
            local_day(s, Task.created_at, p.offset_s),
            local_day(s, answer, p.offset_s),
            Task.case_id,
        )
        .outerjoin(first_claim, first_claim.c.task_id == Task.id)
        .where(
            Task.hall_id == p.hall_id,
            Task.created_at >= p.start_utc,
            Task.created_at < p.end_utc,
            Task.state != TaskState.CANCELLED,
        )
    )


def _day(v: Any) -> date | None:
    return None if v is None else v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _late_responses(s: Session, p: scope.Period) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Per department: case ids of late responses, and the count of tasks judged."""
    cal = calendar(s)
    today = clock.local_day(clock.now(s), p.zone)
    limits: dict[date, date] = {}
    late: dict[int, list[int]] = {}
    judged: dict[int, int] = {}
    for _task, dept, ready, answered, case_id in s.execute(_responses(s, p)):
        ready_day, answer_day = _day(ready), _day(answered)
        assert ready_day is not None
        limit = limits.get(ready_day)
        if limit is None:
            limit = limits[ready_day] = cal.add(ready_day, RESPONSE_WORKDAYS)
        if answer_day is None and limit >= today:
            continue  # not answered yet, still within its limit
        judged[dept] = judged.get(dept, 0) + 1
        if answer_day is None or answer_day > limit:
            late.setdefault(dept, []).append(case_id)
    return late, judged


def compute(
    s: Session, p: scope.Period, depts: frozenset[int] | None, weights: Weights
) -> list[DepartmentScore]:
    """The scores on an open session."""
    decided_day = local_day(s, Task.decided_at, p.offset_s)
    in_time = when((Task.due_date.is_(None), 1), (decided_day <= Task.due_date, 1), else_=0)
    went_back = when((Task.state == TaskState.RETURNED, 1), else_=0)
    decided = {
        d: (int(n), int(ok or 0), int(back or 0))
        for d, n, ok, back in s.execute(
            select(Task.department_id, func.count(), func.sum(in_time), func.sum(went_back))
            .where(*_decided_where(p))
            .group_by(Task.department_id)
        )
    }
    reopened = dict(
        s.execute(
            select(Task.department_id, func.count())
            .where(*_reopened_where(p))
            .group_by(Task.department_id)
        ).all()
    )
    late, judged = _late_responses(s, p)
    sat_ok = when((Rating.level >= 3, 1), else_=0)
    ratings = {
        d: (int(n), int(ok or 0))
        for d, n, ok in s.execute(
            select(Rating.department_id, func.count(), func.sum(sat_ok))
            .where(
                Rating.hall_id == p.hall_id,
                Rating.rated_at >= p.start_utc,
                Rating.rated_at < p.end_utc,
                Rating.superseded_by_id.is_(None),
                Rating.department_id.is_not(None),
            )
            .group_by(Rating.department_id)
        )
    }
    names = dict(s.execute(select(Department.id, Department.name)).all())
    seen = set(decided) | set(judged) | set(ratings) | set(reopened)
    out = []
    for dept in seen:
        if depts is not None and dept not in depts:
            continue
        n, ok, back = decided.get(dept, (0, 0, 0))
        rework = back + int(reopened.get(dept, 0))
        due = judged.get(dept, 0)
        responded = due - len(late.get(dept, []))
        rated, happy = ratings.get(dept, (0, 0))
        rates = (
            responded / due if due else None,
            ok / n if n else None,
            rework / n if n else None,
            happy / rated if rated else None,
        )
        enough = n >= MIN_DECIDED
        out.append(
            DepartmentScore(
                dept,
                names.get(dept, str(dept)),
                n,
                responded,
                due,
                ok,
                rework,
                rated,
                happy,
                *rates,
                score=score(rates, weights) if enough else None,
                note="" if enough else INSUFFICIENT,
            )
        )
    return sorted(out, key=lambda r: r.department)


def score(rates: tuple[float | None, ...], w: Weights) -> float | None:
    """Weighted score 0..100 of (响应率, 按期办结率, 返工率, 满意率) rates 0..1."""
    resp, on_time, rework, sat = rates
    parts = [
        (w.response, resp),
        (w.on_time, on_time),
        (w.rework, None if rework is None else 1 - rework),
        (w.satisfaction, sat),
    ]
    have = [(wt, v) for wt, v in parts if v is not None]
    total = sum(wt for wt, _v in have)
    if not total:
        return None
    return round(sum(wt * v for wt, v in have) * 100 / total, 2)


def cases_behind(
    db: Database,
    actor: Actor,
    hall_id: int,
    department_id: int,
    figure: str,
    first: date,
    last: date,
) -> list[str]:
    """Case numbers behind one department figure (sorted, each once).

    ``figure``: ``decided``, ``on_time``, ``overdue`` (按期办结率), ``rework`` (返工率),
    ``late_response`` (响应率), ``dissatisfied`` (cases rated 不满意 or worse).
    Raises ValidationError for an unknown figure, PermissionDenied.
    """
    if figure not in FIGURES:
        raise ValidationError(f"未知的统计项：{figure}", "figure")
    with db.read_only() as s:
        scope.require_hall(s, actor, hall_id)
        limit = scope.department_limit(s, actor)
        if limit is not None and department_id not in limit:
            raise PermissionDenied("您只能查看本部门的统计。")
        p = scope.period(s, hall_id, first, last)
        ids = _case_ids(s, p, department_id, figure)
        if not ids:
            return []
        nos = s.scalars(select(Case.case_no).where(Case.id.in_(ids), Case.case_no.is_not(None)))
        return sorted({str(n) for n in nos})


def _case_ids(s: Session, p: scope.Period, dept: int, figure: str) -> list[int]:
    mine = Task.department_id == dept
    if figure == "late_response":
        return _late_responses(s, p)[0].get(dept, [])
    if figure == "dissatisfied":
        q = select(Rating.case_id).where(
            Rating.hall_id == p.hall_id,
            Rating.department_id == dept,
            Rating.rated_at >= p.start_utc,
            Rating.rated_at < p.end_utc,
            Rating.superseded_by_id.is_(None),
            Rating.level <= 2,
            Rating.case_id.is_not(None),
        )
        return [int(i) for i in s.scalars(q) if i is not None]
    decided_day = local_day(s, Task.decided_at, p.offset_s)
    q = select(Task.case_id).where(*_decided_where(p), mine)
    if figure == "on_time":
        q = q.where((Task.due_date.is_(None)) | (decided_day <= Task.due_date))
    elif figure == "overdue":
        q = q.where(Task.due_date.is_not(None), decided_day > Task.due_date)
    elif figure == "rework":
        back = q.where(Task.state == TaskState.RETURNED)
        again = select(Task.case_id).where(*_reopened_where(p), mine)
        return [int(i) for i in s.scalars(back)] + [int(i) for i in s.scalars(again)]
    return [int(i) for i in s.scalars(q)]
