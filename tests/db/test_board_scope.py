"""The hall board reads its own hall's rows only: a city database's other halls cost it
nothing (issue 17: 4,572 rows in a city against 138 in a lone hall)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from app.db.models import QueueCategory, User, Window, WindowCategory
from app.db.session import Database
from app.hall import setup
from app.queue import queueing, windows


@contextmanager
def _rows_read(db: Database) -> Iterator[list[int]]:
    counted: list[int] = []

    def after(conn: Any, cursor: Any, statement: str, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            counted.append(max(0, cursor.rowcount))

    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield counted
    finally:
        event.remove(db.engine, "after_cursor_execute", after)


# psycopg reports the rows a SELECT returned; sqlite3 does not (and SQLite is one hall).
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_board_reads_the_same_rows_with_another_busy_hall_beside_it(db: Database) -> None:
    demo = queueing.hall_by_code(db, "DEMO").id
    with _rows_read(db) as alone:
        windows.board(db, demo)
    with db.unit_of_work() as s:
        other = setup.ensure_hall(s, "JX01", "经开区便民服务中心")
        cat = QueueCategory(hall_id=other.id, letter="A", name="综合受理")
        s.add(cat)
        s.add_all(
            User(hall_id=other.id, username=f"jx{n}", full_name=f"职员{n}", password_hash="x")
            for n in range(200)
        )
        s.flush()
        for n in range(1, 41):
            w = Window(hall_id=other.id, number=n, name=f"{n} 号窗口")
            s.add(w)
            s.flush()
            s.add(WindowCategory(window_id=w.id, category_id=cat.id, priority=1))
        s.commit()
    with _rows_read(db) as beside:
        windows.board(db, demo)
    assert sum(beside) == sum(alone) > 0
