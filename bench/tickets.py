"""Ticket issuing under concurrency: our service against the bare counter upsert.

    .venv/bin/python bench/tickets.py [--clients 8] [--per-client 150] [--rounds 3]

PostgreSQL: the server in ONEWINDOW_TEST_PG (default postgres@127.0.0.1:5432); a database is
created for the run and dropped. SQLite: a file in a temp folder. On each backend, N worker
processes (warmed up first, not timed) run, in alternating rounds (median reported):
* ours: ``queueing.issue_ticket`` with a kiosk's press token (upsert + ticket row +
  NOTIFY + waiting-ahead count + audit event, one transaction each);
* bare: the same counter upsert alone, one statement per transaction, same engine;
* ticket only: the least a numbered ticket needs (upsert + ticket row), same engine;
* audited bare: the rows an audited ticket writes, as bare SQL in one transaction (counter
  upsert + ticket row + the chain head moved + the audit event, every worker on one shared
  chain as every kiosk of a hall is on the hall's), same engine — the measure
  of what our code costs over the writes themselves (target: ours/audited bare ≥ 0.6);
* SQLite: the upsert through the sqlite3 module alone; PostgreSQL: pgbench, if installed.
Between rounds the waiting tickets are served, so queues stay as long as one round makes
them. Prints tickets/s, p50/p99 latency, the ratios and checks for duplicates and gaps. On
PostgreSQL it also measures how long a call takes to reach a LISTEN-ing display.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from app.db.session import Database
from app.hall import setup
from app.queue import calling, queueing, windows
from bench.tickets_bare import audited_bare as _audited_bare
from bench.tickets_bare import bare_ticket as _bare_ticket
from bench.tickets_bare import db_of as _db
from forms.loader import load_catalog

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _ours(url: str, hall_id: int, count: int, letter: str) -> list[float]:
    db = _db(url)
    actor = queueing.kiosk_actor(hall_id)
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        queueing.issue_ticket(db, actor, letter, client_token=uuid.uuid4().hex)  # as the kiosk
        lat.append(time.perf_counter() - t0)
    return lat


_UPSERT = (
    "INSERT INTO bench_counter (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = bench_counter.n + 1 RETURNING n"
)


def _bare(url: str, count: int, _letter: str) -> list[float]:
    db = _db(url)
    stmt = text(_UPSERT)
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(stmt).scalar_one()
        lat.append(time.perf_counter() - t0)
    return lat


def _ticket_only(url: str, hall_id: int, count: int, letter: str) -> list[float]:
    """The least a numbered ticket needs: the counter upsert and the ticket row, one
    transaction, same engine; no audit event, NOTIFY or estimate (on 1 January 2000)."""
    db = _db(url)
    with db.read_only() as session:
        category_id = queueing.queue_category(session, hall_id, letter).id
    day = date(2000, 1, 1)
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            _bare_ticket(conn, hall_id, day, category_id, letter)
        lat.append(time.perf_counter() - t0)
    return lat


def _bare_sqlite3(path: str, count: int, _letter: str) -> list[float]:
    """The same upsert through the sqlite3 module alone, with the engine's pragmas."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_UPSERT).fetchone()
        conn.execute("COMMIT")
        lat.append(time.perf_counter() - t0)
    conn.close()
    return lat


def _run(pool: Any, fn: object, jobs: list[tuple[object, ...]]) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    results = pool.starmap(fn, jobs)
    wall = time.perf_counter() - t0
    return wall, [x for r in results for x in r]


def _row(name: str, count: int, runs: list[tuple[float, list[float]]]) -> float:
    """Median rate over the rounds; latency percentiles over every ticket of every round."""
    rates = sorted(count / wall for wall, _ in runs)
    rate = statistics.median(rates)
    q = statistics.quantiles([x for _, lat in runs for x in lat], n=100)
    spread = f"{rates[0]:.0f}–{rates[-1]:.0f}"
    print(
        f"  {name:<34}{rate:>7.0f}/s ({spread:>9})  "
        f"p50 {q[49] * 1000:5.1f} ms  p99 {q[98] * 1000:6.1f} ms"
    )
    return rate


def _pgbench(url_plain: str, clients: int, seconds: int = 5) -> float | None:
    exe = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None
    )
    if exe is None:
        return None
    script = Path(tempfile.mkdtemp()) / "upsert.sql"
    script.write_text(
        "INSERT INTO bench_counter (id, n) VALUES (1, 1) ON CONFLICT (id) "
        "DO UPDATE SET n = bench_counter.n + 1 RETURNING n;\n"
    )
    out = subprocess.run(
        [
            str(exe),
            "-n",
            "-f",
            str(script),
            "-c",
            str(clients),
            "-j",
            str(min(clients, 2)),
            "-T",
            str(seconds),
            url_plain,
        ],
        capture_output=True,
        text=True,
    )
    for line in out.stdout.splitlines():
        if line.startswith("tps"):
            return float(line.split("=")[1].split()[0])
    return None


def _display_latency(db: Database, hall_id: int, rounds: int = 20) -> list[float]:
    """Time from a committed call to the display's listener receiving it (PostgreSQL)."""
    from sqlalchemy import select

    from app.actor import Actor
    from app.db.models import User, Window
    from app.events import listener_for
    from app.roles import Role

    with db.unit_of_work() as s:
        uid = s.scalars(select(User.id).where(User.username == "clerk")).one()
        wid = s.scalars(select(Window.id).where(Window.number == 1)).one()
    clerk = Actor(
        user_id=uid,
        username="clerk",
        full_name="王晓燕",
        hall_id=hall_id,
        roles=frozenset({Role.CLERK}),
    )
    windows.open_window(db, clerk, wid)
    listener = listener_for(db, hall_id)
    listener.wait(1.0)
    out = []
    for _ in range(rounds):
        queueing.issue_ticket(db, queueing.kiosk_actor(hall_id), "A")
        listener.wait(0.05)
        t0 = time.perf_counter()
        t = calling.call_next(db, clerk, wid)
        got = [c for c in listener.wait(2.0) if c.kind == "call"]
        out.append(time.perf_counter() - t0)
        assert t is not None and got
        calling.start_service(db, clerk, t.id)
        calling.finish(db, clerk, t.id)
        listener.wait(0.05)
    listener.close()
    return out


def _serve_everyone(db: Database) -> None:
    """Between rounds, the counters serve the waiting tickets (not timed).

    A hall's queues stay as long as one round makes them (up to 200 waiting per queue
    here), not as long as every round together: the waiting-ahead count on each slip
    reads the queue.
    """
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE ticket SET state = 'done' WHERE state = 'waiting'"))


def bench(
    url: str, label: str, clients: int, per: int, plain_pg: str | None, rounds: int = 3
) -> None:
    db = Database(url)
    setup.prepare(db, load_catalog(), "DEMO", setup.DEMO_HALL[1], demo=True)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_counter (id INTEGER PRIMARY KEY, "
                "n INTEGER NOT NULL)"
            )
        )
    hall_id = queueing.hall_by_code(db, "DEMO").id
    letters = "ABCDEF"
    ours_jobs = [(url, hall_id, per, letters[i % 6]) for i in range(clients)]
    bare_jobs = [(url, per, "") for _ in range(clients)]
    sqlite_path = db.engine.url.database if db.backend == "sqlite" else None
    raw_jobs = [(sqlite_path, per, "") for _ in range(clients)]
    print(f"\n{label}: {clients} clients × {per} tickets, median of {rounds} alternating rounds")
    runs: dict[str, list[tuple[float, list[float]]]] = {
        "ours": [],
        "bare": [],
        "ticket": [],
        "audited": [],
        "raw": [],
    }
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        # Warm-up, not timed: every worker connects and runs each path once.
        pool.starmap(_ours, [(url, hall_id, 2, letters[i % 6]) for i in range(clients)])
        pool.starmap(_bare, [(url, 2, "") for _ in range(clients)])
        pool.starmap(_audited_bare, [(url, hall_id, 2, letters[i % 6]) for i in range(clients)])
        for _ in range(rounds):
            runs["ours"].append(_run(pool, _ours, ours_jobs))
            _serve_everyone(db)
            runs["bare"].append(_run(pool, _bare, bare_jobs))
            runs["ticket"].append(_run(pool, _ticket_only, ours_jobs))
            runs["audited"].append(_run(pool, _audited_bare, ours_jobs))
            if sqlite_path:
                runs["raw"].append(_run(pool, _bare_sqlite3, raw_jobs))
    ours = _row("ours: issue_ticket", clients * per, runs["ours"])
    bare = _row("bare: upsert, same engine", clients * per, runs["bare"])
    ticket = _row("ticket only: upsert + ticket row", clients * per, runs["ticket"])
    audited = _row("audited bare: + head + event (SQL)", clients * per, runs["audited"])
    raw = _row("bare: upsert, sqlite3 alone", clients * per, runs["raw"]) if sqlite_path else 0.0
    with db.engine.connect() as conn:
        dupes = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT hall_id, service_day, category_id, number "
                "FROM ticket GROUP BY 1,2,3,4 HAVING count(*) > 1) d"
            )
        ).scalar()
        gaps = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT max(number) - count(*) AS g "
                "FROM ticket GROUP BY hall_id, service_day, category_id) x WHERE g <> 0"
            )
        ).scalar()
    print(f"  ratio ours/bare: {ours / bare:.2f}   duplicates: {dupes}   queues with gaps: {gaps}")
    print(f"  ratio ours/ticket only (what audit, NOTIFY and estimate cost): {ours / ticket:.2f}")
    print(
        f"  ratio ours/audited bare: {ours / audited:.2f} (target ≥ 0.6; "
        f"{ours / audited / 0.6:.2f} of it)"
    )
    if raw:
        print(f"  ratio ours/sqlite3 alone: {ours / raw:.2f}")
    if plain_pg:
        tps = _pgbench(plain_pg, clients)
        if tps:
            print(
                f"  pgbench, same upsert, {clients} clients: {tps:,.0f} tps "
                f"(ours/pgbench {ours / tps:.2f})"
            )
        lat = _display_latency(db, hall_id)
        q = statistics.quantiles(lat, n=20)
        print(
            f"  call → display notified: median {statistics.median(lat) * 1000:.1f} ms, "
            f"p95 {q[18] * 1000:.1f} ms (target 200 ms)"
        )
    db.dispose()


def main() -> None:
    """Both backends, one after the other."""
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--per-client", type=int, default=150)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onewindow-bench-"))
    bench(
        f"sqlite:///{(tmp / 'bench.sqlite3').as_posix()}",
        "SQLite (WAL, synchronous=FULL)",
        args.clients,
        args.per_client,
        None,
        args.rounds,
    )
    import psycopg

    name = f"ow_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    plain = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        bench(plain, "PostgreSQL", args.clients, args.per_client, plain, args.rounds)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
