"""Is a character really drawn? Ink in its box on the rendered page.

``pdftotext -bbox`` gives each word's box; the character's share of it comes from the same
font metrics the document was laid out with (:func:`printing.drawing.width`, fallback fonts
included); ``pdftoppm`` renders the page and the dark pixels inside the box are counted.
A character no font has is laid out as a gap: no ink.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PIL import Image

from printing.drawing import width
from tests.helpers.pdf import run, tool

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def char_box(pdf: Path, ch: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in points, top-left origin, of the first ``ch`` on page 1."""
    out = run(tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-")
    for m in _WORD.finditer(out):
        word = html.unescape(m[5])
        if ch in word:
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            k = word.index(ch)
            total = width(word, 10)
            left = x0 + (x1 - x0) * width(word[:k], 10) / total
            right = x0 + (x1 - x0) * width(word[: k + 1], 10) / total
            return left, y0, right, y1
    raise AssertionError(f"{ch!r} (U+{ord(ch):04X}) is not in the PDF's text")


def ink(pdf: Path, ch: str, dpi: int = 150) -> float:
    """The share of dark pixels (0–1) in ``ch``'s box on page 1 rendered at ``dpi``."""
    x0, y0, x1, y1 = char_box(pdf, ch)
    stem = pdf.with_suffix("")
    run(
        tool("pdftoppm"), "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(stem)
    )
    page = sorted(pdf.parent.glob(f"{stem.name}-*.png"))[0]
    scale = dpi / 72
    with Image.open(page) as img:
        box = img.convert("L").crop(
            (int(x0 * scale), int(y0 * scale), int(x1 * scale) + 1, int(y1 * scale) + 1)
        )
        histogram = box.histogram()
    return sum(histogram[:128]) / sum(histogram)
