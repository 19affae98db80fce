"""一次性告知书 (everything still missing, in one go) and 不予受理通知书, A4."""

from __future__ import annotations

from reportlab.lib.units import mm

from app.documents import MissingNotice, RefusalNotice
from printing.drawing import code128, paragraph, text
from printing.letter import BODY, LEFT, opening, page_break, sign, start


def render_missing(doc: MissingNotice) -> bytes:
    """一次性告知书 as PDF bytes."""
    c, buf, y = start("一次性告知书", doc.hall_name, f"编号：{doc.reference}")
    y = opening(
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
            y = page_break(c, y)
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
            y = page_break(c, y)
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
    sign(c, doc.clerk, doc.issued_at)
    c.save()
    return buf.getvalue()


def render_refusal(doc: RefusalNotice) -> bytes:
    """不予受理通知书 as PDF bytes."""
    c, buf, y = start("不予受理通知书", doc.hall_name, f"编号：{doc.case_no}")
    code128(c, LEFT, y - 2 * mm, doc.case_no, height=9 * mm)
    y -= 10 * mm
    y = opening(
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
    sign(c, doc.clerk, doc.issued_at)
    c.save()
    return buf.getvalue()
