"""What the screens list: the dispatcher's board (every open event of the hall, its stage
clock green, amber or red), a department's inbox (events it leads, and those it is copied
on), one event's file (the timeline with each stage's time, 延期申请, photos), and the
search by number the scanner uses.

Reporters' phones are masked in lists; the file shows them to the dispatcher only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.clock import service_day
from app.db.models import Hall, Incident, IncidentExtension, IncidentLine, IncidentPage
from app.db.session import Database
from app.errors import PermissionDenied
from app.ids import mask_name, mask_phone
from app.incidents import clocks
from app.incidents.lifecycle import catalog, load
from app.roles import Permission
from app.states import INCIDENT_FLOW, ExtensionState, IncidentState
from app.workdays import WorkCalendar

S = IncidentState
OPEN = (S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.RETURNED, S.SIGNED, S.FED_BACK)
LIMIT = 200  # rows a list shows at most (the most urgent, or the newest)
AMBER_SHARE = 4  # amber when a quarter or less of the stage's working time is left


@dataclass(frozen=True)
class Row:
    """One event in a list. ``light``: "green", "amber", "red" or "" (no clock)."""

    id: int
    number: str
    what: str
    grid: str
    address: str
    state: IncidentState
    state_label: str
    lead: str
    lead_code: str  # "" while it waits for dispatch
    cc: str
    due_at: datetime | None  # naive UTC
    due_local: str  # the deadline in hall time, "10-29 11:00" ("" without a clock)
    left_min: int | None  # working minutes left (negative: overdue)
    light: str
    escalated: bool
    asked_extension: bool
    version: int


@dataclass(frozen=True)
class Stage:
    """One stage of the timeline: when it began, its deadline, how long it took (working
    minutes, None while it runs) and whether it ended in time."""

    at: datetime
    state_label: str
    text: str
    due_at: datetime | None
    took_min: int | None
    late: bool
    at_local: str  # hall time, "10-29 10:00"
    due_local: str


@dataclass(frozen=True)
class File:
    """One event as staff see it."""

    row: Row
    description: str
    channel: str
    reporter: str  # "匿名" or name and phone (masked unless the viewer dispatches)
    reported_at: datetime
    reported_local: str  # hall time, "2026-10-29 10:00"
    hall_day: date  # the hall's service day (a 挂账 review day must come after it)
    result: str
    reason: str
    review_on: str
    merged_into: str
    rating: int | None
    stages: tuple[Stage, ...]
    extensions: tuple[tuple[int, int, str, str, str], ...]  # id, hours, reason, state, note
    photos: tuple[tuple[int, str], ...]  # page id, stage ("report" / "feedback")


def hall_time(hall: Hall, at: datetime | None, pattern: str = "%m-%d %H:%M") -> str:
    """A naive-UTC moment in the hall's time ("" for None)."""
    if at is None:
        return ""
    return at.replace(tzinfo=UTC).astimezone(ZoneInfo(hall.timezone)).strftime(pattern)


def _what(incident: Incident) -> str:
    kind, sub = catalog().subtypes.get(incident.subtype_code, ("", None))
    type_name = catalog().types[kind].name if kind in catalog().types else kind
    return f"{type_name} · {sub.name}" if sub else type_name


def _row(
    session: Session,
    hall: Hall,
    incident: Incident,
    now: datetime,
    asked: set[int],
    cal: WorkCalendar,
) -> Row:
    depts = catalog().departments
    left = light = None
    if incident.stage_due_at is not None:
        if incident.stage_due_at <= now:
            left = -clocks.minutes_between(session, hall, incident.stage_due_at, now, cal)
            light = "red"
        else:
            left = clocks.minutes_between(session, hall, now, incident.stage_due_at, cal)
            whole = clocks.minutes_between(
                session, hall, incident.stage_started_at, incident.stage_due_at, cal
            )
            light = "amber" if left * AMBER_SHARE <= whole else "green"
    label = INCIDENT_FLOW.label(incident.state)
    review = incident.review_on if incident.state == S.SHELVED else None
    if review is not None and review <= clock.local_day(now, hall.timezone):
        label, light = f"挂账（{review:%m-%d} 复查到期）", "amber"
    return Row(
        id=incident.id,
        number=incident.number,
        what=_what(incident),
        grid=incident.grid,
        address=incident.address,
        state=incident.state,
        state_label=label,
        lead=depts.get(incident.lead_dept or "", ""),
        lead_code=incident.lead_dept or "",
        cc="、".join(depts.get(c, c) for c in incident.cc_depts),
        due_at=incident.stage_due_at,
        due_local=hall_time(hall, incident.stage_due_at),
        left_min=left,
        light=light or "",
        escalated=incident.escalated_at is not None,
        asked_extension=incident.id in asked,
        version=incident.version,
    )


def _asked(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        session.scalars(
            select(IncidentExtension.incident_id).where(
                IncidentExtension.incident_id.in_(ids),
                IncidentExtension.state == ExtensionState.ASKED,
            )
        )
    )


def rows_of(session: Session, hall: Hall, incidents: list[Incident]) -> list[Row]:
    """The list rows of ``incidents`` (their clocks read against the hall's calendar once)."""
    now = clock.now(session)
    asked = _asked(session, [i.id for i in incidents])
    cal = clocks.calendar(session)
    return [_row(session, hall, i, now, asked, cal) for i in incidents]


def board(db: Database, actor: Actor, *, closed: bool = False, query: str = "") -> list[Row]:
    """The dispatcher's list: open events, most urgent first (or, ``closed``, the ended
    ones, newest first; at most :data:`LIMIT` rows); ``query`` filters by number, address
    or grid. A 挂账 event whose review day has come is open again (amber, 复查到期)."""
    actor.require(Permission.DISPATCH)
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise PermissionDenied("未指定大厅。")
        stmt = select(Incident).where(Incident.hall_id == hall.id)
        # A 挂账 event whose review day has come is work again: on the open list (amber).
        review = and_(Incident.state == S.SHELVED, Incident.review_on <= service_day(session, hall))
        if closed:
            stmt = stmt.where(Incident.state.not_in(OPEN), ~review).order_by(Incident.id.desc())
        else:
            stmt = stmt.where(or_(Incident.state.in_(OPEN), review)).order_by(
                Incident.stage_due_at.is_(None), Incident.stage_due_at, Incident.id
            )
        text = free_text.clean_query(query, "query") if query.strip() else ""
        if text:  # what was typed, literally: % and _ are characters, not wildcards
            like, esc = free_text.like_containing(text), free_text.LIKE_ESCAPE
            stmt = stmt.where(
                or_(
                    Incident.number.ilike(like, escape=esc),
                    Incident.address.ilike(like, escape=esc),
                    Incident.grid.ilike(like, escape=esc),
                )
            )
        return rows_of(session, hall, list(session.scalars(stmt.limit(LIMIT))))


def inbox(db: Database, actor: Actor) -> tuple[list[Row], list[Row]]:
    """A department's events: (those it leads, waiting for 签收 or being handled; those it
    is copied on (抄送) and still open)."""
    actor.require(Permission.APPROVE)
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise PermissionDenied("未指定大厅。")
        mine = list(actor.departments)
        led = session.scalars(
            select(Incident)
            .where(
                Incident.hall_id == hall.id,
                Incident.lead_dept.in_(mine),
                Incident.state.in_((S.DISPATCHED, S.SIGNED)),
            )
            .order_by(Incident.stage_due_at, Incident.id)
        )
        opened = session.scalars(
            select(Incident)
            .where(Incident.hall_id == hall.id, Incident.state.in_(OPEN))
            .order_by(Incident.id)
        )
        copied = [i for i in opened if set(i.cc_depts) & set(mine)]
        return rows_of(session, hall, list(led)), rows_of(session, hall, copied)


def _reporter(incident: Incident, full: bool) -> str:
    if incident.anonymous:
        return "匿名"
    name = incident.reporter_name if full else mask_name(incident.reporter_name)
    phone = incident.reporter_phone if full else mask_phone(incident.reporter_phone)
    return " ".join(p for p in (name, phone) if p)


def _stages(session: Session, hall: Hall, incident_id: int, now: datetime) -> tuple[Stage, ...]:
    lines = list(
        session.scalars(
            select(IncidentLine)
            .where(IncidentLine.incident_id == incident_id)
            .order_by(IncidentLine.id)
        )
    )
    out = []
    cal = clocks.calendar(session)
    for n, line in enumerate(lines):
        end = lines[n + 1].at if n + 1 < len(lines) else None
        took = clocks.minutes_between(session, hall, line.at, end, cal) if end else None
        late = line.due_at is not None and (end or now) > line.due_at
        label = INCIDENT_FLOW.label(line.state)
        out.append(
            Stage(
                line.at,
                label,
                line.text,
                line.due_at,
                took,
                late,
                hall_time(hall, line.at),
                hall_time(hall, line.due_at),
            )
        )
    return tuple(out)


def file(db: Database, actor: Actor, incident_id: int) -> File:
    """One event's file, for its dispatcher or the departments it was sent to."""
    with db.read_only() as session:
        hall, incident = load(session, actor, incident_id)
        dispatcher = actor.can(Permission.DISPATCH)
        sent_to = {incident.lead_dept, *incident.cc_depts} & set(actor.departments)
        if not (dispatcher or sent_to or actor.can(Permission.INTAKE)):
            raise PermissionDenied("您没有查看此事件的权限。")
        now = clock.now(session)
        row = rows_of(session, hall, [incident])[0]
        extensions = session.scalars(
            select(IncidentExtension)
            .where(IncidentExtension.incident_id == incident.id)
            .order_by(IncidentExtension.id)
        )
        photos = session.execute(
            select(IncidentPage.id, IncidentPage.stage)
            .where(IncidentPage.incident_id == incident.id)
            .order_by(IncidentPage.stage.desc(), IncidentPage.position)
        ).all()
        merged = session.get(Incident, incident.merged_into_id) if incident.merged_into_id else None
        return File(
            row=row,
            description=incident.description,
            channel=incident.channel,
            reporter=_reporter(incident, dispatcher),
            reported_at=incident.reported_at,
            reported_local=hall_time(hall, incident.reported_at, "%Y-%m-%d %H:%M"),
            hall_day=service_day(session, hall),
            result=incident.result,
            reason=incident.reason,
            review_on=incident.review_on.isoformat() if incident.review_on else "",
            merged_into=merged.number if merged else "",
            rating=incident.rating,
            stages=_stages(session, hall, incident.id, now),
            extensions=tuple((e.id, e.hours, e.reason, e.state.value, e.note) for e in extensions),
            photos=tuple((pid, stage) for pid, stage in photos),
        )


def find_number(db: Database, actor: Actor, number: str, field: str = "number") -> int | None:
    """The id of the hall's event with this number (typed or a scanned receipt), or None;
    ValidationError naming ``field`` for text no number could be."""
    code = free_text.clean_query(number, field).upper()
    with db.read_only() as session:
        found = session.scalar(
            select(Incident.id).where(Incident.number == code, Incident.hall_id == actor.hall_id)
        )
        return found


def mine(db: Database, actor: Actor) -> list[Row]:
    """The events this user reported, newest first (at most 50): what the counter or a
    community worker follows and prints a receipt again from."""
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise PermissionDenied("未指定大厅。")
        rows = session.scalars(
            select(Incident)
            .where(Incident.hall_id == hall.id, Incident.reported_by_id == actor.user_id)
            .order_by(Incident.id.desc())
            .limit(50)
        )
        return rows_of(session, hall, list(rows))
