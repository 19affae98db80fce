"""The city's clients for bench/city.py: one worker process running many client threads.

Each thread is one PC of a hall: a counter (open its window; call, start, 30 % 受理 with the
receipt rendered, finish; about 2 tickets a minute), a kiosk (issues the hall's share of
tickets at the rate its counters serve them) or a display (waits on the hall's change feed
— ``app.events.listener_for``, LISTEN directly or polling through PgBouncer — and reloads
the board 100 ms after the first change of a burst, as ``ui.changes.LiveRefresh`` does).

Mix ``ours`` calls the service functions; mix ``bare`` sends the same rows as bare SQL on
the same engine (:mod:`bench.city_bare`) with the same think times. Every PC has its own
``Database`` behind PgBouncer (one pooled connection per PC, as the program has); directly
on PostgreSQL (max_connections 100) the PCs of a process share one ``Database`` with a pool
of ``direct_pool`` connections.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.actor import Actor
from app.cases import intake
from app.db import engine as engine_settings
from app.db.session import Database
from app.errors import DomainError
from app.events import listener_for
from app.queue import calling, queueing, windows
from app.roles import Role
from bench import city_bare as bare
from bench.city_seed import LETTERS, City, HallPlan
from printing import receipt
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, ticks

COALESCE_S = 0.1  # ui.changes.COALESCE_MS
ACCEPT_SHARE = 0.3
CYCLE_S = 30.0  # a counter serves about 2 tickets a minute


@dataclass(frozen=True)
class Client:
    """One PC: ``kind`` counter/kiosk/display of hall ``hall`` (index), counter ``index``."""

    kind: str
    hall: int
    index: int = 0


@dataclass(frozen=True)
class Spec:
    """What one worker process runs."""

    url: str
    pooler: bool
    mix: str  # "ours" or "bare"
    clients: tuple[Client, ...]
    city: City
    seconds: float
    speed: float
    direct_pool: int
    kiosks: dict[int, int]  # hall index → kiosks of the hall (all processes)
    counters: dict[int, int]  # hall index → counters of the hall in this step
    seed: int


@dataclass
class Stats:
    """What the threads of one process measured (ms per operation, inside the window)."""

    lat: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    messages: list[str] = field(default_factory=list)
    writes: int = 0
    reloads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Run:
    """Shared by the threads of a worker: the clock of the step and what was measured."""

    def __init__(self, spec: Spec, go: Any, start: Any) -> None:
        self.spec, self.go, self.start_value = spec, go, start
        self.stats = Stats()
        self.start = self.end = 0.0
        self._shared: Database | None = None
        self._lock = threading.Lock()

    def db(self) -> Database:
        """The PC's database handle (its own behind the pooler, else the process's)."""
        if self.spec.pooler:
            return Database(self.spec.url, pooler=True)
        with self._lock:
            if self._shared is None:
                engine_settings.POOL_SIZE = self.spec.direct_pool
                engine_settings.MAX_OVERFLOW = 0
                self._shared = Database(self.spec.url)
            return self._shared

    def wait_go(self) -> None:
        self.go.wait()
        self.start = self.start_value.value
        self.end = self.start + self.spec.seconds

    def running(self) -> bool:
        return time.time() < self.end

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.end - time.time())))

    def timed(self, op: str, fn: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
        """``fn(*args)``, its latency and failure recorded if it started inside the window
        (a call that found nobody waiting as ``call (empty)``)."""
        t0 = time.time()
        p0 = time.perf_counter()
        try:
            value = fn(*args)
            ok = True
        except Exception as exc:
            value, ok = exc, False
        ms = (time.perf_counter() - p0) * 1000
        if self.start <= t0 < self.end:
            with self.stats.lock:
                if ok:
                    empty = op == "call" and value is None
                    self.stats.lat["call (empty)" if empty else op].append(ms)
                else:
                    self._error(op, value)
        return ok, value

    def _error(self, op: str, exc: BaseException) -> None:
        self.stats.errors[op] += 1
        if len(self.stats.messages) < 20:
            detail = getattr(exc, "detail", "") or ""
            msg = getattr(exc, "message", None) or str(exc)
            self.stats.messages.append(f"{op}: {type(exc).__name__}: {msg} {detail}"[:300])

    def wrote(self, ok: bool) -> None:
        if ok and self.running():
            with self.stats.lock:
                self.stats.writes += 1


def _clerk(hall: HallPlan, index: int) -> Actor:
    c = hall.counters[index]
    return Actor(
        user_id=c.user_id,
        username=c.username,
        full_name=c.full_name,
        hall_id=hall.hall_id,
        roles=frozenset({Role.CLERK}),
    )


def _accept(db: Database, clerk: Actor, resident: int, ticket_id: int) -> intake.CaseResult:
    inp = intake.IntakeInput(
        "MZ001", resident, dict(DIBAO_FORM), ticks(*ALL_DIBAO), ticket_id=ticket_id
    )
    result = intake.accept(db, clerk, inp, render=receipt.render)
    if result.warning and "节假日" not in result.warning:
        raise RuntimeError(f"受理 warning: {result.warning}")
    return result


def _serve(
    run: Run, rng: random.Random, db: Database, clerk: Actor, hall: HallPlan, tid: int, s: float
) -> int | None:
    """The visit: ``s`` seconds at the window, 受理 30 % of the time, finish, a pause.
    Returns the ticket if it could not be finished."""
    spec, ours = run.spec, run.spec.mix == "ours"
    run.sleep(s)
    if rng.random() < ACCEPT_SHARE and run.running():
        resident = rng.choice(spec.city.residents)
        if ours:
            ok, _ = run.timed("accept", _accept, db, clerk, resident, tid)
        else:
            args = (db, hall.hall_id, hall.code, spec.city.service_version_id, resident)
            ok, _ = run.timed("accept", bare.accept, *args)
        run.wrote(ok)
    if not run.running():
        return tid
    ok, _ = run.timed("finish", calling.finish if ours else bare.finish, db, clerk, tid)
    run.wrote(ok)
    run.sleep(rng.uniform(0, 10) / spec.speed)
    return None if ok else tid


def counter(run: Run, client: Client, ready: Callable[[], None]) -> None:
    """A clerk at a window: call, start, (受理 + receipt), finish; ~2 tickets a minute."""
    spec = run.spec
    rng = random.Random(spec.seed * 7919 + client.hall * 101 + client.index)
    hall = spec.city.halls[client.hall]
    clerk, window = _clerk(hall, client.index), hall.counters[client.index]
    db = run.db()
    ours = spec.mix == "ours"
    if ours:
        with contextlib.suppress(DomainError):  # open since an earlier step
            windows.open_window(db, clerk, window.window_id)
    cats = [hall.category_ids[letter] for letter in window.letters]

    def call() -> int | None:
        if ours:
            t = calling.call_next(db, clerk, window.window_id)
            return t.id if t is not None else None
        return bare.call(db, hall.hall_id, window.window_id, cats)

    # Steady state from the first second: the clerk is already serving someone (the
    # kiosks' backlog), somewhere in the middle of the visit.
    held: int | None = None
    for _ in range(40):
        held = call()
        if held is not None:
            (calling.start_service if ours else bare.start)(db, clerk, held)
            break
        time.sleep(0.25)
    ready()
    run.wait_go()
    if held is None:
        run.sleep(rng.uniform(0, CYCLE_S / spec.speed))
    else:
        held = _serve(run, rng, db, clerk, hall, held, rng.uniform(0, 35) / spec.speed)
    while run.running():
        ok, tid = run.timed("call", call)
        if not ok or tid is None:  # nobody waiting (or failed): 叫号 again a little later
            run.sleep(rng.uniform(1, 3))
            continue
        run.wrote(ok)
        ok, _ = run.timed("start", calling.start_service if ours else bare.start, db, clerk, tid)
        run.wrote(ok)
        held = _serve(run, rng, db, clerk, hall, tid, rng.uniform(15, 35) / spec.speed)
    if held is not None and ours:  # the window must be free for the next step
        with contextlib.suppress(DomainError):
            calling.finish(db, clerk, held)


def kiosk(run: Run, client: Client, ready: Callable[[], None]) -> None:
    """Issues the hall's share of tickets at the rate its counters serve them."""
    spec = run.spec
    rng = random.Random(spec.seed * 104729 + client.hall * 31 + client.index)
    hall = spec.city.halls[client.hall]
    db, kiosks, counters = run.db(), spec.kiosks[client.hall], spec.counters[client.hall]
    actor = queueing.kiosk_actor(hall.hall_id)
    rate = counters * (2 / 60) * spec.speed / kiosks  # tickets a second from this kiosk

    def issue(letter: str) -> object:
        if spec.mix == "ours":
            return queueing.issue_ticket(db, actor, letter, client_token=uuid.uuid4().hex)
        return bare.issue(db, hall.hall_id, hall.category_ids[letter], letter)

    # Before the window: someone at every counter and half as many waiting.
    waiting = (
        windows.waiting_count(db, hall.hall_id)
        if spec.mix == "ours"
        else bare.waiting(db, hall.hall_id)
    )
    for _ in range(max(0, counters * 3 // 2 - waiting) // kiosks):
        issue(rng.choice(LETTERS))
    ready()
    run.wait_go()
    while run.running():
        run.sleep(rng.expovariate(rate))
        if run.running():
            ok, _ = run.timed("issue", issue, rng.choice(LETTERS))
            run.wrote(ok)


def display(run: Run, client: Client, ready: Callable[[], None]) -> None:
    """The hall display: the hall's change feed, one board reload per burst."""
    spec = run.spec
    hall = spec.city.halls[client.hall]
    db = run.db()  # directly, the display LISTENs on a connection of its own
    feed = listener_for(db, hall.hall_id)
    feed.wait(0.5)  # connect (LISTEN) or read the poller's starting point
    load = windows.board if spec.mix == "ours" else bare.board
    ready()
    run.wait_go()
    try:
        while run.running():
            changes = feed.wait(max(0.0, min(0.5, run.end - time.time())))
            if not any(c.hall in (None, hall.hall_id) for c in changes):
                continue
            deadline = time.monotonic() + COALESCE_S  # the rest of the burst: one reload
            while (left := deadline - time.monotonic()) > 0:
                feed.wait(left)
            ok, _ = run.timed("board", load, db, hall.hall_id)
            if ok and run.running():
                with run.stats.lock:
                    run.stats.reloads += 1
    finally:
        feed.close()


KINDS = {"counter": counter, "kiosk": kiosk, "display": display}


def worker(spec: Spec, go: Any, start: Any, out: Any) -> None:
    """Process entry: run every client of ``spec`` as a thread; put the Stats on ``out``."""
    threading.stack_size(512 * 1024)
    run = Run(spec, go, start)
    setup_left = threading.Semaphore(0)
    threads = []
    for client in spec.clients:

        def body(c: Client = client) -> None:
            try:
                KINDS[c.kind](run, c, setup_left.release)
            except Exception as exc:  # a client that dies is an error, not a hang
                with run.stats.lock:
                    run._error(f"{c.kind} (died)", exc)
                setup_left.release()

        threads.append(threading.Thread(target=body, daemon=True))
    for t in threads:
        t.start()
    for _ in threads:
        setup_left.acquire()
    out.put(("ready", None))
    for t in threads:
        t.join(timeout=max(5.0, run.end - time.time() + 60) if run.end else None)
    s = run.stats
    out.put(("stats", (dict(s.lat), dict(s.errors), s.messages, s.writes, s.reloads)))
