"""A ticket handed on, and a window handed over.

- 转窗 (:func:`transfer`): the ticket moves to another queue or to one window.
- 下一位 (:func:`next_applicant`): the clerk finishes the ticket being served and calls the
  next one in ONE step (one unit of work: the finished ticket is never left half-done
  when the call fails, and nobody else's call can slip in between).
- 离岗 (:func:`leave_window`): the clerk logs out or closes the program. The ticket being
  served is put back where the clerk chooses (:class:`PutBack`), the window is paused and
  left without a clerk, so whoever sits down next opens it as their own and does not
  inherit the last clerk's ticket or name.
- 接管 (:func:`take_over`): the last clerk left WITHOUT 离岗 (the program was killed, the
  PC restarted): the next clerk takes the window over, the ticket still held by it put
  back in its old place in line (the first to be called).

Every step goes through :data:`app.states.TICKET_FLOW` / ``WINDOW_FLOW`` and appends an
audit event in the same transaction, like :mod:`app.queue.calling`, whose guards it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.db import clock
from app.db.models import Hall, QueueCategory, Ticket, User, Window
from app.db.session import Database
from app.errors import Conflict, PermissionDenied, ValidationError
from app.queue import issuing, queueing
from app.queue.calling import (
    _guard,
    _require_counter,
    _rollover_when_refused,
    _ticket_at,
    _transition,
    _window_for,
    call_in,
)
from app.queue.queueing import TicketView
from app.roles import Permission
from app.states import WINDOW_FLOW, TicketState, WindowState


class PutBack(StrEnum):
    """Where the ticket being served goes when its clerk leaves the window."""

    QUEUE_KEEP = "queue_keep"  # back to its queue, in its old place (first in line)
    QUEUE_END = "queue_end"  # back to its queue, at the end
    FINISH = "finish"  # served: 办结 (only a ticket being served)
    NO_SHOW = "no_show"  # 过号 (only a ticket called and not come)


PUT_BACK_LABELS = {
    PutBack.QUEUE_KEEP: "放回原队列，保留排队位置（下一位窗口人员先叫）",
    PutBack.QUEUE_END: "放回原队列队尾",
    PutBack.FINISH: "办结",
    PutBack.NO_SHOW: "过号",
}


def put_back_choices(state: TicketState) -> tuple[PutBack, ...]:
    """What a ticket in ``state`` may be put back as, the safe default first."""
    if state == TicketState.SERVING:
        return (PutBack.QUEUE_KEEP, PutBack.QUEUE_END, PutBack.FINISH)
    if state == TicketState.CALLED:
        return (PutBack.QUEUE_KEEP, PutBack.QUEUE_END, PutBack.NO_SHOW)
    return ()


def _transfer_in(
    session: Session,
    actor: Actor,
    old: Ticket,
    now: datetime,
    to_letter: str | None,
    to_window_id: int | None,
    keep_place: bool | None = None,
) -> Ticket:
    """Old ticket → TRANSFERRED, a new waiting one with the same code (not committed).

    ``keep_place`` None: the hall's rule (``transfer_keeps_place``).
    """
    hall = session.get(Hall, old.hall_id)
    assert hall is not None
    _guard(session, old, TicketState.TRANSFERRED, now)  # never into an earlier day
    id_number = old.id_number  # the new ticket carries it; the old one drops it
    if to_window_id is not None:
        target_window: Window | None = _window_for(session, actor, to_window_id)
        cat_id = old.category_id
        note = f"转到 {target_window.number} 号窗口"  # type: ignore[union-attr]
    else:
        assert to_letter is not None
        cat = queueing.queue_category(session, hall.id, to_letter)
        cat_id, target_window = cat.id, None
        note = f"转到 {cat.letter} {cat.name}"
    _transition(session, actor, old, TicketState.TRANSFERRED, "ticket_transferred", now, note)
    keep = hall.transfer_keeps_place if keep_place is None else keep_place
    # The resident keeps the code on their slip; the row takes the next number of the
    # target queue, so numbers stay unique and gapless per queue and day.
    number = issuing.next_number(session, hall.id, old.service_day, cat_id)
    new = Ticket(
        hall_id=hall.id,
        service_day=old.service_day,
        category_id=cat_id,
        number=number,
        code=old.code,
        priority_reason=old.priority_reason,
        resident_id=old.resident_id,
        id_number=id_number,
        issued_at=old.issued_at,
        queued_at=old.queued_at if keep else now,
        target_window_id=target_window.id if target_window else None,
        transferred_from_id=old.id,
        state=TicketState.WAITING,
    )
    session.add(new)
    session.flush()
    after, note = queueing.snapshot(new), f"由 {old.code} 转入"
    audit.record(session, actor, "ticket_issued", "ticket", new.id, after=after, note=note)
    queueing.notify(session, hall.id, "transfer", ticket=new.code)
    return new


def transfer(
    db: Database,
    actor: Actor,
    ticket_id: int,
    version: int | None = None,
    to_letter: str | None = None,
    to_window_id: int | None = None,
) -> TicketView:
    """转窗: move the ticket to another queue (new number of that queue) or to one window.

    The old ticket ends as ``transferred``; the new one waits. It keeps its place in line
    when the hall says so (``transfer_keeps_place``), else it joins at the end.
    Raises :class:`ValidationError` (field ``transfer``) unless exactly one target is given.
    """
    _require_counter(actor)
    if (to_letter is None) == (to_window_id is None):
        raise ValidationError("请选择转到的类别或窗口（二选一）。", "transfer")
    with _rollover_when_refused(db, actor), db.unit_of_work() as session:
        old = _ticket_at(session, actor, ticket_id, version)
        new = _transfer_in(session, actor, old, clock.now(session), to_letter, to_window_id)
        view = queueing.ticket_view(session, new, with_wait=True)
        session.commit()
        return view


def next_applicant(
    db: Database, actor: Actor, window_id: int, ticket_id: int | None, version: int | None = None
) -> TicketView | None:
    """下一位: finish the ticket being served (``ticket_id``, if any) and call the next.

    Returns the called ticket (with the ID given at the kiosk), or None when nobody waits
    (the served ticket is finished all the same). Raises :class:`Conflict` when the ticket
    was called but not yet served (过号 or 开始办理 first) or changed elsewhere (``version``).
    """
    _require_counter(actor)
    with _rollover_when_refused(db, actor), db.unit_of_work() as session:
        if ticket_id is not None:
            ticket = _ticket_at(session, actor, ticket_id, version)
            if ticket.window_id != window_id:
                raise Conflict(f"{ticket.code} 不在本窗口办理，请刷新。")
            if ticket.state == TicketState.CALLED:
                raise Conflict(f"{ticket.code} 已呼叫但尚未开始办理：群众未到请先过号（F6）。")
            if ticket.state == TicketState.SERVING:
                now = clock.now(session)
                _transition(session, actor, ticket, TicketState.DONE, "ticket_finished", now)
                window = session.get(Window, window_id)
                number = window.number if window else None
                queueing.notify(
                    session, ticket.hall_id, "ticket_finished", ticket=ticket.code, window=number
                )
        view = call_in(session, actor, window_id)
        session.commit()
        return view


@dataclass(frozen=True)
class LeaveReport:
    """What leaving the window did: the ticket put back (its code and where), the window."""

    window_number: int
    ticket_code: str | None
    put_back: PutBack | None


def leave_window(
    db: Database, actor: Actor, window_id: int, put_back: PutBack | None = None
) -> LeaveReport:
    """离岗: put the window's ticket back as ``put_back`` and pause the window, clerk-less.

    A window the clerk does not hold is left alone (nothing to hand over). Raises
    :class:`ValidationError` (field ``put_back``) when a ticket is being served or called
    and ``put_back`` is missing or not one of :func:`put_back_choices` for its state.
    """
    _require_counter(actor)
    with _rollover_when_refused(db, actor), db.unit_of_work() as session:
        window = _window_for(session, actor, window_id)
        if window.clerk_id != actor.user_id:
            if window.clerk_id is not None and not actor.can(Permission.SUPERVISE):
                raise PermissionDenied(f"{window.number} 号窗口由其他人员值守。")
            return LeaveReport(window.number, None, None)
        now = clock.now(session)
        held = _held(session, window.id)
        code = held.code if held else None
        if held is not None:
            _put_back(session, actor, held, put_back, now)
        before = {"state": window.state.value, "clerk": window.clerk_id}
        if window.state == WindowState.OPEN:
            WINDOW_FLOW.check(window.state, WindowState.PAUSED)
            window.state = WindowState.PAUSED
        window.clerk_id = None
        session.flush()
        after = {"state": window.state.value, "clerk": None}
        note = f"离岗；{code}：{PUT_BACK_LABELS[put_back]}" if code and put_back else "离岗"
        audit.record(session, actor, "window_left", "window", window.id, before, after, note)
        queueing.notify(session, window.hall_id, "window_left", window=window.number)
        session.commit()
        return LeaveReport(window.number, code, put_back if held else None)


def _held(session: Session, window_id: int) -> Ticket | None:
    """The ticket the window is calling or serving (a window holds at most one)."""
    return session.scalar(
        select(Ticket).where(
            Ticket.window_id == window_id,
            Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
        )
    )


def _put_back(
    session: Session, actor: Actor, held: Ticket, put_back: PutBack | None, now: datetime
) -> None:
    choices = put_back_choices(held.state)
    if put_back not in choices:
        raise ValidationError(f"请选择 {held.code} 的去向。", "put_back")
    if put_back == PutBack.FINISH:
        _transition(session, actor, held, TicketState.DONE, "ticket_finished", now, "离岗办结")
    elif put_back == PutBack.NO_SHOW:
        _transition(session, actor, held, TicketState.NO_SHOW, "ticket_no_show", now, "离岗过号")
    else:
        cat = session.get(QueueCategory, held.category_id)
        assert cat is not None
        keep = put_back == PutBack.QUEUE_KEEP
        _transfer_in(session, actor, held, now, cat.letter, None, keep_place=keep)


def take_over(db: Database, actor: Actor, window_id: int) -> LeaveReport:
    """接管: ``actor`` takes over a window another clerk holds; it opens as theirs.

    The ticket the window still holds goes back to its queue in its old place (the first
    to be called); any other window ``actor`` held is closed, as when opening one. Audited
    with the previous clerk's name. Raises :class:`Conflict` when the window is not held
    by someone else (nothing to take over: 开窗 instead).
    """
    _require_counter(actor)
    with _rollover_when_refused(db, actor), db.unit_of_work() as session:
        window = _window_for(session, actor, window_id)
        if window.clerk_id in (None, actor.user_id):
            raise Conflict(f"{window.number} 号窗口无人值守，直接开窗即可。")
        previous = session.get(User, window.clerk_id)
        now = clock.now(session)
        held = _held(session, window.id)
        code = held.code if held else None
        if held is not None:
            _put_back(session, actor, held, PutBack.QUEUE_KEEP, now)
        session.execute(
            update(Window)
            .where(Window.clerk_id == actor.user_id, Window.id != window.id)
            .values(clerk_id=None, state=WindowState.CLOSED)
        )
        before = {"state": window.state.value, "clerk": window.clerk_id}
        if window.state != WindowState.OPEN:
            WINDOW_FLOW.check(window.state, WindowState.OPEN)
            window.state = WindowState.OPEN
        window.clerk_id = actor.user_id
        session.flush()
        after = {"state": window.state.value, "clerk": actor.user_id}
        who = previous.full_name if previous else "原值守人员"
        note = f"接管 {who} 的窗口" + (f"；{code} 放回原排队位置" if code else "")
        audit.record(session, actor, "window_taken_over", "window", window.id, before, after, note)
        queueing.notify(session, window.hall_id, "window_opened", window=window.number)
        session.commit()
        return LeaveReport(window.number, code, PutBack.QUEUE_KEEP if code else None)
