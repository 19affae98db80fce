"""A line of text as a 1-bit image, drawn with the bundled fonts (for thermal printers).

A thermal printer's Chinese mode knows only its ROM font's two-byte characters; a 生僻字
has to reach the paper as dots. The line is drawn with Pillow, character by character in
the same font as the PDFs would use (:func:`printing.fonts.runs`).
"""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageDraw, ImageFont

from app import glyphs
from printing.fonts import runs

PAPER_DOTS = 576  # printable width of 80 mm paper at 203 dpi (72 mm)
LINE_DOTS = 24  # the printer's own Chinese characters are 24 × 24 dots


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    for font, file, subfont in glyphs.FONT_FILES:
        if font == name:
            return ImageFont.truetype(str(glyphs.font_path(file)), size, index=subfont)
    raise KeyError(name)


def line_image(text: str, size: int = LINE_DOTS, width: int = PAPER_DOTS) -> Image.Image:
    """``text`` centred on a white ``width``-dot strip, black, 1 bit per dot.

    Too long a line is shrunk to fit rather than cut off.
    """
    pieces = list(runs(text))

    def measure(points: int) -> float:
        return sum(_font(name, points).getlength(piece) for name, piece in pieces)

    while size > 8 and measure(size) > width:
        size -= 1
    height = size + size // 4 + 2
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    x = (width - measure(size)) / 2
    baseline = size - size // 8
    for name, piece in pieces:
        font = _font(name, size)
        draw.text((x, baseline), piece, font=font, fill=0, anchor="ls")
        x += font.getlength(piece)
    return image
