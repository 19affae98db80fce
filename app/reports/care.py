"""The month's care report (:mod:`app.care.report`) as tables for the screen and Excel,
and as the printable snapshot :class:`app.documents.CareMonthReport`.

One set of :class:`~app.reports.tables.Table` objects feeds the screen, the workbook and
the PDF, so a figure cannot differ between them.
"""

from __future__ import annotations

from datetime import datetime

from app.care import rules
from app.care.report import CareReport, Figures
from app.documents import CareMonthReport
from app.reports.tables import Column, Kind, Table, Value, display

# Headers short enough for a 1366-pixel screen; the unit after "（" goes to a second line.
SHORT_MODES = {"proxy": "委托第三方", "device": "设备预警"}
GRID_COLUMNS = (
    Column("网格"),
    Column("责任人"),
    Column("在册（人）", Kind.INT),
    *(Column(f"{label}（人）", Kind.INT) for label in rules.TIERS.values()),
    *(
        Column(f"{SHORT_MODES.get(code, label)}（次）", Kind.INT)
        for code, label in rules.MODES.items()
    ),
    Column("有计划（人）", Kind.INT),
    Column("按期探访（人）", Kind.INT),
    Column("探访率", Kind.PCT),
    Column("期末逾期（人）", Kind.INT),
)


def _row(f: Figures) -> tuple[Value, ...]:
    return (
        f.grid,
        f.worker,
        f.people,
        *(f.by_tier.get(t, 0) for t in rules.TIERS),
        *(f.visits.get(m, 0) for m in rules.MODES),
        f.on_plans,
        f.kept,
        f.rate,
        f.overdue,
    )


def title(r: CareReport) -> str:
    """``某中心 2026年11月 探访关爱月报``."""
    return f"{r.hall_name} {r.month.year}年{r.month.month}月 探访关爱月报"


def period(r: CareReport) -> str:
    """The dates covered; the running month says it ends today."""
    last_day = rules.add_months(r.month, 1).toordinal() - 1
    running = r.until.toordinal() < last_day
    return f"{r.month.isoformat()} 至 {r.until.isoformat()}" + (
        "（本月截至今日）" if running else ""
    )


def file_stem(r: CareReport) -> str:
    """The suggested file name without its extension."""
    return f"{r.hall_name}-探访关爱月报-{r.month:%Y-%m}"


def tables(r: CareReport) -> list[Table]:
    """按网格和责任人 (with the total last), 人群类别, 逾期人员."""
    grid = Table("grid", "按网格和责任人", GRID_COLUMNS, [*map(_row, r.rows), _row(r.total)])
    groups = Table(
        "groups",
        "人群类别",
        (Column("人群类别"), Column("人数", Kind.INT)),
        [(name, r.total.by_group.get(code, 0)) for code, name in r.groups.items()],
    )
    late = Table(
        "overdue", "期末逾期人员", (Column("姓名（网格）"),), [(n,) for n in r.overdue_names]
    )
    return [grid, groups, late]


def headline(r: CareReport) -> tuple[tuple[str, str], ...]:
    """(label, printed value): people, on plans, 探访率 against 100 %, overdue, visits."""
    t = r.total
    return (
        ("在册服务对象", f"{t.people:,} 人"),
        ("按计划探访", f"{t.on_plans:,} 人"),
        ("探访率（目标 100%）", display(t.rate, Kind.PCT)),
        ("期末逾期", f"{t.overdue:,} 人"),
        ("本期探访", f"{sum(t.visits.values()):,} 次"),
    )


def snapshot(r: CareReport, printed: datetime) -> CareMonthReport:
    """The PDF's snapshot: every cell as printed."""
    grid = tables(r)[0]
    rows = tuple(
        tuple(display(v, c.kind) for v, c in zip(row, grid.columns, strict=True))
        for row in grid.rows
    )
    return CareMonthReport(
        title=title(r),
        period=period(r),
        printed_on=printed.strftime("%Y-%m-%d %H:%M"),
        hall_name=r.hall_name,
        headline=headline(r),
        head=tuple(c.header for c in grid.columns),
        rows=rows,
        groups=tuple(
            (name, f"{r.total.by_group.get(code, 0):,}") for code, name in r.groups.items()
        ),
        overdue=r.overdue_names,
    )
