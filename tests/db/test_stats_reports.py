"""The statistics as the workspace shows and exports them, on both backends.

The figures are those of :mod:`tests.helpers.stats_month` (hand computations there): the
tables' formatted values, the Excel workbook read back cell by cell with openpyxl, the
monthly PDF read back with pdftotext, and a cancelled export leaving no file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from app.db.session import Database
from app.errors import PermissionDenied, ValidationError
from app.reports import bundle, excel, monthly
from app.reports.tables import Kind, all_tables, department_table, display
from app.roles import Role
from printing.stats_report import hall_report_pdf
from tests.helpers import stats_month
from tests.helpers.pdf import pdf_text
from tests.helpers.people import actor

MONTH = stats_month.MONTH


def _bundle(db: Database) -> bundle.StatsBundle:
    stats_month.seed(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    return bundle.load(db, boss, None, *MONTH)


def test_the_tables_carry_the_hand_computed_figures(db: Database) -> None:
    b = _bundle(db)
    tables = {t.key: t for t in all_tables(b)}
    total = tables["queue"].rows[-1]
    head = [c.header for c in tables["queue"].columns]
    assert total[0] == "全部" and total[1] == 10
    assert display(total[head.index("等候 p50（分钟）")], Kind.MINUTES) == "7.0"
    assert display(total[head.index("等候 p90（分钟）")], Kind.MINUTES) == "50.0"
    assert display(total[head.index("15 分钟内")], Kind.PCT) == "55.6%"
    dept = department_table(b)
    scores = {row[0]: row[-1] for row in dept.rows}
    assert any(v == pytest.approx(89.33) for v in scores.values())
    assert "样本不足" in scores.values()
    assert tables["bad_reasons"].rows[0][:2] == ("等候时间过长", 2)
    assert display(tables["satisfaction"].rows[0][-5], Kind.PCT) == "66.7%"
    assert "city" not in tables  # a hall supervisor, not the city view


def test_an_approver_reads_department_figures_only(db: Database) -> None:
    stats_month.seed(db)
    canlian = actor(db, "canlian", Role.APPROVER)
    b = bundle.load(db, replace(canlian, departments=frozenset({"CL"})), None, *MONTH)
    assert b.queue is None and b.clerks is None and b.city is None
    assert [d.department for d in b.departments] == [b.departments[0].department]
    keys = {t.key for t in all_tables(b)}
    assert "queue" not in keys and "sat_windows" not in keys
    with pytest.raises(ValidationError):
        bundle.load(db, canlian, None, MONTH[1], MONTH[0])
    nobody = replace(canlian, roles=frozenset({Role.CLERK}))
    with pytest.raises(PermissionDenied):
        bundle.load(db, nobody, None, *MONTH)


def test_the_workbook_read_back_cell_by_cell(db: Database, tmp_path: Path) -> None:
    b = _bundle(db)
    target = tmp_path / "统计.xlsx"
    steps: list[tuple[int, int]] = []
    assert excel.write_workbook(
        all_tables(b), target, lambda i, n, _t: steps.append((i, n)) or True
    )
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[:2] == ["排队-按队列", "排队-按窗口"]
    assert "部门绩效" in wb.sheetnames and "差评原因" in wb.sheetnames
    assert len(steps) == len(wb.sheetnames) + 1  # one step per sheet, then the save
    ws = wb["排队-按队列"]
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    assert head[:3] == ["队列", "号票数", "已办结"]
    total = [c for c in ws[ws.max_row]]
    assert total[0].value == "全部" and total[1].value == 10 and total[1].number_format == "#,##0"
    p50 = total[head.index("等候 p50（分钟）")]
    assert p50.value == pytest.approx(7.0) and p50.number_format == "0.0"
    within = total[head.index("15 分钟内")]
    assert within.value == pytest.approx(5 / 9) and within.number_format == "0.0%"
    assert ws.column_dimensions["A"].width >= 6
    d = wb["部门绩效"]
    assert d.freeze_panes == "A2"
    rows = {r[0].value: r for r in d.iter_rows(min_row=2)}
    scores = {k: r[-1].value for k, r in rows.items()}
    assert "样本不足" in scores.values()
    numeric = [r[-1] for r in rows.values() if isinstance(r[-1].value, float)]
    assert numeric[0].value == pytest.approx(89.33) and numeric[0].number_format == "0.00"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


def test_a_cancelled_export_leaves_no_file(db: Database, tmp_path: Path) -> None:
    b = _bundle(db)
    target = tmp_path / "统计.xlsx"
    assert not excel.write_workbook(all_tables(b), target, lambda i, _n, _t: i < 3)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"earlier")  # an earlier export at the target stays as it was
    assert not excel.write_workbook(all_tables(b), target, lambda i, _n, _t: i < 3)
    assert list(tmp_path.iterdir()) == [target] and target.read_bytes() == b"earlier"


def test_the_monthly_report_reads_back(db: Database, tmp_path: Path) -> None:
    b = _bundle(db)
    report = monthly.hall_report(b, datetime(2026, 12, 1, 9, 30))
    pdf = hall_report_pdf(report)
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = pdf_text(pdf, tmp_path)
    assert "月度大厅报告" in text and "2026-11-01 至 2026-11-30" in text
    for figure in ("7.0 分钟", "55.6%", "94.9%", "66.7%", "89.33", "样本不足", "等候时间过长"):
        assert figure in text, figure
    assert dict(report.headline)["取号人次"] == "10"
    assert dict(report.headline)["受理办件"] == "59"


def test_a_read_only_workbook_is_not_replaced_and_exports_are_readable_by_all(
    db: Database, tmp_path: Path
) -> None:
    """QA: a read-only file was silently replaced, and exports came out 0600."""
    b = _bundle(db)
    target = tmp_path / "统计.xlsx"
    assert excel.write_workbook(all_tables(b), target)
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == excel.EXPORT_MODE  # colleagues read it
    target.chmod(0o444)
    before = target.read_bytes()
    with pytest.raises(ValidationError) as caught:
        excel.write_workbook(all_tables(b), target)
    assert caught.value.field == "path" and "为只读，不能覆盖" in caught.value.message
    assert target.read_bytes() == before and list(tmp_path.iterdir()) == [target]
    with pytest.raises(ValidationError) as missing:  # a folder that is not there: Chinese
        excel.write_workbook(all_tables(b), tmp_path / "没有" / "x.xlsx")
    assert "No such file" not in missing.value.message
    assert "文件不存在或已被移走" in missing.value.message or "文件夹" in missing.value.message
