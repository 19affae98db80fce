"""How long an accepted case holds SQLite's write lock, with its receipt rendered.

    .venv/bin/python bench/write_lock.py [--cases 100]

Every write transaction on SQLite starts with ``BEGIN IMMEDIATE``: from then to its COMMIT
every kiosk and counter of the PC waits. This times each transaction (engine events
``begin`` → ``commit``/``rollback``) while ``intake.accept`` runs with the real receipt
renderer, and prints, per accept, the longest transaction and the sum of all of them
(median and p95), with the accept's own end-to-end time for scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from app.db.session import Database
from app.hall import setup
from bench.intake import _accepts
from forms.loader import load_catalog
from printing import receipt


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cases", type=int, default=100)
    args = p.parse_args()
    path = Path(tempfile.mkdtemp(prefix="onewindow-lock-")) / "lock.sqlite3"
    db = Database(f"sqlite:///{path.as_posix()}")
    setup.prepare(db, load_catalog(), "DEMO", setup.DEMO_HALL[1], demo=True)
    _accepts(db, 5, receipt.render)  # warm up
    held: list[float] = []
    started: dict[int, float] = {}

    @event.listens_for(db.engine, "begin")
    def _begin(conn: Any) -> None:
        started[id(conn)] = time.perf_counter()

    def _end(conn: Any) -> None:
        t0 = started.pop(id(conn), None)
        if t0 is not None:
            held.append(time.perf_counter() - t0)

    event.listen(db.engine, "commit", _end)
    event.listen(db.engine, "rollback", _end)
    longest, total, whole = [], [], []
    for _ in range(args.cases):
        held.clear()
        t0 = time.perf_counter()
        _accepts(db, 1, receipt.render)
        whole.append(time.perf_counter() - t0)
        longest.append(max(held))
        total.append(sum(held))
    for name, values in (
        ("longest write transaction", longest),
        ("all write transactions", total),
        ("accept end to end (incl. resident save)", whole),
    ):
        q = statistics.quantiles(values, n=20)
        print(
            f"  {name:<42} median {statistics.median(values) * 1000:6.2f} ms  p95 {q[18] * 1000:6.2f} ms"
        )
    db.dispose()


if __name__ == "__main__":
    main()
