"""A busy day in the demo hall, for screens that should be looked at full.

Six weeks ago: the demo's own sample cases (:func:`app.cases.demo_cases.seed`, as a new
demo database gets them on first start) and two cases of services with long names, at
departments without a demo approver — so some are overdue today. This morning: 24
tickets in six queues (some elderly, so with priority), two windows open — 1 号 with
王晓燕 serving a ticket, 2 号 with 李志强 who has served three and called a fourth — a
long hall notice, and next year's holidays entered in the calendar. Everything goes through the services, as the counters and the kiosk would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.cases import demo_cases, housekeeping, intake
from app.cases.intake import IntakeInput
from app.checklist import MaterialTick
from app.db import clock
from app.db.models import Case, Resident, Window
from app.db.session import Database, db_now
from app.hall import workcalendar
from app.people import residents, users
from app.queue import calling, queueing, windows
from app.queue.queueing import TicketView
from tests.helpers.people import id_number

# The queues a morning fills, in the order people arrive.
ARRIVALS = "AABACABBCAADACBAEAFABCAA"
NOTICE = (
    "今日上午 9:00–11:30 社保业务系统升级，社保卡补换、医保转移接续请到 3 号窗口办理；"
    "办理最低生活保障、临时救助请携带户口簿和收入证明。"
)


# Next year's holidays as the supervisor enters them from the State Council's notice.
CALENDAR = (
    (date(2027, 1, 1), False, "元旦，国务院办公厅关于2027年部分节假日安排的通知"),
    (date(2027, 2, 6), True, "春节调休上班，国务院办公厅关于2027年部分节假日安排的通知"),
    (date(2027, 2, 8), False, "春节"),
    (date(2027, 2, 9), False, "春节"),
)
DIBAO_FORM = demo_cases.FORM
CASES_DAYS_AGO = 42


@dataclass(frozen=True)
class BusyDay:
    """What a screen test needs to find again in the seeded hall."""

    hall_id: int
    serving: TicketView  # at 1 号窗口, 王晓燕 (clerk)
    cases: dict[str, int]  # the demo cases by applicant name → case id


def _window(db: Database, number: int) -> int:
    with db.read_only() as s:
        return int(s.scalars(select(Window.id).where(Window.number == number)).one())


# Services with long names, at departments the demo has no approver in (so they wait).
MORE_CASES = (
    (
        "周晓梅",
        "WJ003",
        {"support_type": "独生子女伤残家庭", "bank_account": "6217000010007654321"},
    ),
    (
        "欧阳志远",
        "YB002",
        {
            "from_region": "河北省石家庄市长安区",
            "to_region": "北京市朝阳区",
            "transfer_type": "居民医保转职工医保",
            "phone": "13912345678",
        },
    ),
)


def _more_cases(db: Database) -> None:
    clerk = users.demo_actor(db, "clerk")
    for seq, (name, code, form) in enumerate(MORE_CASES, start=401):
        number = id_number(date(1972, 8, 15), seq, female=seq % 2 == 1)
        person = residents.save(
            db, clerk, residents.ResidentInput(number, name, "13900139000", "解放路 88 号 3 单元")
        )
        service = intake.service_definition(db, clerk, code)
        ticks = tuple(MaterialTick(m.key, True, True, True, m.copies) for m in service.materials)
        intake.accept(db, clerk, IntakeInput(code, person.id, form, ticks))


def seed(db: Database) -> BusyDay:
    """Fill the demo hall of ``db`` (a fresh prepared demo database) for a busy morning."""

    def weeks_ago(session: Session | Connection) -> datetime:
        return db_now(session) - timedelta(days=CASES_DAYS_AGO)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clock, "now", weeks_ago)
        demo_cases.seed(db)
        _more_cases(db)
    hall_id = queueing.hall_by_code(db, "DEMO").id
    kiosk = queueing.kiosk_actor(hall_id)
    for i, letter in enumerate(ARRIVALS):
        elderly = letter in "CF" and i % 2 == 0  # born 1950: 老年人, called first
        born = date(1950 if elderly else 1985, 1 + i % 12, 1 + i)
        queueing.issue_ticket(db, kiosk, letter, id_number(born, 40 + i, female=i % 2 == 0))
    clerk, clerk2 = users.demo_actor(db, "clerk"), users.demo_actor(db, "clerk2")
    windows.open_window(db, clerk2, _window(db, 2))
    for _ in range(3):
        done = calling.call_next(db, clerk2, _window(db, 2))
        assert done is not None
        calling.start_service(db, clerk2, done.id)
        calling.finish(db, clerk2, done.id)
    assert calling.call_next(db, clerk2, _window(db, 2)) is not None
    windows.open_window(db, clerk, _window(db, 1))
    called = calling.call_next(db, clerk, _window(db, 1))
    assert called is not None
    serving = calling.start_service(db, clerk, called.id)
    # The housekeeping of the first PC that starts: 公示 periods that ended move on.
    housekeeping.tick(db, users.demo_actor(db, "approver"))
    supervisor = users.demo_actor(db, "supervisor")
    windows.set_notice(db, supervisor, NOTICE)
    for day, workday, note in CALENDAR:
        workcalendar.set_day(db, supervisor, day, workday, note)
    with db.read_only() as s:
        rows = s.execute(
            select(Resident.name, Case.id)
            .join(Resident, Resident.id == Case.applicant_id)
            .where(Case.hall_id == hall_id)
        ).all()
    names = {name: case_id for name, case_id in rows}
    return BusyDay(hall_id, serving, names)


def applicant_id(db: Database, name: str) -> str:
    """The ID number of the demo applicant ``name``."""
    with db.read_only() as s:
        return str(s.scalars(select(Resident.id_number).where(Resident.name == name)).one())
