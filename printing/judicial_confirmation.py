"""司法确认申请书, A4 portrait: both parties jointly ask the basic people's court to confirm
their 人民调解协议 within 30 days of it taking effect (《中华人民共和国人民调解法》第三十三条;
《中华人民共和国民事诉讼法》第二百零五条: 由双方当事人自调解协议生效之日起三十日内，共同向
当事人住所地、标的物所在地、调解组织所在地的基层人民法院提出).

The applicants (masked ID and phone, as on every printout), the request, the facts and
reasons, the parties' undertaking that the agreement is their true will and harms no one
else, the attachments, a signature line per party and the date. The court's name is left
blank for the parties to fill in (which court they choose is theirs).

Takes the plain :class:`app.mediation_papers.ConfirmationDoc` snapshot.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.mediation_papers import ConfirmationDoc
from app.text import clause
from printing.drawing import text
from printing.fonts import register_fonts
from printing.mediation_agreement import LEFT, PAGE, SIZE, Writer, cn_date


def confirmation_pdf(doc: ConfirmationDoc) -> bytes:
    """The application as PDF bytes."""
    register_fonts()
    a = doc.agreement
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=PAGE, pageCompression=1)
    c.setTitle(f"司法确认申请书 {a.number}")
    w = Writer(c, f"司法确认申请书 · 调解协议 {a.number}")
    w.title("司法确认申请书")
    for p in a.parties:
        phone = f"，电话 {p.phone_masked}" if p.phone_masked else ""
        address = f"，住址 {p.address}" if p.address else ""
        w.para(
            f"申请人（{p.label}）：{p.name}，{p.gender}，{p.age} 岁，身份证号 {p.id_masked}{phone}{address}。"
        )
    w.y -= 2 * mm
    w.field("请求事项：", doc.claims)
    w.field(
        "事实和理由：",
        f"申请人因{a.kind_label}，于 {cn_date(a.signed_on)}经{a.committee}主持调解，"
        f"自愿达成人民调解协议，主要内容为：{clause(a.terms)}。"
        f"履行方式：{clause(a.performance_way)}；履行期限：{cn_date(a.perform_by)}前。"
        "根据《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条"
        f"的规定，申请人于协议生效之日起三十日内（{cn_date(a.confirm_by)}前）共同申请司法确认。",
    )
    w.field(
        "申请人承诺：",
        "一、出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；"
        "二、协议内容不损害国家利益、社会公共利益和他人合法权益；"
        "三、提交的材料真实、合法。如因虚假陈述、提供虚假材料造成他人损失的，愿承担相应的法律责任。",
    )
    w.field(
        "附：",
        "1. 人民调解协议书一份；2. 申请人身份证明材料；3. 与纠纷有关的证明材料。",
    )
    w.need(16 * mm)
    w.y -= 4 * mm
    text(c, LEFT, w.y, "此致", SIZE)
    w.y -= 7 * mm
    text(c, LEFT, w.y, "____________________ 人民法院", SIZE)
    w.y -= 3 * mm
    for p in a.parties:
        w.signature(f"申请人 {p.name}")
    w.footer()
    c.showPage()
    c.save()
    return buf.getvalue()
