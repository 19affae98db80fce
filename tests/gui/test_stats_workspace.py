"""统计 workspace on both backends: last month's figures on screen, weights, drill-down to a
case, both exports (the Excel cancel leaving no file), and the screens fitting both desks.

The figures are those of :mod:`tests.helpers.stats_month` (hand computations there).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.people import users
from app.reports import excel
from app.roles import Role
from app.stats.departments import Weights
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers import stats_month
from tests.helpers.pdf import pdf_text
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.stats import exporting
from ui.stats.dialogs import WeightsDialog
from ui.stats.workspace import StatsWorkspace

DECEMBER = date(2026, 12, 10)  # 上月 is November 2026, the month of the fixed day


def _workspace(qtbot: QtBot, ctx: AppContext, who: str = "supervisor") -> StatsWorkspace:
    w = StatsWorkspace(ctx, users.demo_actor(ctx.db, who), today=DECEMBER)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    return w


def _column(view: object, header: str) -> int:
    table = view.current()  # type: ignore[attr-defined]
    return [c.header for c in table.columns].index(header)


def test_last_month_shows_the_hand_computed_figures(qtbot: QtBot, ctx: AppContext) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)
    assert (w.first.date().toString("yyyy-MM-dd"), w.last.date().toString("yyyy-MM-dd")) == (
        "2026-11-01",
        "2026-11-30",
    )
    assert w.preset.currentText() == "上月"
    assert [w.tabs.tabText(i) for i in range(w.tabs.count())] == [
        "排队",
        "办件",
        "满意度",
        "部门绩效",
    ]
    q = w.queue_view
    total = q.table.rowCount() - 1
    assert q.cell_text(total, 0) == "全部" and q.cell_text(total, 1) == "10"
    assert q.cell_text(total, _column(q, "等候 p50（分钟）")) == "7.0"
    assert q.cell_text(total, _column(q, "等候 p90（分钟）")) == "50.0"
    assert q.cell_text(total, _column(q, "15 分钟内")) == "55.6%"
    assert q.table.horizontalHeaderItem(5).text() == "等候 p50\n（分钟）"
    assert len(w.queue_chart.points) > 0 and w.wait_chart.points[0][0] == "9时"
    assert w.wait_chart.points[0][1] == pytest.approx(18.75)  # 1125 s
    s = w.sat_view
    assert s.cell_text(0, _column(s, "满意率")) == "66.7%"
    assert w.sat_chart.points == [("2026-W45", pytest.approx(400 / 6))]
    d = w.dept_view
    scores = {d.cell_text(r, 0): d.cell_text(r, d.table.columnCount() - 1) for r in range(2)}
    assert sorted(scores.values()) == ["89.33", "样本不足"]
    w.set_range(date(2026, 11, 30), date(2026, 11, 1))  # reversed: said under the dates
    assert w.preset.currentText() == "自定义"
    w.load()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert w.range_error.isVisibleTo(w) and w.range_error.text() == "结束日期早于开始日期。"


def test_weights_and_the_cases_behind_a_figure(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)
    dialog = WeightsDialog(w.weights, w)
    qtbot.addWidget(dialog)
    dialog.spins["on_time"].setValue(50)
    assert dialog.error.text() == "各项权重之和须为 100%（现为 110%）。"
    dialog.spins["response"].setValue(10)
    assert dialog.error.text() == "" and dialog.weights == Weights(10, 50, 20, 20)
    monkeypatch.setattr(
        WeightsDialog, "ask", classmethod(lambda _c, _p, _w, then: then(Weights(0, 100, 0, 0)))
    )
    w.edit_weights()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle.weights == Weights(0, 100, 0, 0))
    d = w.dept_view
    row = next(r for r in range(d.table.rowCount()) if d.cell_text(r, 1) == "30")
    assert d.cell_text(row, d.table.columnCount() - 1) == "90.00"  # on time 27 / 30
    on_time = _column(d, "按期办结率")
    d.table.itemDoubleClicked.emit(d.table.item(row, on_time))
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.drill is not None)
    drill = w.drill
    assert drill is not None
    assert [drill.list.item(i).text() for i in range(drill.list.count())] == [
        "TJ-MZ-00",
        "TJ-MZ-01",
        "TJ-MZ-02",
    ]
    drill.list.itemDoubleClicked.emit(drill.list.item(0))
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    view = w.case_file
    assert isinstance(view, CaseView) and view.isVisible()
    view.close()


def test_exports_write_the_workbook_and_the_report_and_a_cancel_leaves_nothing(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)
    target = tmp_path / "统计"
    monkeypatch.setattr(exporting.SaveAs, "ask", staticmethod(lambda *_a: str(target)))
    w.export_excel()
    job = w.export_job
    assert job is not None
    with qtbot.waitSignal(job.finished) as written:
        pass
    assert written.args == [True] and "已导出 Excel" in w.status.text()
    book = openpyxl.load_workbook(tmp_path / "统计.xlsx")
    assert book.sheetnames[0] == "排队-按队列" and book["部门绩效"].freeze_panes == "A2"
    (tmp_path / "统计.xlsx").unlink()
    w.export_excel()
    job = w.export_job
    assert job is not None
    cancel = job.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    cancel.click()  # 取消 before the worker reached its next sheet
    with qtbot.waitSignal(job.finished) as cancelled:
        pass
    assert cancelled.args == [False] and w.status.text() == "导出已取消，未保存文件。"
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(exporting.SaveAs, "ask", staticmethod(lambda *_a: str(tmp_path / "月报")))
    w.export_report()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and "已保存月度报告" in w.status.text())
    text = pdf_text((tmp_path / "月报.pdf").read_bytes(), tmp_path)
    assert "月度大厅报告" in text and "7.0 分钟" in text and "89.33" in text


def test_an_approver_reads_own_departments_only(qtbot: QtBot, ctx: AppContext) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx, "canlian")
    assert [w.tabs.tabText(i) for i in range(w.tabs.count())] == ["办件", "满意度", "部门绩效"]
    d = w.dept_view
    assert d.table.rowCount() == 1 and d.cell_text(0, d.table.columnCount() - 1) == "样本不足"


def test_a_city_supervisor_gets_the_halls_side_by_side(qtbot: QtBot, ctx: AppContext) -> None:
    stats_month.seed(ctx.db)
    boss = users.demo_actor(ctx.db, "supervisor")
    city = replace(boss, roles=boss.roles | {Role.SYSADMIN})
    w = StatsWorkspace(ctx, city, today=DECEMBER)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    assert w.tabs.tabText(w.tabs.count() - 1) == "全市对比"
    c = w.city_view
    assert c.cell_text(0, 0) == w.bundle.hall_name and c.cell_text(0, 1) == "10"


def test_workbook_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert excel.sheet_name("a/b:c", taken) == "a_b_c"
    assert excel.sheet_name("A_B_C", taken) == "A_B_C(2)"
    assert len(excel.sheet_name("长" * 40, taken)) == 31


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_statistics_screens_fit(
    qtbot: QtBot, ctx: AppContext, desk_name: str, tmp_path: Path, app_style: None
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    stats_month.seed(ctx.db)
    boss = users.demo_actor(ctx.db, "supervisor")
    window = MainWindow(ctx, boss)
    qtbot.addWidget(window)
    w = window.stats_workspace
    w.today = DECEMBER
    w.apply_preset()
    window.tabs.setCurrentWidget(w)
    screen_fit.place(window, desk, Kind.WORKSPACE)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    for index, name in enumerate(["queue", "cases", "satisfaction", "departments"]):
        w.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert screen_fit.misfits(window, desk.room(Kind.WORKSPACE)) == [], name
        screen_fit.screenshot(window, f"stats-{name}-{desk_name}", tmp_path)
    dialog = WeightsDialog(w.weights, window)
    qtbot.addWidget(dialog)
    screen_fit.place(dialog, desk, Kind.DIALOG)
    QApplication.processEvents()
    assert screen_fit.misfits(dialog, desk.room(Kind.DIALOG)) == []
    screen_fit.screenshot(dialog, f"stats-weights-{desk_name}", tmp_path)
