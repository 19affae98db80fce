"""Statistics read the reporting database when one is configured (issue 17: reports off
the primary): the 统计 workspace shows the replica's figures and writes nothing to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import load_settings
from app.db.session import Database
from app.people import users
from tests.conftest import _Templates, drop_pg_database
from tests.helpers import stats_month
from ui.context import AppContext
from ui.stats.workspace import StatsWorkspace


@pytest.fixture
def replica(backend: str, templates: _Templates) -> Iterator[Database]:
    """A second copy of the prepared database, standing in for a read replica."""
    url, handle = templates.fresh(backend)
    database = Database(url)
    yield database
    database.dispose()
    if backend == "postgresql":
        drop_pg_database(handle)
    else:
        Path(handle).unlink(missing_ok=True)


def test_the_workspace_reads_the_replica(qtbot: QtBot, ctx: AppContext, replica: Database) -> None:
    stats_month.seed(replica)  # the figures are on the replica; the primary has none
    with_replica = replace(ctx, reporting=replica)
    w = StatsWorkspace(
        with_replica, users.demo_actor(ctx.db, "supervisor"), today=date(2026, 12, 10)
    )
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    q = w.queue_view
    total = q.table.rowCount() - 1
    assert q.cell_text(total, 0) == "全部" and q.cell_text(total, 1) == "10"
    primary = StatsWorkspace(ctx, users.demo_actor(ctx.db, "supervisor"), today=date(2026, 12, 10))
    qtbot.addWidget(primary)
    primary.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and primary.bundle is not None)
    assert primary.bundle.queue is not None and primary.bundle.queue.overall.tickets == 0


def test_the_setting_is_read_and_the_demo_never_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'database_url = "postgresql://a@db/x"\n'
        'reporting_database_url = "postgresql://r@replica/x"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("ONEWINDOW_DATABASE_URL", raising=False)
    assert load_settings(config_path=config).reporting_database_url == "postgresql://r@replica/x"
    assert load_settings(demo=True, config_path=config).reporting_database_url == ""
