"""Declared state tables of the community's work (issue 19): 群众诉求 / 网格事件, their
延期申请, and 矛盾纠纷调解 (三级调解). Re-exported by :mod:`app.states`.
"""

from __future__ import annotations

from enum import StrEnum

from app.statemachine import StateMachine
from app.statemachine import table as _table


class IncidentState(StrEnum):
    """群众诉求 / 网格事件 (issue 19): 上报 → 受理 → 派遣 → 签收 → 反馈 → 核查 → 结案 → 回访."""

    REPORTED = "reported"  # 上报
    ACCEPTED = "accepted"  # 受理: waits for dispatch (the catalog's or a dispatcher's)
    REFUSED = "refused"  # 不予受理 (reason)
    DISPATCHED = "dispatched"  # 派遣: 主办 + 抄送 departments
    RETURNED = "returned"  # 退单 (reason): back to dispatch
    SIGNED = "signed"  # 签收: being handled (延期 asked and approved within it)
    FED_BACK = "fed_back"  # 反馈: result and photos, waiting for 核查
    CLOSED = "closed"  # 结案 (核查 passed); "not solved" reopens it for 核查
    RATED = "rated"  # 回访评价 done
    SHELVED = "shelved"  # 挂账: cannot be solved now, a review date
    MERGED = "merged"  # 并单: a duplicate of an open event at the same place


class MediationState(StrEnum):
    """矛盾纠纷调解 (三级调解, issue 19); the level (网格/社区/街道) moves by escalation."""

    REGISTERED = "registered"  # 受理登记
    MEDIATING = "mediating"  # sessions under way at its level
    AGREED = "agreed"  # 人民调解协议书 signed: 司法确认 window, 回访 at a week and a month
    FAILED = "failed"  # 调解不成: the parties told of litigation or arbitration
    WITHDRAWN = "withdrawn"  # 撤回
    CLOSED = "closed"  # the one-month 回访 recorded


class MediationLevel(StrEnum):
    """三级调解: where a dispute is mediated; it moves up only (网格 → 社区 → 街道)."""

    GRID = "grid"  # 网格调解 (网格员, 调解小组)
    COMMUNITY = "community"  # 社区（村）人民调解委员会
    STREET = "street"  # 街道综治中心 (联合调解)


class FollowUpState(StrEnum):
    """A 回访 of a mediation agreement (a week and a month after it was signed)."""

    DUE = "due"  # 待回访
    DONE = "done"  # 已回访: the performance status recorded


class ExtensionState(StrEnum):
    """延期申请 of an event's 处置: asked by the 主办 department, decided by the dispatcher."""

    ASKED = "asked"
    APPROVED = "approved"
    REFUSED = "refused"
    LAPSED = "lapsed"  # the handling ended (反馈, 挂账) before anyone decided


E = IncidentState
INCIDENT_FLOW: StateMachine[IncidentState] = StateMachine(
    name="事件",
    states=IncidentState,
    initial=(E.REPORTED,),
    transitions=_table(
        {
            E.REPORTED: (E.ACCEPTED, E.REFUSED, E.MERGED),
            E.ACCEPTED: (E.DISPATCHED, E.SHELVED, E.MERGED),
            E.DISPATCHED: (E.SIGNED, E.RETURNED),
            E.RETURNED: (E.DISPATCHED, E.SHELVED),
            E.SIGNED: (E.FED_BACK, E.SHELVED),
            E.FED_BACK: (E.CLOSED, E.SIGNED),  # 核查: pass, or 返工
            E.CLOSED: (E.RATED, E.FED_BACK),  # rated; or "not solved": 核查 again
            E.SHELVED: (E.DISPATCHED,),  # reviewed and taken up again
        }
    ),
    labels={
        E.REPORTED: "已上报",
        E.ACCEPTED: "已受理",
        E.REFUSED: "不予受理",
        E.DISPATCHED: "已派遣",
        E.RETURNED: "已退单",
        E.SIGNED: "处置中",
        E.FED_BACK: "待核查",
        E.CLOSED: "已结案",
        E.RATED: "已回访",
        E.SHELVED: "挂账",
        E.MERGED: "已并单",
    },
)

M = MediationState
MEDIATION_FLOW: StateMachine[MediationState] = StateMachine(
    name="调解",
    states=MediationState,
    initial=(M.REGISTERED,),
    transitions=_table(
        {
            M.REGISTERED: (M.MEDIATING, M.WITHDRAWN),
            M.MEDIATING: (M.AGREED, M.FAILED, M.WITHDRAWN),
            M.AGREED: (M.CLOSED,),
        }
    ),
    labels={
        M.REGISTERED: "已登记",
        M.MEDIATING: "调解中",
        M.AGREED: "已达成协议",
        M.FAILED: "调解不成",
        M.WITHDRAWN: "已撤回",
        M.CLOSED: "已回访结案",
    },
)

# Registered at any level; escalated one level at a time (by the mediator with a reason, or
# by housekeeping when the level's time limit has passed). 街道 is the top: no way out.
L = MediationLevel
MEDIATION_LEVEL_FLOW: StateMachine[MediationLevel] = StateMachine(
    name="调解层级",
    states=MediationLevel,
    initial=(L.GRID, L.COMMUNITY, L.STREET),
    transitions=_table({L.GRID: (L.COMMUNITY,), L.COMMUNITY: (L.STREET,)}),
    labels={L.GRID: "网格调解", L.COMMUNITY: "社区调解委员会", L.STREET: "街道综治中心"},
)

FOLLOW_UP_FLOW: StateMachine[FollowUpState] = StateMachine(
    name="回访",
    states=FollowUpState,
    initial=(FollowUpState.DUE,),
    transitions=_table({FollowUpState.DUE: (FollowUpState.DONE,)}),
    labels={FollowUpState.DUE: "待回访", FollowUpState.DONE: "已回访"},
)

X = ExtensionState
EXTENSION_FLOW: StateMachine[ExtensionState] = StateMachine(
    name="延期申请",
    states=ExtensionState,
    initial=(X.ASKED,),
    transitions=_table({X.ASKED: (X.APPROVED, X.REFUSED, X.LAPSED)}),
    labels={X.ASKED: "待审批", X.APPROVED: "已同意", X.REFUSED: "未同意", X.LAPSED: "已失效"},
)
