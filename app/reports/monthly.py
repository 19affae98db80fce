"""The monthly hall report's printable snapshot (:class:`app.documents.HallReport`).

Built from a :class:`~app.reports.bundle.StatsBundle` already loaded for the screen, so
the PDF shows the figures the supervisor is looking at. Headline: tickets, median wait,
share served within 15 minutes, cases accepted, on-time rate, 满意率.

Titled by its range: one calendar month is a 月度大厅报告 of that month; any other range
(a year, 近 30 天) a 大厅统计报告 of the dates. An approver's report holds his departments
only and says so (``仅含：民政局、残联``) — it is not the whole hall's.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from app.documents import HallReport
from app.reports.bundle import StatsBundle
from app.reports.tables import Kind, department_table, display
from app.stats.events import EventFigures

TOP_REASONS = 8


def _pct(v: float | None) -> str:
    return display(v, Kind.PCT)


def headline(b: StatsBundle) -> tuple[tuple[str, str], ...]:
    """(label, printed value) of the six headline figures (queue ones only if visible)."""
    out: list[tuple[str, str]] = []
    if b.queue is not None:
        o = b.queue.overall
        p50 = o.wait.p50_s
        out += [
            ("取号人次", f"{o.tickets:,}"),
            ("等候时长中位数", "—" if p50 is None else f"{p50 / 60:.1f} 分钟"),
            ("15 分钟内办理占比", _pct(o.within_15)),
        ]
    depts = b.cases.per_department
    decided = sum(r.decided for r in depts)
    on_time = sum(r.on_time for r in depts)
    out += [
        ("受理办件", f"{sum(r.accepted for r in depts):,}"),
        ("按期办结率", _pct(on_time / decided if decided else None)),
        ("满意率", _pct(b.satisfaction.overall.satisfied_rate)),
    ]
    return tuple(out)


def month_of(first: date, last: date) -> date | None:
    """The first day of the calendar month ``first``…``last`` is exactly; else None."""
    if first.day != 1 or (first.year, first.month) != (last.year, last.month):
        return None
    return first if last.day == calendar.monthrange(last.year, last.month)[1] else None


def title(b: StatsBundle) -> str:
    """The title: ``某大厅 2026年11月 月度大厅报告`` for a calendar month, else
    ``某大厅 大厅统计报告`` (the dates are on the line below it)."""
    month = month_of(b.first, b.last)
    if month is None:
        return f"{b.hall_name} 大厅统计报告"
    return f"{b.hall_name} {month.year}年{month.month}月 月度大厅报告"


def only(b: StatsBundle) -> str:
    """Whose figures: ``仅含：民政局、残联`` for an approver's departments, "" for the hall."""
    if b.only_departments is None:
        return ""
    return f"仅含：{'、'.join(b.only_departments)}" if b.only_departments else "仅含：（无部门）"


def file_stem(b: StatsBundle) -> str:
    """The PDF's suggested file name without ``.pdf``."""
    month = month_of(b.first, b.last)
    if month is not None:
        return f"{b.hall_name}-月度报告-{month:%Y-%m}"
    return f"{b.hall_name}-统计报告-{b.first.isoformat()}至{b.last.isoformat()}"


def hall_report(b: StatsBundle, printed: datetime) -> HallReport:
    """The snapshot of ``b`` printed at local time ``printed``."""
    q = b.queue
    dept = department_table(b)
    w = b.weights
    return HallReport(
        hall_name=b.hall_name,
        period=f"{b.first.isoformat()} 至 {b.last.isoformat()}",
        printed_on=printed.strftime("%Y-%m-%d %H:%M"),
        headline=headline(b),
        queue_length=tuple(q.queue_length) if q is not None else (),
        waits_per_hour=tuple((h, (m or 0.0) / 60) for h, _n, m in q.per_hour) if q else (),
        weekly_satisfaction=tuple(
            (wk.key, wk.satisfied_rate * 100)
            for wk in b.satisfaction.per_week
            if wk.satisfied_rate is not None
        ),
        bad_reasons=tuple(b.bad_reasons[:TOP_REASONS]),
        bad_total=b.bad_ratings,
        departments=tuple(
            tuple(display(v, c.kind) for v, c in zip(row, dept.columns, strict=True))
            for row in dept.rows
        ),
        weights=f"响应率 {w.response}%、按期办结率 {w.on_time}%、返工率 {w.rework}%、"
        f"满意率 {w.satisfaction}%",
        title=title(b),
        only=only(b),
        event_line=event_line(b.events),
        event_departments=tuple(
            (
                d.department,
                str(d.dispatched),
                _pct(d.response_rate),
                str(d.handled),
                _pct(d.on_time_rate),
                _pct(d.rework_rate),
                _pct(d.satisfied_rate),
            )
            for d in (b.events.departments if b.events else ())
        ),
    )


def event_line(f: EventFigures | None) -> str:
    """The events' summary as printed ("" without events)."""
    if f is None or not (f.reported or f.departments):
        return ""
    share = f"{f.auto_dispatched * 100 / f.reported:.1f}%" if f.reported else "—"
    median = "—" if f.response.median_min is None else f"{f.response.median_min} 分钟"
    return (
        f"上报 {f.reported} 件，派单目录自动派遣 {f.auto_dispatched} 件（{share}），"
        f"结案 {f.closed} 件；上报至派遣中位 {median}（按工作时间计）。"
    )
