"""The auditor's list: which events a filter selects, a page at a time, newest first.

Owns the filter (:class:`AuditFilter`, checked by :func:`check_filter`), the paging
(:func:`list_events`) and what the filter offers (:func:`filter_choices`); how an event
reads is :mod:`app.audit.readable`, how a record's free text becomes ids is
:mod:`app.audit.finding`.

Why the queries look as they do: ``audit_event`` is indexed by ``id`` (the order events
were written in, across every chain), by ``(hall_id, id)``, by ``action`` and by
``(entity, entity_id)`` — not by time or operator. So every query walks ``id``:

* A date range becomes a range of ``id`` by binary search over the primary key (about
  25 single-row look-ups for ten million events). It relies on ``at`` growing with
  ``id``: events are inserted as their transaction ends, each stamped with the server
  time its transaction read a moment earlier, so the order differs by at most a
  transaction's length; the search widens the range by :data:`CLOCK_MARGIN` and the exact
  times are then compared row by row. (A server clock set back by more than the margin
  could hide events near the boundary of such a range.)
* Pages are keyset pages: ``id < before``, ``ORDER BY id DESC LIMIT n``.
* A filter no index serves (operator, the hall in a shared city database) may match one
  event in a million: the query then walks ``id`` in windows of :data:`WINDOW` events and
  stops after :data:`SCAN_BUDGET` of them or :data:`TIME_BUDGET_S`, returning what it found
  and where it stopped, so one call never reads a year. "加载更多" continues from there.
  Filters an index serves (action, record) are asked in one query over the whole range.
  An index on ``(actor_id, id)`` would serve the operator filter in one query too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from app import text
from app.actor import Actor
from app.audit import finding, readable
from app.audit.labels import ACTION_LABELS, ENTITY_LABELS, MACHINE_OPERATORS
from app.audit.readable import AuditLine
from app.db.models import AuditEvent, Hall, User
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.roles import Permission

PAGE = 200  # events per page
WINDOW = 20_000  # events examined per query when no index serves the filter (~4 ms on PG)
SCAN_BUDGET = 2_000_000  # events examined per call at most, then "加载更多"
TIME_BUDGET_S = 0.3  # and no more windows after this long
RARE_ACTION = 5_000  # events of one action SQLite reads by the action's index
CLOCK_MARGIN = timedelta(minutes=10)
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor asks for; empty means any.

    ``date_from`` / ``date_to``: days in the hall's time zone, both included.
    ``operator``: a user id, or the name of an operator that is no user (one of
    ``MACHINE_OPERATORS``: the system, the kiosk).
    ``action``: a key of ``ACTION_LABELS``. ``entity``: a key of ``ENTITY_LABELS``.
    ``text``: the record as a person names it — a case number, a ticket code, an ID
    number or name, a user name, a window number, a date (see :mod:`app.audit.finding`).
    """

    date_from: date | None = None
    date_to: date | None = None
    operator: int | str | None = None
    action: str = ""
    entity: str = ""
    text: str = ""


@dataclass(frozen=True)
class AuditPage:
    """One page of the list, newest first.

    ``before``: pass it back to :func:`list_events` for the next page (None: nothing older
    can match). ``searched_to``: when the page is short because the call stopped early,
    the hall-local time of the oldest event examined ("" otherwise).
    """

    lines: tuple[AuditLine, ...]
    before: int | None
    searched_to: str = ""


@dataclass(frozen=True)
class FilterChoices:
    """What the filter's lists offer: (value, label) pairs, in display order."""

    operators: tuple[tuple[int | str, str], ...]
    actions: tuple[tuple[str, str], ...]
    entities: tuple[tuple[str, str], ...]


_DAY = re.compile(r"([0-9]{4})[-/.年]?([0-9]{1,2})[-/.月]?([0-9]{1,2})日?")


def parse_day(raw: str, field: str) -> date | None:
    """A day as typed in a filter: ``2026-11-01``, ``2026/11/1``, ``20261101``, ``2026年11月1日``.

    Empty is None (any day). Raises :class:`ValidationError` naming ``field`` otherwise.
    """
    typed = text.fold_fullwidth(raw).strip()
    if not typed:
        return None
    m = _DAY.fullmatch(typed)
    wrong = ValidationError("请按 2026-11-01 的格式填写日期。", field)
    if m is None:
        raise wrong
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValidationError(f"没有这一天：{text.excerpt(typed)}。", field) from None
    return day


def check_filter(f: AuditFilter) -> None:
    """Raise :class:`ValidationError` naming the filter field that is wrong.

    Field keys: ``date_from``, ``date_to``, ``operator``, ``action``, ``entity``, ``text``.
    """
    for key, day in (("date_from", f.date_from), ("date_to", f.date_to)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError("日期须在 2000 年至 2100 年之间。", key)
    if f.date_from and f.date_to and f.date_to < f.date_from:
        raise ValidationError("结束日期不能早于开始日期。", "date_to")
    if isinstance(f.operator, str) and f.operator not in MACHINE_OPERATORS:
        raise ValidationError("请从列表中选择操作人。", "operator")
    if isinstance(f.operator, int) and f.operator < 1:
        raise ValidationError("请从列表中选择操作人。", "operator")
    if f.action and f.action not in ACTION_LABELS:
        raise ValidationError("请从列表中选择操作。", "action")
    if f.entity and f.entity not in ENTITY_LABELS:
        raise ValidationError("请从列表中选择对象类型。", "entity")
    finding.check_text(f.entity, f.text)


def filter_choices(db: Database, actor: Actor) -> FilterChoices:
    """The hall's users and the operators that are no user, every action and record type."""
    actor.require(Permission.VIEW_AUDIT)
    with db.read_only() as session:
        users = session.execute(
            select(User.id, User.full_name, User.username)
            .where(User.hall_id == actor.hall_id)
            .order_by(User.username)
        ).all()
    people: list[tuple[int | str, str]] = [(u, f"{n}（{login}）") for u, n, login in users]
    machines: list[tuple[int | str, str]] = [(m, m) for m in MACHINE_OPERATORS]
    return FilterChoices(
        operators=(*people, *machines),
        actions=tuple(ACTION_LABELS.items()),
        entities=tuple(ENTITY_LABELS.items()),
    )


def list_events(
    db: Database, actor: Actor, f: AuditFilter, before: int | None = None, limit: int = PAGE
) -> AuditPage:
    """The events ``f`` selects with ``id < before``, newest first, at most ``limit``.

    Events of the actor's hall and the system's events without a hall. Raises
    :class:`ValidationError` (field as in :func:`check_filter`), :class:`NotFound` (field
    ``text``) when no record matches the text, :class:`PermissionDenied` for anyone
    without ``VIEW_AUDIT``.
    """
    actor.require(Permission.VIEW_AUDIT)
    check_filter(f)
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        lo, hi = _seq_range(session, hall.timezone, f)
        if before is not None:
            hi = min(hi, before - 1)
        conditions = [or_(AuditEvent.hall_id == hall.id, AuditEvent.hall_id.is_(None))]
        conditions += _time_conditions(hall.timezone, f)
        if isinstance(f.operator, str):
            conditions += [AuditEvent.actor_id.is_(None), AuditEvent.actor_name == f.operator]
        elif f.operator is not None:
            conditions.append(AuditEvent.actor_id == f.operator)
        if f.action:
            conditions.append(AuditEvent.action == f.action)
        record = _record_condition(session, hall, f)
        if record is not None:
            conditions.append(record)
        indexed = bool(f.action or f.entity or f.text)
        seq: ColumnElement[int] = AuditEvent.id.expression
        if f.action and not (f.entity or f.text) and _rare_on_sqlite(session, f.action):
            seq = AuditEvent.id + 0
        events, cursor = _walk(session, conditions, lo, hi, limit, indexed, seq)
        lines = readable.lines(session, hall, events)
        searched_to = ""
        if cursor is not None and len(events) < limit:
            oldest = session.scalar(select(AuditEvent.at).where(AuditEvent.id >= cursor).limit(1))
            searched_to = readable.local_time(hall.timezone, oldest) if oldest else ""
        return AuditPage(tuple(lines), cursor, searched_to)


def _rare_on_sqlite(session: Session, action: str) -> bool:
    """Whether SQLite should read ``action`` by its index rather than walk ``seq``.

    SQLite's planner knows only the average rows per action, and walks the whole ``id``
    index for one that happened 30 times in a year (1.4 s for 3 million events). A count
    that stops at :data:`RARE_ACTION` (a few ms) tells; PostgreSQL's planner knows by its
    own statistics.
    """
    if session.get_bind().dialect.name != "sqlite":
        return False
    first = select(AuditEvent.id).where(AuditEvent.action == action).limit(RARE_ACTION + 1)
    return (session.scalar(select(func.count()).select_from(first.subquery())) or 0) <= RARE_ACTION


def _walk(
    session: Session,
    conditions: list[ColumnElement[bool]],
    lo: int,
    hi: int,
    limit: int,
    indexed: bool,
    seq: ColumnElement[int],
) -> tuple[list[AuditEvent], int | None]:
    """Events in ``[lo, hi]`` matching, newest first; and the ``before`` to go on from.

    ``seq`` is the ``id`` column, or ``id + 0`` where its index must not be used (SQLite).
    """
    found: list[AuditEvent] = []
    window = hi - lo + 1 if indexed else WINDOW
    top, examined, started = hi, 0, monotonic()
    while top >= lo and len(found) < limit and examined < SCAN_BUDGET:
        if examined and monotonic() - started > TIME_BUDGET_S:
            break
        bottom = max(lo, top - window + 1)
        stmt = (
            select(AuditEvent)
            .where(seq.between(bottom, top), *conditions)
            .order_by(seq.desc())
            .limit(limit - len(found))
        )
        found += session.scalars(stmt)
        examined += top - bottom + 1
        top = bottom - 1
    if len(found) >= limit:
        return found, (found[-1].id if found[-1].id > lo else None)
    return found, (top + 1 if top >= lo else None)


def _seq_range(session: Session, zone: str, f: AuditFilter) -> tuple[int, int]:
    """The event ids that can hold events of the filter's days (``lo > hi``: none)."""
    # Two statements: SQLite reads min() or max() alone from the index, both together by a
    # scan of the whole table.
    first = session.scalar(select(func.min(AuditEvent.id)))
    last = session.scalar(select(func.max(AuditEvent.id)))
    if first is None or last is None:
        return 1, 0
    lo, hi = int(first), int(last)
    start, end = _utc_bounds(zone, f)
    if start is not None:
        lo = _first_seq_from(session, start - CLOCK_MARGIN, lo, hi)
    if end is not None:
        hi = _first_seq_from(session, end + CLOCK_MARGIN, lo, hi) - 1
    return lo, hi


def _first_seq_from(session: Session, moment: datetime, lo: int, hi: int) -> int:
    """The smallest ``id`` in ``[lo, hi]`` stamped at or after ``moment`` (``hi + 1``: none).

    Binary search over the primary key; gaps (rolled-back inserts, deleted events, which
    the chain check reports) are stepped over.
    """
    answer = hi + 1
    while lo <= hi:
        mid = (lo + hi) // 2
        row = session.execute(
            select(AuditEvent.id, AuditEvent.at)
            .where(AuditEvent.id >= mid, AuditEvent.id <= hi)
            .order_by(AuditEvent.id)
            .limit(1)
        ).first()
        if row is None:
            hi = mid - 1
        elif row.at >= moment:
            answer, hi = row.id, mid - 1
        else:
            lo = row.id + 1
    return answer


def _utc_bounds(zone: str, f: AuditFilter) -> tuple[datetime | None, datetime | None]:
    """The filter's days as naive-UTC moments: start included, end excluded."""

    def utc(day: date) -> datetime:
        local = datetime.combine(day, time(), tzinfo=ZoneInfo(zone))
        return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    start = utc(f.date_from) if f.date_from else None
    end = utc(f.date_to + timedelta(days=1)) if f.date_to else None
    return start, end


def _time_conditions(zone: str, f: AuditFilter) -> list[ColumnElement[bool]]:
    start, end = _utc_bounds(zone, f)
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(AuditEvent.at >= start)
    if end is not None:
        conditions.append(AuditEvent.at < end)
    return conditions


def _record_condition(session: Session, hall: Hall, f: AuditFilter) -> ColumnElement[bool] | None:
    """``entity``/``entity_id`` as the index on them serves it; None when not filtered."""
    if not f.text.strip():
        return AuditEvent.entity == f.entity if f.entity else None
    found = finding.find_records(session, hall, f.entity, f.text, f.date_from, f.date_to)
    if not found:
        what = ENTITY_LABELS.get(f.entity, "记录")
        raise NotFound(f"没有找到与“{f.text.strip()}”相符的{what}。", "text")
    parts: list[Any] = [
        and_(AuditEvent.entity == entity, AuditEvent.entity_id.in_(ids))
        for entity, ids in found.items()
    ]
    return or_(*parts)


@dataclass(frozen=True)
class AuditRow:
    """An audit event as recorded (codes and ids): for tests and tools, not for people."""

    seq: int
    at: datetime
    actor_name: str
    action: str
    entity: str
    entity_id: str
    note: str


def recent_events(db: Database, actor: Actor, limit: int = 200) -> list[AuditRow]:
    """The newest events as recorded, newest first (auditors only)."""
    actor.require(Permission.VIEW_AUDIT)
    with db.read_only() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
        return [
            AuditRow(e.seq, e.at, e.actor_name, e.action, e.entity, e.entity_id, e.note)
            for e in rows
        ]
