"""A city on one PostgreSQL: halls × counters × kiosks × displays, directly and via PgBouncer.

    .venv/bin/python bench/city.py [--clients 50,200,500,2500] [--seconds 20] [--halls 50]
                                   [--modes direct,pooler] [--procs 2] [--quick]

One database ``citybench_<pid>`` is created on the server in ONEWINDOW_TEST_PG and seeded
(bench/city_seed.py): ``--halls`` halls JX01 … with their queues, clerks, windows and
residents. Each step of ``--clients`` uses one hall per 50 clients (a hall: 1 display, a
kiosk per 20 PCs, the rest counters) and runs ``--procs`` worker processes of threads
(bench/city_clients.py) for ``--seconds``: counters call, start, accept 30 % of visits
with the receipt rendered and stored, and finish, about 2 tickets a minute each
(``--speed`` multiplies every rate); kiosks issue what the counters serve; displays reload
the board on their hall's changes, coalesced. Then the same mix as bare SQL
(bench/city_bare.py) with the same clients and think times.

Modes: ``direct`` (Database(url); the PCs of a worker share a pool of ``--direct-pool``,
as max_connections is 100; displays LISTEN) and ``pooler`` (a PgBouncer in transaction mode
started here, ``--pool-size`` server connections; each PC its own Database(pooler=True);
displays poll). Per step: per operation count, p50/p99 and ours/bare speed (bare ms ÷ our
ms, 1.0 = as fast as the bare rows), errors, audited transactions/s (audit events written
in the window), server connections (max of pg_stat_activity, sampled each second), lock
waits (ungranted pg_locks each second, by what the waiting statement touches), board reloads
per write, CPU cores used by PostgreSQL, PgBouncer and the clients, and the issue's targets.
The database is dropped and PgBouncer stopped on any exit, Ctrl-C and SIGTERM included.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import signal
import statistics
import sys
import threading
import time
from collections import Counter as Tally
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.city_clients import Client, Spec, worker
from bench.city_seed import PgBouncer, create_database, db_url, drop_database, seed

PER_HALL = 50  # clients per hall
OPS = ("issue", "call", "call (empty)", "start", "accept", "finish", "board")
TARGETS = {"issue": 50.0, "call": 50.0, "accept": 300.0}  # p99 ms at 2,500 clients, pooler
TARGET_TPS, TARGET_CONNS = 300.0, 200
TICK = os.sysconf("SC_CLK_TCK")
LOCK_KINDS = ("audit_head", "case_counter", "ticket_counter")


def layout(clients: int, halls: int) -> list[Client]:
    """The PCs of a step: ``clients`` spread over one hall per 50 (at most ``halls``)."""
    used = max(1, min(halls, math.ceil(clients / PER_HALL)))
    out: list[Client] = []
    for h in range(used):
        n = clients // used + (1 if h < clients % used else 0)
        kiosks = max(1, n // 20)
        out.append(Client("display", h))
        out += [Client("kiosk", h, k) for k in range(kiosks)]
        out += [Client("counter", h, c) for c in range(n - 1 - kiosks)]
    return out


def _ticks(pid: int) -> tuple[str, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return comm, int(fields[11]) + int(fields[12])


def _machine_busy() -> int:
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(parts) - parts[3] - parts[4]


class Sampler(threading.Thread):
    """Each second: the database's connections, ungranted locks, and CPU ticks by owner."""

    def __init__(self, name: str, owners: dict[int, str]) -> None:
        super().__init__(daemon=True)
        self.name_, self.owners = name, owners  # pid → "bench" / "pgbouncer"
        self.stop_ = threading.Event()
        self.conns: list[int] = []
        self.waits: list[int] = []
        self.kinds: Tally[str] = Tally()
        self.first: dict[int, tuple[str, int]] = {}
        self.last: dict[int, tuple[str, int]] = {}
        self.busy0 = self.busy1 = 0
        self.primed = False
        self.t0 = self.t1 = 0.0

    def _cpu(self) -> None:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        for pid in pids:
            got = _ticks(pid)
            if got is None:
                continue
            owner = self.owners.get(pid) or ("postgres" if got[0] == "postgres" else "")
            if owner:
                self.first.setdefault(pid, (owner, got[1] if not self.primed else 0))
                self.last[pid] = (owner, got[1])
        self.primed = True

    def run(self) -> None:
        with psycopg.connect(db_url(self.name_), autocommit=True) as conn:
            self.busy0, self.t0 = _machine_busy(), time.monotonic()
            self._cpu()
            while not self.stop_.wait(1.0):
                self._cpu()
                count = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self.name_,),
                ).fetchone()
                self.conns.append(int(count[0]) if count else 0)
                rows = conn.execute(
                    "SELECT a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE NOT l.granted AND a.datname = %s",
                    (self.name_,),
                ).fetchall()
                self.waits.append(len(rows))
                for (query,) in rows:
                    kind = next((k for k in LOCK_KINDS if k in (query or "")), "other")
                    self.kinds[kind] += 1
            self._cpu()
            self.busy1, self.t1 = _machine_busy(), time.monotonic()

    def cores(self) -> dict[str, float]:
        """CPU cores used on average by each owner, and the whole machine."""
        wall = max(self.t1 - self.t0, 1e-6)
        used: Tally[str] = Tally()
        for pid, (owner, ticks) in self.last.items():
            used[owner] += ticks - self.first[pid][1]
        out = {k: v / TICK / wall for k, v in used.items()}
        out["machine"] = (self.busy1 - self.busy0) / TICK / wall
        return out


def _audit_max(name: str) -> int:
    with psycopg.connect(db_url(name), autocommit=True) as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()
        return int(row[0]) if row else 0


def step(
    args: argparse.Namespace,
    name: str,
    url: str,
    pooler: bool,
    mix: str,
    city: Any,
    clients: list[Client],
    owners: dict[int, str],
    live: list[Any],
) -> dict[str, Any]:
    """One timed run of ``clients`` (mix ours or bare); what it measured."""
    ctx = multiprocessing.get_context("spawn")
    go, start, out = ctx.Event(), ctx.Value("d", 0.0), ctx.Queue()
    halls = {c.hall for c in clients}
    kiosks = {h: sum(1 for c in clients if c.hall == h and c.kind == "kiosk") for h in halls}
    counters = {h: sum(1 for c in clients if c.hall == h and c.kind == "counter") for h in halls}
    procs = []
    for i in range(args.procs):
        spec = Spec(
            url,
            pooler,
            mix,
            tuple(clients[i :: args.procs]),
            city,
            args.seconds,
            args.speed,
            args.direct_pool,
            kiosks,
            counters,
            17 + i,
        )
        p = ctx.Process(target=worker, args=(spec, go, start, out), daemon=True)
        p.start()
        procs.append(p)
        live.append(p)
    for _ in procs:
        out.get(timeout=600)
    for p in procs:
        owners[p.pid or 0] = "bench"
    owners[os.getpid()] = "bench"
    sampler = Sampler(name, owners)
    first_event = _audit_max(name)
    sampler.start()
    start.value = time.time()
    go.set()
    time.sleep(args.seconds)
    sampler.stop_.set()
    events = _audit_max(name) - first_event
    sampler.join()
    lat: dict[str, list[float]] = {}
    errors: Tally[str] = Tally()
    messages: list[str] = []
    writes = reloads = 0
    for _ in procs:
        _kind, payload = out.get(timeout=300)
        plat, perr, pmsg, pw, pr = payload
        for op, values in plat.items():
            lat.setdefault(op, []).extend(values)
        errors.update(perr)
        messages += pmsg
        writes, reloads = writes + pw, reloads + pr
    for p in procs:
        p.join(timeout=30)
        live.remove(p)
    return {
        "lat": lat,
        "errors": errors,
        "messages": messages,
        "writes": writes,
        "reloads": reloads,
        "tps": events / args.seconds,
        "conns": max(sampler.conns, default=0),
        "waits": sampler.waits,
        "kinds": sampler.kinds,
        "cores": sampler.cores(),
        "displays": sum(1 for c in clients if c.kind == "display"),
        "halls": len(halls),
    }


def _pct(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[98]


def report(title: str, ours: dict[str, Any], bare: dict[str, Any], check: bool) -> None:
    """The step's table: ours against bare, then the rest."""
    print(f"\n== {title} ==")
    print(
        f"  {'op':<13}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}  {'bare n':>7}{'p50':>8}{'p99':>8}"
        f"  {'ours/bare p50':>13}{'p99':>6}{'errors':>8}"
    )
    for op in OPS:
        o, b = ours["lat"].get(op, []), bare["lat"].get(op, [])
        if not o and not b and not ours["errors"].get(op):
            continue
        (o50, o99), (b50, b99) = _pct(o), _pct(b)
        r50 = b50 / o50 if o and b else float("nan")
        r99 = b99 / o99 if o and b else float("nan")
        print(
            f"  {op:<13}{len(o):>7}{o50:>9.1f}{o99:>9.1f}  {len(b):>7}{b50:>8.1f}{b99:>8.1f}"
            f"  {r50:>13.2f}{r99:>6.2f}{ours['errors'].get(op, 0):>8}"
        )
    for label, r in (("ours", ours), ("bare", bare)):
        waits = r["waits"]
        kinds = ", ".join(f"{k} {v}" for k, v in r["kinds"].most_common()) or "none"
        cores = r["cores"]
        other = cores["machine"] - sum(v for k, v in cores.items() if k != "machine")
        # A display hears its own hall only: its reloads against its hall's writes.
        hall_writes = r["writes"] / r["halls"]
        per = r["reloads"] / max(r["displays"], 1) / hall_writes if r["writes"] else float("nan")
        print(
            f"  [{label}] audited tx/s {r['tps']:.1f} · errors {sum(r['errors'].values())}"
            f" · server connections max {r['conns']} · lock waits max {max(waits, default=0)},"
            f" in {sum(1 for w in waits if w)}/{len(waits)} samples ({kinds})"
        )
        print(
            f"  [{label}] board reloads per write of its hall, per display {per:.2f} ({r['reloads']} reloads,"
            f" {r['writes']} writes, {r['displays']} displays) · CPU cores: postgres"
            f" {cores.get('postgres', 0):.2f}, pgbouncer {cores.get('pgbouncer', 0):.2f},"
            f" clients {cores.get('bench', 0):.2f}, other {other:.2f}, machine {cores['machine']:.2f} of 2"
        )
        for m in dict.fromkeys(r["messages"][:5]):
            print(f"    ! {m}")
    if check:
        errors = sum(ours["errors"].values())
        parts = [
            f"{op} p99 {_pct(ours['lat'].get(op, []))[1]:.1f}/{t:.0f} ms"
            f" = {_pct(ours['lat'].get(op, []))[1] / t:.2f}"
            for op, t in TARGETS.items()
        ]
        parts += [
            f"errors {errors} (0)",
            f"tx/s {ours['tps']:.0f}/{TARGET_TPS:.0f} = {ours['tps'] / TARGET_TPS:.2f}",
            f"server connections {ours['conns']}/{TARGET_CONNS} = {ours['conns'] / TARGET_CONNS:.2f}",
        ]
        print("  targets (latency, connections: ≤ 1 meets; tx/s: ≥ 1 meets): " + "; ".join(parts))


def _interrupted(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Seed, run every mode × client count (ours, then bare), clean up whatever happens."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--clients", default="50,200,500,2500")
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--halls", type=int, default=50)
    p.add_argument("--modes", default="direct,pooler")
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--speed", type=float, default=1.0)
    p.add_argument("--direct-pool", type=int, default=16, help="connections per worker, direct")
    p.add_argument("--pool-size", type=int, default=20, help="PgBouncer's server connections")
    p.add_argument(
        "--quick", action="store_true", help="smoke run: 2 halls, 60 clients, 10 s at 6× speed"
    )
    args = p.parse_args()
    if args.quick:
        args.clients, args.seconds, args.halls, args.speed = "60", 10.0, 2, 6.0
    counts = [int(c) for c in args.clients.split(",")]
    halls = min(args.halls, max(math.ceil(n / PER_HALL) for n in counts))
    counters = max(
        sum(1 for c in layout(n, halls) if c.kind == "counter" and c.hall == 0) for n in counts
    )
    name = f"citybench_{os.getpid()}"
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGHUP, _interrupted)
    bouncer: PgBouncer | None = None
    live: list[Any] = []
    try:
        create_database(name)
        t0 = time.monotonic()
        city = seed(db_url(name), halls, counters)
        print(
            f"city: {halls} halls × {counters} counters seeded in {time.monotonic() - t0:.1f} s"
            f" (database {name}); --seconds {args.seconds:g} per step, --speed {args.speed:g},"
            f" {args.procs} worker processes; machine has {os.cpu_count()} cores"
        )
        for mode in args.modes.split(","):
            pooler = mode == "pooler"
            owners: dict[int, str] = {}
            url = db_url(name)
            if pooler:
                bouncer = PgBouncer(args.pool_size, max(counts) * 2 + 100)
                owners[bouncer.pid or 0] = "pgbouncer"
                url = bouncer.url(url)
            for n in counts:
                clients = layout(n, halls)
                used = len({c.hall for c in clients})
                how = (
                    f"PgBouncer transaction mode, pool {args.pool_size}, one Database per PC, displays poll"
                    if pooler
                    else f"direct, {args.procs}×{args.direct_pool} pooled connections shared, displays LISTEN"
                )
                runs = {
                    mix: step(args, name, url, pooler, mix, city, clients, owners, live)
                    for mix in ("ours", "bare")
                }
                report(
                    f"{mode} · {n} clients · {used} halls ({how})",
                    runs["ours"],
                    runs["bare"],
                    check=pooler and n >= 2500,
                )
                sys.stdout.flush()
            if bouncer is not None:
                bouncer.stop()
                bouncer = None
    except KeyboardInterrupt as exc:
        print(f"\ninterrupted ({exc}): cleaning up", file=sys.stderr)
    finally:
        for proc in live:
            proc.kill()
        if bouncer is not None:
            bouncer.stop()
        drop_database(name)
        print(
            f"database {name} dropped" + ("; PgBouncer stopped" if "pooler" in args.modes else "")
        )


if __name__ == "__main__":
    main()
