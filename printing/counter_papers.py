"""What 受理 hands over besides the receipt, A4: a 即办件's result and the 容缺受理承诺书.

The result is the certificate the catalog declares for the service (or a 办结通知书), with
the handover (当场出件: who took it, when, their signature) at its foot. The 承诺书 lists the
promised materials and the date they are due, for the applicant to sign. Both carry the
case number as Code 128, like every case document, so a scan opens the case.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import CounterResult, DeferralPromise
from printing.drawing import code128, paragraph, text
from printing.letter import BODY, LEFT, RIGHT, page_break, sign, start

SEAL = "（业务专用章）"


def render_result(doc: CounterResult) -> bytes:
    """The 即办件's certificate or 办结通知书, with its 当场出件 record, as PDF bytes."""
    c, buf, y = start(doc.title, doc.hall_name, f"编号：{doc.case_no}")
    code128(c, LEFT, y - 2 * mm, doc.case_no, height=9 * mm)
    y -= 12 * mm
    if doc.salutation:
        y = paragraph(c, LEFT, y, doc.salutation, BODY, 11.5, 7.5 * mm)
    y = paragraph(c, LEFT + 8 * mm, y, doc.text, BODY - 8 * mm, 11.5, 7.5 * mm)
    y -= 3 * mm
    facts = [
        f"办理事项：{doc.service_name}（即办件）",
        f"承办部门：{doc.department}",
        f"受理并办结：{doc.accepted_at}（当场办结）",
    ]
    if doc.legal_basis:
        facts.append(f"依据：{doc.legal_basis}")
    for line in facts:
        y = page_break(c, y, 7 * mm)
        y = paragraph(c, LEFT, y, line, BODY, 10.5, 6.5 * mm)
    if doc.deferred:
        y = page_break(c, y, 14 * mm)
        y = paragraph(c, LEFT, y - 1 * mm, "容缺材料（见容缺受理承诺书）：", BODY, 10.5, 6.5 * mm)
        for n, m in enumerate(doc.deferred, 1):
            y = page_break(c, y, 7 * mm)
            line = f"{n}. {m.name}：{m.detail}"
            y = paragraph(c, LEFT + 6 * mm, y, line, BODY - 6 * mm, 10.5, 6.5 * mm)
    y = page_break(c, y, 26 * mm)
    _handover(c, y - 3 * mm, doc)
    sign(c, doc.issuer, doc.accepted_at, SEAL, countersign="")
    c.save()
    return buf.getvalue()


def _handover(c: Canvas, y: float, doc: CounterResult) -> None:
    """The 当场出件 box: to whom, when, and the collector's signature."""
    c.setLineWidth(0.6)
    c.rect(LEFT, y - 17 * mm, BODY, 20 * mm)
    text(c, LEFT + 4 * mm, y - 4 * mm, "当场出件", 12)
    text(c, LEFT + 4 * mm, y - 10.5 * mm, f"领取人：{doc.collector}", 10.5)
    text(c, LEFT + 4 * mm, y - 15.5 * mm, f"领取时间：{doc.accepted_at}", 10.5)
    text(c, RIGHT - 62 * mm, y - 15.5 * mm, "领取人签名：____________", 10.5)


def render_promise(doc: DeferralPromise) -> bytes:
    """容缺受理承诺书 as PDF bytes."""
    c, buf, y = start("容缺受理承诺书", doc.hall_name, f"编号：{doc.case_no}")
    code128(c, LEFT, y - 2 * mm, doc.case_no, height=9 * mm)
    y -= 12 * mm
    who = f"本人 {doc.applicant_name}（身份证号 {doc.applicant_id_masked}）"
    if doc.agent:
        who += f"委托代办人 {doc.agent}"
    y = paragraph(
        c,
        LEFT + 8 * mm,
        y,
        f"{who}申请办理“{doc.service_name}”（{doc.department}），因下列申请材料暂时无法提供，"
        "申请容缺受理，并郑重承诺：",
        BODY - 8 * mm,
        11,
        7 * mm,
    )
    y -= 1 * mm
    text(c, LEFT, y, "一、容缺材料", 11.5)
    y -= 7 * mm
    for n, m in enumerate(doc.materials, 1):
        y = page_break(c, y, 7 * mm)
        y = paragraph(
            c, LEFT + 6 * mm, y, f"{n}. {m.name}（{m.detail}）", BODY - 6 * mm, 11, 7 * mm
        )
    late = (
        "同意由行政机关依法撤销已当场作出的办理结果"
        if doc.finished_here
        else "同意本申请按不予受理处理"
    )
    for heading, body in (
        (
            "二、补交期限",
            f"本人将于 {doc.promised_date} 前（含当日）将上述材料交到{doc.where}，"
            f"出示本承诺书或报办件编号 {doc.case_no} 即可。",
        ),
        ("三、真实性", "本人对所提交申请材料和所作承诺的真实性负责。"),
        (
            "四、逾期后果",
            f"逾期未补交或补交的材料不符合要求的，{late}，由此产生的后果由本人承担。",
        ),
    ):
        y = page_break(c, y, 14 * mm)
        text(c, LEFT, y - 1 * mm, heading, 11.5)
        y = paragraph(c, LEFT + 6 * mm, y - 8 * mm, body, BODY - 6 * mm, 11, 7 * mm)
    y = page_break(c, y, 16 * mm)
    text(c, LEFT, y - 4 * mm, "承诺人（签字）：______________", 11)
    text(c, LEFT + 95 * mm, y - 4 * mm, "日期：______年____月____日", 11)
    if doc.agent:
        text(c, LEFT, y - 13 * mm, "代办人（签字）：______________", 11)
    sign(c, doc.clerk, doc.accepted_at, role="受理人", countersign="")
    c.save()
    return buf.getvalue()
