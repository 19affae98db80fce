"""Make ``resources/fonts/BabelStoneHan-rare.ttf``: the 生僻字 the other bundled fonts lack.

A build-time tool, not part of the program (fontTools is not a runtime dependency)::

    pip install fonttools
    python installer/subset_fallback_font.py [/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf]

The source is BabelStone Han 15.0.5 (Debian ``fonts-babelstone-han``, 51 MB), Arphic Public
License. It is the only freely licensed TrueType font we found with CJK Extension G (3,045
of its 4,939 characters, U+30000 included); Hanazono Mincho (already bundled) stops at F.

Kept: every CJK code point (radicals, strokes, ideographs, compatibility ideographs,
Extensions A–G, …) that Python's Unicode tables call assigned and that none of
wqy-microhei, HanaMinA-rare and HanaMinB has. Outlines stay TrueType (``glyf``: reportlab
refuses CFF), hinting is dropped, the family is renamed so it cannot be mistaken for the
full font, and the name table says how and when the file was changed (APL §2a).
Re-run after a Python upgrade brings a newer Unicode (Python 3.12: Extension H).
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import date
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SOURCE = Path("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf")
TARGET = FONTS / "BabelStoneHan-rare.ttf"
FAMILY = "BabelStone Han Rare"
BUNDLED = ("wqy-microhei.ttc", "HanaMinA-rare.ttf", "HanaMinB.ttf")
CJK_RANGES = (
    (0x2E80, 0x2FFF),  # radicals, Kangxi radicals, ideographic description characters
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x31C0, 0x31EF),  # strokes
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3FFFF),  # Extensions B–I, compatibility supplement
)


def _cmap(path: Path) -> set[int]:
    font = TTCollection(str(path)).fonts[0] if path.suffix == ".ttc" else TTFont(str(path))
    return set(font.getBestCmap())


def wanted(source_cmap: set[int]) -> set[int]:
    """The code points to keep: CJK, assigned, in the source, in no other bundled font."""
    have: set[int] = set()
    for name in BUNDLED:
        have |= _cmap(FONTS / name)
    return {
        code
        for lo, hi in CJK_RANGES
        for code in range(lo, hi + 1)
        if code in source_cmap
        and code not in have
        and unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs")
    }


def _rename(font: TTFont, source: Path) -> None:
    notice = (
        f"Subset of BabelStone Han 15.0.5 ({source.name}) made by OneWindow on "
        f"{date.today().isoformat()} with installer/subset_fallback_font.py: only the CJK "
        "characters that the program's other bundled fonts lack are kept, hinting removed, "
        f"family renamed to {FAMILY}. Distributed under the Arphic Public License."
    )
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(
                FAMILY.replace(" ", ""), 6, record.platformID, record.platEncID, record.langID
            )
        elif record.nameID == 3:
            names.setName(
                f"{FAMILY}:subset {date.today().isoformat()}",
                3,
                record.platformID,
                record.platEncID,
                record.langID,
            )
    names.setName(notice, 10, 3, 1, 0x409)
    names.setName(notice, 10, 1, 0, 0)


def main(argv: list[str]) -> int:
    """Write the subset; prints what it kept and the file size."""
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    font = TTFont(str(source))
    keep = wanted(set(font.getBestCmap()))
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    _rename(font, source)
    assert "glyf" in font and "CFF " not in font
    font.save(str(TARGET))
    ext_g = sum(1 for c in keep if 0x30000 <= c <= 0x3134F)
    print(f"{TARGET.name}: {len(keep)} characters ({ext_g} of Extension G), ", end="")
    print(f"{TARGET.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
