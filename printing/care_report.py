"""探访关爱月报 (monthly care report), A4 landscape: headline, the table by grid and worker
(the hall's total last, in bold), people per group, and the people overdue at the end.

Takes the plain :class:`app.documents.CareMonthReport` snapshot; text goes through
:mod:`printing.drawing` so Chinese prints with the embedded font. Names of overdue people
are an internal list for the supervisor (the report is not published).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import CareMonthReport
from printing.drawing import text, width
from printing.fonts import register_fonts

PAGE = landscape(A4)
LEFT, RIGHT = 14 * mm, PAGE[0] - 14 * mm
BODY = RIGHT - LEFT
TOP, BOTTOM = PAGE[1] - 14 * mm, 16 * mm
BLUE = colors.HexColor("#2F6DB5")
GREY = colors.HexColor("#666666")
HEAD_FILL = colors.HexColor("#DDEBF7")
LINE = 6.5 * mm
NAMES_PER_ROW = 6


class _Page:
    """A cursor down the page; a new page (with the table head again) when needed."""

    def __init__(self, c: Canvas, report: CareMonthReport) -> None:
        self.c, self.report, self.y, self.number = c, report, TOP, 1

    def need(self, height: float) -> bool:
        """Start a new page if ``height`` does not fit; True if it did."""
        if self.y - height >= BOTTOM:
            return False
        self.footer()
        self.c.showPage()
        self.number += 1
        self.y = TOP
        return True

    def footer(self) -> None:
        r = self.report
        self.c.setFillColor(GREY)
        text(self.c, LEFT, 8 * mm, f"{r.title} · {r.period} · 打印于 {r.printed_on}", 8)
        text(self.c, RIGHT, 8 * mm, f"第 {self.number} 页", 8, align="right")
        self.c.setFillColor(colors.black)

    def heading(self, s: str) -> None:
        self.need(12 * mm + 2 * LINE)
        self.y -= 8 * mm
        self.c.setFillColor(BLUE)
        text(self.c, LEFT, self.y, s, 12)
        self.c.setFillColor(colors.black)
        self.y -= 3 * mm


def care_report_pdf(report: CareMonthReport) -> bytes:
    """The report as PDF bytes."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=PAGE, pageCompression=1)
    c.setTitle(f"{report.title} {report.period}")
    page = _Page(c, report)
    text(c, PAGE[0] / 2, page.y - 6 * mm, report.title, 17, align="center")
    text(c, PAGE[0] / 2, page.y - 12 * mm, f"统计期间：{report.period}", 10, align="center")
    page.y -= 17 * mm
    _headline(page, report.headline)
    page.heading("按网格和责任人")
    first, second = BODY * 0.13, BODY * 0.09
    rest = (BODY - first - second) / (len(report.head) - 2)
    widths = (first, second, *([rest] * (len(report.head) - 2)))
    _table(page, report.head, report.rows, widths, bold_last=True)
    c.setFillColor(GREY)
    page.need(6 * mm)
    text(
        c,
        LEFT,
        page.y - 4 * mm,
        "探访率 = 本期每个探访计划都按频次按期探访（任何一天都未逾期）、重大变故均在 24 小时内"
        "探访的人数 ÷ 有探访计划的人数；逾期以大厅所在地日历日计。",
        8,
    )
    c.setFillColor(colors.black)
    page.y -= 6 * mm
    page.heading("人群类别")
    pairs = [
        tuple(cell for pair in report.groups[i : i + 2] for cell in pair)
        for i in range(0, len(report.groups), 2)
    ]
    pairs = [p if len(p) == 4 else (*p, "", "") for p in pairs]
    quarter = BODY / 4
    widths4 = (quarter * 0.7, quarter * 0.3, quarter * 0.7, quarter * 0.3)
    _table(page, ("人群类别", "人数", "人群类别", "人数"), pairs, widths4)
    page.heading(f"期末逾期人员（{len(report.overdue)} 人）")
    if report.overdue:
        cells = [
            report.overdue[i : i + NAMES_PER_ROW]
            for i in range(0, len(report.overdue), NAMES_PER_ROW)
        ]
        for chunk in cells:
            page.need(LINE)
            for i, name in enumerate(chunk):
                x = LEFT + i * BODY / NAMES_PER_ROW
                text(c, x + 1 * mm, page.y - LINE + 2 * mm, _fit(name, BODY / NAMES_PER_ROW, 9), 9)
            page.y -= LINE
    else:
        page.need(LINE)
        text(c, LEFT, page.y - 5 * mm, "期末没有逾期未探访的服务对象。", 9)
        page.y -= LINE
    page.footer()
    c.save()
    return buf.getvalue()


def _headline(page: _Page, figures: Sequence[tuple[str, str]]) -> None:
    c, box = page.c, BODY / len(figures)
    for i, (label, value) in enumerate(figures):
        x = LEFT + i * box
        c.setFillColor(HEAD_FILL)
        c.roundRect(x + 1 * mm, page.y - 17 * mm, box - 2 * mm, 16 * mm, 2 * mm, stroke=0, fill=1)
        c.setFillColor(colors.black)
        text(c, x + box / 2, page.y - 8 * mm, value, 14, align="center")
        c.setFillColor(GREY)
        text(c, x + box / 2, page.y - 14 * mm, label, 8.5, align="center")
        c.setFillColor(colors.black)
    page.y -= 19 * mm


def _fit(s: str, w: float, size: float) -> str:
    if width(s, size) <= w - 2 * mm:
        return s
    while s and width(s + "…", size) > w - 2 * mm:
        s = s[:-1]
    return s + "…"


def _table(
    page: _Page,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    bold_last: bool = False,
) -> None:
    c = page.c
    total = sum(widths)

    def row(cells: Sequence[str], shaded: bool) -> None:
        size = 9
        if shaded:
            c.setFillColor(HEAD_FILL)
            c.rect(LEFT, page.y - LINE, total, LINE, stroke=0, fill=1)
            c.setFillColor(colors.black)
        x = LEFT
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            shown = _fit(cell, w, size)
            if i == 0 or not (cell[:1].isdigit() or cell == "—"):
                text(c, x + 1 * mm, page.y - LINE + 2 * mm, shown, size)
            else:
                text(c, x + w - 1 * mm, page.y - LINE + 2 * mm, shown, size, align="right")
            x += w
        c.setStrokeColor(colors.HexColor("#CCCCCC"))
        c.line(LEFT, page.y - LINE, LEFT + total, page.y - LINE)
        page.y -= LINE

    def header() -> None:
        """The head, each cell on up to two lines (智能设备预警 / 次数)."""
        tall = 2 * LINE - 2 * mm
        page.need(tall + LINE)
        c.setFillColor(HEAD_FILL)
        c.rect(LEFT, page.y - tall, total, tall, stroke=0, fill=1)
        c.setFillColor(colors.black)
        x = LEFT
        for cell, w in zip(head, widths, strict=True):
            lines = [cell]
            if "（" in cell:  # the unit on its own line, as on screen
                lines = [cell[: cell.index("（")], cell[cell.index("（") :]]
            elif width(cell, 8) > w - 2 * mm:
                half = (len(cell) + 1) // 2
                lines = [cell[:half], _fit(cell[half:], w, 8)]
            for k, line in enumerate(lines):
                y = page.y - tall + 2 * mm + (len(lines) - 1 - k) * 3.6 * mm
                text(c, x + w / 2, y, line, 8, align="center")
            x += w
        page.y -= tall

    page.y -= 1 * mm
    header()
    for n, r in enumerate(rows):
        if page.need(LINE):
            header()  # the head again on a new page
        row(r, bold_last and n == len(rows) - 1)
