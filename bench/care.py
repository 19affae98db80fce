"""一人一档 care on a city-sized register: the worker's due list and the month's report.

    .venv/bin/python bench/care.py [--profiles 50000] [--visits 2000000] [--rounds 20]

A PostgreSQL database is created on the server in ONEWINDOW_TEST_PG (dropped at the end),
the demo hall prepared, and filled in SQL with ``--profiles`` care profiles (10 % 高风险
weekly, 30 % 重点 monthly, 60 % 一般 quarterly home visits; 100 community workers, 200
grids) and ``--visits`` visits spread back from today at each plan's rhythm with some
late, plus 500 open 24-hour events. Seeding time is reported. Then, timed over
``--rounds`` calls each (median and p95):

* one worker's due list (``duelist.due_list``: ~500 people; overdue, today, 2 days);
* last month's report of the whole hall (``report.month_report``: 50,000 people, the
  month's visits and the year before it replayed per plan);

each against the bare SELECT of the same rows on the same engine (the limit measured in
the same run) and the issue's targets (≤ 100 ms, ≤ 2 s), printed as ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql
from sqlalchemy import select, text

from app.actor import Actor
from app.care import duelist, report
from app.db import clock
from app.db.models import Hall, User
from app.db.session import Database
from app.hall import setup
from app.roles import Role
from forms.loader import load_catalog

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
WORKERS, GRIDS = 100, 200
TARGETS_MS = {"due list": 100.0, "month report": 2000.0}


def _admin(statement: sql.Composable) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement)


def seed(db: Database, profiles: int, visits: int) -> tuple[int, date]:
    """Fill the demo hall; returns (its id, today)."""
    with db.read_only() as s:
        hall = s.scalars(select(Hall)).one()
        today = clock.service_day(s, hall)
    per_tier = {"high": 7, "key": 30, "general": 91}  # days between visits
    share = {"high": 0.1, "key": 0.3, "general": 0.6}
    # Visits per profile so that the total is about ``visits``: each tier's count scaled by
    # its rhythm (a weekly plan has 13× the visits of a quarterly one over the same years).
    weight = sum(share[t] / per_tier[t] for t in per_tier)
    span_days = visits / (profiles * weight)  # how far back the visits go
    with db.engine.begin() as c:
        c.execute(text("SET LOCAL statement_timeout = 0"))  # millions of rows: minutes
        c.execute(
            text(
                "INSERT INTO app_user (hall_id, username, full_name, password_hash, state,"
                " failed_logins, must_change_password, version)"
                " SELECT :h, 'cw' || g, '工作者' || g, 'x', 'active', 0, false, 1"
                " FROM generate_series(1, :n) g"
            ),
            {"h": hall.id, "n": WORKERS},
        )
        c.execute(
            text(
                "INSERT INTO user_role (user_id, role) SELECT id, 'care' FROM app_user"
                " WHERE username LIKE 'cw%'"
            )
        )
        c.execute(
            text(
                "INSERT INTO resident (id_number, name, name_initials, gender, birth_date, phone,"
                " address, tags, version)"
                " SELECT '9' || lpad(g::text, 17, '0'), '居民' || g, '', '女',"
                " date '1940-01-01' + (g % 9000), '139' || lpad(g::text, 8, '0'),"
                " '幸福路 ' || g || ' 号', '[]', 1 FROM generate_series(1, :n) g"
            ),
            {"n": profiles},
        )
        c.execute(
            text(
                "INSERT INTO care_profile (hall_id, resident_id, groups, tier, health, living,"
                " needs, contacts, grid, worker_id, consent_by, consent_on, state, state_note,"
                " created_at, version)"
                " SELECT :h, r.id, '[\"alone\"]',"
                " CASE WHEN r.id % 10 = 0 THEN 'high' WHEN r.id % 10 < 4 THEN 'key'"
                " ELSE 'general' END, '', '', '助餐', '[]', '网格' || (r.id % :grids),"
                " (SELECT min(id) FROM app_user WHERE username LIKE 'cw%') + r.id % :workers,"
                " '本人 ' || r.name, :today - 1500, 'active', '', now() - interval '5 years', 1"
                " FROM resident r WHERE r.id_number LIKE '9%'"
            ),
            {"h": hall.id, "grids": GRIDS, "workers": WORKERS, "today": today},
        )
        c.execute(
            text(
                "INSERT INTO care_plan (hall_id, profile_id, mode, rhythm, starts_on, next_due,"
                " state, closed_reason, version)"
                " SELECT hall_id, id, 'home', CASE tier WHEN 'high' THEN 'weekly'"
                " WHEN 'key' THEN 'monthly' ELSE 'quarterly' END, :today - 1500, :today, 'active',"
                " '', 1 FROM care_profile WHERE hall_id = :h"
            ),
            {"h": hall.id, "today": today},
        )
        # Visits back from a start 0–(gap+3) days ago (some plans late), one per gap.
        c.execute(
            text(
                "INSERT INTO care_visit (hall_id, profile_id, plan_id, mode, visited_at,"
                " visit_day, visitor_id, visitor_name, findings, actions, promised, state,"
                " cancel_reason, recorded_at, version)"
                " SELECT p.hall_id, p.profile_id, p.id, 'home', d::timestamp + interval '2 hours',"
                " d, f.worker_id, '工作者', '{}', '', '', 'done', '', d::timestamp, 1"
                " FROM care_plan p JOIN care_profile f ON f.id = p.profile_id,"
                " LATERAL (SELECT CASE p.rhythm WHEN 'weekly' THEN 7 WHEN 'monthly' THEN 30"
                " ELSE 91 END AS gap) g,"
                " LATERAL generate_series(0, (:span / g.gap)::int) k,"
                " LATERAL (SELECT (:today - (p.profile_id % (g.gap + 3)) - k * g.gap)::date AS d) v"
                " WHERE p.hall_id = :h"
            ),
            {"h": hall.id, "today": today, "span": span_days},
        )
        c.execute(
            text(
                "UPDATE care_plan p SET last_visit_on = v.last, next_due = v.last + CASE p.rhythm"
                " WHEN 'weekly' THEN 7 WHEN 'monthly' THEN 30 ELSE 91 END"
                " FROM (SELECT plan_id, max(visit_day) AS last FROM care_visit"
                " WHERE hall_id = :h GROUP BY plan_id) v WHERE v.plan_id = p.id"
            ),
            {"h": hall.id},
        )
        c.execute(
            text(
                "INSERT INTO care_event (hall_id, profile_id, kind, note, happened_at, due_at)"
                " SELECT hall_id, id, 'hospital', '', now() - interval '30 hours',"
                " now() - interval '6 hours' FROM care_profile WHERE hall_id = :h"
                " ORDER BY id LIMIT 500"
            ),
            {"h": hall.id},
        )
    with db.engine.connect() as c:
        c.execute(text("ANALYZE"))
        c.commit()
    return hall.id, today


def _times(call: Callable[[], object], rounds: int) -> list[float]:
    call()  # warm (caches, plans)
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return out


def _row(name: str, ours: list[float], bare: list[float]) -> None:
    o, b = statistics.median(ours) * 1000, statistics.median(bare) * 1000
    p95 = statistics.quantiles(ours, n=20)[18] * 1000 if len(ours) >= 2 else o
    target = TARGETS_MS[name]
    print(
        f"  {name:<13} ours {o:8.1f} ms (p95 {p95:8.1f})   bare SELECT {b:8.1f} ms   "
        f"bare/ours {b / o:5.2f}   target {target:6.0f} ms: {o / target:5.2f} of it "
        f"({'met' if o <= target else 'NOT met'})"
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--profiles", type=int, default=50_000)
    p.add_argument("--visits", type=int, default=2_000_000)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--profile", action="store_true", help="profile one month's report")
    args = p.parse_args()
    name = f"carebench_{uuid.uuid4().hex[:8]}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    try:
        setup.prepare(db, load_catalog(), setup.DEMO_HALL[0], setup.DEMO_HALL[1], demo=True)
        t0 = time.perf_counter()
        hall_id, today = seed(db, args.profiles, args.visits)
        with db.read_only() as s:
            counts = {
                t: s.scalar(text(f"SELECT count(*) FROM {t}"))
                for t in ("care_profile", "care_plan", "care_visit", "care_event")
            }
            worker = s.scalars(select(User).where(User.username == "cw7")).one()
            mine = s.scalar(
                text("SELECT count(*) FROM care_profile WHERE worker_id = :w"), {"w": worker.id}
            )
        print(
            f"PostgreSQL, seeded in {time.perf_counter() - t0:.0f} s: {counts}; worker cw7 has {mine} people"
        )
        cw = Actor(worker.id, "cw7", "工作者7", hall_id, roles=frozenset({Role.CARE}))
        boss = Actor(None, "supervisor", "刘敏", hall_id, roles=frozenset({Role.SUPERVISOR}))
        due = _times(lambda: duelist.due_list(db, cw), args.rounds)
        rows = len(duelist.due_list(db, cw).rows)
        bare_due = (
            "SELECT p.*, f.*, r.* FROM care_plan p JOIN care_profile f ON f.id = p.profile_id"
            " JOIN resident r ON r.id = f.resident_id WHERE p.hall_id = :h AND p.state = 'active'"
            " AND p.next_due <= :until AND f.worker_id = :w AND f.state = 'active'"
        )

        def bare_due_list() -> object:
            with db.read_only() as s:
                return s.execute(
                    text(bare_due),
                    {"h": hall_id, "until": today + timedelta(days=2), "w": worker.id},
                ).all()

        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
        last = today.replace(day=1) - timedelta(days=1)

        def bare_report() -> object:
            """The rows the report reads, as bare SELECTs: profiles, plans with each one's
            last visit before the month, the month's visits, the events."""
            with db.read_only() as s:
                a = s.execute(
                    text(
                        "SELECT id, resident_id, tier, groups, grid, worker_id FROM care_profile"
                        " WHERE hall_id = :h"
                    ),
                    {"h": hall_id},
                ).all()
                b = s.execute(
                    text(
                        "SELECT p.id, p.profile_id, p.rhythm, p.every_days, p.starts_on, p.closed_on,"
                        " (SELECT max(visit_day) FROM care_visit v WHERE v.plan_id = p.id"
                        " AND v.state = 'done' AND v.visit_day < :a) FROM care_plan p WHERE p.hall_id = :h"
                    ),
                    {"h": hall_id, "a": first},
                ).all()
                c = s.execute(
                    text(
                        "SELECT profile_id, plan_id, mode, visit_day FROM care_visit WHERE hall_id = :h"
                        " AND state = 'done' AND visit_day BETWEEN :a AND :b"
                    ),
                    {"h": hall_id, "a": first, "b": last},
                ).all()
                d = s.execute(
                    text("SELECT * FROM care_event WHERE hall_id = :h"), {"h": hall_id}
                ).all()
                return len(a) + len(b) + len(c) + len(d)

        print(f"  due list: {rows} rows; month report of {first:%Y-%m} for the whole hall")
        _row("due list", due, _times(bare_due_list, args.rounds))
        rep = _times(lambda: report.month_report(db, boss, first), max(3, args.rounds // 4))
        _row("month report", rep, _times(bare_report, max(3, args.rounds // 4)))
        if args.profile:  # where a report's time goes (SQL waits show as psycopg's execute)
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(report.month_report, db, boss, first)
            pstats.Stats(prof).sort_stats("tottime").print_stats(12)
    finally:
        db.dispose()
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
