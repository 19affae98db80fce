"""办事指南 (service guide) on A4: what to bring, how long it takes, where to collect."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents import ServiceGuide
from printing.fonts import register_fonts


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=2
        ),
        "sub": ParagraphStyle(
            "sub",
            parent=base,
            fontSize=10,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#555555"),
        ),
        "h": ParagraphStyle(
            "h",
            parent=base,
            fontSize=12.5,
            leading=18,
            spaceBefore=8,
            spaceAfter=4,
            textColor=colors.HexColor("#1F4E79"),
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        "foot": ParagraphStyle(
            "foot", parent=base, fontSize=8.5, textColor=colors.HexColor("#666666")
        ),
    }


def _grid(font: str) -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 9.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#8EA9C1")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )


def render(guide: ServiceGuide) -> bytes:
    """The guide as PDF bytes with the Chinese font embedded."""
    font = register_fonts()
    st = _styles(font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{guide.name} 办事指南",
        author=guide.hall_name,
    )
    width = A4[0] - 36 * mm
    story: list[object] = [
        Paragraph(f"{guide.name}", st["title"]),
        Paragraph(
            f"办事指南 · {guide.hall_name} · 事项编码 {guide.code}（第 {guide.version} 版）",
            st["sub"],
        ),
        Spacer(1, 6 * mm),
    ]
    legal = f"{guide.legal_days} 个工作日" if guide.legal_days else "—"
    promised = "当场办结" if guide.promised_days == 0 else f"{guide.promised_days} 个工作日"
    facts = [
        ["实施部门", guide.department, "事项类型", guide.kind_label],
        ["承诺时限", promised, "法定时限", legal],
        ["收费标准", guide.fee, "出件方式", guide.pickup],
    ]
    t = Table(facts, colWidths=[22 * mm, width / 2 - 22 * mm, 22 * mm, width / 2 - 22 * mm])
    t.setStyle(_grid(font))
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#DCE6F1")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#DCE6F1")),
                ("BACKGROUND", (1, 0), (1, 0), colors.white),
                ("BACKGROUND", (3, 0), (3, 0), colors.white),
            ]
        )
    )
    story.append(t)
    if guide.scope:
        story += [Paragraph("受理条件", st["h"]), Paragraph(guide.scope, st["base"])]
    if guide.legal_basis:
        story += [Paragraph("设定依据", st["h"]), Paragraph(guide.legal_basis, st["base"])]
    story.append(Paragraph("申请材料", st["h"]))
    rows: list[list[object]] = [["序号", "材料名称", "形式", "份数", "说明"]]
    for i, m in enumerate(guide.materials, start=1):
        notes = []
        if m.condition:
            notes.append(f"当“{m.condition}”时提供" if m.condition != "如有" else "如有则提供")
        if m.deferrable:
            notes.append("可容缺受理，承诺后补交")
        if m.note:
            notes.append(m.note)
        rows.append(
            [
                str(i),
                Paragraph(m.name, st["cell"]),
                m.form,
                str(m.copies),
                Paragraph("；".join(notes), st["cell"]),
            ]
        )
    mt = Table(rows, colWidths=[11 * mm, 52 * mm, 26 * mm, 12 * mm, width - 101 * mm], repeatRows=1)
    mt.setStyle(_grid(font))
    story.append(mt)
    story += [
        Paragraph("办理流程", st["h"]),
        Paragraph("综合窗口受理 → " + " → ".join(guide.steps) + " → 综合窗口出件", st["base"]),
        Spacer(1, 8 * mm),
        Paragraph(
            f"本指南打印于 {guide.printed_on}。材料不全的，窗口将一次性告知需补正的全部内容。",
            st["foot"],
        ),
    ]
    doc.build(story)
    return buf.getvalue()
