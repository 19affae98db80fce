"""The embedded CJK font for every PDF.

WenQuanYi Micro Hei (TrueType outlines, Apache-2.0 or GPL-3 with font exception; see
``resources/fonts/wqy-microhei.LICENSE.txt``) is embedded as a subset, so a PDF shows
Chinese on any reader. Noto CJK cannot be used: reportlab refuses CFF outlines.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

MAIN_FONT = "WQYMicroHei"
FONT_FILE = "wqy-microhei.ttc"


def font_path() -> Path:
    """Where the bundled main font file is (works in the frozen build)."""
    return Path(str(resources.files("resources") / "fonts" / FONT_FILE))


@cache
def register_fonts() -> str:
    """Register the main font with reportlab once; returns its name for ``setFont``."""
    pdfmetrics.registerFont(TTFont(MAIN_FONT, str(font_path()), subfontIndex=0))
    return MAIN_FONT
