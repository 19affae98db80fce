"""A ticket of an earlier service day takes no step but the rollover's, by any path (QA of issue 12).

After midnight 重呼, 转窗, 办理, 办结, 过号, 过号后返回 and 补打 on yesterday's ticket are all
refused with the one message; the refusal runs the rollover, so the clerk's window is free
for today's next call at once. The clock is the settable one of ``test_rollover``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.actor import Actor
from app.db.models import AuditEvent, Ticket
from app.db.session import Database
from app.queue import calling, handover, queueing
from app.states import TICKET_FLOW, TICKET_PAST_DAY_TARGETS, TicketState
from tests.db.test_rollover import WallClock, _state, _window, _yesterday

REFUSED = "是 2026-12-01 的号票，已过期，请重新取号"
Action = Callable[[Database, Actor, int], object]

ACTIONS: dict[str, tuple[str, Action]] = {
    # name: (ticket of Dec 1 it is tried on, the action)
    "recall": ("A004", calling.recall),
    "start": ("A004", calling.start_service),
    "no_show": ("A004", calling.no_show),
    "finish": ("A003", calling.finish),
    "transfer_queue": ("A003", lambda d, a, t: handover.transfer(d, a, t, to_letter="B")),
    "transfer_window": (
        "A004",
        lambda d, a, t: handover.transfer(d, a, t, to_window_id=_window(d, 3)),
    ),
    "return_late": ("A002", calling.return_late),
    "reprint": ("A005", calling.reprint),
}


def _tickets_of(db: Database, day: date) -> int:
    with db.read_only() as s:
        return int(s.scalar(select(func.count(Ticket.id)).where(Ticket.service_day == day)) or 0)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_on_yesterdays_ticket_is_refused_and_frees_the_window(
    name: str, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = WallClock(monkeypatch)
    clerk, ids = _yesterday(db, clock)
    hall = queueing.hall_by_code(db, "DEMO").id
    code, action = ACTIONS[name]
    dec1 = date(2026, 12, 1)
    tickets_dec1 = _tickets_of(db, dec1)
    clock.set(datetime(2026, 12, 2, 0, 5))
    today = queueing.issue_ticket(db, queueing.kiosk_actor(hall), "A")

    with pytest.raises(calling.PastDayTicket, match=f"{code} {REFUSED}"):
        action(db, clerk, ids[code])

    assert _tickets_of(db, dec1) == tickets_dec1  # 转窗 made no ticket dated yesterday
    # The refusal ran the rollover: yesterday's open tickets are closed, the no-show stays.
    for left, state in {
        "A002": TicketState.NO_SHOW,
        "A003": TicketState.EXPIRED,
        "A004": TicketState.EXPIRED,
        "A005": TicketState.EXPIRED,
    }.items():
        assert _state(db, ids[left]) == state, left
    called = calling.call_next(db, clerk, _window(db, 1))  # window 1 held A003 until now
    assert called is not None and called.id == today.id


def test_call_next_closes_yesterdays_ticket_still_held_by_the_window(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = WallClock(monkeypatch)
    clerk, ids = _yesterday(db, clock)
    hall = queueing.hall_by_code(db, "DEMO").id
    clock.set(datetime(2026, 12, 2, 0, 5))
    w1 = _window(db, 1)
    assert calling.call_next(db, clerk, w1) is None  # nobody waits today: A003 closed anyway
    assert _state(db, ids["A003"]) == TicketState.EXPIRED
    assert _state(db, ids["A004"]) == TicketState.CALLED  # another window's: the rollover's
    today = queueing.issue_ticket(db, queueing.kiosk_actor(hall), "A")
    called = calling.call_next(db, clerk, w1)
    assert called is not None and called.id == today.id
    with db.read_only() as s:
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "ticket_expired", AuditEvent.entity_id == str(ids["A003"])
            )
        ).one()
        assert "2026-12-01 日终关闭" in event.note


def test_no_declared_step_moves_a_past_day_ticket_except_the_rollovers(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard every transition passes, tried on every declared step of the ticket table."""
    clock = WallClock(monkeypatch)
    clock.set(datetime(2026, 12, 1, 9, 0))
    ticket = queueing.issue_ticket(
        db, queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id), "A"
    )
    clock.set(datetime(2026, 12, 2, 9, 0))
    steps = [(a, b) for a in TicketState for b in TICKET_FLOW.allowed(a)]
    assert len(steps) >= 10
    with db.unit_of_work() as s:  # never committed
        row = s.get(Ticket, ticket.id)
        assert row is not None
        for current, target in steps:
            row.state = current
            if target in TICKET_PAST_DAY_TARGETS:
                calling._guard(s, row, target, clock.now)
            else:
                with pytest.raises(calling.PastDayTicket, match=REFUSED):
                    calling._guard(s, row, target, clock.now)
        clock.set(datetime(2026, 12, 1, 23, 0))  # on its own day every declared step passes
        for current, target in steps:
            row.state = current
            calling._guard(s, row, target, clock.now)
