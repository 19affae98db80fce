"""Counter intake: accepting a case end to end against a bare insert of the same rows.

    .venv/bin/python bench/intake.py [--cases 200] [--renders 200]

For each backend (SQLite in a temp folder; PostgreSQL in a database created for the run):
* ours, end to end: ``intake.accept`` of a 低保 case (MZ001) for a 65-year-old disabled
  applicant — checks, case number, materials, routing to the first step's tasks, the
  receipt rendered and stored, the audit event — one transaction each;
* ours, save only: the same call with the receipt bytes already rendered, so it compares
  with the bare insert like for like;
* bare: the rows one accept wrote (case-number counter upsert, case, its materials, its
  task, its document, one audit event), copied with Core ``INSERT`` statements in one
  transaction each, on the same tables and indexes, with no checks and no logic.
Then the receipt alone: ``printing.receipt.render`` against a bare reportlab A4 page that
draws the same strings with the same embedded font and nothing else.

Targets (issue 4): receipt ≤ 20 ms median; intake save ≤ 3× the bare insert.
"""

from __future__ import annotations

import argparse
import itertools
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

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.engine import Connection

from app.cases import intake
from app.cases.intake import IntakeInput
from app.db.models import AuditEvent, AuditHead, Case, CaseCounter, CaseDocument, CaseMaterial, Task
from app.db.session import Database
from app.documents import Receipt
from app.hall import setup
from app.people import residents
from forms.loader import load_catalog
from printing import fonts, receipt
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, ticks
from tests.helpers.people import actor, id_number

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
FORM = DIBAO_FORM
TICKS = ticks(*ALL_DIBAO)


def _ms(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=100)
    return statistics.median(values) * 1000, q[94] * 1000


def _row(name: str, lat: list[float]) -> float:
    med, p95 = _ms(lat)
    print(f"  {name:<46}median {med:7.2f} ms   p95 {p95:7.2f} ms")
    return med


def _rows(conn: Connection, table: Table, *where: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).where(*where))]


def _without(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


def _bare(db: Database, case_id: int, count: int) -> list[float]:
    """Insert copies of the rows that accepting ``case_id`` wrote, one transaction each."""
    cases, mats = Case.__table__, CaseMaterial.__table__
    tasks, docs = Task.__table__, CaseDocument.__table__
    events, heads, counters = AuditEvent.__table__, AuditHead.__table__, CaseCounter.__table__
    with db.engine.connect() as conn:
        case = _without(_rows(conn, cases, cases.c.id == case_id)[0], "id")
        mat_rows = [
            _without(r, "id", "case_id") for r in _rows(conn, mats, mats.c.case_id == case_id)
        ]
        task_rows = [
            _without(r, "id", "case_id") for r in _rows(conn, tasks, tasks.c.case_id == case_id)
        ]
        doc_rows = [
            _without(r, "id", "case_id") for r in _rows(conn, docs, docs.c.case_id == case_id)
        ]
        event = _without(
            _rows(conn, events, events.c.entity == "case", events.c.entity_id == str(case_id))[-1],
            "id",
        )
        seq = conn.scalar(select(func.max(events.c.seq))) or 0
    bump = (
        update(counters)
        .where(counters.c.prefix == "BENCH")
        .values(n=counters.c.n + 1)
        .returning(counters.c.n)
    )
    with db.engine.begin() as conn:
        conn.execute(insert(counters).values(prefix="BENCH", day=date(2026, 1, 1), n=0))
    lat = []
    for i in range(count):
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            n = conn.execute(bump).scalar_one()
            new_id = conn.execute(
                insert(cases).values(dict(case, case_no=f"BENCH-{n:06d}")).returning(cases.c.id)
            ).scalar_one()
            conn.execute(insert(mats), [dict(r, case_id=new_id) for r in mat_rows])
            conn.execute(insert(tasks), [dict(r, case_id=new_id) for r in task_rows])
            conn.execute(insert(docs), [dict(r, case_id=new_id) for r in doc_rows])
            conn.execute(insert(events).values(dict(event, seq=seq + 1 + i, entity_id=str(new_id))))
            conn.execute(update(heads).values(seq=seq + 1 + i, hash=event["hash"]))
        lat.append(time.perf_counter() - t0)
    return lat


def _accepts(db: Database, count: int, render: Callable[[Any], bytes]) -> tuple[list[float], int]:
    clerk = actor(db)
    people = [
        residents.save(
            db,
            clerk,
            residents.ResidentInput(id_number(date(1961, 3, 5), seq, female=True), "李秀兰"),
        ).id
        for seq in itertools.islice(itertools.count(next(_seqs)), count)
    ]
    lat, last = [], 0
    for person in people:
        t0 = time.perf_counter()
        last = intake.accept(
            db, clerk, IntakeInput("MZ001", person, dict(FORM), TICKS), render
        ).case_id
        lat.append(time.perf_counter() - t0)
    return lat, last


_seqs = itertools.count(1, 1000)


def bench_backend(url: str, label: str, count: int) -> tuple[float, float, float]:
    db = Database(url)
    setup.prepare(db, load_catalog(), "DEMO", setup.DEMO_HALL[1], demo=True)
    print(f"\n{label}: {count} 低保 cases each way")
    _accepts(db, 5, receipt.render)  # warm up: catalog cache, fonts, connections
    lat, _ = _accepts(db, count, receipt.render)
    full = _row("ours: accept + receipt rendered", lat)
    pdf = receipt.render(_sample_receipt(db))
    lat, case_id = _accepts(db, count, lambda _doc: pdf)
    ours = _row("ours: accept, receipt bytes ready (save)", lat)
    bare = _row("bare: same rows, Core INSERTs", _bare(db, case_id, count))
    print(f"  ratio save/bare: {ours / bare:.2f}   (target ≤ 3)")
    db.dispose()
    return full, ours, bare


def _sample_receipt(db: Database) -> Receipt:
    clerk = actor(db)
    person = residents.save(
        db, clerk, residents.ResidentInput(id_number(date(1961, 3, 5), 999, female=True), "李秀兰")
    ).id
    return intake.accept(db, clerk, IntakeInput("MZ001", person, dict(FORM), TICKS)).document


def _strings(doc: Receipt) -> list[str]:
    out = [doc.hall_name, "受理回执", doc.applicant_name, doc.applicant_id_masked, doc.clerk]
    for case in doc.cases:
        out += [case.case_no, case.service_name, case.department, case.kind_label, case.due_date]
        out += [f"{m.name} {m.detail}" for m in case.materials]
    out += [doc.accepted_at, doc.pickup, "申请人签名：______________"]
    return [s for s in out if s]


def _bare_page(strings: list[str]) -> bytes:
    import io

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setFont(fonts.register_fonts(), 11)
    y = A4[1] - 72
    for s in strings:
        c.drawString(72, y, s)
        y -= 16
    c.showPage()
    c.save()
    return buf.getvalue()


def bench_receipt(doc: Receipt, rounds: int) -> None:
    print(f"\nReceipt PDF, {rounds} renders each (one process, after warm-up)")
    strings = _strings(doc)
    for _ in range(5):
        receipt.render(doc), _bare_page(strings)
    ours, bare = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        receipt.render(doc)
        t1 = time.perf_counter()
        _bare_page(strings)
        t2 = time.perf_counter()
        ours.append(t1 - t0)
        bare.append(t2 - t1)
    o = _row("ours: receipt.render (Code 128 + QR)", ours)
    b = _row(f"bare: reportlab page, same font, {len(strings)} lines", bare)
    print(f"  ratio ours/bare: {o / b:.2f}   ours vs the 20 ms target: {o / 20:.2f}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--renders", type=int, default=200)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="onewindow-bench-"))
    sqlite_url = f"sqlite:///{(tmp / 'bench.sqlite3').as_posix()}"
    bench_backend(sqlite_url, "SQLite (WAL, synchronous=FULL)", args.cases)
    import psycopg

    name = f"ow_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        bench_backend(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", args.cases)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    db = Database(sqlite_url)
    bench_receipt(_sample_receipt(db), args.renders)
    db.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
