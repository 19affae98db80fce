"""Declared state tables and the one guard that enforces them.

Every change of state of a ticket, case, task or user goes through
:meth:`StateMachine.check`; the UI asks :meth:`StateMachine.allowed` to decide what to
enable. A generic test checks every table against its enum (no unknown or unreachable
states).
"""

from __future__ import annotations

from enum import StrEnum

from app.statemachine import StateMachine
from app.statemachine import table as _table
from app.states_community import (
    EXTENSION_FLOW,
    FOLLOW_UP_FLOW,
    INCIDENT_FLOW,
    MEDIATION_FLOW,
    MEDIATION_LEVEL_FLOW,
    ExtensionState,
    FollowUpState,
    IncidentState,
    MediationLevel,
    MediationState,
)

__all__ = [
    "EXTENSION_FLOW",
    "FOLLOW_UP_FLOW",
    "INCIDENT_FLOW",
    "MEDIATION_FLOW",
    "MEDIATION_LEVEL_FLOW",
    "ExtensionState",
    "FollowUpState",
    "IncidentState",
    "MediationLevel",
    "MediationState",
    "StateMachine",
]


class TicketState(StrEnum):
    """A queue ticket's life in the hall."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    EXPIRED = "expired"  # still open when its service day ended: closed by the rollover


class CaseState(StrEnum):
    """A case (办件) from acceptance to hand-out."""

    DRAFT = "draft"  # started at the counter, not yet accepted (kept for the next visit)
    ACCEPTED = "accepted"
    IN_REVIEW = "in_review"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    PUBLICIZING = "publicizing"
    COMPLETED = "completed"
    REJECTED = "rejected"
    DELIVERED = "delivered"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class TaskState(StrEnum):
    """One department's decision on one step of a case."""

    OPEN = "open"
    CLAIMED = "claimed"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"  # sent back for supplement
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class WindowState(StrEnum):
    """Whether a counter window takes calls."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class RectificationState(StrEnum):
    """A 整改 task opened by a bad 好差评 rating (GB/T 39734-2020 §7: 差评整改)."""

    OPEN = "open"  # 待整改: the supervisor calls back and records the measures
    CLOSED = "closed"  # 已整改: callback and measures recorded, closed
    APPEALED = "appealed"  # 已申诉: the rating is disputed (e.g. a malicious rating)


class CarePersonState(StrEnum):
    """Whether a person with a care profile (一人一档) still lives in the hall's area."""

    ACTIVE = "active"  # 在册
    DECEASED = "deceased"  # 已去世: every plan closes
    MOVED = "moved"  # 已迁出: every plan closes; back in the area → 在册 again


class CarePlanState(StrEnum):
    """A visit plan: visits due by its rhythm until it closes."""

    ACTIVE = "active"
    CLOSED = "closed"


class CareVisitState(StrEnum):
    """A recorded visit: counted, or cancelled (kept, and restorable)."""

    DONE = "done"
    CANCELLED = "cancelled"


class UserState(StrEnum):
    """Whether an account may log in."""

    ACTIVE = "active"
    DISABLED = "disabled"


T, C, K = TicketState, CaseState, TaskState

TICKET_FLOW: StateMachine[TicketState] = StateMachine(
    name="号票",
    states=TicketState,
    initial=(T.WAITING,),
    transitions=_table(
        {
            # → EXPIRED: only the day's rollover (calling.close_past_days), never a clerk.
            T.WAITING: (T.CALLED, T.TRANSFERRED, T.EXPIRED),
            T.CALLED: (T.CALLED, T.SERVING, T.NO_SHOW, T.TRANSFERRED, T.EXPIRED),  # →CALLED: 重呼
            T.SERVING: (T.DONE, T.TRANSFERRED, T.EXPIRED),
            T.NO_SHOW: (T.WAITING,),  # returned late, back in the queue by the hall's rule
        }
    ),
    labels={
        T.WAITING: "等候中",
        T.CALLED: "已呼叫",
        T.SERVING: "办理中",
        T.DONE: "已完成",
        T.NO_SHOW: "过号",
        T.TRANSFERRED: "已转窗",
        T.EXPIRED: "日终关闭",
    },
)

# A ticket belongs to its service day: once that day has ended it moves only to these
# states (the rollover's →EXPIRED), by any path. The table cannot know the day; the guard
# that does is app.queue.calling._guard, through which every ticket transition goes.
TICKET_PAST_DAY_TARGETS: frozenset[TicketState] = frozenset({T.EXPIRED})

CASE_FLOW: StateMachine[CaseState] = StateMachine(
    name="办件",
    states=CaseState,
    initial=(C.DRAFT, C.ACCEPTED, C.REFUSED),
    transitions=_table(
        {
            C.DRAFT: (C.ACCEPTED, C.REFUSED, C.WITHDRAWN),
            C.ACCEPTED: (C.IN_REVIEW, C.COMPLETED, C.WITHDRAWN),
            C.IN_REVIEW: (
                C.AWAITING_SUPPLEMENT,
                C.PUBLICIZING,
                C.COMPLETED,
                C.REJECTED,
                C.WITHDRAWN,
            ),
            C.AWAITING_SUPPLEMENT: (C.IN_REVIEW, C.WITHDRAWN),
            C.PUBLICIZING: (C.IN_REVIEW, C.COMPLETED),
            C.COMPLETED: (C.DELIVERED,),
            C.REJECTED: (C.DELIVERED,),
        }
    ),
    labels={
        C.DRAFT: "暂存",
        C.ACCEPTED: "已受理",
        C.IN_REVIEW: "审批中",
        C.AWAITING_SUPPLEMENT: "补正中",
        C.PUBLICIZING: "公示中",
        C.COMPLETED: "已办结",
        C.REJECTED: "不予批准",
        C.DELIVERED: "已出件",
        C.REFUSED: "不予受理",
        C.WITHDRAWN: "已撤回",
    },
)

TASK_FLOW: StateMachine[TaskState] = StateMachine(
    name="审批任务",
    states=TaskState,
    initial=(K.OPEN,),
    transitions=_table(
        {
            K.OPEN: (K.CLAIMED, K.TRANSFERRED, K.CANCELLED),
            K.CLAIMED: (K.OPEN, K.APPROVED, K.REJECTED, K.RETURNED, K.TRANSFERRED, K.CANCELLED),
        }
    ),
    labels={
        K.OPEN: "待办",
        K.CLAIMED: "已签收",
        K.APPROVED: "同意",
        K.REJECTED: "不同意",
        K.RETURNED: "退回补正",
        K.TRANSFERRED: "已转办",
        K.CANCELLED: "已取消",
    },
)

USER_FLOW: StateMachine[UserState] = StateMachine(
    name="账号",
    states=UserState,
    initial=(UserState.ACTIVE,),
    transitions=_table(
        {UserState.ACTIVE: (UserState.DISABLED,), UserState.DISABLED: (UserState.ACTIVE,)}
    ),
    labels={UserState.ACTIVE: "正常", UserState.DISABLED: "已停用"},
)

W = WindowState
WINDOW_FLOW: StateMachine[WindowState] = StateMachine(
    name="窗口",
    states=WindowState,
    initial=(W.CLOSED,),
    transitions=_table(
        {W.CLOSED: (W.OPEN,), W.OPEN: (W.PAUSED, W.CLOSED), W.PAUSED: (W.OPEN, W.CLOSED)}
    ),
    labels={W.OPEN: "开放", W.PAUSED: "暂停", W.CLOSED: "关闭"},
)

R = RectificationState
RECTIFICATION_FLOW: StateMachine[RectificationState] = StateMachine(
    name="整改",
    states=RectificationState,
    initial=(R.OPEN,),
    transitions=_table({R.OPEN: (R.CLOSED, R.APPEALED)}),
    labels={R.OPEN: "待整改", R.CLOSED: "已整改", R.APPEALED: "已申诉"},
)

CARE_PERSON_FLOW: StateMachine[CarePersonState] = StateMachine(
    name="探访对象",
    states=CarePersonState,
    initial=(CarePersonState.ACTIVE,),
    transitions=_table(
        {
            CarePersonState.ACTIVE: (CarePersonState.DECEASED, CarePersonState.MOVED),
            CarePersonState.MOVED: (CarePersonState.ACTIVE, CarePersonState.DECEASED),
        }
    ),
    labels={
        CarePersonState.ACTIVE: "在册",
        CarePersonState.DECEASED: "已去世",
        CarePersonState.MOVED: "已迁出",
    },
)

CARE_PLAN_FLOW: StateMachine[CarePlanState] = StateMachine(
    name="探访计划",
    states=CarePlanState,
    initial=(CarePlanState.ACTIVE,),
    transitions=_table({CarePlanState.ACTIVE: (CarePlanState.CLOSED,)}),
    labels={CarePlanState.ACTIVE: "执行中", CarePlanState.CLOSED: "已结束"},
)

CARE_VISIT_FLOW: StateMachine[CareVisitState] = StateMachine(
    name="探访记录",
    states=CareVisitState,
    initial=(CareVisitState.DONE,),
    transitions=_table(
        {
            CareVisitState.DONE: (CareVisitState.CANCELLED,),
            CareVisitState.CANCELLED: (CareVisitState.DONE,),  # restored (audited)
        }
    ),
    labels={CareVisitState.DONE: "已探访", CareVisitState.CANCELLED: "已作废"},
)

ALL_FLOWS: tuple[
    StateMachine[TicketState]
    | StateMachine[CaseState]
    | StateMachine[TaskState]
    | StateMachine[UserState]
    | StateMachine[RectificationState]
    | StateMachine[CarePersonState]
    | StateMachine[CarePlanState]
    | StateMachine[CareVisitState]
    | StateMachine[IncidentState]
    | StateMachine[MediationState]
    | StateMachine[ExtensionState]
    | StateMachine[MediationLevel]
    | StateMachine[FollowUpState],
    ...,
] = (
    TICKET_FLOW,
    CASE_FLOW,
    TASK_FLOW,
    USER_FLOW,
    RECTIFICATION_FLOW,
    CARE_PERSON_FLOW,
    CARE_PLAN_FLOW,
    CARE_VISIT_FLOW,
    INCIDENT_FLOW,
    MEDIATION_FLOW,
    EXTENSION_FLOW,
    MEDIATION_LEVEL_FLOW,
    FOLLOW_UP_FLOW,
)
