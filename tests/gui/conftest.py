"""GUI fixtures: an application context on the ``db`` fixture, the bundled font registered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.db.session import Database
from ui import appearance
from ui.changes import ChangeWatcher
from ui.context import AppContext
from ui.counter.queue_dialogs import LeaveDialog
from ui.gc_guard import GarbageCollector
from ui.ops import OpRunner
from ui.widgets.confirm import Confirm


@pytest.fixture(autouse=True, scope="session")
def _gc_on_gui_thread(qapp: QApplication) -> None:
    """As in the program: never collect Qt objects from the worker threads."""
    GarbageCollector.install()


@pytest.fixture
def ctx(db: Database, qtbot: QtBot) -> Iterator[AppContext]:
    """An AppContext as the launcher builds it, on the test database."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert appearance.install_font(app) == appearance.FONT_FAMILY
    settings = Settings(
        database_url=db.engine.url.render_as_string(hide_password=False),
        hall_code="DEMO",
        demo=True,
        idle_lock_minutes=10,
    )
    context = AppContext(db=db, settings=settings, ops=OpRunner())
    yield context
    qtbot.waitUntil(lambda: context.ops.pending == 0, timeout=10_000)
    ChangeWatcher.stop_app_watcher()
    context.ops.shutdown()


@pytest.fixture(autouse=True)
def _no_modal_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test answers Confirm.ask itself: an unanswered modal question would hang the run."""

    def unanswered(_cls: type, _parent: object, title: str, text: str, *_labels: str) -> bool:
        raise AssertionError(f"Confirm.ask({title!r}, {text!r}) not answered by the test")

    monkeypatch.setattr(Confirm, "ask", classmethod(unanswered))

    def unasked_leave(_cls: type, ticket: object, _parent: object = None) -> object:
        raise AssertionError(f"LeaveDialog.ask({ticket!r}) not answered by the test")

    monkeypatch.setattr(LeaveDialog, "ask", classmethod(unasked_leave))
