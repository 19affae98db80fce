"""群众诉求回执 (an event's receipt), A5 portrait: the number as QR and Code 128 — the
hall's kiosk scans either to show the event's progress and, once it is closed, to rate it —
what was reported, where, when, and its state when printed."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import IncidentReceipt
from printing.drawing import code128, paragraph, qr, text, wrap

LEFT, RIGHT = 14 * mm, A5[0] - 14 * mm
DESCRIPTION_LINES = 6  # a longer description is cut, with an ellipsis


def render(doc: IncidentReceipt) -> bytes:
    """The receipt as PDF bytes (one A5 page)."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A5, pageCompression=1, invariant=1)
    c.setTitle(f"群众诉求回执 {doc.number}")
    top = A5[1] - 16 * mm
    text(c, A5[0] / 2, top, doc.hall_name, 11, "center")
    text(c, A5[0] / 2, top - 10 * mm, "群 众 诉 求 回 执", 17, "center")
    y = top - 18 * mm
    c.setLineWidth(0.8)
    c.line(LEFT, y, RIGHT, y)
    y -= 8 * mm
    qr(c, RIGHT - 26 * mm, y - 24 * mm, doc.number, 26 * mm)
    text(c, LEFT, y, f"事件编号：{doc.number}", 11)
    rows = (
        f"事件类型：{doc.what}",
        f"所属网格：{doc.grid}",
        f"反映渠道：{doc.channel}    反映人：{doc.reporter}",
        f"反映时间：{doc.reported_at}",
        f"当前状态：{doc.state}" + (f"（{doc.lead}）" if doc.lead else ""),
    )
    for n, row in enumerate(rows, 1):
        text(c, LEFT, y - n * 6 * mm, row, 9.5)
    y -= 6 * mm * (len(rows) + 1) + 2 * mm
    for line in wrap(f"地点：{doc.address}", RIGHT - LEFT, 9.5)[:2]:
        text(c, LEFT, y, line, 9.5)
        y -= 5.5 * mm
    lines = wrap(f"问题描述：{doc.description}", RIGHT - LEFT, 9.5)
    if len(lines) > DESCRIPTION_LINES:
        lines = [*lines[: DESCRIPTION_LINES - 1], lines[DESCRIPTION_LINES - 1][:-1] + "…"]
    for line in lines:
        text(c, LEFT, y, line, 9.5)
        y -= 5.5 * mm
    y -= 2 * mm
    code128(c, LEFT, y - 10 * mm, doc.number, height=10 * mm)
    text(c, LEFT, y - 14 * mm, doc.number, 8.5)
    y -= 24 * mm
    c.setDash(2, 2)
    c.line(LEFT, y, RIGHT, y)
    c.setDash()
    how = (
        "请妥善保存本回执。在大厅自助服务机扫描上方二维码或条码，即可查看办理进度；"
        "办结后可在自助机上评价，问题未解决的可选择“未解决”，我们将重新核查。"
    )
    if doc.hall_phone:
        how += f"咨询电话：{doc.hall_phone}。"
    paragraph(c, LEFT, y - 7 * mm, how, RIGHT - LEFT, 9, 5 * mm)
    c.save()
    return buf.getvalue()
