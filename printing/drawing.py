"""Canvas helpers shared by the A4 documents: text with font fallback, wrapping, codes.

Drawn straight on a reportlab canvas (no platypus): a receipt must render in < 20 ms.
The QR code's modules come from segno and are drawn as merged rectangles; reportlab's
own QrCodeWidget takes ~70 ms (FACTS.md).
"""

from __future__ import annotations

import re

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import runs


def width(text: str, size: float) -> float:
    """Printed width of ``text`` at ``size`` points, fallback fonts included."""
    return float(sum(stringWidth(piece, name, size) for name, piece in runs(text)))


def text(c: Canvas, x: float, y: float, s: str, size: float, align: str = "left") -> None:
    """Draw one line; 生僻字 switch to the fallback font for just those characters."""
    if align != "left":
        w = width(s, size)
        x = x - w / 2 if align == "center" else x - w
    for name, piece in runs(s):
        c.setFont(name, size)
        c.drawString(x, y, piece)
        x += stringWidth(piece, name, size)


_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)")


_WORD = re.compile(r"[A-Za-z0-9*@#%&+=_./:-]+|.", re.DOTALL)  # a number, a code, a word


def wrap(s: str, max_width: float, size: float) -> list[str]:
    """Lines of at most ``max_width`` (explicit newlines kept). CJK breaks anywhere, but a
    run of Latin letters, digits and the like (a phone number ``138****8000``, an ID, a
    case number) moves whole to the next line unless it is wider than a line itself."""
    lines: list[str] = []
    for para in s.split("\n"):
        line, used = "", 0.0
        for token in _WORD.findall(para):
            tw = width(token, size)
            pieces = [token] if tw <= max_width else list(token)  # too long: by character
            for piece in pieces:
                pw = tw if len(pieces) == 1 else width(piece, size)
                if used + pw > max_width and line and piece[0] not in _NO_LINE_START:
                    lines.append(line)
                    line, used = "", 0.0
                line += piece
                used += pw
        lines.append(line)
    return lines


def paragraph(
    c: Canvas, x: float, y: float, s: str, max_width: float, size: float, leading: float
) -> float:
    """Draw wrapped text from ``y`` downwards; returns the y below it."""
    for line in wrap(s, max_width, size):
        text(c, x, y, line, size)
        y -= leading
    return y


def code128(c: Canvas, x: float, y: float, data: str, height: float = 12 * mm) -> float:
    """A Code 128 barcode with its lower left at (x, y); returns its width."""
    bar = Code128(data, barHeight=height, barWidth=0.33 * mm, quiet=True, humanReadable=False)
    bar.drawOn(c, x - bar.lquiet, y)  # the quiet zone goes into the margin, bars align with text
    return float(bar.width)


def qr(c: Canvas, x: float, y: float, data: str, size: float) -> None:
    """A QR code (error correction M) of ``size`` points square, lower left at (x, y)."""
    import segno

    code = segno.make_qr(data, error="m")
    rows = [list(r) for r in code.matrix]
    border = 2
    n = len(rows) + 2 * border
    cell = size / n
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        top = y + size - (r + border + 1) * cell
        start = None
        for col, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                c.rect(
                    x + (start + border) * cell, top, (col - start) * cell, cell, stroke=0, fill=1
                )
                start = None
