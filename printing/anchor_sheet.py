"""审计锚点单 (audit anchor sheet), A4: the root chain's head to keep outside the database.

Takes the plain :class:`app.documents.AnchorSheet`. The root code ``N:HASH`` is printed
large, split in groups of eight for reading aloud, and as a QR code (typed or scanned back
into ``onewindow audit verify --root``); below, every chain's head. The sheet is the
evidence that rewinding the trail afterwards would contradict.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import AnchorSheet
from printing.drawing import paragraph, qr, text
from printing.fonts import register_fonts

LEFT, RIGHT = 20 * mm, A4[0] - 20 * mm
TOP, BOTTOM = A4[1] - 20 * mm, 20 * mm


def _groups(digest: str) -> str:
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def render(sheet: AnchorSheet) -> bytes:
    """The sheet as PDF bytes (one page, more if a city has many chains)."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setTitle(f"{sheet.hall_name} 审计锚点单")
    y = TOP
    text(c, A4[0] / 2, y, f"{sheet.hall_name} 审计锚点单", 18, align="center")
    y -= 9 * mm
    stamp = f"打印时间 {sheet.printed_at} · 打印人 {sheet.printed_by}"
    text(c, A4[0] / 2, y, stamp, 10, align="center")
    y -= 12 * mm
    seq, _, digest = sheet.root_code.partition(":")
    text(c, LEFT, y, f"锚点链 第 {seq} 条", 14)
    qr(c, RIGHT - 32 * mm, y - 26 * mm, sheet.root_code, 32 * mm)
    y -= 8 * mm
    for line in (_groups(digest[:32]), _groups(digest[32:])):
        text(c, LEFT, y, line, 13)
        y -= 7 * mm
    y -= 8 * mm
    y = paragraph(
        c,
        LEFT,
        y,
        "请将本单保存在数据库之外（档案柜或另一台电脑）。日后核对时，在服务器上运行下面的"
        "命令；若审计记录在本单打印之后被截去或改写，核对会指出。",
        RIGHT - LEFT,
        10,
        6 * mm,
    )
    y -= 2 * mm
    text(c, LEFT + 4 * mm, y, f"onewindow audit verify --root {sheet.root_code}", 8.5)
    y -= 10 * mm
    text(c, LEFT, y, "各审计链的链头", 12)
    y -= 7 * mm
    for label, n, h in sheet.chains:
        if y < BOTTOM + 12 * mm:
            c.showPage()
            y = TOP
        text(c, LEFT, y, f"{label}：第 {n} 条", 10)
        text(c, LEFT + 4 * mm, y - 5 * mm, _groups(h), 9)
        y -= 12 * mm
    c.showPage()
    c.save()
    return buf.getvalue()
