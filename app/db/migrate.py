"""Run Alembic migrations from the program (no ini file; works in the frozen build)."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from app.db.migrations import HEAD
from app.db.session import Database

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported inside the functions that need it: a database that is already at
# HEAD (every start but the first after an update) never loads it.


def alembic_config() -> Config:
    """A Config pointing at the migrations shipped inside the ``app`` package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("app.db") / "migrations"))
    return cfg


def head_revision() -> str:
    """The newest migration this program knows (read from the scripts)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(db: Database) -> bool:
    """Whether the database is at this program's newest migration."""
    return current_revision(db) == HEAD


def upgrade(db: Database, target: str = "head") -> None:
    """Migrate the database to ``target`` (creates every table on an empty database)."""
    from alembic import command

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def downgrade(db: Database, target: str) -> None:
    """Migrate the database down to ``target`` (``-1`` for one step)."""
    from alembic import command

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)
