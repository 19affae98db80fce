"""The queue ticket (号票) as an 80 mm PDF for a system printer.

Every line goes through :func:`printing.drawing.text`, so a 生僻字 in the hall or queue name
switches to the fallback font for that character, as on the A4 documents.
"""

from __future__ import annotations

import io
from typing import Protocol

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app import numbers
from printing.drawing import text
from printing.fonts import register_fonts

WIDTH = 80 * mm
HEIGHT = 110 * mm
NOTICE = "请留意屏幕和语音叫号。过号请到服务台重新排队。"


class TicketSlip(Protocol):
    """What a printed slip shows (``app.queue.queueing.TicketView`` is one)."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def hall_name(self) -> str: ...
    @property
    def category_letter(self) -> str: ...
    @property
    def category_name(self) -> str: ...
    @property
    def priority_reason(self) -> str | None: ...
    @property
    def waiting_ahead(self) -> int: ...
    @property
    def estimated_wait_min(self) -> int: ...
    @property
    def issued_at_local(self) -> str: ...


def barcode_value(ticket: TicketSlip) -> str:
    """What the slip's barcode carries: the ticket id (scanned back at the counter)."""
    return numbers.ticket_barcode(ticket.id)


def render(ticket: TicketSlip) -> bytes:
    """One 80 mm slip as PDF bytes (fonts embedded)."""
    font = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, HEIGHT))
    c.setTitle(f"号票 {ticket.code}")
    mid = WIDTH / 2
    y = HEIGHT - 10 * mm
    text(c, mid, y, ticket.hall_name, 11, align="center")
    y -= 8 * mm
    text(c, mid, y, f"{ticket.category_letter} · {ticket.category_name}", 12, align="center")
    y -= 20 * mm
    text(c, mid, y, ticket.code, 44, align="center")
    if ticket.priority_reason:
        y -= 7 * mm
        text(c, mid, y, f"优先：{ticket.priority_reason}", 11, align="center")
    y -= 9 * mm
    text(c, mid, y, f"您前面还有 {ticket.waiting_ahead} 人等候", 11, align="center")
    if ticket.waiting_ahead:
        y -= 6 * mm
        text(c, mid, y, f"预计等候约 {max(ticket.estimated_wait_min, 1)} 分钟", 11, align="center")
    y -= 6 * mm
    text(c, mid, y, ticket.issued_at_local, 9, align="center")
    y -= 17 * mm
    bar = code128.Code128(
        barcode_value(ticket),
        barHeight=12 * mm,
        barWidth=0.33 * mm,
        humanReadable=True,
        fontName=font,
        fontSize=8,
    )
    bar.drawOn(c, mid - bar.width / 2, y)
    y -= 8 * mm
    text(c, mid, y, NOTICE, 8.5, align="center")
    c.showPage()
    c.save()
    return buf.getvalue()
