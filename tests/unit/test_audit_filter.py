"""The audit list's filter as typed: days in the forms people write them, wrong input named."""

from __future__ import annotations

from datetime import date

import pytest

from app.audit.listing import AuditFilter, check_filter, parse_day
from app.errors import ValidationError


@pytest.mark.parametrize(
    "typed",
    ["2026-11-01", "2026/11/1", "2026.11.01", "20261101", "2026年11月1日", "２０２６－１１－０１"],
)
def test_a_day_is_read_as_people_write_it(typed: str) -> None:
    assert parse_day(f" {typed} ", "date_from") == date(2026, 11, 1)


def test_nothing_typed_is_any_day() -> None:
    assert parse_day("", "date_from") is None and parse_day("  ", "date_to") is None


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-13-01", "没有这一天"),
        ("2026-02-30", "没有这一天"),
        ("26-11-01", "2026-11-01"),
        ("明天", "2026-11-01"),
        ("2026-11-01 09:00", "2026-11-01"),
    ],
)
def test_a_wrong_day_names_its_field(typed: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_day(typed, "date_to")
    assert err.value.field == "date_to" and words in err.value.message


def test_a_filter_is_checked_before_any_query() -> None:
    check_filter(AuditFilter(date(2026, 11, 1), date(2026, 11, 1), 7, "login", "user", "clerk"))
    check_filter(AuditFilter(operator="自助取号机", entity="ticket", text="ａ012"))  # full-width
    with pytest.raises(ValidationError) as err:
        check_filter(AuditFilter(date(2026, 11, 2), date(2026, 11, 1)))
    assert err.value.field == "date_to"
    with pytest.raises(ValidationError) as err:
        check_filter(AuditFilter(operator=0))
    assert err.value.field == "operator"
    with pytest.raises(ValidationError) as err:
        check_filter(AuditFilter(text="abc\u202e"))  # a direction override hides text
    assert err.value.field == "text"
