"""The date ranges the 统计 workspace offers: 本月, 上月, 本周, 近 30 天, 本年, or custom."""

from __future__ import annotations

from datetime import date, timedelta

PRESETS: dict[str, str] = {
    "this_month": "本月",
    "last_month": "上月",
    "this_week": "本周",
    "last_30": "近 30 天",
    "this_year": "本年",
    "custom": "自定义",
}
DEFAULT = "last_month"


def preset_range(key: str, today: date) -> tuple[date, date]:
    """(first, last) day of preset ``key`` seen on ``today`` (both included).

    本月 / 本周 / 本年 run up to today; 上月 is the whole previous month; 近 30 天 is
    today and the 29 days before. Raises KeyError for ``custom`` or an unknown key.
    """
    if key == "this_month":
        return today.replace(day=1), today
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if key == "this_week":
        return today - timedelta(days=today.weekday()), today
    if key == "last_30":
        return today - timedelta(days=29), today
    if key == "this_year":
        return today.replace(month=1, day=1), today
    raise KeyError(key)
