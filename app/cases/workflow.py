"""The back office (后台分类审批): routing engine, claims and decisions, 补正, 公示, withdrawal.

A case walks the routing of the catalog version it was accepted under. Each review or
issue step opens one task per department its branches select (parallel fan-out); the
step joins when every task has been decided. A rejection rejects the case at once when
the step says so (``any_rejection_rejects``); otherwise the step passes if any department
approved. A 公示 step opens a notice period of N working days and advances by itself when
it ends without objection (:func:`end_publicity`); an objection sends the case back to the
last review step. The last step completes the case, which is then ready for pickup.

Every call is one transaction and one audit event on the case (its history), and takes
the case row's lock first: two approvers deciding at once queue up, and the second finds
the task's version changed (:class:`Conflict`) instead of overwriting the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, checklist, text
from app.actor import Actor
from app.db import clock
from app.db.models import (
    Case,
    Department,
    Hall,
    Notification,
    Resident,
    ServiceVersion,
    Task,
    UserDepartment,
)
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.hall.catalog import definition_of
from app.roles import Permission
from app.states import CASE_FLOW, TASK_FLOW, CaseState, TaskState
from app.workdays import WorkCalendar
from forms.schema import ServiceDef, StepDef, StepKind

OPINION_MIN = 2
REASON_MIN = 4
LIVE_TASKS = (TaskState.OPEN, TaskState.CLAIMED)
# Tasks that no longer count when a step joins (replaced by another task or void).
VOID_TASKS = (TaskState.RETURNED, TaskState.TRANSFERRED, TaskState.CANCELLED)
READY_STATES = (CaseState.COMPLETED, CaseState.REJECTED)


class Outcome(StrEnum):
    """What an approver decides on a task."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"  # 退回补正
    TRANSFER = "transfer"  # 转办 to another department


OUTCOME_TASK_STATE = {
    Outcome.APPROVE: TaskState.APPROVED,
    Outcome.REJECT: TaskState.REJECTED,
    Outcome.RETURN: TaskState.RETURNED,
    Outcome.TRANSFER: TaskState.TRANSFERRED,
}


@dataclass(frozen=True)
class Decision:
    """An approver's decision as the case view submits it.

    ``version`` is the task version the approver saw; ``items`` lists what 补正 needs;
    ``department`` is the 转办 target's code.
    """

    task_id: int
    version: int
    outcome: Outcome
    opinion: str
    items: tuple[str, ...] = ()
    department: str | None = None


@dataclass(frozen=True)
class Moved:
    """What a back-office call did to the case."""

    case_id: int
    case_no: str
    state: CaseState
    step: str  # the step now under way ("" when finished)
    ready_for_pickup: bool
    notified: bool = False
    messages: tuple[str, ...] = field(default_factory=tuple)


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar (library + the hall's overrides)."""
    from app.cases.intake import calendar as intake_calendar

    return intake_calendar(session)


def departments_of(session: Session, actor: Actor) -> list[int]:
    """Ids of the departments whose inbox ``actor`` works."""
    rows = session.scalars(
        select(UserDepartment.department_id).where(UserDepartment.user_id == actor.user_id)
    )
    return list(rows)


def _lock_case(session: Session, case_id: int) -> Case:
    case = session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if case is None or case.case_no is None:
        raise NotFound("办件不存在。")
    return case


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


def _move(case: Case, target: CaseState) -> None:
    CASE_FLOW.check(case.state, target)
    case.state = target


def _task_move(task: Task, target: TaskState) -> None:
    TASK_FLOW.check(task.state, target)
    task.state = target


def _snapshot(case: Case) -> dict[str, object]:
    return {
        "state": case.state.value,
        "step": case.current_step,
        "due": case.due_date.isoformat() if case.due_date else None,
    }


def _tasks(session: Session, case: Case, step_index: int | None = None) -> list[Task]:
    q = select(Task).where(Task.case_id == case.id).order_by(Task.id)
    if step_index is not None:
        q = q.where(Task.step_index == step_index)
    return list(session.scalars(q.execution_options(populate_existing=True)))


class _Ctx:
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
        after = {**_snapshot(self.case), **extra}
        audit.record(
            self.session, self.actor, action, "case", self.case.id, before, after, note, self.now
        )


@contextmanager
def _case_action(
    db: Database, actor: Actor, case_id: int, action: str, note: str
) -> Iterator[_Ctx]:
    """One call on one case: lock it, let the body act, then audit and commit together."""
    with db.unit_of_work() as session:
        ctx = _Ctx(session, actor, _lock_case(session, case_id))
        before = _snapshot(ctx.case)
        yield ctx
        session.flush()
        ctx.record(action, before, note)
        session.commit()


# --- the routing engine ----------------------------------------------------------------


def _open_step(ctx: _Ctx, index: int, note: str = "") -> None:
    """Start step ``index`` (or complete the case past the last step)."""
    case, service = ctx.case, ctx.service
    if index >= len(service.routing):
        _finish(ctx, approved=True, reason="")
        return
    step = service.routing[index]
    case.step_index, case.current_step = index, step.key
    if step.kind == StepKind.PUBLICITY:
        _move(case, CaseState.PUBLICIZING)
        case.publicity_until = ctx.cal.add(ctx.today, step.days)
        if "publicity" in service.suspend_during:
            case.suspended_since = ctx.today
        return
    if case.state != CaseState.IN_REVIEW:
        _move(case, CaseState.IN_REVIEW)
    _review_tasks(ctx, index, note)


def _review_tasks(ctx: _Ctx, index: int, note: str) -> None:
    """One task per department that step ``index`` fans out to for this applicant."""
    case = ctx.case
    facts = _facts(ctx.session, case, ctx.today)
    codes = checklist.branches(ctx.service, ctx.step(index), facts, dict(case.form_data or {}))
    _create_tasks(ctx, index, codes, note)


def _create_tasks(ctx: _Ctx, index: int, codes: Sequence[str], note: str) -> None:
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


def _finish(ctx: _Ctx, approved: bool, reason: str) -> None:
    """办结 or 不予批准: the case is ready for pickup and the applicant is told."""
    case = ctx.case
    _cancel_live(ctx)
    _resume_clock(ctx)
    _move(case, CaseState.COMPLETED if approved else CaseState.REJECTED)
    case.current_step = None
    case.decided_at = ctx.now
    case.decision_reason = reason or None
    _prepare_message(ctx, approved)


def _cancel_live(ctx: _Ctx) -> None:
    for t in _tasks(ctx.session, ctx.case):
        if t.state in LIVE_TASKS:
            _task_move(t, TaskState.CANCELLED)


def _prepare_message(ctx: _Ctx, approved: bool) -> None:
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


def _suspend(ctx: _Ctx) -> None:
    if ctx.case.suspended_since is None:
        ctx.case.suspended_since = ctx.today


def _resume_clock(ctx: _Ctx) -> None:
    """Add the working days spent waiting (补正 / 公示, as the service allows) to the deadline."""
    case = ctx.case
    if case.suspended_since is None:
        return
    waited = max(0, ctx.cal.between(case.suspended_since, ctx.today))
    case.suspended_since = None
    if waited and case.due_date is not None:
        case.due_date = ctx.cal.add(case.due_date, waited)
        case.suspended_days = (case.suspended_days or 0) + waited
        for t in _tasks(ctx.session, case):
            if t.state in LIVE_TASKS:
                t.due_date = case.due_date


def _join(ctx: _Ctx) -> None:
    """After a decision: reject, wait for the other departments, or open the next step."""
    step = ctx.step()
    tasks = [
        t for t in _tasks(ctx.session, ctx.case, ctx.case.step_index) if t.state not in VOID_TASKS
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


# --- approver actions --------------------------------------------------------------------


def _task_for(session: Session, actor: Actor, task_id: int) -> tuple[Task, Case]:
    actor.require(Permission.APPROVE)
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound("审批任务不存在。")
    case = _lock_case(session, task.case_id)
    session.refresh(task)
    if task.department_id not in departments_of(session, actor):
        raise PermissionDenied("该任务不属于您所在的部门。")
    return task, case


def _check_version(task: Task, version: int) -> None:
    if task.version != version:
        raise Conflict("该任务刚被他人处理或更新，您看到的不是最新内容。请刷新后再操作。")


def claim(db: Database, actor: Actor, task_id: int, version: int) -> int:
    """签收: the task becomes the actor's. Returns the task's new version."""
    with db.unit_of_work() as session:
        task, case = _task_for(session, actor, task_id)
        _check_version(task, version)
        if task.state == TaskState.CLAIMED and task.assignee_id == actor.user_id:
            return task.version
        if case.state not in (CaseState.ACCEPTED, CaseState.IN_REVIEW):
            raise Conflict(f"办件{CASE_FLOW.label(case.state)}，暂不能签收。")
        ctx = _Ctx(session, actor, case)
        before = _snapshot(case)
        _task_move(task, TaskState.CLAIMED)
        task.assignee_id = actor.user_id
        if case.state == CaseState.ACCEPTED:
            _move(case, CaseState.IN_REVIEW)
        session.flush()
        ctx.record("task_claimed", before, task=task.id)
        session.commit()
        return task.version


def release(db: Database, actor: Actor, task_id: int, version: int) -> int:
    """退回待办: a claimed task goes back to the department's shared list."""
    with db.unit_of_work() as session:
        task, case = _task_for(session, actor, task_id)
        _check_version(task, version)
        if task.assignee_id != actor.user_id:
            raise Conflict("只能退回自己签收的任务。")
        ctx = _Ctx(session, actor, case)
        before = _snapshot(case)
        _task_move(task, TaskState.OPEN)
        task.assignee_id = None
        session.flush()
        ctx.record("task_released", before, task=task.id)
        session.commit()
        return task.version


def decide(db: Database, actor: Actor, d: Decision) -> Moved:
    """Approve, reject (with reason), return for 补正 (with the list), or transfer a task."""
    opinion = text.clean_long(d.opinion, "opinion", "审批意见")
    if d.outcome == Outcome.REJECT and len(opinion) < REASON_MIN:
        raise ValidationError(f"不予批准须写明理由（至少 {REASON_MIN} 个字）。", "opinion")
    if len(opinion) < OPINION_MIN:
        raise ValidationError("请填写审批意见。", "opinion")
    items = tuple(i for i in (text.clean_line(i, "items", "补正事项") for i in d.items) if i)
    if d.outcome == Outcome.RETURN and not items:
        raise ValidationError("退回补正须逐项列明需补正的材料或内容。", "items")
    with db.unit_of_work() as session:
        task, case = _task_for(session, actor, d.task_id)
        _check_version(task, d.version)
        if task.state == TaskState.CLAIMED and task.assignee_id != actor.user_id:
            raise Conflict("该任务已由其他人员签收，请刷新。")
        if case.state != CaseState.IN_REVIEW and case.state != CaseState.ACCEPTED:
            raise Conflict(f"办件{CASE_FLOW.label(case.state)}，当前不能审批。")
        ctx = _Ctx(session, actor, case)
        before = _snapshot(case)
        if case.state == CaseState.ACCEPTED:
            _move(case, CaseState.IN_REVIEW)
        if task.state == TaskState.OPEN:
            _task_move(task, TaskState.CLAIMED)
            task.assignee_id = actor.user_id
        _task_move(task, OUTCOME_TASK_STATE[d.outcome])
        task.opinion, task.decided_at = opinion, ctx.now
        action = f"task_{OUTCOME_TASK_STATE[d.outcome].value}"
        if d.outcome == Outcome.TRANSFER:
            _transfer(ctx, task, d.department, opinion)
        elif d.outcome == Outcome.RETURN:
            _move(case, CaseState.AWAITING_SUPPLEMENT)
            case.supplement_items = list(items)
            if "supplement" in ctx.service.suspend_during:
                _suspend(ctx)
        else:
            _join(ctx)
        session.flush()
        ctx.record(action, before, opinion, task=task.id, items=list(items))
        session.commit()
        return _moved(ctx)


def _transfer(ctx: _Ctx, task: Task, code: str | None, opinion: str) -> None:
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


def _moved(ctx: _Ctx) -> Moved:
    case = ctx.case
    assert case.case_no is not None
    step = ""
    if case.state in (CaseState.IN_REVIEW, CaseState.PUBLICIZING):
        step = ctx.step().name
    return Moved(case.id, case.case_no, case.state, step, case.state in READY_STATES, ctx.notified)


# --- 公示 ---------------------------------------------------------------------------------


def end_publicity(db: Database, actor: Actor) -> list[Moved]:
    """Advance every case whose 公示 period has ended without objection (idempotent).

    Called when an inbox or the supervisor view refreshes and by a timer; the period
    ends after its last working day, so a case leaves 公示 the next day.
    """
    with db.unit_of_work() as session:
        hall = session.get(Hall, actor.hall_id) if actor.hall_id else None
        if hall is None:
            return []
        today = clock.service_day(session, hall)
        ids = list(
            session.scalars(
                select(Case.id).where(
                    Case.state == CaseState.PUBLICIZING,
                    Case.publicity_until < today,
                    Case.hall_id == hall.id,
                )
            )
        )
    out = []
    for case_id in ids:
        with db.unit_of_work() as session:
            case = _lock_case(session, case_id)
            if case.state != CaseState.PUBLICIZING:
                continue  # another PC advanced it meanwhile
            ctx = _Ctx(session, actor, case)
            if case.publicity_until is None or case.publicity_until >= ctx.today:
                continue
            before = _snapshot(case)
            _resume_clock(ctx)
            _move(case, CaseState.IN_REVIEW)
            case.publicity_until = None
            _open_step(ctx, case.step_index + 1)
            session.flush()
            ctx.record("case_publicity_ended", before, "公示期满无异议")
            session.commit()
            out.append(_moved(ctx))
    return out


def object_to_publicity(db: Database, actor: Actor, case_id: int, objection: str) -> Moved:
    """An objection received during 公示: the case goes back to its last review step."""
    if not (actor.can(Permission.APPROVE) or actor.can(Permission.INTAKE)):
        raise PermissionDenied("您没有执行此操作的权限。")
    note = text.clean_line(objection, "objection", "异议内容", 500)
    if len(note) < REASON_MIN:
        raise ValidationError(f"请写明异议内容（至少 {REASON_MIN} 个字）。", "objection")
    with _case_action(db, actor, case_id, "case_objection", note) as ctx:
        case = ctx.case
        if case.state != CaseState.PUBLICIZING:
            raise Conflict("该办件不在公示期，不能登记异议。")
        review = max(
            i
            for i, s in enumerate(ctx.service.routing[: case.step_index])
            if s.kind == StepKind.REVIEW
        )
        _resume_clock(ctx)
        _move(case, CaseState.IN_REVIEW)
        case.publicity_until = None
        case.step_index, case.current_step = review, ctx.step(review).key
        _review_tasks(ctx, review, f"公示期间收到异议：{note}")
    return _moved(ctx)


# --- at the counter: 补正 brought, withdrawal ----------------------------------------------


def resubmit(db: Database, actor: Actor, case_id: int, note: str) -> Moved:
    """The applicant brought what 补正 asked for: the returning departments decide again."""
    actor.require(Permission.INTAKE)
    note = text.clean_line(note, "note", "补正说明", 500)
    if len(note) < OPINION_MIN:
        raise ValidationError("请说明补交了哪些材料。", "note")
    with _case_action(db, actor, case_id, "case_resubmitted", note) as ctx:
        case = ctx.case
        if case.state != CaseState.AWAITING_SUPPLEMENT:
            raise Conflict("该办件不在补正中。")
        _resume_clock(ctx)
        _move(case, CaseState.IN_REVIEW)
        returned = [
            t.department_id
            for t in _tasks(ctx.session, case, case.step_index)
            if t.state == TaskState.RETURNED
        ]
        codes = ctx.session.scalars(select(Department.code).where(Department.id.in_(returned)))
        items = "、".join(case.supplement_items or [])
        _create_tasks(ctx, case.step_index, list(codes), f"补正后重新提交（{items}）：{note}")
        case.supplement_items = []
    return _moved(ctx)


def withdraw(db: Database, actor: Actor, case_id: int, reason: str) -> Moved:
    """撤回: the applicant withdraws the application; open tasks are cancelled."""
    actor.require(Permission.INTAKE)
    reason = text.clean_line(reason, "reason", "撤回原因", 500)
    if len(reason) < OPINION_MIN:
        raise ValidationError("请填写撤回原因。", "reason")
    with _case_action(db, actor, case_id, "case_withdrawn", reason) as ctx:
        case = ctx.case
        if CaseState.WITHDRAWN not in CASE_FLOW.allowed(case.state):
            raise Conflict(f"办件{CASE_FLOW.label(case.state)}，不能撤回。")
        _cancel_live(ctx)
        _move(case, CaseState.WITHDRAWN)
        case.current_step, case.suspended_since = None, None
        case.decision_reason = reason
    return _moved(ctx)
