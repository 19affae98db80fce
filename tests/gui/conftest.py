"""GUI fixtures: an application context on the ``db`` fixture, the bundled font registered.

Qt's offscreen platform gets the screens halls have (1366×768, the primary, and 1920×1080;
see :mod:`tests.gui.screen_fit`) instead of its default 800×800.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.db.session import Database
from tests.gui.screen_fit import offscreen_config
from ui import appearance
from ui.changes import ChangeWatcher
from ui.context import AppContext
from ui.counter.queue_dialogs import LeaveDialog
from ui.gc_guard import GarbageCollector
from ui.ops import OpRunner
from ui.widgets.confirm import Confirm


@pytest.fixture(scope="session")
def qapp_args(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The QApplication's arguments: on the offscreen platform, the hall's screens."""
    args = [str(pytestconfig.getini("qt_qapp_name"))]
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        config = offscreen_config(tmp_path_factory.mktemp("qt"))
        args += ["-platform", f"offscreen:configfile={config}"]
    return args


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
        pooler="pgbouncer" if db.pooler else "",  # a run through PgBouncer, as a hall sets it
    )
    context = AppContext(db=db, settings=settings, ops=OpRunner())
    yield context
    qtbot.waitUntil(lambda: context.ops.pending == 0, timeout=10_000)
    ChangeWatcher.stop_app_watcher()
    context.ops.shutdown()


@pytest.fixture
def app_style(qapp: QApplication) -> Iterator[None]:
    """The program's font, theme and Qt's Chinese (确定, 取消, 关闭 …), as ``launch`` has them.

    For screenshots and sizes: the theme's padding widens buttons and tabs.
    """
    assert appearance.install_font(qapp) == appearance.FONT_FAMILY
    qapp.setStyleSheet(appearance.STYLE)
    qtbase = QTranslator(qapp)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    assert qtbase.load(china, "qtbase", "_", folder)
    qapp.installTranslator(qtbase)
    yield
    qapp.removeTranslator(qtbase)
    qapp.setStyleSheet("")


@pytest.fixture(autouse=True)
def _no_modal_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test answers Confirm.ask itself: an unanswered modal question would hang the run."""

    def unanswered(_cls: type, _parent: object, title: str, text: str, *_labels: str) -> bool:
        raise AssertionError(f"Confirm.ask({title!r}, {text!r}) not answered by the test")

    monkeypatch.setattr(Confirm, "ask", classmethod(unanswered))

    def unasked_leave(_cls: type, ticket: object, _parent: object = None) -> object:
        raise AssertionError(f"LeaveDialog.ask({ticket!r}) not answered by the test")

    monkeypatch.setattr(LeaveDialog, "ask", classmethod(unasked_leave))
