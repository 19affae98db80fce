"""上报: an event reported at the counter (walk-in, phone) or for a grid worker; numbered
``JX01-SQ20261130-0001`` (the hall's case counter, prefix ``<hall>-SQ``). Reported at the
counter it is 受理 there and then, and dispatched at once where the catalog decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.cases.intake_rows import case_no
from app.db import clock
from app.db.models import Hall, Incident, IncidentLine
from app.db.session import Database
from app.errors import PermissionDenied, ValidationError
from app.ids import normalize_phone
from app.incidents import clocks, dispatching, photos
from app.incidents.lifecycle import PUBLIC, Moved, advance, catalog
from app.materials.intake import PreparedPage
from app.numbers import EVENT_PART
from app.people.residents import clean_name
from app.roles import Permission
from app.states import IncidentState

S = IncidentState
CHANNELS = {"counter": "窗口", "phone": "电话", "grid": "网格员上报"}
NUMBER_PART = EVENT_PART  # 诉求: the case counter's department part for events


@dataclass(frozen=True)
class IncidentInput:
    """An event as reported. ``anonymous``: the reporter's name and phone are not kept."""

    subtype: str
    grid: str
    address: str
    description: str
    channel: str
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False
    photos: tuple[PreparedPage, ...] = ()  # 现场照片 (app.materials.intake.prepare_pages)


@dataclass(frozen=True)
class CheckedReport:
    """A report's fields as :func:`check` cleaned them."""

    type_code: str
    grid: str
    address: str
    description: str
    name: str
    phone: str


def check(actor: Actor, inp: IncidentInput) -> CheckedReport:
    """What :func:`report` checks before it writes (no database): the form's fields,
    cleaned. The report form calls it before it reads the photos, so a wrong field is said
    before a slow file. Raises ValidationError naming the field, PermissionDenied."""
    if not (
        actor.can(Permission.INTAKE) or actor.can(Permission.CARE) or actor.can(Permission.DISPATCH)
    ):
        raise PermissionDenied("您没有执行此操作的权限。")
    found = catalog().subtypes.get(inp.subtype)
    if found is None:
        raise ValidationError("请选择事件类型。", "subtype")
    if inp.channel not in CHANNELS:
        raise ValidationError("请选择反映渠道。", "channel")
    grid = free_text.clean_line(inp.grid, "grid", "网格", 40, 2)
    address = free_text.clean_line(inp.address, "address", "地点", 200, 2)
    description = free_text.clean_long(inp.description, "description", "问题描述", 2000)
    if len(description) < 4:
        raise ValidationError("请描述问题（至少 4 个字）。", "description")
    name = phone = ""
    if not inp.anonymous:
        name = clean_name(inp.reporter_name, "reporter_name") if inp.reporter_name.strip() else ""
        phone = (
            normalize_phone(inp.reporter_phone, "reporter_phone")
            if inp.reporter_phone.strip()
            else ""
        )
        if not (name or phone):
            raise ValidationError("请留下反映人的姓名或电话，或选择匿名反映。", "reporter_name")
    return CheckedReport(found[0], grid, address, description, name, phone)


def report(db: Database, actor: Actor, inp: IncidentInput) -> Moved:
    """上报 (and, at the counter, 受理 and the catalog's 派遣). Raises ValidationError naming
    the field (:func:`check`), PermissionDenied."""
    ok = check(actor, inp)
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    with db.unit_of_work() as session:
        hall = session.get(Hall, actor.hall_id)
        assert hall is not None
        now = clock.now(session)
        incident = Incident(
            hall_id=hall.id,
            number="",
            type_code=ok.type_code,
            subtype_code=inp.subtype,
            grid=ok.grid,
            address=ok.address,
            description=ok.description,
            channel=inp.channel,
            anonymous=inp.anonymous,
            reporter_name=ok.name,
            reporter_phone=ok.phone,
            reported_by_id=actor.user_id,
            reported_at=now,
            state=S.REPORTED,
            stage_started_at=now,
        )
        session.add(incident)
        session.flush()
        day = clock.local_day(now, hall.timezone)
        incident.number = case_no(session.connection(), hall, NUMBER_PART, day)
        photos.add(session, db, actor, incident.id, "report", inp.photos, now)
        moved = _first_line(session, actor, hall, incident, now)
        if inp.channel == "counter" and actor.can(Permission.INTAKE):
            moved = advance(
                session, actor, hall, incident, S.ACCEPTED, "incident_accepted", now=now
            )
            moved = dispatching.by_catalog(session, actor, hall, incident, now) or moved
        session.commit()
        return moved


def _first_line(
    session: Session, actor: Actor, hall: Hall, incident: Incident, now: datetime
) -> Moved:
    """The report's own line and audit event (REPORTED is where an event begins)."""
    incident.stage_due_at = clocks.due(session, hall, S.REPORTED, now, 8)
    line = IncidentLine(
        incident_id=incident.id,
        at=now,
        state=S.REPORTED,
        text=PUBLIC[S.REPORTED],
        due_at=incident.stage_due_at,
    )
    session.add(line)
    after = {"state": S.REPORTED.value, "number": incident.number}
    audit.record(session, actor, "incident_reported", "incident", incident.id, after=after, at=now)
    return Moved(incident.id, incident.number, S.REPORTED, None, incident.stage_due_at)
