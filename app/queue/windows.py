"""Counter windows: open, pause, close, take over and edit them, and the hall's notice.

What the hall looks like now (windows, calls, queues) is read in :mod:`app.queue.board`;
its names stay importable from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from app import audit
from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.models import Hall, QueueCategory, Ticket, Window, WindowCategory
from app.db.session import Database
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.queue import queueing
from app.queue.board import LONG_WAIT_MINUTES as LONG_WAIT_MINUTES
from app.queue.board import Board as Board
from app.queue.board import QueueCount as QueueCount
from app.queue.board import WindowView as WindowView
from app.queue.board import board as board
from app.queue.board import long_waits as long_waits
from app.queue.board import waiting_count as waiting_count
from app.queue.board import window_views
from app.queue.board import windows_of_hall as windows_of_hall
from app.roles import Permission
from app.states import WINDOW_FLOW, TicketState, WindowState

# The hall display's scrolling notice: one line, at most this many characters. The
# supervisor's dialog counts against the same number.
NOTICE_MAX_CHARS = 500


def _change(
    db: Database, actor: Actor, window_id: int, target: WindowState, action: str
) -> WindowView:
    with db.unit_of_work() as session:
        window = session.get(Window, window_id)
        if window is None or window.hall_id != actor.hall_id:
            raise NotFound("窗口不存在。")
        supervisor = actor.can(Permission.SUPERVISE)
        if not supervisor:
            if not actor.can(Permission.INTAKE):
                raise PermissionDenied("您没有操作窗口的权限。")
            if window.clerk_id not in (None, actor.user_id) and window.state != WindowState.CLOSED:
                raise Conflict(f"{window.number} 号窗口由其他人员值守。")
        if target == WindowState.CLOSED:
            busy = session.scalar(
                select(Ticket.code).where(
                    Ticket.window_id == window.id,
                    Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]),
                )
            )
            if busy:
                raise Conflict(f"{window.number} 号窗口正在办理 {busy}，请先办结或转窗。")
        WINDOW_FLOW.check(window.state, target)
        before = {"state": window.state.value, "clerk": window.clerk_id}
        if target == WindowState.OPEN and actor.can(Permission.INTAKE) and window.clerk_id is None:
            # A clerk on duty at one window only: leave any other window they held.
            session.execute(
                update(Window)
                .where(Window.clerk_id == actor.user_id, Window.id != window.id)
                .values(clerk_id=None, state=WindowState.CLOSED)
            )
            window.clerk_id = actor.user_id
        if target == WindowState.CLOSED:
            window.clerk_id = None
        window.state = target
        session.flush()
        audit.record(
            session,
            actor,
            action,
            "window",
            window.id,
            before=before,
            after={"state": window.state.value, "clerk": window.clerk_id},
        )
        queueing.notify(session, window.hall_id, action, window=window.number)
        session.commit()
        hall = session.get(Hall, window.hall_id)
        assert hall is not None
        return next(
            v
            for v in window_views(session, hall, clock.service_day(session, hall))
            if v.id == window.id
        )


def open_window(db: Database, actor: Actor, window_id: int) -> WindowView:
    """A clerk opens the window they sit at (they become its clerk on duty)."""
    return _change(db, actor, window_id, WindowState.OPEN, "window_opened")


def pause_window(db: Database, actor: Actor, window_id: int) -> WindowView:
    """暂停: no calls until reopened (a break, a long case)."""
    return _change(db, actor, window_id, WindowState.PAUSED, "window_paused")


def close_window(
    db: Database, actor: Actor, window_id: int, move_to_window_id: int | None = None
) -> WindowView:
    """Close a window; tickets transferred to it move to ``move_to_window_id`` (or their queue)."""
    view = _change(db, actor, window_id, WindowState.CLOSED, "window_closed")
    with db.unit_of_work() as session:
        moved = session.execute(
            update(Ticket)
            .where(Ticket.target_window_id == window_id, Ticket.state == TicketState.WAITING)
            .values(target_window_id=move_to_window_id)
        )
        count = moved.rowcount  # type: ignore[attr-defined]
        if count:
            audit.record(
                session,
                actor,
                "window_queue_moved",
                "window",
                window_id,
                after={"to_window": move_to_window_id, "tickets": count},
            )
        session.commit()
    return view


def my_window(db: Database, actor: Actor) -> WindowView | None:
    """The window the clerk is on duty at, if any."""
    return next((w for w in windows_of_hall(db, actor) if w.clerk_id == actor.user_id), None)


def set_notice(db: Database, actor: Actor, text: str) -> str:
    """Set the scrolling notice of the hall display (supervisors); returns it as stored.

    One line of at most :data:`NOTICE_MAX_CHARS` characters (NFC, trimmed; empty clears it).
    Raises :class:`ValidationError` (field ``notice``) for a line break, a forbidden
    character or over-long text — never cut or joined silently — and
    :class:`PermissionDenied` for anyone but a supervisor.
    """
    actor.require(Permission.SUPERVISE)
    notice = free_text.clean_line(text, "notice", "公告", max_length=NOTICE_MAX_CHARS)
    with db.unit_of_work() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        before = {"notice": hall.notice}
        hall.notice = notice
        after = {"notice": notice}
        audit.record(session, actor, "notice_changed", "hall", hall.code, before, after)
        queueing.notify(session, hall.id, "notice")
        session.commit()
    return notice


def save_window(
    db: Database,
    actor: Actor,
    number: int,
    name: str,
    letters: Sequence[str],
    window_id: int | None = None,
) -> WindowView:
    """Create a window or change one: its number, name and the queues it serves, in order."""
    actor.require(Permission.SUPERVISE)
    if not 1 <= number <= 999:
        raise ValidationError("窗口号应为 1–999 的整数。", "number")
    clean = free_text.clean_line(name, "name", max_length=10_000) or f"{number} 号窗口"
    if len(clean) > 40:
        raise ValidationError("窗口名称最多 40 个字。", "name")
    if not letters:
        raise ValidationError("请至少选择一个服务类别。", "letters")
    if len(set(letters)) != len(letters):
        raise ValidationError("服务类别不能重复。", "letters")
    with db.unit_of_work() as session:
        taken = session.scalar(
            select(Window.id).where(Window.hall_id == actor.hall_id, Window.number == number)
        )
        if taken is not None and taken != window_id:
            raise ValidationError(f"{number} 号窗口已存在。", "number")
        cats = {
            c.letter: c.id
            for c in session.scalars(
                select(QueueCategory).where(
                    QueueCategory.hall_id == actor.hall_id, QueueCategory.active.is_(True)
                )
            )
        }
        unknown = [x for x in letters if x not in cats]
        if unknown:
            raise ValidationError(f"服务类别不存在：{'、'.join(unknown)}", "letters")
        if window_id is None:
            assert actor.hall_id is not None
            window = Window(
                hall_id=actor.hall_id, number=number, name=clean, state=WindowState.CLOSED
            )
            session.add(window)
            session.flush()
            before = None
        else:
            found = session.get(Window, window_id)
            if found is None or found.hall_id != actor.hall_id:
                raise NotFound("窗口不存在。")
            window = found
            old = [
                lt
                for _, lt in session.execute(
                    select(WindowCategory.priority, QueueCategory.letter)
                    .join(QueueCategory, QueueCategory.id == WindowCategory.category_id)
                    .where(WindowCategory.window_id == window.id)
                    .order_by(WindowCategory.priority)
                )
            ]
            before = {"number": window.number, "name": window.name, "letters": old}
            window.number, window.name = number, clean
            for link in session.scalars(
                select(WindowCategory).where(WindowCategory.window_id == window.id)
            ):
                session.delete(link)
            session.flush()
        for priority, letter in enumerate(letters, start=1):
            session.add(
                WindowCategory(window_id=window.id, category_id=cats[letter], priority=priority)
            )
        session.flush()
        audit.record(
            session,
            actor,
            "window_saved",
            "window",
            window.id,
            before=before,
            after={"number": number, "name": clean, "letters": list(letters)},
        )
        queueing.notify(session, window.hall_id, "window_saved", window=number)
        session.commit()
        hall = session.get(Hall, window.hall_id)
        assert hall is not None
        return next(
            v
            for v in window_views(session, hall, clock.service_day(session, hall))
            if v.id == window.id
        )
