"""Numbers as the services issue them follow app.numbers, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from app import numbers
from app.cases import inbox
from app.db.models import CaseCounter, TicketCounter
from app.db.session import Database
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing
from app.queue.queueing import issue_ticket
from forms.loader import load_catalog
from tests.helpers.catalog_copies import catalog_copy, rename_department
from tests.helpers.dibao import accept_dibao, applicant


def test_the_10000th_case_and_a_three_letter_department(db: Database, tmp_path: Path) -> None:
    first = accept_dibao(db)
    assert first.case_no is not None and first.case_no.startswith("DEMO-MZ")
    with db.unit_of_work() as s:
        s.execute(update(CaseCounter).where(CaseCounter.prefix == "DEMO-MZ").values(n=9999))
        s.commit()
    tenth_thousand = accept_dibao(db, applicant(db, "周大海", seq=81))
    assert tenth_thousand.case_no == first.case_no[:-4] + "10000"
    assert numbers.is_case_no(tenth_thousand.case_no)
    # The approver's inbox finds it by the scanned number.
    approver = users.login(db, "approver", DEMO_PASSWORD)
    page = inbox.inbox(db, approver, query=tenth_thousand.case_no)
    assert [r.case_no for r in page.rows] == [tenth_thousand.case_no]
    # A department coded GAJ issues GAJ… numbers the same way.
    folder = catalog_copy(tmp_path / "catalog")
    rename_department(folder, "MZ", "GAJ")
    setup.sync_catalog(db, load_catalog(folder), "DEMO")
    gaj = accept_dibao(db, applicant(db, "吴小梅", seq=82))
    assert gaj.case_no is not None and gaj.case_no.startswith("DEMO-GAJ")
    assert gaj.case_no.endswith("-0001") and numbers.is_case_no(gaj.case_no)


def test_ticket_codes_past_999_are_made_as_app_numbers_says(db: Database) -> None:
    kiosk = queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id)
    issue_ticket(db, kiosk, "A")
    with db.unit_of_work() as s:
        s.execute(update(TicketCounter).values(n=998))
        s.commit()
    codes = [issue_ticket(db, kiosk, "A").code for _ in range(2)]
    assert codes == [numbers.ticket_code("A", 999), numbers.ticket_code("A", 1000)]
    assert all(numbers.is_ticket_code(c) for c in codes)


@pytest.mark.direct_pg  # holds a connection's locks and reads pg_locks
def test_halls_count_their_own_case_numbers(db: Database) -> None:
    from datetime import date

    from sqlalchemy import text

    from app.cases import intake_rows
    from app.db.models import Hall

    day = date(2026, 11, 30)
    with db.unit_of_work() as s:
        demo = s.get(Hall, queueing.hall_by_code(db, "DEMO").id)
        other = setup.ensure_hall(s, "JX01", "经开区便民服务中心")
        odd = setup.ensure_hall(s, "大厅三", "第三大厅")  # a code no case number can carry
        assert demo is not None
        made = [intake_rows.case_no(s.connection(), h, "MZ", day) for h in (demo, other, demo, odd)]
        s.commit()
    assert made == [
        "DEMO-MZ20261130-0001",
        "JX01-MZ20261130-0001",
        "DEMO-MZ20261130-0002",
        f"H{odd.id}-MZ20261130-0001",
    ]
    assert all(numbers.is_case_no(n) for n in made)
    if db.engine.dialect.name != "postgresql":
        return  # SQLite: one writer for the whole file, nothing to wait on per hall
    held = db.engine.connect()
    tx = held.begin()
    hall_a = held.execute(text("SELECT * FROM hall WHERE code = 'DEMO'")).one()
    intake_rows.case_no(held, hall_a, "MZ", day)  # DEMO-MZ's counter row locked
    try:
        with db.engine.connect() as conn, conn.begin():
            conn.execute(text("SET LOCAL lock_timeout = '1s'"))
            hall_b = conn.execute(text("SELECT * FROM hall WHERE code = 'JX01'")).one()
            assert intake_rows.case_no(conn, hall_b, "MZ", day) == "JX01-MZ20261130-0002"
    finally:
        tx.rollback()
        held.close()
