"""The rules of care visits: tiers → rhythms, next due days, one meaning of overdue, and
the replay that decides whether a plan kept its rhythm in a month."""

from __future__ import annotations

from datetime import date

import pytest

from app.care import rules


def test_each_tier_gets_the_rhythm_the_guidance_sets() -> None:
    visit = date(2026, 11, 2)
    due = {t: rules.next_due(visit, rules.TIER_RHYTHM[t]) for t in rules.TIERS}
    assert due == {
        "high": date(2026, 11, 9),  # 高风险: at least weekly
        "key": date(2026, 12, 2),  # 重点: at least monthly
        "general": date(2027, 2, 2),  # 一般: at least quarterly
    }


@pytest.mark.parametrize(
    ("after", "rhythm", "every", "expected"),
    [
        (date(2026, 1, 31), "monthly", None, date(2026, 2, 28)),  # kept inside February
        (date(2024, 1, 31), "monthly", None, date(2024, 2, 29)),  # a leap year
        (date(2026, 11, 30), "quarterly", None, date(2027, 2, 28)),
        (date(2026, 12, 31), "daily", None, date(2027, 1, 1)),
        (date(2026, 11, 30), "days", 10, date(2026, 12, 10)),
    ],
)
def test_next_due_follows_the_calendar(
    after: date, rhythm: str, every: int | None, expected: date
) -> None:
    assert rules.next_due(after, rhythm, every) == expected


@pytest.mark.parametrize(
    ("rhythm", "every"), [("days", 0), ("days", 367), ("days", None), ("hourly", None)]
)
def test_an_impossible_rhythm_is_refused(rhythm: str, every: int | None) -> None:
    with pytest.raises(ValueError, match="rhythm"):
        rules.next_due(date(2026, 11, 30), rhythm, every)


def test_overdue_is_the_calendar_date_after_the_due_day() -> None:
    today = date(2026, 11, 30)
    assert [rules.bucket(date(2026, 11, d), today).key for d in (27, 29, 30)] == [
        "overdue",
        "overdue",
        "today",
    ]
    assert rules.bucket(date(2026, 11, 27), today).label == "逾期 3 天"
    assert rules.bucket(date(2026, 12, 2), today).key == "soon"
    assert rules.bucket(date(2026, 12, 3), today).key == "later"
    assert rules.overdue_days(date(2026, 11, 30), today) == 0


def test_a_weekly_plan_kept_and_one_missed_in_a_month() -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    kept = rules.kept(
        date(2026, 11, 3), [date(2026, 11, d) for d in (3, 10, 17, 24)], start, end, "weekly", None
    )
    assert kept == rules.Kept(missed=False, late_days=0)  # next due 1 Dec
    late = rules.kept(
        date(2026, 11, 3), [date(2026, 11, d) for d in (3, 12, 19, 26)], start, end, "weekly", None
    )
    assert late.missed and late.late_days == 0  # 10 Nov passed without a visit
    stopped = rules.kept(date(2026, 11, 3), [date(2026, 11, 3)], start, end, "weekly", None)
    assert stopped.missed and stopped.late_days == 20  # due 10 Nov, 20 days late on the 30th


def test_a_plan_already_overdue_when_the_month_began_missed_it() -> None:
    kept = rules.kept(
        date(2026, 10, 20),
        [date(2026, 11, 1)],
        date(2026, 11, 1),
        date(2026, 11, 30),
        "monthly",
        None,
    )
    assert kept.missed  # the visit of 1 November came 12 days late
    on_time = rules.kept(
        date(2026, 11, 1),
        [date(2026, 11, 1)],
        date(2026, 11, 1),
        date(2026, 11, 30),
        "monthly",
        None,
    )
    assert not on_time.missed and on_time.late_days == 0
