"""The hall report PDF over ranges other than a month, and an approver's, on both backends.

QA: a year's report was titled 月度大厅报告 and its 53 week labels printed over each other;
a department head's report (his departments only) was titled as the whole hall's.
Read back with pdftotext.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from app.db.session import Database
from app.reports import bundle, monthly
from app.roles import Role
from printing.stats_report import hall_report_pdf
from tests.helpers import stats_month, stats_year
from tests.helpers.pdf import pdf_text
from tests.helpers.people import actor

PRINTED = datetime(2027, 1, 4, 9, 0)


def test_a_years_report_is_a_statistics_report_with_a_dozen_week_labels(
    db: Database, tmp_path: Path
) -> None:
    stats_year.seed(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    b = bundle.load(db, boss, None, *stats_year.YEAR)
    weeks = [w.key for w in b.satisfaction.per_week]
    assert len(weeks) == 53 and weeks[0] == "2026-W01" and weeks[-1] == "2026-W53"
    report = monthly.hall_report(b, PRINTED)
    assert report.title == f"{b.hall_name} 大厅统计报告" and report.only == ""
    assert monthly.file_stem(b) == f"{b.hall_name}-统计报告-2026-01-01至2026-12-31"
    text = pdf_text(hall_report_pdf(report), tmp_path)
    assert f"{b.hall_name} 大厅统计报告" in text and "月度" not in text
    assert "统计期间：2026-01-01 至 2026-12-31" in text
    printed_weeks = re.findall(r"2026-W\d\d", text)
    # every 5th week: W01, W06 … W51 — 11 labels, none printed over another
    assert printed_weeks == [f"2026-W{1 + 5 * i:02d}" for i in range(11)], printed_weeks
    assert "仅含" not in text


def test_a_calendar_months_report_is_titled_by_the_month(db: Database, tmp_path: Path) -> None:
    stats_month.seed(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    b = bundle.load(db, boss, None, *stats_month.MONTH)
    report = monthly.hall_report(b, PRINTED)
    assert report.title == f"{b.hall_name} 2026年11月 月度大厅报告"
    assert monthly.file_stem(b) == f"{b.hall_name}-月度报告-2026-11"
    text = pdf_text(hall_report_pdf(report), tmp_path)
    assert f"{b.hall_name} 2026年11月 月度大厅报告" in text and "大厅统计报告" not in text
    thirty = bundle.load(db, boss, None, date(2026, 11, 2), date(2026, 12, 1))  # 近 30 天
    assert monthly.title(thirty) == f"{b.hall_name} 大厅统计报告"


def test_an_approvers_report_names_his_departments(db: Database, tmp_path: Path) -> None:
    stats_month.seed(db)
    approver = actor(db, "canlian", Role.APPROVER)
    head = replace(approver, departments=frozenset({"MZ", "CL"}))
    b = bundle.load(db, head, None, *stats_month.MONTH)
    assert b.only_departments == ("残疾人联合会", "民政局")  # by department code
    report = monthly.hall_report(b, PRINTED)
    assert report.only == "仅含：残疾人联合会、民政局"
    text = pdf_text(hall_report_pdf(report), tmp_path)
    assert "（仅含：残疾人联合会、民政局，不是全大厅的数据）" in text
    assert text.count("仅含：残疾人联合会、民政局") >= 2  # under the title and in the footer
    nobody = replace(approver, departments=frozenset())
    assert monthly.only(bundle.load(db, nobody, None, *stats_month.MONTH)) == "仅含：（无部门）"
