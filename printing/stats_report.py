"""月度大厅报告 (monthly hall report), A4: headline figures, charts, bad-rating reasons, scores.

Takes the plain :class:`app.documents.HallReport` snapshot, titled by its range (a month's
report, or a 大厅统计报告 of any other range) and, for an approver, naming the departments
it is limited to under the title and in every page's footer. The charts are reportlab
graphics (vector, drawn from the numbers — not screenshots of the screen's charts):
queue length over the day (line), mean wait per hour (bars), 满意率 by week (line); an
x-axis names at most about twelve categories (:mod:`app.chartaxis`).
Text goes through :mod:`printing.drawing` so Chinese prints with the embedded font.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.chartaxis import label_step, shown_labels
from app.documents import HallReport
from printing.drawing import text, width
from printing.fonts import register_fonts

LEFT, RIGHT = 18 * mm, A4[0] - 18 * mm
BODY = RIGHT - LEFT
TOP, BOTTOM = A4[1] - 18 * mm, 18 * mm
BLUE = colors.HexColor("#2F6DB5")
GREY = colors.HexColor("#666666")


class _Page:
    """A cursor down the page; a new page when the next block does not fit."""

    def __init__(self, c: Canvas, report: HallReport) -> None:
        self.c, self.report, self.y, self.number = c, report, TOP, 1

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.footer()
            self.c.showPage()
            self.number += 1
            self.y = TOP

    def footer(self) -> None:
        r = self.report
        self.c.setFillColor(GREY)
        scope = f" · {r.only}" if r.only else ""
        text(self.c, LEFT, 10 * mm, f"{r.hall_name} · {r.period}{scope} · 打印于 {r.printed_on}", 8)
        text(self.c, RIGHT, 10 * mm, f"第 {self.number} 页", 8, align="right")
        self.c.setFillColor(colors.black)

    def heading(self, s: str, keep: float = 20 * mm) -> None:
        """A section title, kept on one page with the first ``keep`` of its section."""
        self.need(12 * mm + keep)
        self.y -= 8 * mm
        self.c.setFillColor(BLUE)
        text(self.c, LEFT, self.y, s, 12)
        self.c.setFillColor(colors.black)
        self.y -= 3 * mm


def hall_report_pdf(report: HallReport) -> bytes:
    """The report as PDF bytes (one or two A4 pages)."""
    font = register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"{report.title}{f'（{report.only}）' if report.only else ''} {report.period}")
    page = _Page(c, report)
    _centred(c, page.y - 6 * mm, report.title, 18)
    text(c, A4[0] / 2, page.y - 13 * mm, f"统计期间：{report.period}", 10, align="center")
    page.y -= 18 * mm
    if report.only:  # an approver's departments, not the hall: said before any figure
        c.setFillColor(BLUE)
        _centred(c, page.y - 1 * mm, f"（{report.only}，不是全大厅的数据）", 11)
        c.setFillColor(colors.black)
        page.y -= 7 * mm
    _headline(page, report.headline)
    if report.queue_length:
        page.heading("全天排队人数（每 15 分钟平均等候人数）", 55 * mm)
        _chart(page, _queue_line(report, font), 55 * mm)
    if report.waits_per_hour:
        page.heading("各时段平均等候（分钟）", 50 * mm)
        _chart(page, _wait_bars(report, font), 50 * mm)
    page.heading("满意率按周走势（%）", 50 * mm)
    if report.weekly_satisfaction:
        _chart(page, _weekly_line(report, font), 50 * mm)
    else:
        _note(page, "本期没有评价。")
    page.heading(f"差评主要原因（差评共 {report.bad_total} 条）")
    if report.bad_reasons:
        rows = [(r, str(n)) for r, n in report.bad_reasons]
        _table(page, ("原因", "差评数"), rows, (BODY * 0.7, BODY * 0.3))
    else:
        _note(page, "本期没有差评。")
    page.heading("部门绩效")
    if report.departments:
        head = ("部门", "办结任务", "响应率", "按期办结率", "返工率", "满意率", "得分")
        widths = (BODY * 0.22, *([BODY * 0.13] * 6))
        _table(page, head, report.departments, widths)
        _note(page, f"得分权重：{report.weights}；办结任务少于 30 件的部门显示“样本不足”。")
    else:
        _note(page, "本期没有部门办件。")
    if report.event_line:
        page.heading("群众诉求处置")
        _note(page, report.event_line)
        if report.event_departments:
            head = ("主办部门", "派遣", "响应率", "处置", "按期处置率", "返工率", "满意率")
            widths = (BODY * 0.22, *([BODY * 0.13] * 6))
            _table(page, head, report.event_departments, widths)
    page.footer()
    c.save()
    return buf.getvalue()


def _centred(c: Canvas, y: float, s: str, size: float) -> None:
    """One centred line, smaller where it would not fit (a long hall name), never cut."""
    while size > 7 and width(s, size) > BODY:
        size -= 0.5
    text(c, A4[0] / 2, y, s, size, align="center")


def _headline(page: _Page, figures: Sequence[tuple[str, str]]) -> None:
    cols = 3
    box_w, box_h = BODY / cols, 20 * mm
    rows = (len(figures) + cols - 1) // cols
    page.need(rows * box_h)
    c = page.c
    for i, (label, value) in enumerate(figures):
        x = LEFT + (i % cols) * box_w
        top = page.y - (i // cols) * box_h
        c.setStrokeColor(colors.HexColor("#BBBBBB"))
        c.roundRect(x + 1.5 * mm, top - box_h + 1.5 * mm, box_w - 3 * mm, box_h - 3 * mm, 2 * mm)
        c.setFillColor(BLUE)
        text(c, x + box_w / 2, top - 10 * mm, value, 16, align="center")
        c.setFillColor(GREY)
        text(c, x + box_w / 2, top - 15.5 * mm, label, 9, align="center")
        c.setFillColor(colors.black)
    page.y -= rows * box_h


def _chart(page: _Page, drawing: Drawing, height: float) -> None:
    page.need(height)
    renderPDF.draw(drawing, page.c, LEFT, page.y - height)
    page.y -= height


def _note(page: _Page, s: str) -> None:
    page.need(7 * mm)
    page.y -= 5 * mm
    page.c.setFillColor(GREY)
    text(page.c, LEFT, page.y, s, 9)
    page.c.setFillColor(colors.black)


def _fit(s: str, w: float, size: float) -> str:
    while s and width(s, size) > w - 2 * mm:
        s = s[:-1]
    return s


def _table(
    page: _Page, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> None:
    c, line = page.c, 6.5 * mm

    def row(cells: Sequence[str], bold: bool) -> None:
        page.need(line)
        if bold:
            c.setFillColor(colors.HexColor("#DDEBF7"))
            c.rect(LEFT, page.y - line, BODY, line, stroke=0, fill=1)
            c.setFillColor(colors.black)
        x = LEFT
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            shown = _fit(cell, w, 9)
            if i == 0:
                text(c, x + 1 * mm, page.y - line + 2 * mm, shown, 9)
            else:
                text(c, x + w - 1 * mm, page.y - line + 2 * mm, shown, 9, align="right")
            x += w
        c.setStrokeColor(colors.HexColor("#CCCCCC"))
        c.line(LEFT, page.y - line, RIGHT, page.y - line)
        page.y -= line

    page.y -= 1 * mm
    row(head, True)
    for r in rows:
        row(r, False)


def _axes(chart: HorizontalLineChart | VerticalBarChart, font: str) -> None:
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0


def _line(height: float, labels: list[str], values: list[float], font: str) -> Drawing:
    d = Drawing(BODY, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = BODY - 16 * mm, height - 12 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    chart.lines[0].strokeColor = BLUE
    chart.lines[0].strokeWidth = 1.5
    _axes(chart, font)
    d.add(chart)
    return d


def _queue_line(r: HallReport, font: str) -> Drawing:
    hours = [i for i, (t, _v) in enumerate(r.queue_length) if t.endswith(":00")]
    step = label_step(len(hours))
    keep = set(hours[::step])
    labels = [t if i in keep else "" for i, (t, _v) in enumerate(r.queue_length)]
    return _line(55 * mm, labels, [v for _t, v in r.queue_length], font)


def _weekly_line(r: HallReport, font: str) -> Drawing:
    d = _line(
        50 * mm,
        shown_labels([w for w, _v in r.weekly_satisfaction]),
        [v for _w, v in r.weekly_satisfaction],
        font,
    )
    chart = d.contents[0]
    chart.valueAxis.valueMax = 100
    chart.lines[0].symbol = makeMarker("FilledCircle")  # a single week is a dot
    return d


def _wait_bars(r: HallReport, font: str) -> Drawing:
    d = Drawing(BODY, 50 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    chart.width, chart.height = BODY - 16 * mm, 38 * mm
    chart.data = [[m for _h, m in r.waits_per_hour]]
    chart.categoryAxis.categoryNames = [f"{h}时" for h, _m in r.waits_per_hour]
    chart.bars[0].fillColor = BLUE
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 5
    _axes(chart, font)
    d.add(chart)
    return d
