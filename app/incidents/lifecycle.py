"""Each step of an event's life, one service function per step (see :mod:`app.incidents`).

Who may do what: anyone at the counter or a community worker reports; the dispatcher
(派单员, or the supervisor) accepts, refuses, dispatches (:mod:`app.incidents.dispatching`),
checks, shelves and merges; the 主办
department's staff (an approver of that department) sign, send back (退单) and feed back.
Every step moves the state by ``INCIDENT_FLOW`` (an undeclared step is refused), writes one
public timeline line and one audit event, and sets the next stage's clock.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.models import Hall, Incident, IncidentExtension, IncidentLine
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.incidents import clocks, photos
from app.materials.intake import PreparedPage
from app.roles import Permission
from app.states import EXTENSION_FLOW, INCIDENT_FLOW, ExtensionState, IncidentState
from forms.incidents import IncidentCatalog, load_incidents
from forms.loader import load_catalog

S = IncidentState
# What the resident reads at the kiosk for each state (no staff names).
PUBLIC = {
    S.REPORTED: "已收到您反映的问题",
    S.ACCEPTED: "已受理，正在安排处理部门",
    S.REFUSED: "不予受理",
    S.DISPATCHED: "已派往 {dept} 处理",
    S.RETURNED: "正在重新安排处理部门",
    S.SIGNED: "{dept} 已接单，正在处置",
    S.FED_BACK: "处置完毕，正在核查",
    S.CLOSED: "已办结",
    S.RATED: "已回访评价",
    S.SHELVED: "暂时无法解决，已挂账，将于 {review} 复查",
    S.MERGED: "与同一地点已反映的问题合并处理，请凭编号 {into} 查询进度",
}


@functools.cache
def catalog() -> IncidentCatalog:
    """The shipped event catalog (its departments checked against the service catalog's)."""
    services = load_catalog()
    return load_incidents({code: d.name for code, d in services.departments.items()})


@dataclass(frozen=True)
class Moved:
    """An event after a step: its state and the stage's deadline (UTC, None: no clock)."""

    incident_id: int
    number: str
    state: IncidentState
    lead_dept: str | None
    stage_due_at: datetime | None


def load(
    session: Session, actor: Actor, incident_id: int, lock: bool = False
) -> tuple[Hall, Incident]:
    """The hall's event (NotFound otherwise); ``lock``: its row locked until the caller's
    transaction ends (PostgreSQL ``FOR UPDATE``; SQLite's writers are serialized anyway),
    so two PCs' steps on one event run one after the other and the second sees the first."""
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    hall = session.get(Hall, actor.hall_id)
    incident = session.get(Incident, incident_id, with_for_update=lock, populate_existing=lock)
    if hall is None or incident is None or incident.hall_id != hall.id:
        raise NotFound("该事件不存在。")
    return hall, incident


def load_current(
    session: Session, actor: Actor, incident_id: int, version: int
) -> tuple[Hall, Incident]:
    """:func:`load` (locked), refused (Conflict) when someone moved the event since it was
    read."""
    hall, incident = load(session, actor, incident_id, lock=True)
    if incident.version != version:
        raise Conflict("该事件已被他人处理，请刷新后再试。")
    return hall, incident


def advance(
    session: Session,
    actor: Actor,
    hall: Hall,
    incident: Incident,
    target: IncidentState,
    action: str,
    note: str = "",
    now: datetime | None = None,
    public: str = "",
) -> Moved:
    """Move ``incident`` to ``target`` (declared, else Conflict): its clock, its public line
    (``public``, else the state's :data:`PUBLIC` text) and the audit event. The caller
    commits."""
    before = {"state": incident.state.value}
    INCIDENT_FLOW.check(incident.state, target)
    if incident.state == S.SIGNED and target != S.SIGNED:
        _lapse_extensions(session, incident)
    at = now or clock.now(session)
    incident.state, incident.stage_started_at = target, at
    subtype = catalog().subtypes.get(incident.subtype_code)
    hours = subtype[1].handle_hours if subtype else 8
    incident.stage_due_at = clocks.due(session, hall, target, at, hours)
    dept = catalog().departments.get(incident.lead_dept or "", "")
    review = incident.review_on.isoformat() if incident.review_on else ""
    into = ""
    if incident.merged_into_id is not None:
        target_row = session.get(Incident, incident.merged_into_id)
        into = target_row.number if target_row is not None else ""
    line = public or PUBLIC[target].format(dept=dept, review=review, into=into)
    incident.escalated_at = None  # a new stage, a new clock
    if target == S.CLOSED:
        incident.closed_at = at
    session.add(
        IncidentLine(
            incident_id=incident.id,
            at=at,
            state=target,
            text=line,
            due_at=incident.stage_due_at,
            dept=incident.lead_dept,
        )
    )
    after = {"state": target.value}
    audit.record(session, actor, action, "incident", incident.id, before, after, note, at=at)
    return Moved(incident.id, incident.number, target, incident.lead_dept, incident.stage_due_at)


def _lapse_extensions(session: Session, incident: Incident) -> None:
    """The handling ends (反馈, 挂账): a 延期申请 nobody decided has nothing left to extend."""
    waiting = session.scalars(
        select(IncidentExtension).where(
            IncidentExtension.incident_id == incident.id,
            IncidentExtension.state == ExtensionState.ASKED,
        )
    )
    for row in waiting:
        EXTENSION_FLOW.check(row.state, ExtensionState.LAPSED)
        row.state, row.note = ExtensionState.LAPSED, "处置已结束，申请失效"


def reason_of(raw: str, field: str, label: str) -> str:
    """A reason of at least 4 characters, at most 500 (ValidationError naming ``field``)."""
    reason = free_text.clean_line(raw, field, label, 500)
    if len(reason) < 4:
        raise ValidationError(f"请写明{label}（至少 4 个字）。", field)
    return reason


def _step(
    db: Database,
    actor: Actor,
    incident_id: int,
    version: int,
    target: IncidentState,
    action: str,
    permission: Permission,
    note: str = "",
    lead_only: bool = False,
    public: str = "",
) -> Moved:
    actor.require(permission)
    with db.unit_of_work() as session:
        hall, incident = load_current(session, actor, incident_id, version)
        if lead_only and incident.lead_dept not in actor.departments:
            raise PermissionDenied("只有主办部门可以办理此事件。")
        if note:  # the refusal, 退单 or 返工 reason
            incident.reason = note
        moved = advance(session, actor, hall, incident, target, action, note, public=public)
        session.commit()
        return moved


def refuse(db: Database, actor: Actor, incident_id: int, version: int, reason: str) -> Moved:
    """不予受理, with the reason (which the resident reads at the kiosk)."""
    note = reason_of(reason, "reason", "不予受理的理由")
    public = free_text.excerpt(f"不予受理：{note}", 190)
    return _step(
        db,
        actor,
        incident_id,
        version,
        S.REFUSED,
        "incident_refused",
        Permission.DISPATCH,
        note,
        public=public,
    )


def sign(db: Database, actor: Actor, incident_id: int, version: int) -> Moved:
    """签收 by the 主办 department."""
    return _step(
        db,
        actor,
        incident_id,
        version,
        S.SIGNED,
        "incident_signed",
        Permission.APPROVE,
        lead_only=True,
    )


def send_back(db: Database, actor: Actor, incident_id: int, version: int, reason: str) -> Moved:
    """退单: not this department's; back to the dispatcher with the reason."""
    note = reason_of(reason, "reason", "退单理由")
    return _step(
        db,
        actor,
        incident_id,
        version,
        S.RETURNED,
        "incident_returned",
        Permission.APPROVE,
        note,
        True,
    )


def feed_back(
    db: Database,
    actor: Actor,
    incident_id: int,
    version: int,
    result: str,
    pictures: Sequence[PreparedPage] = (),
) -> Moved:
    """反馈: what was done (and photos of it); waits for the dispatcher's 核查."""
    text = free_text.clean_long(result, "result", "处置结果", 2000)
    if len(text) < 4:
        raise ValidationError("请写明处置结果（至少 4 个字）。", "result")
    actor.require(Permission.APPROVE)
    with db.unit_of_work() as session:
        hall, incident = load_current(session, actor, incident_id, version)
        if incident.lead_dept not in actor.departments:
            raise PermissionDenied("只有主办部门可以办理此事件。")
        incident.result = text
        if pictures:
            photos.add(session, db, actor, incident.id, "feedback", pictures, clock.now(session))
        moved = advance(session, actor, hall, incident, S.FED_BACK, "incident_fed_back", text)
        session.commit()
        return moved


def verify(
    db: Database, actor: Actor, incident_id: int, version: int, passed: bool, note: str = ""
) -> Moved:
    """核查: passed → 结案; else 返工 (back to the department, with the reason)."""
    if passed:
        moved = _step(
            db, actor, incident_id, version, S.CLOSED, "incident_closed", Permission.DISPATCH
        )
        return moved
    reason = reason_of(note, "reason", "返工理由")
    return _step(
        db, actor, incident_id, version, S.SIGNED, "incident_rework", Permission.DISPATCH, reason
    )


def shelve(
    db: Database, actor: Actor, incident_id: int, version: int, review_on: date, reason: str
) -> Moved:
    """挂账: cannot be solved now; to be looked at again on ``review_on`` (a future day)."""
    note = reason_of(reason, "reason", "挂账理由")
    actor.require(Permission.DISPATCH)
    with db.unit_of_work() as session:
        hall, incident = load_current(session, actor, incident_id, version)
        if review_on <= clock.service_day(session, hall):
            raise ValidationError("复查日期应在今天之后。", "review_on")
        incident.review_on, incident.reason = review_on, note
        moved = advance(session, actor, hall, incident, S.SHELVED, "incident_shelved", note)
        session.commit()
        return moved
