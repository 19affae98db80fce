"""延期申请: the 主办 department asks for more handling hours while it handles an event
(签收 → 反馈), with the reason; the dispatcher approves, and the 处置 deadline moves by that
many working hours, or refuses, with a note. One request waits at a time
(``EXTENSION_FLOW``: 待审批 → 已同意 | 未同意)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import audit
from app.actor import Actor
from app.db import clock
from app.db.models import IncidentExtension, IncidentLine
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.incidents import clocks
from app.incidents.lifecycle import load, load_current, reason_of
from app.roles import Permission
from app.states import EXTENSION_FLOW, ExtensionState, IncidentState

X = ExtensionState
MAX_HOURS = 7 * 20  # twenty working days: more is a 挂账, not a 延期


@dataclass(frozen=True)
class Extension:
    """A 延期申请 as the lists show it (times naive UTC)."""

    id: int
    incident_id: int
    hours: int
    reason: str
    state: ExtensionState
    asked_at: datetime
    note: str


def _view(row: IncidentExtension) -> Extension:
    return Extension(
        row.id, row.incident_id, row.hours, row.reason, row.state, row.asked_at, row.note
    )


def ask(
    db: Database, actor: Actor, incident_id: int, version: int, hours: int, reason: str
) -> Extension:
    """延期申请 by the 主办 department of an event being handled. Raises ValidationError
    (``hours`` 1–140, ``reason`` ≥ 4 characters), PermissionDenied, Conflict (not being
    handled, or a request already waits)."""
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationError(f"延期时长应为 1–{MAX_HOURS} 个工作小时。", "hours")
    note = reason_of(reason, "reason", "延期理由")
    actor.require(Permission.APPROVE)
    with db.unit_of_work() as session:
        _hall, incident = load_current(session, actor, incident_id, version)
        if incident.lead_dept not in actor.departments:
            raise PermissionDenied("只有主办部门可以申请延期。")
        if incident.state != IncidentState.SIGNED:
            raise Conflict("只有处置中的事件可以申请延期。")
        waiting = session.scalar(
            select(IncidentExtension.id).where(
                IncidentExtension.incident_id == incident.id, IncidentExtension.state == X.ASKED
            )
        )
        if waiting is not None:
            raise Conflict("已有一份延期申请等待审批。")
        now = clock.now(session)
        row = IncidentExtension(
            incident_id=incident.id,
            hours=hours,
            reason=note,
            asked_by_id=actor.user_id,
            asked_at=now,
            state=X.ASKED,
            note="",
        )
        session.add(row)
        session.flush()
        after = {"hours": hours, "state": X.ASKED.value}
        audit.record(
            session, actor, "incident_extension_asked", "incident", incident.id, None, after, note
        )
        session.commit()
        return _view(row)


def decide(
    db: Database, actor: Actor, extension_id: int, approve: bool, note: str = ""
) -> Extension:
    """The dispatcher's decision. Approved: the 处置 deadline (and the stage's timeline
    deadline) moves by the hours asked, in working hours; refused: a note of ≥ 4 characters
    is required. Raises NotFound, Conflict (decided already, or the event is no longer being
    handled), ValidationError (``note``)."""
    actor.require(Permission.DISPATCH)
    text = note.strip() and reason_of(note, "note", "审批意见")
    if not approve and not text:
        raise ValidationError("请写明不同意的理由（至少 4 个字）。", "note")
    with db.unit_of_work() as session:
        row = session.get(IncidentExtension, extension_id)
        if row is None:
            raise NotFound("该延期申请不存在。")
        # The event locked first, then the request read again: a second PC's decision waits
        # and then finds it decided (Conflict), never both.
        hall, incident = load(session, actor, row.incident_id, lock=True)
        session.refresh(row)
        target = X.APPROVED if approve else X.REFUSED
        EXTENSION_FLOW.check(row.state, target)
        if approve and incident.state != IncidentState.SIGNED:
            raise Conflict("该事件已不在处置中，延期申请无需审批。")
        now = clock.now(session)
        row.state, row.decided_by_id, row.decided_at, row.note = target, actor.user_id, now, text
        before = {"stage_due_at": str(incident.stage_due_at)}
        if approve and incident.stage_due_at is not None:
            incident.stage_due_at = clocks.later(session, hall, incident.stage_due_at, row.hours)
            incident.escalated_at = None
            line = session.scalar(
                select(IncidentLine)
                .where(IncidentLine.incident_id == incident.id)
                .order_by(IncidentLine.id.desc())
                .limit(1)
            )
            if line is not None:
                line.due_at = incident.stage_due_at
        after = {"state": target.value, "stage_due_at": str(incident.stage_due_at)}
        action = "incident_extension_approved" if approve else "incident_extension_refused"
        audit.record(session, actor, action, "incident", incident.id, before, after, text)
        session.commit()
        return _view(row)


def of_incident(db: Database, actor: Actor, incident_id: int) -> tuple[Extension, ...]:
    """An event's 延期申请, oldest first."""
    with db.read_only() as session:
        load(session, actor, incident_id)
        rows = session.scalars(
            select(IncidentExtension)
            .where(IncidentExtension.incident_id == incident_id)
            .order_by(IncidentExtension.id)
        )
        return tuple(_view(r) for r in rows)
