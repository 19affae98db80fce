"""Which characters the program can print: the union of its bundled fonts' character maps.

A name is printed on receipts and notices, so every character of it must be drawable by a
font the program ships — a character no font has prints as nothing (an emoji, a private-use
造字, a character newer than the fonts). :func:`check_printable` refuses such text, naming
the character; :func:`parse_code_point` is the rule of the 生僻字 picker.

The coverage is read from the font files themselves at first use (their ``cmap`` tables
only, a few milliseconds; then kept), not from a precomputed table: the fonts are the
truth, so replacing one can never leave a stale table behind. ``printing``
uses the same order (:data:`FONT_FILES`) for its per-character fallback.
"""

from __future__ import annotations

import re
import struct
import threading
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from app.errors import ValidationError

# (reportlab name, file, subfont index), in the order a character looks for its font:
# WenQuanYi Micro Hei; Hanazono Mincho for Extensions A and B–F; BabelStone Han (subset)
# for Extension G and what the others lack.
FONT_FILES: tuple[tuple[str, str, int], ...] = (
    ("WQYMicroHei", "wqy-microhei.ttc", 0),
    ("HanaMinA", "HanaMinA-rare.ttf", 0),
    ("HanaMinB", "HanaMinB.ttf", 0),
    ("BabelStoneHanRare", "BabelStoneHan-rare.ttf", 0),
)
_lock = threading.Lock()


def font_path(file: str) -> Path:
    """Where a bundled font file is (``resources/fonts``; works in the frozen build)."""
    return Path(str(resources.files("resources") / "fonts" / file))


def _cmap_table(fh: BinaryIO, subfont: int) -> bytes:
    head = fh.read(12)
    if head[:4] == b"ttcf":  # a collection: pick the subfont's table directory
        fh.seek(12 + 4 * subfont)
        (offset,) = struct.unpack(">I", fh.read(4))
        fh.seek(offset)
        head = fh.read(12)
    (count,) = struct.unpack(">H", head[4:6])
    records = fh.read(16 * count)
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", records[16 * i : 16 * i + 16])
        if tag == b"cmap":
            fh.seek(offset)
            return fh.read(length)
    raise ValueError("font has no cmap table")


def _format4(t: bytes) -> set[int]:
    segs = struct.unpack(">H", t[6:8])[0] // 2
    ends = struct.unpack(f">{segs}H", t[14 : 14 + 2 * segs])
    base = 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", t[base : base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", t[base + 2 * segs : base + 4 * segs])
    ranges_at = base + 4 * segs
    ranges = struct.unpack(f">{segs}H", t[ranges_at : ranges_at + 2 * segs])
    out: set[int] = set()
    for i, (start, end, delta, rng) in enumerate(zip(starts, ends, deltas, ranges, strict=True)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if rng == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = ranges_at + 2 * i + rng + 2 * (code - start)
                glyph = struct.unpack(">H", t[at : at + 2])[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                out.add(code)
    return out


def _format12(t: bytes) -> set[int]:
    (groups,) = struct.unpack(">I", t[12:16])
    out: set[int] = set()
    for g in range(groups):
        start, end, glyph = struct.unpack(">III", t[16 + 12 * g : 28 + 12 * g])
        out.update(range(start + (glyph == 0), end + 1))
    return out


@cache
def _read_coverage(file: str, subfont: int) -> frozenset[int]:
    """The code points the font's Unicode cmap maps to a real glyph (not glyph 0).

    Only the ``cmap`` table is read (a few ms; parsing the whole font with reportlab's
    ``TTFontFile`` took 0.2 s for the main font alone, on every start).
    """
    with font_path(file).open("rb") as fh:
        cmap = _cmap_table(fh, subfont)
    count = struct.unpack(">H", cmap[2:4])[0]
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * i : 12 + 8 * i])
        kind = struct.unpack(">H", cmap[offset : offset + 2])[0]
        subtables[(platform, encoding, kind)] = cmap[offset:]
    for key, read in (
        ((3, 10, 12), _format12),
        ((0, 4, 12), _format12),
        ((3, 1, 4), _format4),
        ((0, 3, 4), _format4),
    ):
        if key in subtables:
            return frozenset(read(subtables[key]))
    raise ValueError(f"{file}: no Unicode cmap")


def coverage(name: str) -> frozenset[int]:
    """The code points bundled font ``name`` (a :data:`FONT_FILES` name) has a glyph for."""
    for font, file, subfont in FONT_FILES:
        if font == name:
            with _lock:  # the first call may come from two threads (GUI and worker)
                return _read_coverage(file, subfont)
    raise KeyError(name)


_NOT_TEXT = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def can_draw(ch: str) -> bool:
    """Whether a bundled font draws ``ch`` visibly.

    Controls and format characters (NUL, zero-width joiner, BOM …) count as not drawable
    even where a font maps them: they print as nothing. The fonts are read in fallback
    order and only as far as needed, so common text costs only the main font's map.
    """
    if unicodedata.category(ch) in _NOT_TEXT:
        return False
    code = ord(ch)
    return any(code in coverage(name) for name, _file, _subfont in FONT_FILES)


def first_undrawable(text: str) -> str | None:
    """The first character of ``text`` that no bundled font can draw, or None."""
    if text.isascii() and text.isprintable():
        return None  # the main font has all of printable ASCII: no need to load anything
    return next((ch for ch in text if not can_draw(ch)), None)


def describe(ch: str) -> str:
    """``“😀”（U+1F600）`` — the character quoted when it can be shown, always its code."""
    code = f"U+{ord(ch):04X}"
    if unicodedata.category(ch)[0] in "CZM":  # invisible, spacing or combining: code only
        return f"字符（{code}）"
    return f"“{ch}”（{code}）"


def check_printable(text: str, what: str, field: str) -> None:
    """Raise ValidationError(field) if a character of ``text`` cannot be printed.

    ``what`` names the value in the message, e.g. ``姓名`` → 姓名中的“😀”（U+1F600）无法打印，请核对。
    """
    ch = first_undrawable(text)
    if ch is not None:
        raise ValidationError(f"{what}中的{describe(ch)}无法打印，请核对。", field)


def parse_code_point(text: str, field: str = "code") -> str:
    """The 生僻字 picker's input → one character, or ValidationError(field) saying why not.

    Accepts ``20BB7``, ``U+20BB7``, ``0x20BB7`` or the character itself. The code point must
    be assigned (not unassigned, private use or a surrogate in Python's Unicode tables),
    printable (no control, format or space character) and drawn by a bundled font.
    """
    entered = text.strip()
    if len(entered) == 1:
        code = ord(entered)
    else:
        raw = entered.upper().removeprefix("U+").removeprefix("0X")
        if not re.fullmatch(r"[0-9A-F]{1,8}", raw):
            raise ValidationError("请输入 Unicode 编码，如 20BB7 或 U+20BB7。", field)
        code = int(raw, 16)
        if code > 0x10FFFF:
            raise ValidationError(f"编码 {raw} 超出 Unicode 范围（最大 10FFFF）。", field)
    ch = chr(code)
    category = unicodedata.category(ch)
    shown = f"U+{code:04X}"
    if category == "Cn":
        raise ValidationError(f"{shown} 是未分配的编码，不是文字，请核对。", field)
    if category == "Co":
        raise ValidationError(
            f"{shown} 是私用区编码（造字），打印和交换都无法保证，请改用标准编码。", field
        )
    if category == "Cs":
        raise ValidationError(f"{shown} 是代理编码，不是文字，请核对。", field)
    if not ch.isprintable() or ch.isspace() or category[0] == "M":
        raise ValidationError(
            f"{shown} 不是可单独显示的文字（控制、格式、空白或组合符号）。", field
        )
    if not can_draw(ch):
        raise ValidationError(f"本系统的字库没有“{ch}”（{shown}），无法打印。", field)
    return ch
