"""走访路线单 (route sheet), A4 landscape: the community worker's round on paper.

One line per visit due (overdue, today, within 2 days) in the due list's order (risk, then
lateness): name and age, masked phone, address, what to visit, the due label, what to check,
and an empty column to note the visit by hand. The phone is masked as on every printout;
the sheet says it holds personal information and is to be handed back.

Takes any object shaped like :class:`app.care.duelist.DueList` (see :class:`RouteSheet`):
``printing`` imports the foundation only, so the shape is declared here, not imported.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.drawing import text, wrap
from printing.fonts import register_fonts

PAGE = landscape(A4)
LEFT, RIGHT = 12 * mm, PAGE[0] - 12 * mm
TOP, BOTTOM = PAGE[1] - 12 * mm, 16 * mm
ROW_SIZE = 9.5
LEADING = 4.6 * mm
PAD = 1.5 * mm
# (heading, width in mm): 273 mm between the margins.
COLUMNS = (
    ("序号", 10),
    ("姓名", 24),
    ("电话", 25),
    ("住址", 52),
    ("探访内容", 38),
    ("到期", 20),
    ("需关注", 62),
    ("走访情况（手写）", 42),
)
BUCKETS = {"overdue": "逾期", "today": "今日到期", "soon": "2 日内到期"}


class RouteRow(Protocol):
    """One visit due, as :class:`app.care.views.DueRow` carries it."""

    @property
    def profile_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def age(self) -> int: ...
    @property
    def phone_masked(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def tier_label(self) -> str: ...
    @property
    def what(self) -> str: ...
    @property
    def bucket(self) -> str: ...
    @property
    def due_label(self) -> str: ...
    @property
    def check(self) -> str: ...
    @property
    def grid(self) -> str: ...


class RouteSheet(Protocol):
    """The list to print, as :class:`app.care.duelist.DueList` carries it."""

    @property
    def today(self) -> date: ...
    @property
    def hall_name(self) -> str: ...
    @property
    def worker(self) -> str: ...
    @property
    def rows(self) -> Sequence[RouteRow]: ...


@dataclass(frozen=True)
class _Line:
    cells: list[list[str]]  # each column's wrapped lines
    height: float
    overdue: bool


def _cells(n: int, row: RouteRow) -> list[str]:
    name = f"{row.name}\n{row.age} 岁 · {row.tier_label}"
    where = row.address + (f"\n（{row.grid}）" if row.grid else "")
    return [str(n), name, row.phone_masked, where, row.what, row.due_label, row.check, "□ 已走访"]


def _lines(sheet: RouteSheet) -> list[_Line]:
    out = []
    for n, row in enumerate(sheet.rows, 1):
        wrapped = [
            wrap(value, width * mm - 2 * PAD, ROW_SIZE)
            for value, (_, width) in zip(_cells(n, row), COLUMNS, strict=True)
        ]
        height = max(len(w) for w in wrapped) * LEADING + 2 * PAD
        out.append(_Line(wrapped, max(height, 12 * mm), row.bucket == "overdue"))
    return out


def _pages(lines: list[_Line], first_room: float, room: float) -> list[list[_Line]]:
    pages: list[list[_Line]] = [[]]
    left = first_room
    for line in lines:
        if line.height > left and pages[-1]:
            pages.append([])
            left = room
        pages[-1].append(line)
        left -= line.height
    return pages


def _header_row(c: Canvas, y: float) -> float:
    c.setFillColorRGB(0.91, 0.93, 0.96)
    c.rect(LEFT, y - 7 * mm, RIGHT - LEFT, 7 * mm, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    x = LEFT
    for heading, width in COLUMNS:
        text(c, x + PAD, y - 5 * mm, heading, 9.5)
        x += width * mm
    c.setLineWidth(0.6)
    c.line(LEFT, y, RIGHT, y)
    c.line(LEFT, y - 7 * mm, RIGHT, y - 7 * mm)
    _rules(c, y, y - 7 * mm)
    return float(y - 7 * mm)


def _rules(c: Canvas, top: float, bottom: float) -> None:
    """The column lines of a row (the last column is written in by hand)."""
    c.setLineWidth(0.3)
    x = LEFT
    c.line(x, top, x, bottom)
    for _heading, width in COLUMNS:
        x += width * mm
        c.line(x, top, x, bottom)


def _draw_line(c: Canvas, y: float, line: _Line) -> float:
    _rules(c, y, y - line.height)
    x = LEFT
    for col, parts in enumerate(line.cells):
        red = line.overdue and COLUMNS[col][0] == "到期"
        if red:
            c.setFillColorRGB(0.75, 0.1, 0.1)
        for i, part in enumerate(parts):
            text(c, x + PAD, y - PAD - 3.4 * mm - i * LEADING, part, ROW_SIZE)
        c.setFillColorRGB(0, 0, 0)
        x += COLUMNS[col][1] * mm
    y -= line.height
    c.setLineWidth(0.3)
    c.line(LEFT, y, RIGHT, y)
    return y


def _title(c: Canvas, sheet: RouteSheet, y: float) -> float:
    text(c, PAGE[0] / 2, y - 6 * mm, f"{sheet.hall_name} 走访路线单", 16, align="center")
    y -= 13 * mm
    counts = {key: sum(1 for r in sheet.rows if r.bucket == key) for key in BUCKETS}
    summary = "，".join(f"{label} {counts[key]} 项" for key, label in BUCKETS.items())
    people = len({r.profile_id for r in sheet.rows})
    line = f"日期：{sheet.today.isoformat()}　社区工作者：{sheet.worker}　共 {people} 人　{summary}"
    text(c, LEFT, y, line, 10)
    return float(y - 4 * mm)


def _footer(c: Canvas, sheet: RouteSheet, page: int, pages: int) -> None:
    c.setFillColorRGB(0.35, 0.35, 0.35)
    note = "本单含个人信息（电话已隐去），仅供当日走访使用，用后请交回或销毁。"
    text(c, LEFT, 9 * mm, note, 8.5)
    text(c, RIGHT, 9 * mm, f"{sheet.today.isoformat()} 第 {page} / {pages} 页", 8.5, "right")
    c.setFillColorRGB(0, 0, 0)


def render(sheet: RouteSheet) -> bytes:
    """The route sheet as PDF bytes: as many pages as the rows need, the heading repeated."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=PAGE)
    c.setTitle(f"{sheet.hall_name} 走访路线单 {sheet.today.isoformat()}")
    lines = _lines(sheet)
    title_height = 17 * mm
    header = 7 * mm
    room = TOP - BOTTOM - header
    pages = _pages(lines, room - title_height, room)
    for number, page in enumerate(pages, 1):
        y = TOP
        if number == 1:
            y = _title(c, sheet, y)
        y = _header_row(c, y)
        for line in page:
            y = _draw_line(c, y, line)
        if not lines:
            text(c, LEFT + PAD, y - 6 * mm, "今天没有需要走访的对象。", 10.5)
        _footer(c, sheet, number, len(pages))
        c.showPage()
    c.save()
    return buf.getvalue()
