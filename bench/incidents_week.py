"""群众诉求 / 网格事件: a simulated week, and the dispatcher's board under load.

    .venv/bin/python bench/incidents_week.py [--per-day 40] [--seed 19] [--pg] [--open 500]

A fresh database (an SQLite file, or with ``--pg`` a PostgreSQL database on the server in
ONEWINDOW_TEST_PG, dropped at the end) gets the demo hall, then a working week (Monday
23 – Friday 27 November 2026) of ``--per-day`` events a day, reported at random working
times through the real services on a moving fixed clock: 60 % at the counter (受理 there;
the 派单目录 dispatches where it decides), 40 % by grid workers for the dispatcher to
accept. People act after random delays (seeded): the dispatcher accepts and dispatches
(exponential, mean 10 working minutes), departments sign (mean 25, a tenth of them after
the hour), handle (30–130 % of the sub-type's hours), 5 % send back (退单) and are
dispatched again, 10 % of feedback is sent back (返工), 70 % of closed events are rated.

Printed: each stage's measured working minutes (median, p90, late) and the departments'
响应率, 按期处置率, 返工率, 满意率 — :func:`app.stats.events.event_figures`, as the
statistics screen shows them — then the time of the dispatcher's board with ``--open``
open events (median of 10) against the bare SELECT of the same rows (the limit measured
in the same run) and the target (≤ 300 ms), as ratios.
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql
from sqlalchemy import text

from app import workhours
from app.db import clock
from app.db.models import Incident
from app.db.session import Database
from app.errors import DomainError
from app.hall import setup
from app.incidents import dispatching, lifecycle, lists, progress, reporting
from app.incidents.lifecycle import catalog
from app.incidents.reporting import IncidentInput
from app.people import users
from app.stats.events import event_figures
from app.workdays import WorkCalendar
from forms.loader import load_catalog

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
TARGET_MS = 300.0
GRIDS = ("幸福社区第一网格", "幸福社区第二网格", "和平里第一网格", "和平里第二网格")
PLACES = ("幸福路 3 号", "光明街 8 号", "和平里菜市场", "兴化西里 5 号楼", "东门公交站")
NOW = [datetime(2026, 11, 23, 1, 0)]


def utc(local: datetime) -> datetime:
    return local.replace(tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def later(at: datetime, minutes: float) -> datetime:
    """``minutes`` working minutes after the UTC moment ``at``."""
    local = at.replace(tzinfo=UTC).astimezone(ZONE).replace(tzinfo=None)
    return utc(workhours.add(local, max(1, round(minutes)), WorkCalendar({})))


def simulate(db: Database, per_day: int, rng: random.Random) -> int:
    """The week through the services; returns the number of steps taken."""
    clerk, care = users.demo_actor(db, "clerk"), users.demo_actor(db, "care")
    dispatcher = users.demo_actor(db, "paidan")
    everyone = replace(users.demo_actor(db, "shizheng"), departments=frozenset(catalog().handling))
    subtypes = list(catalog().subtypes)
    queue: list[tuple[datetime, int, str, int]] = []
    n = 0
    for day in range(5):
        for _ in range(per_day):
            start = datetime.combine(MONDAY + timedelta(days=day), clock_time(9))
            minute = rng.uniform(0, 7 * 60)
            local = start + timedelta(minutes=minute if minute < 180 else minute + 90)
            n += 1
            heapq.heappush(queue, (utc(local), n, "report", 0))
    steps = 0

    def version(eid: int) -> int:
        with db.read_only() as s:
            found = s.get(Incident, eid)
            assert found is not None
            return found.version

    def after(minutes: float, action: str, eid: int) -> None:
        nonlocal n
        n += 1
        heapq.heappush(queue, (later(NOW[0], minutes), n, action, eid))

    while queue:
        NOW[0], _n, action, eid = heapq.heappop(queue)
        steps += 1
        if action == "report":
            counter = rng.random() < 0.6
            inp = IncidentInput(
                rng.choice(subtypes),
                rng.choice(GRIDS),
                rng.choice(PLACES),
                "居民反映的问题，需要处理",
                "counter" if counter else "grid",
                "" if counter else "网格员",
                "13800138000" if counter else "",
            )
            moved = reporting.report(db, clerk if counter else care, inp)
            eid = moved.incident_id
        else:
            try:
                moved = _act(db, action, eid, version(eid), dispatcher, everyone, rng)
            except DomainError as exc:  # a step the state no longer allows: a bench bug
                raise SystemExit(f"{action} on {eid}: {exc.message}") from exc
        state = moved.state.value
        if state in ("reported", "returned") or (state == "accepted" and not moved.lead_dept):
            after(rng.expovariate(1 / 10), "dispatch", eid)
        elif state == "dispatched":
            back = rng.random() < 0.05
            after(rng.expovariate(1 / 25), "send_back" if back else "sign", eid)
        elif state == "signed":
            hours = catalog().subtypes[_subtype(db, eid)][1].handle_hours
            after(hours * 60 * rng.uniform(0.3, 1.3), "feed_back", eid)
        elif state == "fed_back":
            after(rng.expovariate(1 / 60), "verify", eid)
        elif state == "closed" and rng.random() < 0.7:
            after(rng.uniform(60, 7 * 60), "rate", eid)
    return steps


def _subtype(db: Database, eid: int) -> str:
    with db.read_only() as s:
        found = s.get(Incident, eid)
        assert found is not None
        return found.subtype_code


def _act(db, action, eid, v, dispatcher, staff, rng):  # type: ignore[no-untyped-def]
    if action == "dispatch":
        with db.read_only() as s:
            found = s.get(Incident, eid)
            assert found is not None
            state, lead = found.state.value, found.lead_dept
        if state == "reported":
            moved = dispatching.accept_and_dispatch(db, dispatcher, eid, v)
            if moved.lead_dept:
                return moved
            with db.read_only() as s:
                again = s.get(Incident, eid)
                assert again is not None
                v = again.version
        target = "ZZ" if lead != "ZZ" else "CG"
        return dispatching.dispatch(db, dispatcher, eid, v, target)
    if action == "sign":
        return lifecycle.sign(db, staff, eid, v)
    if action == "send_back":
        return lifecycle.send_back(db, staff, eid, v, "不属本部门职责范围")
    if action == "feed_back":
        return lifecycle.feed_back(db, staff, eid, v, "已到现场处置完毕")
    if action == "verify":
        passed = rng.random() > 0.1
        return lifecycle.verify(
            db, dispatcher, eid, v, passed, "" if passed else "现场仍未整改到位"
        )
    if action == "rate":
        number = lists.file(db, dispatcher, eid).row.number
        level = rng.choices((5, 4, 3, 2, 1), (60, 25, 8, 5, 2))[0]
        assert dispatcher.hall_id is not None
        return progress.rate(db, dispatcher.hall_id, number, v, level)
    raise ValueError(action)


def _median_ms(fn: Callable[[], object], rounds: int = 10) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def report(db: Database, open_events: int, rng: random.Random) -> None:
    dispatcher = users.demo_actor(db, "paidan")
    assert dispatcher.hall_id is not None
    f = event_figures(db, dispatcher, dispatcher.hall_id, MONDAY, MONDAY + timedelta(days=4))
    share = f.auto_dispatched * 100 / f.reported if f.reported else 0
    print(
        f"week {MONDAY} – {MONDAY + timedelta(days=4)}: reported {f.reported}, "
        f"dispatched by the 派单目录 {f.auto_dispatched} ({share:.0f} %), closed {f.closed}"
    )
    print("stage (working minutes)   ended  median    p90   late")
    for t in (f.response, *f.stages):
        print(f"  {t.stage:<12}{t.count:>14}{t.median_min or 0:>8}{t.p90_min or 0:>7}{t.late:>7}")
    print("department        dispatched 响应率  处置  按期处置率  核查 返工率  评价 满意率")

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v * 100:.1f}%"

    for d in f.departments:
        print(
            f"  {d.department:<14}{d.dispatched:>6}{pct(d.response_rate):>9}{d.handled:>6}"
            f"{pct(d.on_time_rate):>10}{d.checked:>7}{pct(d.rework_rate):>8}{d.rated:>6}"
            f"{pct(d.satisfied_rate):>8}"
        )
    clerk = users.demo_actor(db, "clerk")
    NOW[0] = datetime(2026, 11, 30, 2, 0)
    subtypes = list(catalog().subtypes)
    for _ in range(open_events):
        reporting.report(
            db,
            clerk,
            IncidentInput(
                rng.choice(subtypes),
                rng.choice(GRIDS),
                rng.choice(PLACES),
                "积压事件样本",
                "phone",
                "",
                "13800138000",
            ),
        )
    rows = len(lists.board(db, dispatcher))
    with db.read_only() as s:
        still_open = s.scalar(
            text(
                "SELECT count(*) FROM incident WHERE state IN ('reported','accepted',"
                "'dispatched','returned','signed','fed_back')"
            )
        )
    board = _median_ms(lambda: lists.board(db, dispatcher))
    with db.engine.connect() as conn:
        bare = _median_ms(
            lambda: conn.execute(
                text(
                    "SELECT * FROM incident WHERE state IN ('reported','accepted','dispatched',"
                    "'returned','signed','fed_back') ORDER BY stage_due_at LIMIT 200"
                )
            ).all()
        )
    print(
        f"board: {rows} rows shown of {still_open} open (it shows 200 at most): {board:.1f} ms; bare SELECT "
        f"{bare:.1f} ms (×{board / bare:.0f}); target {TARGET_MS:.0f} ms: ratio {board / TARGET_MS:.2f}"
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--per-day", type=int, default=40)
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--open", type=int, default=500)
    p.add_argument("--pg", action="store_true")
    args = p.parse_args()
    clock.now = lambda _s: NOW[0]  # type: ignore[assignment]
    rng = random.Random(args.seed)
    name = f"eventbench_{uuid.uuid4().hex[:8]}"
    folder = tempfile.TemporaryDirectory()
    if args.pg:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{folder.name}/events.sqlite3"
    db = Database(url)
    try:
        setup.prepare(db, load_catalog(), setup.DEMO_HALL[0], setup.DEMO_HALL[1], demo=True)
        t0 = time.perf_counter()
        steps = simulate(db, args.per_day, rng)
        print(
            f"{'PostgreSQL' if args.pg else 'SQLite'}: {steps} steps in {time.perf_counter() - t0:.1f} s"
        )
        report(db, args.open, rng)
    finally:
        db.engine.dispose()
        if args.pg:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        folder.cleanup()


if __name__ == "__main__":
    main()
