"""The queue ticket (号票) as an 80 mm PDF for a system printer."""

from __future__ import annotations

import io

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.services.queueing import TicketView
from printing.fonts import register_fonts

WIDTH = 80 * mm
HEIGHT = 110 * mm
NOTICE = "请留意屏幕和语音叫号。过号请到服务台重新排队。"


def barcode_value(ticket: TicketView) -> str:
    """What the slip's barcode carries: the ticket id (scanned back at the counter)."""
    return f"T{ticket.id:08d}"


def render(ticket: TicketView) -> bytes:
    """One 80 mm slip as PDF bytes (font embedded)."""
    font = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(WIDTH, HEIGHT))
    c.setTitle(f"号票 {ticket.code}")
    mid = WIDTH / 2
    y = HEIGHT - 10 * mm
    c.setFont(font, 11)
    c.drawCentredString(mid, y, ticket.hall_name)
    y -= 8 * mm
    c.setFont(font, 12)
    c.drawCentredString(mid, y, f"{ticket.category_letter} · {ticket.category_name}")
    y -= 20 * mm
    c.setFont(font, 44)
    c.drawCentredString(mid, y, ticket.code)
    if ticket.priority_reason:
        y -= 7 * mm
        c.setFont(font, 11)
        c.drawCentredString(mid, y, f"优先：{ticket.priority_reason}")
    y -= 9 * mm
    c.setFont(font, 11)
    c.drawCentredString(mid, y, f"您前面还有 {ticket.waiting_ahead} 人等候")
    if ticket.waiting_ahead:
        y -= 6 * mm
        c.drawCentredString(mid, y, f"预计等候约 {max(ticket.estimated_wait_min, 1)} 分钟")
    y -= 6 * mm
    c.setFont(font, 9)
    c.drawCentredString(mid, y, ticket.issued_at_local)
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
    c.setFont(font, 8.5)
    c.drawCentredString(mid, y, NOTICE)
    c.showPage()
    c.save()
    return buf.getvalue()
