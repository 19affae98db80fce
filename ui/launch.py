"""Start the desktop program: database, catalog, first administrator, log-in, main window."""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.actor import Actor
from app.care import demo as care_demo
from app.cases import demo_cases
from app.config import Settings
from app.db.session import Database
from app.errors import DomainError, EnvironmentProblem
from app.hall import setup
from app.hall.catalog_sync import SyncReport
from app.incidents import demo as incidents_demo
from app.materials import stores
from app.mediation import demo as mediation_demo
from app.people import users
from ui import appearance
from ui.changes import ChangeWatcher
from ui.context import AppContext
from ui.counter import printing as counter_printing
from ui.gc_guard import GarbageCollector
from ui.login import ChangePasswordDialog, FirstAdminDialog, LoginDialog
from ui.main_window import MainWindow
from ui.ops import OpRunner
from ui.platform_check import require_window_libraries

log = logging.getLogger(__name__)
_START = time.perf_counter()
# Benchmark hook (bench/startup.py): quit as soon as the log-in dialog is on screen and
# print how long that took. Not used by people.
_PROBE = os.environ.get("ONEWINDOW_STARTUP_PROBE") == "1"


def _fatal(message: str) -> int:
    box = QMessageBox(QMessageBox.Icon.Critical, "一窗通办", message)
    box.setWindowTitle("无法启动")
    box.exec()
    return 2


def open_database(settings: Settings) -> tuple[Database, SyncReport]:
    """Connect, migrate and apply the shipped catalog; raises EnvironmentProblem.

    A broken catalog does not stop the start: the database keeps its catalog, and the
    report's ``problems`` (file and field) are shown to the administrator after log-in.
    """
    store = stores.from_settings(settings)  # config.toml's page_store (contacts nothing)
    db = Database(settings.database_url, settings.behind_pooler, settings.listen_url)
    stores.use_store(db, store)
    name = setup.DEMO_HALL[1] if settings.demo else settings.hall_name
    report = setup.start(db, settings.hall_code, name, demo=settings.demo)
    if report.problems:
        log.error("catalog files not applied:\n%s", "\n".join(map(str, report.problems)))
    for line in report.skipped:
        log.warning("shipped catalog change skipped: %s", line)
    if settings.demo and not report.problems:
        try:
            demo_cases.seed(db)  # first start only: sample work for every workspace
            care_demo.seed(db)  # and a care worker's round (一人一档)
            incidents_demo.seed(db)  # and events at each stage (群众诉求)
            mediation_demo.seed(db)  # and disputes in mediation (三级调解)
        except DomainError as exc:  # the demo still starts, without (all) its samples
            log.warning("demo sample cases not made: %s", exc.message)
    return db, report


def _first_actor(ctx: AppContext) -> Actor | None:
    if users.needs_first_admin(ctx.db, ctx.settings.hall_code):
        first = FirstAdminDialog(ctx)
        return first.actor if first.exec() else None
    dialog = LoginDialog(ctx)
    if _PROBE:

        def report() -> None:
            print(f"startup_to_login_s={time.perf_counter() - _START:.3f}", flush=True)
            dialog.reject()

        QTimer.singleShot(0, dialog, report)
    return dialog.actor if dialog.exec() else None


def _run_unattended(ctx: AppContext, screen: str, window_number: int | None = None) -> int:
    """Kiosk, hall display or a window's rating screen: no log-in, full screen, this hall."""
    from app.queue import queueing
    from ui.display.hall_display import HallDisplay
    from ui.kiosk.kiosk_window import KioskWindow
    from ui.rating.rating_screen import RatingScreen

    hall_id = queueing.hall_by_code(ctx.db, ctx.settings.hall_code).id
    window: QWidget
    if screen == "rating":
        window = RatingScreen(ctx, hall_id, window_number or 0)
    else:
        window = KioskWindow(ctx, hall_id) if screen == "kiosk" else HallDisplay(ctx, hall_id)
    # Without a window manager (a display PC on bare X) showFullScreen keeps the natural
    # size: take the whole screen ourselves first.
    screen_geometry = window.screen().geometry()
    window.setGeometry(screen_geometry)
    window.showFullScreen()
    app = QApplication.instance()
    assert app is not None
    return int(app.exec())


def run(settings: Settings, screen: str = "desk", window_number: int | None = None) -> int:
    """The program's main loop (``desk``: log-in and workspaces; ``kiosk``; ``display``;
    ``rating``: the rating screen of window ``window_number``)."""
    require_window_libraries()  # Qt would abort (rc 134) naming the wrong library
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    appearance.setup(app)
    GarbageCollector.install()
    try:
        db, report = open_database(settings)
        # Statistics read a replica when one is configured (a city's reports off the
        # primary); a wrong address is said now, an unreachable replica when 统计 asks.
        url = settings.reporting_database_url
        replica = Database(url, label="统计只读库 reporting_database_url") if url else None
    except EnvironmentProblem as exc:
        log.error("cannot start: %s (%s)", exc.message, exc.detail)
        return _fatal(exc.message)
    except Exception:  # a bug: logged, and said, never a silent exit
        log.exception("cannot start: internal error")
        return _fatal(
            app.translate(
                "launch", "程序启动时出现内部错误，详细信息已写入日志。请联系系统管理员。"
            )
        )
    ctx = AppContext(db=db, settings=settings, ops=OpRunner(), catalog=report, reporting=replica)
    counter_printing.configure(settings.receipt_printer)
    try:
        if screen != "desk":
            return _run_unattended(ctx, screen, window_number)
        while True:
            actor = _first_actor(ctx)
            if actor is None:
                return 0
            if actor.must_change_password:
                dialog = ChangePasswordDialog(ctx, actor, forced=True)
                if not dialog.exec():
                    continue
                actor = dialog.actor
            window = MainWindow(ctx, actor)
            window.showMaximized()  # a counter's whole screen
            app.exec()
            if not window.logout_requested:
                return 0
    finally:
        ChangeWatcher.stop_app_watcher()
        ctx.ops.shutdown()
        db.dispose()
