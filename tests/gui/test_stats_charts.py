"""The 统计 charts' axes: ticks that read apart (sub-minute waits are not "0, 1, 1"), and a
year's 53 week labels thinned to every fifth (not all elided to "…")."""

from __future__ import annotations

from PySide6.QtCharts import QCategoryAxis, QValueAxis
from pytestqt.qtbot import QtBot

from tests.gui.chart_texts import axis_texts
from ui.stats.charts import Chart, tick_format


def test_tick_format_shows_steps_apart() -> None:
    assert tick_format(30, 4) == "%.0f"
    assert tick_format(1.0, 6) == "%.1f"  # 0.0, 0.2 … 1.0
    assert tick_format(0.25, 6) == "%.2f"  # 0.00, 0.05 … 0.25
    assert tick_format(0, 1) == "%.2f"


def _y_labels(chart: Chart) -> list[str]:
    [axis] = [a for a in chart.chart().axes() if isinstance(a, QValueAxis)]
    step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
    fmt = axis.labelFormat()
    return [fmt % (axis.min() + i * step) for i in range(axis.tickCount())]


def test_sub_minute_waits_get_decimal_ticks(qtbot: QtBot) -> None:
    chart = Chart("各时段平均等候（分钟）", "bars", "分钟")
    qtbot.addWidget(chart)
    chart.set_points([("9时", 0.3), ("10时", 0.7)])
    labels = _y_labels(chart)
    assert len(set(labels)) == len(labels), labels  # no tick label repeats
    chart.set_points([("9时", 18.8), ("10时", 5.0)])
    labels = _y_labels(chart)
    assert len(set(labels)) == len(labels) and all("." not in x for x in labels), labels


def test_the_queue_line_names_every_hour(qtbot: QtBot) -> None:
    chart = Chart("全天排队人数", "line", "人数", hour_marks=True)
    qtbot.addWidget(chart)
    chart.set_points([(f"{8 + i // 4:02d}:{i % 4 * 15:02d}", float(i % 5)) for i in range(20)])
    [x_axis] = [a for a in chart.chart().axes() if isinstance(a, QCategoryAxis)]
    assert x_axis.categoriesLabels() == ["08:00", "09:00", "10:00", "11:00", "12:00"]


def test_a_years_weeks_are_labelled_every_fifth_week_not_all_elided(qtbot: QtBot) -> None:
    """QA: with 53 weekly labels Qt drew every one of them as "…"."""
    chart = Chart("满意率按周走势（%）", "line", "%", y_max=100)
    qtbot.addWidget(chart)
    chart.resize(1300, 300)
    chart.show()
    chart.set_points([(f"2026-W{i:02d}", 80.0 + i % 10) for i in range(1, 54)])
    assert axis_texts(chart) == [f"2026-W{1 + 5 * i:02d}" for i in range(11)]
    chart.set_points([(f"2026-W{i:02d}", 80.0) for i in range(45, 57)])  # 12 weeks: all
    assert axis_texts(chart) == [f"2026-W{i:02d}" for i in range(45, 57)]


def test_a_refused_range_leaves_the_chart_saying_not_loaded(qtbot: QtBot) -> None:
    chart = Chart("满意率按周走势（%）", "line", "%", y_max=100)
    qtbot.addWidget(chart)
    assert chart.chart().title() == "满意率按周走势（%）（未统计）"
    chart.set_points([])
    assert chart.chart().title() == "满意率按周走势（%）（无数据）"
    chart.set_points([("2026-W45", 66.7)])
    chart.clear()
    assert chart.chart().title() == "满意率按周走势（%）（未统计）" and chart.points == []
