"""Midnight: what a service day left open is closed by the rollover, once, on both backends.

The database clock is replaced by a settable one (``app.db.clock.now``): the hall (Asia/Shanghai)
works until 23:58 on 2026-12-01 and the rollover runs at 00:01 on 2026-12-02.
"""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases import housekeeping
from app.db import clock
from app.db.models import AuditEvent, Ticket, Window
from app.db.session import Database
from app.errors import Conflict
from app.queue import calling, queueing, windows
from app.roles import Role
from app.states import TicketState
from tests.helpers.people import actor

SHANGHAI = ZoneInfo("Asia/Shanghai")


class WallClock:
    """The database clock set to a local time of the hall (stored as naive UTC)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = datetime(2026, 12, 1, 8, 0)
        monkeypatch.setattr(clock, "now", self)

    def __call__(self, _session: object) -> datetime:
        return self.now

    def set(self, local: datetime) -> None:
        self.now = local.replace(tzinfo=SHANGHAI).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _window(db: Database, number: int) -> int:
    with db.unit_of_work() as s:
        return int(s.scalars(select(Window.id).where(Window.number == number)).one())


def _state(db: Database, ticket_id: int) -> TicketState:
    with db.read_only() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket.state


def _expired_events(s: Session) -> list[str]:
    return list(
        s.scalars(
            select(AuditEvent.entity_id)
            .where(AuditEvent.action == "ticket_expired")
            .order_by(AuditEvent.seq)
        )
    )


def _yesterday(db: Database, clock: WallClock) -> tuple[Actor, dict[str, int]]:
    """Dec 1 ends with A001 done, A002 no-show, A003 being served at window 1, A004 called
    at window 2 and A005 waiting."""
    clock.set(datetime(2026, 12, 1, 9, 0))
    kiosk = queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id)
    ids = {t.code: t.id for t in (queueing.issue_ticket(db, kiosk, "A") for _ in range(5))}
    clerk, clerk2 = actor(db, "clerk", Role.CLERK), actor(db, "clerk2", Role.CLERK)
    w1, w2 = _window(db, 1), _window(db, 2)
    windows.open_window(db, clerk, w1)
    windows.open_window(db, clerk2, w2)
    clock.set(datetime(2026, 12, 1, 23, 58))

    def call(who: Actor, window: int, code: str) -> int:
        called = calling.call_next(db, who, window)
        assert called is not None and called.code == code
        return called.id

    a001 = call(clerk, w1, "A001")
    calling.start_service(db, clerk, a001)
    calling.finish(db, clerk, a001)
    calling.no_show(db, clerk, call(clerk, w1, "A002"))
    calling.start_service(db, clerk, call(clerk, w1, "A003"))
    call(clerk2, w2, "A004")
    return clerk, ids


def test_open_tickets_of_yesterday_are_closed_once_and_today_untouched(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = WallClock(monkeypatch)
    clerk, ids = _yesterday(db, clock)
    hall = queueing.hall_by_code(db, "DEMO").id
    w1 = _window(db, 1)
    assert windows.waiting_count(db, hall) == 1  # A005 at 23:58

    clock.set(datetime(2026, 12, 2, 0, 1))  # midnight has passed in the hall
    kiosk = queueing.kiosk_actor(hall)
    today = queueing.issue_ticket(db, kiosk, "A")
    assert today.code == "A001" and today.service_day.isoformat() == "2026-12-02"

    results: list[list[str]] = []
    pcs = [
        threading.Thread(target=lambda: results.append(calling.close_past_days(db, clerk)))
        for _ in range(2)
    ]
    for pc in pcs:
        pc.start()
    for pc in pcs:
        pc.join()
    assert sorted(code for r in results for code in r) == ["A003", "A004", "A005"]
    assert calling.close_past_days(db, clerk) == []  # a later round finds nothing

    for code, state in {
        "A001": TicketState.DONE,
        "A002": TicketState.NO_SHOW,
        "A003": TicketState.EXPIRED,
        "A004": TicketState.EXPIRED,
        "A005": TicketState.EXPIRED,
    }.items():
        assert _state(db, ids[code]) == state, code
    assert _state(db, today.id) == TicketState.WAITING

    with db.read_only() as s:
        expired = _expired_events(s)
        assert sorted(expired) == sorted(str(ids[c]) for c in ("A003", "A004", "A005"))
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "ticket_expired", AuditEvent.entity_id == str(ids["A003"])
            )
        ).one()
        assert event.before is not None and event.before["state"] == "serving"
        assert event.after is not None and event.after["state"] == "expired"
        assert "2026-12-01 日终关闭" in event.note
        a003 = s.get(Ticket, ids["A003"])
        assert a003 is not None and a003.finished_at is None  # no one was served overnight

    board = windows.board(db, hall)
    assert [t.code for t in board.waiting] == ["A001"] and board.waiting[0].id == today.id
    assert all(w.current is None for w in board.windows)
    assert [q.waiting for q in board.queues if q.letter == "A"] == [1]
    assert windows.waiting_count(db, hall) == 1
    called = calling.call_next(db, clerk, w1)  # window 1 is free again
    assert called is not None and called.id == today.id


def test_housekeeping_round_runs_the_rollover(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = WallClock(monkeypatch)
    clerk, _ids = _yesterday(db, clock)
    clock.set(datetime(2026, 12, 1, 23, 59))
    assert housekeeping.tick(db, clerk, sender=_NoSender()).expired == 0  # still Dec 1
    clock.set(datetime(2026, 12, 2, 7, 30))
    assert housekeeping.tick(db, clerk, sender=_NoSender()).expired == 3
    assert housekeeping.tick(db, clerk, sender=_NoSender()).expired == 0
    with db.read_only() as s:
        assert len(_expired_events(s)) == 3


def test_a_no_show_of_yesterday_cannot_come_back_today(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = WallClock(monkeypatch)
    clerk, ids = _yesterday(db, clock)
    clock.set(datetime(2026, 12, 2, 8, 0))
    with pytest.raises(Conflict, match="A002 是 2026-12-01 的号票，已过期，请重新取号"):
        calling.return_late(db, clerk, ids["A002"])
    assert _state(db, ids["A002"]) == TicketState.NO_SHOW


def test_an_expired_ticket_takes_no_further_step(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = WallClock(monkeypatch)
    clerk, ids = _yesterday(db, clock)
    clock.set(datetime(2026, 12, 2, 8, 0))
    calling.close_past_days(db, clerk)
    with pytest.raises(Conflict, match="号票当前状态为“日终关闭”，不能变为“办理中”"):
        calling.start_service(db, clerk2_of(db), ids["A004"])


def clerk2_of(db: Database) -> Actor:
    return actor(db, "clerk2", Role.CLERK)


class _NoSender:
    def send(self, phone: str, text: str) -> None:
        raise AssertionError("no message is due in these tests")
