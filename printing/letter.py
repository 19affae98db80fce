"""The frame every A4 notice shares: hall and title, addressee, page breaks, signatures."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.drawing import paragraph, text

LEFT, RIGHT = 20 * mm, A4[0] - 20 * mm
BODY = RIGHT - LEFT
TOP = A4[1] - 25 * mm
FOOT = 40 * mm  # the signature block's top; body text stays above it


def start(title: str, hall: str, ref: str) -> tuple[Canvas, io.BytesIO, float]:
    """A new A4 canvas with the hall, the title and the reference; returns the body's top."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)
    c.setTitle(title)
    top = A4[1] - 22 * mm
    text(c, A4[0] / 2, top, hall, 12, "center")
    text(c, A4[0] / 2, top - 11 * mm, title, 20, "center")
    text(c, RIGHT, top - 19 * mm, ref, 10, "right")
    return c, buf, top - 30 * mm


def opening(c: Canvas, y: float, name: str, id_masked: str, body: str) -> float:
    """The addressee line and the first, indented paragraph of a notice."""
    y = paragraph(c, LEFT, y, f"{name}（身份证号 {id_masked}）：", BODY, 11, 7 * mm)
    return paragraph(c, LEFT + 8 * mm, y, body, BODY - 8 * mm, 11, 7 * mm)


def page_break(c: Canvas, y: float, need: float = 0.0) -> float:
    """Start a new page when fewer than ``need`` points remain above the signatures."""
    if y - need > FOOT:
        return y
    c.showPage()
    return float(TOP)


def sign(
    c: Canvas,
    who: str,
    at: str,
    seal: str = "（受理专用章）",
    role: str = "经办人",
    countersign: str = "申请人（代办人）签收",
) -> None:
    """The signature block at the foot of the last page (``countersign`` "": no line for it)."""
    y = FOOT
    text(c, LEFT, y, f"{role}：{who}", 10.5)
    text(c, LEFT + 60 * mm, y, f"日期：{at}", 10.5)
    if countersign:
        text(c, LEFT, y - 14 * mm, f"{countersign}：______________", 10.5)
    text(c, LEFT + 100 * mm, y - 14 * mm, seal, 10.5)
