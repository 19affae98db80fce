"""Materials: accepting a case with 6 pages at 200 dpi against the same accept without pages.

    .venv/bin/python bench/materials.py [--cases 40]

For each backend (SQLite in a temp folder; PostgreSQL in a database created for the run)
and each page store (the database; a file directory on the same disk):
* without pages: ``intake.accept`` of a 低保 case (MZ001), receipt bytes ready;
* with 6 pages: the same, with 收入证明 × 4 and 身份证 × 2 pages prepared beforehand (a
  dense A4 form rendered at 200 dpi, ~280 KB each as WebP). Each case gets its own bytes
  (a suffix after the image data) so content addressing does not write a page only once;
* the case view's part: ``case_pages`` (metadata) plus the first thumbnail;
* database growth per 10,000 cases with pages (SQLite file / ``pg_database_size``).
Preparing a page (decode, scale, encode) is timed apart: it runs before the accept.

Targets (issue 15): open a case with 6 pages (first thumbnail) ≤ 150 ms on PostgreSQL.
This is the first increment's skeleton: the case view itself is not painted here yet.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from app.cases import intake
from app.cases.intake import IntakeInput
from app.db.session import Database
from app.hall import setup
from app.materials import intake as mi
from app.materials import stores, viewing
from app.people import residents
from forms.loader import load_catalog
from tests.helpers import pages as tp
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, ticks
from tests.helpers.people import actor, id_number

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TICKS = ticks(*ALL_DIBAO)
_seqs = itertools.count(1, 1000)


def _ms(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=100)
    return statistics.median(values) * 1000, q[94] * 1000


def _row(name: str, lat: list[float]) -> float:
    med, p95 = _ms(lat)
    print(f"  {name:<46}median {med:8.2f} ms   p95 {p95:8.2f} ms")
    return med


def _unique(page: mi.PreparedPage, tag: int) -> mi.PreparedPage:
    data = page.data + tag.to_bytes(8, "big")
    thumb = page.thumbnail + tag.to_bytes(8, "big")
    return replace(
        page,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        thumbnail=thumb,
        thumb_sha256=hashlib.sha256(thumb).hexdigest(),
    )


def _size(db: Database, sqlite: bool) -> int:
    if not sqlite:
        with db.engine.connect() as conn:
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)
    with db.engine.connect() as conn:  # committed pages, in the file or still in the WAL
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
        size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
    return int(pages) * int(size)


def _accepts(
    db: Database, count: int, pages: tuple[mi.PreparedPage, ...] | None
) -> tuple[list[float], int]:
    clerk = actor(db)
    born = date(1961, 3, 5)
    people = [
        residents.save(
            db, clerk, residents.ResidentInput(id_number(born, seq, female=True), "李秀兰")
        ).id
        for seq in itertools.islice(itertools.count(next(_seqs)), count)
    ]
    lat, last = [], 0
    for person in people:
        got: dict[str, tuple[mi.PreparedPage, ...]] = {}
        if pages:
            mine = tuple(_unique(p, next(_tags)) for p in pages)
            got = {"income_proof": mine[:4], "id_card": mine[4:]}
        inp = IntakeInput("MZ001", person, dict(DIBAO_FORM), TICKS, pages=got)
        t0 = time.perf_counter()
        last = intake.accept(db, clerk, inp, lambda _doc: b"%PDF-receipt").case_id
        lat.append(time.perf_counter() - t0)
    return lat, last


_tags = itertools.count(1)


def bench_backend(url: str, label: str, count: int, pages: tuple[mi.PreparedPage, ...]) -> None:
    db = Database(url)
    setup.prepare(db, load_catalog(), "DEMO", setup.DEMO_HALL[1], demo=True)
    file_path = url.startswith("sqlite")
    folder = Path(tempfile.mkdtemp(prefix="onewindow-pages-"))
    for store in (stores.DatabasePageStore(), stores.FileStore(folder)):
        stores.use_store(db, store)
        print(f"\n{label}, page store {store.kind}: {count} 低保 cases each way")
        _accepts(db, 3, pages)  # warm up
        bare = _row("accept without pages", _accepts(db, count, None)[0])
        before = _size(db, file_path)
        lat, case_id = _accepts(db, count, pages)
        grown = _size(db, file_path) - before
        with_pages = _row("accept with 6 pages (prepared)", lat)
        print(f"  ratio with/without: {with_pages / bare:.2f}")
        clerk, opened = actor(db), []
        for _ in range(count):
            t0 = time.perf_counter()
            first = viewing.case_pages(db, clerk, case_id)[0]
            viewing.page_thumbnail(db, clerk, first.id)
            opened.append(time.perf_counter() - t0)
        open_ms = _row("case_pages + first thumbnail", opened)
        print(f"  vs the 150 ms target: {open_ms / 150:.3f}")
        on_disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        where = "database" if store.kind == "db" else "database (files: see below)"
        print(f"  {where} growth per 10,000 cases: {grown / count * 10_000 / 2**30:.2f} GiB")
        if store.kind == "file":
            print(f"  file store per 10,000 cases: {on_disk / count * 10_000 / 2**30:.2f} GiB")
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cases", type=int, default=40)
    args = p.parse_args()
    pdf = tp.form_pdf(4)
    photos = [tp.encoded(tp.camera(s), "JPEG", quality=90) for s in (1, 2)]
    t0 = time.perf_counter()
    form = mi.prepare_pages(pdf, "收入证明.pdf")
    card = tuple(mi.prepare_page(photo, "身份证.jpg") for photo in photos)
    spent = time.perf_counter() - t0
    pages = (*form, *card)
    sizes = ", ".join(f"{len(x.data) // 1024}" for x in pages)
    print(f"Prepared 6 pages (a 4-page PDF, 2 camera JPEGs of 12 MP) in {spent * 1000:.0f} ms")
    print(f"  KB each: {sizes}")
    tmp = Path(tempfile.mkdtemp(prefix="onewindow-bench-"))
    bench_backend(f"sqlite:///{(tmp / 'bench.sqlite3').as_posix()}", "SQLite", args.cases, pages)
    import psycopg

    name = f"ow_bench_materials_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        bench_backend(url, "PostgreSQL", args.cases, pages)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
