"""Resident IDs (GB 11643), phones and unified social credit codes (GB 32100)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.ids import (
    mask_id,
    mask_name,
    mask_numbers,
    mask_phone,
    normalize_phone,
    parse_resident_id,
    upgrade_15,
    validate_credit_code,
)

TODAY = date(2026, 11, 23)


def test_published_valid_vector() -> None:
    rid = parse_resident_id("11010519491231002X", TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender == "女"
    assert rid.region == "北京市朝阳区"
    assert rid.warning == ""
    assert rid.age_on(TODAY) == 76


def test_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError, match="校验位") as err:
        parse_resident_id("110105194912310021", TODAY)
    assert err.value.field == "id_number"


def test_lower_case_x_is_normalised() -> None:
    assert parse_resident_id("11010519491231002x", TODAY).number == "11010519491231002X"


def test_fifteen_digit_id_is_upgraded() -> None:
    assert upgrade_15("110105491231002") == "11010519491231002X"
    assert parse_resident_id("110105491231002", TODAY).number == "11010519491231002X"


def test_future_birth_date_is_refused() -> None:
    body = "11010520300101001"
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError, match="晚于今天"):
        parse_resident_id(number, TODAY)


def test_impossible_birth_date_is_refused() -> None:
    body = "11010519490230001"
    from stdnum.cn import ric

    with pytest.raises(ValidationError, match="出生日期不存在"):
        parse_resident_id(body + ric.calc_check_digit(body + "0"), TODAY)


def test_unknown_region_is_only_a_warning() -> None:
    from stdnum.cn import ric

    body = "99999919800101001"
    rid = parse_resident_id(body + ric.calc_check_digit(body + "0"), TODAY)
    assert rid.region == ""
    assert "999999" in rid.warning


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "请输入"),
        ("1234", "18 位"),
        ("11010519491231002Y", "数字或 X"),
        ("1101051949123100", "18 位"),
        ("11010549123100A", "全部为数字"),
    ],
)
def test_malformed_ids_have_clear_messages(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_resident_id(text, TODAY)


@given(st.text(max_size=30))
def test_no_input_crashes_the_id_parser(text: str) -> None:
    try:
        parse_resident_id(text, TODAY)
    except ValidationError as exc:
        assert exc.message


@given(
    st.from_regex(
        r"[1-6][0-9]{5}(19[0-9]{2}|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}",
        fullmatch=True,
    )
)
def test_every_well_formed_id_with_its_check_digit_is_accepted(body: str) -> None:
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    rid = parse_resident_id(number, TODAY)
    assert rid.gender == ("男" if int(number[16]) % 2 else "女")


def test_phones() -> None:
    assert normalize_phone("138 1234 5678") == "13812345678"
    assert normalize_phone("+86 13812345678") == "13812345678"
    assert normalize_phone("010-12345678") == "010-12345678"
    assert normalize_phone("0755-1234567-89") == "0755-1234567-89"
    for bad in ("12812345678", "1381234567", "12345", "abc", ""):
        with pytest.raises(ValidationError, match="电话号码"):
            normalize_phone(bad)


def test_credit_codes() -> None:
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError, match="18 位"):
        validate_credit_code("91350100M000100")


@given(st.text(max_size=25))
def test_no_input_crashes_credit_code_or_phone(text: str) -> None:
    for fn in (validate_credit_code, normalize_phone):
        try:
            fn(text)
        except ValidationError as exc:
            assert exc.message


def test_masking() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_phone("13812341234") == "138****1234"


def test_masking_for_lists_and_public_notices() -> None:
    # A disability card number contains the ID number; bank accounts are long numbers too.
    assert mask_numbers("证号 11010519580601011142") == "证号 110105**********1142"
    assert mask_numbers("6217000010001234567") == "621700*********4567"
    assert mask_numbers("3 口人，月收入 980 元") == "3 口人，月收入 980 元"
    assert [mask_name(n) for n in ("李", "李娜", "王建国", "欧阳娜娜")] == [
        "李",
        "李*",
        "王*国",
        "欧**娜",
    ]
    assert mask_name("吉\U00020bb7䶮") == "吉*䶮"  # characters, not UTF-16 units
