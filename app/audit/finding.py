"""A record as a person names it, found as the audit trail records it (``entity_id``).

The auditor types what is printed or said — a case number ``JX01-MZ20261123-0007``, a ticket
code ``A012``, an ID number or a name, a user name, a window number ``3``, a day
``2026-10-01`` — and the events are then found through the index on
``(entity, entity_id)``. Every look-up here is an equality on an indexed or small column
(case number, ticket by hall and day, resident by ID number or name, users and windows of
the hall); no ``LIKE`` that would read a whole table.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app import numbers, text
from app.db.models import Case, Hall, Resident, Ticket, User, Window
from app.errors import ValidationError

TEXT_MAX = 40
MAX_IDS = 1000  # records one text may name (a ticket code repeats every day)
_WINDOW = re.compile(r"([0-9]{1,4})\s*(号|号窗口|号窗)?")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}")


def clean(raw: str) -> str:
    """The text as searched: checked, NFC, full-width folded, trimmed (field ``text``)."""
    return text.clean_query(raw, "text", "对象")


def check_text(entity: str, raw: str) -> None:
    """Raise :class:`ValidationError` (field ``text``) for text the record type cannot be."""
    t = clean(raw)
    if len(t) > TEXT_MAX:
        raise ValidationError(f"关键词最多 {TEXT_MAX} 个字。", "text")
    if not t:
        return
    if entity == "case" and not numbers.is_case_no(t.upper()):
        raise ValidationError("请填写完整的办件编号，如 JX01-MZ20261123-0007。", "text")
    if entity == "ticket" and not numbers.is_ticket_code(t.upper()):
        raise ValidationError("请填写号票号码，如 A012。", "text")
    if entity == "window" and _window_number(t) is None:
        raise ValidationError("请填写窗口号，如 3。", "text")
    if entity == "calendar_day" and _day(t) is None:
        raise ValidationError("请按 2026-10-01 的格式填写日期。", "text")


def find_records(
    session: Session,
    hall: Hall,
    entity: str,
    raw: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, list[str]]:
    """``{entity: [entity_id, …]}`` of the records ``raw`` names, in the hall.

    With ``entity`` empty, every kind the text can be is tried (a ticket code and a window
    number are told apart by their shape). Tickets are looked up on the filter's days when
    it has them (their codes repeat daily). Empty when nothing matches.
    """
    t = clean(raw)
    up = t.upper()
    kinds = [entity] if entity else _kinds_of(t)
    found: dict[str, list[str]] = {}
    for kind in kinds:
        ids: list[str] = []
        if kind == "case" and numbers.is_case_no(up):
            ids = _ids(session, select(Case.id).where(Case.case_no == up, Case.hall_id == hall.id))
        elif kind == "ticket" and numbers.is_ticket_code(up):
            q = select(Ticket.id).where(Ticket.hall_id == hall.id, Ticket.code == up)
            q = q.order_by(Ticket.id.desc())  # the newest, if more than MAX_IDS
            if date_from is not None:
                q = q.where(Ticket.service_day >= date_from)
            if date_to is not None:
                q = q.where(Ticket.service_day <= date_to)
            ids = _ids(session, q)
        elif kind == "resident":
            if _ID_NUMBER.fullmatch(up):
                ids = _ids(session, select(Resident.id).where(Resident.id_number == up))
            else:
                name = text.name_key(t)
                ids = _ids(session, select(Resident.id).where(Resident.name == name))
        elif kind == "user":
            ids = _ids(
                session,
                select(User.id).where(
                    User.hall_id == hall.id,
                    or_(User.username == t.lower(), User.full_name == text.name_key(t)),
                ),
            )
        elif kind == "window" and (n := _window_number(t)) is not None:
            q = select(Window.id).where(Window.hall_id == hall.id, Window.number == n)
            ids = _ids(session, q)
        elif kind == "calendar_day" and (day := _day(t)) is not None:
            ids = [day.isoformat()]
        elif kind in ("hall", "catalog") and (up == hall.code or t in hall.name):
            ids = [hall.code, str(hall.id)] if kind == "hall" else [hall.code]
        if ids:
            found[kind] = ids
    return found


def _kinds_of(t: str) -> list[str]:
    """The record types text of this shape can name."""
    up = t.upper()
    if numbers.is_case_no(up):
        return ["case"]
    if numbers.is_ticket_code(up):
        return ["ticket"]
    if _day(t) is not None:
        return ["calendar_day"]
    if _window_number(t) is not None:
        return ["window"]
    if _ID_NUMBER.fullmatch(up):
        return ["resident"]
    return ["resident", "user", "hall"]


def _ids(session: Session, stmt: Select[Any]) -> list[str]:
    return [str(v) for v in session.scalars(stmt.limit(MAX_IDS))]


def _window_number(t: str) -> int | None:
    m = _WINDOW.fullmatch(t)
    return int(m.group(1)) if m else None


def _day(t: str) -> date | None:
    try:
        return date.fromisoformat(t)
    except ValueError:
        return None
