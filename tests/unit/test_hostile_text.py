"""Hostile text at every parser and free-text cleaner (issue 12, kinds 1 and 2).

For ANY string — any Unicode, lone surrogates, control and bidi characters, up to 10 kB —
each function returns a value or raises ValidationError (never ValueError, never a raw
database error later), and what it returns holds no forbidden character and is NFC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import glyphs, text
from app.errors import ValidationError
from app.fieldvalues import parse_value, raw_form
from app.ids import normalize_phone, parse_resident_id, validate_credit_code
from forms.schema import FieldDef, FieldType
from tests.helpers.people import id_number
from tests.unit.test_workdays_fields import SERVICE

TODAY = date(2026, 11, 23)
HOSTILE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\u202e", "\u2066"]
HOSTILE += ["\u200f", "\t", "\n", "\r", "\u2028", "\u3000", "²", "①", "١", "፩", "１", "Ｘ", "•"]

# Any Unicode (surrogates included), plus strings built around the characters that hurt.
any_text = st.text(alphabet=st.characters(codec=None), max_size=10_000)
mixed = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.sampled_from(["0", "9", "X"])),
    max_size=40,
).map("".join)
strings = st.one_of(any_text, st.text(max_size=10_000), mixed)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _forbidden(value: str, multiline: bool) -> list[str]:
    def bad(ch: str) -> bool:
        if 0xD800 <= ord(ch) <= 0xDFFF or ch in text.BIDI_CONTROLS:
            return True
        return unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t")

    return [ch for ch in value if bad(ch)]


def _returns_or_refuses(fn: Callable[[str], Any], raw: str) -> Any:
    try:
        return fn(raw)
    except ValidationError as exc:
        assert exc.message and exc.field
        assert not _forbidden(exc.message, multiline=False)
        return None


def _clean(value: Any, multiline: bool = False, printed: bool = True) -> None:
    assert isinstance(value, str)
    assert not _forbidden(value, multiline), value
    assert unicodedata.is_normalized("NFC", value)
    # What is kept is printed: every character drawable by a bundled font.
    assert (
        not printed or glyphs.first_undrawable(value.replace("\n", "").replace("\t", "")) is None
    ), value


@pytest.mark.parametrize("clean", [text.clean_line, text.clean_long])
def test_an_emoji_in_printed_text_is_refused_naming_it(clean: Any) -> None:
    with pytest.raises(ValidationError) as err:
        clean("不符合条件😀", "reason", "不予受理理由")
    assert err.value.field == "reason"
    assert "U+1F600" in err.value.message and "无法打印" in err.value.message
    assert clean("不符合条件，𠮷", "reason", "不予受理理由") == "不符合条件，𠮷"


# --- free text ------------------------------------------------------------------------------


@PROPERTY
@given(strings)
def test_a_line_is_clean_or_refused(raw: str) -> None:
    out = _returns_or_refuses(lambda s: text.clean_line(s, "address", "地址"), raw)
    if out is not None:
        _clean(out)
        assert "\n" not in out and len(out) <= text.LINE_MAX


@PROPERTY
@given(strings)
def test_long_text_is_clean_or_refused(raw: str) -> None:
    out = _returns_or_refuses(lambda s: text.clean_long(s, "opinion", "意见"), raw)
    if out is not None:
        _clean(out, multiline=True)
        assert "\r" not in out and len(out) <= text.LONG_MAX


@PROPERTY
@given(strings)
def test_a_name_is_clean_or_refused(raw: str) -> None:
    out = _returns_or_refuses(lambda s: text.clean_name(s, "name"), raw)
    if out is not None:
        _clean(out)
        assert out == text.name_key(out)  # stored form is a fixed point
        assert not (set(out) & (text.LOOKALIKE_DOTS - {text.MIDDLE_DOT}))
        assert "\u3000" not in out and "  " not in out and 0 < len(out) <= text.NAME_MAX


@PROPERTY
@given(strings)
def test_a_query_is_clean_or_refused(raw: str) -> None:
    out = _returns_or_refuses(lambda s: text.clean_query(s, "query"), raw)
    if out is not None:
        _clean(out, printed=False)


@PROPERTY
@given(st.dictionaries(st.sampled_from(["reason", "x"]), st.one_of(strings, st.lists(mixed))))
def test_the_raw_form_kept_with_a_draft_is_clean_or_refused(form: dict[str, Any]) -> None:
    out = _returns_or_refuses(lambda _s: raw_form(SERVICE, form), "")
    for value in (out or {}).values():
        for item in value if isinstance(value, list) else [value]:
            _clean(item, multiline=True, printed=False)  # checked for paper when accepted


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("无收入\x00", "reason"),
        ("a\u202eb", "reason"),
        ("\ud83d", "reason"),
        ("\x1b[31m", "reason"),
    ],
)
def test_forbidden_characters_are_named_in_chinese_with_the_field(raw: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        text.clean_line(raw, field, "理由")
    assert err.value.field == field
    assert err.value.message.startswith("理由：第 ")
    assert f"U+{ord(next(c for c in raw if _forbidden(c, False))):04X}" in err.value.message


def test_newline_and_tab_only_in_long_text() -> None:
    assert text.clean_long("第一行\r\n\t第二行\u2028第三行", "o") == "第一行\n\t第二行\n第三行"
    for raw in ("第一行\n第二行", "甲\t乙"):
        with pytest.raises(ValidationError):
            text.clean_line(raw, "o")


def test_text_is_nfc() -> None:
    assert text.clean_line("Cafe\u0301", "t") == "Caf\u00e9"
    assert text.clean_name("Jose\u0301", "n") == "Jos\u00e9"


@pytest.mark.parametrize("dot", ["·", "•", "・", "‧", "･", "∙", "⋅", "\u0387"])
def test_look_alike_middle_dots_are_one_character(dot: str) -> None:
    assert text.clean_name(f"阿依古丽{dot}买买提", "name") == "阿依古丽·买买提"
    assert text.clean_name(f"阿依古丽 {dot} 买买提", "name") == "阿依古丽·买买提"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("王\u3000小明", "王小明"),
        ("\u3000王 小 明\u3000", "王小明"),
        ("John\u3000\u00a0 Smith", "John Smith"),
        ("Mary Jane  王", "Mary Jane王"),
        ("吉\U00020bb7 䶮", "吉\U00020bb7䶮"),
        ("张三", "张三"),  # 三 is a numeral, but a letter of a name
    ],
)
def test_spaces_in_a_name_neither_split_nor_hide_it(typed: str, stored: str) -> None:
    assert text.clean_name(typed, "name") == stored


@pytest.mark.parametrize("raw", ["王²", "李①", "1号", "٣"])
def test_digits_in_a_name_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="姓名不能含数字"):
        text.clean_name(raw, "name")


# --- digits in identifiers and numbers ------------------------------------------------------

GOOD_ID = id_number(date(1985, 6, 7), 13)
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@PROPERTY
@given(strings)
def test_resident_id_parser_returns_or_refuses(raw: str) -> None:
    out = _returns_or_refuses(lambda s: parse_resident_id(s, TODAY), raw)
    if out is not None:
        assert out.number.isascii() and len(out.number) == 18


@PROPERTY
@given(st.one_of(strings, st.just(GOOD_ID).map(lambda s: s.translate(FULLWIDTH))))
def test_phone_parser_returns_or_refuses(raw: str) -> None:
    out = _returns_or_refuses(normalize_phone, raw)
    if out is not None:
        assert out.isascii() and out.replace("-", "").isdigit()


@PROPERTY
@given(strings)
def test_credit_code_parser_returns_or_refuses(raw: str) -> None:
    out = _returns_or_refuses(validate_credit_code, raw)
    if out is not None:
        assert out.isascii() and len(out) == 18


FIELDS = {
    t: FieldDef(key=f"f_{t.value}", label="栏目", type=t)
    for t in FieldType
    if t not in (FieldType.CHOICE, FieldType.MULTI_CHOICE)
}
FIELDS[FieldType.CHOICE] = FieldDef(key="c", label="单选", type=FieldType.CHOICE, choices=("甲",))
FIELDS[FieldType.MULTI_CHOICE] = FieldDef(
    key="mc", label="多选", type=FieldType.MULTI_CHOICE, choices=("甲", "乙")
)


@pytest.mark.parametrize("kind", list(FieldType), ids=lambda t: t.value)
@PROPERTY
@given(raw=st.one_of(strings, st.lists(mixed, max_size=3), st.integers(), st.booleans()))
def test_every_form_field_type_returns_or_refuses(kind: FieldType, raw: Any) -> None:
    f = FIELDS[kind]
    try:
        out = parse_value(f, raw, TODAY)
    except ValidationError as exc:
        assert exc.field == f.key
        assert not _forbidden(exc.message, multiline=False)
        return
    for value in out if isinstance(out, list) else [out]:
        if isinstance(value, str):
            _clean(value, multiline=kind == FieldType.LONG_TEXT)
            if kind in (FieldType.DATE, FieldType.MONEY, FieldType.ID_NUMBER, FieldType.PHONE):
                assert value.isascii()


def test_full_width_id_is_read_as_the_ascii_id() -> None:
    assert parse_resident_id(GOOD_ID.translate(FULLWIDTH), TODAY).number == GOOD_ID
    x_id = next(
        n for n in (id_number(date(1985, 6, 7), s) for s in range(1, 400)) if n.endswith("X")
    )
    assert parse_resident_id(x_id[:-1] + "ｘ", TODAY).number == x_id


@pytest.mark.parametrize("digit", ["²", "①", "١", "፩", "໑", "𝟙"])
def test_other_digits_in_an_id_are_a_validation_error(digit: str) -> None:
    raw = "1101051" + digit + "8506070137"
    with pytest.raises(ValidationError) as err:
        parse_resident_id(raw, TODAY)
    assert err.value.field == "id_number" and digit in err.value.message


def test_issue_example_superscript_two_is_refused_not_a_value_error() -> None:
    with pytest.raises(ValidationError, match="0–9"):
        parse_resident_id("1101051²8506070137", TODAY)


def test_full_width_numbers_in_form_fields() -> None:
    assert parse_value(FIELDS[FieldType.INTEGER], "１２", TODAY) == 12
    assert parse_value(FIELDS[FieldType.MONEY], "１，２００．５", TODAY) == "1200.50"
    assert parse_value(FIELDS[FieldType.DATE], "２０２６年１１月２３日", TODAY) == "2026-11-23"
    assert normalize_phone("（０１０）１２３４５６７８") == "01012345678"
    assert normalize_phone("＋８６ １３８００１３８０００") == "13800138000"
    for kind, raw in (
        (FieldType.INTEGER, "١٢"),
        (FieldType.MONEY, "²"),
        (FieldType.DATE, "2026-①-3"),
    ):
        with pytest.raises(ValidationError, match="0–9"):
            parse_value(FIELDS[kind], raw, TODAY)
    assert parse_value(FIELDS[FieldType.MONEY], Decimal("3.5"), TODAY) == "3.50"
