"""The housekeeping round sweeps a file or S3 page store: an orphan older than the grace
goes, a page a case refers to stays, a young orphan (an outcome still running) stays; an
unreachable store is logged, never raised; the database store has nothing to sweep."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from app.cases import housekeeping
from app.db.session import Database
from app.materials import intake as mi
from app.materials import stores
from app.materials.s3store import S3Store
from app.materials.stores import ORPHAN_GRACE_S
from app.roles import Role
from tests.helpers import pages as tp
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor
from tests.helpers.s3 import age, make_store


@pytest.fixture(params=["file", "s3"])
def swept_store(request: pytest.FixtureRequest, db: Database, tmp_path: Path) -> stores.PageStore:
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    chosen = make_store(str(request.param), tmp_path / "pages", endpoint)
    stores.use_store(db, chosen)
    return chosen


def _put(db: Database, store: stores.PageStore, data: bytes) -> str:
    key = hashlib.sha256(data).hexdigest()
    with db.unit_of_work() as s:
        store.put(s, key, data)
    return key


def _there(db: Database, store: stores.PageStore, key: str) -> bool:
    with db.read_only() as s:
        try:
            store.get(s, key)
        except Exception:
            return False
    return True


def test_the_round_sweeps_old_orphans_and_keeps_pages_and_young_orphans(
    db: Database, swept_store: stores.PageStore, tmp_path: Path
) -> None:
    from app.cases import intake
    from app.cases.intake import IntakeInput

    page = mi.prepare_page(tp.encoded(tp.draw(), "PNG"), "收入证明.png")
    intake.accept(
        db,
        actor(db),
        IntakeInput(
            "MZ001",
            applicant(db),
            dict(DIBAO_FORM),
            ticks(*ALL_DIBAO),
            pages={"income_proof": (page,)},
        ),
    )
    for key in (page.sha256, page.thumb_sha256):  # a case's page, however old, stays
        age(swept_store, key, 10 * ORPHAN_GRACE_S)
    old, young = _put(db, swept_store, b"old orphan"), _put(db, swept_store, b"young orphan")
    age(swept_store, old, ORPHAN_GRACE_S + 60)
    age(swept_store, young, ORPHAN_GRACE_S - 60)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    report = housekeeping.tick(db, boss, housekeeping.FileSender(tmp_path / "sms.log"))
    assert report.swept == 1
    assert not _there(db, swept_store, old)
    assert all(_there(db, swept_store, k) for k in (young, page.sha256, page.thumb_sha256))
    # The next round within the hour does not list the store again.
    age(swept_store, young, 2 * ORPHAN_GRACE_S)
    assert housekeeping.sweep_pages(db) == 0 and _there(db, swept_store, young)
    assert housekeeping.sweep_pages(db, force=True) == 1


def test_an_orphan_written_again_is_not_swept_from_under_its_new_case(
    db: Database, swept_store: stores.PageStore
) -> None:
    key = _put(db, swept_store, b"a page of a rolled-back accept")
    age(swept_store, key, ORPHAN_GRACE_S + 60)
    _put(db, swept_store, b"a page of a rolled-back accept")  # a new accept, same content
    assert housekeeping.sweep_pages(db, force=True) == 0
    assert _there(db, swept_store, key)


def test_an_unreachable_store_is_logged_not_raised(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stores.use_store(
        db, S3Store("gone", endpoint_url=f"http://127.0.0.1:{port}", access_key="a", secret_key="b")
    )
    with caplog.at_level(logging.WARNING, logger="app.cases.housekeeping"):
        assert housekeeping.sweep_pages(db, force=True) == 0
    assert "无法连接对象存储" in caplog.text


def test_the_database_store_has_nothing_to_sweep(db: Database) -> None:
    assert housekeeping.sweep_pages(db, force=True) == 0
