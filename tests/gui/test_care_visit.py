"""探访关爱 (issue 18), on both backends: a community worker opens the due list, records a
phone visit there that raises a 高龄津贴 draft, and the counter finds that draft when the
resident comes; a 24-hour event, the route sheet, and the supervisor reading only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.care import plans, profiles, visits
from app.care.views import Contact, ProfileInput
from app.cases import cases
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.people import residents, users
from tests.helpers.pdf import pdf_text
from tests.helpers.people import id_number
from ui.care.due_panel import DuePanel
from ui.context import AppContext
from ui.counter.intake_panel import IntakePanel
from ui.main_window import MainWindow

BORN = date(1938, 4, 12)  # 88: old enough for 高龄津贴

SEEN = {"health": "精神尚可"}  # what a visit found (an empty visit is refused)


def _person(db: Database, name: str, seq: int, tier: str = "high") -> tuple[int, int]:
    """A resident with a care profile kept by 黄秀英; (profile id, resident id)."""
    care = users.demo_actor(db, "care")
    number = id_number(BORN, seq, female=True)
    data = residents.ResidentInput(number, name, "13912345678", "和平里街道兴化西里 3 号楼 501")
    rid = residents.save(db, care, data).id
    inp = ProfileInput(
        resident_id=rid,
        groups=("alone",),
        tier=tier,
        consent_by="本人",
        consent_name=name,
        needs="助餐",
        contacts=(Contact("王芳", "子女", "13800001111"),),
        grid="兴化第三网格",
        worker_id=care.user_id,
    )
    return profiles.save_profile(db, care, inp).id, rid


def _due_panel(qtbot: QtBot, ctx: AppContext, username: str) -> tuple[MainWindow, DuePanel]:
    window = MainWindow(ctx, users.demo_actor(ctx.db, username))
    qtbot.addWidget(window)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(labels.index("探访关爱"))
    window.show()
    panel = window.care_workspace.due_panel
    qtbot.waitUntil(lambda: panel.list is not None and ctx.ops.pending == 0)
    return window, panel


def _row_of(panel: DuePanel, name: str, mode: str) -> int:
    rows = [r for r, d in panel.row_of.items() if d.name == name and d.mode == mode]
    assert rows, [(d.name, d.mode, d.what) for d in panel.row_of.values()]
    return rows[0]


def test_a_phone_visit_raises_a_draft_the_counter_finds(qtbot: QtBot, ctx: AppContext) -> None:
    care = users.demo_actor(ctx.db, "care")
    pid, rid = _person(ctx.db, "张桂英", 41)
    phone_plan = plans.add_plan(ctx.db, care, pid, "phone", "daily").plans[-1]
    window, panel = _due_panel(qtbot, ctx, "care")
    assert window.tabs.tabText(window.tabs.currentIndex()) == "探访关爱"
    assert "今日到期（2）" in panel.table.item(0, 0).text()  # the home and the phone plan
    row = _row_of(panel, "张桂英", "phone")
    panel.table.setCurrentCell(row, 0)
    panel.table.selectRow(row)

    dialog = panel.record_visit()
    assert dialog is not None
    assert dialog.mode.currentData() == "phone" and dialog.plan.currentData() == phone_plan.id
    dialog.findings["health"].setPlainText("血压平稳")
    dialog.findings["needs"].setPlainText("听说 80 岁以上有高龄津贴，想申请")
    dialog.refer.setCurrentIndex(dialog.refer.findData("MZ003"))
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible() and ctx.ops.pending == 0)
    said = panel.status.text()
    assert "已为张桂英生成高龄津贴暂存件，窗口可在该申请人的暂存件中找到。" in said
    assert "下次电话探访" in said
    phone = panel.row_of[_row_of(panel, "张桂英", "phone")]
    assert phone.bucket == "soon"  # daily: due tomorrow now

    # At the counter: the clerk finds the draft for that resident …
    clerk = users.demo_actor(ctx.db, "clerk")
    [draft] = cases.drafts_of(ctx.db, clerk, rid)
    assert draft.service_code == "MZ003" and "社区探访转来" in draft.notice_items[0]
    # … and the counter's screen offers it when the resident's ID is typed.
    intake = IntakePanel(ctx, clerk)
    qtbot.addWidget(intake)
    intake.show()
    qtbot.waitUntil(lambda: len(intake.services) > 40)
    intake.start(None)
    intake.applicant.id_edit.setText(id_number(BORN, 41, female=True))
    qtbot.waitUntil(intake.resume_button.isVisible)
    assert intake.resume_button.text() == "继续暂存件：高龄津贴申领"
    intake.resume_button.click()
    qtbot.waitUntil(lambda: intake.draft_id == draft.id)


def test_a_major_event_is_visited_from_the_list_and_leaves_it(
    qtbot: QtBot, ctx: AppContext
) -> None:
    care = users.demo_actor(ctx.db, "care")
    pid, _rid = _person(ctx.db, "李秀兰", 42, tier="general")
    visits.record_visit(ctx.db, care, visits.VisitInput(pid, "home", SEEN))  # next: in 3 months
    visits.record_event(ctx.db, care, pid, "hospital", "脑梗入院")
    _window, panel = _due_panel(qtbot, ctx, "care")
    [row] = panel.row_of.values()
    assert row.what.startswith("24 小时内探访：住院") and row.plan_id is None
    panel.table.setCurrentCell(next(iter(panel.row_of)), 0)
    dialog = panel.record_visit()
    assert dialog is not None and dialog.mode.currentData() == "home"
    assert dialog.plan.currentData() == -1  # no plan preset: the home plan counts by mode
    dialog.findings["hazards"].setPlainText("卫生间地滑")
    dialog.urgent.setChecked(True)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible() and ctx.ops.pending == 0)
    assert "隐患已列入 24 小时内跟进探访" in panel.status.text()
    [follow_up] = panel.row_of.values()  # the hospital visit met; the hazard's follow-up due
    assert "探访发现隐患" in follow_up.what and "卫生间地滑" in follow_up.what


def test_the_route_sheet_prints_the_list(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _person(ctx.db, "张桂英", 43)
    _person(ctx.db, "王德福", 44, tier="key")
    shown: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        "ui.care.due_panel.show_pdf", lambda _p, pdf, title: shown.append((pdf, title))
    )
    _window, panel = _due_panel(qtbot, ctx, "care")
    panel.print_route()
    qtbot.waitUntil(lambda: bool(shown) and ctx.ops.pending == 0)
    pdf, title = shown[0]
    text = pdf_text(pdf, tmp_path)
    assert title == "走访路线单" and "走访路线单" in text
    assert "张桂英" in text and "王德福" in text and "139****5678" in text
    assert "13912345678" not in text  # phones masked on paper too


def test_the_supervisor_reads_the_whole_list_and_changes_nothing(
    qtbot: QtBot, ctx: AppContext
) -> None:
    _person(ctx.db, "张桂英", 45)
    _window, panel = _due_panel(qtbot, ctx, "supervisor")
    assert len(panel.row_of) == 1 and "全部社区工作者" in panel.summary.text()
    assert panel.visit_button.isHidden() and panel.print_button.isHidden()
    assert panel.record_visit() is None
    profiles_panel = _window.care_workspace.profiles_panel
    assert profiles_panel.new_button.isHidden() and profiles_panel.mine.isHidden()


def test_a_refused_visit_says_why_under_the_field_and_keeps_what_was_typed(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _person(ctx.db, "张桂英", 46)
    _window, panel = _due_panel(qtbot, ctx, "care")
    panel.table.setCurrentCell(_row_of(panel, "张桂英", "home"), 0)
    dialog = panel.record_visit()
    assert dialog is not None
    dialog.findings["health"].setPlainText("很" * 501)
    dialog.actions_edit.setPlainText("送药")
    dialog.submit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert "500" in dialog.errors.message_for("findings.health") and dialog.isVisible()
    assert dialog.actions_edit.toPlainText() == "送药" and dialog.ok.isEnabled()

    def busy(*_a: object) -> None:
        raise EnvironmentProblem("系统繁忙，请稍后重试。")

    monkeypatch.setattr(visits, "record_visit", busy)
    dialog.findings["health"].setPlainText("平稳")
    dialog.submit()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert dialog.errors.general_message() == "系统繁忙，请稍后重试。" and dialog.isVisible()
    assert dialog.findings["health"].toPlainText() == "平稳" and dialog.ok.isEnabled()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
