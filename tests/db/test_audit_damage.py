"""A damaged audit head is reported and stops new events; CLI commands never create a database."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from app import audit
from app.__main__ import main
from app.db.models import AuditEvent, AuditHead
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import residents, users
from app.queue import queueing
from forms.loader import load_catalog
from tests.conftest import create_pg_database, drop_pg_database, require_pg
from tests.helpers.people import actor, id_number


def _use(monkeypatch: pytest.MonkeyPatch, db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", url)


def _events(db: Database) -> int:
    with db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_deleted_head_is_reported_and_no_new_chain_is_started(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    users.login(db, "clerk", DEMO_PASSWORD)
    with db.unit_of_work() as s:
        s.execute(delete(AuditHead))
        s.commit()
    _use(monkeypatch, db)
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr()
    assert "链头记录缺失" in err.err and "发现问题" in err.out
    before = _events(db)
    # The next audited action (a log-in, a new resident) says the trail is damaged.
    with pytest.raises(EnvironmentProblem, match="审计记录已损坏") as caught:
        users.login(db, "clerk", DEMO_PASSWORD)
    assert "audit verify" in caught.value.message
    data = residents.ResidentInput(id_number(datetime.date(1980, 1, 1)), "张三")
    with pytest.raises(EnvironmentProblem, match="审计记录已损坏"):
        residents.save(db, actor(db), data)
    assert _events(db) == before  # nothing written, no second chain
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(AuditHead)) == 0


def test_rewound_head_is_reported_and_refuses_with_a_clear_message(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    users.login(db, "clerk", DEMO_PASSWORD)
    users.login(db, "admin", DEMO_PASSWORD)
    chain = audit.chain_of(queueing.hall_by_code(db, "DEMO").id)
    with db.unit_of_work() as s:
        earlier = s.scalars(
            select(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq == 2)
        ).one()
        s.execute(
            update(AuditHead)
            .where(AuditHead.chain == chain)
            .values(seq=earlier.seq, hash=earlier.hash, prev="")
        )
        s.commit()
    _use(monkeypatch, db)
    assert main(["audit", "verify"]) == 1
    assert "链头被回退" in capsys.readouterr().err
    before = _events(db)
    with pytest.raises(EnvironmentProblem, match=r"审计记录已损坏.*回退"):
        users.login(db, "clerk", DEMO_PASSWORD)
    assert _events(db) == before


def test_an_empty_trail_without_head_starts_its_chain(empty_db: Database) -> None:
    from app.db import migrate

    migrate.upgrade(empty_db)
    with empty_db.unit_of_work() as s:
        s.execute(delete(AuditHead))
        s.commit()
    assert audit.verify_chain(empty_db).ok
    setup.prepare(empty_db, load_catalog(), "HALL", "大厅")
    report = audit.verify_chain(empty_db)
    assert report.ok and report.events >= 1


@pytest.mark.parametrize("command", [["audit", "verify"], ["db", "current"], ["catalog", "sync"]])
def test_commands_without_a_sqlite_database_create_nothing(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "nowhere" / "onewindow.sqlite3"
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", f"sqlite:///{missing.as_posix()}")
    assert main(command) != 0
    err = capsys.readouterr().err
    assert "没有找到数据库" in err and str(missing) in err and "Traceback" not in err
    assert not missing.parent.exists()


@pytest.mark.parametrize("command", [["audit", "verify"], ["db", "current"], ["catalog", "sync"]])
def test_commands_without_a_postgresql_database_create_nothing(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    require_pg()  # fails in CI (ONEWINDOW_REQUIRE_PG=1) instead of skipping
    name = f"ow_missing_{uuid.uuid4().hex[:8]}"
    url = create_pg_database(name)
    drop_pg_database(name)
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", url)
    assert main(command) != 0
    assert "数据库不存在" in capsys.readouterr().err
    probe = Database(url)
    with pytest.raises(EnvironmentProblem, match="数据库不存在"):
        probe.check()  # still not there: no command created it
    probe.dispose()


def test_audit_verify_on_an_empty_database_says_so(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.db import migrate

    empty_db.check()  # the database exists (an SQLite file, a PostgreSQL database), no tables
    _use(monkeypatch, empty_db)
    assert main(["audit", "verify"]) == 2
    assert "空库" in capsys.readouterr().err
    assert migrate.current_revision(empty_db) is None  # nothing was created


def test_audit_commands_on_a_database_not_yet_upgraded_say_so(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.db import migrate

    migrate.upgrade(empty_db, "0012")  # before per-hall chains: no audit_head.genesis
    _use(monkeypatch, empty_db)
    for command in (["audit", "verify"], ["audit", "anchor"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "版本为 0012" in err and "onewindow db upgrade" in err
    assert migrate.current_revision(empty_db) == "0012"  # nothing was changed
