"""Test pages: a printed A4 form as a PDF, as a clean 200 dpi scan and as a camera capture."""

from __future__ import annotations

import io
import random
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from printing import fonts


def form_pdf(pages: int = 1) -> bytes:
    """An A4 application form (Chinese text, a table, a signature line) of ``pages`` pages."""
    font = fonts.register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    rng = random.Random(15)
    for page in range(pages):
        c.setFont(font, 18)
        c.drawCentredString(width / 2, height - 60, f"最低生活保障申请审批表（第 {page + 1} 页）")
        c.setFont(font, 10.5)
        y = height - 110
        for row in range(34):
            c.rect(50, y - 6, width - 100, 20)
            words = "".join(rng.choice("申请人家庭成员收入情况住房残疾证明月元") for _ in range(28))
            c.drawString(58, y, f"{row + 1:02d}  {words}  {rng.randint(100, 9999)}.00")
            y -= 20
        c.drawString(60, 60, "申请人签字：李秀兰        日期：2026 年 11 月 30 日")
        c.showPage()
    c.save()
    return out.getvalue()


@cache
def scan(dpi: int = 200) -> Image.Image:
    """The form's first page rendered at ``dpi`` (a flatbed scan: clean white)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(form_pdf())
    try:
        return pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


def camera(seed: int = 1) -> Image.Image:
    """The form as a document camera sees it: 12 MP, uneven light, sensor noise, tilted."""
    page = scan(150).rotate(1.5, expand=True, fillcolor=(70, 70, 75))
    frame = Image.new("RGB", (4000, 3000), (60, 60, 66))
    page = page.resize((int(page.width * 2.4), int(page.height * 2.4)))
    page = page.crop((0, 0, page.width, min(page.height, 3000)))
    frame.paste(page, ((4000 - page.width) // 2, 0))
    light = Image.linear_gradient("L").resize(frame.size).rotate(90)
    shade = Image.merge("RGB", [light.point(lambda v: 200 + v // 5)] * 3)
    frame = Image.composite(frame, shade, Image.new("L", frame.size, 215))
    noise = Image.effect_noise(frame.size, 14 + seed % 3).convert("RGB")
    frame = Image.blend(frame, noise, 0.06).filter(ImageFilter.SMOOTH)
    return frame.rotate(90, expand=True)  # a portrait page on a landscape sensor


def encoded(img: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    """``img`` as file bytes."""
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def draw(size: tuple[int, int] = (800, 600), mode: str = "RGB") -> Image.Image:
    """A small picture with some lines, in ``mode``."""
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    for x in range(0, size[0], 40):
        d.line((x, 0, size[0] - x, size[1]), fill=(x % 255, 40, 160), width=3)
    return img.convert(mode)


def on_base(
    sheet: Image.Image, angle: float = 6.0, frame: tuple[int, int] = (4000, 3000)
) -> Image.Image:
    """``sheet`` lying turned by ``angle`` degrees on a document camera's dark base."""
    base = (58, 60, 66)
    turned = sheet.convert("RGB").rotate(angle, expand=True, fillcolor=base)
    scale = min(frame[0] * 0.8 / turned.width, frame[1] * 0.8 / turned.height)
    turned = turned.resize((int(turned.width * scale), int(turned.height * scale)))
    picture = Image.new("RGB", frame, base)
    picture.paste(turned, ((frame[0] - turned.width) // 2, (frame[1] - turned.height) // 2))
    return picture


def id_card_side(front: bool = True) -> Image.Image:
    """An ID card's side (85.6 × 54 mm at 300 dpi): light, with lines of print."""
    font = ImageFont.truetype(str(fonts.font_path()), 40)
    card = Image.new("RGB", (1011, 638), (236, 240, 236) if front else (226, 234, 242))
    d = ImageDraw.Draw(card)
    lines = ("姓名 周玉兰", "性别 女  民族 汉", "出生 1966 年 5 月 4 日", "住址 江西省南昌市")
    if not front:
        lines = (
            "中华人民共和国",
            "居民身份证",
            "签发机关 南昌市公安局",
            "有效期限 2020.01.01-长期",
        )
    for n, text in enumerate(lines):
        d.text((60, 70 + n * 110), text, fill=(30, 30, 30), font=font)
    d.rectangle((0, 0, card.width - 1, card.height - 1), outline=(200, 200, 200), width=3)
    return card
