"""Working days (holidays, 调休, overrides, years past the library) and form field values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.fieldvalues import check_form, parse_value
from app.workdays import WorkCalendar
from forms.schema import FieldDef, FieldType, ServiceDef

TODAY = date(2026, 11, 23)


def test_golden_week_is_skipped() -> None:
    cal = WorkCalendar()
    # Tue 29 Sep + 3 working days: Wed 30 Sep, then 1–7 Oct are holidays, Thu 8, Fri 9 Oct.
    assert cal.add(date(2026, 9, 29), 3) == date(2026, 10, 9)
    assert not cal.is_workday(date(2026, 10, 5))


def test_adjusted_saturday_counts_as_a_working_day() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(date(2026, 10, 10))  # 调休 Saturday
    assert cal.add(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert cal.add(date(2026, 10, 16), 1) == date(2026, 10, 19)  # an ordinary weekend
    assert cal.between(date(2026, 10, 9), date(2026, 10, 12)) == 2
    assert cal.add(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_overrides_win_and_years_past_the_library_fall_back_to_weekends() -> None:
    cal = WorkCalendar({date(2026, 11, 24): False})
    assert cal.add(date(2026, 11, 23), 1) == date(2026, 11, 25)
    assert cal.warning == ""
    late = cal.add(date(2026, 12, 30), 3)  # into 2027, which the library does not know
    assert late == date(2027, 1, 4)
    assert "2027" in cal.warning
    entered = WorkCalendar({date(2027, 1, 1): False})
    assert entered.add(date(2026, 12, 30), 3) == date(2027, 1, 5)
    assert entered.warning == ""


FIELDS = [
    FieldDef(key="t", label="文本", type=FieldType.TEXT, max_length=10),
    FieldDef(key="n", label="姓名", type=FieldType.NAME),
    FieldDef(key="i", label="身份证", type=FieldType.ID_NUMBER),
    FieldDef(key="p", label="电话", type=FieldType.PHONE),
    FieldDef(key="d", label="日期", type=FieldType.DATE),
    FieldDef(key="k", label="人数", type=FieldType.INTEGER, min=Decimal(1), max=Decimal(20)),
    FieldDef(key="m", label="金额", type=FieldType.MONEY, min=Decimal(0)),
    FieldDef(key="c", label="单选", type=FieldType.CHOICE, choices=("甲", "乙")),
    FieldDef(key="mc", label="多选", type=FieldType.MULTI_CHOICE, choices=("甲", "乙", "丙")),
    FieldDef(key="b", label="是否", type=FieldType.BOOLEAN),
    FieldDef(key="a", label="地址", type=FieldType.ADDRESS),
    FieldDef(key="l", label="说明", type=FieldType.LONG_TEXT, max_length=50),
]
BY_KEY = {f.key: f for f in FIELDS}

GOOD: list[tuple[str, Any, Any]] = [
    ("t", " 你好 ", "你好"),
    ("n", "吉\U00020bb7", "吉\U00020bb7"),
    ("i", "11010519491231002x", "11010519491231002X"),
    ("p", "138 0013 8000", "13800138000"),
    ("d", "2026/10/1", "2026-10-01"),
    ("k", " 3 ", 3),
    ("m", "1,280.5元", "1280.50"),
    ("c", "乙", "乙"),
    ("mc", ["丙", "甲", "甲"], ["甲", "丙"]),
    ("b", False, False),
    ("a", "幸福路 1 号", "幸福路 1 号"),
    ("l", "第一行\n第二行", "第一行\n第二行"),
]
BAD: list[tuple[str, Any]] = [
    ("t", "超过十个字的一段很长的文字"),
    ("t", "两\n行"),
    ("n", "王5"),
    ("i", "110105194912310021"),
    ("p", "12345"),
    ("d", "2026-13-01"),
    ("d", "1800-01-01"),
    ("k", "三"),
    ("k", "0"),
    ("k", "1.5"),
    ("m", "-1"),
    ("m", "1.234"),
    ("c", "丁"),
    ("mc", ["丁"]),
    ("b", "是"),
    ("l", "字" * 51),
]


@pytest.mark.parametrize(("key", "raw", "stored"), GOOD)
def test_every_field_type_accepts_good_input(key: str, raw: Any, stored: Any) -> None:
    assert parse_value(BY_KEY[key], raw, TODAY) == stored


@pytest.mark.parametrize(("key", "raw"), BAD)
def test_every_field_type_refuses_bad_input_naming_the_field(key: str, raw: Any) -> None:
    with pytest.raises(ValidationError) as err:
        parse_value(BY_KEY[key], raw, TODAY)
    assert err.value.field == key
    assert BY_KEY[key].label in err.value.message


SERVICE = ServiceDef(
    code="TS001",
    name="测试事项",
    queue_category="A",
    kind="instant",
    promised_days=0,
    fields=(
        *FIELDS,
        FieldDef(
            key="extra",
            label="补充",
            type=FieldType.TEXT,
            required=False,
            required_when="b == true",
        ),
    ),
    materials=(),
)
ANY_INPUT = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=3), max_size=4),
    st.dates(),
)


@given(st.dictionaries(st.sampled_from([f.key for f in SERVICE.fields]), ANY_INPUT))
def test_no_input_crashes_the_form_check(raw: dict[str, Any]) -> None:
    clean, errors = check_form(SERVICE, raw, {"age": 30, "gender": "男", "is_agent": False}, TODAY)
    assert set(clean).isdisjoint(errors)
    for f in SERVICE.fields:
        if f.required:
            assert f.key in clean or f.key in errors
    if raw.get("b") is True and "extra" not in clean:
        assert "extra" in errors
