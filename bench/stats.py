"""Statistics (统计) on a year of a 40-counter hall, on both backends.

    .venv/bin/python bench/stats.py [--scale 1.0] [--rounds 5] [--sqlite-only]

For each backend (SQLite in a temp folder; PostgreSQL in a database created for the run)
the demo hall is prepared and filled in bulk SQL (not through the services) with one year
(2025) of a 40-counter hall: ≈ 500,000 tickets (2 % no-shows, 1 % transferred), 150,000
cases of ten services with one decided task each, their 签收 and a share of 一次性告知 /
不予受理 in the audit trail, and 400,000 ratings with their 整改 (``--scale 0.1`` for a
tenth). Seeding time is reported. Then each statistics call of :mod:`app.stats` is timed
for December and for the whole year (median of ``--rounds``) against a bare aggregate
SELECT of the same rows in the same run (``count(*)`` and one ``max`` over the table the
call reads, same filter), and against the target (PostgreSQL: a month ≤ 300 ms, a year
≤ 2 s; SQLite is shown against the same numbers for comparison).

Last, the 统计 workspace's Excel export of December (:func:`app.reports.bundle.load`, the
whole read of the workspace, then :func:`app.reports.excel.write_workbook` of every table)
against the target of a month's export ≤ 5 s, and against the bare SELECTs above summed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text

from app.db.models import Hall, QueueCategory, ServiceType, ServiceVersion, User
from app.db.session import Database
from app.hall import setup
from app.reports import bundle, excel
from app.reports.tables import all_tables
from app.roles import Role
from app.stats import cases, clerks, departments, queue, satisfaction
from forms.loader import load_catalog
from tests.helpers.people import actor

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH = (date(2025, 12, 1), date(2025, 12, 31))
LIMIT_MS = {"month": 300.0, "year": 2000.0, "export": 5000.0}
WINDOWS = 40

SERIES = {
    "postgresql": "SELECT CAST(g AS bigint) AS g FROM generate_series(1, :n) AS g",
    "sqlite": "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n) "
    "SELECT g FROM s",
}


def _at(d: str, days: str, secs: str) -> str:
    """A naive-UTC timestamp: 2025-01-01 00:00 UTC + ``days`` days + ``secs`` seconds."""
    if d == "postgresql":
        return f"(TIMESTAMP '2025-01-01 00:00:00' + make_interval(days => CAST({days} AS int), secs => {secs}))"
    return f"datetime('2025-01-01 00:00:00', ({days}) || ' days', ({secs}) || ' seconds')"


def _day(d: str, days: str) -> str:
    if d == "postgresql":
        return f"(DATE '2025-01-01' + CAST({days} AS int))"
    return f"date('2025-01-01', ({days}) || ' days')"


def _json(d: str, key: str, value: str) -> str:
    return (
        f"jsonb_build_object('{key}', {value})"
        if d == "postgresql"
        else f"json_object('{key}', {value})"
    )


def seed(db: Database, scale: float) -> dict[str, Any]:
    """Fill the demo hall with a year; returns the hall id."""
    d = db.engine.dialect.name
    with db.unit_of_work() as s:
        hall = s.scalars(select(Hall).where(Hall.code == "DEMO")).one()
        cats = list(s.scalars(select(QueueCategory.id).where(QueueCategory.hall_id == hall.id)))
        users = list(s.scalars(select(User.id).order_by(User.id)))
        svs = s.execute(
            select(ServiceVersion.id, ServiceType.id, ServiceType.department_id)
            .join(ServiceType, ServiceType.id == ServiceVersion.service_type_id)
            .where(ServiceType.kind == "promised")
            .order_by(ServiceType.code)
        ).all()[:10]
        hall_id = hall.id
        s.commit()
    n_t, n_c, n_r = int(500_000 * scale), int(150_000 * scale), int(400_000 * scale)
    cat_case = " ".join(f"WHEN {i} THEN {c}" for i, c in enumerate(cats))
    user_case = " ".join(f"WHEN {i} THEN {u}" for i, u in enumerate(users))
    sv_case = " ".join(f"WHEN {i} THEN {v[0]}" for i, v in enumerate(svs))
    st_case = " ".join(f"WHEN {i} THEN {v[1]}" for i, v in enumerate(svs))
    dep_case = " ".join(f"WHEN {i} THEN {v[2]}" for i, v in enumerate(svs))
    day = "(g % 365)"
    # 09:00–17:00 local (01:00–09:00 UTC): issued, waited 0–60 min, served 2–22 min.
    issued = "(3600 + (g * 7919) % 28800)"
    wait = "((g * 31) % 3600)"
    serve = "(120 + (g * 17) % 1200)"
    state = "CASE WHEN g % 50 = 0 THEN 'no_show' WHEN g % 97 = 0 THEN 'transferred' ELSE 'done' END"
    finished = (
        f"CASE WHEN g % 50 = 0 THEN NULL ELSE {_at(d, day, f'{issued} + {wait} + {serve}')} END"
    )
    win = f"(SELECT id FROM service_window WHERE hall_id = :hall AND number = 1 + g % {WINDOWS})"
    windows = (
        "INSERT INTO service_window (hall_id, number, name, state) "
        f"SELECT :hall, g, g || ' 号窗口', 'closed' FROM ({SERIES[d]}) q "
        "WHERE NOT EXISTS (SELECT 1 FROM service_window w WHERE w.hall_id = :hall AND w.number = g)"
    )
    tickets = (
        "INSERT INTO ticket (hall_id, service_day, category_id, number, code, state, window_id, "
        "issued_at, queued_at, called_at, started_at, finished_at, recall_count, version, "
        "served_by_id) "
        f"SELECT :hall, {_day(d, day)}, CASE g % {len(cats)} {cat_case} END, g, 'A' || (g % 1000), "
        f"{state}, {win}, {_at(d, day, issued)}, {_at(d, day, issued)}, "
        f"{_at(d, day, f'{issued} + {wait}')}, {_at(d, day, f'{issued} + {wait} + 30')}, "
        f"{finished}, 0, 1, CASE g % {len(users)} {user_case} END FROM ({SERIES[d]}) q"
    )
    accepted = f"{_at(d, day, issued)}"
    decided = _at(d, f"{day} + 3 + g % 12", issued)
    cases_sql = (
        "INSERT INTO service_case (case_no, hall_id, service_version_id, applicant_id, form_data, "
        "state, due_date, suspended_days, notice_items, deferred_until, accepted_at, step_index, "
        "supplement_items, decided_at, delivered_at, created_at, version) "
        f"SELECT 'BENCH-' || g, :hall, CASE g % {len(svs)} {sv_case} END, :resident, '{{}}', "
        f"'delivered', {_day(d, f'{day} + 14')}, 0, '[]', "
        f"CASE WHEN g % 10 = 0 THEN {_day(d, f'{day} + 7')} ELSE NULL END, {accepted}, 0, '[]', "
        f"{decided}, {_at(d, f'{day} + 5 + g % 12', issued)}, {accepted}, 1 FROM ({SERIES[d]}) q"
    )
    tasks = (
        "INSERT INTO task (case_id, hall_id, step_key, step_index, department_id, state, opinion, "
        "note, due_date, created_at, decided_at, version) "
        "SELECT c.id, c.hall_id, 'review', 0, st.department_id, "
        "CASE WHEN c.id % 20 = 0 THEN 'returned' ELSE 'approved' END, '', '', c.due_date, "
        "c.accepted_at, c.decided_at, 1 FROM service_case c "
        "JOIN service_version sv ON sv.id = c.service_version_id "
        "JOIN service_type st ON st.id = sv.service_type_id WHERE c.hall_id = :hall"
    )
    # The seeded events go to a chain of their own ("bench": their hashes are not real), so
    # the hall's chain stays whole and people can still log in to a seeded database.
    seq0 = "(SELECT COALESCE(MAX(seq), 0) FROM audit_event WHERE chain = 'bench')"
    claims = (
        "INSERT INTO audit_event (chain, seq, at, hall_id, actor_name, action, entity, entity_id, "
        "after, note, prev_hash, hash) "
        f"SELECT 'bench', {seq0} + t.id, t.created_at, t.hall_id, 'bench', 'task_claimed', 'case', "
        f"CAST(t.case_id AS VARCHAR(40)), {_json(d, 'task', 't.id')}, '', '', '' FROM task t "
        "WHERE t.hall_id = :hall"
    )
    events = (
        "INSERT INTO audit_event (chain, seq, at, hall_id, actor_name, action, entity, entity_id, "
        "note, prev_hash, hash) "
        f"SELECT 'bench', {seq0} + c.id + 1000000000, c.accepted_at, c.hall_id, 'bench', "
        "CASE WHEN c.id % 50 = 0 THEN 'case_refused' ELSE 'case_notice_issued' END, 'case', "
        "CAST(c.id AS VARCHAR(40)), '', '', '' FROM service_case c "
        "WHERE c.hall_id = :hall AND c.id % 5 = 0"
    )
    level = "CASE WHEN g % 25 = 0 THEN 1 WHEN g % 20 = 0 THEN 2 WHEN g % 7 = 0 THEN 3 WHEN g % 2 = 0 THEN 4 ELSE 5 END"
    ratings = (
        "INSERT INTO rating (hall_id, subject_key, stage, level, reasons, note, channel, window_id, "
        "clerk_id, service_type_id, department_id, rated_at, service_day) "
        f"SELECT :hall, 'B:' || g, 'service', {level}, '[]', '', 'rating_screen', {win}, "
        f"CASE g % {len(users)} {user_case} END, CASE g % {len(svs)} {st_case} END, "
        f"CASE g % {len(svs)} {dep_case} END, {_at(d, day, issued)}, {_day(d, day)} "
        f"FROM ({SERIES[d]}) q"
    )
    fixes = (
        "INSERT INTO rectification (hall_id, rating_id, state, opened_at, due_date, "
        "callback_result, measures, appeal_reason, version) "
        "SELECT hall_id, id, CASE WHEN id % 3 = 0 THEN 'open' ELSE 'closed' END, rated_at, "
        "service_day, '', '', '', 1 FROM rating WHERE hall_id = :hall AND level <= 2"
    )
    resident = (
        "INSERT INTO resident (id_number, name, name_initials, gender, birth_date, phone, address, "
        "tags, created_at, version) VALUES ('11010519700101999X', '统计', '', '男', "
        "DATE '1970-01-01', '', '', '[]', CURRENT_TIMESTAMP, 1)"
    ).replace("DATE '1970-01-01'", "'1970-01-01'" if d == "sqlite" else "DATE '1970-01-01'")
    timings: dict[str, float] = {}
    with db.engine.begin() as conn:
        if d == "postgresql":
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        conn.execute(text(resident))
        rid = conn.execute(text("SELECT max(id) FROM resident")).scalar()
        p = {"hall": hall_id, "resident": rid}
        for name, sql, n in (
            ("windows", windows, WINDOWS),
            ("tickets", tickets, n_t),
            ("cases", cases_sql, n_c),
            ("tasks", tasks, 0),
            ("claims", claims, 0),
            ("notices/refusals", events, 0),
            ("ratings", ratings, n_r),
            ("rectifications", fixes, 0),
        ):
            t0 = time.perf_counter()
            conn.execute(text(sql), {**p, "n": n})
            timings[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if d == "postgresql":
            conn.exec_driver_sql("SET statement_timeout = 0")
        conn.exec_driver_sql("ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    print("  seeding: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"  {n_t:,} tickets, {n_c:,} cases, {n_r:,} ratings in {sum(timings.values()):.1f} s")
    return {"hall": hall_id}


def _median_ms(call: Callable[[], object], rounds: int) -> float:
    call()  # warm
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return statistics.median(out) * 1000


def bench_backend(url: str, label: str, scale: float, rounds: int) -> None:
    print(f"\n== {label}")
    db = Database(url)
    setup.prepare(db, load_catalog(), "DEMO", setup.DEMO_HALL[1], demo=True)
    hall = seed(db, scale)["hall"]
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    calls: list[tuple[str, Callable[[date, date], object], str]] = [
        (
            "queue",
            lambda a, b: queue.queue_stats(db, boss, hall, a, b),
            "SELECT count(*), max(called_at) FROM ticket WHERE hall_id = :hall "
            "AND service_day BETWEEN :a AND :b",
        ),
        (
            "clerks",
            lambda a, b: clerks.clerk_stats(db, boss, hall, a, b),
            "SELECT count(*), max(finished_at) FROM ticket WHERE hall_id = :hall "
            "AND service_day BETWEEN :a AND :b",
        ),
        (
            "cases",
            lambda a, b: cases.case_stats(db, boss, hall, a, b),
            "SELECT count(*), max(decided_at) FROM service_case WHERE hall_id = :hall "
            "AND accepted_at >= :s AND accepted_at < :e",
        ),
        (
            "satisfaction",
            lambda a, b: satisfaction.satisfaction(db, boss, hall, a, b),
            "SELECT count(*), max(level) FROM rating WHERE hall_id = :hall "
            "AND rated_at >= :s AND rated_at < :e",
        ),
        (
            "departments",
            lambda a, b: departments.department_scores(db, boss, hall, a, b),
            "SELECT count(*), max(decided_at) FROM task WHERE hall_id = :hall "
            "AND decided_at >= :s AND decided_at < :e",
        ),
    ]
    bare_month = 0.0
    print(
        f"  {'call':<14}{'range':<7}{'ours':>10}{'bare':>10}{'ours/bare':>11}{'limit':>9}{'ours/limit':>12}"
    )
    for name, call, bare_sql in calls:
        for span, (a, b) in (("month", MONTH), ("year", YEAR)):
            params = {"hall": hall, "a": a, "b": b, "s": f"{a} 00:00:00", "e": f"{b} 23:59:59"}

            def bare(sql: str = bare_sql, params: dict[str, Any] = params) -> object:
                with db.engine.connect() as conn:
                    return conn.execute(text(sql), params).all()

            ours = _median_ms(lambda c=call, a=a, b=b: c(a, b), rounds)
            base = _median_ms(bare, rounds)
            bare_month += base if span == "month" else 0.0
            limit = LIMIT_MS[span]
            print(
                f"  {name:<14}{span:<7}{ours:8.1f}ms{base:8.1f}ms{ours / base:11.1f}"
                f"{limit:7.0f}ms{ours / limit:12.2f}"
            )
    with tempfile.TemporaryDirectory(prefix="onewindow-bench-xlsx-") as folder:
        target = Path(folder) / "month.xlsx"

        def export() -> object:
            return excel.write_workbook(all_tables(bundle.load(db, boss, hall, *MONTH)), target)

        ours = _median_ms(export, rounds)
        limit = LIMIT_MS["export"]
        size = target.stat().st_size // 1024
        print(
            f"  {'excel export':<14}{'month':<7}{ours:8.1f}ms{bare_month:8.1f}ms"
            f"{ours / bare_month:11.1f}{limit:7.0f}ms{ours / limit:12.2f}  ({size} KB)"
        )
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sqlite-only", action="store_true")
    ap.add_argument("--pg-only", action="store_true")
    args = ap.parse_args()
    if not args.pg_only:
        tmp = Path(tempfile.mkdtemp(prefix="onewindow-bench-"))
        try:
            url = f"sqlite:///{(tmp / 'stats.sqlite3').as_posix()}"
            bench_backend(url, "SQLite (WAL, synchronous=FULL)", args.scale, args.rounds)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.sqlite_only:
        return
    import psycopg

    name = f"stats_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        bench_backend(
            PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", args.scale, args.rounds
        )
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
