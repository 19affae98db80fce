"""The routing engine: the declared step machine a case walks in the back office.

A case walks the routing of the catalog version it was accepted under. Each review or
issue step opens one task per department its branches select (parallel fan-out); the
step joins when every task has been decided. A rejection rejects the case at once when
the step says so (``any_rejection_rejects``); otherwise the step passes if any department
approved. A 公示 step opens a notice period of N working days; when it ends the next step
opens, and an objection sends the case back to the last review step. 补正 and 公示 stop
the deadline clock as the service allows; the waited working days are added back when the
case moves on. The last step completes the case, which is then ready for pickup, and the
applicant's ready message is prepared.

Owns the per-call context (:class:`CallContext`: the clock, the calendar, the hall, the
service), the state and task move guards, and the transitions the actions in
:mod:`app.cases.workflow` apply. It checks no permission, locks nothing and commits
nothing: the action that calls it does, in one transaction with one audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, checklist
from app.actor import Actor
from app.db import clock
from app.db.models import Case, Department, Hall, Notification, Resident, ServiceVersion, Task
from app.errors import PermissionDenied, ValidationError
from app.hall.catalog import definition_of
from app.states import CASE_FLOW, TASK_FLOW, CaseState, TaskState
from app.workdays import WorkCalendar
from forms.schema import ServiceDef, StepDef, StepKind

LIVE_TASKS = (TaskState.OPEN, TaskState.CLAIMED)
# Tasks that no longer count when a step joins (replaced by another task or void).
VOID_TASKS = (TaskState.RETURNED, TaskState.TRANSFERRED, TaskState.CANCELLED)
READY_STATES = (CaseState.COMPLETED, CaseState.REJECTED)
# Tasks a person has decided (签收 alone decides nothing; a cancelled task was not decided).
DECIDED_TASKS = (TaskState.APPROVED, TaskState.REJECTED, TaskState.RETURNED, TaskState.TRANSFERRED)


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar (library + the hall's overrides)."""
    from app.cases.intake import calendar as intake_calendar

    return intake_calendar(session)


def _service(session: Session, case: Case) -> ServiceDef:
    sv = session.get(ServiceVersion, case.service_version_id)
    assert sv is not None
    return definition_of(sv)


def _facts(session: Session, case: Case, today: date) -> dict[str, Any]:
    applicant = session.get(Resident, case.applicant_id)
    assert applicant is not None
    born = applicant.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return checklist.facts(age, applicant.gender, case.agent_id is not None)


def move_case(case: Case, target: CaseState) -> None:
    """Move ``case`` to ``target`` if the declared case flow allows it (else it raises)."""
    CASE_FLOW.check(case.state, target)
    case.state = target


def move_task(task: Task, target: TaskState) -> None:
    """Move ``task`` to ``target`` if the declared task flow allows it (else it raises)."""
    TASK_FLOW.check(task.state, target)
    task.state = target


def snapshot(case: Case) -> dict[str, object]:
    """The case's state, step and deadline as its audit event records them."""
    return {
        "state": case.state.value,
        "step": case.current_step,
        "due": case.due_date.isoformat() if case.due_date else None,
    }


def tasks_of(session: Session, case: Case, step_index: int | None = None) -> list[Task]:
    """The case's tasks (of one step when ``step_index`` is given), oldest first, fresh."""
    q = select(Task).where(Task.case_id == case.id).order_by(Task.id)
    if step_index is not None:
        q = q.where(Task.step_index == step_index)
    return list(session.scalars(q.execution_options(populate_existing=True)))


class CallContext:
    """What one back-office call works with: the clock, the calendar, the hall."""

    def __init__(self, session: Session, actor: Actor, case: Case) -> None:
        self.session, self.actor, self.case = session, actor, case
        self.now = clock.now(session)
        hall = session.get(Hall, case.hall_id)
        assert hall is not None
        self.hall = hall
        self.today = clock.service_day(session, hall, self.now)
        self.cal = calendar(session)
        self.service = _service(session, case)
        self.notified = False

    def step(self, index: int | None = None) -> StepDef:
        return self.service.routing[self.case.step_index if index is None else index]

    def record(self, action: str, before: dict[str, object], note: str = "", **extra: Any) -> None:
        after = {**snapshot(self.case), **extra}
        audit.record(
            self.session, self.actor, action, "case", self.case.id, before, after, note, self.now
        )


# --- steps and tasks ---------------------------------------------------------------------


def _open_step(ctx: CallContext, index: int, note: str = "") -> None:
    """Start step ``index`` (or complete the case past the last step)."""
    case, service = ctx.case, ctx.service
    if index >= len(service.routing):
        _finish(ctx, approved=True, reason="")
        return
    step = service.routing[index]
    case.step_index, case.current_step = index, step.key
    if step.kind == StepKind.PUBLICITY:
        move_case(case, CaseState.PUBLICIZING)
        case.publicity_until = ctx.cal.add(ctx.today, step.days)
        if "publicity" in service.suspend_during:
            case.suspended_since = ctx.today
        return
    if case.state != CaseState.IN_REVIEW:
        move_case(case, CaseState.IN_REVIEW)
    _review_tasks(ctx, index, note)


def _review_tasks(ctx: CallContext, index: int, note: str) -> None:
    """One task per department that step ``index`` fans out to for this applicant."""
    case = ctx.case
    facts = _facts(ctx.session, case, ctx.today)
    codes = checklist.branches(ctx.service, ctx.step(index), facts, dict(case.form_data or {}))
    _create_tasks(ctx, index, codes, note)


def _create_tasks(ctx: CallContext, index: int, codes: Sequence[str], note: str) -> None:
    depts = {
        d.code: d.id
        for d in ctx.session.scalars(select(Department).where(Department.code.in_(codes)))
    }
    missing = [c for c in codes if c not in depts]
    if missing:
        raise ValidationError(
            f"审批部门未配置：{'、'.join(missing)}，请联系系统管理员。", "routing"
        )
    step = ctx.step(index)
    for code in codes:
        ctx.session.add(
            Task(
                case_id=ctx.case.id,
                hall_id=ctx.case.hall_id,
                step_key=step.key,
                step_index=index,
                department_id=depts[code],
                created_at=ctx.now,
                due_date=ctx.case.due_date,
                note=note,
            )
        )


def transfer_task(ctx: CallContext, task: Task, code: str | None, opinion: str) -> None:
    """转办: a new task at the same step for department ``code``, noting where it came from."""
    target = ctx.session.scalar(select(Department).where(Department.code == (code or "")))
    if target is None:
        raise ValidationError("请选择转办的部门。", "department")
    if target.id == task.department_id:
        raise ValidationError("不能转办给本部门。", "department")
    source = ctx.session.get(Department, task.department_id)
    ctx.session.add(
        Task(
            case_id=ctx.case.id,
            hall_id=ctx.case.hall_id,
            step_key=task.step_key,
            step_index=task.step_index,
            department_id=target.id,
            created_at=ctx.now,
            due_date=task.due_date,
            note=f"由{source.name if source else ''}转来：{opinion}",
        )
    )


def join(ctx: CallContext) -> None:
    """After a decision: reject, wait for the other departments, or open the next step."""
    step = ctx.step()
    tasks = [
        t for t in tasks_of(ctx.session, ctx.case, ctx.case.step_index) if t.state not in VOID_TASKS
    ]
    rejected = [t for t in tasks if t.state == TaskState.REJECTED]
    if rejected and step.any_rejection_rejects:
        _finish(ctx, approved=False, reason="；".join(t.opinion for t in rejected))
        return
    if any(t.state in LIVE_TASKS for t in tasks):
        return  # other departments are still deciding
    if not any(t.state == TaskState.APPROVED for t in tasks):
        _finish(ctx, approved=False, reason="；".join(t.opinion for t in rejected))
        return
    _open_step(ctx, ctx.case.step_index + 1)


# --- separation of duties (职责分离) ------------------------------------------------------


def duty_refusal(
    service: ServiceDef,
    step_index: int,
    department: str,
    decided: Sequence[tuple[int, str]],
) -> str:
    """Why a person may not decide a task of step ``step_index`` for ``department`` ("" if they may).

    ``decided`` is (step index, department name) of the tasks of the same case that person
    has already decided (:data:`DECIDED_TASKS`). With the service's
    ``separation_of_duties`` on, a person decides one step of a case, for one department:
    another step is refused, and so is a parallel task of the same step for another
    department (or one 转办 from their own). Deciding again at the same step for the same
    department (after 补正, or after an objection during 公示 reopened it) is allowed.
    """
    if not service.separation_of_duties:
        return ""
    here = service.routing[step_index].name
    for index, dept in decided:
        if index != step_index:
            done = service.routing[index].name
            return f"您已办理本件的“{done}”，按职责分离不能再办理“{here}”。"
        if dept != department:
            return f"您已为{dept}办理本件的“{here}”，按职责分离不能再为{department}办理同一步骤。"
    return ""


def decided_by(
    session: Session, user_id: int | None, case_ids: Sequence[int]
) -> dict[int, list[tuple[int, str]]]:
    """Case id → (step index, department name) of the tasks ``user_id`` decided in those cases."""
    if user_id is None:
        return {}
    rows = session.execute(
        select(Task.case_id, Task.step_index, Department.name)
        .join(Department, Department.id == Task.department_id)
        .where(
            Task.case_id.in_(case_ids),
            Task.assignee_id == user_id,
            Task.state.in_(DECIDED_TASKS),
        )
        .order_by(Task.id)
    ).all()
    out: dict[int, list[tuple[int, str]]] = {}
    for case_id, index, name in rows:
        out.setdefault(case_id, []).append((index, name))
    return out


def check_duties(ctx: CallContext, task: Task) -> None:
    """Refuse (:class:`PermissionDenied`) a task the actor may not decide (see :func:`duty_refusal`)."""
    dept = ctx.session.get(Department, task.department_id)
    assert dept is not None
    decided = decided_by(ctx.session, ctx.actor.user_id, [ctx.case.id]).get(ctx.case.id, [])
    refusal = duty_refusal(ctx.service, task.step_index, dept.name, decided)
    if refusal:
        raise PermissionDenied(refusal)


# --- finishing ---------------------------------------------------------------------------


def _finish(ctx: CallContext, approved: bool, reason: str) -> None:
    """办结 or 不予批准: the case is ready for pickup and the applicant is told."""
    case = ctx.case
    _cancel_live(ctx)
    _resume_clock(ctx)
    move_case(case, CaseState.COMPLETED if approved else CaseState.REJECTED)
    case.current_step = None
    case.decided_at = ctx.now
    case.decision_reason = reason or None
    _prepare_message(ctx, approved)


def _cancel_live(ctx: CallContext) -> None:
    for t in tasks_of(ctx.session, ctx.case):
        if t.state in LIVE_TASKS:
            move_task(t, TaskState.CANCELLED)


def _prepare_message(ctx: CallContext, approved: bool) -> None:
    applicant = ctx.session.get(Resident, ctx.case.applicant_id)
    if applicant is None or not applicant.phone:
        return
    result = "已办结" if approved else "已有审批结果"
    ctx.session.add(
        Notification(
            case_id=ctx.case.id,
            phone=applicant.phone,
            text=(
                f"【{ctx.hall.name}】{applicant.name[:1]}**您好：您申请的“{ctx.service.name}”"
                f"（办件编号 {ctx.case.case_no}）{result}，请携带本人身份证和受理回执到"
                f"综合窗口领取（代领请携带委托书及代领人身份证）。"
            ),
            created_at=ctx.now,
        )
    )
    ctx.notified = True


def withdraw_case(ctx: CallContext, reason: str) -> None:
    """撤回: live tasks are cancelled and the case closes with ``reason``."""
    case = ctx.case
    _cancel_live(ctx)
    move_case(case, CaseState.WITHDRAWN)
    case.current_step, case.suspended_since = None, None
    case.decision_reason = reason


# --- the deadline clock: 补正 and 公示 -----------------------------------------------------


def _suspend(ctx: CallContext) -> None:
    if ctx.case.suspended_since is None:
        ctx.case.suspended_since = ctx.today


def _resume_clock(ctx: CallContext) -> None:
    """Add the working days spent waiting (补正 / 公示, as the service allows) to the deadline."""
    case = ctx.case
    if case.suspended_since is None:
        return
    waited = max(0, ctx.cal.between(case.suspended_since, ctx.today))
    case.suspended_since = None
    if waited and case.due_date is not None:
        case.due_date = ctx.cal.add(case.due_date, waited)
        case.suspended_days = (case.suspended_days or 0) + waited
        for t in tasks_of(ctx.session, case):
            if t.state in LIVE_TASKS:
                t.due_date = case.due_date


def return_for_supplement(ctx: CallContext, items: Sequence[str]) -> None:
    """退回补正: the case waits for ``items``; the clock stops if the service says so."""
    move_case(ctx.case, CaseState.AWAITING_SUPPLEMENT)
    ctx.case.supplement_items = list(items)
    if "supplement" in ctx.service.suspend_during:
        _suspend(ctx)


def reopen_returned(ctx: CallContext, note: str) -> None:
    """补正 brought: the clock resumes and each department that returned the case decides again."""
    case = ctx.case
    _resume_clock(ctx)
    move_case(case, CaseState.IN_REVIEW)
    returned = [
        t.department_id
        for t in tasks_of(ctx.session, case, case.step_index)
        if t.state == TaskState.RETURNED
    ]
    codes = ctx.session.scalars(select(Department.code).where(Department.id.in_(returned)))
    items = "、".join(case.supplement_items or [])
    _create_tasks(ctx, case.step_index, list(codes), f"补正后重新提交（{items}）：{note}")
    case.supplement_items = []


def end_publicity_step(ctx: CallContext) -> None:
    """公示 ended without objection: the clock resumes and the next step opens."""
    case = ctx.case
    _resume_clock(ctx)
    move_case(case, CaseState.IN_REVIEW)
    case.publicity_until = None
    _open_step(ctx, case.step_index + 1)


def reopen_review(ctx: CallContext, note: str) -> None:
    """An objection during 公示: the clock resumes and the last review step opens again."""
    case = ctx.case
    review = max(
        i for i, s in enumerate(ctx.service.routing[: case.step_index]) if s.kind == StepKind.REVIEW
    )
    _resume_clock(ctx)
    move_case(case, CaseState.IN_REVIEW)
    case.publicity_until = None
    case.step_index, case.current_step = review, ctx.step(review).key
    _review_tasks(ctx, review, note)
