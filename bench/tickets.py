"""Ticket issuing under concurrency: our service against the bare counter upsert.

    .venv/bin/python bench/tickets.py [--clients 8] [--per-client 150] [--pg URL]

For each backend (SQLite in a temp folder; PostgreSQL in a database created for the run):
* ours: ``queueing.issue_ticket`` from N processes (upsert + ticket row + audit event +
  NOTIFY + waiting-ahead estimate, one transaction each);
* bare: the same counter upsert alone, one statement per transaction, same engine settings;
* pgbench with the same UPDATE … RETURNING, where pgbench is installed.
Prints tickets/s, p50/p99 latency, the ratio ours/bare and checks for duplicates. On
PostgreSQL it also measures how long a call takes to reach a LISTEN-ing display.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from app.db.session import Database
from app.services import calling, queueing, setup, windows
from forms.loader import load_catalog

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _ours(url: str, hall_id: int, count: int, letter: str) -> list[float]:
    db = Database(url)
    actor = queueing.kiosk_actor(hall_id)
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        queueing.issue_ticket(db, actor, letter)
        lat.append(time.perf_counter() - t0)
    db.dispose()
    return lat


def _bare(url: str, count: int, _letter: str) -> list[float]:
    db = Database(url)
    stmt = text(
        "INSERT INTO bench_counter (id, n) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET n = bench_counter.n + 1 RETURNING n"
    )
    lat = []
    for _ in range(count):
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            conn.execute(stmt).scalar_one()
        lat.append(time.perf_counter() - t0)
    db.dispose()
    return lat


def _run(fn: object, jobs: list[tuple[object, ...]]) -> tuple[float, list[float]]:
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        pool.apply(time.sleep, (0,))  # workers up before the clock starts
        t0 = time.perf_counter()
        results = pool.starmap(fn, jobs)  # type: ignore[arg-type]
        wall = time.perf_counter() - t0
    return wall, [x for r in results for x in r]


def _row(name: str, count: int, wall: float, lat: list[float]) -> float:
    rate = count / wall
    q = statistics.quantiles(lat, n=100)
    print(f"  {name:<34}{rate:>10.0f}/s  p50 {q[49] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms")
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

    from app.db.models import User, Window
    from app.events import listener_for
    from app.roles import Role
    from app.services.actor import Actor

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
    listener = listener_for(db)
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


def bench(url: str, label: str, clients: int, per: int, plain_pg: str | None) -> None:
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
    print(f"\n{label}: {clients} clients × {per} tickets")
    wall, lat = _run(_ours, [(url, hall_id, per, letters[i % 6]) for i in range(clients)])
    ours = _row("ours: issue_ticket", clients * per, wall, lat)
    wall, lat = _run(_bare, [(url, per, "") for _ in range(clients)])
    bare = _row("bare: counter upsert", clients * per, wall, lat)
    with db.engine.connect() as conn:
        dupes = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT hall_id, service_day, category_id, number "
                "FROM ticket GROUP BY 1,2,3,4 HAVING count(*) > 1) d"
            )
        ).scalar()
        gaps = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT category_id, max(number) - count(*) AS g "
                "FROM ticket GROUP BY category_id) x WHERE g <> 0"
            )
        ).scalar()
    print(f"  ratio ours/bare: {ours / bare:.2f}   duplicates: {dupes}   queues with gaps: {gaps}")
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
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onewindow-bench-"))
    bench(
        f"sqlite:///{(tmp / 'bench.sqlite3').as_posix()}",
        "SQLite (WAL, synchronous=FULL)",
        args.clients,
        args.per_client,
        None,
    )
    import psycopg

    name = f"ow_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    plain = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        bench(plain, "PostgreSQL", args.clients, args.per_client, plain)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
