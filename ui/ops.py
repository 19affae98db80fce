"""Run service calls off the GUI thread, one at a time, and report back on the GUI thread.

Modelled on Anki's ``CollectionOp``: a widget hands over a function that calls one service;
the single worker thread runs it (so database work never blocks painting and never runs
concurrently from one PC), and ``on_done`` / ``on_error`` run on the GUI thread. Domain
errors go to ``on_error`` so the widget can show them next to the field; environment
problems and bugs are shown as a message box, never a traceback.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import DomainError, EnvironmentProblem

log = logging.getLogger(__name__)
T = TypeVar("T")


class OpRunner(QObject):
    """The one database worker of the program.

    Signals:
        busy_changed(bool): an operation started (True) or all have finished (False).
        _finished(object): internal, carries a finished future to the GUI thread.
    """

    busy_changed = Signal(bool)
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._pending = 0
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Operations submitted and not yet delivered."""
        return self._pending

    def run(
        self,
        op: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[DomainError], None] | None = None,
        parent: QWidget | None = None,
        on_trouble: Callable[[EnvironmentProblem], None] | None = None,
    ) -> None:
        """Run ``op`` on the worker; call ``on_done(result)`` or ``on_error(err)`` afterwards.

        ``on_trouble`` takes environment problems (database unreachable …) instead of a
        message box — for unattended screens such as the hall display and the kiosk.
        """
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        future = self._pool.submit(op)
        future.add_done_callback(
            lambda f: self._finished.emit((f, on_done, on_error, parent, on_trouble))
        )

    @Slot(object)
    def _deliver(self, packet: tuple[Future[Any], Any, Any, QWidget | None, Any]) -> None:
        future, on_done, on_error, parent, on_trouble = packet
        self._pending -= 1
        if self._pending == 0:
            QApplication.restoreOverrideCursor()
            self.busy_changed.emit(False)
        if parent is not None and not shiboken6.isValid(parent):
            # The widget that asked is gone (window closed while loading): nobody to tell.
            if future.exception() is not None:
                log.info("result of a closed widget's operation dropped: %r", future.exception())
            return
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
            return
        if isinstance(exc, DomainError):
            if on_error is not None:
                on_error(exc)
            else:
                show_problem(parent, exc.message)
        elif isinstance(exc, EnvironmentProblem):
            log.error("environment problem: %s (%s)", exc.message, exc.detail)
            if on_trouble is not None:
                on_trouble(exc)
            else:
                show_problem(parent, exc.message)
        else:
            log.error(
                "bug in operation:\n%s",
                "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
            )
            show_problem(parent, "程序内部错误，操作未完成。详细信息已写入日志，请联系系统管理员。")

    def shutdown(self) -> None:
        """Wait for the running operation and stop the worker (at exit)."""
        self._pool.shutdown(wait=True)


def show_problem(parent: QWidget | None, message: str) -> None:
    """A non-blocking warning box (qutebrowser's msgbox habit): the GUI keeps running."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QApplication.translate("ops", "提示"),
        message,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
