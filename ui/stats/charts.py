"""The workspace's charts, drawn with Qt Charts.

Why Qt Charts (``PySide6.QtCharts``): it ships in PySide6-Addons, which the program
already depends on (text-to-speech, multimedia) — no new dependency; the charts are
native Qt widgets that take the application's font (Chinese labels) and palette; and
they render on the offscreen platform, so the screen tests and screenshots cover them.
pyqtgraph or matplotlib would add a package (matplotlib a large one) for three charts.

Three charts: queue length over the day (line), mean wait per hour (bars), 满意率 by
week (line, per cent). Each :class:`Chart` is built once and given new points on reload.
A line's x-axis names at most about twelve points (every k-th week of a year's 53, see
:mod:`app.chartaxis`): with more, Qt elides every label to "…".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.chartaxis import label_step

BLUE = QColor("#2F6DB5")


def tick_format(span: float, ticks: int) -> str:
    """A printf format showing the axis ticks apart: ``"%.0f"`` for steps of 1 or more,
    ``"%.1f"`` for 0.1–0.9, ``"%.2f"`` below (sub-minute waits read 0.25, 0.50 …, not 0, 1)."""
    step = span / max(1, ticks - 1)
    if step >= 1 - 1e-9:
        return "%.0f"
    return "%.1f" if step >= 0.1 - 1e-9 else "%.2f"


class Chart(QChartView):
    """A titled chart of (label, value) points: ``line`` or ``bars``.

    ``hour_marks``: on a line of ``HH:MM`` labels, show only the full hours on the axis.
    """

    def __init__(
        self,
        title: str,
        kind: str,
        y_title: str,
        y_max: float | None = None,
        hour_marks: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        chart = QChart()
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 20, 4))  # room for the last label on the right
        chart.setBackgroundRoundness(0)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.base_title = title
        self.kind, self.y_title, self.y_max, self.hour_marks = kind, y_title, y_max, hour_marks
        self.points: list[tuple[str, float]] = []
        self.clear()

    def clear(self) -> None:
        """No figures (none loaded, or the range was refused): 未统计 in the title."""
        self.set_points([], self.tr("（未统计）"))

    def set_points(self, points: Sequence[tuple[str, float]], empty: str | None = None) -> None:
        """Show ``points`` (label, value); an empty list shows ``empty`` (无数据) in the title."""
        self.points = list(points)
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        note = self.tr("（无数据）") if empty is None else empty
        chart.setTitle(self.base_title if self.points else self.base_title + note)
        labels = [p[0] for p in self.points]
        values = [p[1] for p in self.points]
        if self.kind == "bars":
            bars = QBarSet(self.y_title)
            bars.append(values)
            bars.setColor(BLUE)
            series: QBarSeries | QLineSeries = QBarSeries()
            assert isinstance(series, QBarSeries)
            series.append(bars)
            series.setLabelsVisible(True)
            series.setLabelsFormat("@value")
            series.setLabelsPrecision(3)
            x_axis: QBarCategoryAxis | QCategoryAxis = QBarCategoryAxis()
            assert isinstance(x_axis, QBarCategoryAxis)
            x_axis.append(labels or [""])
        else:
            series = QLineSeries()
            series.setPen(QPen(BLUE, 2))
            series.setPointsVisible(len(values) < 20)
            for i, v in enumerate(values):
                series.append(QPointF(i, v))
            x_axis = QCategoryAxis()
            assert isinstance(x_axis, QCategoryAxis)
            x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            if len(values) == 1:
                x_axis.setRange(-1, 1)  # one point (a single week) in the middle
            else:
                x_axis.setRange(0, max(1, len(values) - 1))
            marks = [i for i, x in enumerate(labels) if not self.hour_marks or x.endswith(":00")]
            for i in marks[:: label_step(len(marks))]:
                x_axis.append(labels[i], i)
        chart.addSeries(series)
        y_axis = QValueAxis()
        y_axis.setTitleText(self.y_title)
        top = max(values, default=0.0)
        y_axis.setRange(0, self.y_max if self.y_max is not None else max(1.0, top * 1.15))
        if self.y_max is None:
            y_axis.applyNiceNumbers()  # ticks on round numbers, not 1.4, 2.9 …
        y_axis.setLabelFormat(tick_format(y_axis.max() - y_axis.min(), y_axis.tickCount()))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
