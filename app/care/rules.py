"""The rules of care visits: groups, tiers, rhythms, modes, and the one meaning of "overdue".

Sources: 民政部等《关于开展特殊困难老年人探访关爱服务的指导意见》(2022) — every elderly
person in special difficulty visited at least monthly; local rules set the rhythm by risk:
高风险 at least weekly (and within 24 hours of a major event: a hospital stay, a
bereavement), 重点 at least monthly, 一般 at least quarterly.

Everything here is plain data and arithmetic on dates (no database): the due list, the
visit dialog and the monthly report all call :func:`overdue_days` and :func:`bucket`, so a
person is overdue on every screen and in every report for the same reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# 人群类别: the catalog's list; a hall adds its own (app.care.groups).
GROUPS: dict[str, str] = {
    "alone": "独居老人",
    "empty_nest": "空巢老人",
    "left_behind_elderly": "留守老人",
    "disabled_elderly": "失能老人",
    "severe_disability": "重度残疾人",
    "family_planning": "计生特殊家庭",
    "left_behind_child": "留守儿童",
    "child_in_difficulty": "困境儿童",
    "hardship": "低保特困家庭",
}
CHILD_GROUPS = frozenset({"left_behind_child", "child_in_difficulty"})

TIERS: dict[str, str] = {"high": "高风险", "key": "重点", "general": "一般"}
TIER_ORDER = {"high": 0, "key": 1, "general": 2}  # the due list: the highest risk first
# The rhythm a tier gets by default (a plan may be set closer).
TIER_RHYTHM = {"high": "weekly", "key": "monthly", "general": "quarterly"}

RHYTHMS: dict[str, str] = {
    "daily": "每天",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "days": "每 N 天",
}
EVERY_DAYS_MAX = 366

MODES: dict[str, str] = {
    "home": "上门",
    "phone": "电话",
    "video": "视频",
    "proxy": "委托第三方",
    "device": "智能设备预警",
}

# Major events that make a visit due within 24 hours (and a hazard found on a visit).
EVENTS: dict[str, str] = {
    "hospital": "住院",
    "discharged": "出院",
    "bereaved": "丧亲",
    "fall": "跌倒受伤",
    "disaster": "突发灾害",
    "hazard": "探访发现隐患",
    "other": "其他重大变故",
}
URGENT_HOURS = 24

# Findings of a visit, each a short text (empty: nothing noted).
FINDINGS: dict[str, str] = {
    "health": "身体状况",
    "mood": "精神状态",
    "needs": "生活需求",
    "hazards": "安全隐患",
}
FINDING_MAX = 500

# A need that belongs to a counter service: one action makes a draft application there.
REFERRALS: dict[str, str] = {"MZ003": "高龄津贴", "CL001": "残疾人两项补贴"}

RELATIONS = ("配偶", "子女", "父母", "兄弟姐妹", "孙子女", "其他亲属", "邻居", "朋友", "其他")
CONSENT_BY = ("本人", "监护人")


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, kept inside the month (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(after: date, rhythm: str, every_days: int | None = None) -> date:
    """The day a plan's next visit is due when its last one was on ``after``.

    daily +1 day, weekly +7, monthly +1 calendar month, quarterly +3 months, days +N.
    Raises ValueError for an unknown rhythm or N outside 1–366.
    """
    if rhythm == "daily":
        return after + timedelta(days=1)
    if rhythm == "weekly":
        return after + timedelta(days=7)
    if rhythm == "monthly":
        return add_months(after, 1)
    if rhythm == "quarterly":
        return add_months(after, 3)
    if rhythm == "days" and every_days is not None and 1 <= every_days <= EVERY_DAYS_MAX:
        return after + timedelta(days=every_days)
    raise ValueError(f"unknown rhythm {rhythm!r} / {every_days!r}")


def overdue_days(due: date, today: date) -> int:
    """Days a visit due on ``due`` is late on ``today`` (the hall's calendar date); 0 if not.

    A visit due today is not overdue until the day is over: overdue by 1 tomorrow.
    """
    return max(0, (today - due).days)


@dataclass(frozen=True)
class Bucket:
    """Where a due date stands on ``today``: 逾期 / 今日到期 / 2 日内到期 / later."""

    key: str  # "overdue", "today", "soon", "later"
    label: str
    late_days: int


SOON_DAYS = 2


def bucket(due: date, today: date) -> Bucket:
    """The due list's sections; the same rule for every screen and report."""
    late = overdue_days(due, today)
    if late:
        return Bucket("overdue", f"逾期 {late} 天", late)
    if due == today:
        return Bucket("today", "今日到期", 0)
    if due <= today + timedelta(days=SOON_DAYS):
        return Bucket("soon", f"{(due - today).days} 天后到期", 0)
    return Bucket("later", f"{due.isoformat()} 到期", 0)


def rhythm_label(rhythm: str, every_days: int | None) -> str:
    """每周, 每 10 天 …"""
    if rhythm == "days":
        return f"每 {every_days} 天"
    return RHYTHMS.get(rhythm, rhythm)


@dataclass(frozen=True)
class Kept:
    """How a plan kept its rhythm over a period: ``missed`` if it was overdue on any day of
    it; ``late_days`` how overdue it is on the period's last day (0: not)."""

    missed: bool
    late_days: int


def kept(
    due: date,
    visit_days: list[date],
    start: date,
    end: date,
    rhythm: str,
    every: int | None,
    floor: date | None = None,
) -> Kept:
    """Replay a plan over ``start``–``end`` (inclusive): ``due`` is its due day entering the
    period (from the last visit before it, or its first due day), ``visit_days`` its done
    visits within the period. Each visit moves the due day to :func:`next_due` of it; a day
    after the due day, up to and including a late visit's day, is a day the plan was late.
    ``floor``: the plan's first due day — no visit makes it due before that (a visit
    recorded back-dated before the plan existed), as :func:`app.care.plans.after_visits`.
    """
    missed = False
    for day in sorted(visit_days):
        # Late on the days due+1 … day (a late visit's own day too) that fall in the period.
        if max(due + timedelta(days=1), start) <= min(day, end):
            missed = True
        due = next_due(day, rhythm, every)
        if floor is not None and due < floor:
            due = floor
    late = overdue_days(due, end)
    if max(due + timedelta(days=1), start) <= end:
        missed = True
    return Kept(missed, late)
