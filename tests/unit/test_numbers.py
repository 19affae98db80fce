"""Case numbers, ticket codes and ticket barcodes: made and recognised from one definition."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app import numbers
from app.db.models import Case, CaseCounter
from forms.schema import DepartmentDef

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(9999, 12, 31))
DEPARTMENTS = st.from_regex(re.compile(rf"{numbers.DEPARTMENT_CODE}"), fullmatch=True)
SEQUENCES = st.integers(min_value=1, max_value=numbers.CASE_SEQ_MAX)
HALLS = st.from_regex(re.compile(rf"{numbers.HALL_CODE}"), fullmatch=True)


@given(HALLS, DEPARTMENTS, DAYS, SEQUENCES)
def test_every_case_number_made_is_recognised_and_fits_its_column(
    hall: str, department: str, day: date, n: int
) -> None:
    made = numbers.case_no(hall, department, day, n)
    assert numbers.is_case_no(made)
    assert made.startswith(f"{hall}-{department}{day:%Y%m%d}-")
    assert int(made.rsplit("-", 1)[1]) == n
    assert len(made) <= numbers.CASE_NO_MAX_LEN
    assert len(f"{hall}-{department}") <= CaseCounter.__table__.c.prefix.type.length


@given(st.text(max_size=12), st.integers(1, 10**6))
def test_every_hall_gets_a_part_that_numbers_can_carry(code: str, hall_id: int) -> None:
    part = numbers.hall_part(code, hall_id)
    assert re.fullmatch(numbers.HALL_CODE, part)
    assert part == code or part == f"H{hall_id}"


@given(st.text(max_size=20) | DEPARTMENTS)
def test_the_catalog_allows_exactly_the_department_codes_numbers_are_made_for(
    code: str,
) -> None:
    try:
        DepartmentDef(code=code, name="某部门")
        allowed = True
    except ValidationError:
        allowed = False
    try:
        numbers.case_no("JX01", code, date(2026, 11, 30), 1)
        made = True
    except ValueError:
        made = False
    assert allowed == made


def test_the_issue_examples() -> None:
    day = date(2026, 11, 30)
    for made in (
        numbers.case_no("JX01", "GAJ", day, 1),
        numbers.case_no("JX01", "MZ2", day, 7),
        numbers.case_no("DEMO", "MZ", day, 10_000),
    ):
        assert numbers.is_case_no(made)
    assert numbers.case_no("JX01", "MZ", day, 7) == "JX01-MZ20261130-0007"
    assert numbers.case_no("DEMO", "MZ", day, 10_000) == "DEMO-MZ20261130-10000"
    assert numbers.is_case_no("MZ20261130-0007")  # given before halls were in the number
    for not_a_case in (
        "MZ20261130-001",
        "mz20261130-0001",
        "MZ2026113-0001",
        "110105196103050159",
        "-MZ20261130-0001",
        "jx01-MZ20261130-0001",
        "JX01MZ20261130-0001X",
    ):
        assert not numbers.is_case_no(not_a_case)


def test_columns_hold_the_longest_numbers() -> None:
    assert Case.__table__.c.case_no.type.length == numbers.CASE_NO_MAX_LEN
    longest_department = "A" + "9" * 5
    assert numbers.is_case_no(longest_department + "20261130-0001")
    assert CaseCounter.__table__.c.prefix.type.length >= len(longest_department)
    with pytest.raises(ValueError):
        numbers.case_no("JX01", longest_department + "X", date(2026, 11, 30), 1)
    with pytest.raises(ValueError):
        numbers.case_no("JX01", "MZ", date(2026, 11, 30), numbers.CASE_SEQ_MAX + 1)
    with pytest.raises(ValueError):
        numbers.case_no("大厅", "MZ", date(2026, 11, 30), 1)


@given(st.from_regex(re.compile(numbers.QUEUE_LETTER), fullmatch=True), st.integers(1, 10**9))
def test_every_ticket_code_and_barcode_made_is_recognised(letter: str, n: int) -> None:
    code = numbers.ticket_code(letter, n)
    assert numbers.is_ticket_code(code) and int(code[1:]) == n
    barcode = numbers.ticket_barcode(n)
    assert numbers.is_ticket_barcode(barcode) and int(barcode[1:]) == n
    assert not numbers.is_case_no(code) and not numbers.is_case_no(barcode)


def test_ticket_codes_past_999() -> None:
    assert [numbers.ticket_code("A", n) for n in (1, 999, 1000)] == ["A001", "A999", "A1000"]
    assert numbers.is_ticket_code("A1000") and numbers.is_ticket_barcode("T123456789")
