"""A small fixed day for the statistics tests, written row by row with known times.

Monday 2026-11-02 in the demo hall (Asia/Shanghai, UTC+8). The rows go in directly (not
through the services) so that every timestamp is the one the test's hand computation
uses; :mod:`tests.db.test_stats` lists the expected figures next to each assertion.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    AuditEvent,
    Case,
    Hall,
    QueueCategory,
    Rating,
    Resident,
    ServiceType,
    ServiceVersion,
    Task,
    Ticket,
    User,
    Window,
)
from app.db.session import Database
from app.states import CaseState, TaskState, TicketState
from tests.helpers.people import id_number

DAY = date(2026, 11, 2)


def at(hhmmss: str, day: date = DAY) -> datetime:
    """Local time ``HH:MM[:SS]`` of ``day`` as the naive UTC the database keeps (−8 h)."""
    parts = [int(x) for x in hhmmss.split(":")] + [0]
    local = datetime(day.year, day.month, day.day, parts[0], parts[1], parts[2])
    return local - timedelta(hours=8)


# (name, clerk, window, category, issued, called, started, finished, state, from)
TICKETS = [
    ("a", 1, 1, "A", "09:00", "09:01", "09:01:30", "09:10", TicketState.DONE, None),
    ("b", 1, 1, "A", "09:05", "09:12", "09:12", "09:20", TicketState.DONE, None),
    ("c", 1, 1, "A", "09:25", "09:30", None, "09:40", TicketState.DONE, None),
    ("d", 1, 1, "A", "09:20", "09:50", None, None, TicketState.NO_SHOW, None),
    ("e", 1, 1, "A", "09:30", "09:55", "09:55", "10:05", TicketState.DONE, None),
    ("f", 2, 2, "A", "09:00", "09:02", "09:02", "09:30", TicketState.DONE, None),
    ("g", 2, 2, "A", "09:10", "09:40", "09:40", "09:45", TicketState.DONE, None),
    ("h", 2, 2, "A", "09:40", "10:30", "10:30", "10:40", TicketState.DONE, None),
    ("i", 2, 2, "A", "10:50", "10:55", None, "10:56", TicketState.TRANSFERRED, None),
    # i's transfer to queue B, queued anew at 10:56, served by clerk 1 at window 1
    ("j", 1, 1, "B", "10:50", "11:30", "11:30", "11:40", TicketState.DONE, "i"),
    ("k", None, None, "A", "10:00", None, None, None, TicketState.EXPIRED, None),
]


def ids(s: Session) -> dict[str, int]:
    """The demo hall, its two clerks, two windows (made if missing) and queues A, B."""
    hall = s.scalars(select(Hall).order_by(Hall.id)).first()
    assert hall is not None
    out = {"hall": hall.id}
    for key, name in (("clerk1", "clerk"), ("clerk2", "clerk2")):
        out[key] = s.scalars(select(User.id).where(User.username == name)).one()
    for number in (1, 2):
        w = s.scalars(select(Window).where(Window.hall_id == hall.id, Window.number == number))
        window = w.first()
        if window is None:
            window = Window(hall_id=hall.id, number=number, name=f"{number} 号窗口")
            s.add(window)
            s.flush()
        out[f"window{number}"] = window.id
    for letter in "AB":
        out[letter] = s.scalars(
            select(QueueCategory.id).where(
                QueueCategory.hall_id == hall.id, QueueCategory.letter == letter
            )
        ).one()
    return out


def seed_queue(db: Database) -> dict[str, int]:
    """The day's eleven tickets (see :data:`TICKETS`); returns :func:`ids`."""
    with db.unit_of_work() as s:
        known = ids(s)
        made: dict[str, Ticket] = {}
        for n, (name, clerk, win, cat, issued, called, started, fin, state, src) in enumerate(
            TICKETS, start=1
        ):
            prev = made[src] if src else None
            t = Ticket(
                hall_id=known["hall"],
                service_day=DAY,
                category_id=known[cat],
                number=900 + n,
                code=f"{cat}{900 + n}",
                state=state,
                window_id=known[f"window{win}"] if win else None,
                issued_at=at(issued),
                queued_at=at("10:56") if prev else at(issued),
                called_at=at(called) if called else None,
                started_at=at(started) if started else None,
                finished_at=at(fin) if fin else None,
                served_by_id=known[f"clerk{clerk}"] if clerk else None,
                transferred_from_id=prev.id if prev else None,
            )
            s.add(t)
            s.flush()
            made[name] = t
        s.commit()
    return known


def resident(s: Session) -> int:
    r = Resident(
        id_number=id_number(date(1970, 1, 1), 777),
        name="统计测试",
        gender="男",
        birth_date=date(1970, 1, 1),
    )
    s.add(r)
    s.flush()
    return r.id


def service(s: Session, dept_id: int) -> tuple[int, int]:
    st = s.scalars(
        select(ServiceType)
        .where(ServiceType.department_id == dept_id, ServiceType.kind == "promised")
        .order_by(ServiceType.id)
    ).first()
    assert st is not None
    sv = s.scalars(select(ServiceVersion.id).where(ServiceVersion.service_type_id == st.id)).first()
    assert sv is not None
    return st.id, sv


def add_case(
    s: Session, hall: int, sv: int, resident: int, no: str, decided: datetime, due: date
) -> int:
    """A 承诺件 accepted at 09:00 on :data:`DAY`, decided at ``decided``, due ``due``."""
    c = Case(
        case_no=no,
        hall_id=hall,
        service_version_id=sv,
        applicant_id=resident,
        state=CaseState.COMPLETED,
        accepted_at=at("09:00"),
        decided_at=decided,
        due_date=due,
    )
    s.add(c)
    s.flush()
    return c.id


def add_claim(s: Session, hall: int, case_id: int, task_id: int, moment: datetime) -> None:
    """A ``task_claimed`` audit event as the workflow writes it (not chained: tests only)."""
    seq = (s.scalar(select(func.max(AuditEvent.seq))) or 0) + 1
    s.add(
        AuditEvent(
            seq=seq,
            at=moment,
            hall_id=hall,
            actor_id=None,
            actor_name="测试",
            action="task_claimed",
            entity="case",
            entity_id=str(case_id),
            before=None,
            after={"task": task_id},
            prev_hash="0" * 64,
            hash="0" * 64,
        )
    )


def add_task(
    s: Session,
    hall: int,
    case_id: int,
    dept: int,
    state: TaskState,
    decided: datetime | None,
    due: date,
    note: str = "",
) -> int:
    """A task of ``dept`` on ``case_id`` ready at 09:00 on :data:`DAY`."""
    t = Task(
        case_id=case_id,
        hall_id=hall,
        step_key="review",
        step_index=0,
        department_id=dept,
        state=state,
        note=note,
        due_date=due,
        created_at=at("09:00"),
        decided_at=decided,
    )
    s.add(t)
    s.flush()
    return t.id


def add_rating(
    s: Session, hall: int, key: str, level: int, dept: int | None, **more: object
) -> Rating:
    """A live rating given at 12:00 on :data:`DAY`."""
    r = Rating(
        hall_id=hall,
        subject_key=key,
        stage="service",
        level=level,
        channel="rating_screen",
        department_id=dept,
        rated_at=at("12:00"),
        service_day=DAY,
        **more,
    )
    s.add(r)
    s.flush()
    return r
