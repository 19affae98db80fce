"""The 统计 workspace's date presets, seen on a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from app.reports.periods import DEFAULT, PRESETS, preset_range
from app.reports.tables import Kind, display


def test_each_preset_on_a_wednesday_in_march() -> None:
    today = date(2026, 3, 4)  # a Wednesday
    assert preset_range("this_month", today) == (date(2026, 3, 1), today)
    assert preset_range("last_month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert preset_range("this_week", today) == (date(2026, 3, 2), today)
    assert preset_range("last_30", today) == (date(2026, 2, 3), today)
    assert preset_range("this_year", today) == (date(2026, 1, 1), today)
    assert preset_range("last_month", date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert DEFAULT == "last_month" and PRESETS[DEFAULT] == "上月"
    with pytest.raises(KeyError):
        preset_range("custom", today)


def test_figures_as_the_screen_shows_them() -> None:
    assert display(420 / 60, Kind.MINUTES) == "7.0"
    assert display(5 / 9, Kind.PCT) == "55.6%"
    assert display(None, Kind.PCT) == "—"
    assert display("样本不足", Kind.SCORE) == "样本不足"
    assert display(82.1075, Kind.SCORE) == "82.11"
    assert display(12345, Kind.INT) == "12,345"
