"""The statistics as titled tables: Chinese headers, typed columns, raw values.

The 统计 workspace and the Excel workbook show the same :class:`Table` objects, so a
header or a figure cannot differ between screen and file. Values stay raw (counts as int,
shares 0..1, durations in minutes as float, None for "no data"); :func:`display` gives
the text the screen shows, the workbook applies a number format per :class:`Kind`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.reports.bundle import StatsBundle
from app.stats.cases import CaseRow
from app.stats.departments import INSUFFICIENT
from app.stats.queue import Durations, QueueRow
from app.stats.satisfaction import LEVELS, LevelCounts

Value = str | int | float | None


class Kind(StrEnum):
    """How a column's values are shown: text, a count, a share, minutes, days, a score."""

    TEXT = "text"
    INT = "int"
    PCT = "pct"  # 0..1 shown as 55.6%
    MINUTES = "minutes"  # minutes, one decimal
    DAYS = "days"  # days, one decimal
    SCORE = "score"  # 0..100, two decimals; or 样本不足


@dataclass(frozen=True)
class Column:
    """A header, its kind and, for a drillable figure, the figure's key (departments)."""

    header: str
    kind: Kind = Kind.TEXT
    figure: str = ""


@dataclass(frozen=True)
class Table:
    """One table: ``key`` (stable id), ``title`` (tab text, Excel sheet name ≤ 31 chars).

    ``row_ids``: per row, the department id behind it where figures drill down, else None.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]]
    row_ids: list[int | None] = field(default_factory=list)


def display(value: Value, kind: Kind) -> str:
    """The on-screen text of a value: ``"—"`` for no data, 55.6%, 7.0 (minutes)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind is Kind.PCT:
        return f"{value * 100:.1f}%"
    if kind in (Kind.MINUTES, Kind.DAYS):
        return f"{value:.1f}"
    if kind is Kind.SCORE:
        return f"{value:.2f}"
    if kind is Kind.INT:
        return f"{int(value):,}"
    return str(value)


def _min(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _durations(d: Durations) -> tuple[Value, ...]:
    return (_min(d.p50_s), _min(d.p90_s), _min(d.max_s))


QUEUE_COLUMNS = (
    Column("号票数", Kind.INT),
    Column("已办结", Kind.INT),
    Column("过号", Kind.INT),
    Column("转窗", Kind.INT),
    Column("等候 p50（分钟）", Kind.MINUTES),
    Column("等候 p90（分钟）", Kind.MINUTES),
    Column("等候最长（分钟）", Kind.MINUTES),
    Column("15 分钟内", Kind.PCT),
    Column("30 分钟内", Kind.PCT),
    Column("办理 p50（分钟）", Kind.MINUTES),
    Column("办理 p90（分钟）", Kind.MINUTES),
    Column("办理最长（分钟）", Kind.MINUTES),
)


def _queue_row(r: QueueRow) -> tuple[Value, ...]:
    return (
        r.key,
        r.tickets,
        r.served,
        r.no_shows,
        r.transfers,
        *_durations(r.wait),
        r.within_15,
        r.within_30,
        *_durations(r.service),
    )


def queue_tables(b: StatsBundle) -> list[Table]:
    """排队: per queue (with the hall's total), per window, per day, per hour, per clerk."""
    q = b.queue
    if q is None:
        return []
    out = [
        Table(
            "queue",
            "排队-按队列",
            (Column("队列"), *QUEUE_COLUMNS),
            [_queue_row(r) for r in q.per_queue] + [_queue_row(q.overall)],
        ),
        Table(
            "windows",
            "排队-按窗口",
            (Column("窗口"), *QUEUE_COLUMNS),
            [_queue_row(r) for r in q.per_window],
        ),
        Table(
            "days",
            "排队-按日",
            (Column("服务日"), Column("号票数", Kind.INT)),
            [(d.isoformat(), n) for d, n in q.per_day],
        ),
        Table(
            "hours",
            "排队-按时段",
            (Column("时段"), Column("号票数", Kind.INT), Column("平均等候（分钟）", Kind.MINUTES)),
            [(f"{h:02d}:00–{h + 1:02d}:00", n, _min(w)) for h, n, w in q.per_hour],
        ),
    ]
    if b.clerks is not None:
        out.append(
            Table(
                "clerks",
                "窗口人员",
                (
                    Column("窗口人员"),
                    Column("叫号", Kind.INT),
                    Column("办结", Kind.INT),
                    Column("平均办理（分钟）", Kind.MINUTES),
                    Column("有人等候时空闲（分钟）", Kind.MINUTES),
                ),
                [
                    (c.name, c.called, c.served, _min(c.mean_service_s), c.idle_with_queue_s / 60)
                    for c in b.clerks
                ],
            )
        )
    return out


CASE_COLUMNS = (
    Column("受理", Kind.INT),
    Column("容缺受理", Kind.INT),
    Column("一次性告知", Kind.INT),
    Column("不予受理", Kind.INT),
    Column("办结（承诺件）", Kind.INT),
    Column("按期", Kind.INT),
    Column("超期", Kind.INT),
    Column("按期率", Kind.PCT),
    Column("平均办理（工作日）", Kind.DAYS),
    Column("补正率", Kind.PCT),
    Column("出件", Kind.INT),
    Column("平均取件间隔（天）", Kind.DAYS),
)


def _case_row(r: CaseRow, *lead: Value) -> tuple[Value, ...]:
    return (
        *lead,
        r.accepted,
        r.deferred,
        r.notices,
        r.refused,
        r.decided,
        r.on_time,
        r.overdue,
        r.on_time_rate,
        r.mean_workdays,
        r.supplement_rate,
        r.delivered,
        r.mean_pickup_days,
    )


def case_tables(b: StatsBundle) -> list[Table]:
    """办件: per service (with its department) and per department."""
    c = b.cases
    return [
        Table(
            "services",
            "办件-按事项",
            (Column("事项"), Column("部门"), *CASE_COLUMNS),
            [_case_row(r, r.key, r.department) for r in c.per_service],
        ),
        Table(
            "case_departments",
            "办件-按部门",
            (Column("部门"), *CASE_COLUMNS),
            [_case_row(r, r.key) for r in c.per_department],
        ),
    ]


LEVEL_COLUMNS = (
    Column("评价数", Kind.INT),
    *(Column(name, Kind.PCT) for name in LEVELS.values()),
    Column("满意率", Kind.PCT),
)


def _level_row(r: LevelCounts) -> tuple[Value, ...]:
    return (r.key, r.total, *(r.share(lv) for lv in LEVELS), r.satisfied_rate)


def satisfaction_tables(b: StatsBundle) -> list[Table]:
    """满意度: the hall with 整改, per window / clerk / service / department / week, reasons."""
    s = b.satisfaction
    overall = Table(
        "satisfaction",
        "满意度-总体",
        (
            Column("范围"),
            *LEVEL_COLUMNS,
            Column("差评", Kind.INT),
            Column("本期整改", Kind.INT),
            Column("未结整改", Kind.INT),
            Column("超期整改", Kind.INT),
        ),
        [
            (
                *_level_row(s.overall),
                b.bad_ratings,
                s.rectifications_opened,
                s.rectifications_open,
                s.rectifications_overdue,
            )
        ],
    )
    out = [overall]
    for key, title, head, rows in (
        ("sat_windows", "满意度-按窗口", "窗口", s.per_window),
        ("sat_clerks", "满意度-按人员", "窗口人员", s.per_clerk),
        ("sat_services", "满意度-按事项", "事项", s.per_service),
        ("sat_departments", "满意度-按部门", "部门", s.per_department),
        ("sat_weeks", "满意度-按周", "周", s.per_week),
    ):
        if rows or key not in ("sat_windows", "sat_clerks") or b.queue is not None:
            out.append(Table(key, title, (Column(head), *LEVEL_COLUMNS), _rows(rows)))
    out.append(
        Table(
            "bad_reasons",
            "差评原因",
            (Column("原因"), Column("差评数", Kind.INT), Column("占差评", Kind.PCT)),
            [(r, n, n / b.bad_ratings if b.bad_ratings else None) for r, n in b.bad_reasons],
        )
    )
    return out


def _rows(rows: Sequence[LevelCounts]) -> list[tuple[Value, ...]]:
    return [_level_row(r) for r in rows]


def department_table(b: StatsBundle) -> Table:
    """部门绩效: the figures, the weighted score or 样本不足; figures drill down."""
    w = b.weights
    return Table(
        "departments",
        "部门绩效",
        (
            Column("部门"),
            Column("办结任务", Kind.INT, "decided"),
            Column("响应率", Kind.PCT, "late_response"),
            Column("按期办结率", Kind.PCT, "overdue"),
            Column("返工率", Kind.PCT, "rework"),
            Column("满意率", Kind.PCT, "dissatisfied"),
            Column(
                f"得分（权重 {w.response}/{w.on_time}/{w.rework}/{w.satisfaction}）", Kind.SCORE
            ),
        ),
        [
            (
                d.department,
                d.decided,
                d.response_rate,
                d.on_time_rate,
                d.rework_rate,
                d.satisfied_rate,
                d.score if d.score is not None else (d.note or INSUFFICIENT),
            )
            for d in b.departments
        ],
        [d.department_id for d in b.departments],
    )


def city_table(b: StatsBundle) -> Table | None:
    """全市对比: every hall's headline figures side by side (city view only)."""
    if b.city is None:
        return None
    return Table(
        "city",
        "全市对比",
        (
            Column("大厅"),
            Column("号票数", Kind.INT),
            Column("等候 p50（分钟）", Kind.MINUTES),
            Column("等候 p90（分钟）", Kind.MINUTES),
            Column("15 分钟内", Kind.PCT),
            Column("受理", Kind.INT),
            Column("办结", Kind.INT),
            Column("按期率", Kind.PCT),
            Column("评价数", Kind.INT),
            Column("满意率", Kind.PCT),
        ),
        [
            (
                h.hall,
                h.tickets,
                _min(h.wait_p50_s),
                _min(h.wait_p90_s),
                h.within_15,
                h.accepted,
                h.decided,
                h.on_time_rate,
                h.ratings,
                h.satisfied_rate,
            )
            for h in b.city
        ],
    )


def all_tables(b: StatsBundle) -> list[Table]:
    """Every table of the bundle, in workspace order (the workbook's sheets)."""
    out = [*queue_tables(b), *case_tables(b), *satisfaction_tables(b), department_table(b)]
    c = city_table(b)
    return [*out, c] if c is not None else out
