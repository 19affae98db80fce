"""群众诉求 / 网格事件 figures (:func:`app.stats.events.event_figures`) as the workspace's
summary line and titled tables (:class:`app.reports.tables.Table`), so the 事件处置 tab and
the Excel workbook show the same headers and values. No Qt: plain functions.

(They belong beside the other tables in :mod:`app.reports.tables` once the bundle carries
the events' figures; until then the tab reads them itself, one call per 统计.)
"""

from __future__ import annotations

from app.reports.tables import Column, Kind, Table, Value, display
from app.stats.events import EventFigures

STAGE_COLUMNS = (
    Column("环节"),
    Column("件数", Kind.INT),
    Column("中位（工作分钟）", Kind.INT),
    Column("P90（工作分钟）", Kind.INT),
    Column("超时", Kind.INT),
)
DEPARTMENT_COLUMNS = (
    Column("部门"),
    Column("派遣", Kind.INT),
    Column("按期签收", Kind.INT),
    Column("响应率", Kind.PCT),
    Column("处置", Kind.INT),
    Column("按期处置", Kind.INT),
    Column("按期处置率", Kind.PCT),
    Column("核查", Kind.INT),
    Column("返工", Kind.INT),
    Column("返工率", Kind.PCT),
    Column("回访评价", Kind.INT),
    Column("满意", Kind.INT),
    Column("满意率", Kind.PCT),
)
SUMMARY_COLUMNS = (
    Column("上报", Kind.INT),
    Column("派单目录自动派遣", Kind.INT),
    Column("自动派遣占比", Kind.PCT),
    Column("结案", Kind.INT),
    Column("上报至派遣 中位（工作分钟）", Kind.INT),
    Column("上报至派遣 P90（工作分钟）", Kind.INT),
)


def has_events(f: EventFigures) -> bool:
    """Whether any event was reported, or moved, in the period."""
    return bool(f.reported or f.closed or f.departments or any(s.count for s in f.stages))


def auto_share(f: EventFigures) -> float | None:
    """The share of the period's reports the catalog dispatched (None: none reported)."""
    return f.auto_dispatched / f.reported if f.reported else None


def summary(f: EventFigures) -> str:
    """``上报 3 件，派单目录自动派遣 3 件（100.0%），结案 1 件，上报至派遣 中位 0 分钟 / P90 0
    分钟`` (working minutes; "—" where there is no data)."""
    r = f.response
    return (
        f"上报 {f.reported} 件，派单目录自动派遣 {f.auto_dispatched} 件"
        f"（{display(auto_share(f), Kind.PCT)}），结案 {f.closed} 件，"
        f"上报至派遣 中位 {display(r.median_min, Kind.INT)} 分钟 / "
        f"P90 {display(r.p90_min, Kind.INT)} 分钟（工作时间）"
    )


def stage_table(f: EventFigures) -> Table:
    """事件-环节用时: per stage, how many ended in the period, median, p90 and late."""
    rows: list[tuple[Value, ...]] = [
        (s.stage, s.count, s.median_min, s.p90_min, s.late) for s in f.stages
    ]
    return Table("event_stages", "事件-环节用时", STAGE_COLUMNS, rows)


def department_table(f: EventFigures) -> Table:
    """事件-部门处置: each 主办 department's counts and its four rates."""
    rows: list[tuple[Value, ...]] = [
        (
            d.department,
            d.dispatched,
            d.responded,
            d.response_rate,
            d.handled,
            d.on_time,
            d.on_time_rate,
            d.checked,
            d.rework,
            d.rework_rate,
            d.rated,
            d.satisfied,
            d.satisfied_rate,
        )
        for d in f.departments
    ]
    return Table("event_departments", "事件-部门处置", DEPARTMENT_COLUMNS, rows)


def summary_table(f: EventFigures) -> Table:
    """事件-概况: the summary line's figures as one row (for the workbook)."""
    row: tuple[Value, ...] = (
        f.reported,
        f.auto_dispatched,
        auto_share(f),
        f.closed,
        f.response.median_min,
        f.response.p90_min,
    )
    return Table("event_summary", "事件-概况", SUMMARY_COLUMNS, [row])


def event_tables(f: EventFigures) -> list[Table]:
    """Every events table, in workbook order."""
    return [summary_table(f), stage_table(f), department_table(f)]
