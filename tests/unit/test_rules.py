"""Catalog conditions: a safe expression language, checked at load."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules import ConditionError, compile_condition

SAMPLES = {
    "age": 30,
    "disability": False,
    "household_income": Decimal(1),
    "household_size": 1,
    "housing": "租房",
}


@pytest.mark.parametrize(
    "expr,values,expected",
    [
        ("age >= 60", {"age": 65}, True),
        ("age >= 60", {"age": 59}, False),
        ("disability == true", {"disability": True}, True),
        ("disability == true", {"disability": False}, False),
        (
            "household_income / household_size < 900",
            {"household_income": Decimal(1500), "household_size": 2},
            True,
        ),
        (
            "household_income / household_size < 900",
            {"household_income": Decimal(3000), "household_size": 2},
            False,
        ),
        ("housing == '租房' or age >= 60", {"housing": "租房", "age": 20}, True),
        ("housing in ['借住', '无固定住所']", {"housing": "租房"}, False),
    ],
)
def test_conditions_evaluate(expr: str, values: dict[str, object], expected: bool) -> None:
    assert compile_condition(expr, SAMPLES).evaluate(values) is expected


def test_missing_or_broken_values_are_unknown_not_errors() -> None:
    cond = compile_condition("household_income / household_size < 900", SAMPLES)
    assert cond.evaluate({"household_income": Decimal(1)}) is None
    assert cond.evaluate({"household_income": Decimal(1), "household_size": 0}) is None
    assert cond.evaluate({"household_income": "很多", "household_size": 2}) is None


@pytest.mark.parametrize(
    "expr,message",
    [
        ("age >=", "语法错误"),
        ("salary > 1", "未定义的字段：salary"),
        ("().__class__", "不允许"),
        ("__import__('os').system('x')", "未定义"),
        ("age >= '六十'", "类型不匹配"),
        ("age ** 999999999", "不允许"),
        ("", "为空"),
    ],
)
def test_invalid_conditions_are_catalog_errors(expr: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        compile_condition(expr, SAMPLES)


@given(st.text(max_size=60))
def test_no_text_crashes_the_condition_compiler(text: str) -> None:
    try:
        cond = compile_condition(text, SAMPLES)
    except ConditionError:
        return
    assert cond.evaluate(SAMPLES) in (True, False, None)
