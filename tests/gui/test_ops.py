"""The operation runner: the worker thread never releases what the GUI thread owns."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.ops import OpRunner


def test_an_operation_capturing_a_qt_object_is_released_on_the_gui_thread(qtbot: QtBot) -> None:
    """A widget captured by an operation and dropped meanwhile dies on the GUI thread.

    Destroyed on the worker, a widget leaves its timers registered with the GUI thread's
    event loop, which crashes when they fire (a rare segfault in the suite).
    """
    runner = OpRunner()
    died_on: list[str] = []
    probe = QObject()
    probe.setObjectName("probe")
    probe.destroyed.connect(lambda: died_on.append(threading.current_thread().name))
    results: list[str] = []
    go = threading.Event()

    def read(held: QObject = probe) -> str:  # the operation keeps its own reference
        go.wait(5)
        return held.objectName()

    runner.run(read, results.append)
    del probe, read  # only the operation holds it now
    go.set()
    qtbot.waitUntil(lambda: runner.pending == 0)
    runner.shutdown()
    assert results == ["probe"]
    assert died_on == [threading.main_thread().name]


def test_an_operation_after_shutdown_is_dropped_not_raised(qtbot: QtBot) -> None:
    """A change notification arriving while the program closes asks for a refresh: the
    runner, already shut down, drops it (the pool would raise RuntimeError)."""
    runner = OpRunner()
    runner.shutdown()
    done: list[object] = []
    runner.run(lambda: 1, done.append)
    qtbot.wait(20)
    assert done == [] and runner.pending == 0
