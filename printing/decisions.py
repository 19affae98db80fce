"""The back office's A4 documents: 补正通知书, 办结通知书 / 不予批准决定书 (出件回执), 公示名单."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import DecisionNotice, PublicityList, SupplementNotice
from printing.drawing import code128, paragraph, text, wrap
from printing.letter import BODY, LEFT, RIGHT, opening, page_break, sign, start

SEAL = "（审批专用章）"
REMEDY = (
    "如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者六个月内依法向人民法院提起行政诉讼。"
)


def render_supplement(doc: SupplementNotice) -> bytes:
    """补正通知书 as PDF bytes."""
    c, buf, y = start("补正通知书", doc.hall_name, f"编号：{doc.case_no}")
    code128(c, LEFT, y - 2 * mm, doc.case_no, height=9 * mm)
    y = opening(
        c,
        y - 10 * mm,
        doc.applicant_name,
        doc.applicant_id_masked,
        f"您申请办理的“{doc.service_name}”（{doc.department}），经审查，"
        "需补正以下材料或内容，现一次性告知如下：",
    )
    y -= 2 * mm
    for n, item in enumerate(doc.items, 1):
        y = page_break(c, y, 7 * mm)
        y = paragraph(c, LEFT + 6 * mm, y, f"{n}. {item}", BODY - 6 * mm, 10.5, 6.5 * mm)
    y -= 2 * mm
    if doc.opinion:
        y = page_break(c, y, 7 * mm)
        y = paragraph(c, LEFT, y, f"审查意见：{doc.opinion}", BODY, 10.5, 6.5 * mm)
    closing = (
        f"请备齐上述材料后到{doc.where}提交，出示本通知书即可接续办理，无需重新申请。"
        "本通知书所列以外的材料，不再要求补交。"
    )
    if doc.clock_stopped:
        closing += "补正期间不计入承诺办结时限，补正材料提交之日起继续计算。"
    y = page_break(c, y, 20 * mm)
    paragraph(c, LEFT, y, closing, BODY, 10.5, 6.5 * mm)
    sign(c, doc.issuer, doc.issued_at, SEAL, "审查人")
    c.save()
    return buf.getvalue()


def render_decision(doc: DecisionNotice) -> bytes:
    """办结通知书 or 不予批准决定书 (with a collector: the 出件回执) as PDF bytes."""
    title = "办结通知书" if doc.approved else "不予批准决定书"
    c, buf, y = start(title, doc.hall_name, f"编号：{doc.case_no}")
    code128(c, LEFT, y - 2 * mm, doc.case_no, height=9 * mm)
    applied = f"您于 {doc.accepted_on} 申请办理的“{doc.service_name}”（{doc.department}），"
    if doc.approved:
        body = applied + f"经审查，符合规定，准予批准，已于 {doc.decided_on} 办结。"
    else:
        body = applied + "经审查，决定不予批准。"
    y = opening(c, y - 10 * mm, doc.applicant_name, doc.applicant_id_masked, body)
    if not doc.approved:
        y = paragraph(c, LEFT, y - 1 * mm, f"理由：{doc.reason}", BODY, 11, 7 * mm)
    if doc.legal_basis:
        y = paragraph(c, LEFT, y, f"依据：{doc.legal_basis}", BODY, 10.5, 6.5 * mm)
    if doc.steps:
        y = _steps(c, y - 2 * mm, doc)
    y = page_break(c, y, 14 * mm)
    if doc.approved:
        y = paragraph(c, LEFT, y - 2 * mm, f"领取方式：{doc.pickup}。", BODY, 10.5, 6.5 * mm)
    else:
        y = paragraph(c, LEFT, y - 2 * mm, REMEDY, BODY, 10.5, 6.5 * mm)
    if doc.collector:
        y = page_break(c, y, 24 * mm)
        y -= 3 * mm
        c.setLineWidth(0.6)
        c.rect(LEFT, y - 17 * mm, BODY, 20 * mm)
        text(c, LEFT + 4 * mm, y - 4 * mm, "出件回执", 12)
        text(c, LEFT + 4 * mm, y - 10.5 * mm, f"领取人：{doc.collector}", 10.5)
        text(c, LEFT + 4 * mm, y - 15.5 * mm, f"领取时间：{doc.collected_at}", 10.5)
        text(c, RIGHT - 62 * mm, y - 15.5 * mm, "领取人签名：____________", 10.5)
    sign(c, doc.issuer, doc.issued_at, SEAL)
    c.save()
    return buf.getvalue()


def _steps(c: Canvas, y: float, doc: DecisionNotice) -> float:
    text(c, LEFT, y, "审批过程：", 11)
    y -= 6.5 * mm
    for s in doc.steps:
        y = page_break(c, y, 7 * mm)
        line = f"{s.step}｜{s.department}｜{s.result}：{s.opinion}"
        y = paragraph(c, LEFT + 6 * mm, y, line, BODY - 6 * mm, 10, 6 * mm)
    return y


# 公示名单 columns: (heading, width in mm); the widths add up to the body's 170 mm.
COLUMNS = (
    ("序号", 11),
    ("办件编号", 37),
    ("申请人", 22),
    ("身份证号", 39),
    ("申请事项", 31),
    ("公示期", 30),
)
ROW_SIZE, ROW_LEADING = 9.5, 5 * mm


def render_publicity(doc: PublicityList) -> bytes:
    """公示名单 of a department as PDF bytes (names and ID numbers masked)."""
    c, buf, y = start(f"{doc.department}公示名单", doc.hall_name, f"公示日期：{doc.printed_on}")
    y = paragraph(
        c,
        LEFT,
        y,
        "根据有关规定，现将下列申请事项予以公示。公示期间，任何单位和个人如有异议，"
        f"请向{doc.objection_contact}反映，我们将依法核实处理并为反映人保密。",
        BODY,
        10.5,
        6.5 * mm,
    )
    y = _header_row(c, y - 3 * mm)
    if not doc.lines:
        text(c, LEFT + 2 * mm, y - 5 * mm, "目前没有处于公示期的办件。", 10.5)
        y -= 10 * mm
    for n, line in enumerate(doc.lines, 1):
        cells = (
            str(n),
            line.case_no,
            line.applicant,
            line.id_masked,
            line.service_name,
            f"{line.since} 至\n{line.until}" if line.since else f"至 {line.until}",
        )
        wrapped = [
            wrap(v, w * mm - 3 * mm, ROW_SIZE) for v, (_, w) in zip(cells, COLUMNS, strict=True)
        ]
        height = max(len(w) for w in wrapped) * ROW_LEADING + 2 * mm
        if y - height < 30 * mm:
            c.showPage()
            y = _header_row(c, float(287 * mm))
        x = LEFT
        for lines, (_, w) in zip(wrapped, COLUMNS, strict=True):
            for i, part in enumerate(lines):
                text(c, x + 1.5 * mm, y - 4.5 * mm - i * ROW_LEADING, part, ROW_SIZE)
            x += w * mm
        y -= height
        c.setLineWidth(0.3)
        c.line(LEFT, y, RIGHT, y)
    y -= 8 * mm
    text(c, LEFT, max(y, 22 * mm), f"共 {len(doc.lines)} 件。", 10.5)
    text(c, RIGHT, max(y, 22 * mm), "（公示单位盖章）", 10.5, "right")
    c.save()
    return buf.getvalue()


def _header_row(c: Canvas, y: float) -> float:
    c.setLineWidth(0.8)
    c.line(LEFT, y, RIGHT, y)
    x = LEFT
    for heading, w in COLUMNS:
        text(c, x + 1.5 * mm, y - 5 * mm, heading, 10)
        x += w * mm
    y -= 7 * mm
    c.line(LEFT, y, RIGHT, y)
    return y
