"""Which axis labels a chart names, and which ranges are a calendar month (the report title)."""

from __future__ import annotations

from datetime import date

import pytest

from app.chartaxis import label_step, shown_labels
from app.reports.monthly import month_of


@pytest.mark.parametrize(
    ("count", "step", "shown"),
    [(0, 1, 0), (1, 1, 1), (12, 1, 12), (13, 2, 7), (24, 2, 12), (53, 5, 11), (105, 9, 12)],
)
def test_at_most_a_dozen_labels(count: int, step: int, shown: int) -> None:
    assert label_step(count) == step
    labels = shown_labels([f"L{i}" for i in range(count)])
    assert len(labels) == count and sum(1 for x in labels if x) == shown
    assert not labels or labels[0] == "L0"  # the first point is always named


@pytest.mark.parametrize(
    ("first", "last", "month"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 1)),
        (date(2028, 2, 1), date(2028, 2, 29), date(2028, 2, 1)),  # a leap February
        (date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 1)),
        (date(2026, 11, 1), date(2026, 11, 29), None),  # 本月 up to today
        (date(2026, 11, 2), date(2026, 12, 1), None),  # 近 30 天
        (date(2026, 1, 1), date(2026, 12, 31), None),  # 本年
        (date(2026, 10, 1), date(2026, 11, 30), None),  # two months
    ],
)
def test_a_calendar_month(first: date, last: date, month: date | None) -> None:
    assert month_of(first, last) == month
