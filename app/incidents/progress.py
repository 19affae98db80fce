"""What the resident sees and does at the kiosk with an event's receipt (scanned or typed
number): the public timeline (one line per stage, no staff names), a rating once it is
closed (回访评价, five levels), or "not solved", which reopens it for 核查.

The kiosk has no log-in: these take the hall the kiosk stands in and act as the kiosk
(``app.queue.queueing.kiosk_actor``); an event of another hall is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text as free_text
from app.db.models import Hall, Incident, IncidentLine
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.incidents.lifecycle import Moved, advance, catalog, reason_of
from app.queue.queueing import kiosk_actor
from app.states import INCIDENT_FLOW, IncidentState

S = IncidentState
REOPENED = "您反映问题尚未解决，正在重新核查"  # the public line of "not solved"
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


@dataclass(frozen=True)
class Progress:
    """An event as the resident reads it."""

    number: str
    what: str  # 市政设施 · 井盖缺失破损
    address: str
    state_label: str
    lines: tuple[tuple[str, str], ...]  # (hall-local "MM-DD HH:MM", text)
    can_rate: bool  # closed, not rated yet: rate, or say it is not solved
    rating: int | None
    version: int


def _find(session: Session, hall_id: int, number: str) -> tuple[Hall, Incident]:
    code = free_text.clean_query(number, "number").upper()
    hall = session.get(Hall, hall_id)
    incident = session.scalar(select(Incident).where(Incident.number == code))
    if hall is None or incident is None or incident.hall_id != hall_id:
        raise NotFound(f"没有找到事件 {free_text.excerpt(code, 30)}。", "number")
    return hall, incident


def progress(db: Database, hall_id: int, number: str) -> Progress:
    """The event's public timeline by its number (NotFound otherwise)."""
    with db.read_only() as session:
        hall, incident = _find(session, hall_id, number)
        zone = ZoneInfo(hall.timezone)

        def local(at: datetime) -> str:
            return at.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).strftime("%m-%d %H:%M")

        lines = session.execute(
            select(IncidentLine.at, IncidentLine.text)
            .where(IncidentLine.incident_id == incident.id)
            .order_by(IncidentLine.id)
        ).all()
        kind, sub = catalog().subtypes.get(incident.subtype_code, ("", None))
        type_name = catalog().types[kind].name if kind in catalog().types else ""
        return Progress(
            number=incident.number,
            what=f"{type_name} · {sub.name}" if sub else type_name,
            address=incident.address,
            state_label=INCIDENT_FLOW.label(incident.state),
            lines=tuple((local(at), text) for at, text in lines),
            can_rate=incident.state == S.CLOSED,
            rating=incident.rating,
            version=incident.version,
        )


def rate(db: Database, hall_id: int, number: str, version: int, level: int) -> Moved:
    """回访评价 of a closed event, 1–5 (ValidationError for another level)."""
    if level not in LEVELS:
        raise ValidationError("请选择评价等级。", "level")
    with db.unit_of_work() as session:
        hall, incident = _find(session, hall_id, number)
        if incident.version != version:
            raise Conflict("该事件刚有新的进展，请重新查看后再评价。")
        incident.rating = level
        moved = advance(
            session, kiosk_actor(hall_id), hall, incident, S.RATED, "incident_rated", LEVELS[level]
        )
        session.commit()
        return moved


def not_solved(db: Database, hall_id: int, number: str, version: int, reason: str) -> Moved:
    """The resident says a closed event is not solved: back to 核查, with the reason."""
    note = reason_of(reason, "reason", "未解决的情况")
    with db.unit_of_work() as session:
        hall, incident = _find(session, hall_id, number)
        if incident.version != version:
            raise Conflict("该事件刚有新的进展，请重新查看后再评价。")
        incident.reason = note
        moved = advance(
            session,
            kiosk_actor(hall_id),
            hall,
            incident,
            S.FED_BACK,
            "incident_reopened",
            note,
            public=REOPENED,
        )
        session.commit()
        return moved
