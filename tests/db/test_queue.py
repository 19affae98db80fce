"""The queue on both backends: numbering, calling order, transitions, transfers, rollover."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db import clock
from app.db.models import AuditEvent, Ticket, Window
from app.db.session import Database, db_now
from app.errors import Conflict, PermissionDenied, ValidationError
from app.queue import calling, handover, queue_wait, queueing, windows
from app.queue.calling import call_next
from app.queue.queueing import issue_ticket
from app.roles import Role
from app.states import TicketState, WindowState


def _clerk(db: Database, username: str = "clerk") -> Actor:
    from app.db.models import User

    with db.unit_of_work() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return Actor(
            user_id=user.id,
            username=username,
            full_name=user.full_name,
            hall_id=user.hall_id,
            roles=frozenset({Role.CLERK}),
        )


def _window(db: Database, number: int) -> int:
    with db.unit_of_work() as s:
        return int(s.scalars(select(Window.id).where(Window.number == number)).one())


def _kiosk(db: Database) -> Actor:
    return queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id)


def _open(db: Database, number: int, who: str = "clerk") -> tuple[Actor, int]:
    actor, wid = _clerk(db, who), _window(db, number)
    windows.open_window(db, actor, wid)
    return actor, wid


def test_numbers_per_queue_start_at_001(db: Database) -> None:
    k = _kiosk(db)
    codes = [issue_ticket(db, k, letter).code for letter in "AABAB"]
    assert codes == ["A001", "A002", "B001", "A003", "B002"]
    third = issue_ticket(db, k, "A")
    assert third.waiting_ahead == 3 and third.estimated_wait_min > 0
    assert third.hall_name.startswith("示范区")


def test_elderly_priority_comes_from_the_id(db: Database) -> None:
    t = issue_ticket(db, _kiosk(db), "A", id_number="11010519491231002X")
    assert t.priority_reason == "老年人"
    with pytest.raises(ValidationError) as err:
        issue_ticket(db, _kiosk(db), "A", id_number="110105194912310021")
    assert err.value.field == "id_number"
    with pytest.raises(ValidationError, match="优先原因"):
        issue_ticket(db, _kiosk(db), "A", priority_reason="VIP")
    with pytest.raises(ValidationError, match="取号类别 Z"):
        issue_ticket(db, _kiosk(db), "Z")


def test_a_known_resident_is_linked_to_the_ticket(db: Database) -> None:
    from app.db.models import Resident
    from tests.helpers.dibao import applicant

    with db.read_only() as s:
        resident = s.get(Resident, applicant(db))
    assert resident is not None
    t = issue_ticket(db, _kiosk(db), "A", id_number=resident.id_number.lower())
    stranger = issue_ticket(db, _kiosk(db), "A", id_number="11010519491231002X")
    with db.read_only() as s:
        assert s.get(Ticket, t.id).resident_id == resident.id  # type: ignore[union-attr]
        assert s.get(Ticket, stranger.id).resident_id is None  # type: ignore[union-attr]


def test_waiting_ahead_counts_priority_tickets_first(db: Database) -> None:
    k = _kiosk(db)
    issue_ticket(db, k, "A")
    issue_ticket(db, k, "A")
    first_priority = issue_ticket(db, k, "A", priority_reason="孕妇")
    assert first_priority.waiting_ahead == 0  # ahead of both ordinary tickets
    ordinary = issue_ticket(db, k, "A")
    assert ordinary.waiting_ahead == 3  # two earlier tickets and the priority one
    second_priority = issue_ticket(db, k, "A", priority_reason="军人")
    assert second_priority.waiting_ahead == 1  # only the earlier priority ticket
    issue_ticket(db, k, "B")  # another queue changes nothing
    with db.read_only() as s:
        row = s.get(Ticket, ordinary.id)
        assert row is not None
        assert queue_wait.wait_estimate(s, row)[0] == 4  # the later priority ticket too


def test_numbers_past_999_keep_every_digit(db: Database) -> None:
    from app.db.models import TicketCounter

    k = _kiosk(db)
    issue_ticket(db, k, "A")
    with db.unit_of_work() as s:
        counter = s.scalars(select(TicketCounter)).one()
        counter.n = 998
        s.commit()
    assert [issue_ticket(db, k, "A").code for _ in range(2)] == ["A999", "A1000"]


def test_the_wait_comes_from_todays_service_times_and_open_windows(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The hall's 10:00 today: the 11½ minutes below never cross the hall's midnight (run at
    # 23:57 in Beijing they made the ticket yesterday's).
    with db.read_only() as s:
        today = clock.local_day(db_now(s), "Asia/Shanghai")
    base = datetime(today.year, today.month, today.day, 2)  # 10:00 in Beijing, naive UTC
    shift = [timedelta(0)]
    monkeypatch.setattr(clock, "now", lambda s: base + shift[0])
    k = _kiosk(db)
    for n in range(3):
        shift[0] = timedelta(seconds=n)  # one after the other, as residents come in
        issue_ticket(db, k, "A")
    clerk, w1 = _open(db, 1)
    shift[0] = timedelta(minutes=1)
    served = call_next(db, clerk, w1)
    assert served is not None
    calling.start_service(db, clerk, served.id)
    shift[0] = timedelta(minutes=12, seconds=30)  # served for 11½ minutes
    calling.finish(db, clerk, served.id)
    _open(db, 2, "clerk2")  # window 2 also serves A
    with db.read_only() as s:
        row = s.scalars(select(Ticket).where(Ticket.code == "A003")).one()
        pace = queue_wait.queue_pace(s.connection(), row.hall_id, row.service_day, row.category_id)
        assert pace.windows == 2 and 11.4 < pace.minutes < 11.6
        assert queue_wait.wait_estimate(s, row) == (1, 6)  # one ahead, 11.5 min over 2 windows
    assert queue_wait.Pace(windows=1, minutes=5.0).wait(0) == 0
    assert queue_wait.Pace(windows=2, minutes=5.0).wait(3) == 8  # 7.5 minutes, rounded up


def test_call_order_priority_then_window_order_then_fifo(db: Database) -> None:
    k = _kiosk(db)
    # window 2 serves A first, then B
    issue_ticket(db, k, "B")  # B001
    issue_ticket(db, k, "A")  # A001
    issue_ticket(db, k, "A")  # A002
    issue_ticket(db, k, "B", priority_reason="孕妇")  # B002, priority
    clerk, w2 = _open(db, 2)
    order = []
    for _ in range(4):
        t = call_next(db, clerk, w2)
        assert t is not None
        order.append(t.code)
        calling.start_service(db, clerk, t.id)
        calling.finish(db, clerk, t.id)
    assert order == ["B002", "A001", "A002", "B001"]


def test_transitions_and_refusals(db: Database) -> None:
    k = _kiosk(db)
    issue_ticket(db, k, "A")
    clerk, w1 = _open(db, 1)
    with pytest.raises(PermissionDenied, match="不在 3 号窗口值守"):
        call_next(db, clerk, _window(db, 3))
    t = call_next(db, clerk, w1)
    assert t is not None and t.state == TicketState.CALLED and t.window_number == 1
    with pytest.raises(Conflict, match="正在办理 A001"):
        call_next(db, clerk, w1)
    t = calling.recall(db, clerk, t.id)
    assert t.recall_count == 1
    t = calling.start_service(db, clerk, t.id)
    with pytest.raises(Conflict, match="不能变为“过号”"):
        calling.no_show(db, clerk, t.id)
    t = calling.finish(db, clerk, t.id)
    assert t.state == TicketState.DONE
    with pytest.raises(Conflict):
        calling.start_service(db, clerk, t.id)
    assert call_next(db, clerk, w1) is None  # nobody waits


def test_no_show_and_late_return_go_to_the_end(db: Database) -> None:
    k = _kiosk(db)
    for _ in range(3):
        issue_ticket(db, k, "A")
    clerk, w1 = _open(db, 1)
    first = call_next(db, clerk, w1)
    assert first is not None and first.code == "A001"
    calling.no_show(db, clerk, first.id)
    back = calling.return_late(db, clerk, first.id)
    assert back.state == TicketState.WAITING and back.waiting_ahead == 0
    calls = []
    for _ in range(3):
        t = call_next(db, clerk, w1)
        assert t is not None
        calls.append(t.code)
        calling.start_service(db, clerk, t.id)
        calling.finish(db, clerk, t.id)
    assert calls == ["A002", "A003", "A001"]


def test_transfer_keeps_the_code_and_place(db: Database) -> None:
    k = _kiosk(db)
    issue_ticket(db, k, "A")  # A001
    issue_ticket(db, k, "C")  # C001, issued later
    clerk, w1 = _open(db, 1)
    t = call_next(db, clerk, w1)
    assert t is not None and t.code == "A001"
    moved = handover.transfer(db, clerk, t.id, to_letter="C")
    assert moved.code == "A001" and moved.category_letter == "C" and moved.waiting_ahead == 0
    clerk2, w4 = _open(db, 4, "clerk2")  # window 4 serves C
    nxt = call_next(db, clerk2, w4)
    assert nxt is not None and nxt.code == "A001"  # kept its place before C001
    to_window = handover.transfer(db, clerk2, nxt.id, to_window_id=w1)
    mine = call_next(db, clerk, w1)
    assert mine is not None and mine.id == to_window.id
    with pytest.raises(ValidationError, match="二选一"):
        handover.transfer(db, clerk, mine.id)


def test_window_states_and_duty(db: Database) -> None:
    clerk, w1 = _open(db, 1)
    other = _clerk(db, "clerk2")
    with pytest.raises(Conflict, match="其他人员值守"):
        windows.pause_window(db, other, w1)
    v = windows.pause_window(db, clerk, w1)
    assert v.state == WindowState.PAUSED
    with pytest.raises(Conflict, match="未开放"):
        call_next(db, clerk, w1)
    windows.open_window(db, clerk, w1)
    _, w2 = _open(db, 2)  # the clerk moves to window 2: window 1 closes
    assert windows.my_window(db, clerk).id == w2  # type: ignore[union-attr]
    states = {w.number: w.state for w in windows.windows_of_hall(db, clerk)}
    assert states[1] == WindowState.CLOSED and states[2] == WindowState.OPEN


def test_day_rollover_starts_at_001(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    k = _kiosk(db)
    issue_ticket(db, k, "A")
    issue_ticket(db, k, "A")

    def tomorrow(session: Session) -> datetime:
        return db_now(session) + timedelta(days=1)

    monkeypatch.setattr(clock, "now", tomorrow)
    t = issue_ticket(db, k, "A")
    assert t.code == "A001" and t.waiting_ahead == 0


def test_every_transition_is_audited(db: Database) -> None:
    k = _kiosk(db)
    issue_ticket(db, k, "A")
    clerk, w1 = _open(db, 1)
    t = call_next(db, clerk, w1)
    assert t is not None
    calling.start_service(db, clerk, t.id)
    calling.finish(db, clerk, t.id)
    with db.unit_of_work() as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity == "ticket")
                .order_by(AuditEvent.seq)
            )
        )
        assert actions == ["ticket_issued", "ticket_called", "ticket_started", "ticket_finished"]
        assert s.scalar(select(func.count(Ticket.id))) == 1


def test_supervisor_creates_and_edits_windows(db: Database) -> None:
    from app.hall.setup import DEMO_PASSWORD
    from app.people import users

    sup = users.login(db, "supervisor", DEMO_PASSWORD)
    created = windows.save_window(db, sup, 7, "7 号窗口（医保）", ["C", "A"])
    assert created.letters == ("C", "A") and created.state == WindowState.CLOSED
    with pytest.raises(ValidationError, match="7 号窗口已存在") as err:
        windows.save_window(db, sup, 7, "", ["A"])
    assert err.value.field == "number"
    with pytest.raises(ValidationError, match="至少选择一个服务类别"):
        windows.save_window(db, sup, 8, "", [])
    with pytest.raises(ValidationError, match="服务类别不存在：Z"):
        windows.save_window(db, sup, 8, "", ["Z"])
    edited = windows.save_window(db, sup, 8, "", ["A"], window_id=created.id)
    assert (edited.number, edited.name, edited.letters) == (8, "8 号窗口", ("A",))
    with pytest.raises(PermissionDenied):
        windows.save_window(db, _clerk(db), 9, "", ["A"])


def test_reprint_is_audited(db: Database) -> None:
    t = issue_ticket(db, _kiosk(db), "A")
    again = calling.reprint(db, _clerk(db), t.id)
    assert again.code == t.code
    with db.unit_of_work() as s:
        assert (
            s.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "ticket_reprinted")
            )
            == 1
        )


def test_every_view_uses_the_halls_time_zone(db: Database) -> None:
    from app.db.models import Hall

    with db.unit_of_work() as s:
        s.scalars(select(Hall).where(Hall.code == "DEMO")).one().timezone = "Asia/Urumqi"
        s.commit()
    issued = issue_ticket(db, _kiosk(db), "A")
    clerk, w1 = _open(db, 1)
    called = call_next(db, clerk, w1)
    waiting = windows.board(db, clerk.hall_id or 0).windows[0].current
    assert called is not None and waiting is not None
    for view in (issued, called, waiting):
        assert view.timezone == "Asia/Urumqi"
        local = view.local(view.issued_at)
        assert local is not None and local.utcoffset() == timedelta(hours=6)
