"""事件处置 in the 统计 workspace (issue 19), on both backends with a fixed clock: the
summary line, the stage times and the departments' figures of a fixed set of events (the
set and hand computations of ``tests/db/test_incident_stages.py``), the tab absent for a
period without events, the three sheets in the workbook, and the tab fitting both desks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db.models import Incident
from app.db.session import Database
from app.incidents import lifecycle, progress, reporting
from app.people import users
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers.incidents import COVER, START, fixed_clock, people, version
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.stats import exporting
from ui.stats.table_view import TableView
from ui.stats.workspace import StatsWorkspace

NOVEMBER = date(2026, 11, 10)  # 上月 is October 2026, the month of the fixed set
SUMMARY = (
    "上报 3 件，派单目录自动派遣 3 件（100.0%），结案 1 件，"
    "上报至派遣 中位 0 分钟 / P90 0 分钟（工作时间）"
)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    return fixed_clock(monkeypatch)


def _fixed_set(db: Database, at: Callable[[datetime], None]) -> None:
    """Three 井盖 events on Thursday 29 October 2026, all dispatched to 市政 (SZ) at 10:00:
    two signed at 10:20, one late at 12:00; the first fed back at 12:00 in time and closed,
    rated 不满意; the second fed back late at 15:00 and sent back (返工)."""
    clerk, dispatcher, szs = people(db)
    ids = [reporting.report(db, clerk, COVER).incident_id for _ in range(3)]
    at(START + timedelta(minutes=20))
    lifecycle.sign(db, szs, ids[0], version(db, ids[0]))
    lifecycle.sign(db, szs, ids[1], version(db, ids[1]))
    at(START + timedelta(hours=2))
    lifecycle.sign(db, szs, ids[2], version(db, ids[2]))
    lifecycle.feed_back(db, szs, ids[0], version(db, ids[0]), "已更换井盖")
    at(START + timedelta(hours=5))
    lifecycle.feed_back(db, szs, ids[1], version(db, ids[1]), "已更换井盖")
    lifecycle.verify(db, dispatcher, ids[0], version(db, ids[0]), passed=True)
    lifecycle.verify(db, dispatcher, ids[1], version(db, ids[1]), passed=False, note="井盖仍松动")
    number = _number(db, ids[0])
    assert clerk.hall_id is not None
    progress.rate(db, clerk.hall_id, number, version(db, ids[0]), 2)


def _number(db: Database, incident_id: int) -> str:
    with db.read_only() as s:
        found = s.get(Incident, incident_id)
        assert found is not None
        return found.number


def _rows(view: TableView) -> list[list[str]]:
    table = view.table
    return [
        [view.cell_text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())
    ]


def _workspace(qtbot: QtBot, ctx: AppContext) -> StatsWorkspace:
    w = StatsWorkspace(ctx, users.demo_actor(ctx.db, "supervisor"), today=NOVEMBER)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    return w


def test_the_events_tab_shows_the_figures_of_a_fixed_set(
    qtbot: QtBot,
    ctx: AppContext,
    at: Callable[[datetime], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _fixed_set(ctx.db, at)
    w = _workspace(qtbot, ctx)
    assert w.preset.currentText() == "上月" and w.first.date().toString("yyyy-MM") == "2026-10"
    tabs = [w.tabs.tabText(i) for i in range(w.tabs.count())]
    assert tabs == ["排队", "办件", "满意度", "部门绩效", "事件处置"]
    e = w.events_tab
    assert e.summary.text() == SUMMARY
    stages = _rows(e.stage_view)
    assert [r[0] for r in stages] == ["受理", "派遣", "签收", "处置", "核查"]
    assert stages[2] == ["签收", "3", "20", "120", "1"]  # one signed late (due 11:00)
    assert stages[3][1] == "2" and stages[3][4] == "1"  # two fed back, one late
    assert e.stage_view.table.horizontalHeaderItem(2).text() == "中位\n（工作分钟）"
    assert _rows(e.dept_view) == [
        [
            "市政设施管理处",
            "3",  # 派遣
            "2",  # signed in time
            "66.7%",  # 响应率
            "2",  # 处置 ended in a 反馈
            "1",
            "50.0%",  # 按期处置率
            "2",  # 核查 outcomes
            "1",  # 返工
            "50.0%",  # 返工率
            "1",  # rated
            "0",  # 不满意
            "0.0%",  # 满意率
        ]
    ]

    target = tmp_path / "统计"
    monkeypatch.setattr(exporting.SaveAs, "ask", staticmethod(lambda *_a: str(target)))
    w.export_excel()
    job = w.export_job
    assert job is not None
    with qtbot.waitSignal(job.finished) as written:
        pass
    assert written.args == [True]
    book = openpyxl.load_workbook(tmp_path / "统计.xlsx")
    assert book.sheetnames[-3:] == ["事件-概况", "事件-环节用时", "事件-部门处置"]
    depts = book["事件-部门处置"]
    assert [c.value for c in depts[2]][:4] == ["市政设施管理处", 3, 2, pytest.approx(2 / 3)]
    assert [c.value for c in book["事件-概况"][2]] == [3, 3, 1, 1, 0, 0]

    w.set_range(date(2026, 9, 1), date(2026, 9, 30))  # no events then: no tab, no sheets
    w.load()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert w.tabs.indexOf(e) < 0 and e.tables() == []
    assert w.excel_button.isEnabled()


def test_an_approver_sees_no_events_tab(
    qtbot: QtBot, ctx: AppContext, at: Callable[[datetime], None]
) -> None:
    _fixed_set(ctx.db, at)
    w = StatsWorkspace(ctx, users.demo_actor(ctx.db, "approver"), today=NOVEMBER)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    assert w.tabs.indexOf(w.events_tab) < 0 and w.events_tab.figures is None


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_events_tab_fits(
    qtbot: QtBot,
    ctx: AppContext,
    at: Callable[[datetime], None],
    desk_name: str,
    tmp_path: Path,
    app_style: None,
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    _fixed_set(ctx.db, at)
    window = MainWindow(ctx, users.demo_actor(ctx.db, "supervisor"))
    qtbot.addWidget(window)
    w = window.stats_workspace
    w.today = NOVEMBER
    w.apply_preset()
    window.tabs.setCurrentWidget(w)
    screen_fit.place(window, desk, Kind.WORKSPACE)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.events_tab.figures is not None)
    w.tabs.setCurrentWidget(w.events_tab)
    QApplication.processEvents()
    assert screen_fit.misfits(window, desk.room(Kind.WORKSPACE)) == []
    screen_fit.screenshot(window, f"stats-events-{desk_name}", tmp_path)
