"""探访月报 (issue 18), on both backends: the worker and the supervisor open the month's
report in 探访关爱, see the figures by grid and worker, and save it as Excel and PDF."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from app.care import demo
from app.people import users
from tests.gui.test_care_visit import _person
from tests.helpers.pdf import pdf_text
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.stats.exporting import SaveAs


@pytest.mark.parametrize("username", ["care", "supervisor"])
def test_the_months_report_shows_and_saves(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, username: str
) -> None:
    _person(ctx.db, "张桂英", 71)
    assert demo.seed(ctx.db) == 0  # the hall has profiles: no demo round on top
    window = MainWindow(ctx, users.demo_actor(ctx.db, username))
    qtbot.addWidget(window)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(labels.index("探访关爱"))
    window.show()
    space = window.care_workspace
    space._show_tab(2)  # Alt+3
    panel = space.report_panel
    qtbot.waitUntil(lambda: panel.month.count() == 13 and ctx.ops.pending == 0)
    panel.month.setCurrentIndex(0)  # 本月: the profile made today is in it
    qtbot.waitUntil(lambda: panel.report is not None and ctx.ops.pending == 0)
    assert "在册服务对象：1 人" in panel.headline.text()
    assert panel.table.cell_text(0, 0) == "兴化第三网格" and panel.table.cell_text(1, 0) == "合计"
    target = tmp_path / "月报.xlsx"
    monkeypatch.setattr(SaveAs, "ask", staticmethod(lambda *_a: str(target)))
    panel.export_excel()
    qtbot.waitUntil(lambda: target.exists() and ctx.ops.pending == 0)
    sheet = openpyxl.load_workbook(target)["按网格和责任人"]
    assert sheet.cell(2, 1).value == "兴化第三网格" and sheet.cell(3, 1).value == "合计"
    pdf = tmp_path / "月报.pdf"
    monkeypatch.setattr(SaveAs, "ask", staticmethod(lambda *_a: str(pdf)))
    panel.export_pdf()
    qtbot.waitUntil(lambda: pdf.exists() and ctx.ops.pending == 0)
    assert "探访关爱月报" in pdf_text(pdf.read_bytes(), tmp_path)
    assert "已保存" in panel.note.text()
