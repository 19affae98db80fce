"""QA defects of the 统计 workspace, on both backends.

* A refused range left the earlier period's tables and charts on screen, and 导出 Excel… /
  月度报告 PDF… enabled — exporting that earlier period (a failed read likewise).
* Saving the report over an existing one on a full disk destroyed the old file.
* The save dialogs opened in the program's working folder.
* A year's weekly 满意率 chart labelled every week "…" (screenshot kept, see below).
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.errors import EnvironmentProblem
from app.people import users
from tests.gui import screen_fit
from tests.gui.chart_texts import axis_texts
from tests.gui.screen_fit import Kind
from tests.helpers import stats_month, stats_year
from tests.helpers.full_disk import disk_fills_after
from tests.helpers.pdf import pdf_text
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.stats import exporting, workspace
from ui.stats.workspace import StatsWorkspace

DECEMBER = date(2026, 12, 10)  # 上月 is November 2026, the month of the fixed day


def _workspace(qtbot: QtBot, ctx: AppContext) -> StatsWorkspace:
    w = StatsWorkspace(ctx, users.demo_actor(ctx.db, "supervisor"), today=DECEMBER)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    return w


def _shown_rows(w: StatsWorkspace) -> int:
    views = (w.queue_view, w.case_view, w.sat_view, w.dept_view)
    return sum(v.table.rowCount() for v in views)


def test_a_refused_range_clears_the_figures_and_the_exports_wait_for_a_good_one(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)
    assert w.excel_button.isEnabled() and w.pdf_button.isEnabled()
    assert _shown_rows(w) > 0 and w.sat_chart.points
    w.set_range(date(2026, 11, 1), date(2029, 11, 30))
    w.load()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert w.range_error.isVisibleTo(w) and w.range_error.text() == "统计区间最长两年。"
    assert w.bundle is None and _shown_rows(w) == 0
    for chart in (w.queue_chart, w.wait_chart, w.sat_chart):
        assert chart.points == [] and chart.chart().title().endswith("（未统计）")
    assert not w.excel_button.isEnabled() and not w.pdf_button.isEnabled()
    assert w.status.text() == "未统计：请改正统计期间后再按“统计”。"
    assert w.sat_view.table.columnCount() == 0  # not the earlier table's headers
    w.resize(1366, 700)
    w.tabs.setCurrentWidget(w.sat_tab)
    assert axis_texts(w.sat_chart) == []  # the old weeks' axis gone (deleted by the loop)
    screen_fit.screenshot(w, "stats-refused-range", tmp_path)

    def not_asked(*_a: object) -> str:
        raise AssertionError("an export of no period")

    monkeypatch.setattr(exporting.SaveAs, "ask", staticmethod(not_asked))
    w.export_excel()
    w.export_report()
    w.set_range(*stats_month.MONTH)  # corrected: 统计 again brings figures and exports back
    w.load()
    assert not w.excel_button.isEnabled()  # not while the 统计 runs
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    assert not w.range_error.isVisibleTo(w) and _shown_rows(w) > 0
    assert w.excel_button.isEnabled() and w.pdf_button.isEnabled()
    assert w.sat_chart.chart().title() == "满意率按周走势（%）"


def test_a_failed_read_clears_the_figures_too(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)

    def lost(*_a: object) -> None:
        raise EnvironmentProblem("数据库连接中断，请稍后重试。")

    monkeypatch.setattr(workspace.bundle, "load", lost)
    w.load()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    [box] = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert box.text() == "数据库连接中断，请稍后重试。"
    box.close()
    assert w.bundle is None and _shown_rows(w) == 0 and not w.pdf_button.isEnabled()
    assert w.status.text() == "未统计：读取数据失败，请稍后再按“统计”。"
    assert w.load_button.isEnabled()


def test_a_report_saved_on_a_full_disk_leaves_the_old_one_whole(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)
    folder = tmp_path / "报告"
    folder.mkdir()
    target = folder / "report.pdf"
    old = b"%PDF-1.4 last month's report\n" * 200
    target.write_bytes(old)
    monkeypatch.setattr(exporting.SaveAs, "ask", staticmethod(lambda *_a: str(target)))
    with monkeypatch.context() as m:
        disk_fills_after(m, 4096)  # the report is tens of KB: the disk fills midway
        w.export_report()
        qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert w.status.text() == "月度报告未能保存：无法保存文件：磁盘空间已满"
    assert target.read_bytes() == old
    assert [p.name for p in folder.iterdir()] == ["report.pdf"]  # no temporary file
    w.export_report()  # room again
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and "已保存月度报告" in w.status.text())
    assert "2026年11月 月度大厅报告" in pdf_text(target.read_bytes(), tmp_path)
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in folder.iterdir()] == ["report.pdf"]


def test_the_save_dialogs_open_in_documents_then_where_the_last_export_went(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setattr(exporting.SaveAs, "last_folder", None)
    stats_month.seed(ctx.db)
    w = _workspace(qtbot, ctx)
    opened: list[Path] = []
    answer = [""]

    def dialog(_parent: QWidget, _title: str, start: str, _filters: str) -> tuple[str, str]:
        opened.append(Path(start))
        return answer[0], ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    w.export_excel()  # cancelled
    w.export_report()
    assert w.bundle is not None
    name = f"{w.bundle.hall_name}-月度报告-2026-11.pdf"
    assert opened == [home / "Documents" / f"{w._file_name()}.xlsx", home / "Documents" / name]
    elsewhere = tmp_path / "共享" / "统计"
    elsewhere.mkdir(parents=True)
    answer[0] = str(elsewhere / "十一月.xlsx")
    w.export_excel()
    job = w.export_job
    assert job is not None
    with qtbot.waitSignal(job.finished):
        pass
    answer[0] = ""
    w.export_report()
    assert opened[-1] == elsewhere / name  # the folder last used this session
    monkeypatch.setattr(exporting.SaveAs, "last_folder", None)
    (home / "Documents").rmdir()  # no Documents folder (a fresh Linux account): home
    w.export_report()
    assert opened[-1] == home / name and Path.cwd() not in [p.parent for p in opened]


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_a_year_of_weeks_reads_on_the_satisfaction_tab(
    qtbot: QtBot, ctx: AppContext, desk_name: str, tmp_path: Path, app_style: None
) -> None:
    """Screenshot: stats-satisfaction-year-<desk>.png ($ONEWINDOW_SCREENSHOTS)."""
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    stats_year.seed(ctx.db)
    window = MainWindow(ctx, users.demo_actor(ctx.db, "supervisor"))
    qtbot.addWidget(window)
    w = window.stats_workspace
    w.today = stats_year.YEAR[1]
    w.preset.setCurrentIndex(w.preset.findData("this_year"))
    w.apply_preset()
    window.tabs.setCurrentWidget(w)
    screen_fit.place(window, desk, Kind.WORKSPACE)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and w.bundle is not None)
    w.tabs.setCurrentWidget(w.sat_tab)
    QApplication.processEvents()
    assert len(w.sat_chart.points) == 53
    labels = axis_texts(w.sat_chart)
    assert labels == [f"2026-W{1 + 5 * i:02d}" for i in range(11)], labels
    assert screen_fit.misfits(window, desk.room(Kind.WORKSPACE)) == []
    screen_fit.screenshot(window, f"stats-satisfaction-year-{desk_name}", tmp_path)
