"""The monthly hall report's printable snapshot (:class:`app.documents.HallReport`).

Built from a :class:`~app.reports.bundle.StatsBundle` already loaded for the screen, so
the PDF shows the figures the supervisor is looking at. Headline: tickets, median wait,
share served within 15 minutes, cases accepted, on-time rate, 满意率.
"""

from __future__ import annotations

from datetime import datetime

from app.documents import HallReport
from app.reports.bundle import StatsBundle
from app.reports.tables import Kind, department_table, display

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
    )
