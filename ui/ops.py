"""Run service calls off the GUI thread, one at a time, and report back on the GUI thread.

Modelled on Anki's ``CollectionOp``: a widget hands over a function that calls one service;
the single worker thread runs it (so database work never blocks painting and never runs
concurrently from one PC), and ``on_done`` / ``on_error`` run on the GUI thread. Domain
errors go to ``on_error`` so the widget can show them next to the field; environment
problems and bugs are shown as a message box, never a traceback.

The worker thread never holds the last reference to anything the GUI owns: the operation,
its callbacks and its outcome are kept in a job on the GUI side, the worker only runs it and
reports the job's number. Otherwise a closure that captured a widget could be released last
by the worker, and the widget destroyed on the wrong thread — its timers left registered on
the GUI thread, which then crashes (seen as a rare segfault in the test suite).
"""

from __future__ import annotations

import functools
import itertools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import DomainError, EnvironmentProblem

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class _Job:
    """One operation and what to do with its outcome; owned by the GUI thread."""

    op: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[DomainError], None] | None
    parent: QWidget | None
    on_trouble: Callable[[EnvironmentProblem], None] | None
    on_settled: Callable[[], None] | None = None
    result: Any = None
    error: BaseException | None = None


class OpRunner(QObject):
    """The one database worker of the program.

    Signals:
        busy_changed(bool): an operation started (True) or all have finished (False).
        _finished(int): internal, carries a finished job's number to the GUI thread.
    """

    busy_changed = Signal(bool)
    _finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._jobs: dict[int, _Job] = {}
        self._numbers = itertools.count(1)
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Operations submitted and not yet delivered."""
        return len(self._jobs)

    def run(
        self,
        op: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[DomainError], None] | None = None,
        parent: QWidget | None = None,
        on_trouble: Callable[[EnvironmentProblem], None] | None = None,
        on_settled: Callable[[], None] | None = None,
    ) -> None:
        """Run ``op`` on the worker; call ``on_done(result)`` or ``on_error(err)`` afterwards.

        ``on_trouble`` takes environment problems (database unreachable …) instead of a
        message box — for unattended screens such as the hall display and the kiosk.
        ``on_settled()`` runs after whichever outcome it was — done, refused, an environment
        problem or a bug — after its own callback: where a widget disabled a button or
        counted the operation as running, it undoes that there, so no outcome leaves it stuck.
        """
        if self._closed:  # the program is closing: a late refresh has nobody to show to
            log.debug("operation after shutdown dropped")
            return
        number = next(self._numbers)
        self._jobs[number] = _Job(op, on_done, on_error, parent, on_trouble, on_settled)
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        future = self._pool.submit(self._work, number)
        future.add_done_callback(functools.partial(self._report, number))

    def _report(self, number: int, _future: Future[None]) -> None:
        """On the worker, after :meth:`_work`: tell the GUI thread (the number only)."""
        self._finished.emit(number)

    def _work(self, number: int) -> None:
        """On the worker: run the job, keep its outcome in it (the GUI thread owns it)."""
        job = self._jobs[number]
        try:
            job.result = job.op()
        except BaseException as exc:  # delivered on the GUI thread
            job.error = exc

    @Slot(int)
    def _deliver(self, number: int) -> None:
        job = self._jobs.pop(number)
        if not self._jobs:
            QApplication.restoreOverrideCursor()
            self.busy_changed.emit(False)
        parent, exc = job.parent, job.error
        if parent is not None and not shiboken6.isValid(parent):
            # The widget that asked is gone (window closed while loading): nobody to tell.
            if exc is not None:
                log.info("result of a closed widget's operation dropped: %r", exc)
            return
        try:
            self._tell(job, parent, exc)
        finally:
            if job.on_settled is not None:
                job.on_settled()

    def _tell(self, job: _Job, parent: QWidget | None, exc: BaseException | None) -> None:
        """Hand the outcome to the callback that takes it (or a message box)."""
        if exc is None:
            if job.on_done is not None:
                job.on_done(job.result)
            return
        if isinstance(exc, DomainError):
            if job.on_error is not None:
                job.on_error(exc)
            else:
                show_problem(parent, exc.message)
        elif isinstance(exc, EnvironmentProblem):
            log.error("environment problem: %s (%s)", exc.message, exc.detail)
            if job.on_trouble is not None:
                job.on_trouble(exc)
            else:
                show_problem(parent, exc.message)
        else:
            log.error(
                "bug in operation:\n%s",
                "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
            )
            show_problem(parent, "程序内部错误，操作未完成。详细信息已写入日志，请联系系统管理员。")

    def shutdown(self) -> None:
        """Wait for the running operation and stop the worker (at exit); later requests
        (a change notification still on its way) are dropped."""
        self._closed = True
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
