"""A broken catalog at start: the program starts on the database's catalog and says what is wrong."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.hall import catalog
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing
from tests.helpers.catalog_copies import catalog_copy, edit
from tests.helpers.dibao import accept_dibao
from ui import launch
from ui.context import AppContext
from ui.main_window import MainWindow

BROKEN_FIELD = "minzheng.yaml: services[0](MZ001).promised_days: 应为整数（现为 'soon'）"


@pytest.fixture
def broken_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The program's own catalog with one broken field (as if a bad file had shipped)."""
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, "minzheng.yaml", "promised_days: 7\n", "promised_days: soon\n")
    monkeypatch.setattr("forms.loader.default_catalog_dir", lambda: folder)
    return folder


def test_start_with_a_broken_catalog_keeps_the_database_catalog(
    ctx: AppContext, broken_shipped: Path
) -> None:
    db, report = launch.open_database(ctx.settings)
    try:
        assert [str(p) for p in report.problems] == [BROKEN_FIELD]
        # Counters keep working on the last good catalog: services, tickets, intake.
        clerk = users.login(db, "clerk", DEMO_PASSWORD)
        assert len(catalog.list_services(db, clerk)) == 45
        kiosk = queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id)
        assert queueing.issue_ticket(db, kiosk, "A").code == "A001"
        assert accept_dibao(db).case_no
    finally:
        db.dispose()


def test_admins_see_the_broken_field_after_log_in(
    qtbot: QtBot, ctx: AppContext, broken_shipped: Path, tmp_path: Path
) -> None:
    _db, report = launch.open_database(ctx.settings)
    _db.dispose()
    started = replace(ctx, catalog=report)
    for name in ("admin", "supervisor"):
        window = MainWindow(started, users.login(ctx.db, name, DEMO_PASSWORD))
        qtbot.addWidget(window)
        window.show()
        notice = window.catalog_notice
        assert notice is not None and notice.isVisible()
        assert "1 处错误" in notice.summary.text()
        notice.details_requested.emit()
        assert window.tabs.currentWidget() is window.catalog_browser
        details = window.catalog_browser.notice
        assert details is not None and details.details is not None
        assert BROKEN_FIELD in details.details.toPlainText()
        qtbot.waitUntil(lambda w=window: len(w.catalog_browser.entries) == 45)
        if name == "admin":
            window.resize(1366, 768)
            window.grab().save(str(tmp_path / "catalog_notice.png"))
        window.close()
    # The clerk at the counter is not bothered with it.
    clerk_window = MainWindow(started, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(clerk_window)
    assert clerk_window.catalog_notice is None and clerk_window.catalog_browser.notice is None
    clerk_window.close()
