"""The counter's turn on both backends: the kiosk's ID reaches the caller, 下一位 in one
step, and a clerk leaving the window hands it over with the ticket put back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.actor import Actor
from app.db.models import AuditEvent, Ticket, Window
from app.db.session import Database
from app.errors import Conflict, PermissionDenied, ValidationError
from app.queue import calling, handover, windows
from app.queue.handover import PutBack
from app.queue.queueing import issue_ticket
from app.states import TicketState, WindowState
from tests.db.test_queue import _clerk, _kiosk, _open, _window

ELDER_ID = "11010519491231002X"


def _row(db: Database, ticket_id: int) -> Ticket:
    with db.read_only() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        s.expunge(t)
        return t


def test_the_kiosk_id_reaches_the_calling_clerk_only_while_the_ticket_is_open(
    db: Database,
) -> None:
    issued = issue_ticket(db, _kiosk(db), "A", id_number=ELDER_ID.lower())
    assert issued.applicant_id_number is None  # never on the slip
    clerk, wid = _open(db, 1)
    called = calling.call_next(db, clerk, wid)
    assert called is not None and called.id == issued.id
    assert called.applicant_id_number == ELDER_ID  # the normalised number, for intake
    board = windows.board(db, clerk.hall_id or 0)
    assert all(w.current is None or w.current.applicant_id_number is None for w in board.windows)
    started = calling.start_service(db, clerk, called.id, called.version)
    calling.finish(db, clerk, started.id, started.version)
    assert _row(db, issued.id).id_number is None  # dropped when the ticket ends


def test_a_transferred_ticket_carries_the_id_and_the_old_one_drops_it(db: Database) -> None:
    issued = issue_ticket(db, _kiosk(db), "A", id_number=ELDER_ID)
    clerk, wid = _open(db, 1)
    called = calling.call_next(db, clerk, wid)
    assert called is not None
    moved = handover.transfer(db, clerk, called.id, called.version, to_letter="B")
    assert _row(db, issued.id).id_number is None
    assert _row(db, moved.id).id_number == ELDER_ID


def test_next_applicant_finishes_and_calls_in_one_step(db: Database) -> None:
    k = _kiosk(db)
    first, second = issue_ticket(db, k, "A", id_number=ELDER_ID), issue_ticket(db, k, "A")
    clerk, wid = _open(db, 1)
    called = handover.next_applicant(db, clerk, wid, None)
    assert called is not None and called.id == first.id
    assert called.applicant_id_number == ELDER_ID
    with pytest.raises(Conflict, match="尚未开始办理"):
        handover.next_applicant(db, clerk, wid, called.id, called.version)
    serving = calling.start_service(db, clerk, called.id, called.version)
    nxt = handover.next_applicant(db, clerk, wid, serving.id, serving.version)
    assert nxt is not None and nxt.id == second.id and nxt.state == TicketState.CALLED
    assert nxt.applicant_id_number is None
    assert _row(db, first.id).state == TicketState.DONE
    last = calling.start_service(db, clerk, nxt.id, nxt.version)
    assert handover.next_applicant(db, clerk, wid, last.id, last.version) is None
    assert _row(db, second.id).state == TicketState.DONE  # finished though nobody waits


def test_next_applicant_refuses_a_stale_ticket_and_changes_nothing(db: Database) -> None:
    issue_ticket(db, _kiosk(db), "A")
    waiting = issue_ticket(db, _kiosk(db), "A")
    clerk, wid = _open(db, 1)
    called = calling.call_next(db, clerk, wid)
    assert called is not None
    serving = calling.start_service(db, clerk, called.id, called.version)
    with pytest.raises(Conflict, match="其他窗口"):
        handover.next_applicant(db, clerk, wid, serving.id, called.version)  # old version
    assert _row(db, serving.id).state == TicketState.SERVING
    assert _row(db, waiting.id).state == TicketState.WAITING


@pytest.mark.parametrize(
    ("put_back", "state", "ticket_state"),
    [
        (PutBack.QUEUE_KEEP, TicketState.SERVING, TicketState.TRANSFERRED),
        (PutBack.QUEUE_END, TicketState.CALLED, TicketState.TRANSFERRED),
        (PutBack.FINISH, TicketState.SERVING, TicketState.DONE),
        (PutBack.NO_SHOW, TicketState.CALLED, TicketState.NO_SHOW),
    ],
)
def test_leaving_puts_the_ticket_back_and_pauses_the_window_for_the_next_clerk(
    db: Database, put_back: PutBack, state: TicketState, ticket_state: TicketState
) -> None:
    k = _kiosk(db)
    first, later = issue_ticket(db, k, "A"), issue_ticket(db, k, "A")
    clerk, wid = _open(db, 1)
    t = calling.call_next(db, clerk, wid)
    assert t is not None and t.id == first.id
    if state == TicketState.SERVING:
        t = calling.start_service(db, clerk, t.id, t.version)
    report = handover.leave_window(db, clerk, wid, put_back)
    assert report.ticket_code == first.code and report.put_back == put_back
    assert _row(db, first.id).state == ticket_state
    with db.read_only() as s:
        window = s.get(Window, wid)
        assert window is not None
        assert window.state == WindowState.PAUSED and window.clerk_id is None
        events = s.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(wid)))
        assert "window_left" in list(events)
    # The next clerk takes the window over: nothing of the last clerk's is inherited.
    other: Actor = _clerk(db, "clerk2")
    opened = windows.open_window(db, other, wid)
    assert opened.clerk_id == other.user_id and opened.current is None
    nxt = calling.call_next(db, other, wid)
    assert nxt is not None
    if put_back == PutBack.QUEUE_KEEP:
        assert nxt.code == first.code  # back in its old place: first in line
    else:
        assert nxt.code == later.code


def test_leaving_with_a_ticket_needs_a_fitting_choice_and_keeps_everything_if_refused(
    db: Database,
) -> None:
    issue_ticket(db, _kiosk(db), "A")
    clerk, wid = _open(db, 1)
    t = calling.call_next(db, clerk, wid)
    assert t is not None
    for wrong in (None, PutBack.FINISH):  # a called ticket cannot be 办结
        with pytest.raises(ValidationError) as err:
            handover.leave_window(db, clerk, wid, wrong)
        assert err.value.field == "put_back"
    assert _row(db, t.id).state == TicketState.CALLED
    with db.read_only() as s:
        window = s.get(Window, wid)
        assert window is not None and window.clerk_id == clerk.user_id
        assert window.state == WindowState.OPEN


def test_leaving_a_window_without_a_ticket_or_someone_elses_window(db: Database) -> None:
    clerk, wid = _open(db, 1)
    assert handover.leave_window(db, clerk, wid).ticket_code is None
    other = _clerk(db, "clerk2")
    windows.open_window(db, other, wid)
    assert handover.leave_window(db, clerk, _window(db, 2)).window_number == 2  # not held
    with pytest.raises(PermissionDenied, match="其他人员值守"):
        handover.leave_window(db, clerk, wid)


def test_take_over_a_window_left_without_logging_out(db: Database) -> None:
    k = _kiosk(db)
    first, later = issue_ticket(db, k, "A"), issue_ticket(db, k, "A")
    clerk, wid = _open(db, 1)
    t = calling.call_next(db, clerk, wid)
    assert t is not None
    calling.start_service(db, clerk, t.id, t.version)  # … and the program is killed
    other = _clerk(db, "clerk2")
    report = handover.take_over(db, other, wid)
    assert report.ticket_code == first.code
    with db.read_only() as s:
        window = s.get(Window, wid)
        assert window is not None
        assert window.clerk_id == other.user_id and window.state == WindowState.OPEN
        notes = list(
            s.scalars(
                select(AuditEvent.note).where(
                    AuditEvent.action == "window_taken_over", AuditEvent.entity_id == str(wid)
                )
            )
        )
        assert notes and clerk.full_name in notes[0]
    nxt = calling.call_next(db, other, wid)
    assert nxt is not None and nxt.code == first.code and nxt.id != later.id
    with pytest.raises(Conflict, match="直接开窗"):
        handover.take_over(db, other, wid)  # already theirs


def test_the_clerk_who_calls_a_ticket_is_recorded_as_serving_it(db: Database) -> None:
    """Statistics per clerk and 好差评 name the clerk who called the ticket (served_by)."""
    k = _kiosk(db)
    first = issue_ticket(db, k, "A")
    clerk, wid = _open(db, 1)
    assert _row(db, first.id).served_by_id is None  # waiting: nobody serves it yet
    t = calling.call_next(db, clerk, wid)
    assert t is not None and _row(db, first.id).served_by_id == clerk.user_id
    handover.leave_window(db, clerk, wid, PutBack.QUEUE_KEEP)
    other: Actor = _clerk(db, "clerk2")
    windows.open_window(db, other, wid)
    again = calling.call_next(db, other, wid)
    assert again is not None and again.code == first.code  # put back: the same number
    assert _row(db, again.id).served_by_id == other.user_id
    assert _row(db, first.id).served_by_id == clerk.user_id  # the part the first clerk had
