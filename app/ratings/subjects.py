"""What a resident may rate, and who and what a rating of it judges.

A subject is named by its key (``app.db.models.Rating.subject_key``): ``T:<ticket id>``
for the service at a window (the ticket finished, ``DONE``), ``C:<case id>:accept`` for a
case's acceptance (any case once accepted) and ``C:<case id>:pickup`` for its pickup
(delivered). The rating screen beside a counter asks for the ticket its window finished
last (:func:`ticket_to_rate`); the kiosk reads a ticket slip or a receipt
(:func:`find_target`). Both return a :class:`RateTarget`: what the resident sees before
choosing a level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import numbers
from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.models import (
    Case,
    Department,
    Hall,
    Rating,
    ServiceType,
    ServiceVersion,
    Ticket,
    User,
    Window,
)
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.ratings.levels import RECENT_MINUTES, STAGES
from app.states import CaseState, TicketState


@dataclass(frozen=True)
class RateTarget:
    """What is about to be rated, as the resident sees it (any text may be ``""``)."""

    subject_key: str
    stage: str  # "service", "accept", "pickup"
    stage_label: str  # 窗口服务 / 受理 / 出件
    ticket_code: str
    case_no: str
    window_number: int | None
    clerk_name: str
    service_name: str


@dataclass(frozen=True)
class Subject:
    """A subject resolved for rating: the rows a rating is tied to (ids may be None)."""

    key: str
    stage: str
    ticket: Ticket | None
    case: Case | None
    window_id: int | None
    clerk_id: int | None
    service_type_id: int | None
    department_id: int | None


def ticket_key(ticket_id: int) -> str:
    """``T:<id>``: the service of one ticket."""
    return f"T:{ticket_id}"


def case_key(case_id: int, stage: str) -> str:
    """``C:<id>:accept`` or ``C:<id>:pickup``."""
    return f"C:{case_id}:{stage}"


def live_rating(session: Session, key: str) -> Rating | None:
    """The subject's rating that counts (not superseded by a re-rate), if any."""
    return session.scalar(
        select(Rating).where(Rating.subject_key == key, Rating.superseded_by_id.is_(None))
    )


def _window_of_clerk(session: Session, hall_id: int, clerk_id: int | None) -> int | None:
    if clerk_id is None:
        return None
    return session.scalar(
        select(Window.id).where(Window.hall_id == hall_id, Window.clerk_id == clerk_id).limit(1)
    )


def _service_of_case(session: Session, case: Case) -> tuple[int | None, int | None]:
    row = session.execute(
        select(ServiceType.id, ServiceType.department_id)
        .join(ServiceVersion, ServiceVersion.service_type_id == ServiceType.id)
        .where(ServiceVersion.id == case.service_version_id)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def _ticket_subject(session: Session, hall_id: int, ticket: Ticket | None) -> Subject:
    if ticket is None or ticket.hall_id != hall_id:
        raise NotFound("没有找到这张号票。")
    if ticket.state != TicketState.DONE:
        raise Conflict(f"号票 {ticket.code} 尚未办理完毕，办理完毕后再评价。")
    case = session.scalar(
        select(Case)
        .where(Case.ticket_id == ticket.id, Case.accepted_at.is_not(None))
        .order_by(Case.id)
        .limit(1)
    )
    service, department = _service_of_case(session, case) if case else (None, None)
    return Subject(
        ticket_key(ticket.id),
        "service",
        ticket,
        None,
        ticket.window_id,
        ticket.served_by_id,
        service,
        department,
    )


def _case_subject(session: Session, hall_id: int, case: Case | None, stage: str) -> Subject:
    if case is None or case.hall_id != hall_id:
        raise NotFound("没有找到这件办件。")
    if stage == "accept":
        if case.accepted_at is None:
            raise Conflict("该办件尚未受理，不能评价。")
        clerk = case.accepted_by_id
        ticket = session.get(Ticket, case.ticket_id) if case.ticket_id else None
        window = ticket.window_id if ticket else _window_of_clerk(session, hall_id, clerk)
    else:
        if case.state != CaseState.DELIVERED:
            raise Conflict("该办件尚未出件，出件后再评价出件服务。")
        clerk = case.delivered_by_id
        window = _window_of_clerk(session, hall_id, clerk)
    service, department = _service_of_case(session, case)
    return Subject(case_key(case.id, stage), stage, None, case, window, clerk, service, department)


def resolve(session: Session, hall_id: int, key: str) -> Subject:
    """The subject named by ``key`` in hall ``hall_id``.

    Raises :class:`ValidationError` (field ``subject``) for a malformed key,
    :class:`NotFound` for a record not in this hall, :class:`Conflict` when it cannot be
    rated yet (a ticket not finished, a case not accepted or not delivered).
    """
    parts = key.split(":")
    try:
        row = int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        row = 0
    if numbers.row_id(row):  # beyond any stored id: malformed, not an overflow
        if parts[0] == "T" and len(parts) == 2:
            return _ticket_subject(session, hall_id, session.get(Ticket, row))
        if parts[0] == "C" and len(parts) == 3 and parts[2] in ("accept", "pickup"):
            return _case_subject(session, hall_id, session.get(Case, row), parts[2])
    raise ValidationError(f"评价对象无法识别：{key[:40]}", "subject")


def target_of(session: Session, subject: Subject) -> RateTarget:
    """What the resident sees of ``subject``: window, clerk, ticket or case, service."""
    window = session.get(Window, subject.window_id) if subject.window_id else None
    clerk = session.get(User, subject.clerk_id) if subject.clerk_id else None
    service = session.get(ServiceType, subject.service_type_id) if subject.service_type_id else None
    return RateTarget(
        subject.key,
        subject.stage,
        STAGES[subject.stage],
        subject.ticket.code if subject.ticket else "",
        (subject.case.case_no or "") if subject.case else "",
        window.number if window else None,
        clerk.full_name if clerk else "",
        service.name if service else "",
    )


def department_name(session: Session, department_id: int | None) -> str:
    """A department's name, ``""`` for none."""
    dept = session.get(Department, department_id) if department_id else None
    return dept.name if dept else ""


def window_id_of(db: Database, hall_id: int, number: int) -> int:
    """The id of window ``number`` of the hall (the rating screen's ``--rating N``).

    Raises :class:`NotFound` when the hall has no such window.
    """
    found = None
    if numbers.row_id(number):  # a number no column holds is no window (not an overflow)
        with db.read_only() as s:
            found = s.scalar(
                select(Window.id).where(Window.hall_id == hall_id, Window.number == number)
            )
    if found is None:
        raise NotFound(f"本大厅没有 {number} 号窗口。")
    return int(found)


def ticket_to_rate(db: Database, actor: Actor, window_id: int) -> RateTarget | None:
    """The ticket the window finished last, if within :data:`RECENT_MINUTES` and not rated.

    Only the most recent finished ticket is offered: once it is rated an older one never
    comes back. 下一位 finishes a ticket and calls the next in one step, so a ticket is
    still offered while the next resident is called: the one finished stands at the counter
    until the rating screen times out. None when there is nothing to rate.
    """
    with db.read_only() as s:
        now = clock.now(s)
        ticket = s.scalar(
            select(Ticket)
            .where(
                Ticket.hall_id == actor.hall_id,
                Ticket.window_id == window_id,
                Ticket.state == TicketState.DONE,
                Ticket.finished_at >= now - timedelta(minutes=RECENT_MINUTES),
            )
            .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
            .limit(1)
        )
        if ticket is None or live_rating(s, ticket_key(ticket.id)) is not None:
            return None
        return target_of(s, _ticket_subject(s, ticket.hall_id, ticket))


def find_target(db: Database, actor: Actor, scanned: str) -> RateTarget:
    """What a scanned ticket slip, typed ticket code (today's) or receipt may rate.

    A ticket (barcode ``T00001234`` or code ``A015`` of today) rates its window service; a
    case number (``JX01-MZ20261130-0007``, the receipt's barcode) rates its acceptance, or its
    pickup once delivered. Raises :class:`ValidationError` (field ``scanned``) for text
    that is neither, :class:`NotFound`, or :class:`Conflict` when not ratable or already
    rated (``已评价``).
    """
    code = free_text.clean_query(scanned, "scanned").strip().upper()
    if not code:
        raise ValidationError("请扫描号票或受理回执上的条码。", "scanned")
    with db.read_only() as s:
        hall = s.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        if numbers.is_ticket_barcode(code):
            ticket_id = numbers.ticket_id_of(code)
            found = s.get(Ticket, ticket_id) if ticket_id is not None else None
            subject = _ticket_subject(s, hall.id, found)
        elif numbers.is_ticket_code(code):
            ticket = s.scalar(
                select(Ticket)
                .where(
                    Ticket.hall_id == hall.id,
                    Ticket.code == code,
                    Ticket.service_day == clock.service_day(s, hall),
                )
                .order_by(Ticket.id.desc())
                .limit(1)
            )
            subject = _ticket_subject(s, hall.id, ticket)
        elif numbers.is_case_no(code):
            case = s.scalar(select(Case).where(Case.case_no == code, Case.hall_id == hall.id))
            stage = "pickup" if case is not None and case.state == CaseState.DELIVERED else "accept"
            subject = _case_subject(s, hall.id, case, stage)
        else:
            raise ValidationError("无法识别：请扫描号票或受理回执上的条码。", "scanned")
        if live_rating(s, subject.key) is not None:
            what = {"service": "本次服务", "accept": "该办件的受理", "pickup": "该办件的出件"}
            raise Conflict(f"{what[subject.stage]}已评价，感谢您的参与。")
        return target_of(s, subject)
