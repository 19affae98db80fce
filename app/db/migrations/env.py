"""Alembic environment: batch mode on SQLite, the models' metadata as target."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from app.db.engine import make_engine
from app.db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        "ONEWINDOW_DATABASE_URL"
    )
    if not url:
        raise SystemExit("Set ONEWINDOW_DATABASE_URL or pass -x url=... to alembic.")
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
