"""The embedded CJK fonts for every PDF, with per-character fallback for 生僻字.

WenQuanYi Micro Hei (TrueType outlines, Apache-2.0 or GPL-3 with font exception; see
``resources/fonts/wqy-microhei.LICENSE.txt``) is embedded as a subset, so a PDF shows
Chinese on any reader. Noto CJK cannot be used: reportlab refuses CFF outlines.

It lacks CJK Extension A and B, where many names' rare characters live (䶮, 𠮷). Two
Hanazono Mincho files (Hanazono Font License, ``resources/fonts/hanazono.LICENSE.txt``)
fill in A–F, and a subset of BabelStone Han (Arphic Public License,
``resources/fonts/babelstone.LICENSE.txt``) Extension G (U+30000 …), character by
character: :func:`runs` splits a text into pieces per font. The fonts and their order are
:data:`app.glyphs.FONT_FILES`, the same table that decides which names can be printed at
all; a fallback font is registered only when a text needs it (HanaMinB is 30 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app import glyphs

MAIN_FONT, FONT_FILE, _ = glyphs.FONT_FILES[0]
FALLBACKS = glyphs.FONT_FILES[1:]


def _utf16_hex(code: int) -> str:
    return "".join(f"{unit:04X}" for unit in _units(code))


def _units(code: int) -> tuple[int, ...]:
    if code <= 0xFFFF:
        return (code,)
    code -= 0x10000
    return (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters past U+FFFF as UTF-16 surrogate pairs.

    reportlab 5.1 writes ``<20BB7>`` for 𠮷, which PDF readers take as U+20BB: the glyph
    prints, but copying or searching the text (and ``pdftotext``) gives the wrong
    character. The PDF spec wants UTF-16BE here (PDF 32000-1, 9.10.3).
    """
    pairs = [f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *pairs,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def font_path(name: str = FONT_FILE) -> Path:
    """Where a bundled font file is (works in the frozen build)."""
    return glyphs.font_path(name)


@cache
def register_fonts() -> str:
    """Register the main font with reportlab once; returns its name for ``setFont``."""
    pdfmetrics.registerFont(TTFont(MAIN_FONT, str(font_path()), subfontIndex=0))
    return MAIN_FONT


@cache
def _register(name: str) -> str:
    for font, file, subfont in FALLBACKS:
        if font == name:
            pdfmetrics.registerFont(TTFont(name, str(font_path(file)), subfontIndex=subfont))
    return name


def font_for(ch: str) -> str:
    """The first font that has a glyph for ``ch`` (the main font if none has).

    The fallback font found is registered with reportlab, ready for ``setFont``.
    """
    code = ord(ch)
    if code < 0x2E80 or code in glyphs.coverage(MAIN_FONT):
        return MAIN_FONT
    for name, _file, _subfont in FALLBACKS:
        if code in glyphs.coverage(name):
            return _register(name)
    return MAIN_FONT


def runs(text: str) -> Iterator[tuple[str, str]]:
    """(font name, piece) pairs covering ``text``, each piece drawable in one font."""
    register_fonts()
    start, current = 0, None
    for i, ch in enumerate(text):
        name = font_for(ch)
        if current is not None and name != current:
            yield current, text[start:i]
            start = i
        current = name
    if current is not None:
        yield current, text[start:]


def markup(text: str) -> str:
    """``text`` escaped for a reportlab Paragraph, fallback runs wrapped in <font> tags."""
    out = []
    for name, piece in runs(text):
        safe = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(safe if name == MAIN_FONT else f'<font name="{name}">{safe}</font>')
    return "".join(out)
