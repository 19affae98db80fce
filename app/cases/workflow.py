"""The back office (后台分类审批): the actions the counter and the back office call.

签收 and 退回待办 (:func:`claim`, :func:`release`); a decision on a task (:func:`decide`:
approve, reject, 退回补正, 转办); 公示 ending by itself (:func:`end_publicity`) or an
objection (:func:`object_to_publicity`); at the counter, 补正 brought (:func:`resubmit`)
and 撤回 (:func:`withdraw`). Each checks who may act and what they typed; what the action
does to the case's steps, tasks and deadline is the routing engine's
(:mod:`app.cases.routing`, the declared step machine). 签收 and a decision are refused
(:class:`PermissionDenied`) to a person who decided another step of the case, or the same
step for another department, when the service keeps separation of duties (职责分离,
:func:`app.cases.routing.duty_refusal`). ``LIVE_TASKS``, ``READY_STATES``
and ``calendar`` are the engine's, re-exported here where the read side (casefile, inbox,
oversight, pickup) and the tests have always found them.

Every call is one transaction and one audit event on the case (its history), and takes
the case row's lock first: two approvers deciding at once queue up, and the second finds
the task's version changed (:class:`Conflict`) instead of overwriting the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text
from app.actor import Actor
from app.cases.intake_rows import record_pages
from app.cases.routing import LIVE_TASKS as LIVE_TASKS
from app.cases.routing import READY_STATES as READY_STATES
from app.cases.routing import (
    CallContext,
    check_duties,
    end_publicity_step,
    join,
    move_case,
    move_task,
    reopen_returned,
    reopen_review,
    return_for_supplement,
    snapshot,
    transfer_task,
    withdraw_case,
)
from app.cases.routing import calendar as calendar
from app.db import clock
from app.db.models import Case, Hall, Task, UserDepartment
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.materials import marking, records
from app.materials.intake import PreparedPage
from app.materials.stores import store_of
from app.roles import Permission
from app.states import CASE_FLOW, CaseState, TaskState

OPINION_MIN = 2
REASON_MIN = 4


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


@contextmanager
def _case_action(
    db: Database, actor: Actor, case_id: int, action: str, note: str
) -> Iterator[CallContext]:
    """One call on one case: lock it, let the body act, then audit and commit together."""
    with db.unit_of_work() as session:
        ctx = CallContext(session, actor, _lock_case(session, case_id))
        before = snapshot(ctx.case)
        yield ctx
        session.flush()
        ctx.record(action, before, note)
        session.commit()


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
        ctx = CallContext(session, actor, case)
        check_duties(ctx, task)
        before = snapshot(case)
        move_task(task, TaskState.CLAIMED)
        task.assignee_id = actor.user_id
        if case.state == CaseState.ACCEPTED:
            move_case(case, CaseState.IN_REVIEW)
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
        ctx = CallContext(session, actor, case)
        before = snapshot(case)
        move_task(task, TaskState.OPEN)
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
    with db.unit_of_work() as session:
        task, case = _task_for(session, actor, d.task_id)
        if d.outcome == Outcome.RETURN:
            items += _unlisted_pages(session, case.id, items)
            if not items:
                raise ValidationError("退回补正须逐项列明需补正的材料或内容。", "items")
        _check_version(task, d.version)
        if task.state == TaskState.CLAIMED and task.assignee_id != actor.user_id:
            raise Conflict("该任务已由其他人员签收，请刷新。")
        if case.state != CaseState.IN_REVIEW and case.state != CaseState.ACCEPTED:
            raise Conflict(f"办件{CASE_FLOW.label(case.state)}，当前不能审批。")
        ctx = CallContext(session, actor, case)
        check_duties(ctx, task)
        before = snapshot(case)
        if case.state == CaseState.ACCEPTED:
            move_case(case, CaseState.IN_REVIEW)
        if task.state == TaskState.OPEN:
            move_task(task, TaskState.CLAIMED)
            task.assignee_id = actor.user_id
        move_task(task, OUTCOME_TASK_STATE[d.outcome])
        task.opinion, task.decided_at = opinion, ctx.now
        action = f"task_{OUTCOME_TASK_STATE[d.outcome].value}"
        if d.outcome == Outcome.TRANSFER:
            transfer_task(ctx, task, d.department, opinion)
        elif d.outcome == Outcome.RETURN:
            return_for_supplement(ctx, items)
        else:
            join(ctx)
        session.flush()
        ctx.record(action, before, opinion, task=task.id, items=list(items))
        session.commit()
        return _moved(ctx)


def _unlisted_pages(session: Session, case_id: int, items: tuple[str, ...]) -> tuple[str, ...]:
    """补正 items for pages marked unreadable that ``items`` does not already name."""
    return tuple(
        item
        for item in marking.unreadable_items(session, case_id)
        if not any(i.startswith(item.split(" 无法辨认")[0] + " ") for i in items)
    )


def _moved(ctx: CallContext) -> Moved:
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
            ctx = CallContext(session, actor, case)
            if case.publicity_until is None or case.publicity_until >= ctx.today:
                continue
            before = snapshot(case)
            end_publicity_step(ctx)
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
        reopen_review(ctx, f"公示期间收到异议：{note}")
    return _moved(ctx)


# --- at the counter: 补正 brought, withdrawal ----------------------------------------------


def resubmit(
    db: Database,
    actor: Actor,
    case_id: int,
    note: str,
    pages: Mapping[str, Sequence[PreparedPage]] | None = None,
) -> Moved:
    """The applicant brought what 补正 asked for: the returning departments decide again.

    ``pages``: pages captured now, by material key, stored with the case in this
    transaction after the material's earlier pages; those earlier pages of the same
    materials that were marked unreadable are unmarked (the new ones replace them). The
    audit event lists every page of the case (hashes) and the marks cleared.
    Raises ValidationError (``note``; ``pages`` for a material the service lacks),
    Conflict (not in 补正).
    """
    actor.require(Permission.INTAKE)
    note = text.clean_line(note, "note", "补正说明", 500)
    if len(note) < OPINION_MIN:
        raise ValidationError("请说明补交了哪些材料。", "note")
    wanted = {key: tuple(p) for key, p in (pages or {}).items() if p}
    with db.unit_of_work() as session:
        ctx = CallContext(session, actor, _lock_case(session, case_id))
        case = ctx.case
        before = snapshot(case)
        if case.state != CaseState.AWAITING_SUPPLEMENT:
            raise Conflict("该办件不在补正中。")
        extra: dict[str, object] = {}
        if wanted:
            store = store_of(db)
            extra = record_pages(session, store, actor, case, ctx.service, wanted, True, ctx.now)
            extra["marks_cleared"] = records.clear_replaced_marks(
                session, case.id, list(wanted), ctx.now
            )
        reopen_returned(ctx, note)
        session.flush()
        ctx.record("case_resubmitted", before, note, **extra)
        session.commit()
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
        withdraw_case(ctx, reason)
    return _moved(ctx)
