"""一次性告知书 (everything still missing, in one go) and 不予受理通知书, A4."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import MissingNotice, RefusalNotice
from printing.drawing import code128, paragraph, text

LEFT, RIGHT = 20 * mm, A4[0] - 20 * mm
BODY = RIGHT - LEFT


def _start(title: str, hall: str, ref: str) -> tuple[Canvas, io.BytesIO, float]:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)
    c.setTitle(title)
    top = A4[1] - 22 * mm
    text(c, A4[0] / 2, top, hall, 12, "center")
    text(c, A4[0] / 2, top - 11 * mm, title, 20, "center")
    text(c, RIGHT, top - 19 * mm, ref, 10, "right")
    return c, buf, top - 30 * mm


def _opening(c: Canvas, y: float, name: str, id_masked: str, body: str) -> float:
    """The addressee line and the first, indented paragraph of a notice."""
    y = paragraph(c, LEFT, y, f"{name}（身份证号 {id_masked}）：", BODY, 11, 7 * mm)
    return paragraph(c, LEFT + 8 * mm, y, body, BODY - 8 * mm, 11, 7 * mm)


def _page_break(c: Canvas, y: float) -> float:
    if y > 40 * mm:
        return y
    c.showPage()
    return float(A4[1] - 25 * mm)


def render_missing(doc: MissingNotice) -> bytes:
    """一次性告知书 as PDF bytes."""
    c, buf, y = _start("一次性告知书", doc.hall_name, f"编号：{doc.reference}")
    y = _opening(
        c,
        y,
        doc.applicant_name,
        doc.applicant_id_masked,
        f"您申请办理的“{doc.service_name}”（{doc.department}），经审查，申请材料尚不齐全"
        "或不符合法定形式。现将需要补正的全部内容一次性告知如下：",
    )
    y -= 2 * mm
    n = 0
    if doc.missing_materials:
        text(c, LEFT, y, "一、需补交的材料", 11.5)
        y -= 7 * mm
        for m in doc.missing_materials:
            n += 1
            y = _page_break(c, y)
            y = paragraph(
                c, LEFT + 6 * mm, y, f"{n}. {m.name}：{m.detail}", BODY - 6 * mm, 10.5, 6 * mm
            )
    if doc.field_problems:
        text(
            c,
            LEFT,
            y - 2 * mm,
            f"{'二' if doc.missing_materials else '一'}、需补正的填报内容",
            11.5,
        )
        y -= 9 * mm
        for p in doc.field_problems:
            n += 1
            y = _page_break(c, y)
            y = paragraph(c, LEFT + 6 * mm, y, f"{n}. {p}", BODY - 6 * mm, 10.5, 6 * mm)
    y -= 3 * mm
    if doc.legal_basis:
        y = paragraph(c, LEFT, y, f"依据：{doc.legal_basis}", BODY, 10.5, 6 * mm)
    y = paragraph(
        c,
        LEFT,
        y,
        f"请备齐上述材料后到{doc.where}办理，出示本告知书即可接续办理，无需重新填表。"
        "本告知书所列以外的材料，窗口不得再要求补交。",
        BODY,
        10.5,
        6 * mm,
    )
    _sign(c, doc.clerk, doc.issued_at)
    c.save()
    return buf.getvalue()


def render_refusal(doc: RefusalNotice) -> bytes:
    """不予受理通知书 as PDF bytes."""
    c, buf, y = _start("不予受理通知书", doc.hall_name, f"编号：{doc.case_no}")
    code128(c, LEFT, y - 2 * mm, doc.case_no, height=9 * mm)
    y -= 10 * mm
    y = _opening(
        c,
        y,
        doc.applicant_name,
        doc.applicant_id_masked,
        f"您申请办理的“{doc.service_name}”（{doc.department}），经审查，决定不予受理。",
    )
    y = paragraph(c, LEFT, y - 2 * mm, f"理由：{doc.reason}", BODY, 11, 7 * mm)
    if doc.legal_basis:
        y = paragraph(c, LEFT, y, f"依据：{doc.legal_basis}", BODY, 10.5, 6.5 * mm)
    paragraph(c, LEFT, y - 3 * mm, doc.remedy, BODY, 10.5, 6.5 * mm)
    _sign(c, doc.clerk, doc.issued_at)
    c.save()
    return buf.getvalue()


def _sign(c: Canvas, clerk: str, at: str) -> None:
    y = 40 * mm
    text(c, LEFT, y, f"经办人：{clerk}", 10.5)
    text(c, LEFT + 60 * mm, y, f"日期：{at}", 10.5)
    text(c, LEFT, y - 14 * mm, "申请人（代办人）签收：______________", 10.5)
    text(c, LEFT + 100 * mm, y - 14 * mm, "（受理专用章）", 10.5)
