"""A widget that disabled a button or counted an operation as running undoes it whatever
the operation's outcome — done, refused, the database unreachable, or a bug.

Before, the capture dialog's "正在处理 N 项" count only went down on done or refused: a page
preparation that hit a bug left the dialog refusing OK for ever; the log-in buttons stayed
greyed after "database unreachable"; a kiosk whose issuing hit a bug kept its queue buttons
off. ``OpRunner.run(on_settled=…)`` runs after every outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import EnvironmentProblem, ValidationError
from app.people import users
from app.queue import queueing
from tests.helpers import pages as tp
from ui.context import AppContext
from ui.counter import capture_work as capture_module
from ui.counter.capture_dialog import CaptureDialog
from ui.kiosk import kiosk_window
from ui.kiosk.kiosk_window import KioskWindow
from ui.login import LoginDialog
from ui.ops import OpRunner


def _boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


@pytest.fixture
def close_boxes() -> Iterator[None]:
    yield
    for box in _boxes():
        box.close()


def _bug() -> None:
    raise RuntimeError("a bug in the operation")


def _unreachable() -> None:
    raise EnvironmentProblem("无法连接数据库，请检查网络。")


def _refused() -> None:
    raise ValidationError("不对。", "field")


@pytest.mark.parametrize("op", [lambda: 1, _refused, _unreachable, _bug])
def test_on_settled_runs_once_after_every_outcome(
    qtbot: QtBot, op: Any, close_boxes: None, caplog: pytest.LogCaptureFixture
) -> None:
    runner = OpRunner()
    calls: list[str] = []
    runner.run(
        op,
        lambda _r: calls.append("done"),
        lambda _e: calls.append("refused"),
        on_trouble=lambda _e: calls.append("trouble"),
        on_settled=lambda: calls.append("settled"),
    )
    qtbot.waitUntil(lambda: runner.pending == 0)
    runner.shutdown()
    # the outcome's own callback first (a bug has none: a message box), then settled once
    assert calls[-1] == "settled" and calls.count("settled") == 1
    assert len(calls) == (1 if op is _bug else 2)


def test_on_settled_runs_even_when_the_callback_raises(qtbot: QtBot) -> None:
    runner = OpRunner()
    settled: list[bool] = []

    def broken(_r: object) -> None:
        raise KeyError("callback bug")

    runner.run(lambda: 1, broken, on_settled=lambda: settled.append(True))
    with qtbot.captureExceptions() as caught:  # raised in a Qt slot: pytest-qt keeps it
        qtbot.waitUntil(lambda: runner.pending == 0)
    runner.shutdown()
    assert [type(exc) for _t, exc, _tb in caught] == [KeyError]
    assert settled == [True]


def test_a_page_preparation_bug_clears_the_still_preparing_count(
    qtbot: QtBot,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    close_boxes: None,
    tmp_path: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: None))
    good = tmp_path / "good.png"
    good.write_bytes(tp.encoded(tp.draw((800, 1100)), "PNG"))
    dialog = CaptureDialog(ctx, "收入证明")
    qtbot.addWidget(dialog)
    dialog.show()
    real = capture_module.prepare_pages

    def buggy(data: bytes, source: str) -> Any:
        if source == "bad.png":
            raise RuntimeError("a bug while preparing")
        return real(data, source)

    monkeypatch.setattr(capture_module, "prepare_pages", buggy)
    bad = tmp_path / "bad.png"
    bad.write_bytes(good.read_bytes())
    dialog.add_files([bad, good])
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=20_000)
    assert dialog.working == 0 and "正在处理" not in dialog.count.text()
    assert len(dialog.pages()) == 1  # the good file still added
    assert any("程序内部错误" in b.text() for b in _boxes())
    dialog.accept()  # OK is no longer refused as "仍在处理"
    assert dialog.result() == CaptureDialog.DialogCode.Accepted


def test_login_buttons_work_again_after_the_database_was_unreachable(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, close_boxes: None
) -> None:
    monkeypatch.setattr(users, "login", lambda *_a: _unreachable())
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("clerk")
    dialog.password.setText("Whatever#2026")
    dialog.buttons.accepted.emit()
    assert not dialog.buttons.isEnabled()  # while the call runs
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert dialog.buttons.isEnabled()
    assert any("无法连接数据库" in b.text() for b in _boxes())


def test_kiosk_buttons_work_again_after_a_bug(
    qtbot: QtBot,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    close_boxes: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(kiosk_window, "RETRY_MS", 10)
    hall = queueing.hall_by_code(ctx.db, ctx.settings.hall_code).id
    kiosk = KioskWindow(ctx, hall)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: "A" in kiosk.queue_buttons)
    real = queueing.issue_ticket
    calls: list[int] = []

    def bug_once(*args: Any, **kwargs: Any) -> queueing.TicketView:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug while issuing")
        return real(*args, **kwargs)

    monkeypatch.setattr(queueing, "issue_ticket", bug_once)
    kiosk.queue_buttons["A"].click()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert len(calls) == 1 and kiosk.queue_buttons["A"].isEnabled()
    kiosk.queue_buttons["A"].click()  # the resident can press again
    qtbot.waitUntil(lambda: kiosk.last_ticket is not None)
    assert kiosk.last_ticket is not None and kiosk.last_ticket.code == "A001"
    kiosk.allow_close = True
    kiosk.close()


def test_every_form_dialog_calls_its_service_through_call() -> None:
    """A form dialog that greyed its buttons and called ``ops.run`` itself would keep them
    grey after an unreachable database; ``_FormDialog._call`` is the one way (whole kind)."""
    import inspect
    import pathlib

    import ui
    from ui import login

    root = pathlib.Path(inspect.getfile(ui)).parent
    callers = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "self._busy()" in line
    ]
    source = inspect.getsource(login._FormDialog._call)
    assert "self._busy()" in source and "on_settled=self._settled" in source
    assert callers == ["login.py:" + str(_line_of(root / "login.py", "self._busy()"))]


def _line_of(path: object, text: str) -> int:
    lines = Path(str(path)).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_the_window_dialog_works_again_after_trouble(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, close_boxes: None
) -> None:
    from app.queue import windows
    from ui.supervisor.window_dialog import WindowDialog

    monkeypatch.setattr(windows, "save_window", lambda *_a: _unreachable())
    supervisor = users.demo_actor(ctx.db, "supervisor")
    dialog = WindowDialog(ctx, supervisor, ())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.submit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert dialog.buttons.isEnabled()
