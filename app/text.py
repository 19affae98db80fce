"""Free text as typed: the one cleaner for every value that reaches the database or paper.

Names, addresses, reasons, opinions, notes, form text and search queries all pass here
before a service stores, prints or looks them up. The rules, the same everywhere:

* Refused, with a Chinese :class:`ValidationError` naming the field: NUL and every other
  control character (newline and tab only in long text), lone surrogates (they cannot be
  encoded, PostgreSQL rejects them and a PDF cannot draw them), and the bidi embedding,
  override and isolate characters (U+202A–U+202E, U+2066–U+2069, plus the marks U+200E,
  U+200F, U+061C) that make text read differently on screen and on paper.
* Text is NFC-normalised, so the same name typed two ways is one name.
* Lines, long text and names are printed or shown on the hall display, so a character no
  bundled font can draw (an emoji, an unassigned code point) is refused naming it
  (:func:`app.glyphs.check_printable`); search queries are not printed and skip this.
* Also refused everywhere: the replacement character U+FFFD (text garbled by a wrong
  encoding) and the Hangul filler letters that print as nothing (:data:`BLANK_LOOKALIKES`).
* Names (:func:`clean_name`): full-width Latin letters are folded (``Ａｌｉｃｅ`` → ``Alice``);
  a name needs at least one letter, and a combining mark must follow one; the look-alike
  middle dots (``•`` ``・`` ``‧`` …) become the one ``·`` (U+00B7) of 少数民族 and foreign names; spaces of any kind (U+3000 included)
  next to a CJK character or a dot are dropped — ``王　小明`` is ``王小明`` — and a run of
  spaces between two Latin words becomes one ASCII space. Search queries get the same
  treatment (:func:`name_key`), so a name is found however it was spaced or dotted.
* Numbers (:func:`ascii_digits`): full-width digits and letters become ASCII
  (``１２３`` → ``123``, ``Ｘ`` → ``X``); any other digit (``²`` ``①`` ``١`` ``፩``) is refused,
  never passed on to ``int()``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app import glyphs
from app.errors import ValidationError

BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
# Letters that print as nothing (Hangul fillers) and the replacement character, the mark of
# text garbled by a wrong encoding: stored, they would print a blank or a box.
BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\ufffd")
MIDDLE_DOT = "\u00b7"
# Dots people type (or input methods produce) for the separator in 阿依古丽·买买提.
LOOKALIKE_DOTS = frozenset(
    "\u00b7\u0387\u16eb\u2022\u2027\u2219\u22c5\u2e31\u30fb\ua78f\uff65\u2981\u25cf\u2024"
)
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULLWIDTH_LETTERS = {cp: cp - 0xFEE0 for cp in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")
_SPACES = re.compile(r"\s+")

NAME_MAX = 60
LINE_MAX = 200
LONG_MAX = 2000


def _prefix(label: str) -> str:
    return f"{label}：" if label else ""


def check_chars(text: str, field: str, label: str = "", multiline: bool = False) -> None:
    """Raise ValidationError if ``text`` holds a character no stored text may hold.

    ``multiline`` allows newline and tab (long text). The message names the character by
    its code point (the character itself may be invisible) and its position.
    """
    for i, ch in enumerate(text, start=1):
        cp = ord(ch)
        if multiline and ch in "\n\t":
            continue
        if ch in "\n\r\u2028\u2029":
            raise ValidationError(f"{_prefix(label)}不能换行。", field)
        if 0xD800 <= cp <= 0xDFFF:
            raise ValidationError(
                f"{_prefix(label)}第 {i} 个字符无法识别（U+{cp:04X}），请删除后重新输入。", field
            )
        if ch in BIDI_CONTROLS:
            raise ValidationError(
                f"{_prefix(label)}第 {i} 个字符是改变文字方向的隐藏字符（U+{cp:04X}），"
                "请删除后重新输入。",
                field,
            )
        if ch in BLANK_LOOKALIKES:
            raise ValidationError(
                f"{_prefix(label)}第 {i} 个字符（U+{cp:04X}）是乱码或看起来是空白的字符，"
                "请删除后重新输入。",
                field,
            )
        if unicodedata.category(ch) == "Cc":
            what = "制表符" if ch == "\t" else "不可见的控制字符"
            raise ValidationError(
                f"{_prefix(label)}第 {i} 个字符是{what}（U+{cp:04X}），请删除后重新输入。", field
            )


def _nfc(text: str) -> str:
    # Lone surrogates are refused before this, so normalisation never meets them.
    return unicodedata.normalize("NFC", text)


def _require_str(raw: Any, field: str, label: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError(f"{_prefix(label)}应为文字。", field)
    return raw


def _bounded(text: str, field: str, label: str, max_length: int, min_length: int) -> str:
    if len(text) > max_length:
        raise ValidationError(
            f"{_prefix(label)}最多 {max_length} 个字（现有 {len(text)} 个）。", field
        )
    if len(text) < min_length:
        if not text:
            raise ValidationError(f"{_prefix(label)}必填。", field)
        raise ValidationError(f"{_prefix(label)}至少 {min_length} 个字。", field)
    return text


def clean_line(
    raw: Any, field: str, label: str = "", max_length: int = LINE_MAX, min_length: int = 0
) -> str:
    """One line of text (address, short reason, note, title): checked, NFC, trimmed.

    Returns ``""`` for nothing typed unless ``min_length`` asks for text. Raises
    :class:`ValidationError` (``field``) for forbidden characters, a line break, or a
    length outside ``min_length``–``max_length`` (characters after normalisation).
    """
    text = _require_str(raw, field, label)
    check_chars(text, field, label)
    return _printable(
        _bounded(_nfc(text).strip(), field, label, max_length, min_length), field, label
    )


def clean_long(
    raw: Any, field: str, label: str = "", max_length: int = LONG_MAX, min_length: int = 0
) -> str:
    """Several lines (opinion, description): like :func:`clean_line`, newline and tab allowed.

    Line breaks of every kind (``\\r\\n``, ``\\r``, U+2028/2029, U+0085) become ``\\n``;
    blank lines and spaces around the whole text are trimmed.
    """
    text = _LINE_BREAKS.sub("\n", _require_str(raw, field, label))
    check_chars(text, field, label, multiline=True)
    return _printable(
        _bounded(_nfc(text).strip(), field, label, max_length, min_length), field, label
    )


def _printable(text: str, field: str, label: str) -> str:
    """``text`` if every character can be drawn on paper and screen, else ValidationError.

    Lines and long text are printed (notices, receipts, the hall display): an emoji or a
    character no bundled font holds would print as a gap (:mod:`app.glyphs`).
    """
    ch = glyphs.first_undrawable(text.replace("\n", "").replace("\t", ""))
    if ch is not None:
        raise ValidationError(
            f"{_prefix(label)}含有字库无法打印的{glyphs.describe(ch)}，"
            "在屏幕和纸上都会显示为空白，请修改。",
            field,
        )
    return text


def _wide(ch: str) -> bool:
    """A character written without spaces around it: CJK (wide), 造字 (private use), the dot."""
    if ch == MIDDLE_DOT:
        return True
    return unicodedata.east_asian_width(ch) in ("W", "F") or unicodedata.category(ch) == "Co"


def name_key(text: str) -> str:
    """A name in its one stored form: NFC, one middle dot, spaces only between Latin words.

    Never raises (forbidden characters are the caller's check); used for stored names and
    for search queries alike, so both meet in the same form.
    """
    # Full-width Latin letters are the same letters (``Ａｌｉｃｅ`` is ``Alice``); folded first,
    # they count as Latin words, so a full-width space between them stays one space.
    name = _nfc(text.translate(_FULLWIDTH_LETTERS))
    name = "".join(MIDDLE_DOT if ch in LOOKALIKE_DOTS else ch for ch in name)
    words = [w for w in _SPACES.split(name) if w]
    if not words:
        return ""
    out = words[0]
    for word in words[1:]:
        out += word if _wide(out[-1]) or _wide(word[0]) else " " + word
    return out


def clean_name(raw: Any, field: str = "name", label: str = "") -> str:
    """A person's name (resident, agent, collector, user): any script, 生僻字 included.

    Checked like a line, normalised by :func:`name_key`, then refused if empty, longer
    than :data:`NAME_MAX`, or holding a digit, a format or unassigned character, or one no
    bundled font can draw (:func:`app.glyphs.check_printable`: a name is printed on receipts;
    private-use 造字 print as nothing, so they are refused too).
    """
    text = _require_str(raw, field, label)
    check_chars(text, field, label)
    name = name_key(text)
    if not name:
        raise ValidationError(f"{_prefix(label)}请填写姓名。", field)
    if len(name) > NAME_MAX:
        raise ValidationError(f"{_prefix(label)}姓名过长（最多 {NAME_MAX} 个字）。", field)
    for before, ch in zip(" " + name[:-1], name, strict=True):
        if unicodedata.category(ch)[0] == "M" and before in " " + MIDDLE_DOT:
            raise ValidationError(
                f"{_prefix(label)}姓名中的附加符号（U+{ord(ch):04X}）前面没有文字，请核对。",
                field,
            )
        if ch.isdigit():  # 0-9, ², ①, ١ … (but 三 and 〇 are letters of names)
            raise ValidationError(f"{_prefix(label)}姓名不能含数字。", field)
        cat = unicodedata.category(ch)
        if cat[0] == "C" and cat != "Co":
            raise ValidationError(
                f"{_prefix(label)}姓名含有无法识别的字符（U+{ord(ch):04X}）。", field
            )
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise ValidationError(f"{_prefix(label)}姓名中没有文字，请核对。", field)
    glyphs.check_printable(name, label or "姓名", field)  # printed: every character drawable
    return name


def fold_fullwidth(text: str) -> str:
    """Full-width ASCII (U+FF01–U+FF5E) and U+3000 as their ASCII forms; nothing else changes."""
    return text.translate(_FULLWIDTH)


def ascii_digits(raw: Any, field: str, label: str = "") -> str:
    """Text meant to be a number or code, with full-width forms folded to ASCII.

    Raises :class:`ValidationError` for any digit that is not 0–9 after folding
    (superscripts, circled, Arabic-Indic, Ethiopic …) and for characters no stored text
    may hold; the caller's own pattern then checks the shape with ``[0-9]``.
    """
    text = fold_fullwidth(_require_str(str(raw) if isinstance(raw, int) else raw, field, label))
    check_chars(text, field, label)
    for ch in text:
        if not ch.isascii() and ch.isdigit():  # 三 is left to the caller's "应为整数"
            raise ValidationError(f"{_prefix(label)}只能使用 0–9 的数字，不能含“{ch}”。", field)
    return text


def clean_query(raw: Any, field: str = "query", label: str = "") -> str:
    """A search box or a scanned code: checked, NFC, full-width folded, trimmed."""
    text = _require_str(raw, field, label)
    check_chars(text, field, label)
    return fold_fullwidth(_nfc(text)).strip()


def excerpt(text: str, limit: int = 20) -> str:
    """``text`` safe to quote in a message: forbidden characters as U+FFFD, cut at ``limit``."""
    safe = "".join(
        "\ufffd"
        if 0xD800 <= ord(ch) <= 0xDFFF or ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc"
        else ch
        for ch in text[: limit + 1]
    )
    return safe if len(safe) <= limit else safe[:limit] + "…"


def clean_json(value: Any, field: str, label: str = "") -> Any:
    """A JSON-ready value (the raw form kept with a draft) with every string checked.

    Strings may hold several lines (long text); keys and values are NFC-normalised.
    Raises :class:`ValidationError` (``field``) for a forbidden character anywhere.
    """
    if isinstance(value, str):
        text = _LINE_BREAKS.sub("\n", value)
        check_chars(text, field, label, multiline=True)
        return _nfc(text)
    if isinstance(value, dict):
        return {clean_json(k, field, label): clean_json(v, field, label) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v, field, label) for v in value]
    return value


def clause(text: str) -> str:
    """Typed text to go inside a sentence: its own closing stop dropped (。；. ,) so that the
    sentence around it ("履行方式：…；履行期限：…") does not double it."""
    return text.strip().rstrip("。；;.，,")


LIKE_ESCAPE = "\\"  # the escape character of the patterns below (SQL ``ESCAPE '\\'``)


def like_escaped(query: str) -> str:
    """``query`` for a LIKE pattern, literally: ``%``, ``_`` and the escape character are
    characters typed, not wildcards (use with ``escape=LIKE_ESCAPE``)."""
    return query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_containing(query: str) -> str:
    """A LIKE pattern matching text that contains ``query`` literally."""
    return f"%{like_escaped(query)}%"
