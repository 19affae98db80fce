"""SQL pieces both backends share: seconds between two times, local day and hour.

Times are stored as naive UTC (PostgreSQL ``timestamp``, SQLite ISO text). SQLite has no
interval type: its expressions go through ``julianday``. Each helper returns an SQL
expression for the session's dialect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Date, Integer, cast, func, literal_column
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def is_pg(session: Session) -> bool:
    """Whether the session talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def seconds(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    """Whole seconds from ``start`` to ``end`` (rounded), as an integer expression."""
    if is_pg(session):
        return cast(func.round(func.extract("epoch", end - start)), Integer)
    return cast(func.round((func.julianday(end) - func.julianday(start)) * 86400.0), Integer)


def local_day(session: Session, moment: Any, offset_s: int) -> ColumnElement[Any]:
    """The local date of the naive-UTC ``moment`` at a UTC offset of ``offset_s`` seconds."""
    if is_pg(session):
        return cast(moment + literal_column(f"interval '{int(offset_s)} seconds'"), Date)
    return func.date(moment, f"{int(offset_s):+d} seconds")


def local_slot(session: Session, moment: Any, offset_s: int, slot_s: int) -> ColumnElement[Any]:
    """The number of the ``slot_s``-second slot of the local day ``moment`` falls in."""
    if is_pg(session):
        whole = cast(func.floor(func.extract("epoch", moment)), Integer) + offset_s
    else:  # whole seconds, exact (julianday's float arithmetic lands just below 09:00:00)
        whole = cast(func.strftime("%s", moment), Integer) + offset_s
    return (whole % 86400) // slot_s


def percentile(values: Iterable[tuple[int, int]], total: int, p: int) -> int | None:
    """Nearest-rank ``p`` percentile (0 < p ≤ 100, integer) of a histogram.

    ``values``: (value, count) pairs sorted by value; ``total``: the sum of the counts.
    The smallest value with at least ``ceil(p × total / 100)`` values at or below it;
    None when empty.
    """
    if total <= 0:
        return None
    rank = max(1, -(-(p * total) // 100))
    seen = 0
    for value, count in values:
        seen += count
        if seen >= rank:
            return value
    return None
