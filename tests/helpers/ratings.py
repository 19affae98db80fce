"""好差评 test helpers: a settable clock, a ticket served to the end at a window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db import clock
from app.db.models import Window
from app.db.session import Database, db_now
from app.queue import calling, queueing, windows
from app.queue.queueing import TicketView
from tests.helpers.people import actor


class MovableClock:
    """The database clock moved by days (to a hall day) and by seconds (a re-rate)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shift = timedelta()
        monkeypatch.setattr(clock, "now", self)

    def __call__(self, session: Session) -> datetime:
        return db_now(session) + self.shift

    def to(self, db: Database, day: date) -> None:
        """Move to ``day`` in the demo hall's time zone (same time of day)."""
        with db.read_only() as s:
            self.shift = timedelta()
            today = clock.service_day(s, queueing.hall_by_code(db, "DEMO"), self(s))
        self.shift = timedelta(days=(day - today).days)

    def later(self, seconds: float) -> None:
        """Move on by ``seconds``."""
        self.shift += timedelta(seconds=seconds)


def window_id(db: Database, number: int) -> int:
    """The demo hall's window ``number``."""
    with db.read_only() as s:
        return int(s.scalars(select(Window.id).where(Window.number == number)).one())


def served_ticket(db: Database, number: int = 1, letter: str = "A") -> tuple[TicketView, Actor]:
    """A ticket issued, called, served and finished by the demo clerk at window ``number``."""
    hall = queueing.hall_by_code(db, "DEMO").id
    ticket = queueing.issue_ticket(db, queueing.kiosk_actor(hall), letter)
    clerk, wid = actor(db), window_id(db, number)
    if windows.my_window(db, clerk) is None:
        windows.open_window(db, clerk, wid)
    called = calling.call_next(db, clerk, wid)
    assert called is not None and called.id == ticket.id
    started = calling.start_service(db, clerk, called.id, called.version)
    return calling.finish(db, clerk, started.id, started.version), clerk
