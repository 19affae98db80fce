"""补正 at the counter with pages: the clerk captures the page again in the case view; with
补正材料已收齐 it is stored, the page marked unreadable is unmarked, the case goes back to
review — and the approver sees three pages, none marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.cases import casefile, intake, workflow
from app.cases.intake import IntakeInput
from app.cases.workflow import Decision, Outcome
from app.materials import intake as mi
from app.materials import marking, viewing
from app.people import users
from app.roles import Role
from app.states import CaseState
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers import pages as tp
from tests.helpers.backoffice import open_tasks
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.counter.capture_dialog import CaptureDialog


def _returned_case(ctx: AppContext) -> int:
    """A 低保 case with 2 pages of 收入证明, page 2 marked unreadable, returned for 补正."""
    pages = tuple(mi.prepare_pages(tp.form_pdf(2), "收入证明.pdf"))
    inp = IntakeInput(
        "MZ001",
        applicant(ctx.db),
        dict(DIBAO_FORM),
        ticks(*ALL_DIBAO),
        pages={"income_proof": pages},
    )
    case_id = intake.accept(ctx.db, actor(ctx.db), inp).case_id
    approver = actor(ctx.db, "approver", Role.APPROVER)
    page = viewing.case_pages(ctx.db, approver, case_id)[1]
    marking.mark_unreadable(ctx.db, approver, page.id, "字迹模糊")
    task, version, _dept = open_tasks(ctx.db, case_id)[0]
    workflow.decide(ctx.db, approver, Decision(task, version, Outcome.RETURN, "材料不清"))
    return case_id


def test_the_clerk_brings_the_page_again_with_supplement(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    case_id = _returned_case(ctx)
    clerk = users.demo_actor(ctx.db, "clerk")
    view = CaseView(ctx, clerk, casefile.open_case(ctx.db, clerk, case_id))
    qtbot.addWidget(view)
    view.show()
    box = view.counter
    assert box.isVisible() and box.pages_row.isVisible()
    assert box.material.currentText() == "收入证明"  # the material 补正 names
    assert "未补交材料页" in box.pages_summary.text()

    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: None))
    box.open_capture()
    dialog = box.capture_dialog
    assert dialog is not None and dialog.windowTitle() == "材料采集 — 收入证明"
    qtbot.waitUntil(lambda: dialog.stored.list.count() == 2)  # the pages the case keeps
    assert "其中 1 页被标记为无法辨认" in dialog.stored.title.text()
    assert dialog.stored.list.item(1).toolTip() == "无法辨认：字迹模糊"
    again = tmp_path / "收入证明重拍.png"
    again.write_bytes(tp.encoded(tp.scan(120), "PNG"))
    dialog.add_files([again])
    qtbot.waitUntil(lambda: dialog.working == 0 and ctx.ops.pending == 0, timeout=20_000)
    dialog.accept()
    assert box.pages_summary.text() == "将随补正保存：收入证明 1 页"

    box.note.setText("补交收入证明第 2 页")
    box.buttons["resubmit"].click()
    qtbot.waitUntil(lambda: view.file.state == CaseState.IN_REVIEW, timeout=20_000)
    assert box.pages() == {}
    approver = actor(ctx.db, "approver", Role.APPROVER)
    stored = viewing.case_pages(ctx.db, approver, case_id)
    assert [(p.position, p.unreadable) for p in stored] == [(1, False), (2, False), (3, False)]


def test_a_supplement_without_a_note_keeps_the_pages_captured(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    case_id = _returned_case(ctx)
    clerk = users.demo_actor(ctx.db, "clerk")
    view = CaseView(ctx, clerk, casefile.open_case(ctx.db, clerk, case_id))
    qtbot.addWidget(view)
    view.show()
    box = view.counter
    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: None))
    box.open_capture()
    dialog = box.capture_dialog
    assert dialog is not None
    page = tmp_path / "p.png"
    page.write_bytes(tp.encoded(tp.draw((800, 1100)), "PNG"))
    dialog.add_files([page])
    qtbot.waitUntil(lambda: dialog.working == 0 and ctx.ops.pending == 0, timeout=20_000)
    dialog.accept()
    box.buttons["resubmit"].click()  # no note: refused next to the note
    qtbot.waitUntil(lambda: box.errors.message_for("note") != "")
    assert view.file.state == CaseState.AWAITING_SUPPLEMENT
    assert list(box.pages()) == ["income_proof"]  # nothing captured is lost


@pytest.mark.parametrize("desk_name", ["1366x768", "1920x1080"])
def test_the_case_view_with_supplement_pages_fits(
    qtbot: QtBot, ctx: AppContext, app_style: None, tmp_path: Path, desk_name: str
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the platform has no such screen (QT_QPA_PLATFORM not offscreen)")
    case_id = _returned_case(ctx)
    clerk = users.demo_actor(ctx.db, "clerk")
    view = CaseView(ctx, clerk, casefile.open_case(ctx.db, clerk, case_id))
    qtbot.addWidget(view)
    screen_fit.place(view, desk, Kind.DIALOG)
    QApplication.processEvents()
    found = screen_fit.misfits(view, desk.room(Kind.DIALOG))
    shot = screen_fit.screenshot(view, f"casefile-supplement-{desk_name}", tmp_path)
    assert not found, f"{shot}: " + "; ".join(found)
    assert view.counter.pages_row.isVisible()
