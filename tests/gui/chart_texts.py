"""What a Qt chart really draws under its x-axis (after Qt elided what does not fit)."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem, QGraphicsTextItem


def axis_texts(view: QChartView) -> list[str]:
    """The x-axis labels as drawn, left to right ("…" where Qt elided one)."""
    QApplication.processEvents()
    # the axes replaced by a reload leave the scene when the event loop deletes them
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    chart = view.chart()
    bottom = chart.mapToScene(chart.plotArea().bottomLeft()).y()
    found: list[tuple[float, str]] = []
    for item in view.scene().items():
        if isinstance(item, QGraphicsTextItem):
            text = item.toPlainText()
        elif isinstance(item, QGraphicsSimpleTextItem):
            text = item.text()
        else:
            continue
        box = item.sceneBoundingRect()
        if text and item.isVisible() and box.top() >= bottom - 1:
            found.append((box.left(), text))
    return [text for _x, text in sorted(found)]
