"""Migrations on both backends, the schema matching the models, engine settings and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db import migrate
from app.db.models import Base
from app.db.session import Database
from app.errors import EnvironmentProblem


def test_upgrade_from_empty_creates_every_table_and_matches_models(empty_db: Database) -> None:
    assert migrate.current_revision(empty_db) is None
    migrate.upgrade(empty_db)
    assert migrate.current_revision(empty_db) == migrate.head_revision()
    tables = set(inspect(empty_db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with empty_db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []  # what `alembic check` checks


def test_head_constant_matches_the_scripts() -> None:
    from app.db.migrations import HEAD

    assert migrate.head_revision() == HEAD


def _diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))


def test_downgrade_of_the_last_step_and_back(empty_db: Database) -> None:
    from alembic.script import ScriptDirectory

    migrate.upgrade(empty_db)
    script = ScriptDirectory.from_config(migrate.alembic_config())
    previous = script.get_revision(migrate.head_revision()).down_revision
    migrate.downgrade(empty_db, "-1")
    assert migrate.current_revision(empty_db) == previous
    assert _diff(empty_db) != []  # the models need the last step
    migrate.upgrade(empty_db)
    assert migrate.current_revision(empty_db) == migrate.head_revision()
    assert _diff(empty_db) == []


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{(tmp_path / 'p.sqlite3').as_posix()}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    db.dispose()


@pytest.mark.parametrize(
    "url,message",
    [
        ("sqlite:///\\\\server\\share\\hall.sqlite3", "网络共享"),
        ("sqlite://///server/share/hall.sqlite3", "网络共享"),
        ("sqlite://", "本机上的文件"),
    ],
)
def test_sqlite_refuses_network_and_memory(url: str, message: str) -> None:
    with pytest.raises(EnvironmentProblem, match=message):
        Database(url)


def test_unreachable_postgresql_is_a_clear_message() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(EnvironmentProblem, match="无法连接数据库") as err:
        db.check()
    assert "127.0.0.1:1" in err.value.message
    db.dispose()


def test_db_upgrade_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.__main__ import main

    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", f"sqlite:///{(tmp_path / 'c.sqlite3').as_posix()}")
    assert main(["db", "current"]) == 2  # no database: said so, nothing created
    assert not (tmp_path / "c.sqlite3").exists()
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert migrate.head_revision() in capsys.readouterr().out
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/x")
    assert main(["db", "upgrade"]) == 2
    assert "无法连接数据库" in capsys.readouterr().err
