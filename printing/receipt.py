"""受理回执 (acceptance receipt), A4: one or several cases of one applicant in one visit.

Each case carries its number as Code 128 and QR, so any scanner at the hall opens it. A
承诺件 gives its promised date and where the result is collected; a 即办件 says it was
finished at the counter. :func:`render` is also the renderer the counter hands to 受理, so
it draws the other papers of an acceptance too (:mod:`printing.counter_papers`).
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import CounterResult, DeferralPromise, Receipt, ReceiptCase
from printing.counter_papers import render_promise, render_result
from printing.drawing import code128, paragraph, qr, text, wrap

LEFT, RIGHT = 20 * mm, A4[0] - 20 * mm


def render(doc: Receipt | CounterResult | DeferralPromise) -> bytes:
    """A paper of 受理 as PDF bytes: the receipt, a 即办件's result, or a 容缺受理承诺书."""
    if isinstance(doc, CounterResult):
        return render_result(doc)
    if isinstance(doc, DeferralPromise):
        return render_promise(doc)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)
    c.setTitle(f"受理回执 {doc.cases[0].case_no}")
    y = _header(c, doc)
    for case in doc.cases:
        if y < 90 * mm:
            _footer(c, doc)
            c.showPage()
            y = _header(c, doc)
        y = _case(c, case, y)
    _footer(c, doc)
    c.save()
    return buf.getvalue()


def _header(c: Canvas, doc: Receipt) -> float:
    top = A4[1] - 22 * mm
    text(c, A4[0] / 2, top, doc.hall_name, 12, "center")
    text(c, A4[0] / 2, top - 11 * mm, "受 理 回 执", 20, "center")
    y = top - 22 * mm
    text(c, LEFT, y, f"申请人：{doc.applicant_name}", 11)
    text(c, LEFT + 80 * mm, y, f"身份证号：{doc.applicant_id_masked}", 11)
    y -= 7 * mm
    if doc.applicant_phone_masked:
        text(c, LEFT, y, f"联系电话：{doc.applicant_phone_masked}", 11)
    if doc.agent:
        text(c, LEFT + 80 * mm, y, f"代办人：{doc.agent}", 11)
    y -= 4 * mm
    c.setLineWidth(0.8)
    c.line(LEFT, y, RIGHT, y)
    return float(y - 8 * mm)


def _case(c: Canvas, case: ReceiptCase, y: float) -> float:
    qr(c, RIGHT - 27 * mm, y - 25 * mm, case.case_no, 27 * mm)
    text(c, LEFT, y, f"办件编号：{case.case_no}", 12)
    text(c, LEFT, y - 7 * mm, f"办理事项：{case.service_name}（{case.kind_label}）", 11)
    text(c, LEFT, y - 13 * mm, f"承办部门：{case.department}    收费：{case.fee}", 10)
    status = f"当前状态：{case.state_label}"
    if case.due_date:
        status += f"    承诺办结日期：{case.due_date}（按工作日计）"
    text(c, LEFT, y - 19 * mm, status, 10)
    code_y = y - 34 * mm
    code128(c, LEFT, code_y, case.case_no, height=10 * mm)
    text(c, LEFT, code_y - 4 * mm, case.case_no, 9)
    y = code_y - 10 * mm
    text(c, LEFT, y, "已收材料：", 10.5)
    y -= 6 * mm
    for i, m in enumerate(case.materials, 1):
        for line in wrap(f"{i}. {m.name}：{m.detail}", RIGHT - LEFT - 8 * mm, 10):
            text(c, LEFT + 6 * mm, y, line, 10)
            y -= 5.5 * mm
    if not case.materials:
        text(c, LEFT + 6 * mm, y, "（无）", 10)
        y -= 5.5 * mm
    if case.deferred_until:
        y = paragraph(
            c,
            LEFT,
            y - 1 * mm,
            f"容缺受理：申请人已签署承诺书，须于 {case.deferred_until} 前补交上列容缺材料，"
            "逾期未补交的，本件按不予受理处理。",
            RIGHT - LEFT,
            10,
            5.5 * mm,
        )
    c.setDash(2, 2)
    c.line(LEFT, y - 1 * mm, RIGHT, y - 1 * mm)
    c.setDash()
    return float(y - 9 * mm)


def _footer(c: Canvas, doc: Receipt) -> None:
    y = 48 * mm
    if doc.pickup:
        how = (
            f"取件方式：{doc.pickup}。请凭本回执或身份证原件领取结果；"
            "可扫描二维码或凭办件编号查询办理进度。"
        )
    else:
        how = "本回执所列事项均为即办件，已当场办结，无需另行取件。可扫描二维码或凭办件编号查询。"
    paragraph(c, LEFT, y, how, RIGHT - LEFT, 10, 5.5 * mm)
    y -= 16 * mm
    text(c, LEFT, y, f"受理人：{doc.clerk}", 10.5)
    text(c, LEFT + 60 * mm, y, f"受理时间：{doc.accepted_at}", 10.5)
    y -= 14 * mm
    text(c, LEFT, y, "申请人（代办人）签字：______________", 10.5)
    text(c, LEFT + 100 * mm, y, "（受理专用章）", 10.5)
