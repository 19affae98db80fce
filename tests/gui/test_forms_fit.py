"""Every service's form, with every message it can show at once, fits the intake at 1366×768.

The catalog's 45 forms are rendered by one generic renderer (ui/widgets/form_renderer.py);
one of them with a row of six choices used to make the form scroll sideways. Each is chosen
in 综合受理 of a maximised main window on the 1366×768 desk, with the messages of its empty
required fields shown, and checked as :mod:`tests.gui.test_screens_fit` checks a screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.people import users
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from ui.context import AppContext
from ui.main_window import MainWindow


def test_every_service_form_fits_the_intake_column(
    qtbot: QtBot, ctx: AppContext, app_style: None, tmp_path: Path
) -> None:
    desk = screen_fit.desk("1366x768")
    if desk is None:
        pytest.skip("the platform has no 1366x768 screen (QT_QPA_PLATFORM not offscreen)")
    window = MainWindow(ctx, users.demo_actor(ctx.db, "clerk"))
    qtbot.addWidget(window)
    screen_fit.place(window, desk, Kind.WORKSPACE)
    panel = window.intake_panel
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: len(panel.services) > 40 and ctx.ops.pending == 0)
    problems = []
    for entry in panel.services:
        panel.choose_service(entry.code)
        check, form = panel.check(), panel.form
        assert check is not None and form is not None
        form.show_errors(check.field_errors)  # all at once, as the clerk sees them on 受理
        QApplication.processEvents()  # the scroll area follows the form's new size
        found = screen_fit.misfits(window, desk.room(Kind.WORKSPACE))
        if found or entry.code == "MZ001":  # 低保 always, to look at
            shot = screen_fit.screenshot(window, f"form-{entry.code}", tmp_path)
        if found:
            problems.append(f"{entry.code} {entry.name} ({shot}):\n    " + "\n    ".join(found))
    assert len(panel.services) >= 45
    assert not problems, "\n".join(problems)
