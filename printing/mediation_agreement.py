"""人民调解协议书, A4 portrait: one copy per party plus one the committee keeps
(《中华人民共和国人民调解法》第二十九条: 调解协议书一式多份，当事人各执一份，人民调解委员会留存一份).

Each copy starts on a new page and says whose it is (第N份，共M份 · 当事人甲 张大山 收执 /
调解委员会存档). The body is what 第二十九条 requires: the parties' basic facts (name,
gender, age, ID and phone masked as on every printout, address), the main facts of the
dispute, the matters in dispute and each party's responsibility, the terms, how and by when
they are performed; then the effect (第三十一条: binding, performed by the parties) and the
司法确认 notice (第三十三条: both parties may jointly apply to the court within 30 days),
signature lines for each party and the mediators, the committee's seal, the date.

Takes the plain :class:`app.mediation_papers.AgreementDoc` snapshot.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.mediation_papers import AgreementDoc
from printing.drawing import text, width, wrap
from printing.fonts import register_fonts

PAGE = A4
LEFT, RIGHT = 22 * mm, PAGE[0] - 22 * mm
BODY = RIGHT - LEFT
TOP, BOTTOM = PAGE[1] - 20 * mm, 22 * mm
SIZE = 11.0
LEADING = 6.4 * mm
GREY = colors.HexColor("#666666")


def cn_date(day: date) -> str:
    """``2026 年 10 月 29 日``."""
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


class Writer:
    """A cursor down A4 pages: wrapped paragraphs, headings, a page footer, new pages."""

    def __init__(self, c: Canvas, footer: str) -> None:
        self.c, self.footer_text, self.y, self.page = c, footer, TOP, 1

    def need(self, height: float) -> None:
        """A new page when ``height`` does not fit on this one."""
        if self.y - height < BOTTOM:
            self.new_page()

    def footer(self) -> None:
        self.c.setFillColor(GREY)
        text(self.c, LEFT, 12 * mm, self.footer_text, 8)
        text(self.c, RIGHT, 12 * mm, f"第 {self.page} 页", 8, align="right")
        self.c.setFillColor(colors.black)

    def new_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = TOP

    def title(self, s: str, size: float = 18) -> None:
        self.y -= size * 0.6
        text(self.c, PAGE[0] / 2, self.y, s, size, align="center")
        self.y -= 10 * mm

    def para(self, s: str, indent: float = 0, size: float = SIZE) -> None:
        for line in wrap(s, BODY - indent, size):
            self.need(LEADING)
            text(self.c, LEFT + indent, self.y, line, size)
            self.y -= LEADING

    def field(self, label: str, value: str) -> None:
        """``label`` in bold-ish blue, then its text wrapped under it, indented."""
        self.need(2 * LEADING)
        self.c.setFillColor(colors.HexColor("#1F3F6B"))
        text(self.c, LEFT, self.y, label, SIZE)
        self.c.setFillColor(colors.black)
        self.y -= LEADING
        self.para(value or "（无）", indent=8 * mm)
        self.y -= 1.5 * mm

    def signature(self, label: str) -> None:
        self.need(12 * mm)
        self.y -= 4 * mm
        said = f"{label}（签名或盖章）："
        text(self.c, LEFT, self.y, said, SIZE)
        start = max(LEFT + 62 * mm, LEFT + width(said, SIZE) + 2 * mm)
        self.c.line(start, self.y - 1.5, max(start + 30 * mm, LEFT + 120 * mm), self.y - 1.5)
        text(self.c, LEFT + 124 * mm, self.y, "日期：", SIZE)
        self.c.line(LEFT + 136 * mm, self.y - 1.5, RIGHT, self.y - 1.5)
        self.y -= 6 * mm


def _copy(w: Writer, doc: AgreementDoc, n: int, total: int, holder: str) -> None:
    c = w.c
    c.setFillColor(GREY)
    text(c, RIGHT, w.y, f"第 {n} 份，共 {total} 份 · {holder}", 9, align="right")
    text(c, LEFT, w.y, f"编号：{doc.number}", 9)
    c.setFillColor(colors.black)
    w.y -= 10 * mm
    w.title("人民调解协议书")
    w.para(f"纠纷类型：{doc.kind_label}")
    w.y -= 2 * mm
    for p in doc.parties:
        phone = f"，电话 {p.phone_masked}" if p.phone_masked else ""
        address = f"，住址 {p.address}" if p.address else ""
        w.para(
            f"{p.label}：{p.name}，{p.gender}，{p.age} 岁，身份证号 {p.id_masked}{phone}{address}。"
        )
    w.y -= 2 * mm
    w.field("纠纷的主要事实：", doc.facts)
    w.field("争议事项：", doc.issues)
    w.field("各方当事人的责任：", doc.liability)
    w.field(f"经{doc.committee}主持调解，当事人自愿达成如下协议：", doc.terms)
    w.field("履行方式：", doc.performance_way)
    w.field("履行期限：", f"{cn_date(doc.perform_by)}前履行完毕。")
    w.para(
        "本协议经各方当事人签名（盖章）、调解员签名并加盖人民调解委员会印章之日起生效，"
        "具有法律约束力，当事人应当按照约定履行（《中华人民共和国人民调解法》第三十一条）。"
    )
    w.para(
        f"{'双方' if len(doc.parties) == 2 else '各方'}当事人认为有必要的，可以自本协议生效之日起三十日内（即 {cn_date(doc.confirm_by)}前）"
        "共同向人民法院申请司法确认（《中华人民共和国人民调解法》第三十三条）。"
    )
    w.para(f"本协议一式 {total} 份，当事人各执一份，人民调解委员会留存一份（第二十九条）。")
    for p in doc.parties:
        w.signature(f"{p.label} {p.name}")
    w.signature(f"调解员 {'、'.join(doc.mediators)}")
    w.need(30 * mm)
    w.y -= 8 * mm
    text(c, RIGHT, w.y, doc.committee, SIZE, align="right")
    w.y -= 7 * mm
    text(c, RIGHT, w.y, "（盖章）", SIZE, align="right")
    c.setStrokeColor(colors.HexColor("#BBBBBB"))
    c.circle(RIGHT - 25 * mm, w.y + 2 * mm, 16 * mm)  # where the seal goes
    c.setStrokeColor(colors.black)
    w.y -= 7 * mm
    text(c, RIGHT, w.y, cn_date(doc.signed_on), SIZE, align="right")


def holders(doc: AgreementDoc) -> list[str]:
    """Whose each copy is: the parties in order, then the committee's archive copy."""
    return [f"{p.label} {p.name} 收执" for p in doc.parties] + ["调解委员会存档"]


def agreement_pdf(doc: AgreementDoc) -> bytes:
    """The agreement as PDF bytes: one copy per party, then the archive copy."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=PAGE, pageCompression=1)
    c.setTitle(f"人民调解协议书 {doc.number}")
    names = holders(doc)
    w = Writer(c, f"人民调解协议书 {doc.number}")
    for n, holder in enumerate(names, start=1):
        if n > 1:
            w.new_page()
        _copy(w, doc, n, len(names), holder)
    w.footer()
    c.showPage()
    c.save()
    return buf.getvalue()
