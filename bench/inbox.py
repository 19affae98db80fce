"""The back office on a big database: inbox, lookups and the supervisor's overdue view.

    .venv/bin/python bench/inbox.py [--cases 1000000] [--rounds 30] [--sqlite-only]

For each backend (SQLite in a temp folder; PostgreSQL in a database created for the run)
the demo hall is prepared and filled, in SQL, with ``--cases`` cases (default 1,000,000)
of 200,000 residents over four years: 97 % delivered, 3 % open (审批中, 已受理, 补正中,
公示中) with due dates from five working days late to twenty days ahead; every case has
its decided 初审 task and every open case under review a live task at one of four
departments. Seeding time is reported. Then, each timed over ``--rounds`` calls:

* an approver's first inbox page (``inbox.inbox``: 街道 + 民政, 50 rows, urgency computed);
* search by case number (``inbox.inbox`` with a scanned number) and the whole case file
  (``casefile.find``: form, materials, tasks, history);
* search by the applicant's ID number (``inbox.inbox``);
* the supervisor's overdue view (``oversight.overview`` + the first page of
  ``oversight.deadlines``, what the 办件监控 tab loads).

Each is set against the bare indexed SELECT of the same rows on the same connection pool
(the limit measured in the same run) and against the issue's target (PostgreSQL: inbox
page ≤ 50 ms, case lookup ≤ 5 ms, overdue view ≤ 300 ms). The query plans of the
statements our services send are printed (PostgreSQL ``EXPLAIN ANALYZE``; SQLite
``EXPLAIN QUERY PLAN``). The audit trail is not filled (the case file reads it by an
index on the case), so the history part of the case file is the empty-history cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select, text

from app.cases import casefile, inbox, oversight
from app.db import clock
from app.db.models import Department, Hall, ServiceType, ServiceVersion
from app.db.session import Database
from app.hall import setup
from app.roles import Role
from forms.loader import load_catalog
from tests.helpers.people import actor

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
RESIDENTS = 200_000
TARGETS_MS = {"inbox": 50.0, "case_no": 5.0, "id": 5.0, "overdue": 300.0}

# Per-dialect pieces of the seeding SQL: a number series and date arithmetic.
SERIES = {
    "postgresql": "SELECT g FROM generate_series(1, :n) AS g",
    "sqlite": "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n) "
    "SELECT g FROM s",
}


def _date(dialect: str, base: str, days: str) -> str:
    if dialect == "postgresql":
        return f"(CAST(:{base} AS date) + ({days}))"
    return f"date(:{base}, ({days}) || ' days')"


def _pad(dialect: str, expr: str, width: int) -> str:
    if dialect == "postgresql":
        return f"lpad(CAST({expr} AS text), {width}, '0')"
    return f"printf('%0{width}d', {expr})"


def seed(db: Database, n: int) -> dict[str, Any]:
    """Fill the demo hall with ``n`` cases; returns what the timings need."""
    d = db.engine.dialect.name
    with db.read_only() as s:
        hall = s.scalar(select(Hall).where(Hall.code == "DEMO"))
        assert hall is not None
        today = clock.service_day(s, hall)
        version = s.scalar(
            select(ServiceVersion.id)
            .join(ServiceType, ServiceType.id == ServiceVersion.service_type_id)
            .where(ServiceType.code == "MZ001")
            .order_by(ServiceVersion.version.desc())
        )
        depts = {c: i for c, i in s.execute(select(Department.code, Department.id)).all()}
        hall_id = hall.id
    params = {
        "n": n,
        "r": RESIDENTS,
        "hall": hall_id,
        "sv": version,
        "today": today.isoformat(),
        "born": "1950-01-01",
        "jd": depts["JD"],
        "mz": depts["MZ"],
        "cl": depts["CL"],
        "rs": depts["RS"],
    }
    series = SERIES[d].replace(":n", ":r")
    residents = (
        "INSERT INTO resident (id_number, name, name_initials, gender, birth_date, phone, "
        "address, tags, created_at, version) "
        f"SELECT '110105' || {_pad(d, 'g', 11)} || 'X', '居民' || g, '', '女', "
        f"{_date(d, 'born', 'g % 20000')}, '', '', '[]', CURRENT_TIMESTAMP, 1 FROM ({series}) q"
    )
    open_ = "(g % 100) < 3"
    sub = "((g / 100) % 5)"
    state = (
        f"CASE WHEN {open_} THEN (CASE {sub} WHEN 0 THEN 'in_review' WHEN 1 THEN 'in_review' "
        "WHEN 2 THEN 'accepted' WHEN 3 THEN 'awaiting_supplement' ELSE 'publicizing' END) "
        "ELSE 'delivered' END"
    )
    accepted_days = f"CASE WHEN {open_} THEN -((g / 7) % 25) ELSE -((:n - g) * 1461 / :n) - 30 END"
    cases = (
        "INSERT INTO service_case (case_no, hall_id, service_version_id, applicant_id, "
        "form_data, state, current_step, due_date, suspended_days, notice_items, accepted_at, "
        "step_index, supplement_items, created_at, version) "
        f"SELECT 'MZ' || {_pad(d, 'g / 10000', 8)} || '-' || {_pad(d, 'g % 10000', 4)}, "
        f":hall, :sv, 1 + (g % :r), '{{}}', {state}, 'review', "
        f"{_date(d, 'today', accepted_days + ' + 20')}, 0, '[]', CURRENT_TIMESTAMP, "
        f"0, '[]', CURRENT_TIMESTAMP, 1 FROM ({SERIES[d]}) q"
    )
    decided = (
        "INSERT INTO task (case_id, hall_id, step_key, step_index, department_id, state, opinion, "
        "note, due_date, created_at, decided_at, version) "
        "SELECT id, hall_id, 'review', 0, :jd, 'approved', '同意', '', due_date, CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP, 1 FROM service_case WHERE state = 'delivered'"
    )
    live = (
        "INSERT INTO task (case_id, hall_id, step_key, step_index, department_id, state, opinion, "
        "note, due_date, created_at, version) "
        "SELECT id, hall_id, 'review', 0, CASE id % 4 WHEN 0 THEN :jd WHEN 1 THEN :mz WHEN 2 THEN :cl "
        "ELSE :rs END, 'open', '', '', due_date, CURRENT_TIMESTAMP, 1 "
        "FROM service_case WHERE state IN ('in_review', 'accepted')"
    )
    timings = {}
    with db.engine.begin() as conn:
        if d == "postgresql":  # the program's statement timeout is for people, not for this
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        for name, sql in (
            ("residents", residents),
            ("cases", cases),
            ("decided tasks", decided),
            ("live tasks", live),
        ):
            t0 = time.perf_counter()
            conn.execute(text(sql), params)
            timings[name] = time.perf_counter() - t0
        conn.execute(
            text(
                f"UPDATE service_case SET publicity_until = {_date(d, 'today', '3')} "
                "WHERE state = 'publicizing'"
            ),
            params,
        )
    t0 = time.perf_counter()
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if d == "postgresql":
            conn.exec_driver_sql("SET statement_timeout = 0")
        conn.exec_driver_sql("ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    print("  seeding: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"  total seeding {sum(timings.values()):.1f} s for {n:,} cases")
    with db.read_only() as s:
        row = s.execute(
            text(
                "SELECT c.case_no, r.id_number FROM service_case c "
                "JOIN resident r ON r.id = c.applicant_id JOIN task t ON t.case_id = c.id "
                "WHERE t.state = 'open' AND t.department_id = :jd ORDER BY c.id DESC LIMIT 1"
            ),
            params,
        ).one()
    return {**params, "case_no": row[0], "id_number": row[1]}


def _times(call: Callable[[], object], rounds: int) -> list[float]:
    for _ in range(3):
        call()
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return out


def _ms(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=20)
    return statistics.median(values) * 1000, q[18] * 1000


@contextmanager
def captured(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and parameters) sent while the block runs."""
    seen: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)


def plan(db: Database, statement: str, parameters: Any) -> str:
    """The plan of one statement as our service sent it."""
    prefix = "EXPLAIN ANALYZE " if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    if db.engine.dialect.name == "postgresql":
        return "\n".join("      " + r[0] for r in rows)
    return "\n".join(f"      {r[-1]}" for r in rows)


def bench_backend(url: str, label: str, n: int, rounds: int) -> None:
    print(f"\n== {label}")
    db = Database(url)
    setup.prepare(db, load_catalog(), "DEMO", setup.DEMO_HALL[1], demo=True)
    p = seed(db, n)
    approver = actor(db, "approver", Role.APPROVER)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    first = inbox.inbox(db, approver)
    assert len(first.rows) == inbox.PAGE_SIZE and first.more
    assert [r.case_no for r in inbox.inbox(db, approver, query=p["case_no"]).rows]
    assert inbox.inbox(db, approver, query=p["id_number"]).rows
    assert oversight.deadlines(db, boss).rows

    def bare(sql: str) -> Callable[[], object]:
        def run() -> object:
            with db.engine.connect() as conn:
                return conn.execute(text(sql), p).all()

        return run

    def overdue_view() -> object:
        return oversight.overview(db, boss), oversight.deadlines(db, boss)

    open_states = "('accepted', 'in_review', 'awaiting_supplement', 'publicizing')"
    checks: list[tuple[str, str, Callable[[], object], Callable[[], object]]] = [
        (
            "inbox",
            "approver's first inbox page (50 rows)",
            lambda: inbox.inbox(db, approver),
            bare(
                "SELECT t.id, t.due_date FROM task t "
                "WHERE t.department_id IN (:jd, :mz) AND t.state IN ('open', 'claimed') "
                "AND t.hall_id = :hall ORDER BY t.due_date, t.id LIMIT 51"
            ),
        ),
        (
            "case_no",
            "search by case number (inbox)",
            lambda: inbox.inbox(db, approver, query=p["case_no"]),
            bare("SELECT id FROM service_case WHERE case_no = :case_no"),
        ),
        (
            "case_file",
            "whole case file by number (casefile.find)",
            lambda: casefile.find(db, approver, p["case_no"]),
            bare("SELECT id FROM service_case WHERE case_no = :case_no"),
        ),
        (
            "id",
            "search by applicant ID number (inbox)",
            lambda: inbox.inbox(db, approver, query=p["id_number"]),
            bare(
                "SELECT c.id FROM resident r JOIN service_case c ON c.applicant_id = r.id "
                "WHERE r.id_number = :id_number"
            ),
        ),
        (
            "overdue",
            "supervisor's overdue view (counts + page)",
            overdue_view,
            bare(
                "SELECT id, due_date FROM service_case WHERE hall_id = :hall AND state IN "
                f"{open_states} AND due_date < :today ORDER BY due_date, id LIMIT 51"
            ),
        ),
    ]
    print(
        f"  {'':<44}{'ours':>9}{'p95':>9}{'bare':>9}{'ours/bare':>11}{'target':>9}{'ours/target':>13}"
    )
    for key, name, ours, base in checks:
        o_med, o_p95 = _ms(_times(ours, rounds))
        b_med, _ = _ms(_times(base, rounds))
        target = TARGETS_MS.get(key if key != "case_file" else "case_no")
        print(
            f"  {name:<44}{o_med:7.2f}ms{o_p95:7.2f}ms{b_med:7.2f}ms{o_med / b_med:11.1f}"
            f"{target:7.0f}ms{o_med / target:13.2f}"
        )
    print("  plans of the statements our services send:")
    for name, call, marker in (
        ("inbox page", lambda: inbox.inbox(db, approver), "FROM task"),
        ("search by ID", lambda: inbox.inbox(db, approver, query=p["id_number"]), "FROM task"),
        ("overdue page", lambda: oversight.deadlines(db, boss), "FROM service_case"),
        ("load per department", lambda: oversight.overview(db, boss), "GROUP BY department"),
    ):
        with captured(db) as seen:
            call()
        statement, parameters = next((s, q) for s, q in seen if marker in s)
        print(f"    {name}:")
        print(plan(db, statement, parameters))
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--sqlite-only", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onewindow-bench-"))
    try:
        url = f"sqlite:///{(tmp / 'inbox.sqlite3').as_posix()}"
        bench_backend(url, "SQLite (WAL, synchronous=FULL)", args.cases, args.rounds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.sqlite_only:
        return
    import psycopg

    name = f"ow_inbox_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        bench_backend(
            PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", args.cases, args.rounds
        )
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
