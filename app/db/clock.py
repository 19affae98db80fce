"""The clock every service reads, and the hall's service day.

Service days, audit times, deadlines and lockouts come from the database server's clock
(:func:`app.db.session.db_now`), so counters with wrong clocks still agree. Services call
it as ``clock.now(session)`` through this module, so a test that needs another day
(rollover at midnight, a deadline passing) replaces :data:`now` once and reaches them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.db.models import Hall
from app.db.session import db_now

# The database clock as naive UTC; replaceable in tests.
now: Callable[[Session | Connection], datetime] = db_now


def service_day(session: Session, hall: Hall, utc_now: datetime | None = None) -> date:
    """Today in the hall's time zone, by the database clock (or the time already read)."""
    return local_day(utc_now or now(session), hall.timezone)


def local_day(utc_now: datetime, zone: str) -> date:
    """The date in time zone ``zone`` (IANA name) at the naive-UTC moment ``utc_now``."""
    return utc_now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).date()
